#!/usr/bin/env python3
"""Checks what `./workbook setup` says on a system without apt-get: the packages it lacks, named as
dnf, pacman and Homebrew name them. The driver runs with a PATH of only the few tools it calls (bash
and coreutils), so every package found by its command (meson, ninja, g++, ..., and Clang for
CXX=clang++-16) is missing; those found by a file (GoogleTest's and Asio's headers, MkDocs' theme) are
left as the machine has them.

    setup_names_check.py
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOLS = ["bash", "dirname", "tr", "sort", "paste"]  # what the driver runs before it stops
# Each manager's names for the packages found by a command (Debian's: meson ninja-build g++ pkg-config
# python3 patch git clang-tidy mkdocs clang-16), then for those found by a file, which may be missing too
# (GoogleTest's and Asio's headers, the Material theme's and pymdown-extensions' files).
EXPECTED = {
    "sudo dnf install": ("meson ninja-build gcc-c++ pkgconf-pkg-config python3 patch git "
                         "clang-tools-extra mkdocs clang",
                         "gtest-devel asio-devel mkdocs-material python3-pymdown-extensions"),
    "sudo pacman -S --needed": ("meson ninja gcc pkgconf python patch git mkdocs clang",
                                "gtest asio mkdocs-material python-pymdown-extensions"),
    "brew install": ("meson ninja gcc pkg-config python patch git mkdocs llvm",
                     "googletest asio mkdocs-material python3-pymdownx"),
}


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        for tool in TOOLS:
            os.symlink(shutil.which(tool), os.path.join(folder, tool))
        run = subprocess.run([os.path.join(folder, "bash"), str(ROOT / "workbook"), "setup"],
                             capture_output=True, text=True, timeout=60,
                             env={"PATH": folder, "CXX": "clang++-16", "LC_ALL": "C"})
    failures = []
    if run.returncode == 0 or "this system has no apt-get" not in run.stderr:
        failures.append(f"setup should stop, saying the system has no apt-get (status {run.returncode})")
    for command, (names, header_names) in EXPECTED.items():
        line = re.search(rf"^\s*\w+:\s+{re.escape(command)} (.*)$", run.stderr, re.MULTILINE)
        shown = set(line.group(1).split()) if line else set()
        if not set(names.split()) <= shown or not shown <= set(names.split()) | set(header_names.split()):
            failures.append(f"`{command}` should name {sorted(names.split())} (and any of {header_names} this "
                            f"machine lacks); it names {sorted(shown)}")
    for failure in failures:
        print("FAIL:", failure)
    if failures:
        print("what setup said:\n" + run.stderr)
        return 1
    print("ok: " + "; ".join(f"{command} {names}" for command, (names, _) in EXPECTED.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
