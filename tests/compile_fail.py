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
With $WORKBOOK_BUILD_ROOT set, a compile's diagnostic is kept there and reused while nothing it read has
changed (CompileCache).
--family prints the compiler's family, `g++` or `clang++` (what the driver and the docs call it).
"""
import argparse
import hashlib
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

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


def file_digest(path: str) -> str | None:
    try:
        return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def read_depfile(path: pathlib.Path) -> list[str]:
    """The files a compile read, from the make rule g++/clang++ write with -MD (even when it fails)."""
    text = path.read_text().replace("\\\n", " ")
    return text.split(":", 1)[1].split() if ":" in text else []


class CompileCache:
    """One compile's exit status and diagnostics, kept under the build folder ($WORKBOOK_BUILD_ROOT) and
    reused only while the compiler and every file the compile read (the listing, common/'s headers,
    the standard library's) are byte for byte the same: the compile-fail tests and the docs' quotes of
    the same listing compile it once a change, and an edited file still makes a fresh compile. The
    diagnostics are kept as the compiler wrote them and normalised when used, so that an edit to
    normalise() applies to the kept ones too (in NAME.stderr.json files: an entry of the earlier
    format, NAME.json, held normalised text)."""

    def __init__(self, compiler: list[str]):
        build_root = os.environ.get("WORKBOOK_BUILD_ROOT")
        self.folder = pathlib.Path(build_root) / "compile-fail-cache" if build_root else None
        driver = shutil.which(compiler[-1]) if compiler else None
        self.compiler_files = [driver] if driver else []

    def entry(self, arguments: list[str]) -> pathlib.Path | None:
        if self.folder is None:
            return None
        return self.folder / (hashlib.sha256(repr(arguments).encode()).hexdigest()[:24] + ".stderr.json")

    def lookup(self, arguments: list[str]) -> tuple[int, str] | None:
        entry = self.entry(arguments)
        if entry is None or not entry.is_file():
            return None
        try:
            kept = json.loads(entry.read_text())
        except (OSError, ValueError):
            return None
        if any(file_digest(path) != digest for path, digest in kept["read"].items()):
            return None
        return kept["status"], kept["stderr"]

    def store(self, arguments: list[str], depfile: pathlib.Path, status: int, stderr: str) -> None:
        entry = self.entry(arguments)
        if entry is None or not depfile.is_file():
            return
        read = {}
        for path in self.compiler_files + [str(ROOT / dep) if not dep.startswith("/") else dep
                                           for dep in read_depfile(depfile)]:
            read[path] = file_digest(path)
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps({"read": read, "status": status, "stderr": stderr}))
        partial.replace(entry)  # atomic: a concurrent reader sees the old entry or the new one


def compile_one(cache: CompileCache, arguments: list[str]) -> tuple[int, str]:
    kept = cache.lookup(arguments)
    if kept is None:
        with tempfile.TemporaryDirectory() as scratch:
            depfile = pathlib.Path(scratch) / "read.d"
            # g++ quotes names with ‘’ in a UTF-8 locale and '' otherwise: pin the locale so that the
            # output (which the docs quote) does not depend on the caller's. (Clang always writes ''.)
            run = subprocess.run(arguments + ["-MD", "-MF", str(depfile)], capture_output=True, text=True,
                                 cwd=ROOT, env={**os.environ, "LC_ALL": "C.UTF-8"})
            cache.store(arguments, depfile, run.returncode, run.stderr)
        kept = run.returncode, run.stderr
    status, stderr = kept
    return status, normalise(stderr)


def diagnostics(compiler: list[str], command: list[str]) -> tuple[bool, str]:
    flags = compiler + [standard_flag(compiler)] + FLAGS + [arg for arg in command if arg.startswith("-")]
    sources = [source for arg in command if not arg.startswith("-") for source in listing_sources(arg)]
    if not sources:
        sys.exit("compile_fail.py: no .cpp source given")
    failed = False
    output = []
    cache = CompileCache(compiler)
    for source in sources:
        if not pathlib.Path(source).is_file():
            sys.exit(f"compile_fail.py: no such source: {source}")
        status, text = compile_one(cache, flags + ["-fsyntax-only", "-fdiagnostics-color=never", source])
        failed |= status != 0
        output.append(text)
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
