#!/usr/bin/env python3
"""The lines a learner or maintainer reads first stay within the project's width (110 columns): every
line of a `observe(...)` call (what a test says it saw, tests/support/observation.hpp) and every
`TODO(exercise)` comment line, in the C++ files git tracks and in the exercises' start files where
the exercise engine makes them (exercise_starts). A check that cannot fail proves nothing:
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
    """The C++ files git tracks; in a copy of the tree without its own .git (the mutation audit's
    scratch copy), every C++ file outside the build folders."""
    top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                         text=True)
    if top.returncode == 0 and pathlib.Path(top.stdout.strip()).resolve() == root.resolve():
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, text=True,
                                check=True).stdout.split("\0")
    else:
        listed = [str(path.relative_to(root)) for path in root.rglob("*")
                  if not path.relative_to(root).parts[0].startswith(("build", ".git"))]
    return [name for name in listed if name.endswith(SOURCES) and (root / name).is_file()]


def exercise_starts(root):
    """The start files `./workbook exercise ID` writes, {name: text}, where the exercise engine makes
    them from each exercise's metadata (tests/exercises/exercise.py: exercises(), start_files(e));
    None where it has no such functions (then the starts are tracked files, checked as such)."""
    sys.dont_write_bytecode = True
    sys.path.insert(0, str(root / "tests" / "exercises"))
    try:
        import exercise  # noqa: PLC0415 - the engine of this tree, found only here
    except ImportError:
        return None
    if not (hasattr(exercise, "exercises") and hasattr(exercise, "start_files")):
        return None
    return {f"{exercise.rel(e.folder)}/{name} (the start)": text
            for e in exercise.exercises() for name, text in exercise.start_files(e).items()}



def line_of(columns, start, end):
    return start + "x" * (columns - len(start) - len(end)) + end


# Each planted text has one fault the check must name: a line one column too long. The widths are written
# out, not taken from WIDTH, so that a loosened WIDTH or an off-by-one shows.
PLANTED = {
    "one-line-observe.cpp": line_of(111, '    observe({.saw = "', '", .shows = "y", .expected = "z"});') + "\n",
    "wrapped-observe.cpp": '    observe({.saw = "a",\n' + line_of(111, '             .shows = "', '",') + "\n"
                           '             .expected = "z"});\n',
    "long-todo.cpp": line_of(111, "    // TODO(exercise): ", ".") + "\n",
}
# ... and the same lines at exactly the width, which it must accept.
AT_THE_WIDTH = ('    observe({.saw = "a",\n' + line_of(110, '             .shows = "', '",') + "\n"
                '             .expected = "z"});\n' + line_of(110, "    // TODO(exercise): ", ".") + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    failures = [problem for name in tracked_sources(args.root)
                for problem in problems(name, (args.root / name).read_text(errors="replace"))]
    starts = exercise_starts(args.root)
    failures += [problem for name, text in (starts or {}).items() for problem in problems(name, text)]
    for name, text in PLANTED.items():
        if not any(problems(name, text)):
            failures.append(f"the check accepts {name}, a long line it must refuse")
    if any(problems("at-the-width.cpp", AT_THE_WIDTH)):
        failures.append("the check refuses observe(...) and TODO lines of exactly 110 columns")
    if any(problems("short.cpp", '    observe({.saw = "(", .shows = ")",\n             .expected = "z"});\n'
                    + "x" * 200 + "\n")):
        failures.append("the check refuses a long line after an observe(...) call has ended")
    where = "the tracked C++ files" + (f" and {len(starts)} exercise starts" if starts is not None else "")
    print("\n".join(failures) if failures
          else f"ok: every observe(...) and {TODO} line of {where} within {WIDTH} columns")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
