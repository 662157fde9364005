#!/usr/bin/env python3
"""The learner's exercises (`./workbook exercise`, `hint`, `solution`), and their audits.

An exercise is a row of its stage's listings.tsv (read through steps/listings.py) with kind `exercise`
(a book stage's work left to do; id the stage's number) or `extension` (beyond the book; id its name).
Its folder holds `exercise.md` (its metadata, TODOs and hints: exercise_metadata.py reads it and says
what each key means) and the learner's files, which `./workbook exercise ID` (or `reset`) writes from
the listing the exercise builds on, with the TODO(exercise) comments inserted; git ignores them.

A check never touches the main build: like the mutation audit it works on a scratch copy
(build-exercise/tree, tests/support/scratch_tree.py), puts the exercise's files over the listing's,
builds only what the check's tests need and runs them (directly, as Meson would, $MESON_TESTTHREADS at once).

    exercise.py list | check ID | hint ID | reset ID | solution ID [--apply]
    exercise.py verify [ID...]      every start fails, every start + `solution` patch passes, hints
    exercise.py audit [ID|NAME...]  every wrong answer of wrong_answers.tsv fails, saying MUST_SAY
"""
import dataclasses
import datetime
import fnmatch
import hashlib
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from xml.etree import ElementTree

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "support"))
sys.path.insert(0, str(HERE.parent / "instruments"))  # test_view
sys.path.insert(0, str(HERE.parent.parent / "steps"))
sys.path.insert(0, str(HERE.parent))  # test_keys
sys.dont_write_bytecode = True  # no __pycache__ in the tree (the scratch copy syncs it)
import exercise_metadata  # noqa: E402
import exercise_patch  # noqa: E402
import listings  # noqa: E402
import test_keys  # noqa: E402
import exercise_report as words_for  # noqa: E402
from scratch_tree import ROOT, ScratchTree, run, table_rows, unescape  # noqa: E402

try:  # the learner's view of a gtest report (tests/instruments/test_view.py): used when it answers as expected
    import test_view
except Exception:  # noqa: BLE001  (it is another part's; its absence must not stop a check)
    test_view = None

TREE = ScratchTree("build-exercise")  # holds state.json (last result per exercise, hints shown, tests'
# durations, verified solutions) and saved/ (the learner's files before `solution --apply`)
WRONG_ANSWERS = HERE / "wrong_answers.tsv"


# ---------------------------------------------------------------------------------------------------
# The exercises

@dataclasses.dataclass
class Exercise:
    id: str
    kind: str
    title: str
    stage: pathlib.Path
    folder: pathlib.Path
    meta: exercise_metadata.Metadata

    @property
    def conf(self):  # the head of exercise.md: check, missing, replaces, program, meson, ...
        return self.meta.head

    @property
    def listing(self):
        """Where the learner's files go in the scratch copy: the listing they stand in for, or, for a
        program of its own, the exercise's folder (its meson file builds it there)."""
        if "program" in self.conf:
            return rel(self.folder)
        return rel(listings.find(self.conf["replaces"]).folder)

    def base_files(self):
        """The files the start is made of before its TODOs: the builds-on listing's, and exercise.md's
        `## Start` ones; and how the start's header names that listing."""
        files, name = {}, "exercise.md"
        if "builds-on" in self.conf:
            row = listings.find(self.conf["builds-on"])
            files, name = sources(row.folder), f"listing {row.id} ({rel(row.folder)}/)"
        files.update(self.meta.starts)
        return files, name


def exercises():
    found = []
    for row in listings.rows():
        if row.kind in listings.EXERCISE_KINDS:
            try:
                meta = exercise_metadata.read(row.folder / "exercise.md")
            except (OSError, exercise_metadata.MetadataError) as error:
                sys.exit(f"exercise: {error}")
            found.append(Exercise(row.id, row.kind, row.title, row.folder.parent, row.folder, meta))
    return found


def find(exercise_id):
    every = exercises()
    for e in every:
        if exercise_id == e.id:
            return e
    sys.exit(f"workbook: no exercise '{exercise_id}' (the exercises: {', '.join(e.id for e in every)})")


def load_state():
    path = TREE.scratch / "state.json"
    state = json.loads(path.read_text()) if path.exists() else {}
    for key in ("results", "hints", "durations", "verified"):
        state.setdefault(key, {})
    return state


def save_state(state):
    TREE.scratch.mkdir(exist_ok=True)
    (TREE.scratch / "state.json").write_text(json.dumps(state, indent=1))


def rel(path):
    path = pathlib.Path(path)
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def sources(folder):
    return {p.name: p.read_text() for p in sorted(pathlib.Path(folder).iterdir()) if p.suffix in (".cpp", ".hpp")}


def fingerprint(files):
    return hashlib.sha256("\0".join(f"{n}\0{t}" for n, t in sorted(files.items())).encode()).hexdigest()


