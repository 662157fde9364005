#!/usr/bin/env python3
"""Checks that the exercise engine (exercise.py and its parts) can fail, and says what it should, without
building anything: recorded compiler and gtest outputs go through the same functions a check uses.

- the wrong-answer audit reports a defect when a wrong answer passes, and when it fails without saying
  MUST_SAY; a killed row only when it fails and says it;
- `Missing:` lines come from the failing tests (each sentence once, in the file's order; a failure no
  row matches is named); none after a compile error;
- exercise.md is read as its docstring says (a sentence over several lines; a row without a sentence,
  an unknown key, `replaces` with `program` refused), and a start gets its TODO(exercise) above the
  line it names, at that line's indentation, within 110 columns;
- a compile error is shown with its notes and context, paths in the learner's folder; an error in a
  check's file says that the learner's code compiles and the check rejects it;
- each failing test's block is shown whole, also when two tests print the same lines; a ✗ without a
  figure says why; a crash names its signal; a success prints its figures and "As the book says";
- a test still running is stopped once enough is seen, and the processes it started with it;
- hint 1 or 2 quoting a line of the answer is caught; `./workbook solution` patches apply with git apply
  and patch -p1 to every exercise's start and give the solution's code; wrong_answers.tsv rows apply.

    exercise_selftest.py
"""
import re
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE))
import exercise  # noqa: E402
import exercise_metadata  # noqa: E402
import exercise_patch  # noqa: E402
import exercise_report as report  # noqa: E402
from scratch_tree import ScratchTree  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)


LISTING = "steps/06-working-pool/listing-21-20"
SHOWN = "steps/06-working-pool/exercise-06"
SCRATCH = "/tmp/learner/workbook/build-exercise/tree"

OWN_ERROR_LOG = f"""[1/4] Compiling C++ object steps/libpool-21-20.a.p/06-working-pool_listing-21-20_thread_pool.cpp.o
FAILED: steps/libpool-21-20.a.p/06-working-pool_listing-21-20_thread_pool.cpp.o
ccache c++ -Isteps -I../steps -std=c++23 -MD -MQ x.o -o x.o -c ../{LISTING}/thread_pool.cpp
../{LISTING}/thread_pool.cpp: In lambda function:
../{LISTING}/thread_pool.cpp:53:18: error: no match for call to '(std::move_only_function<void() &&>) ()'
   53 |               job();
      |               ~~~^~
In file included from /usr/include/c++/12/bits/move_only_function.h:195,
                 from ../{LISTING}/thread_pool.hpp:6,
                 from ../{LISTING}/thread_pool.cpp:2:
/usr/include/c++/12/bits/mofunc_impl.h:182:7: note: candidate: 'operator()' (near match)
  182 |       operator()(_ArgTypes... __args) _GLIBCXX_MOF_CV_REF noexcept(_Noex)
      |       ^~~~~~~~
/usr/include/c++/12/bits/mofunc_impl.h:182:7: note:   passing 'std::move_only_function<void() &&>' as 'this' argument discards qualifiers
../{LISTING}/thread_pool.cpp:60:1: error: expected '}}' at end of input
   60 | }}
      | ^
[2/4] Compiling C++ object tests/06/test-06-server.p/stage06_server_test.cpp.o
ninja: build stopped: subcommand failed.
"""

CHECK_ERROR_LOG = """[3/5] Compiling C++ object steps/libpool-21-19.a.p/thread_pool.cpp.o
FAILED: tests/05/test-05-pool.p/stage05_pool_test.cpp.o
ccache c++ -Itests/05 -I../tests/05 -std=c++23 -o x.o -c ../tests/05/stage05_pool_test.cpp
../tests/05/stage05_pool_test.cpp: In member function 'virtual void Stage05_Job_Holds_Test::TestBody()':
../tests/05/stage05_pool_test.cpp:30:19: error: static assertion failed: not callable as an lvalue: a call must say std::move(job)
   30 |     static_assert(!std::is_invocable_v<Job&>, "not callable as an lvalue: a call must say std::move(job)");
      |                   ^~~~~~~~~~~~~~~~~~~~~~~~~~
../tests/05/stage05_pool_test.cpp:30:19: note: '!(bool)std::is_invocable_v<std::move_only_function<void()>&>' evaluates to false
ninja: build stopped: subcommand failed.
"""

