#!/usr/bin/env python3
"""Runs clang-tidy with the given checks on C++ sources and asserts what it reports.

    clang_tidy_check.py --checks CHECKS (--expect TEXT... | --expect-clean) [--print]
                        [--clang-tidy PROGRAM] SOURCE... -- COMPILER_FLAGS...

--expect TEXT      every TEXT must appear in clang-tidy's (normalised) output; repeatable.
--expect-clean     no warning from the enabled checks may appear.
--print            write the normalised output to stdout and pass.

The check fails when clang-tidy cannot parse a source (a clang `error:`), and when a check named in
CHECKS is unknown to this clang-tidy: both would otherwise make --expect-clean pass without looking.
COMPILER_FLAGS go to clang as they are; give the language level and include folders explicitly, e.g.
`-- -std=c++2b -I common -I steps/04-channel/listing-21-17` (clang 14 knows C++23 as c++2b).
Paths are resolved from the workbook's root and shown relative to it, as tests/compile_fail.py does.
"""
import argparse
import re
import shutil
import subprocess
import sys

from compile_fail import ROOT, normalise

# `path:line:col: warning: message [check-name]` for the warnings a check reports.
CHECK_WARNING = re.compile(r"^\S+:\d+:\d+: warning: .*\[([\w.,-]+)\]$", re.MULTILINE)
COMPILE_ERROR = re.compile(r"^\S+:\d+:\d+: (?:fatal )?error: .*$", re.MULTILINE)


def find_clang_tidy(wanted: str | None) -> str:
    candidates = [wanted] if wanted else ["clang-tidy", "clang-tidy-14", "clang-tidy-15", "clang-tidy-16"]
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    sys.exit(f"clang_tidy_check.py: no clang-tidy found (tried {', '.join(candidates)}); "
             "install it: ./workbook setup")


def unknown_checks(clang_tidy: str, checks: list[str]) -> list[str]:
    listed = subprocess.run([clang_tidy, "--checks=-*," + ",".join(checks), "--list-checks"],
                            capture_output=True, text=True).stdout.split()
    return [check for check in checks if "*" not in check and check not in listed]


def run(clang_tidy: str, checks: list[str], source: str, flags: list[str]) -> str:
    command = [clang_tidy, "--quiet", "--checks=-*," + ",".join(checks), source, "--"] + flags
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    return normalise(done.stdout + done.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", required=True, help="comma-separated clang-tidy checks")
    parser.add_argument("--expect", action="append", default=[], metavar="TEXT")
    parser.add_argument("--expect-clean", action="store_true")
    parser.add_argument("--print", action="store_true")
    parser.add_argument("--clang-tidy", dest="clang_tidy")
    parser.add_argument("sources", nargs="+", metavar="SOURCE")
    parser.add_argument("flags", nargs=argparse.REMAINDER)
    args = parser.parse_args(sys.argv[1:sys.argv.index("--")] if "--" in sys.argv else sys.argv[1:])
    flags = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    if not args.print and bool(args.expect) == args.expect_clean:
        parser.error("give --expect TEXT (one or more) or --expect-clean")

    clang_tidy = find_clang_tidy(args.clang_tidy)
    checks = [check.strip() for check in args.checks.split(",") if check.strip()]
    unknown = unknown_checks(clang_tidy, checks)
    if unknown:
        print(f"FAIL: {clang_tidy} does not know the check(s): {', '.join(unknown)}")
        return 1

    output = "".join(run(clang_tidy, checks, source, flags) for source in args.sources)
    if args.print:
        sys.stdout.write(output)
        return 0
    errors = COMPILE_ERROR.findall(output)
    if errors:
        print("FAIL: clang-tidy could not compile the source, so its checks saw nothing:\n  "
              + "\n  ".join(errors))
        return 1
    if args.expect_clean:
        warnings = [match.group(0) for match in CHECK_WARNING.finditer(output)]
        if warnings:
            print("FAIL: expected no warnings, got:\n  " + "\n  ".join(warnings) + "\n\n" + output)
            return 1
        print(f"ok: {', '.join(checks)} report nothing in {', '.join(args.sources)}")
        return 0
    missing = [text for text in args.expect if text not in output]
    if missing:
        print("FAIL: clang-tidy did not report:\n  " + "\n  ".join(missing) + "\nIts output was:\n" + output)
        return 1
    print("ok: clang-tidy reports:\n  " + "\n  ".join(args.expect))
    return 0


if __name__ == "__main__":
    sys.exit(main())
