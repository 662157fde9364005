#!/usr/bin/env python3
"""steps/listings.py answers as its readers expect: the listing each stage stands for (`./workbook run
NN`, demo, diff, flood, compare, the docs), lookups that fail naming what was not found, and the
command line the driver reads giving the same rows as the module."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "steps"))
import listings  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)

# The stage -> the listing it stands for: its last runnable book listing (not a C++-only variant, not the
# book's older edition of the final code), or beyond the book its last runnable row.
STANDS_FOR = {"03": "21-15", "04": "21-17", "06": "21-20", "07": "21-21", "08": "no-listing-07",
              "09": "09-modern", "10": "async-09-04", "11": "async-09-05"}


def cli(*arguments):
    return subprocess.run([sys.executable, str(ROOT / "steps" / "listings.py"), *arguments], capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)


def main():
    for number, listing in STANDS_FOR.items():
        row = listings.stage_listing(number)
        expect(row is not None and row.id == listing, f"stage {number} stands for {listing} ({row and row.id})")
        shown = cli("listing", number)
        expect(shown.returncode == 0 and shown.stdout.split("\t")[1] == listing,
               f"`listings.py listing {number}` gives {listing}: {shown.stdout.strip()!r}")
    # The driver's demo, flood and compare name the stage by its folder.
    shown = cli("stage", "06-working-pool")
    expect(shown.returncode == 0 and shown.stdout.split("\t")[1:2] == ["21-20"],
           f"`listings.py stage 06-working-pool` gives 21-20: {shown.stdout.strip()!r}")
    row = listings.find("21-20")
    expect((row.stage, row.stage_number, row.folder, row.kind) ==
           ("06-working-pool", "06", ROOT / "steps" / "06-working-pool" / "listing-21-20", "runs"),
           f"find('21-20') is stage 06's runs row, its folder absolute: {row}")
    try:
        listings.find("21-99")
        expect(False, "find('21-99') raises LookupError")
    except LookupError as error:
        expect("21-99" in str(error), f"find('21-99') raises LookupError naming it: {error}")
    missing = cli("listing", "21-99")
    expect(missing.returncode == 1 and "21-99" in missing.stderr and not missing.stdout,
           f"`listings.py listing 21-99` fails naming it: {missing.stderr.strip()!r}")
    # An extension: an exercise's id is its stage's number, which `listing NN` reads as the stage.
    exercise = next(row for row in listings.rows() if row.kind == "extension")
    refused = cli("listing", exercise.id)
    expect(refused.returncode == 1 and "./workbook exercise" in refused.stderr,
           f"`listings.py listing {exercise.id}` (an extension) is refused: {refused.stderr.strip()!r}")
    rows = cli("rows")
    expect(rows.returncode == 0 and rows.stdout.splitlines() == [row.tsv() for row in listings.rows()],
           "`listings.py rows` gives every row as rows() has them, in order")
    expect([row.stage_number for row in listings.stage_rows("06")] == ["06"] * len(listings.stage_rows("06"))
           and len(listings.stage_rows("06")) > 1, "stage_rows('06') gives stage 06's rows only")
    kinds = {line.split("\t")[0]: line.split("\t")[1:3] for line in cli("kinds").stdout.splitlines()}
    expect(kinds == {kind: ["yes" if kind in listings.BUILT_KINDS else "no",
                            "yes" if kind in listings.RUNNABLE_KINDS else "no"] for kind in listings.KINDS},
           "`listings.py kinds` flags BUILT_KINDS and RUNNABLE_KINDS")
    expect(set(listings.RUNNABLE_KINDS) <= set(listings.BUILT_KINDS) <= set(listings.KINDS),
           "every runnable kind is built, every built kind is a kind")
    print(f"FAIL: {len(failures)} check(s)" if failures else "ok: steps/listings.py answers as its readers expect")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