SERVER_BLOCK = """../tests/support/server_checks.hpp:38: Failure
Expected equality of these values:
  unanswered(records)
    Which is: "/sleep #1: reset (Os { code: 104, kind: ConnectionReset, message: \\"Connection reset by peer\\" }); "
  \"\""""

GTEST_STDOUT = f"""Running main() from gtest_main.cc
[==========] Running 3 tests from 1 test suite.
[ RUN      ] Stage06_Server.FourSleepsRunSideBySideOnFourWorkers/listing_21_20
{SERVER_BLOCK}
[  FAILED  ] Stage06_Server.FourSleepsRunSideBySideOnFourWorkers/listing_21_20, where GetParam() = 06-working-pool/listing-21-20 (16 ms)
[ RUN      ] Stage06_Server.AFifthSleepWaitsForAFreeWorker/listing_21_20
{SERVER_BLOCK}
thread 'main' panicked at {SCRATCH}/{LISTING}/thread_pool.hpp:40:44:
called `Result::unwrap()` on an `Err` value: SendError {{ .. }}
[  FAILED  ] Stage06_Server.AFifthSleepWaitsForAFreeWorker/listing_21_20, where GetParam() = 06-working-pool/listing-21-20 (15 ms)
[ RUN      ] Stage06_Server.RootIsAnswered/listing_21_20
[       OK ] Stage06_Server.RootIsAnswered/listing_21_20 (136 ms)
[  FAILED  ] 2 tests, listed below:
"""

GTEST_XML = """<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="2">
  <testsuite name="Stage06_Server" tests="3" failures="2">
    <testcase name="FourSleepsRunSideBySideOnFourWorkers/listing_21_20" status="run" result="completed" classname="Stage06_Server">
      <properties><property name="observed" value="four /sleep at once finish in 4.0 delays (parallelism 1.00)"/>
      <property name="expected" value="parallelism between 2.5 and 4.4"/></properties>
      <failure message="x" type=""/>
    </testcase>
    <testcase name="AFifthSleepWaitsForAFreeWorker/listing_21_20" status="run" result="completed" classname="Stage06_Server">
      <properties><property name="not_measured" value="/sleep #1 got no response: the connection was reset before any byte arrived"/>
      <property name="not_measured_failures_before" value="0"/></properties>
      <failure message="x" type=""/>
    </testcase>
    <testcase name="RootIsAnswered/listing_21_20" status="run" result="completed" classname="Stage06_Server">
      <properties><property name="observed" value="`/` is answered in 0.00 delays"/>
      <property name="shows" value="a fourth worker was free"/></properties>
    </testcase>
  </testsuite>
</testsuites>
"""

CRASH_STDOUT = """[ RUN      ] Stage07_ThreadPool.AtMostOneJobRunsAtATime
Worker 0 got a job; executing.
"""

MISSING_ROWS = [("*Stage06_Server.FourSleeps*", "the four workers do not run side by side"),
                ("*Stage06_Server.AFifth*", "a fifth /sleep does not wait for a free worker"),
                ("*Stage06_Server.*", "the server does not answer as 21-20 does")]


def fake_exercise(missing=MISSING_ROWS):
    conf = {"replaces": "21-20", "check": ["06 server"], "missing": list(missing)}
    stage = exercise.ROOT / "steps/06-working-pool"
    return exercise.Exercise("06", "exercise", "Workers that take jobs and run them (21-20)", stage,
                             stage / "exercise-06", exercise_metadata.Metadata(conf, [], {}, ""))


def fake_run(name, stdout, returncode, xml="", timed_out=False):
    test = {"name": name, "protocol": "gtest", "timeout": 60}
    return exercise.Run(test, [], returncode=returncode, stdout=stdout, xml=xml, timed_out=timed_out)


