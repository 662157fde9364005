#!/usr/bin/env python3
"""Compile-checks a listing that must not compile, and matches the diagnostic that plays rustc's part.
The one definition of "compile this listing and show the compiler's diagnostic": Meson's compile-fail
tests, `./workbook run` of a listing that does not compile and docs/regenerate.py's `diagnostic` key
all run it.

    compile_fail.py --expect EXPECTED [--print] [--compiler CXX] [-- [EXTRA_FLAG...] SOURCE_OR_FOLDER...]
    compile_fail.py --family [--compiler CXX]

Each SOURCE is compiled on its own (-fsyntax-only) with FLAGS below (and any EXTRA_FLAG); a FOLDER (a
listing's folder) stands for its *.cpp, in name order. CXX defaults to $CXX, else g++; it is GCC or
Clang, whose diagnostics differ, so a listing keeps one expected diagnostic per compiler family
(`expected-diagnostic.g++.txt`, `expected-diagnostic.clang++.txt`) and the caller passes the one of
the compiler it names. The check passes only if the compiler fails and every non-empty line of
EXPECTED appears in its diagnostics (paths shown relative to the workbook's root, no colour).
EXPECTED must name at least one error (a line with "error"): an empty one is refused. A non-zero exit
for any other reason - a missing file, a different error - fails.
--print writes the normalised diagnostics to stdout (the docs' regeneration script quotes them).
--family prints the compiler's family, `g++` or `clang++` (what the driver and the docs call it).
"""
import argparse
import os
import pathlib
import re
import shlex
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The flag set every compile check uses, after the language standard (standard_flag).
FLAGS = ["-Wall", "-Wextra", "-I" + str(ROOT / "common")]


def compiler_version(compiler: list[str]) -> str:
    run = subprocess.run(compiler + ["--version"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"compile_fail.py: `{' '.join(compiler)} --version` failed: {run.stderr.strip()}")
    return run.stdout


def family(compiler: list[str]) -> str:
    """`clang++` for Clang (Apple's too), else `g++`."""
    return "clang++" if "clang version" in compiler_version(compiler) else "g++"


def standard_flag(compiler: list[str]) -> str:
    """C++23: Clang before 17 knows it only by its draft name, c++2b (as meson.build chooses)."""
    clang = re.search(r"clang version (\d+)", compiler_version(compiler))
    return "-std=c++2b" if clang and int(clang.group(1)) < 17 else "-std=c++23"


def normalise(text: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*[mK]", "", text)
    text = text.replace(str(ROOT) + "/", "")
    # Clang names the standard headers through its own folder (/usr/bin/../lib/gcc/…/../../../../include):
    # the shortest form of a path, as g++ shows it.
    text = re.sub(r"/[^\s:'\"]*/\.\./[^\s:'\"]*", lambda path: os.path.normpath(path.group(0)), text)
    return text


def fold_quotes(text: str) -> str:
    """Where no UTF-8 locale exists g++ still prints '' quotes; match either way."""
    return text.replace("\u2018", "'").replace("\u2019", "'")


def listing_sources(arg: str) -> list[str]:
    path = pathlib.Path(arg)
    return sorted(str(source) for source in path.glob("*.cpp")) if path.is_dir() else [arg]


def diagnostics(compiler: list[str], command: list[str]) -> tuple[bool, str]:
    flags = compiler + [standard_flag(compiler)] + FLAGS + [arg for arg in command if arg.startswith("-")]
    sources = [source for arg in command if not arg.startswith("-") for source in listing_sources(arg)]
    if not sources:
        sys.exit("compile_fail.py: no .cpp source given")
    failed = False
    output = []
    for source in sources:
        if not pathlib.Path(source).is_file():
            sys.exit(f"compile_fail.py: no such source: {source}")
        # g++ quotes names with ‘’ in a UTF-8 locale and '' otherwise: pin the locale so that the
        # output (which the docs quote) does not depend on the caller's. (Clang always writes ''.)
        run = subprocess.run(flags + ["-fsyntax-only", "-fdiagnostics-color=never", source],
                             capture_output=True, text=True, cwd=ROOT, env={**os.environ, "LC_ALL": "C.UTF-8"})
        failed |= run.returncode != 0
        output.append(normalise(run.stderr))
    return failed, "".join(output)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect", type=pathlib.Path)
    parser.add_argument("--print", action="store_true")
    parser.add_argument("--family", action="store_true")
    parser.add_argument("--compiler", default=os.environ.get("CXX", "g++"),
                        help="the compiler command (may hold several words, e.g. 'ccache g++')")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if args.family:
        print(family(shlex.split(args.compiler)))
        return 0
    failed, text = diagnostics(shlex.split(args.compiler), command)
    if args.print:
        sys.stdout.write(text)
        return 0
    if not failed:
        print("FAIL: the listing compiled, but it must not")
        return 1
    if args.expect is None:
        sys.exit("compile_fail.py: --expect EXPECTED is required (without it any compile failure would pass)")
    expected = [line.strip() for line in args.expect.read_text().splitlines() if line.strip()]
    if not any("error" in line for line in expected):
        # An empty (or error-less) expectation would accept any failure, even a typo in the listing.
        print(f"FAIL: {args.expect} names no error: it must hold the diagnostic's error line(s)")
        return 1
    missing = [line for line in expected if fold_quotes(line) not in fold_quotes(text)]
    if missing:
        print("FAIL: the compiler failed, but not with the expected diagnostic.")
        print("Missing:\n  " + "\n  ".join(missing))
        print("Diagnostics were:\n" + text)
        return 1
    print("ok: fails to compile with:\n  " + "\n  ".join(expected))
    return 0


if __name__ == "__main__":
    sys.exit(main())
