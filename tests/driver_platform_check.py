#!/usr/bin/env python3
"""The driver on a system that is not Linux (a `uname` that answers Darwin, first on PATH): a command
that needs the tests or the instruments says why, before it builds anything; one that needs neither
(help) works."""
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    with tempfile.TemporaryDirectory() as folder:
        uname = pathlib.Path(folder) / "uname"
        uname.write_text("#!/bin/sh\necho Darwin\n")
        uname.chmod(0o755)
        env = dict(os.environ, PATH=f"{folder}:{os.environ['PATH']}")
        failures = []
        # `sanitize` without a kind: were the platform not checked first, its usage line would be the answer.
        run = subprocess.run([str(ROOT / "workbook"), "sanitize"], capture_output=True, text=True, env=env)
        print(run.stderr.strip())
        if run.returncode != 2 or "needs Linux" not in run.stderr or "/proc" not in run.stderr:
            failures.append(f"`./workbook sanitize` on Darwin: status {run.returncode}, stderr {run.stderr!r}")
        run = subprocess.run([str(ROOT / "workbook"), "help"], capture_output=True, text=True, env=env)
        if run.returncode != 0 or "Usage:" not in run.stdout:
            failures.append(f"`./workbook help` on Darwin: status {run.returncode}, stderr {run.stderr!r}")
    for failure in failures:
        print("FAIL:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