def check_audit_verdicts():
    # A pass whose report happens to hold the words (a ✓ line) is still a pass.
    passing = exercise.Verdict(True, True, "What the tests saw:\n  ✓ holds no lock while it waits\nAs the book says: ...")
    failing = exercise.Verdict(False, True, "...\nMissing: the worker holds no lock while the\n job runs", ["A.B"])
    expect(exercise.audit_verdict(passing, "holds no lock") != "killed",
           "audit: a wrong answer that passes is a defect")
    expect(exercise.audit_verdict(failing, "the server crashed") != "killed",
           "audit: a wrong answer that fails without saying MUST_SAY is a defect")
    expect(exercise.audit_verdict(failing, "holds no lock while the job runs") == "killed",
           "audit: a wrong answer that fails saying MUST_SAY (across a line break) is killed")
    compile_error = exercise.Verdict(False, False, "It does not compile yet. ... error: expected ';'")
    expect(exercise.audit_verdict(compile_error, "holds no lock") != "killed",
           "audit: a wrong answer that does not compile is a defect unless MUST_SAY is the compiler's text")


def check_missing_lines():
    lines = report.missing_lines(["Stage06_Server.AFifthSleepWaitsForAFreeWorker/listing_21_20",
                                  "Stage06_Server.FourSleepsRunSideBySideOnFourWorkers/listing_21_20",
                                  "Stage06_Flood.Threads", "06 flood"], MISSING_ROWS)
    expect(lines == ["Missing: the four workers do not run side by side",
                     "Missing: a fifth /sleep does not wait for a free worker",
                     "Missing: the server does not answer as 21-20 does",
                     "Missing: (no sentence for this check: Stage06_Flood.Threads)",
                     "Missing: (no sentence for this check: 06 flood)"],
           "Missing: each matching sentence once, in the file's order; unmatched failures named", "\n".join(lines))
    expect(report.missing_lines([], MISSING_ROWS) == [], "Missing: nothing when nothing failed")
    test = {"name": "06 server", "protocol": "gtest", "cmd": ["fake-06-server"]}
    exercise.GTEST_NAMES[("fake-06-server",)] = ["Stage06_Server.RootIsAnswered/listing_21_20",
                                                 "Stage06_Server.AFifthSleepWaitsForAFreeWorker/listing_21_20"]
    problems = exercise.pattern_problems(fake_exercise(MISSING_ROWS[1:2] + [("*Typo*", "never said")]), [test])
    expect(problems == ["missing pattern '*Typo*' matches no test of the check",
                        "no missing row matches Stage06_Server.RootIsAnswered/listing_21_20 (its failure would say "
                        "no sentence)"], "--verify: a pattern that matches nothing, a gtest that no pattern matches",
           "\n".join(problems))


EXERCISE_MD = """<!-- a comment -->
builds-on: 21-19
replaces: 21-20
edits: main.cpp thread_pool.cpp
check: 06-server
missing: *Suite.Test*
    the first line of the sentence,
    and its second
missing: 06-flood
    one line

## TODO(exercise) in thread_pool.cpp, above `int b = 2;`

""" + " ".join(["word"] * 60) + """

## Start main.cpp

```cpp
int main() {}
```

## Hint 1

a
"""


def check_metadata():
    meta = exercise_metadata.parse(EXERCISE_MD)
    expect(meta.get("replaces") == "21-20" and meta.edits == ["main.cpp", "thread_pool.cpp"]
           and meta.get("check") == ["06-server"]
           and meta.get("missing") == [("*Suite.Test*", "the first line of the sentence, and its second"),
                                       ("06-flood", "one line")]
           and meta.starts == {"main.cpp": "int main() {}\n"} and meta.hints_text.startswith("## Hint 1"),
           "exercise.md: the head's keys, a sentence over two lines, a start file, the hints", str(meta))
    for broken, what in (("missing: *X*\n", "a missing row without a sentence"),
                         ("colour: red\n", "an unknown key"), ("program: main.cpp\n", "replaces and program")):
        try:
            exercise_metadata.parse(broken + EXERCISE_MD)
            refused = False
        except exercise_metadata.MetadataError:
            refused = True
        expect(refused, f"exercise.md: {what} is refused")
    files = exercise_metadata.start_files("06", meta, {"thread_pool.cpp": "int a = 1;\n    int b = 2;\n"},
                                          "listing 21-19")
    lines = files["thread_pool.cpp"].splitlines()
    todo = [i for i, line in enumerate(lines) if "// TODO(exercise):" in line]
    expect(lines[0].startswith("// Exercise 06's start: thread_pool.cpp of listing 21-19") and len(todo) == 1
           and lines[-1] == "    int b = 2;" and lines[todo[0] - 1] == "int a = 1;"
           and all(line.startswith("    // ") and len(line) <= 110 for line in lines[todo[0]:-1])
           and len(lines) - todo[0] > 2 and files["main.cpp"].endswith("int main() {}\n"),
           "a start: its header, the TODO above its line, at its indentation, wrapped within 110 columns",
           files["thread_pool.cpp"])
    meta.todos[0].above = "int c = 3;"
    try:
        exercise_metadata.start_files("06", meta, {"thread_pool.cpp": "int a = 1;\n"}, "listing 21-19")
        refused = False
    except exercise_metadata.MetadataError:
        refused = True
    expect(refused, "a TODO above a line the start lacks is refused")


