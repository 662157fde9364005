#!/usr/bin/env python3
"""Adding an exercise takes at most three hand-written files (docs/developing.md, "Adding an exercise"):
in a scratch copy of the workbook, a dummy exercise on stage 01 (which has none) is added by writing its
row into the stage's listings.tsv and its exercise-01/exercise.md, nothing else; then `./workbook
exercise 01` lists it, writes its start (listing 21-10 with the TODO), passes it (the start is the
listing itself, which its check judges), and, once the learner's file is broken, fails it saying the
exercise.md's sentence.

    add_exercise_check.py [SCRATCH_FOLDER]     (a temporary folder by default; the copy is left there)
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
from exercise_selftest import expect, failures  # noqa: E402  (the engine's self-test's way of saying)

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
MOST_FILES = 3  # the bound for an exercise
CHECK = "01-server"  # the key of listing 21-10's server test
SENTENCE = "the dummy exercise's server does not answer / with hello.html"

ROW = "01\texercise-01\texercise\tA dummy exercise (the scratch test of adding one)\n"
EXERCISE_MD = f"""builds-on: 21-10
replaces: 21-10
edits: main.cpp
check: {CHECK}
missing: *
    {SENTENCE}

## TODO(exercise) in main.cpp, above `handle_connection(std::move(stream));`

nothing to do: this exercise's start is the listing itself.

## Hint 1

a

## Hint 2

b

## Hint 3

c
"""

def copy_tree(target):
    """The workbook's files (tracked, and untracked ones git does not ignore), without build folders."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-co", "--exclude-standard", "-z"],
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not name.startswith("build"):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)


def workbook(copy, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBOOK_BUILD_ROOT", "MESON_TEST_ITERATION")}
    done = subprocess.run([str(copy / "workbook"), *args], cwd=copy, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")
    return done.returncode, done.stdout


def main(argv):
    copy = pathlib.Path(argv[0]) if argv else pathlib.Path(tempfile.mkdtemp(prefix="add-exercise-"))
    copy.mkdir(parents=True, exist_ok=True)
    copy_tree(copy)
    stage = copy / "steps" / "01-single-threaded"
    written = [stage / "listings.tsv", stage / "exercise-01" / "exercise.md"]  # the hand-written files
    with open(written[0], "a") as table:
        table.write(ROW)
    written[1].parent.mkdir()
    written[1].write_text(EXERCISE_MD)
    expect(len(written) <= MOST_FILES, f"the exercise is added by {len(written)} hand-written files (at most "
           f"{MOST_FILES})")

    status, said = workbook(copy, "exercise")
    expect(status == 0 and "A dummy exercise" in said and "not started" in said,
           "`./workbook exercise` lists the new exercise, not started", said)
    status, said = workbook(copy, "exercise", "01")
    start = stage / "exercise-01" / "main.cpp"
    expect(status == 0 and "Your start is written" in said and start.is_file()
           and "// TODO(exercise): nothing to do" in start.read_text(),
           "`./workbook exercise 01` writes the start: listing 21-10's main.cpp with the TODO", said)
    status, said = workbook(copy, "exercise", "01")
    expect(status == 0 and "exercise 01: PASSING" in said,
           "`./workbook exercise 01` checks the start (listing 21-10 itself) and passes it", said)
    start.write_text(start.read_text().replace('"hello.html"', '"nothing-here.html"'))
    status, said = workbook(copy, "exercise", "01")
    expect(status == 1 and "exercise 01: FAILING" in said and f"Missing: {SENTENCE}" in said,
           "a broken start fails, saying the exercise.md's sentence", said)
    if not argv and not failures:
        shutil.rmtree(copy, ignore_errors=True)
    print(f"adding an exercise: {'FAILED: ' + str(len(failures)) if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
