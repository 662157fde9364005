#!/usr/bin/env python3
"""The mutation audit: puts each bug listed in mutations.tsv into a scratch copy of the workbook, one at
a time, and checks that the test (by its key) or group suite the entry names fails on it. A test that
has gone blind lets its mutation survive.

    mutate.py [--list] [--lanes N] [NAME...]

The scratch copy is build-mutate/tree (the working tree as it is, uncommitted edits included, synced
on each run) with its own build folder build-mutate/tree/build, reused across runs. It first checks that
every test the named suites hold passes unmutated, all in one run (a failing suite would "kill"
anything); then, per mutation, it edits one file, builds only what the suite's tests depend on, runs
the suite until its first failure (GoogleTest's fail-fast on, in both runs), and restores the file.
--lanes N takes rows N at a time, each lane in a scratch copy of its own (build-mutate-laneN/), with
the test processes ($MESON_TESTTHREADS) shared among them: the suites mostly wait.
Prints a table (mutation, suite, killed/SURVIVED); exits 1 if any mutation survived or could not be
applied or built.

mutations.tsv, tab-separated, `#` comments: NAME, SUITE (a test's key, e.g. `06-server`, or a group
suite, e.g. `06`: tests/test_keys.py; never a test's sentence), FILE (relative to the root), FIND,
REPLACE. FIND must occur exactly once in FILE; an empty FIND means the whole file. In FIND and REPLACE,
\\n is a newline, \\t a tab, \\\\ a backslash.
"""
import argparse
import os
import pathlib
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from scratch_tree import ROOT, ScratchTree, table_rows, unescape  # noqa: E402
from test_keys import read_tests, suites  # noqa: E402

TABLE = pathlib.Path(__file__).resolve().parent / "mutations.tsv"
TREE = ScratchTree("build-mutate")


def read_table(table=TABLE):
    mutations = []
    for _, (name, suite, path, find, replace) in table_rows(table, 5):
        mutations.append({"name": name, "suite": suite, "file": path, "find": unescape(find),
                          "replace": unescape(replace)})
    names = [m["name"] for m in mutations]
    if len(set(names)) != len(names):
        sys.exit(f"{table}: mutation names must be unique")
    return mutations


def selected_tests(tree, suite):
    """The tests a row's SUITE selects (tests_of), and the `meson test` selector; none when SUITE is no
    suite of the build (a test's sentence names no suite)."""
    if suite not in {name for test in read_tests(tree.build_dir) for name in suites(test)}:
        return [], []
    return tree.tests_of(suite)


def apply_one(tree, m, selected, failing, env):
    """Puts mutation `m` into `tree`, builds and runs its suite, restores the file; the outcome, and the
    line to print."""
    tests, selector = selected[m["name"]]
    if not tests:
        return "NO SUCH SUITE", None
    if failing & {t["name"] for t in tests}:
        return "SUITE FAILS UNMUTATED", None
    path = tree.source / m["file"]
    if not path.is_file():
        return "NO SUCH FILE", None
    original = path.read_text()
    if m["find"] == "":
        mutated = m["replace"]
    elif original.count(m["find"]) != 1:
        return f"STALE (text found {original.count(m['find'])} times)", None
    else:
        mutated = original.replace(m["find"], m["replace"])
    started = time.monotonic()
    try:
        path.write_text(mutated)
        built, log = tree.build(tree.targets_for(tests))
        said = f"mutate: {m['name']} -> suite {m['suite']} ..."
        if not built:
            return "DOES NOT BUILD", f"{said} DOES NOT BUILD\n{log[-3000:]}"
        passed, _ = tree.run_tests(selector, stop_at_first_failure=True, env=env)  # one failing test kills it
        outcome = "SURVIVED" if passed else "killed"
        return outcome, f"{said} {outcome} ({time.monotonic() - started:.0f} s)"
    finally:
        path.write_text(original)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--lanes", type=int, default=1,
                        help="scratch copies that take rows side by side (the suites mostly wait); default 1")
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

    lanes = [TREE] + [ScratchTree(f"build-mutate-lane{number}") for number in range(2, max(1, args.lanes) + 1)]
    print(f"mutate: scratch copies in {', '.join(str(lane.source.relative_to(ROOT)) for lane in lanes)}/ "
          "(build folder: build/)", flush=True)
    for lane in lanes:
        lane.sync()
        lane.configure("mutate.py")

    # GoogleTest stops a program at its first failing case: one is enough to kill a mutation. The
    # unmutated run has the same setting, so a test that cannot bear it fails there, not by luck later.
    # The lanes share the test processes ./workbook test would run ($MESON_TESTTHREADS).
    processes = int(os.environ.get("MESON_TESTTHREADS") or os.cpu_count() or 1)
    env = dict(os.environ, GTEST_FAIL_FAST="1", MESON_TESTTHREADS=str(max(1, processes // len(lanes))))
    selected = {m["name"]: selected_tests(TREE, m["suite"]) for m in mutations}
    every_test = sorted({t["name"] for tests, _ in selected.values() for t in tests})
    started = time.monotonic()
    every_output = TREE.targets_for([t for tests, _ in selected.values() for t in tests])
    for lane in lanes:
        built, log = lane.build(every_output)
        if not built:
            print(f"mutate: the unmutated copy does not build:\n{log[-3000:]}", flush=True)
            return 1
    # Every suite the rows name must pass unmutated (a failing suite would "kill" anything): one run of
    # all their tests at once, as ./workbook test runs them (the lanes are copies of the same tree).
    failing, log = TREE.failing_tests(every_test, env=dict(env, MESON_TESTTHREADS=str(processes)))
    print(f"mutate: {len(every_test)} tests pass unmutated, {len(failing)} fail "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    if failing:
        print(log[-5000:], flush=True)

    outcomes = {}
    queue = list(mutations)
    lock = threading.Lock()

    def work(lane):
        while True:
            with lock:
                if not queue:
                    return
                m = queue.pop(0)
            try:
                outcome, line = apply_one(lane, m, selected, failing, env)
            except Exception as error:  # noqa: BLE001 - reported as the row's outcome, not lost in a thread
                outcome, line = f"ERROR ({error!r})", None
            with lock:
                outcomes[m["name"]] = outcome
                if line:
                    print(line, flush=True)

    workers = [threading.Thread(target=work, args=(lane,)) for lane in lanes]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results = [(m, outcomes[m["name"]]) for m in mutations]

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
