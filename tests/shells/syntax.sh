#!/usr/bin/env bash
# Syntax check of what cannot be compiled here (Compose, SwiftUI) and of everything
# else in the phone shells: parses every .kt/.kts under android/, every .swift under
# ios/, and the generated Kotlin and Swift bindings with tree-sitter (kotlin 1.1.0,
# swift 0.7.4), and fails on any ERROR or MISSING node, printed as file:line:column.
# Also checks that the Android XML files are well-formed, that values/ (Japanese) and
# values-en/ (English) define the same strings, that the Android manifest has the
# Internet and notification permissions and the leaflet's link filters, that the ja and
# en Localizable.strings parse and have the same keys, that Info.plist, the entitlements
# and the privacy manifest parse and carry what App Store Connect asks (no non-exempt
# encryption, the version from the build settings, the universal links' domain, no
# tracking, each collected data type with its purpose, UserDefaults with its reason),
# and that the app icon is one 1024 x 1024 PNG without alpha.
#
# Two known grammar gaps are worked around without moving any line:
# - tree-sitter-swift cannot parse UniFFI's `#if swift(>=5.8)` around a lone
#   attribute: those directive lines and their `#endif` are blanked first.
# - tree-sitter-kotlin drops the right parse inside UniFFI's long generated class
#   when its many doc comments are present: the generated binding's block comments
#   are blanked (comments only; the project's own files are parsed untouched).
#
# Run from the repository root after tests/bindings.sh; installs the parsers through
# tests/setup/treesitter.sh. Ends with "syntax: N files checked, N with errors" and
# exits 0 only when files were checked and none had errors.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! python=$(bash tests/setup/treesitter.sh); then
  echo "syntax: tests/setup/treesitter.sh failed" >&2
  echo "syntax: 0 files checked, 1 with errors"
  exit 1
fi

"$python" - <<'PY'
import json
import pathlib
import plistlib
import re
import struct
import sys
import xml.etree.ElementTree as ET

import tree_sitter as ts
import tree_sitter_kotlin
import tree_sitter_swift

KOTLIN = ts.Parser(ts.Language(tree_sitter_kotlin.language()))
SWIFT = ts.Parser(ts.Language(tree_sitter_swift.language()))
problems = []  # "file:line:col: message"
checked = 0


def blank(text):
    """The text with every character but newlines replaced by spaces."""
    return re.sub(r"[^\n]", " ", text)


def swift_without_version_directives(src):
    """Blanks `#if swift(>=5.8)` lines and the `#endif` that closes each of them."""
    lines = src.split("\n")
    stack = []
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("#if"):
            stack.append(re.fullmatch(r"#if\s+swift\(>=\s*[\d.]+\)", s) is not None)
            if stack[-1]:
                lines[i] = ""
        elif s.startswith(("#else", "#elseif")) and stack and stack[-1]:
            stack[-1] = False  # a real alternative: keep the block as it is
        elif s.startswith("#endif") and stack:
            if stack.pop():
                lines[i] = ""
    return "\n".join(lines)


def kotlin_without_block_comments(src):
    """Blanks /* … */ comments (not inside strings), keeping every line in place."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith('"""', i):
            j = src.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append(src[i:j]); i = j
        elif src[i] == '"':
            j = i + 1
            while j < n and src[j] not in '"\n':
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1]); i = j + 1
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(src[i:j]); i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth += 1; j += 2
                elif src.startswith("*/", j):
                    depth -= 1; j += 2
                else:
                    j += 1
            out.append(blank(src[i:j])); i = j
        else:
            out.append(src[i]); i += 1
    return "".join(out)


def parse(path, parser, prepare=None):
    global checked
    checked += 1
    src = path.read_text(encoding="utf-8")
    if prepare:
        src = prepare(src)
    tree = parser.parse(src.encode("utf-8"))

    def walk(node):
        if node.is_missing:
            r, c = node.start_point
            problems.append(f"{path}:{r + 1}:{c + 1}: MISSING {node.type}")
        elif node.is_error:
            r, c = node.start_point
            text = src.encode("utf-8")[node.start_byte:node.end_byte].decode("utf-8", "replace")
            first = text.split("\n", 1)[0].strip()[:60]
            problems.append(f"{path}:{r + 1}:{c + 1}: ERROR near '{first}'")
        elif node.has_error:
            for child in node.children:
                walk(child)

    walk(tree.root_node)


def files(folder, *patterns):
    base = pathlib.Path(folder)
    found = sorted({p for pattern in patterns for p in base.rglob(pattern) if p.is_file()})
    return [p for p in found if ".build" not in p.parts and "build" not in p.parts]


def require(paths, what):
    if not paths:
        problems.append(f"{what}: no files found")
    return paths