def learner_files(e):
    """The learner's files as they are now (a file not written yet is absent)."""
    return {name: (e.folder / name).read_text() for name in e.meta.edits if (e.folder / name).is_file()}


def untouched(e):
    """No start written yet, or the start as written."""
    files = learner_files(e)
    return not files or files == start_files(e)


def start_files(e):
    """The start the learner gets: the listing it builds on, with the TODO(exercise) comments."""
    base, name = e.base_files()
    try:
        return exercise_metadata.start_files(e.id, e.meta, base, name)
    except exercise_metadata.MetadataError as error:
        sys.exit(f"exercise: {error}")


def solution_files(e):
    """The reference solution: the listing a book exercise stands in for; an extension's `solution`
    patch applied to the files it builds on (patch -p1, paths a/NAME b/NAME)."""
    if "solution" not in e.conf:
        return sources(ROOT / e.listing)
    base, _ = e.base_files()
    with tempfile.TemporaryDirectory() as scratch:
        for name, text in base.items():
            pathlib.Path(scratch, name).write_text(text)
        done = run(["patch", "-p1", "-s", "-d", scratch, "-i", str(e.folder / e.conf["solution"])])
        if done.returncode != 0:
            sys.exit(f"exercise: {rel(e.folder / e.conf['solution'])} does not apply to what {e.id} "
                     "builds on:\n"
                     + done.stdout)
        return {name: text for name, text in sources(scratch).items() if name in e.meta.edits}


def write_start(e):
    e.folder.mkdir(parents=True, exist_ok=True)
    for name, text in start_files(e).items():
        (e.folder / name).write_text(text)


# ---------------------------------------------------------------------------------------------------
# The scratch copy: put files in place, build, run tests

def scratch_meson():
    """The scratch copy's top-level meson.build: the workbook's, plus every exercise's `meson` file, the
    same for every exercise, so that moving from one exercise to the next never reconfigures."""
    extra = sorted({e.conf["meson"] for e in exercises() if "meson" in e.conf})
    return (ROOT / "meson.build").read_text() + "".join("\n" + (ROOT / name).read_text() for name in extra)


def prepare(e, files):
    """The scratch copy with `files` (name -> text) in place of the listing's .cpp/.hpp; the check's
    Meson tests (dicts of meson-info/intro-tests.json)."""
    listing = pathlib.Path(e.listing)
    overrides = {listing / name: "" for name in sources(ROOT / listing)}  # a file the exercise lacks is empty
    for other in exercises():  # a program of its own is built in every scratch copy: its start at least
        if "program" in other.conf and other.folder != e.folder:
            folder = pathlib.Path(rel(other.folder))
            overrides.update({folder / name: text for name, text in start_files(other).items()})
    overrides.update({listing / name: text for name, text in files.items()})
    overrides[pathlib.Path("meson.build")] = scratch_meson()
    TREE.sync(overrides)
    TREE.configure("exercise")
    tests = []
    for key in e.conf["check"]:
        found = [t for t in TREE.tests_of(key)[0] if test_key(t) == key]
        if not found:
            sys.exit(f"exercise: {e.id}: no Meson test with the key {key!r} (exercise.md's check lines name "
                     f"each test by its key: tests/test_keys.py)")
        tests += [t for t in found if t not in tests]
    return tests


def test_key(test):
    """A Meson test's key (its suite of its own, tests/test_keys.py): what check lines and `missing`
    patterns name it by; its name where it has none (a test made up by the self-test)."""
    try:
        return test_keys.key_of(test) if test.get("suite") else test["name"]
    except LookupError:
        return test["name"]


@dataclasses.dataclass
class Run:
    test: dict
    arguments: list
    process: subprocess.Popen = None
    output: object = None
    started: float = 0.0
    duration: float = 0.0
    returncode: int = None
    timed_out: bool = False
    stdout: str = ""
    xml: str = ""
    running: bool = False  # a snapshot of a test still running: its stdout so far, its last gtest unfinished
    shard: tuple = None  # (index, count): this run is one gtest shard of the test

    @property
    def name(self):
        return self.test["name"]

    @property
    def gtest(self):
        return self.test["protocol"] == "gtest"

    @property
    def passed(self):
        return self.returncode == 0 and not self.timed_out and not self.running

    def snapshot(self):
        """This run as it stands, for `enough` to judge while it goes on (pread: the child shares the
        file's offset)."""
        size = os.fstat(self.output.fileno()).st_size
        text = os.pread(self.output.fileno(), size, 0).decode(errors="replace")
        return dataclasses.replace(self, stdout=text, running=True)


def xml_path(test, shard=None):
    """Where Meson has a gtest write its report (test_view reads it); a shard's own, beside it."""
    return TREE.build_dir / (f"{test['name']}.xml" if shard is None else f"{test['name']}.shard-{shard[0]}.xml")


