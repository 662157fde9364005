"""The listings tables as the docs' checker asks for them: steps/listings.py reads them (the one reader,
which the driver asks too); a listing not found fails as the checker's errors do."""
import sys

from .core import ROOT, DocsError

sys.path.insert(0, str(ROOT / "steps"))
import listings as tables  # noqa: E402  (steps/listings.py)


def find_listing(listing):
    try:
        return tables.find(listing)
    except LookupError as error:
        raise DocsError(error.args[0]) from None
