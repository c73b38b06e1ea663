#!/usr/bin/env python3
"""Personal-data scanner of the test run: every suite's log (build/test-logs/*.log) and
the servers' output the suites keep (every `*.log` and `*.out` under build/) are searched for the
personal values the tests seed: names, e-mail addresses, phone numbers, input IDs,
verification codes, passwords and tokens. Any hit fails (exit 1); the hit is reported
by file, line and kind, never with the value itself.

Where the values come from (one list, built here):
  * the fixtures themselves: every full name (`姓 名` in a string literal) and every
    password (`Word-word-42`) written in the test sources and the demo seeds, read
    afresh on each run so a new fixture is covered without a list to keep;
  * extra fixed values: tests/scan/seeded.txt (one `kind value` a line);
  * the demo data's names (the family and given names of `backend/src/cli.rs`), so
    every demo person's full name is known without listing them;
  * what the suites wrote while they ran: any `demo.txt` (the demo command's printed
    logins, passwords and input IDs) and `seeded.txt` under build/test-artifacts, and
    the codes of every mailed `.eml` under build/;
  * patterns for values made at random: bearer tokens, session cookies, JSON `token`
    fields, e-mail addresses of the test domains, mobile phone numbers.

    python3 tests/scan/scan.py [--root DIR] [FILE ...]   (FILEs replace the default set)
"""

import argparse
import pathlib
import re
import sys

TEST_DOMAINS = r"(?:[\w-]+\.)*(?:example\.jp|example\.com|example\.org|demo\.mimamori\.invalid|b\.jp)"
PATTERNS = [
    ("e-mail", re.compile(r"[\w.+-]+@" + TEST_DOMAINS + r"\b")),
    ("phone", re.compile(r"(?<![\w-])0[5789]0[- ]?\d{4}[- ]?\d{4}(?![\w-])")),
    ("token", re.compile(r"(?i)bearer\s+[A-Za-z0-9_\-]{20,}")),
    ("token", re.compile(r"\"(?:token|registration_token)\"\s*:\s*\"[A-Za-z0-9_\-]{20,}\"")),
    ("cookie", re.compile(r"mimamori_[a-z_]+=[A-Za-z0-9_\-]{20,}")),
]


def demo_names(root):
    """Every full name the demo can give: family × given of `sample_case`."""
    src = (root / "backend/src/cli.rs").read_text(encoding="utf-8")
    family = re.search(r"const FAMILY: \[&str; \d+\] = \[([^\]]*)\]", src)
    given = re.search(r"const GIVEN: \[&str; \d+\] = \[([^\]]*)\]", src)
    if not family or not given:
        sys.exit("scan: the demo names moved out of backend/src/cli.rs; update tests/scan/scan.py")
    fam = re.findall(r'"([^"]+)"', family.group(1))
    giv = re.findall(r'"([^"]+)"', given.group(1))
    return [("name", f"{f} {g}") for f in fam for g in giv]


FIXTURE_SOURCES = ["backend/tests", "tests", "mobile-core/tests", "backend/src/cli.rs", "backend/src/clinic/admin.rs", "backend/src/call/mod.rs"]
FIXTURE_SUFFIXES = {".rs", ".js", ".py", ".kt", ".swift", ".sh"}
KANA_HAN = "\u3040-\u30ff\u4e00-\u9fff"
FIXTURE_NAME = re.compile("[\"']([" + KANA_HAN + "]{1,5}[ \u3000][" + KANA_HAN + "]{1,5})[\"']")
FIXTURE_PASSWORD = re.compile(r"[\"']([A-Z][a-z]+(?:-[A-Za-z]+)+-\d+)[\"']")


def fixture_values(root):
    """Names and passwords written in the test sources and the demo seeds."""
    out = []
    for place in FIXTURE_SOURCES:
        p = root / place
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.suffix in FIXTURE_SUFFIXES and "scan" not in f.parts] if p.is_dir() else []
        for f in files:
            text = f.read_text(encoding="utf-8", errors="replace")
            out += [("name", v) for v in FIXTURE_NAME.findall(text)]
            out += [("password", v) for v in FIXTURE_PASSWORD.findall(text)]
    return out


def written_values(root):
    """What the suites recorded as seeded while they ran."""
    out = []
    artifacts = root / "build/test-artifacts"
    for f in artifacts.rglob("demo.txt") if artifacts.is_dir() else []:
        text = f.read_text(encoding="utf-8", errors="replace")
        out += [("input ID", v) for v in re.findall(r"input ID (\d{6,7})", text)]
        out += [("password", v) for v in re.findall(r" / (\S+)", text)]
    for f in artifacts.rglob("seeded.txt") if artifacts.is_dir() else []:
        out += parse_list(f)
    build = root / "build"
    for f in build.rglob("*.eml") if build.is_dir() else []:
        text = f.read_text(encoding="utf-8", errors="replace")
        out += [("code", v) for v in re.findall(r"(?<!\d)(\d{6})(?!\d)", text)]
    return out


def parse_list(path):
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            kind, _, value = line.partition(" ")
            if value.strip():
                out.append((kind, value.strip()))
    return out


def values(root):
    here = pathlib.Path(__file__).resolve().parent
    vals = parse_list(here / "seeded.txt") + fixture_values(root) + demo_names(root) + written_values(root)
    # Short values (a 3-character name part) would match anything; the list holds
    # whole values only.
    return sorted({(k, v) for k, v in vals if len(v) >= 4}, key=lambda kv: -len(kv[1]))


def default_files(root):
    """Every log and captured output under build/: the suites' logs, the servers'
    stderr and stdout the suites keep (test-artifacts, live); not this suite's own."""
    build = root / "build"
    if not build.is_dir():
        return []
    files = sorted(f for f in build.rglob("*") if f.is_file() and f.suffix in (".log", ".out"))
    return [f for f in files if f != build / "test-logs/scan.log"]


def mask(value):
    return f"{value[:1]}…({len(value)} characters)"


def scan(files, vals):
    hits = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError as e:
            hits.append(f"{f}: cannot be read ({e.strerror})")
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for kind, v in vals:
                if v in line:
                    hits.append(f"{f}:{n}: a seeded {kind} {mask(v)}")
            for kind, rx in PATTERNS:
                m = rx.search(line)
                if m:
                    hits.append(f"{f}:{n}: a {kind} {mask(m.group(0))}")
    return hits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(pathlib.Path(__file__).resolve().parents[2]))
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    root = pathlib.Path(a.root)
    files = [pathlib.Path(f) for f in a.files] or default_files(root)
    vals = values(root)
    hits = scan(files, vals)
    print(f"scan: {len(files)} files, {len(vals)} seeded values and {len(PATTERNS)} patterns")
    for h in hits:
        print(h)
    if hits:
        print(f"scan: {len(hits)} personal values found in the logs")
        return 1
    print("scan: no personal value in any log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