def check_compile_reports():
    said = report.compile_report(OWN_ERROR_LOG, LISTING, SHOWN, SCRATCH)
    expect(said.startswith("It does not compile yet") and f"in {SHOWN}/thread_pool.cpp" in said,
           "compile error in the learner's file: 'does not compile yet', naming their file", said)
    expect("note:   passing 'std::move_only_function<void() &&>' as 'this' argument discards qualifiers" in said
           and "In file included from /usr/include/c++/12/bits/move_only_function.h:195," in said
           and f"from {SHOWN}/thread_pool.hpp:6," in said and "~~~^~" in said,
           "compile error: shown with its context, excerpt and notes, paths in the learner's folder", said)
    expect("expected '}' at end of input" not in said and LISTING not in said and "Missing" not in said,
           "compile error: the first error only, no listing path, no Missing line", said)
    said = report.compile_report(CHECK_ERROR_LOG, "steps/05-arc-mutex/listing-21-19",
                                 "steps/05-arc-mutex/exercise-05", SCRATCH)
    expect(said.startswith("Your code compiles, but the check rejects it (tests/05/stage05_pool_test.cpp): "
                           "not callable as an lvalue: a call must say std::move(job)")
           and "evaluates to false" in said and "does not compile yet" not in said,
           "a static_assert in a check: 'compiles, but the check rejects it' with the check's message", said)
    said = report.compile_report("ninja: error: unknown target 'x'\n", LISTING, SHOWN, SCRATCH)
    expect("unknown target" in said, "a build that fails without a compiler error shows what ninja said", said)


def check_failure_report(scratch):
    e = fake_exercise()
    xml = pathlib.Path(exercise.TREE.build_dir, "06 server.xml")
    xml.write_text(GTEST_XML)
    stdout = GTEST_STDOUT.replace(SCRATCH, str(exercise.TREE.source))  # the panic names the scratch copy
    verdict = exercise.judge(e, [fake_run("06 server", stdout, 1, GTEST_XML)], SHOWN)
    said = verdict.report
    expect(said.count('Which is: "/sleep #1: reset') == 2 and said.count("Expected equality of these values:") == 2,
           "each failing test's block is whole, though two tests print the same lines", said)
    expect(f"panicked at {SHOWN}/thread_pool.hpp:40:44" in said and "build-exercise" not in said
           and "tests/support/server_checks.hpp:38: Failure" in said,
           "a panic in the scratch copy names the learner's file; ../tests paths from the root", said)
    expect("four /sleep at once finish in 4.0 delays (parallelism 1.00)" in said
           and "parallelism between 2.5 and 4.4" in said, "a ✗ with a figure shows it and what was expected", said)
    fifth = said[said.index("✗", said.index("parallelism between")):]
    expect("no figure was measured: /sleep #1 got no response: the connection was reset" in fifth.splitlines()[0],
           "a ✗ without a figure says why nothing was measured", said)
    expect("Missing: the four workers do not run side by side\nMissing: a fifth /sleep does not wait for a free "
           "worker\nMissing: the server does not answer as 21-20 does" in said and not verdict.passed,
           "the Missing lines are those of the failing tests", said)
    expect("`/` is answered in 0.00 delays" in said, "a failing check still shows the figures that passed", said)

    crash = exercise.judge(e, [fake_run("06 server", CRASH_STDOUT, -11)], SHOWN)
    expect("killed by SIGSEGV while this test ran" in crash.report and "Worker 0 got a job" in crash.report
           and crash.failures == ["Stage07_ThreadPool.AtMostOneJobRunsAtATime"],
           "a test program that crashed: its signal, what it printed, the test that ran", crash.report)
    timeout = exercise.judge(e, [fake_run("06 server", CRASH_STDOUT, -9, timed_out=True)], SHOWN)
    expect("stopped at its 60 s limit" in timeout.report, "a test that timed out says so", timeout.report)

    passing_stdout = "[ RUN      ] Stage06_Server.RootIsAnswered/listing_21_20\n[       OK ] Stage06_Server.RootIsAnswered/listing_21_20 (1 ms)\n"
    passing_xml = GTEST_XML.replace('<failure message="x" type=""/>', "")
    xml.write_text(passing_xml)
    success = exercise.judge(e, [fake_run("06 server", passing_stdout, 0, passing_xml)], SHOWN)
    expect(success.passed and "✓ `/` is answered in 0.00 delays: a fourth worker was free" in success.report
           and "As the book says: Workers that take jobs and run them (21-20)" in success.report
           and "Missing" not in success.report, "a success prints its figures and 'As the book says'", success.report)


