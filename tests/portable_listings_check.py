#!/usr/bin/env python3
"""Checks that the listings (steps/: what a learner reads beside the book's Rust) use only standard C++
and POSIX: no header or call that only Linux has. What is Linux-only (/proc, signalfd, prctl, ...)
belongs to the test harness and its instruments (tests/), never to a listing.

    portable_listings_check.py [FOLDER]     (default: the workbook's steps/)

Prints each offending line (path:line: what) and fails if there is any.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Linux's own headers and calls (none of them in POSIX), its /proc file system, and syscall() (not in
# POSIX either; its numbers, SYS_gettid and the like, are each kernel's own).
LINUX_ONLY = {
    "a Linux header": r"#\s*include\s*<(?:linux/|sys/(?:signalfd|epoll|eventfd|inotify|timerfd|prctl|sysinfo|sendfile)\.h)",
    "a Linux call": r"\b(?:signalfd|epoll_\w+|eventfd|inotify_\w+|timerfd_\w+|prctl|gettid|sched_getaffinity|sendfile)\s*\(",
    "Linux's /proc": r"[\"']/proc/",
    "a raw system call": r"\bsyscall\s*\(",
}


def offending_lines(folder: pathlib.Path):
    for path in sorted(folder.rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".h") or not path.is_file():
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            for what, pattern in LINUX_ONLY.items():
                if re.search(pattern, line):
                    yield f"{path.relative_to(folder.parent)}:{number}: {what}: {line.strip()}"


def main() -> int:
    folder = pathlib.Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "steps"
    found = list(offending_lines(folder))
    for line in found:
        print(line)
    if found:
        print(f"FAIL: {len(found)} Linux-only line(s) in {folder.name}/: the listings use standard C++ and POSIX only")
        return 1
    print(f"ok: no Linux-only header or call in {folder.name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
