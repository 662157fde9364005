#!/usr/bin/env python3
"""Meson reads the listings tables itself (steps/meson.build, steps/standalone.meson.build); this proves
it builds the kinds steps/listings.py calls built. Arguments: KIND=ID,ID... per kind, what
steps/meson.build made something of (its built_ids); they must be exactly the tables' rows of each of
BUILT_KINDS. The stages' own build (standalone.meson.build's `built_here`) builds BUILT_KINDS but
does-not-compile, whose check only the top-level build has."""
import ast
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "steps"))
import listings  # noqa: E402

STANDALONE_LEFT_OUT = {"does-not-compile"}


def standalone_problems():
    text = (ROOT / "steps" / "standalone.meson.build").read_text()
    found = re.search(r"^built_here = (\[.*\])$", text, re.MULTILINE)
    if not found:
        return ["steps/standalone.meson.build: no `built_here = [...]` line"]
    built_here = set(ast.literal_eval(found.group(1)))
    wanted = set(listings.BUILT_KINDS) - STANDALONE_LEFT_OUT
    if built_here != wanted:
        return [f"steps/standalone.meson.build builds kinds {sorted(built_here)}, not {sorted(wanted)} "
                "(steps/listings.py's BUILT_KINDS but does-not-compile)"]
    return []


def main(arguments):
    problems = listings.built_agree(arguments) + standalone_problems()
    print("\n".join(problems) if problems else
          f"ok: Meson builds kinds {', '.join(listings.BUILT_KINDS)}, every row of them, as steps/listings.py says")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
