#!/usr/bin/env python3
"""The listings tables, read in one place: every stage's steps/NN-name/listings.tsv (tab-separated,
header `id folder kind title`), one row per listing, exercise or extension. Everything that needs the
tables asks this module (the driver through its command line, below); steps/meson.build and
steps/standalone.meson.build read them too, and a test (tests/listings/) proves they build the kinds
BUILT_KINDS names.

Ids and folders (validate() holds every rule):
  a book listing             id `21-20` (the book's number), folder `listing-21-20`;
  an unnumbered one          id `no-listing-01`, folder the book's (`no-listing-01-define-threadpool-struct`);
  an exercise                id the stage's number (`06`), folder `exercise-06`;
  an extension               id its slug (`survive-panic`), folder `extension-survive-panic`;
  anything else              folder == id; a C++-only variant's id starts with `cpp-` (`cpp-21-21-literal`),
                             so that it cannot be mistaken for the book's.

Command line (tab-separated output, one row a line: STAGE ID FOLDER KIND TITLE, FOLDER its name in
the stage folder):
  listings.py rows                 every row
  listings.py find ID              the row of ID (status 1 and a message if there is none)
  listings.py listing NN|ID        what `./workbook run NN|ID` runs: NN the stage's listing, else
                                   the listing ID (not an exercise)
  listings.py stage NN             the listing stage NN stands for (nothing if it has none)
  listings.py kinds                KIND BUILT RUNNABLE DESCRIPTION (BUILT, RUNNABLE: yes or no)
  listings.py validate             the tables' problems, one a line; status 1 if there is any
"""
import dataclasses
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
STEPS = ROOT / "steps"
HEADER = ("id", "folder", "kind", "title")

KINDS = {
    "runs": "compiles, runs",
    "does-not-compile": "does not compile",
    "rust-rejects-cpp-compiles": "rustc rejects it; C++ compiles it",
    "pool-only": "a pool only, for the tests",
    "exercise": "yours to write: ./workbook exercise",
    "extension": "yours to write: ./workbook exercise",
}
# The kinds the build makes something of (steps/meson.build); the others are the exercise engine's.
BUILT_KINDS = ("runs", "rust-rejects-cpp-compiles", "does-not-compile", "pool-only")
RUNNABLE_KINDS = ("runs", "rust-rejects-cpp-compiles")
EXERCISE_KINDS = ("exercise", "extension")

# The book's listings: what a stage stands for when it has any (stage_listing).
BOOK_ID = re.compile(r"21-\d+|no-listing-\d\d")
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Besides its rows' folders, a stage folder may hold only its own build (`meson setup build`, see
# docs/developing.md).
UNDECLARED_FOLDERS = ("build",)


@dataclasses.dataclass(frozen=True)
class Row:
    id: str
    folder: pathlib.Path  # absolute
    kind: str
    title: str
    stage: str  # the stage's folder name, e.g. 06-working-pool

    @property
    def stage_number(self):
        return self.stage[:2]

    def tsv(self):
        return "\t".join((self.stage, self.id, self.folder.name, self.kind, self.title))


class TableError(Exception):
    """A table that cannot be read as rows at all (validate() says what else is wrong)."""


def tables(steps=None):
    return sorted((steps or STEPS).glob("[0-9][0-9]-*/listings.tsv"))


def _read(table):
    """A table's rows as (line number, fields), the header left out; fields as written."""
    lines = table.read_text().splitlines()
    return [(number, line.split("\t")) for number, line in enumerate(lines[1:], 2) if line.strip()]


def _row(table, fields):
    return Row(fields[0], table.parent / fields[1].rstrip("/"), fields[2], fields[3], table.parent.name)


def rows(steps=None):
    """Every row of every table, stages in order, rows in table order."""
    found = []
    for table in tables(steps):
        for number, fields in _read(table):
            if len(fields) != len(HEADER):
                raise TableError(f"{_name(table)}:{number}: {len(fields)} fields, not {len(HEADER)} "
                                 f"({' '.join(HEADER)})")
            found.append(_row(table, fields))
    return found


def find(listing_id, steps=None):
    for row in rows(steps):
        if row.id == listing_id:
            return row
    raise LookupError(f"no listing {listing_id!r} (see ./workbook list)")


def stage_rows(number, steps=None):
    """The rows of stage NN (a number, or the stage's folder name)."""
    return [row for row in rows(steps) if row.stage_number == str(number)[:2]]


def stage_listing(number, steps=None):
    """The listing a stage stands for (`./workbook run NN`, demo, diff, flood, compare, the docs): its
    last runnable book listing, or, in a stage without any (beyond the book), its last runnable row;
    None if it has none."""
    stage = stage_rows(number, steps)
    book = [row for row in stage if BOOK_ID.fullmatch(row.id)]
    runnable = [row for row in (book or stage) if row.kind in RUNNABLE_KINDS]
    return runnable[-1] if runnable else None


def _name(table):
    return str(table.relative_to(table.parents[2]))  # steps/NN-name/listings.tsv


def _id_problem(row):
    if not ID.fullmatch(row.id):
        return "is not lowercase words joined by '-'"
    if row.id.startswith("21-") and not BOOK_ID.fullmatch(row.id):
        return "starts as the book's numbers do but is not one (a C++-only variant's id starts with cpp-)"
    if row.id.startswith("no-listing-") and not BOOK_ID.fullmatch(row.id):
        return "starts as the book's unnumbered listings do (no-listing-NN) but is not one"
    if re.fullmatch(r"\d\d", row.id) and row.kind != "exercise":
        return "is a stage's number, which only the stage's exercise may be"
    if row.kind == "exercise" and row.id != row.stage_number:
        return f"is an exercise's, which must be its stage's number ({row.stage_number})"
    return None