# The tests mostly wait (on servers, sleeps, deadlines), so more run at once than there are cores; a
# gtest program that took SHARD_ABOVE seconds last time runs as gtest shards side by side (an untouched
# start makes each of its cases wait out a deadline).
SLOTS_PER_CORE = 2
SHARD_ABOVE = 8.0
SHARDS = 4


def start(run_):
    test = run_.test
    command = list(test["cmd"]) + run_.arguments
    env = dict(os.environ, **test["env"], MESON_TEST_ITERATION="1")
    if run_.gtest:
        xml_path(test, run_.shard).unlink(missing_ok=True)
        command.append(f"--gtest_output=xml:{xml_path(test, run_.shard)}")
    if run_.shard:
        env.update(GTEST_SHARD_INDEX=str(run_.shard[0]), GTEST_TOTAL_SHARDS=str(run_.shard[1]))
    run_.output = tempfile.TemporaryFile()
    run_.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=run_.output, stderr=subprocess.STDOUT,
                                    cwd=test["workdir"] or TREE.build_dir, start_new_session=True, env=env)
    run_.started = time.monotonic()


def stop(run_):
    """Ends a test program and everything it started (its own process group)."""
    for sent in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(run_.process.pid, sent)
        except ProcessLookupError:
            break
        try:
            run_.process.wait(timeout=2)
            break
        except subprocess.TimeoutExpired:
            continue


def collect(run_):
    run_.returncode = run_.process.wait()
    run_.duration = time.monotonic() - run_.started
    try:
        os.killpg(run_.process.pid, signal.SIGKILL)  # anything it left behind
    except (ProcessLookupError, PermissionError):
        pass
    run_.output.seek(0)
    run_.stdout = run_.output.read().decode(errors="replace")
    run_.output.close()
    if run_.gtest and xml_path(run_.test, run_.shard).exists():
        run_.xml = xml_path(run_.test, run_.shard).read_text(errors="replace")


def merged(shards):
    """One test's run from its shards' runs: their output in turn, one report (written where Meson's
    would be), the first failing status, the longest time."""
    first = shards[0]
    report = None
    for shard in shards:
        if shard.xml:
            root = ElementTree.fromstring(shard.xml)
            if report is None:
                report = root
            else:
                report.extend(list(root))
    xml = ElementTree.tostring(report, encoding="unicode") if report is not None else ""
    if xml:
        xml_path(first.test).write_text(xml)
    return dataclasses.replace(
        first, shard=None, stdout="".join(s.stdout for s in shards), xml=xml,
        returncode=next((s.returncode for s in shards if s.returncode != 0), 0),
        timed_out=any(s.timed_out for s in shards), running=any(s.running for s in shards),
        duration=max(s.duration for s in shards))


def runs_of(test, arguments, durations, shard):
    """The runs of one test: one, or SHARDS gtest shards when sharding is wanted and the test was slow
    (or has not run yet)."""
    slow = durations.get(test["name"], SHARD_ABOVE) >= SHARD_ABOVE
    if shard and slow and test["protocol"] == "gtest" and not arguments:
        return [Run(test, [], shard=(index, SHARDS)) for index in range(SHARDS)]
    return [Run(test, list(arguments))]


def run_tests(tests, arguments=None, enough=None):
    """Runs the tests as `meson test` would (its command, environment, folder and time limit), a few
    at once (SLOTS_PER_CORE), the longest (last time) first, a slow gtest program in shards unless
    `enough` is given. `arguments(test)` adds arguments; `enough(finished runs)` true stops the others.
    Returns one run per test that finished, in `tests`' order."""
    state = load_state()
    durations = state["durations"]
    queue = [run_ for test in sorted(tests, key=lambda t: -durations.get(t["name"], 1000))
             for run_ in runs_of(test, arguments(test) if arguments else [], durations, shard=enough is None)]
    running, finished = [], []
    # As many as ./workbook test runs at once ($MESON_TESTTHREADS, which the driver sets).
    jobs = int(os.environ.get("MESON_TESTTHREADS") or 0) or max(1, os.cpu_count() or 1) * SLOTS_PER_CORE
    next_probe = 0.0
    try:
        while queue or running:
            while queue and len(running) < jobs and (not running or queue[0].test["is_parallel"]
                                                     and all(r.test["is_parallel"] for r in running)):
                running.append(queue.pop(0))
                start(running[-1])
            time.sleep(0.02)
            for run_ in list(running):
                limit = run_.test.get("timeout") or 0
                if run_.process.poll() is None and limit > 0 and time.monotonic() - run_.started > limit:
                    run_.timed_out = True
                    stop(run_)
                if run_.process.poll() is not None:
                    collect(run_)
                    running.remove(run_)
                    finished.append(run_)
            if enough and time.monotonic() >= next_probe:  # the finished runs and the others so far
                next_probe = time.monotonic() + 0.25
                snapshots = [r.snapshot() for r in running if r.gtest]
                if enough(finished + snapshots):
                    finished += snapshots
                    break
    finally:
        for run_ in running:
            stop(run_)
            run_.output.close()
    by_test = {}
    for run_ in finished:
        by_test.setdefault(run_.name, []).append(run_)
    finished = [merged(sorted(runs, key=lambda r: r.shard)) if runs[0].shard else runs[0] for runs in by_test.values()]
    state = load_state()
    # The longest a test has taken (a sharded one: its longest shard times the shard count): a test that
    # was slow once, as on an untouched start, stays first in the queue and stays sharded.
    for r in finished:
        if not r.arguments and not r.running:
            taken = r.duration * (SHARDS if len(by_test[r.name]) > 1 else 1)
            state["durations"][r.name] = round(max(taken, state["durations"].get(r.name, 0)), 2)
    save_state(state)
    order = {t["name"]: i for i, t in enumerate(tests)}
    return sorted(finished, key=lambda r: order[r.name])


