#!/usr/bin/env python3
"""Prints one line per failed test in a Meson test log (build/meson-logs/*.json, one JSON object a line):
the Meson test's name, then, for a GoogleTest executable, one line per failed test case under it
("NAME: Suite.Case"). `./workbook test --repeat` counts these lines across runs."""
import json
import re
import sys

PASSED = {"OK", "SKIP", "EXPECTEDFAIL"}


def failures(log_path):
    with open(log_path, encoding="utf-8", errors="replace") as log:
        for line in log:
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.get("result") in PASSED:
                continue
            name = entry.get("name", "?")
            yield f"{name} [{entry.get('result')}]"
            cases = re.findall(r"^\[  FAILED  \] (\S+\.\S+)(?: \(\d+ ms\)|, where .*)?$", entry.get("stdout") or "", re.M)
            for case in dict.fromkeys(cases):  # gtest lists each failure twice (as it ends, and in the summary)
                yield f"{name}: {case}"


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: testlog_failures.py build/meson-logs/testlog.json")
    for failure in failures(sys.argv[1]):
        print(failure)