def expected_folder(row, written):
    """The folder name a row's id and kind call for, or None if `written` is one of them."""
    if re.fullmatch(r"21-\d+", row.id):
        wanted = f"listing-{row.id}"
    elif BOOK_ID.fullmatch(row.id):
        # The book's folder: the id, then the words of its name.
        return None if re.fullmatch(re.escape(row.id) + r"(-[a-z0-9]+)*", written) else f"{row.id}-…"
    elif row.kind in EXERCISE_KINDS:
        wanted = f"{row.kind}-{row.id}"
    else:
        wanted = row.id
    return None if written == wanted else wanted


def _needed_files(row):
    if row.kind in RUNNABLE_KINDS:
        return ["main.cpp"]
    if row.kind == "pool-only":
        return ["thread_pool.cpp"]
    if row.kind == "does-not-compile":
        return ["expected-diagnostic.g++.txt", "expected-diagnostic.clang++.txt"]
    return []


def validate(steps=None):
    """Every problem of the tables, one sentence each naming the table, line and id; empty when they
    are sound: a header other than `id folder kind title`, a row of too few or too many fields, an
    unknown kind, a malformed or duplicate id, a folder that is not the one its id calls for, a row
    without its folder (or its folder without the files its kind needs), a folder without a row."""
    problems = []
    seen = {}
    for table in tables(steps):
        name = _name(table)
        lines = table.read_text().splitlines()
        if not lines or tuple(lines[0].split("\t")) != HEADER:
            problems.append(f"{name}:1: the header is not {' '.join(HEADER)} (tab-separated)")
        declared = set()
        for number, fields in _read(table):
            where = f"{name}:{number}"
            if len(fields) != len(HEADER):
                problems.append(f"{where}: {len(fields)} fields, not {len(HEADER)} ({' '.join(HEADER)}): "
                                f"{chr(9).join(fields)!r}")
                continue
            row = _row(table, fields)
            written = fields[1]
            declared.add(written.rstrip("/"))
            if row.kind not in KINDS:
                problems.append(f"{where}: {row.id}: unknown kind {row.kind!r} (kinds: {', '.join(KINDS)})")
            if problem := _id_problem(row):
                problems.append(f"{where}: id {row.id!r} {problem}")
            if row.id in seen:
                problems.append(f"{where}: duplicate id {row.id!r} (first at {seen[row.id]})")
            seen.setdefault(row.id, where)
            if (wanted := expected_folder(row, written)) is not None:
                problems.append(f"{where}: {row.id}: folder {written!r}, not {wanted!r} as its id calls for")
            if not row.folder.is_dir():
                problems.append(f"{where}: {row.id}: no folder {written!r} in {table.parent.name}")
                continue
            for needed in _needed_files(row):
                if not (row.folder / needed).is_file():
                    problems.append(f"{where}: {row.id}: a {row.kind} listing needs {needed} in {written}")
            if not row.title.strip():
                problems.append(f"{where}: {row.id}: no title")
        for folder in sorted(path for path in table.parent.iterdir() if path.is_dir()):
            if folder.name in declared or folder.name in UNDECLARED_FOLDERS or folder.name.startswith("."):
                continue
            problems.append(f"{name}: folder {table.parent.name}/{folder.name} has no row")
    return problems


def built_agree(arguments, steps=None):
    """The problems of a build's KIND=ID,ID... (what it made per kind) against the tables."""
    made = {}
    for argument in arguments:
        kind, _, ids = argument.partition("=")
        made[kind] = sorted(filter(None, ids.split(",")))
    problems = [f"the build makes kind {kind!r}, which BUILT_KINDS lacks" for kind in made if kind not in BUILT_KINDS]
    for kind in BUILT_KINDS:
        wanted = sorted(row.id for row in rows(steps) if row.kind == kind)
        if made.get(kind, []) != wanted:
            problems.append(f"kind {kind}: the build makes {made.get(kind, [])}, the tables say {wanted}")
    return problems


def main(argv):
    command, arguments = (argv[0], argv[1:]) if argv else ("", [])
    try:
        if command == "rows" and not arguments:
            print("\n".join(row.tsv() for row in rows()))
        elif command == "find" and len(arguments) == 1:
            print(find(arguments[0]).tsv())
        elif command == "stage" and len(arguments) == 1:
            if row := stage_listing(arguments[0]):
                print(row.tsv())
        elif command == "listing" and len(arguments) == 1:
            if re.fullmatch(r"\d\d", arguments[0]):
                row = stage_listing(arguments[0])
                if row is None:
                    raise LookupError(f"stage {arguments[0]} has no runnable listing (see ./workbook list)")
            else:
                row = find(arguments[0])
                if row.kind in EXERCISE_KINDS:
                    raise LookupError(f"{row.id} is an {row.kind}, not a listing: ./workbook exercise {row.id}")
            print(row.tsv())
        elif command == "kinds" and not arguments:
            for kind, description in KINDS.items():
                flags = ["yes" if kind in kinds else "no" for kinds in (BUILT_KINDS, RUNNABLE_KINDS)]
                print("\t".join([kind, *flags, description]))
        elif command == "validate" and not arguments:
            problems = validate()
            print("\n".join(problems) if problems else f"ok: {len(rows())} rows in {len(tables())} tables")
            return 1 if problems else 0
        else:
            print(__doc__.split("Command line")[1].split("\n", 1)[1], file=sys.stderr)
            return 2
    except (LookupError, TableError) as error:
        print(f"workbook: {error.args[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