# ---------------------------------------------------------------------------------------------------
# From the runs to what the learner reads

@dataclasses.dataclass
class Verdict:
    passed: bool  # every test ran to its end and passed
    compiled: bool
    report: str
    failures: list = dataclasses.field(default_factory=list)
    seconds: dict = dataclasses.field(default_factory=dict)  # build, tests: where a check's time went

    @property
    def failed(self):  # something failed (a check stopped early has neither passed nor failed)
        return not self.compiled or bool(self.failures)


def name_in_words(name):
    if test_view and hasattr(test_view, "words"):
        try:
            return test_view.words(name)
        except Exception:  # noqa: BLE001
            pass
    return name


def view_entries(run_):
    """test_view's lines for a gtest report, as (headline, lines under it); None when it gives none."""
    if not (test_view and hasattr(test_view, "gtest_lines") and run_.xml):
        return None
    try:
        lines = test_view.gtest_lines(str(xml_path(run_.test)), False)
    except Exception:  # noqa: BLE001  (its format may change: then our own lines)
        return None
    entries = []
    for line in lines or []:
        if re.match(r"^\s{0,4}[✓✗-] ", line):
            entries.append((line.strip(), []))
        elif entries:
            entries[-1][1].append(line)
    return entries or None


def how_it_ended(run_):
    limit = run_.test.get("timeout")
    if run_.timed_out:
        return f"the test program was stopped at its {limit} s limit while this test ran"
    if run_.returncode is not None and run_.returncode < 0:
        return f"the test program was killed by {words_for.signal_name(run_.returncode)} while this test ran"
    if run_.returncode:
        return (f"the test program ended with exit status {run_.returncode} while this test ran"
                + (" (101: a panic, which ends the whole program as in Rust)" if run_.returncode == 101 else ""))
    return ""


def gtest_section(run_, paths, where):
    """The lines for one gtest program: its ✓ lines with figures, each failure whole; and the names of
    the failed gtests (the program's own name when no gtest can be blamed)."""
    cases = words_for.gtest_cases(paths(run_.stdout), run_.xml)
    if run_.running and cases and cases[-1].result == "crashed":
        cases.pop()  # still running, not crashed
    failed = [c for c in cases if c.result in ("failed", "crashed")]
    entries = view_entries(run_)
    lines = []
    in_report = [c for c in failed if c.result == "failed"]
    if entries is not None and sum(1 for h, _ in entries if h.startswith("✗")) == len(in_report):
        pending = iter(in_report)
        for headline, under in entries:
            if headline.startswith("✗"):
                case = next(pending)
                lines += words_for.failure_section(case, paths(headline), [paths(line) for line in under], "", where)
            else:
                lines.append("  " + paths(headline))
    else:
        for case in cases:
            if case.result == "passed" and case.properties.get("observed"):
                shows = case.properties.get("shows")
                lines.append(f"  ✓ {case.properties['observed']}" + (f": {shows}" if shows else ""))
            elif case.result == "failed":
                lines += words_for.failure_section(case, words_for.case_headline(case, name_in_words), [], "", where)
    for case in (c for c in failed if c.result == "crashed"):
        lines += words_for.failure_section(case, words_for.case_headline(case, name_in_words), [],
                                           how_it_ended(run_), where)
    names = [c.name for c in failed]
    if not run_.passed and not names and not run_.running:  # it failed, yet no gtest did: said whole
        ended = how_it_ended(run_) or "the test program failed after its gtests passed"
        tail = [line for line in paths(run_.stdout).splitlines() if line.strip()][-words_for.BLOCK_LINES:]
        lines += [f"  ✗ {run_.name}: {ended}"] + ["      " + line for line in tail]
        names = [test_key(run_.test)]
    return lines, names


