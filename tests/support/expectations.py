"""The check scripts' `expect`: a line per check (`ok:` or `FAIL:`), each failure kept in `failures` for
the script's summary. Under the mutation audit (GTEST_FAIL_FAST=1, which tests/mutations/mutate.py sets
and gtest reads) the first failure ends the script with status 1: one failure kills a row, and the
checks after it would only cost time."""
import os
import sys

failures = []
FAIL_FAST = os.environ.get("GTEST_FAIL_FAST") == "1"


def expect(condition, what, shown=""):
    """Says whether `condition` holds; on a failure, `shown` (its last 4000 characters) is printed under
    it, indented."""
    print(("ok:   " if condition else "FAIL: ") + what, flush=True)
    if condition:
        return
    failures.append(what)
    if shown:
        print("      " + shown[-4000:].replace("\n", "\n      "), flush=True)
    if FAIL_FAST:
        print("stopped at the first failure (GTEST_FAIL_FAST=1: the mutation audit)", flush=True)
        sys.exit(1)
