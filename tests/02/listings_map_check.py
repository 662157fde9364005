#!/usr/bin/env python3
"""Checks docs/listings.md against steps/*/listings.tsv and the tests that exist.

    listings_map_check.py [--stages 02 03 04 05] [--build-root BUILD]

- every listing of the given stages has a row, with the same stage folder and kind, whose files
  include the listing's own folder;
- every `path` in the files column exists;
- every gtest named `Suite.Name` is defined in tests/ (a suite spelled by a macro, as in
  stage03_pool_test.cpp, counts when the test exists under the macro and Meson names the suite);
- every Meson test named (`Meson NAME`) is one the build defines (meson-info/intro-tests.json).
"""
import argparse
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "docs"))
from regenerate import gtest_defined  # noqa: E402  (one definition of "a test that exists")
CELL_CODE = re.compile(r"`([^`]+)`")
MESON_NAME = re.compile(r"Meson `([^`]+)`")
GTEST_NAME = re.compile(r"^([A-Z]\w*)\.(\w+)$")


def listings(stages):
    rows = {}
    for table in sorted((ROOT / "steps").glob("*/listings.tsv")):
        stage = table.parent.name
        if stage[:2] not in stages:
            continue
        for line in table.read_text().splitlines()[1:]:
            if line.strip():
                listing, target, kind = line.split("\t")[:3]
                if kind in ("exercise", "extension"):  # the learner's exercises, not listings
                    continue
                rows[listing] = dict(stage=stage, target=target, kind=kind)
    return rows


def map_rows():
    rows = {}
    for line in (ROOT / "docs" / "listings.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("listing", "") or set(cells[0]) <= {"-"}:
            continue
        rows[cells[0]] = dict(stage=re.sub(r"^\[([^\]]+)\].*$", r"\1", cells[1]), kind=cells[2],
                              files=CELL_CODE.findall(cells[3]), tests=cells[4])
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stages", nargs="+", default=["02", "03", "04", "05"])
    parser.add_argument("--build-root", type=pathlib.Path, default=ROOT / "build")
    args = parser.parse_args()
    problems = []
    expected, documented = listings(args.stages), map_rows()
    sources = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("*.cpp"))
    meson_text = "\n".join(path.read_text() for path in (ROOT / "tests").rglob("meson.build"))
    meson_tests = {test["name"] for test in
                   json.loads((args.build_root / "meson-info" / "intro-tests.json").read_text())}
    for listing, row in expected.items():
        doc = documented.get(listing)
        if doc is None:
            problems.append(f"{listing}: no row in docs/listings.md")
            continue
        if (doc["stage"], doc["kind"]) != (row["stage"], row["kind"]):
            problems.append(f"{listing}: the map says {doc['stage']}/{doc['kind']}, listings.tsv {row['stage']}/{row['kind']}")
        folder = f"steps/{row['stage']}/{row['target']}/"
        if not any(path.startswith(folder) for path in doc["files"]):
            problems.append(f"{listing}: no file of {folder} in the map")
    for listing, doc in documented.items():
        for path in doc["files"]:
            if not (ROOT / path).is_file():
                problems.append(f"{listing}: no such file {path}")
        for name in MESON_NAME.findall(doc["tests"]):
            if name not in meson_tests:
                problems.append(f"{listing}: no Meson test named {name!r}")
        for code in CELL_CODE.findall(doc["tests"]):
            match = GTEST_NAME.match(code)
            if match and not gtest_defined(match[1], match[2], sources, meson_text):
                problems.append(f"{listing}: no gtest {code}")
    if problems:
        print("docs/listings.md is out of date:\n  " + "\n  ".join(problems))
        return 1
    print(f"ok: docs/listings.md maps the {len(expected)} listings of stages {', '.join(args.stages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
