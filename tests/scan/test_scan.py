#!/usr/bin/env python3
"""The scanner's own test: a log with a planted personal value of each kind fails the
scan (without printing the value), a clean log passes, and values the suites write
(the demo's input IDs, mailed codes) are picked up."""

import pathlib
import subprocess
import sys
import tempfile
import unittest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import scan  # noqa: E402

PLANTED = {
    "fixture password": "login with Kumo-no-ue-9 failed",
    "demo name": "case 山田 太郎 saved",
    "fixture name": "patient 木村 由紀 registered",
    "e-mail": "sent to hanako@example.jp",
    "phone": "calling 090-1234-5678",
    "bearer token": "authorization: Bearer Qx3v_8Zk1mN0pLr2sT4uVw6yA9bC5dE7fG-hJ_kLmN",
    "cookie": "cookie mimamori_staff=Qx3v_8Zk1mN0pLr2sT4uVw6yA9bC5dE7fG",
}
CLEAN = "test result: ok. 12 passed; 0 failed; finished in 0.51s\nGET /api/v1/cases/{id} 404 3ms\n"


def run(*files):
    return subprocess.run([sys.executable, str(HERE / "scan.py"), "--root", str(ROOT), *map(str, files)], capture_output=True, text=True)


class ScanTest(unittest.TestCase):
    def test_every_kind_planted_in_a_log_fails_the_scan_without_printing_it(self):
        with tempfile.TemporaryDirectory() as d:
            for kind, line in PLANTED.items():
                log = pathlib.Path(d) / "suite.log"
                log.write_text(CLEAN + line + "\n", encoding="utf-8")
                r = run(log)
                self.assertEqual(r.returncode, 1, f"{kind}: {r.stdout}")
                self.assertIn("suite.log:3:", r.stdout, kind)
                secret = line.split()[-1]
                self.assertNotIn(secret, r.stdout, f"{kind}: the report repeats the value")

    def test_a_clean_log_passes(self):
        with tempfile.TemporaryDirectory() as d:
            log = pathlib.Path(d) / "suite.log"
            log.write_text(CLEAN, encoding="utf-8")
            r = run(log)
            self.assertEqual(r.returncode, 0, r.stdout)

    def test_values_the_suites_write_are_known(self):
        with tempfile.TemporaryDirectory() as d:
            root = pathlib.Path(d)
            art = root / "build/test-artifacts/browser"
            art.mkdir(parents=True)
            (art / "demo.txt").write_text("  case 3 kind infected input ID 4830217\n", encoding="utf-8")
            mail = root / "build/mail"
            mail.mkdir(parents=True)
            (mail / "a.eml").write_text("Subject: code\n\n確認コード: 583920\n", encoding="utf-8")
            vals = scan.written_values(root)
            self.assertIn(("input ID", "4830217"), vals)
            self.assertIn(("code", "583920"), vals)
            log = root / "x.log"
            log.write_text("reading input 4830217\n", encoding="utf-8")
            self.assertTrue(scan.scan([log], vals))


if __name__ == "__main__":
    unittest.main()