for p in require(files("android", "*.kt", "*.kts"), "android/**/*.kt"):
    parse(p, KOTLIN)
for p in require(files("ios", "*.swift"), "ios/**/*.swift"):
    parse(p, SWIFT, swift_without_version_directives)
for p in require(sorted(pathlib.Path("build/bindings/kotlin").rglob("*.kt")), "build/bindings/kotlin (run tests/bindings.sh)"):
    parse(p, KOTLIN, kotlin_without_block_comments)
for p in require(sorted(pathlib.Path("build/bindings/swift").glob("*.swift")), "build/bindings/swift (run tests/bindings.sh)"):
    parse(p, SWIFT, swift_without_version_directives)


# Android resources and manifest: well-formed, and the same strings in both languages.
def string_names(path):
    root = ET.parse(path).getroot()
    return {(e.tag, e.get("name")) for e in root if e.tag in ("string", "plurals", "string-array")}


xml_files = require(files("android", "*.xml"), "android/**/*.xml")
for p in xml_files:
    checked += 1
    try:
        ET.parse(p)
    except ET.ParseError as e:
        problems.append(f"{p}:{e.position[0]}:{e.position[1]}: XML {e}")
res = pathlib.Path("android/app/src/main/res")
for default in sorted(res.glob("values/strings.xml")):
    english = res / "values-en" / "strings.xml"
    try:
        ja, en = string_names(default), string_names(english)
    except (ET.ParseError, FileNotFoundError) as e:
        problems.append(f"{english}: {e}")
        continue
    for tag, name in sorted(ja - en):
        problems.append(f"{english}: missing {tag} '{name}' (in {default})")
    for tag, name in sorted(en - ja):
        problems.append(f"{default}: missing {tag} '{name}' (in {english})")


# Localizable.strings: "key" = "value"; entries, with comments; same keys in ja and en.
STRINGS_ENTRY = re.compile(r'\s*"((?:[^"\\]|\\.)*)"\s*=\s*"((?:[^"\\]|\\.)*)"\s*;')


def strings_keys(path):
    src = path.read_text(encoding="utf-8")
    src = re.sub(r"/\*.*?\*/", lambda m: blank(m.group(0)), src, flags=re.S)
    src = re.sub(r"//[^\n]*", "", src)
    keys, pos = {}, 0
    while src[pos:].strip():
        m = STRINGS_ENTRY.match(src, pos)
        if not m:
            line = src.count("\n", 0, pos + len(src[pos:]) - len(src[pos:].lstrip())) + 1
            problems.append(f"{path}:{line}: not a \"key\" = \"value\"; entry")
            break
        if m.group(1) in keys:
            problems.append(f"{path}:{src.count(chr(10), 0, m.start()) + 1}: duplicate key '{m.group(1)}'")
        keys[m.group(1)] = m.group(2)
        pos = m.end()
    return set(keys)


tables = {p.parent.name: p for p in files("ios", "Localizable.strings")}
for lang in ("ja.lproj", "en.lproj"):
    if lang not in tables:
        problems.append(f"ios: no {lang}/Localizable.strings")
if "ja.lproj" in tables and "en.lproj" in tables:
    checked += 2
    ja, en = strings_keys(tables["ja.lproj"]), strings_keys(tables["en.lproj"])
    for k in sorted(ja - en):
        problems.append(f"{tables['en.lproj']}: missing key '{k}'")
    for k in sorted(en - ja):
        problems.append(f"{tables['ja.lproj']}: missing key '{k}'")

    # Every key a SwiftUI view names is in the table (an interpolated key by its prefix).
    used = re.compile(r'\b(?:Text|Label|Button|Section|Toggle|TextField|SecureField|DatePicker|Picker)\("([a-z]+(?:\.[A-Za-z]+)+)( \\\(|")')
    for p in files("ios/MimamoriApp", "*.swift"):
        for n, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1):
            for key, end in used.findall(line):
                if end == '"' and key not in ja or end != '"' and not any(k.startswith(key + " ") for k in ja):
                    problems.append(f"{p}:{n}: key '{key}' is not in {tables['ja.lproj']}")

# Every R.string / R.plurals a Kotlin file names is in values/strings.xml.
default_strings = res / "values" / "strings.xml"
if default_strings.exists():
    defined = {f"{tag}.{name}" for tag, name in string_names(default_strings)}
    for p in files("android/app", "*.kt"):
        for n, line in enumerate(p.read_text(encoding="utf-8").split("\n"), 1):
            for kind, name in re.findall(r"\bR\.(string|plurals)\.(\w+)", line):
                if f"{kind}.{name}" not in defined:
                    problems.append(f"{p}:{n}: R.{kind}.{name} is not in {default_strings}")

