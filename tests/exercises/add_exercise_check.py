#!/usr/bin/env python3
"""Adding an exercise takes at most three hand-written files (docs/developing.md, "Adding an exercise"):
in a scratch copy of the workbook, a dummy exercise on stage 01 (which has none) is added by writing its
row into the stage's listings.tsv and its exercise-01/exercise.md, nothing else; then `./workbook
exercise 01` lists it, writes its start (listing 21-10 with the TODO), passes it (the start is the
listing itself, which its check judges), and, once the learner's file is broken, fails it saying the
exercise.md's sentence.
"""
import os
import pathlib
import subprocess
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
sys.dont_write_bytecode = True
from exercise_selftest import expect, failures  # noqa: E402  (the engine's self-test's way of saying)
from scratch_tree import ROOT, ScratchTree  # noqa: E402

TREE = ScratchTree("build-add-exercise")  # the copy, build-add-exercise/tree (tests/support/scratch_tree.py)
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

def workbook(copy, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBOOK_BUILD_ROOT", "MESON_TEST_ITERATION")}
    done = subprocess.run([str(copy / "workbook"), *args], cwd=copy, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace")
    return done.returncode, done.stdout


def main():
    copy = TREE.source
    stage = copy / "steps" / "01-single-threaded"
    table = (ROOT / "steps" / "01-single-threaded" / "listings.tsv").read_text()
    TREE.sync({"steps/01-single-threaded/listings.tsv": table + ROW,  # the hand-written files
               "steps/01-single-threaded/exercise-01/exercise.md": EXERCISE_MD})
    (copy / "build-exercise" / "state.json").unlink(missing_ok=True)  # the last run's results

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
    # Counted after everything ran, less the learner's file (`./workbook exercise` wrote it).
    learners_file = "steps/01-single-threaded/exercise-01/main.cpp"
    expect(*TREE.hand_written_verdict(MOST_FILES, generated={learners_file}))
    print(f"adding an exercise: {'FAILED: ' + str(len(failures)) if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
