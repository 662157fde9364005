#!/usr/bin/env python3
"""The mutation audit: puts each bug listed in mutations.tsv into a scratch copy of the workbook, one at
a time, and checks that the Meson suite (or test) the entry names fails on it. A test that has gone
blind lets its mutation survive.

    mutate.py [--list] [NAME...]

The scratch copy is build-mutate/tree (the working tree as it is, uncommitted edits included, synced
on each run) with its own build folder build-mutate/tree/build, reused across runs. For each suite it first
checks that the suite passes unmutated (a failing suite would "kill" anything); then, per mutation, it
edits one file, builds only what the suite's tests depend on, runs the suite, and restores the file.
Prints a table (mutation, suite, killed/SURVIVED); exits 1 if any mutation survived or could not be
applied or built.

mutations.tsv, tab-separated, `#` comments: NAME, SUITE (a Meson suite, e.g. `06`, or one test's full
name), FILE (relative to the root), FIND, REPLACE. FIND must occur exactly once in FILE; an empty FIND
means the whole file. In FIND and REPLACE, \\n is a newline, \\t a tab, \\\\ a backslash.
"""
import argparse
import filecmp
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
TABLE = pathlib.Path(__file__).resolve().parent / "mutations.tsv"
SCRATCH = ROOT / "build-mutate"
# The copy keeps its build folder where the original does (tree/build beside tree/'s sources), so that
# the paths compilers and programs print (../tests/...) are the same as in the original's build.
SOURCE = SCRATCH / "tree"
BUILD = SOURCE / "build"


def unescape(text):
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


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


def skipped(relative):
    top = relative.parts[0] if relative.parts else ""
    return top.startswith("build") or top == ".git" or "__pycache__" in relative.parts


def sync_source():
    """Makes SOURCE a copy of the working tree; touches only files whose content changed (so that the
    reused build folder rebuilds only what they feed)."""
    wanted = set()
    for directory, subdirs, files in os.walk(ROOT):
        relative_dir = pathlib.Path(directory).relative_to(ROOT)
        subdirs[:] = [d for d in subdirs if not skipped(relative_dir / d)]
        for name in files:
            relative = relative_dir / name
            wanted.add(relative)
            target = SOURCE / relative
            if not target.exists() or not filecmp.cmp(ROOT / relative, target, shallow=False):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / relative, target)
                shutil.copymode(ROOT / relative, target)
    for directory, subdirs, files in os.walk(SOURCE):
        relative_dir = pathlib.Path(directory).relative_to(SOURCE)
        subdirs[:] = [d for d in subdirs if not skipped(relative_dir / d)]
        for name in files:
            relative = pathlib.Path(directory, name).relative_to(SOURCE)
            if relative not in wanted:
                (SOURCE / relative).unlink()


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", **kwargs)


def configure():
    if not (BUILD / "build.ninja").exists():
        done = run(["meson", "setup", str(BUILD), str(SOURCE)])
        if done.returncode != 0:
            sys.exit("mutate.py: meson setup failed:\n" + done.stdout)
    done = run(["ninja", "-C", str(BUILD), "build.ninja"])  # reconfigures if a meson.build changed
    if done.returncode != 0:
        sys.exit("mutate.py: reconfiguring failed:\n" + done.stdout)


def tests_of(suite):
    tests = json.loads((BUILD / "meson-info" / "intro-tests.json").read_text())
    by_name = [t for t in tests if t["name"] == suite]
    if by_name:
        return by_name, [suite]
    in_suite = [t for t in tests if any(s == suite or s.endswith(":" + suite) for s in t["suite"])]
    return in_suite, ["--suite", suite]


def targets_for(tests):
    """The build outputs the tests need: their executables and what they depend on."""
    targets = json.loads((BUILD / "meson-info" / "intro-targets.json").read_text())
    by_id = {t["id"]: t for t in targets}
    outputs = set()
    for test in tests:
        for dependency in test["depends"]:
            outputs.update(by_id[dependency]["filename"] if dependency in by_id else [])
        if test["cmd"] and pathlib.Path(test["cmd"][0]).is_relative_to(BUILD):
            outputs.add(test["cmd"][0])
    return sorted(os.path.relpath(output, BUILD) for output in outputs)


def build(outputs):
    if not outputs:
        return True, ""
    done = run(["nice", "ninja", "-j2", "-C", str(BUILD)] + outputs)
    return done.returncode == 0, done.stdout


def run_suite(selector):
    done = run(["meson", "test", "-C", str(BUILD), "--no-rebuild", "--print-errorlogs"] + selector)
    return done.returncode == 0, done.stdout


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

    print(f"mutate: scratch copy in {SOURCE.relative_to(ROOT)}/ (build folder: build/)", flush=True)
    SCRATCH.mkdir(exist_ok=True)
    sync_source()
    configure()

    results = []
    baseline = {}
    for m in mutations:
        tests, selector = tests_of(m["suite"])
        if not tests:
            results.append((m, "NO SUCH SUITE"))
            continue
        outputs = targets_for(tests)
        if m["suite"] not in baseline:
            built, log = build(outputs)
            passed, log = run_suite(selector) if built else (False, log)
            baseline[m["suite"]] = passed
            if not passed:
                print(f"mutate: suite {m['suite']} fails without any mutation:\n{log}", flush=True)
        if not baseline[m["suite"]]:
            results.append((m, "SUITE FAILS UNMUTATED"))
            continue
        path = SOURCE / m["file"]
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
        print(f"mutate: {m['name']} -> suite {m['suite']} ...", flush=True)
        try:
            path.write_text(mutated)
            built, log = build(outputs)
            if not built:
                results.append((m, "DOES NOT BUILD"))
                print(log[-3000:], flush=True)
                continue
            passed, _ = run_suite(selector)
            results.append((m, "SURVIVED" if passed else "killed"))
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
