#!/usr/bin/env python3
"""The mutation audit: puts each bug listed in mutations.tsv into a scratch copy of the workbook, one at
a time, and checks that the Meson suite (or test) the entry names fails on it. A test that has gone
blind lets its mutation survive.

    mutate.py [--list] [NAME...]

The scratch copy is build-mutate/tree (the working tree as it is, uncommitted edits included, synced
on each run) with its own build folder build-mutate/tree/build, reused across runs. It first checks that
every test the named suites hold passes unmutated, all in one run (a failing suite would "kill"
anything); then, per mutation, it edits one file, builds only what the suite's tests depend on, runs
the suite until its first failure (GoogleTest's fail-fast on, in both runs), and restores the file.
Prints a table (mutation, suite, killed/SURVIVED); exits 1 if any mutation survived or could not be
applied or built.

mutations.tsv, tab-separated, `#` comments: NAME, SUITE (a Meson suite, e.g. `06`, or one test's full
name), FILE (relative to the root), FIND, REPLACE. FIND must occur exactly once in FILE; an empty FIND
means the whole file. In FIND and REPLACE, \\n is a newline, \\t a tab, \\\\ a backslash.
"""
import argparse
import os
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from scratch_tree import ROOT, ScratchTree, unescape  # noqa: E402

TABLE = pathlib.Path(__file__).resolve().parent / "mutations.tsv"
TREE = ScratchTree("build-mutate")


def read_table():
    mutations = []
    for number, line in enumerate(TABLE.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            sys.exit(f"{TABLE}:{number}: expected 5 tab-separated fields, got {len(fields)}")
        name, suite, path, find, replace = fields
        mutations.append({"name": name, "suite": suite, "file": path, "find": unescape(find),
                          "replace": unescape(replace)})
    names = [m["name"] for m in mutations]
    if len(set(names)) != len(names):
        sys.exit(f"{TABLE}: mutation names must be unique")
    return mutations


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    mutations = read_table()
    if args.names:
        unknown = set(args.names) - {m["name"] for m in mutations}
        if unknown:
            sys.exit(f"mutate.py: no mutation {', '.join(sorted(unknown))} (see --list)")
        mutations = [m for m in mutations if m["name"] in args.names]
    if args.list:
        for m in mutations:
            print(f"{m['name']:<40} {m['suite']:<10} {m['file']}")
        return 0

    print(f"mutate: scratch copy in {TREE.source.relative_to(ROOT)}/ (build folder: build/)", flush=True)
    TREE.sync()
    TREE.configure("mutate.py")

    # GoogleTest stops a program at its first failing case: one is enough to kill a mutation. The
    # unmutated run has the same setting, so a test that cannot bear it fails there, not by luck later.
    env = dict(os.environ, GTEST_FAIL_FAST="1")
    selected = {m["name"]: TREE.tests_of(m["suite"]) for m in mutations}
    every_test = sorted({t["name"] for tests, _ in selected.values() for t in tests})
    started = time.monotonic()
    built, log = TREE.build(TREE.targets_for([t for tests, _ in selected.values() for t in tests]))
    if not built:
        print(f"mutate: the unmutated copy does not build:\n{log[-3000:]}", flush=True)
        return 1
    # Every suite the rows name must pass unmutated (a failing suite would "kill" anything): one run of
    # all their tests at once, as ./workbook test runs them.
    failing, log = TREE.failing_tests(every_test, env=env)
    print(f"mutate: {len(every_test)} tests pass unmutated, {len(failing)} fail ({time.monotonic() - started:.0f} s)",
          flush=True)
    if failing:
        print(log[-5000:], flush=True)

    results = []
    for m in mutations:
        tests, selector = selected[m["name"]]
        if not tests:
            results.append((m, "NO SUCH SUITE"))
            continue
        if failing & {t["name"] for t in tests}:
            results.append((m, "SUITE FAILS UNMUTATED"))
            continue
        outputs = TREE.targets_for(tests)
        path = TREE.source / m["file"]
        if not path.is_file():
            results.append((m, "NO SUCH FILE"))
            continue
        original = path.read_text()
        if m["find"] == "":
            mutated = m["replace"]
        elif original.count(m["find"]) != 1:
            results.append((m, f"STALE (text found {original.count(m['find'])} times)"))
            continue
        else:
            mutated = original.replace(m["find"], m["replace"])
        print(f"mutate: {m['name']} -> suite {m['suite']} ...", end="", flush=True)
        started = time.monotonic()
        try:
            path.write_text(mutated)
            built, log = TREE.build(outputs)
            if not built:
                results.append((m, "DOES NOT BUILD"))
                print("\n" + log[-3000:], flush=True)
                continue
            passed, _ = TREE.run_tests(selector, stop_at_first_failure=True, env=env)  # one failing test kills it
            results.append((m, "SURVIVED" if passed else "killed"))
            print(f" {results[-1][1]} ({time.monotonic() - started:.0f} s)", flush=True)
        finally:
            path.write_text(original)

    width = max([len(m["name"]) for m, _ in results] + [8])
    suite_width = max([len(m["suite"]) for m, _ in results] + [5])
    print()
    print(f"{'mutation':<{width}}  {'suite':<{suite_width}}  result")
    for m, outcome in results:
        print(f"{m['name']:<{width}}  {m['suite']:<{suite_width}}  {outcome}")
    bad = [m["name"] for m, outcome in results if outcome != "killed"]
    print(f"\nmutate: {len(results) - len(bad)} of {len(results)} mutations killed"
          + (f"; not killed: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
