#!/usr/bin/env python3
"""`steps/listings.py validate` fails on each malformed table and names the fault: each case below is
planted in a fresh scratch copy of steps/ (the tables, their folders and the module), whose validate
must then say exactly the problems the case expects (the copy as it is must validate clean first, or a
fault could pass unseen among others)."""
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
TABLE_06 = "06-working-pool/listings.tsv"
TABLE_01 = "01-single-threaded/listings.tsv"


def append_row(steps, table, row):
    path = steps / table
    path.write_text(path.read_text() + row + "\n")


def replace(steps, table, old, new):
    path = steps / table
    text = path.read_text()
    assert text.count(old) == 1, f"{table}: {old!r} is not there once"
    path.write_text(text.replace(old, new))


def copy_listing(steps, source, target):
    shutil.copytree(steps / source, steps / target)


# name, what to plant, the words each expected problem line holds (one line per problem)
CASES = [
    ("folder without a row",
     lambda steps: copy_listing(steps, "01-single-threaded/listing-21-10", "06-working-pool/listing-21-99"),
     [["06-working-pool/listings.tsv", "folder 06-working-pool/listing-21-99 has no row"]]),
    ("row without a folder",
     lambda steps: append_row(steps, TABLE_06, "21-98\tlisting-21-98\truns\tA row whose folder is missing"),
     [["06-working-pool/listings.tsv:", "21-98: no folder 'listing-21-98'"]]),
    ("unknown kind",
     lambda steps: replace(steps, TABLE_01, "21-10\tlisting-21-10\truns\t", "21-10\tlisting-21-10\trunning\t"),
     [["01-single-threaded/listings.tsv:2", "21-10: unknown kind 'running'"]]),
    ("duplicate id",
     lambda steps: (copy_listing(steps, "06-working-pool/listing-21-20", "07-while-let-bug/listing-21-20"),
                    append_row(steps, "07-while-let-bug/listings.tsv", "21-20\tlisting-21-20\truns\tAgain")),
     [["07-while-let-bug/listings.tsv:", "duplicate id '21-20'", "first at steps/06-working-pool/listings.tsv:2"]]),
    ("malformed id: not lowercase words joined by '-'",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/Fast_21"),
                    append_row(steps, TABLE_01, "Fast_21\tFast_21\truns\tA malformed id")),
     [["01-single-threaded/listings.tsv:3", "id 'Fast_21' is not lowercase words joined by '-'"]]),
    ("malformed id: a C++-only variant named like the book's listing",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/21-10-fast"),
                    append_row(steps, TABLE_01, "21-10-fast\t21-10-fast\truns\tA variant without cpp-")),
     [["01-single-threaded/listings.tsv:3", "id '21-10-fast' starts as the book's numbers do", "cpp-"]]),
    ("malformed id: a listing with a stage's number",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/01"),
                    append_row(steps, TABLE_01, "01\t01\truns\tA listing numbered as its stage")),
     [["01-single-threaded/listings.tsv:3", "id '01' is a stage's number"]]),
    ("row of too few fields",
     lambda steps: append_row(steps, TABLE_06, "21-97\tlisting-21-97\truns"),
     [["06-working-pool/listings.tsv:", "3 fields, not 4"]]),
    ("folder other than its id calls for",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/cpp-21-10-other"),
                    append_row(steps, TABLE_01, "cpp-21-10-fast\tcpp-21-10-other\truns\tA folder named otherwise")),
     [["01-single-threaded/listings.tsv:3", "folder 'cpp-21-10-other', not 'cpp-21-10-fast'"]]),
    ("book listing's folder without listing-",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/21-96"),
                    append_row(steps, TABLE_01, "21-96\t21-96\truns\tNamed as its id")),
     [["01-single-threaded/listings.tsv:3", "21-96: folder '21-96', not 'listing-21-96'"]]),
    ("unnumbered listing's folder of another number",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10",
                                 "01-single-threaded/no-listing-09-x"),
                    append_row(steps, TABLE_01, "no-listing-08\tno-listing-09-x\truns\tMisfiled")),
     [["01-single-threaded/listings.tsv:3",
       "no-listing-08: folder 'no-listing-09-x', not 'no-listing-08-…'"]]),
    ("listing folder without the file its kind needs",
     lambda steps: (steps / "01-single-threaded/listing-21-10/main.cpp").unlink(),
     [["01-single-threaded/listings.tsv:2", "21-10: a runs listing needs main.cpp"]]),
    ("exercise id other than its stage's number",
     lambda steps: (copy_listing(steps, "06-working-pool/exercise-06", "06-working-pool/exercise-foo"),
                    append_row(steps, TABLE_06, "foo\texercise-foo\texercise\tAn exercise named otherwise")),
     [["06-working-pool/listings.tsv:", "id 'foo' is an exercise's, which must be its stage's number (06)"]]),
    ("exercise folder named after its listing, as before the ids",
     lambda steps: (shutil.move(steps / "06-working-pool/exercise-06", steps / "06-working-pool/exercise-21-20"),
                    replace(steps, TABLE_06, "06\texercise-06\t", "06\texercise-21-20\t")),
     [["06-working-pool/listings.tsv:", "06: folder 'exercise-21-20', not 'exercise-06'"]]),
    ("an extension's solution left in a folder of its own",
     lambda steps: copy_listing(steps, "06-working-pool/extension-survive-panic",
                                "06-working-pool/extension-survive-panic-solution"),
     [["06-working-pool/listings.tsv", "folder 06-working-pool/extension-survive-panic-solution has no row"]]),
    ("malformed id: a variant named like the book's unnumbered listing",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10", "01-single-threaded/no-listing-01-fast"),
                    append_row(steps, TABLE_01, "no-listing-01-fast\tno-listing-01-fast\truns\tA variant")),
     [["01-single-threaded/listings.tsv:3", "id 'no-listing-01-fast' starts as the book's unnumbered listings"]]),
    ("malformed id: an unnumbered listing not numbered as the book's",
     lambda steps: (copy_listing(steps, "01-single-threaded/listing-21-10",
                                 "01-single-threaded/no-listing-1x"),
                    append_row(steps, TABLE_01, "no-listing-1x\tno-listing-1x\truns\tMisnumbered")),
     [["01-single-threaded/listings.tsv:3",
       "id 'no-listing-1x' starts as the book's unnumbered listings do"]]),
    ("row without a title",
     lambda steps: replace(steps, TABLE_01, "runs\tSimulating a slow request by sleeping for five seconds\n",
                           "runs\t\n"),
     [["01-single-threaded/listings.tsv:2", "21-10: no title"]]),
    ("pool-only folder without its pool",
     lambda steps: (steps / "08-graceful-shutdown/cpp-21-20-std-thread-worker/thread_pool.cpp").unlink(),
     [["08-graceful-shutdown/listings.tsv:", "a pool-only listing needs thread_pool.cpp"]]),
    ("does-not-compile folder without one compiler's diagnostic",
     lambda steps: (steps / "03-empty-pool/listing-21-12/expected-diagnostic.clang++.txt").unlink(),
     [["03-empty-pool/listings.tsv:2",
       "21-12: a does-not-compile listing needs expected-diagnostic.clang++.txt"]]),
    ("-solution folder beside no extension",
     lambda steps: copy_listing(steps, "01-single-threaded/listing-21-10",
                                "06-working-pool/extension-none-solution"),
     [["06-working-pool/listings.tsv", "folder 06-working-pool/extension-none-solution has no row"]]),
    ("header other than id folder kind title",
     lambda steps: replace(steps, TABLE_01, "id\tfolder\tkind\ttitle\n", "listing\ttarget\tkind\ttitle\n"),
     [["01-single-threaded/listings.tsv:1", "the header is not id folder kind title"]]),
]