def check_early_stop(scratch):
    """A check stops once enough is seen: the slow test and a process it started are ended."""
    marker = pathlib.Path(scratch, "child.pid")
    script = ("import os, subprocess, sys, time\n"
              f"child = subprocess.Popen(['sleep', '60']); open({str(marker)!r}, 'w').write(str(child.pid))\n"
              "print('[ RUN      ] Suite.Slow'); print('the failure'); print('[  FAILED  ] Suite.Slow (1 ms)')\n"
              "print('[ RUN      ] Suite.Next', flush=True); time.sleep(60)\n")
    test = {"name": "slow", "protocol": "gtest", "timeout": 120, "cmd": [sys.executable, "-c", script],
            "env": {}, "workdir": scratch, "is_parallel": True}
    began = time.monotonic()
    runs = exercise.run_tests([test], enough=lambda runs: any(
        c.result == "failed" for r in runs for c in report.gtest_cases(r.stdout)))
    expect(time.monotonic() - began < 20 and runs and runs[0].running
           and "the failure" in runs[0].stdout, "a run is stopped once enough is seen, keeping what it printed")
    time.sleep(0.5)
    child = int(marker.read_text()) if marker.exists() else 0
    alive = child and subprocess.run(["ps", "-o", "stat=", "-p", str(child)], capture_output=True, text=True).stdout.strip()
    expect(child and (not alive or alive.startswith("Z")), "the processes a stopped test started are ended too")


def check_shards(scratch):
    """A slow gtest program runs as shards side by side; the learner sees one run, one report."""
    script = ("import os, sys, time\n"
              "index = os.environ['GTEST_SHARD_INDEX']; total = os.environ['GTEST_TOTAL_SHARDS']\n"
              "out = [a.split('xml:', 1)[1] for a in sys.argv if a.startswith('--gtest_output=xml:')][0]\n"
              "failed = '<failure message=\"x\"/>' if index == '2' else ''\n"
              "open(out, 'w').write(f'<testsuites><testsuite name=\"S\"><testcase name=\"Case{index}\" '\n"
              "                     f'classname=\"S\">{failed}</testcase></testsuite></testsuites>')\n"
              "print(f'shard {index} of {total}'); time.sleep(2); sys.exit(1 if failed else 0)\n")
    test = {"name": "sharded", "protocol": "gtest", "timeout": 60, "cmd": [sys.executable, "-c", script],
            "env": {}, "workdir": scratch, "is_parallel": True}
    began = time.monotonic()
    runs = exercise.run_tests([test])
    took = time.monotonic() - began
    cases = re.findall(r'testcase name="(Case\d)"', runs[0].xml) if runs else []
    expect(len(runs) == 1 and sorted(cases) == [f"Case{i}" for i in range(exercise.SHARDS)]
           and runs[0].returncode == 1 and all(f"shard {i} of {exercise.SHARDS}" in runs[0].stdout
                                               for i in range(exercise.SHARDS)),
           "a sharded test is one run: every shard's cases and output, the failing shard's status",
           "\n".join(f"{r.name} {r.returncode} {r.xml} {r.stdout}" for r in runs))
    expect(exercise.xml_path(test).exists() and "Case3" in exercise.xml_path(test).read_text(),
           "a sharded test's merged report is where test_view reads it", "")
    expect(took < 6, "the shards run side by side (one after another: 8 s)", f"{took:.1f} s")


