#!/usr/bin/env python3
"""The scratch copy (tests/support/scratch_tree.py) is a copy of the working tree after every sync: a
file or folder the tree no longer has (a renamed listing) is gone from it, an override is in place, and
a file whose content did not change is not rewritten (so that the copy's build rebuilds only what
changed)."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
sys.dont_write_bytecode = True
from scratch_tree import ROOT, ScratchTree  # noqa: E402

failures = 0


def expect(ok, what):
    global failures
    failures += not ok
    print(("ok:   " if ok else "FAIL: ") + what)


tree = ScratchTree("build-scratch-check")
tree.sync()
stale_folder = tree.source / "steps" / "06-working-pool" / "listing-21-99"
(stale_folder / "deeper").mkdir(parents=True, exist_ok=True)
(stale_folder / "deeper" / "main.cpp").write_text("// a listing renamed away\n")
kept = tree.source / "steps" / "listings.py"
before = kept.stat().st_mtime_ns
override = pathlib.Path("steps/06-working-pool/listing-21-20/main.cpp")
tree.sync({override: "// overridden\n"})
expect(not stale_folder.exists(), "a folder the working tree lacks is removed from the copy, with its folders")
expect((tree.source / override).read_text() == "// overridden\n", "an override is in place")
expect(kept.stat().st_mtime_ns == before, "a file whose content did not change is not rewritten")
tree.sync()
expect((tree.source / override).read_bytes() == (ROOT / override).read_bytes(),
       "the next sync without the override restores the working tree's file")
sys.exit(1 if failures else 0)