def other_section(run_, paths, where):
    """A test that is not a gtest program (a script's check): what it printed, when it failed."""
    if run_.passed:
        return [], []
    tail = [line for line in paths(run_.stdout).splitlines() if line.strip()]
    return ([f"  ✗ {how_it_ended(run_) or 'it failed'}; what it printed:"]
            + ["      " + line for line in words_for.cut(tail, where)]), [test_key(run_.test)]


def judge(e, runs, shown):
    """The verdict on finished runs: what the tests saw, test by test, and the Missing lines."""
    def paths(text):
        return words_for.map_paths(text, e.listing, shown, str(TREE.source))
    where = f"the whole output: {rel(TREE.scratch)}/last-output.txt"
    sections, failures = [], []
    for run_ in runs:
        if run_.running and not any(c.result == "failed" for c in words_for.gtest_cases(run_.stdout)):
            continue  # a snapshot that has seen no failure yet says nothing
        lines, names = gtest_section(run_, paths, where) if run_.gtest else other_section(run_, paths, where)
        failures += names
        status = "passed" if run_.passed else "FAILED" + (" (stopped there: enough was seen)" if run_.running else "")
        sections.append(f"{run_.name}: {status}" + "".join(f"\n{line}" for line in lines))
    passed = bool(runs) and all(r.passed for r in runs)
    report = "What the tests saw:\n\n" + "\n\n".join(sections)
    if passed:
        gtests = sum(len(words_for.gtest_cases(r.stdout)) for r in runs if r.gtest)
        programs = f"{len(runs)} test program{'s' if len(runs) != 1 else ''}"
        report += (f"\n\nAs the book says: {e.title} — every check passed ({programs}"
                   + (f", {gtests} gtests" if gtests else "") + ").")
    else:
        report += "\n\n" + "\n".join(words_for.missing_lines(failures, e.conf["missing"]))
    return Verdict(passed, True, report, failures)


def check(e, files, shown=None, arguments=None, enough=None, tests=None):
    """Builds the scratch copy with `files` in place of the listing's and runs the check (or `tests`, a
    part of it). Returns a Verdict."""
    shown = shown or rel(e.folder)
    began = time.monotonic()
    all_tests = prepare(e, files)
    tests = tests if tests is not None else all_tests
    built, log = TREE.build(TREE.targets_for(tests), keep_going=True)
    seconds = {"build": time.monotonic() - began}
    if not built:
        report = words_for.compile_report(log, e.listing, shown, str(TREE.source))
        return Verdict(False, False, report, [], seconds)
    runs = run_tests(tests, arguments, (lambda finished: enough(judge(e, finished, shown))) if enough else None)
    seconds["tests"] = time.monotonic() - began - seconds["build"]
    (TREE.scratch / "last-output.txt").write_text("".join(f"==== {r.name}\n{r.stdout}\n" for r in runs))
    return dataclasses.replace(judge(e, runs, shown), seconds=seconds)


# ---------------------------------------------------------------------------------------------------
# Commands

def cmd_list():
    state = load_state()
    print("Exercises (./workbook exercise ID checks one; ./workbook hint ID; ./workbook solution ID):\n")
    for e in exercises():
        if untouched(e):
            status = "not started"
        else:
            last = state["results"].get(e.id)
            status = ("not checked since your last edit" if not last or last["fingerprint"] != fingerprint(sources(e.folder))
                      else "passing" if last["passed"] else "failing")
        print(f"  {e.id:<15} {e.kind:<9} {status:<33} {e.title}")
        print(f"  {'':<15} {rel(e.folder)}/")
    return 0


def cmd_check(exercise_id):
    e = find(exercise_id)
    if not learner_files(e):
        write_start(e)
        todo = [t.file for t in e.meta.todos]
        print(f"exercise {e.id}: {e.title}\nYour start is written in {rel(e.folder)}/ ({', '.join(e.meta.edits)})"
              + (f"; the TODO(exercise) in {', '.join(dict.fromkeys(todo))} says what to do" if todo else "")
              + f".\nCheck your work with ./workbook exercise {e.id}; ./workbook hint {e.id} gives a hint at a time.")
        return 0
    print(f"exercise {e.id}: {e.title}\nchecking {rel(e.folder)}/ in place of {e.listing}/ "
          f"(scratch copy: {rel(TREE.scratch)}/) ...", flush=True)
    files = sources(e.folder)
    verdict = check(e, files)
    state = load_state()
    state["results"][e.id] = {"passed": verdict.passed, "fingerprint": fingerprint(files)}
    save_state(state)
    print(verdict.report)
    if verdict.passed:
        print(f"\nexercise {e.id}: PASSING. Compare with the reference: ./workbook solution {e.id}")
        return 0
    print(f"\nexercise {e.id}: FAILING. Next hint: ./workbook hint {e.id}")
    return 1


