"""What every part of the docs' checker shares: where the workbook is, the error a problem raises, how a
path is named in messages."""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs"


class DocsError(Exception):
    pass


def shown(path):
    """A path as messages show it: relative to the workbook's root when it is inside."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)