def check_hints():
    answer = report.code_lines("        auto job = receiver->lock().unwrap()->recv().unwrap();\n"
                               "        // a comment that is long enough\n    }\n    std::move(job)();\n")
    expect(answer == ["auto job = receiver->lock().unwrap()->recv().unwrap();", "std::move(job)();"],
           "answer lines: normalised code lines, no comments or braces", str(answer))
    quoted = report.answer_lines_in_hint("Loop: `auto job =\n receiver->lock().unwrap()->recv().unwrap();`", answer)
    expect(quoted == [answer[0]], "a hint quoting an answer line (across a line break) is caught")
    expect(report.answer_lines_in_hint("Lock, receive and run the job in one statement.", answer) == [],
           "a hint in words quotes no line")
    sections, others = report.hint_sections("# Hints\n\n## Hint 1\n\na\n\n## Hint 2\n\nb\n\n## More\n")
    expect(sorted(sections) == [1, 2] and others == ["## More"], "hint sections are counted", str(sections))


def check_solution_patches(scratch):
    """Every exercise's `solution` patch applies to its start (as `./workbook exercise` writes it) with git
    apply and with patch -p1, and gives the solution's code (its comments aside), the TODO(exercise) gone."""
    for e in exercise.exercises():
        start, solution = exercise.start_files(e), exercise.solution_files(e)
        text = exercise_patch.patch(exercise.rel(e.folder), start, solution)
        for tool in (["git", "apply", "-"], ["patch", "-p1", "-s"]):
            root = pathlib.Path(scratch, "patch-" + tool[0])
            shutil.rmtree(root, ignore_errors=True)
            folder = root / exercise.rel(e.folder)
            folder.mkdir(parents=True)
            for name, content in start.items():
                (folder / name).write_text(content)
            done = subprocess.run(tool, input=text, cwd=root, capture_output=True, text=True)
            result = exercise.sources(folder)
            code_of = {name: [line for line in content.splitlines() if not exercise_patch.is_comment(line)]
                       for name, content in solution.items()}
            same = done.returncode == 0 and all(
                [line for line in result.get(name, "").splitlines() if not exercise_patch.is_comment(line)] == lines
                for name, lines in code_of.items())
            expect(same and not any("TODO(exercise)" in content for content in result.values()),
                   f"solution {e.id}: `{tool[0]}` applies the patch and gives the solution's code",
                   done.stdout + done.stderr)


def check_wrong_answers():
    """Every row of wrong_answers.tsv names an exercise, and its change applies to the solution."""
    known = {e.id: e for e in exercise.exercises()}
    rows = exercise.read_wrong_answers()
    expect(len(rows) > 0, "wrong_answers.tsv has rows")
    for row in rows:
        e = known.get(row.exercise)
        problem = f"no exercise {row.exercise}" if e is None else exercise.wrong_version(e, row)[1]
        expect(not problem, f"wrong answer {row.exercise} {row.name} applies to the solution", problem)


def main():
    with tempfile.TemporaryDirectory() as scratch:
        exercise.TREE = ScratchTree(scratch)  # state.json and reports here, not in build-exercise/
        os.makedirs(exercise.TREE.build_dir)
        check_audit_verdicts()
        check_missing_lines()
        check_metadata()
        check_compile_reports()
        check_failure_report(scratch)
        check_early_stop(scratch)
        check_shards(scratch)
        check_hints()
        check_solution_patches(scratch)
        check_wrong_answers()
    print(f"exercise engine self-test: {'FAILED: ' + str(len(failures)) if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