def cmd_hint(exercise_id):
    e = find(exercise_id)
    sections, _ = words_for.hint_sections(e.meta.hints_text)
    hints = [sections[n] for n in sorted(sections)]
    state = load_state()
    shown = state["hints"].get(e.id, 0)
    if shown >= len(hints):
        print(f"No more hints for {e.id} (all {len(hints)} shown). The answer: ./workbook solution {e.id}")
        return 0
    print(hints[shown].strip())
    state["hints"][e.id] = shown + 1
    save_state(state)
    print(f"\n(hint {shown + 1} of {len(hints)}; ./workbook hint {e.id} again for the next)")
    return 0


def cmd_reset(exercise_id):
    e = find(exercise_id)
    write_start(e)
    state = load_state()
    state["results"].pop(e.id, None)
    state["hints"].pop(e.id, None)
    save_state(state)
    print(f"exercise {e.id}: {rel(e.folder)}/ restored to its start")
    return 0


def solution_patch(e):
    return exercise_patch.patch(rel(e.folder), start_files(e), solution_files(e))


def apply_patch(patch_text, root):
    """`git apply` in `root` (a copy of the workbook's layout); returns git's complaint, or ""."""
    done = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=patch_text, cwd=root,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return "" if done.returncode == 0 else done.stdout


def patched_start(e):
    """The start with the solution patch applied by `git apply`, as the learner would: (files, error)."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = pathlib.Path(scratch) / rel(e.folder)
        folder.mkdir(parents=True)
        for name, text in start_files(e).items():
            (folder / name).write_text(text)
        error = apply_patch(solution_patch(e), scratch)
        return sources(folder), error


def cmd_solution(exercise_id, *options):
    e = find(exercise_id)
    if options not in ((), ("--apply",)):
        sys.exit("usage: ./workbook solution ID [--apply]")
    text = solution_patch(e)
    if not options:
        print(f"# exercise {e.id}: the reference solution as a patch on the start in {rel(e.folder)}/ "
              f"(comment-only changes left out).\n# Apply it: ./workbook solution {e.id} | git apply   "
              f"(or ./workbook solution {e.id} --apply, which saves your files first)", file=sys.stderr)
        sys.stdout.write(text)
        return 0
    saved = TREE.scratch / "saved" / f"{e.id}-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    saved.mkdir(parents=True)
    for path in sorted(e.folder.iterdir()):
        if path.is_file() and path.name in e.meta.edits or path.suffix in (".cpp", ".hpp"):
            shutil.copy2(path, saved / path.name)
    for name, content in start_files(e).items():  # the patch applies to the start
        (e.folder / name).write_text(content)
    error = apply_patch(text, ROOT)
    if error:
        sys.exit(f"exercise: the patch did not apply:\n{error}\nYour files are saved in {rel(saved)}/")
    print(f"exercise {e.id}: your files are saved in {rel(saved)}/;\n{rel(e.folder)}/ now holds the reference "
          f"solution (./workbook exercise {e.id} checks it; ./workbook exercise reset {e.id} restores the start).")
    return 0


def hint_problems(e, answer_lines):
    """What is wrong with the hints: not exactly `## Hint 1` to `## Hint 3`; hint 1 or 2 quoting the answer."""
    errors = []
    sections, others = words_for.hint_sections(e.meta.hints_text)
    if sorted(sections) != [1, 2, 3] or others:
        problem = (f"exercise.md has sections {sorted(sections)}" + (f" and {others}" if others else "")
                   + ", not exactly `## Hint 1`, `## Hint 2`, `## Hint 3`")
        errors.append(problem)
    for number in (1, 2):
        for line in words_for.answer_lines_in_hint(sections.get(number, ""), answer_lines):
            errors.append(f"hint {number} quotes the solution's code: {line}")
    return errors


def pattern_problems(e, tests):
    """`missing` patterns that match no gtest and no Meson test of the check (a typo never says its
    sentence), and gtests of the check that no pattern matches (a failure without a sentence)."""
    names = [test_key(t) for t in tests] + [n for t in tests for n in gtest_names(t)]
    patterns = [pattern for pattern, _ in e.conf["missing"]]
    unmatched = [f"missing pattern {pattern!r} matches no test of the check" for pattern in patterns
                 if not any(fnmatch.fnmatchcase(n, pattern) for n in names)]
    silent = [f"no missing row matches {name} (its failure would say no sentence)"
              for t in tests for name in gtest_names(t)
              if not any(fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(test_key(t), pattern)
                         for pattern in patterns)]
    return unmatched + silent


GTEST_NAMES = {}


def gtest_names(test):
    """The full names of the gtests a Meson test runs (its own --gtest_filter applied)."""
    if test["protocol"] != "gtest":
        return []
    key = tuple(test["cmd"])
    if key not in GTEST_NAMES:
        listed = run(list(test["cmd"]) + ["--gtest_list_tests"], env=dict(os.environ, **test["env"]),
                     cwd=test["workdir"] or TREE.build_dir)
        names, suite = [], ""
        for line in listed.stdout.splitlines():
            if line and not line.startswith(" ") and line.rstrip().endswith("."):
                suite = line.strip()
            elif line.startswith("  ") and suite:
                names.append(suite + line.split("#")[0].strip())
        GTEST_NAMES[key] = names
    return GTEST_NAMES[key]


def tree_fingerprint(e, files):
    """What a verified solution's pass depends on: its files, the exercise's table, the tests' code."""
    digest = hashlib.sha256(fingerprint(files).encode())
    for top in ("tests", "common", "steps"):
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and not path.is_relative_to(e.folder):
                digest.update(path.read_bytes())
    for path in sorted(e.folder.iterdir()):  # exercise.md, solution.diff: not the learner's files
        if path.is_file() and path.name not in e.meta.edits:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cmd_verify(*ids):
    """For every exercise (or those named): the untouched start fails its check, the start with the
    solution patch applied passes it, the hints give no answer line before hint 3."""
    began = time.monotonic()
    bad, every = [], [find(i) for i in ids] if ids else exercises()
    state = load_state()
    for e in every:
        started = time.monotonic()
        start = start_files(e)
        answer = [line for line in words_for.code_lines("\n".join(solution_files(e).values()))
                  if line not in set(words_for.code_lines("\n".join(start.values())))]
        errors = hint_problems(e, answer)
        solution, patch_error = patched_start(e)
        if patch_error:
            errors.append(f"`./workbook solution {e.id} | git apply` fails on the start: {patch_error.strip()}")
        start_verdict = check(e, start, arguments=lambda t: ["--gtest_fail_fast"] if t["protocol"] == "gtest" else [],
                              enough=lambda v: v.failed)
        solution_verdict = check(e, solution)
        errors += pattern_problems(e, prepare(e, solution))
        how = "does not compile" if not start_verdict.compiled else "fails"
        print(f"exercise {e.id:<15} start {'PASSES (DEFECT)' if start_verdict.passed else how}, "
              f"start + solution patch {'passes' if solution_verdict.passed else 'FAILS (DEFECT)'} "
              f"({time.monotonic() - started:.0f} s)", flush=True)
        for error in errors:
            print(f"  DEFECT: {error}")
        if not solution_verdict.passed:
            print("\n".join("  " + line for line in solution_verdict.report.splitlines()))
        if start_verdict.passed or not solution_verdict.passed or errors:
            bad.append(e.id)
        if solution_verdict.passed:  # what --audit needs to know: the wrong answers' base passes
            state["verified"][e.id] = tree_fingerprint(e, solution)
        else:
            state["verified"].pop(e.id, None)
    save_state(dict(load_state(), verified=state["verified"]))
    print(f"exercise --verify: {len(every) - len(bad)} of {len(every)} honest"
          + (f"; not: {', '.join(bad)}" if bad else "") + f" ({time.monotonic() - began:.0f} s)")
    return 1 if bad else 0


