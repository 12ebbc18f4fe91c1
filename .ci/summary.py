"""The closing line of a CI run: the test suites' totals, read from the JUnit XML files pytest wrote.

The last lines CI prints are otherwise schemathesis' summary, which reads like a test runner's closing line with no
test in it; this puts the counts of the real test runs last, as a plain `N passed, N failed, N skipped` line.
Exits 1 when a file is missing or empty, or when anything failed, so that a run that tested nothing cannot pass.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def totals(path: Path) -> tuple[int, int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests - failed - skipped, failed, skipped


def main(paths: list[str]) -> int:
    passed = failed = skipped = 0
    for name in paths:
        path = Path(name)
        if not path.is_file():
            print(f"missing test report: {path}", file=sys.stderr)
            return 1
        p, f, s = totals(path)
        print(f"{path.name}: {p} passed, {f} failed, {s} skipped")
        if p == 0:
            print(f"{path}: no test passed", file=sys.stderr)
            return 1
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"tests: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