def validate(steps):
    run = subprocess.run([sys.executable, str(steps / "listings.py"), "validate"], capture_output=True,
                         text=True, stdin=subprocess.DEVNULL, timeout=60)
    return run.returncode, [line for line in run.stdout.splitlines() if line.strip()], run.stderr


def fresh_copy(scratch):
    steps = scratch / "steps"
    if steps.exists():
        shutil.rmtree(steps)
    shutil.copytree(ROOT / "steps", steps, ignore=shutil.ignore_patterns("build", "__pycache__"))
    return steps


def main():
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        scratch = pathlib.Path(folder)
        status, lines, stderr = validate(fresh_copy(scratch))
        if status != 0:
            print(f"FAIL: the unplanted copy does not validate (status {status}):", *lines, stderr, sep="\n  ")
            return 1
        print("ok:   the copy as it is validates clean")
        for name, plant, expected in CASES:
            steps = fresh_copy(scratch)
            plant(steps)
            status, lines, stderr = validate(steps)
            unmatched = [words for words in expected if not any(all(w in line for w in words) for line in lines)]
            if status != 1 or unmatched or len(lines) != len(expected) or stderr:
                failures.append(name)
                print(f"FAIL: {name}: status {status}, said:", *lines, stderr.strip(),
                      f"expected {len(expected)} line(s) holding: {expected}", sep="\n  ")
            else:
                print(f"ok:   {name}: {lines[0]}")
    print(f"{len(CASES) - len(failures)} of {len(CASES)} planted faults named" if failures
          else f"ok: validate names each of the {len(CASES)} planted faults")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
