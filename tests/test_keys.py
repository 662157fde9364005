#!/usr/bin/env python3
"""Every Meson test has a stable key: one suite of its own, unique in the build
(`meson test -C build --suite 06-server` runs that test alone). Whatever names a test elsewhere
(mutations.tsv's rows) names it by its key, never by its sentence, which may be reworded. A test's
other suites are groups (`06`, `flood`, `compile-fail`...):
GROUP_SUITES below is the one list of them, and any other suite is a key.

    test_keys.py --build-root BUILD            checks: every test has exactly one key, keys are unique,
                                               well-formed, a test that alone runs its program test-X
                                               has the key X, and every test is in a group
    test_keys.py --build-root BUILD --table    prints SENTENCE<TAB>KEY, a line per test
"""
import argparse
import collections
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent

# The stages' numbers (steps/NN-name/) are groups, and so are these.
NAMED_GROUPS = {"common", "flood", "compile-fail", "clang-tidy", "docs", "demo", "harness", "lab",
                "portability", "mutations", "exercises", "extension", "conventions", "listings", "book"}
STAGE_GROUPS = {path.name[:2] for path in (ROOT / "steps").glob("[0-9][0-9]-*") if path.is_dir()}
GROUP_SUITES = NAMED_GROUPS | STAGE_GROUPS
KEY_FORM = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def read_tests(build_dir):
    return json.loads((pathlib.Path(build_dir) / "meson-info" / "intro-tests.json").read_text())


def suites(test):
    """A test's suites without the project's prefix (Meson writes `project:06`)."""
    return [suite.split(":", 1)[-1] for suite in test["suite"]]


def keys_of(test):
    return [suite for suite in suites(test) if suite not in GROUP_SUITES]


def key_of(test):
    keys = keys_of(test)
    if len(keys) != 1:
        raise LookupError(f"test {test['name']!r} has {len(keys)} keys ({', '.join(keys) or 'none'}), "
                          "not one")
    return keys[0]


def keys(build_dir):
    """Every key of the build -> its test."""
    return {key_of(test): test for test in read_tests(build_dir)}


def problems(tests):
    owners = {}
    runs = collections.Counter(test["cmd"][0] for test in tests if test["cmd"])
    for test in tests:
        found = keys_of(test)
        program = pathlib.Path(test["cmd"][0]).name if test["cmd"] else ""
        if program.startswith("test-") and runs[test["cmd"][0]] == 1 and found != [program[len("test-"):]]:
            yield (f"{test['name']!r}: its key is not its own program's name without test- "
                   f"({program[len('test-'):]})")
        if len(found) != 1:
            yield (f"{test['name']!r}: {len(found)} key suites ({', '.join(found) or 'none'}), not one "
                   f"(a group suite is one of tests/test_keys.py's GROUP_SUITES)")
        if not set(suites(test)) & GROUP_SUITES:
            yield f"{test['name']!r}: in no group suite (its stage's number, or one of NAMED_GROUPS)"
        for key in found:
            if not KEY_FORM.fullmatch(key):
                yield f"{test['name']!r}: key {key!r} is not lowercase words joined by '-'"
            owners.setdefault(key, []).append(test["name"])
    for key, names in owners.items():
        if len(names) > 1:
            yield f"key {key!r} names {len(names)} tests: {'; '.join(names)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-root", type=pathlib.Path, required=True)
    parser.add_argument("--table", action="store_true", help="print SENTENCE<TAB>KEY per test")
    args = parser.parse_args()
    tests = read_tests(args.build_root)
    found = list(problems(tests))
    if args.table and not found:
        for test in tests:
            print(f"{test['name']}\t{key_of(test)}")
        return 0
    print("\n".join(found) if found else f"ok: {len(tests)} tests, each with one key of its own")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