# ---------------------------------------------------------------------------------------------------
# The wrong-answer audit

@dataclasses.dataclass
class WrongAnswer:
    exercise: str
    name: str
    must_say: str
    file: str
    find: str
    replace: str
    line: int


def read_wrong_answers(table=WRONG_ANSWERS):
    rows = []
    for number, (exercise, name, must_say, path, find_text, replace) in table_rows(table, 6, rel(table)):
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) or not must_say.strip():
            sys.exit(f"{rel(table)}:{number}: NAME must be kebab-case and MUST_SAY not empty")
        rows.append(WrongAnswer(exercise, name, unescape(must_say), path, unescape(find_text), unescape(replace), number))
    keys = [(r.exercise, r.name) for r in rows]  # unique per exercise: `--audit NAME` runs every row so named
    if len(set(keys)) != len(keys):
        sys.exit(f"{rel(table)}: an exercise's wrong answers need unique names: "
                 f"{sorted({' '.join(k) for k in keys if keys.count(k) > 1})}")
    return rows


def wrong_version(e, row):
    """The solution's files with the row's change: (files, problem)."""
    files = solution_files(e)
    if row.find == "":
        if not row.replace.startswith("@"):
            return None, "an empty FIND needs REPLACE = @PATH (a diff under tests/exercises/wrong/)"
        with tempfile.TemporaryDirectory() as scratch:
            for name, text in files.items():
                pathlib.Path(scratch, name).write_text(text)
            done = run(["patch", "-p1", "-s", "-d", scratch, "-i", str(ROOT / row.replace[1:])])
            if done.returncode != 0:
                return None, f"STALE ({row.replace[1:]} does not apply: {done.stdout.strip()})"
            return sources(scratch), ""
    if row.file not in files:
        return None, f"NO SUCH FILE {row.file} in {e.id}'s solution"
    count = files[row.file].count(row.find)
    if count != 1:
        return None, f"STALE (FIND found {count} times in {row.file})"
    files[row.file] = files[row.file].replace(row.find, row.replace)
    return files, ""


