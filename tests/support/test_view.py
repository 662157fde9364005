#!/usr/bin/env python3
"""The learner's view of `meson test` (what `./workbook test` shows).

Reads Meson's output on stdin and passes it through unchanged; under each finished gtest program it
prints one line per gtest from the XML report Meson had it write (BUILD/<Meson test name>.xml):

  ✓ four /sleep at once finish in 4.1 delays (parallelism 0.98): the lock is held while the job runs
  ✗ four /sleep at once finish in 1.0 delays (parallelism 3.90) — expected parallelism below 1.5
      Expected: (parallelism) < (1.5), actual: 3.9 vs 1.5

The words and figures are the test's own (tests/support/observation.hpp records them); a gtest that
records none is named in words from its name. --all shows every gtest; without it, only those that
recorded an observation or failed, and a count of the others.

  test_view.py --build BUILD [--all]     filter stdin to stdout
  test_view.py --self-test               check the view on a recorded report
"""
import argparse
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree

# `3/12 multithreaded-server-workbook:07 / 07 while-let bug servers (21-21, 21-21-literal)  OK  5.12s`
# (Meson prefixes the test's name with PROJECT:SUITE / when the tests come from several suites or so)
RESULT_LINE = re.compile(r'^\s*\d+/\d+\s+(?:\S+:\S+ / )?(?P<name>.+?)\s+(?P<result>OK|FAIL|EXPECTEDFAIL|UNEXPECTEDPASS|SKIP|TIMEOUT|'
                         r'ERROR|INTERRUPT)\s+[\d.]+s\b')
FAILURE_LINES = 3


def words(gtest_name):
    """'FourSleepsRunSideBySide' -> 'four sleeps run side by side' ('AFifth' -> 'a fifth')."""
    parts = re.findall(r'[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|\d+', gtest_name)
    return ' '.join(part if part.isupper() and len(part) > 1 else part.lower() for part in parts)


def failure_text(testcase):
    """The first few lines of the test's failure messages, without the file:line lines."""
    lines = []
    for failure in testcase.findall('failure'):
        for line in (failure.get('message') or '').splitlines():
            if line.strip() and not re.match(r'^\S+:\d+$', line.strip()):
                lines.append(line.strip())
    return lines[:FAILURE_LINES]


def gtest_lines(xml_path, show_all):
    """One line per gtest of a report, plus indented failure lines; None if there is no report."""
    try:
        root = ElementTree.parse(xml_path).getroot()
    except (OSError, ElementTree.ParseError):
        return None
    shown, quiet = [], 0
    for testcase in root.iter('testcase'):
        properties = {p.get('name'): p.get('value') or '' for p in testcase.iter('property')}
        failed = testcase.find('failure') is not None
        skipped = testcase.get('result') == 'skipped' or testcase.get('status') == 'notrun'
        observed = properties.get('observed')
        if not (show_all or failed or observed):
            quiet += 1
            continue
        said = observed or words(testcase.get('name', ''))
        if failed:
            expected = properties.get('expected')
            shown.append(f'  ✗ {said}' + (f' — expected {expected}' if expected and observed else ''))
            shown.extend(f'      {line}' for line in failure_text(testcase))
        elif skipped:
            shown.append(f'  - {said} (skipped)')
        else:
            shows = properties.get('shows')
            shown.append(f'  ✓ {said}' + (f': {shows}' if shows and observed else ''))
    if quiet:
        shown.append(f'  ✓ {quiet} more passed' if shown else f'  ✓ {quiet} gtest{"" if quiet == 1 else "s"} passed')
    return shown


def filter_output(lines, build, show_all, started, out):
    for line in lines:
        out.write(line)
        out.flush()
        match = RESULT_LINE.match(line)
        if not match:
            continue
        xml_path = os.path.join(build, match.group('name') + '.xml')
        # A report older than this run belongs to an earlier one (the test died before writing it).
        if not os.path.exists(xml_path) or os.path.getmtime(xml_path) < started:
            continue
        shown = gtest_lines(xml_path, show_all)
        if shown:
            out.write('\n'.join(shown) + '\n')
            out.flush()


RECORDED_REPORT = '''<?xml version="1.0" encoding="UTF-8"?>
<testsuites tests="3" failures="1">
  <testsuite name="Stage07_Server" tests="3" failures="1">
    <testcase name="FourSleepsFinishOneAfterAnother" status="run" result="completed" classname="Stage07_Server">
      <properties>
        <property name="observed" value="four /sleep at once finish in 4.1 delays (parallelism 0.98)"/>
        <property name="shows" value="the lock is held while the job runs — the bug reproduced"/>
        <property name="expected" value="parallelism below 1.5"/>
      </properties>
    </testcase>
    <testcase name="RootWaitsBehindASleep" status="run" result="completed" classname="Stage07_Server">
      <failure message="stage07_server_test.cpp:51&#x0A;Expected: (x) &gt;= (y), actual: 1 vs 2&#x0A;`/` should wait" type=""/>
    </testcase>
    <testcase name="AnEmptyConnectionPoisonsTheLock" status="run" result="completed" classname="Stage07_Server"/>
  </testsuite>
</testsuites>
'''
RECORDED_MESON = '1/1 workbook:07 / 07 servers                     OK              5.12s\nOk:                 1\n'
EXPECTED_VIEW = '''1/1 workbook:07 / 07 servers                     OK              5.12s
  ✓ four /sleep at once finish in 4.1 delays (parallelism 0.98): the lock is held while the job runs — the bug reproduced
  ✗ root waits behind a sleep
      Expected: (x) >= (y), actual: 1 vs 2
      `/` should wait
  ✓ 1 more passed
Ok:                 1
'''


def self_test():
    import io
    problems = []
    for name, said in [('FourSleepsRunSideBySideOnFourWorkers', 'four sleeps run side by side on four workers'),
                       ('AFifthSleepWaitsForAFreeWorker', 'a fifth sleep waits for a free worker'),
                       ('ServesTwoRequestsThenShutsDown', 'serves two requests then shuts down')]:
        if words(name) != said:
            problems.append(f'words({name!r}) = {words(name)!r}, expected {said!r}')
    with tempfile.TemporaryDirectory() as build:
        with open(os.path.join(build, '07 servers.xml'), 'w', encoding='utf-8') as report:
            report.write(RECORDED_REPORT)
        for show_all, expected in [(False, EXPECTED_VIEW),
                                   (True, EXPECTED_VIEW.replace('1 more passed', 'an empty connection poisons the lock'))]:
            out = io.StringIO()
            filter_output(io.StringIO(RECORDED_MESON), build, show_all, 0, out)
            if out.getvalue() != expected:
                problems.append(f'the view (all={show_all}) is\n{out.getvalue()}expected\n{expected}')
        # A report from before this run is not shown.
        out = io.StringIO()
        filter_output(io.StringIO(RECORDED_MESON), build, False, time.time() + 60, out)
        if out.getvalue() != RECORDED_MESON:
            problems.append(f'a stale report was shown:\n{out.getvalue()}')
    for problem in problems:
        print(problem)
    print('test_view self-test:', 'FAILED' if problems else 'ok')
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--build')
    parser.add_argument('--all', action='store_true')
    parser.add_argument('--self-test', action='store_true')
    arguments = parser.parse_args()
    if arguments.self_test:
        return self_test()
    if not arguments.build:
        parser.error('--build is required')
    started = time.time() - 1
    sys.stdin.reconfigure(errors='replace')
    filter_output(sys.stdin, arguments.build, arguments.all, started, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
