"""The listings table: every stage's steps/NN-name/listings.tsv, the one place a listing is declared."""
import re

from .core import ROOT, DocsError


def listing_rows():
    """Every row as dict(stage, listing, target, kind, title), stages in order."""
    rows = []
    for table in sorted(ROOT.glob("steps/*/listings.tsv")):
        lines = table.read_text().splitlines()
        for line in lines[1:]:
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 4:
                raise DocsError(f"{table.relative_to(ROOT)}: malformed row: {line!r}")
            rows.append(dict(stage=table.parent.name, listing=fields[0], target=fields[1], kind=fields[2],
                             title=fields[3] if len(fields) > 3 else ""))
    return rows


RUNNABLE_KINDS = {"runs", "rust-rejects-cpp-compiles"}
BOOK_LISTING = re.compile(r"^(21-[0-9]+|no-listing-[0-9]+)$")


def stage_listing(stage):
    """The listing a stage stands for (the driver's stage_listing, the same rule): its last runnable
    book listing, or in a stage beyond the book its last runnable row; None if it has none."""
    rows = [row for row in listing_rows() if row["stage"] == stage]
    book = [row for row in rows if BOOK_LISTING.match(row["listing"])]
    runnable = [row for row in (book or rows) if row["kind"] in RUNNABLE_KINDS]
    return runnable[-1] if runnable else None


def find_listing(listing):
    for row in listing_rows():
        if row["listing"] == listing:
            return row
    raise DocsError(f"unknown listing {listing!r} (not in any steps/*/listings.tsv)")
