#!/usr/bin/env python3
"""Every row of mutations.tsv still applies: its FILE exists, its FIND occurs there exactly once (an
empty FIND stands for the whole file), and its SUITE is a test's key or a group suite of this build
(tests/test_keys.py), never a test's sentence. Otherwise a stale row
shows only when the whole audit runs (CI). The check itself must fail on a table that plants each
fault, and names the row.

    table_check.py --build-root BUILD
"""
import argparse
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from mutate import read_table  # noqa: E402
from scratch_tree import ROOT  # noqa: E402
from test_keys import GROUP_SUITES, keys_of, read_tests, suites  # noqa: E402


def problems(rows, build_dir):
    tests = read_tests(build_dir)
    keys = {key for test in tests for key in keys_of(test)}
    groups = {suite for test in tests for suite in suites(test)} & GROUP_SUITES
    sentences = {test["name"] for test in tests}
    known = keys | groups
    for m in rows:
        path = ROOT / m["file"]
        if not path.is_file():
            yield f"{m['name']}: no file {m['file']}"
            continue
        found = path.read_text().count(m["find"])
        if m["find"] and found != 1:
            yield f"{m['name']}: its FIND occurs {found} times in {m['file']}, not once"
        if m["suite"] not in known:
            yield (f"{m['name']}: SUITE names a test by its sentence {m['suite']!r}; name it by its key"
                   if m["suite"] in sentences
                   else f"{m['name']}: no test key or group suite {m['suite']!r} in this build")


# Each planted row has one fault, and the check must name it.
PLANTED = [
    "planted-stale\t01\tmeson.build\ta text no file of the workbook holds\tx",
    "planted-ambiguous\t01\tmeson.build\tsubdir(\tx",
    "planted-missing-file\t01\tno/such/file.cpp\tx\tx",
    "planted-unknown-suite\tno such suite\tmeson.build\tproject(\tx",
    "planted-unknown-key\t01-no-such-test\tmeson.build\tproject(\tx",
    "planted-sentence\tlistings use no Linux-only header or call\tmeson.build\tproject(\tx",  # not its key
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-root", type=pathlib.Path, required=True)
    args = parser.parse_args()
    failures = [f"mutations.tsv: {problem}" for problem in problems(read_table(), args.build_root)]
    with tempfile.TemporaryDirectory() as folder:
        planted = pathlib.Path(folder) / "planted.tsv"
        planted.write_text("\n".join(PLANTED) + "\n")
        said = list(problems(read_table(planted), args.build_root))
        for row in PLANTED:
            name = row.split("\t")[0]
            if not any(problem.startswith(name + ":") for problem in said):
                failures.append(f"the check accepts {name}, whose row it must refuse")
    print("\n".join(failures) if failures else "ok: every row of mutations.tsv applies, and the check refuses "
          "each planted fault")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