# The Android manifest asks for what the app needs and opens the leaflet's links.
manifest = pathlib.Path("android/app/src/main/AndroidManifest.xml")
if manifest.exists():
    A = "{http://schemas.android.com/apk/res/android}"
    try:
        m = ET.parse(manifest).getroot()
        permissions = {e.get(A + "name") for e in m.iter("uses-permission")}
        for needed in ("android.permission.INTERNET", "android.permission.POST_NOTIFICATIONS"):
            if needed not in permissions:
                problems.append(f"{manifest}: no uses-permission {needed}")
        views = [f for f in m.iter("intent-filter")
                 if any(a.get(A + "name") == "android.intent.action.VIEW" for a in f.iter("action"))]
        data = [{k.replace(A, ""): v for d in f.iter("data") for k, v in d.attrib.items()} for f in views]
        if not any(d.get("scheme") == "https" and d.get("path") == "/app" for d in data):
            problems.append(f"{manifest}: no VIEW filter for https://<server>/app (the leaflet's link)")
        if not any(d.get("scheme") not in (None, "https", "http") for d in data):
            problems.append(f"{manifest}: no VIEW filter for the app's own scheme")
    except ET.ParseError:
        pass  # reported above with the other XML files

plists = {}
for p in files("ios", "*.plist", "*.entitlements", "*.xcprivacy"):
    checked += 1
    try:
        plists[p.name] = (p, plistlib.loads(p.read_bytes()))
    except Exception as e:  # noqa: BLE001 - any parse failure is a finding
        problems.append(f"{p}: plist {e}")


def store_check(name, test, why):
    """What App Store Connect asks of the app's plist NAME: TEST(plist) holds, else WHY."""
    if name not in plists:
        problems.append(f"ios/MimamoriApp/{name}: missing or unreadable ({why})")
    elif not test(plists[name][1]):
        problems.append(f"{plists[name][0]}: {why}")


store_check("Info.plist", lambda d: d.get("ITSAppUsesNonExemptEncryption") is False, "ITSAppUsesNonExemptEncryption must be false")
store_check("Info.plist", lambda d: d.get("CFBundleShortVersionString") == "$(MARKETING_VERSION)"
            and d.get("CFBundleVersion") == "$(CURRENT_PROJECT_VERSION)", "the version and build must come from the build settings")
store_check("MimamoriApp.entitlements", lambda d: any(x.startswith("applinks:") for x in d.get("com.apple.developer.associated-domains", [])),
            "the leaflet's universal links need an applinks: associated domain")
store_check("PrivacyInfo.xcprivacy", lambda d: d.get("NSPrivacyTracking") is False and d.get("NSPrivacyTrackingDomains") == [],
            "no tracking and no tracking domains")
store_check("PrivacyInfo.xcprivacy", lambda d: any(a.get("NSPrivacyAccessedAPIType") == "NSPrivacyAccessedAPICategoryUserDefaults"
                                                   and a.get("NSPrivacyAccessedAPITypeReasons") for a in d.get("NSPrivacyAccessedAPITypes", [])),
            "UserDefaults is a required-reason API: it needs its reason")
store_check("PrivacyInfo.xcprivacy", lambda d: bool(d.get("NSPrivacyCollectedDataTypes")) and all(
    {"NSPrivacyCollectedDataType", "NSPrivacyCollectedDataTypeLinked", "NSPrivacyCollectedDataTypeTracking",
     "NSPrivacyCollectedDataTypePurposes"} <= t.keys() and t["NSPrivacyCollectedDataTypePurposes"]
    for t in d["NSPrivacyCollectedDataTypes"]), "every collected data type says linked, tracking and why")

# The app icon: one 1024 x 1024 PNG without transparency (App Store Connect refuses alpha).
icon_set = pathlib.Path("ios/MimamoriApp/Assets.xcassets/AppIcon.appiconset")
try:
    checked += 1
    images = json.loads((icon_set / "Contents.json").read_text())["images"]
    png = (icon_set / next(i["filename"] for i in images if i.get("size") == "1024x1024")).read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", png[16:26])
    if png[:8] != b"\x89PNG\r\n\x1a\n" or (width, height) != (1024, 1024) or colour not in (0, 2):
        problems.append(f"{icon_set}: the icon must be a 1024 x 1024 PNG without alpha (is {width} x {height}, colour type {colour})")
except (OSError, KeyError, StopIteration, ValueError, struct.error) as e:
    problems.append(f"{icon_set}: no readable 1024 x 1024 app icon ({e})")

for line in problems:
    print(line)
bad_files = len({line.split(":", 1)[0] for line in problems})
print(f"syntax: {checked} files checked, {bad_files} with errors")
sys.exit(1 if problems or checked == 0 else 0)
PY
