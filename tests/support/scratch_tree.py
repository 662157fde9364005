"""A scratch copy of the workbook with its own build folder, reused across runs: what the mutation audit
(tests/mutations/mutate.py, build-mutate/ and with --lanes build-mutate-laneN/) puts one bug into at a
time, what `./workbook exercise` puts the learner's files into (tests/exercises/exercise.py,
build-exercise/), what the tests of adding a listing and an exercise add one to
(tests/listings/add_listing_check.py, build-add-listing/; tests/exercises/add_exercise_check.py,
build-add-exercise/), and what its own test checks (tests/harness/scratch_tree_check.py,
build-scratch-check/). The original tree and its build/ are never touched.

The copy keeps its build folder where the original does (tree/build beside tree/'s sources), so that
the paths compilers and programs print (../tests/...) are the same as in the original's build.
"""
import filecmp
import json
import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent


def run(command, **kwargs):
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", **kwargs)


def unescape(text):
    """A table field's text (mutations.tsv, wrong_answers.tsv): \\n a newline, \\t a tab, \\\\ a backslash."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append({"n": "\n", "t": "\t", "\\": "\\"}.get(text[i + 1], "\\" + text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def table_rows(table, count, shown=None):
    """The rows of a tab-separated table (mutations.tsv, wrong_answers.tsv) as (line number, fields),
    blank lines and `#` comments left out; exits naming a row that has not `count` fields."""
    rows = []
    for number, line in enumerate(pathlib.Path(table).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != count:
            sys.exit(f"{shown or table}:{number}: expected {count} tab-separated fields, got {len(fields)}")
        rows.append((number, fields))
    return rows


def tests_of(build_dir, suite):
    """The Meson tests of build_dir that a suite (or one test's full name) selects, and the `meson test`
    selector."""
    tests = json.loads((pathlib.Path(build_dir) / "meson-info" / "intro-tests.json").read_text())
    by_name = [t for t in tests if t["name"] == suite]
    if by_name:
        return by_name, [suite]
    in_suite = [t for t in tests if any(s == suite or s.endswith(":" + suite) for s in t["suite"])]
    return in_suite, ["--suite", suite]


def _skipped(relative):
    top = relative.parts[0] if relative.parts else ""
    return top.startswith("build") or top == ".git" or "__pycache__" in relative.parts


class ScratchTree:
    def __init__(self, scratch_name):
        # e.g. build-mutate; a compiler's own (build-mutate-clang++-16) when the driver names one, since
        # a build folder keeps the compiler it was first configured with.
        self.scratch = ROOT / (scratch_name + os.environ.get("WORKBOOK_SCRATCH_SUFFIX", ""))
        self.source = self.scratch / "tree"
        self.build_dir = self.source / "build"

    def sync(self, overrides=None):
        """Makes the copy a copy of the working tree (uncommitted edits included), except that each
        path of `overrides` (relative path -> text) gets that text; touches only files whose content
        changed, so that the reused build folder rebuilds only what they feed."""
        self.scratch.mkdir(exist_ok=True)
        overrides = {pathlib.Path(path): text for path, text in (overrides or {}).items()}
        for relative, text in overrides.items():
            target = self.source / relative
            if not target.exists() or target.read_text() != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text)
        wanted = set(overrides)
        for directory, subdirs, files in os.walk(ROOT):
            relative_dir = pathlib.Path(directory).relative_to(ROOT)
            subdirs[:] = [d for d in subdirs if not _skipped(relative_dir / d)]
            for name in files:
                relative = relative_dir / name
                if relative not in overrides:
                    wanted.add(relative)
                    self.put(relative, ROOT / relative)
        for directory, subdirs, files in os.walk(self.source):
            relative_dir = pathlib.Path(directory).relative_to(self.source)
            subdirs[:] = [d for d in subdirs if not _skipped(relative_dir / d)]
            for name in files:
                relative = pathlib.Path(directory, name).relative_to(self.source)
                if relative not in wanted:
                    (self.source / relative).unlink()
        # A folder the working tree no longer has (a renamed listing) goes too: the tables' validator
        # reads folders, not files.
        for directory, subdirs, files in os.walk(self.source, topdown=False):
            relative_dir = pathlib.Path(directory).relative_to(self.source)
            if relative_dir != pathlib.Path(".") and not _skipped(relative_dir) and not os.listdir(directory):
                os.rmdir(directory)

    def changed_files(self, generated=()):
        """The copy's files that the working tree lacks or has otherwise (relative paths, sorted), build
        folders and the `generated` paths left out: what was written into the copy by hand."""
        changed = []
        for directory, subdirs, files in os.walk(self.source):
            relative_dir = pathlib.Path(directory).relative_to(self.source)
            subdirs[:] = [d for d in subdirs if not _skipped(relative_dir / d)]
            for name in files:
                relative = relative_dir / name
                original = ROOT / relative
                if str(relative) in generated:
                    continue
                if not original.is_file() or not filecmp.cmp(original, self.source / relative, shallow=False):
                    changed.append(str(relative))
        return sorted(changed)

    def hand_written_verdict(self, most, generated):
        """(ok, sentence): whether the copy differs from the tree in at least one and at most `most`
        files, `generated` ones left out; counted after everything ran, so that a file a tool had to
        be given by hand shows."""
        changed = self.changed_files(generated)
        return (0 < len(changed) <= most,
                f"the copy differs from the tree in {len(changed)} files (at most {most}): {', '.join(changed)}")

    def put(self, relative, original):
        """Copies `original` to `relative` in the copy unless the copy already has that content."""
        target = self.source / relative
        if not target.exists() or not filecmp.cmp(original, target, shallow=False):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(original, target)
            shutil.copymode(original, target)

    def configure(self, who):
        if not (self.build_dir / "build.ninja").exists():
            done = run(["meson", "setup", str(self.build_dir), str(self.source)])
            if done.returncode != 0:
                sys.exit(f"{who}: meson setup failed:\n" + done.stdout)
        done = run(["ninja", "-C", str(self.build_dir), "build.ninja"])  # reconfigures if a meson.build changed
        if done.returncode != 0:
            sys.exit(f"{who}: reconfiguring failed:\n" + done.stdout)

    def tests_of(self, suite):
        return tests_of(self.build_dir, suite)

    def targets_for(self, tests):
        """The build outputs the tests need: their executables and what they depend on."""
        targets = json.loads((self.build_dir / "meson-info" / "intro-targets.json").read_text())
        by_id = {t["id"]: t for t in targets}
        outputs = set()
        for test in tests:
            for dependency in test["depends"]:
                outputs.update(by_id[dependency]["filename"] if dependency in by_id else [])
            if test["cmd"] and pathlib.Path(test["cmd"][0]).is_relative_to(self.build_dir):
                outputs.add(test["cmd"][0])
        return sorted(os.path.relpath(output, self.build_dir) for output in outputs)

    def build(self, outputs, keep_going=False):
        # No outputs (tests that run a script): still regenerate build.ninja, and with it the tests'
        # definitions, if a meson.build changed.
        targets = outputs or ["build.ninja"]
        done = run(["nice", "ninja", "-j2", "-C", str(self.build_dir)] + (["-k", "0"] if keep_going else []) + targets)
        return done.returncode == 0, done.stdout

    def run_tests(self, selector, stop_at_first_failure=False, env=None):
        """Runs the tests `selector` picks (tests_of, or `:NAME`s); as many at once as $MESON_TESTTHREADS
        says (the driver sets it as for `./workbook test`)."""
        stop = ["--maxfail", "1"] if stop_at_first_failure else []
        done = run(["meson", "test", "-C", str(self.build_dir), "--no-rebuild", "--print-errorlogs"] + stop + selector,
                   env=env)
        return done.returncode == 0, done.stdout

    def failing_tests(self, names, env=None):
        """Runs the tests named, all in one `meson test`, and returns the names of those that failed (or
        timed out), with its output."""
        done = run(["meson", "test", "-C", str(self.build_dir), "--no-rebuild", "--print-errorlogs",
                    "--logbase", "scratch-baseline"] + [":" + name for name in names], env=env)
        results = [json.loads(line) for line in
                   (self.build_dir / "meson-logs" / "scratch-baseline.json").read_text().splitlines() if line.strip()]
        ran = {result["name"].split(" / ", 1)[-1]: result["result"] for result in results}  # "project:suite / name"
        return {name for name in names if ran.get(name) != "OK"}, done.stdout