def audit_verdict(verdict, must_say):
    """A wrong answer must fail its exercise's check, and the report must say MUST_SAY."""
    if verdict.passed:
        return "PASSES (DEFECT: a wrong answer is accepted)"
    if not words_for.says(verdict.report, must_say):
        return "FAILS WITHOUT SAYING IT (DEFECT)"
    return "killed"


def targeted(e, row, tests):
    """The gtests (and non-gtest tests) whose failure would say MUST_SAY: those matching the patterns of
    the missing rows whose sentence says it. Run first, alone; the whole check only if they do not."""
    patterns = [p for p, sentence in e.conf["missing"] if words_for.says(sentence, row.must_say) and p != "*"]
    chosen, filters = [], {}
    for test in tests:
        if any(fnmatch.fnmatchcase(test_key(test), p) for p in patterns):
            chosen.append(test)
            continue
        names = [n for n in gtest_names(test) if any(fnmatch.fnmatchcase(n, p) for p in patterns)]
        if names:
            chosen.append(test)
            filters[test["name"]] = ["--gtest_filter=" + ":".join(names)]
    return chosen, filters


def audit_row(e, row, verified):
    files, problem = wrong_version(e, row)
    if problem:
        return problem, ""
    tests = prepare(e, files)
    if not verified:
        return "SOLUTION NOT VERIFIED (it fails its own check: ./workbook exercise --verify " + e.id + ")", ""
    chosen, filters = targeted(e, row, tests)
    if chosen:
        verdict = check(e, files, tests=chosen, arguments=lambda t: filters.get(t["name"], []),
                        enough=lambda v: v.failed and words_for.says(v.report, row.must_say))
        if audit_verdict(verdict, row.must_say) == "killed":
            return "killed", verdict.report
    verdict = check(e, files, enough=lambda v: v.failed and words_for.says(v.report, row.must_say))
    return audit_verdict(verdict, row.must_say), verdict.report


def cmd_audit(*selected):
    began = time.monotonic()
    rows = read_wrong_answers()
    known = {e.id: e for e in exercises()}
    if selected:
        ids = {find(s).id for s in selected if s not in {r.name for r in rows}}
        rows = [r for r in rows if r.name in selected or r.exercise in ids]
    results, verified = [], {}
    for row in sorted(rows, key=lambda r: list(known).index(r.exercise) if r.exercise in known else -1):
        e = known.get(row.exercise)
        if e is None:
            results.append((row, f"NO SUCH EXERCISE {row.exercise}", ""))
            continue
        if e.id not in verified:
            verified[e.id] = load_state()["verified"].get(e.id) == tree_fingerprint(e, patched_start(e)[0])
            if not verified[e.id]:  # not verified by --verify on this tree: check the solution now
                solution = check(e, patched_start(e)[0])
                verified[e.id] = solution.passed
                if not solution.passed:
                    print(solution.report)
        started = time.monotonic()
        outcome, report = audit_row(e, row, verified[e.id])
        print(f"audit: {row.exercise} {row.name}: {outcome} ({time.monotonic() - started:.0f} s)", flush=True)
        if outcome != "killed":
            print(f"  must say: {row.must_say}")
            print("\n".join("  | " + line for line in report.splitlines()[-40:]))
        results.append((row, outcome, report))
    width = max([len(r.name) for r, _, _ in results] + [12])
    print(f"\n{'exercise':<15} {'wrong answer':<{width}}  result")
    for row, outcome, _ in results:
        print(f"{row.exercise:<15} {row.name:<{width}}  {outcome}")
    bad = [r.name for r, outcome, _ in results if outcome != "killed"]
    print(f"\nexercise --audit: {len(results) - len(bad)} of {len(results)} wrong answers rejected, saying why"
          + (f"; not: {', '.join(bad)}" if bad else "") + f" ({time.monotonic() - began:.0f} s)")
    return 1 if bad or not results else 0


def main(argv):
    commands = {"list": (cmd_list, (0, 0)), "check": (cmd_check, (1, 1)), "verify": (cmd_verify, (0, 99)),
                "audit": (cmd_audit, (0, 999)), "hint": (cmd_hint, (1, 1)), "reset": (cmd_reset, (1, 1)),
                "solution": (cmd_solution, (1, 2))}
    if not argv or argv[0] not in commands or not commands[argv[0]][1][0] <= len(argv) - 1 <= commands[argv[0]][1][1]:
        sys.exit("usage: " + __doc__.split("\n\n")[-1].strip().replace("\n    ", "\n       "))
    function, _ = commands[argv[0]]
    return function(*argv[1:])


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `./workbook exercise | head` ends quietly
    sys.exit(main(sys.argv[1:]))
