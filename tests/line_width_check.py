#!/usr/bin/env python3
"""The lines a learner or maintainer reads first stay within the project's width (110 columns): every
line of a `observe(...)` call (what a test says it saw, tests/support/observation.hpp) and every
`TODO(exercise)` comment line, in the C++ files git tracks. A check that cannot fail proves nothing:
it must also refuse the long lines it plants.

    line_width_check.py [--root ROOT]
"""
import argparse
import pathlib
import re
import subprocess
import sys

WIDTH = 110
SOURCES = (".cpp", ".hpp", ".h")
OBSERVE = re.compile(r"\bobserve\(")
TODO = "TODO(exercise)"
STRING_OR_CHAR = re.compile(r'R"\((?:.|\n)*?\)"|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')


def call_lines(lines, first):
    """The line numbers (0-based) of the call whose `observe(` is on lines[first]: to its closing
    parenthesis, string and character literals left out of the count."""
    depth, started = 0, False
    for number in range(first, len(lines)):
        text = lines[number]
        if number == first:
            text = text[OBSERVE.search(text).start():]
        text = STRING_OR_CHAR.sub('""', text).split("//", 1)[0]
        for char in text:
            if char == "(":
                depth, started = depth + 1, True
            elif char == ")":
                depth -= 1
                if started and depth == 0:
                    return range(first, number + 1)
    return range(first, len(lines))


def problems(name, text):
    lines = text.split("\n")
    long_lines = set()
    for number, line in enumerate(lines):
        if TODO in line and len(line) > WIDTH:
            long_lines.add((number, TODO))
        if OBSERVE.search(line) and not line.lstrip().startswith("//"):
            long_lines.update((n, "observe(") for n in call_lines(lines, number) if len(lines[n]) > WIDTH)
    for number, what in sorted(long_lines):
        yield f"{name}:{number + 1}: {len(lines[number])} columns, in a {what} line (at most {WIDTH})"


def tracked_sources(root):
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, text=True,
                            check=True).stdout.split("\0")
    return [name for name in listed if name.endswith(SOURCES) and (root / name).is_file()]


# Each planted text has one fault the check must name.
PLANTED = {
    "one-line-observe.cpp": '    observe({.saw = "' + "x" * 100 + '", .shows = "y", .expected = "z"});\n',
    "wrapped-observe.cpp": '    observe({.saw = "a",\n             .shows = "' + "y" * 100 + '",\n'
                           '             .expected = "z"});\n',
    "long-todo.cpp": "    // TODO(exercise): " + "make each Worker loop " * 5 + "\n",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    failures = [problem for name in tracked_sources(args.root)
                for problem in problems(name, (args.root / name).read_text(errors="replace"))]
    for name, text in PLANTED.items():
        if not any(problems(name, text)):
            failures.append(f"the check accepts {name}, a long line it must refuse")
    if any(problems("short.cpp", '    observe({.saw = "(", .shows = ")",\n             .expected = "z"});\n'
                    + "x" * 200 + "\n")):
        failures.append("the check refuses a long line after an observe(...) call has ended")
    print("\n".join(failures) if failures else f"ok: every observe(...) and {TODO} line within {WIDTH} columns")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
