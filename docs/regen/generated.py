"""The generated Markdown sections: `<!-- generated: stage-table -->` (docs/README.md) and
`<!-- generated: listings-map -->` (docs/listings.md), from the listings tables and Meson's test list."""
import json
import re
import sys

from .core import DOCS, ROOT, DocsError
from .listings import tables

sys.path.insert(0, str(ROOT / "tests"))
import test_keys  # noqa: E402  (tests/test_keys.py: a test's key, the suite that is its alone)


def stage_table():
    stages = []
    for row in tables.rows():
        if not stages or stages[-1][0] != row.stage:
            stages.append((row.stage, []))
        stages[-1][1].append(row)
    kind_note = {"does-not-compile": " (does not compile)", "rust-rejects-cpp-compiles": " (rustc rejects; g++ compiles)",
                 "pool-only": " (a pool only, for the tests)"}
    lines = ["| stage | listings | run | test |", "|---|---|---|---|"]
    for stage, rows in stages:
        number = stage[:2]
        pages = sorted(DOCS.glob(f"{number}-*.md"))
        name = f"[`{stage}`]({pages[0].name})" if pages else f"`{stage}`"
        exercises = [row for row in rows if row.kind in tables.EXERCISE_KINDS]  # ./workbook exercise
        listings = "<br>".join(f"{row.id}{kind_note.get(row.kind, '')}: {row.title}"
                               for row in rows if row not in exercises)
        if exercises:
            listings += "<br>exercises: " + ", ".join(f"`./workbook exercise {row.id}`" for row in exercises)
        shown_listing = tables.stage_listing(number)
        run = f"`./workbook run {number}`" + (f" ({shown_listing.id})" if shown_listing else "")
        lines.append(f"| {name} | {listings} | {run} | `./workbook test {number}` |")
    return "\n".join(lines) + "\n"


def listing_tests(build_root):
    """Meson's tests, each as (key, text): its command and, when its program is a target of this build,
    that target's compile parameters and its explicit depends' names (meson-info, read after setup)."""
    info = build_root / "meson-info"
    try:
        tests = json.loads((info / "intro-tests.json").read_text())
        targets = json.loads((info / "intro-targets.json").read_text())
    except (OSError, ValueError) as error:
        raise DocsError(f"no Meson test list in {info} (meson setup {build_root}): {error}")
    by_file = {}
    by_id = {}
    for target in targets:
        by_id[target["id"]] = target["name"]
        for filename in target["filename"]:
            by_file[filename] = target
    found = []
    for test in tests:
        # The docs' own checks run every quoted listing, and only in ordinary builds (not under a
        # sanitizer): they are not a listing's tests, and the map must not depend on the build type.
        if any(suite.split(":")[-1] == "docs" for suite in test.get("suite", [])):
            continue
        words = list(test["cmd"]) + [by_id.get(target_id, "") for target_id in test["depends"]]
        program = by_file.get(test["cmd"][0])
        if program:
            for source in program["target_sources"]:
                words += source.get("parameters", [])
        found.append((test_keys.key_of(test), "\n".join(words)))
    return found


def listings_map(build_root):
    """Every listing of every stage: its folder, what it shows, and the keys of the Meson tests that
    build, run or check it (`meson test -C build --suite KEY` runs one) - a test whose command, program's
    include path or depends name the listing's folder or executable (so the map follows the build, with
    nothing kept by hand)."""
    tests = listing_tests(build_root)
    lines = ["| listing | stage | kind | folder | what it shows | tests (keys) |", "|---|---|---|---|---|---|"]
    for row in tables.rows():
        if row.kind in tables.EXERCISE_KINDS:
            continue  # not a listing: the learner's, checked by ./workbook exercise
        folder = f"steps/{row.stage}/{row.folder.name}"
        pattern = re.compile(rf"{re.escape(folder)}(/|$)|^{re.escape(row.folder.name)}$", re.MULTILINE)
        # By key: Meson lists its tests by priority (the longest start first), not as meson.build has them.
        names = sorted(key for key, text in tests if pattern.search(text))
        page = sorted(DOCS.glob(f"{row.stage_number}-*.md"))
        stage = f"[{row.stage}]({page[0].name})" if page else row.stage
        shown_tests = ", ".join(f"`{name}`" for name in names) or "—"
        lines.append(f"| {row.id} | {stage} | {row.kind} | `{folder}/` | {row.title} | {shown_tests} |")
    return "\n".join(lines) + "\n"


GENERATORS = {"stage-table": lambda build_root: stage_table(), "listings-map": listings_map}
