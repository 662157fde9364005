#!/usr/bin/env python3
"""The learner's view of `meson test` (what `./workbook test` shows).

Reads Meson's output on stdin and passes it through unchanged; under each finished gtest program it
prints one line per gtest from the XML report Meson had it write (BUILD/<Meson test name>.xml):

  ✓ four /sleep at once finish in 4.1 delays (parallelism 0.98): the lock is held while the job runs
  ✗ four /sleep at once finish in 1.0 delays (parallelism 3.90) — expected parallelism below 1.5
      Expected: (parallelism) < (1.5), actual: 3.9 vs 1.5

The words and figures are the test's own (tests/support/observation.hpp records them); a gtest that
records none is named in words from its name. A ✗ shows the figure in force when the first failure
came (a test may observe several, in turn), or says that no figure was measured and why, under what
the test said it was measuring (or its name in words):

  ✗ four /sleep at once on four workers — no figure was measured: the server crashed: ...

and under it every failure of the test, whole (up to FAILURE_LINES lines each, then a count of the
rest). A server that crashed (tests/support/server_process.cpp records `server_end`) is named on the ✗
line. --all shows every gtest; without it, only those that recorded an observation or failed, and a
count of the others.

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

# `3/12 multithreaded-server-workbook:07 / 07 while-let bug servers (21-21, cpp-21-21-literal)  OK  5.12s`
# (Meson prefixes the test's name with PROJECT:SUITE / when the tests come from several suites or so)
RESULT_LINE = re.compile(r'^\s*\d+/\d+\s+(?:\S+:\S+ / )?(?P<name>.+?)\s+(?P<result>OK|FAIL|EXPECTEDFAIL|UNEXPECTEDPASS|SKIP|TIMEOUT|'
                         r'ERROR|INTERRUPT)\s+[\d.]+s\b')
FAILURE_LINES = 30  # of one failure message; a longer one (a whole stderr) ends with a count of the rest

# Words a test name cannot spell: C++ identifiers have no apostrophe.
SPELLED = {'books': "book's", 'rusts': "Rust's", 'callers': "caller's", 'os': 'OS'}


def words(gtest_name):
    """'FourSleepsRunSideBySide' -> 'four sleeps run side by side' ('AFifth' -> 'a fifth',
    'TheBooksShutdown' -> "the book's shutdown"); a parameterised test's '/listing_21_20' -> '(listing 21-20)',
    '/cpp_21_21_literal' -> '(cpp-21-21-literal)'."""
    name, _, parameter = gtest_name.partition('/')
    parts = re.findall(r'[A-Z]+(?=[A-Z][a-z]|\d|\b)|[A-Z]?[a-z]+|\d+', name)
    said = ' '.join(SPELLED.get(part.lower(), part if part.isupper() and len(part) > 1 else part.lower())
                    for part in parts)
    if parameter:
        said += ' (' + re.sub(r'(\d)_(?=\d)', r'\1-', re.sub(r'(?<=[a-z])(?<!cpp)_?(?=\d)', ' ', parameter)).replace('_', '-') + ')'
    return said


NO_FATAL_FAILURE_ECHO = re.compile(r"^Expected: .* doesn't generate new fatal failures in the current thread\.$")


def failure_text(testcase):
    """Every failure message of the test, whole (up to FAILURE_LINES lines each, keeping gtest's
    indentation), without the file:line lines."""
    lines = []
    for failure in testcase.findall('failure'):
        message = [line.rstrip() for line in (failure.get('message') or '').splitlines()
                   if line.strip() and not re.match(r'^\S+:\d+$', line.strip())]
        # gtest's words that add nothing: ADD_FAILURE's "Failed", and ASSERT_NO_FATAL_FAILURE's
        # echo of a failure already shown above it.
        if message[:1] == ['Failed']:
            message = message[1:]
        if message and NO_FATAL_FAILURE_ECHO.match(message[0]):
            continue
        lines.extend(message[:FAILURE_LINES])
        if len(message) > FAILURE_LINES:
            lines.append(f'… {len(message) - FAILURE_LINES} more lines (the whole log: meson-logs/testlog.txt)')
    return lines


def observations(properties):
    """The test's observations in the order recorded: dicts of saw, shows, expected, failures_before."""
    found = []
    for number in range(1, 100):
        suffix = '' if number == 1 else f' {number}'
        if 'observed' + suffix not in properties:
            break
        before = properties.get('failures_before' + suffix, '')
        found.append({'saw': properties['observed' + suffix], 'shows': properties.get('shows' + suffix, ''),
                      'expected': properties.get('expected' + suffix, ''),
                      'failures_before': int(before) if before.isdigit() else None})
    return found


def in_force_at_first_failure(found):
    """The observation the first failure came under: the last one recorded before any failure."""
    before_any = [o for o in found if o['failures_before'] in (0, None)]
    return before_any[-1] if before_any else None


# gtest's own lines in a failure message, which say what was compared rather than why it matters.
GTEST_WORDING = re.compile(r'^(Expected|Which is|Actual|Value of|To be equal to|With diff|Expected equality)\b|^\s*$')


def first_reason(testcase):
    """The test's own words for its first failure: the first line of the message streamed into the
    failed check (after gtest's own lines, which are its first line and the indented ones), if any."""
    failure = testcase.find('failure')
    lines = [line for line in (failure.get('message') or '').splitlines()] if failure is not None else []
    lines = [line for line in lines if line.strip() and not re.match(r'^\S+:\d+$', line.strip())]
    for line in lines[1:]:  # after gtest's first line (or ADD_FAILURE's "Failed")
        if not line.startswith(' ') and not GTEST_WORDING.match(line):
            return line.strip()
    return None


def failed_line(testcase, properties):
    """The ✗ line: the figure in force at the first failure and what was expected instead (or the
    server's crash), or that no figure was measured and why."""
    observation = in_force_at_first_failure(observations(properties))
    crashed = properties.get('server_end', '')
    if observation:
        instead = crashed or (f'expected {observation["expected"]}' if observation['expected'] else '')
        return f'  ✗ {observation["saw"]}' + (f' — {instead}' if instead else '')
    # not_measured is the reason only if it came with the first failure (not a later check's).
    unanswered = properties.get('not_measured') if properties.get('not_measured_failures_before', '0') == '0' else None
    why = crashed or unanswered or first_reason(testcase) or 'its first check failed (below)'
    headline = properties.get('measuring') or words(testcase.get('name', ''))
    return f'  ✗ {headline} — no figure was measured: {why}'


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
            shown.append(failed_line(testcase, properties))
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


def recorded_case(name, properties=(), failures=()):
    """One <testcase> of a recorded gtest report: properties as (name, value), failures as messages."""
    case = ElementTree.Element('testcase', name=name, status='run', result='completed', classname='Stage07_Server')
    if properties:
        recorded = ElementTree.SubElement(case, 'properties')
        for key, value in properties:
            ElementTree.SubElement(recorded, 'property', name=key, value=value)
    for message in failures:
        ElementTree.SubElement(case, 'failure', message=message, type='')
    return case


def observed(number, saw, expected, failures_before, shows=''):
    """The properties one observe() records (observation.hpp): the first is number 1."""
    suffix = '' if number == 1 else f' {number}'
    return [('observed' + suffix, saw), ('shows' + suffix, shows), ('expected' + suffix, expected),
            ('failures_before' + suffix, str(failures_before))]


CRASH = 'the server crashed: it was killed by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell'
RECORDED_CASES = [
    recorded_case('FourSleepsFinishOneAfterAnother', observed(
        1, 'four /sleep at once finish in 4.1 delays (parallelism 0.98)', 'parallelism below 1.5', 0,
        shows='the lock is held while the job runs — the bug reproduced')),
    recorded_case('RootWaitsBehindASleep',
                  failures=['stage07_server_test.cpp:51\nExpected: (x) >= (y), actual: 1 vs 2\n`/` should wait']),
    recorded_case('AnEmptyConnectionPoisonsTheLock'),
    recorded_case('FourSleepsRunSideBySide/cpp_21_21_literal',
                  observed(1, 'four /sleep at once finish in 1.0 delays (parallelism 3.98)', 'parallelism between 2.5 and 4.4', 0)
                  + observed(2, 'the server printed nothing on stdout after its Listening line',
                             '4 `Worker N got a job; executing.` lines', 0),
                  ['stage06_server_test.cpp:73\nExpected equality of these values:\n  ids.size()\n    Which is: 0\n'
                   '  4U\n    Which is: 4']),
    recorded_case('TheBooksShutdownAnswersFirst',
                  [('not_measured', '/sleep #1 got no response: the connection was reset before any byte arrived'),
                   ('server_end', CRASH)],
                  ['stage07_server_test.cpp:20\nValue of: all_answered(records)\n  Actual: false (/sleep #1 got no response)\n'
                   'Expected: true',
                   'server_process.cpp:319\n' + CRASH + '\nits last lines on stderr:\n    the last word']),
    recorded_case('AFirstFigureOutOfRange',
                  observed(1, 'the first figure: 9', 'below 5', 0) + observed(2, 'the second figure: 1', 'below 5', 1),
                  ['x.cpp:1\nExpected: (first) < (5), actual: 9 vs 5']),
    recorded_case('AnsweredOnlyAfterAnotherFailure',
                  [('not_measured', '/ got no response'), ('not_measured_failures_before', '1')],
                  ['x.cpp:4\nExpected: (a) < (b), actual: 2 vs 1\nthe stderr should say so', 'x.cpp:5\nValue of: all_answered(records)']),
    recorded_case('NotAnswered',
                  [('measuring', 'one `/` on an idle server'), ('not_measured', '/ got no response: the server closed the connection before any byte arrived')],
                  ['x.cpp:2\nValue of: all_answered(records)\n  Actual: false\nExpected: true']),
    recorded_case('ALongLog', failures=['x.cpp:3\nExpected: true\n' + '\n'.join(f'stderr line {i}' for i in range(1, 33))]),
]
RECORDED_MESON = '1/1 workbook:07 / 07 servers                     OK              5.12s\nOk:                 1\n'
EXPECTED_VIEW = '''1/1 workbook:07 / 07 servers                     OK              5.12s
  ✓ four /sleep at once finish in 4.1 delays (parallelism 0.98): the lock is held while the job runs — the bug reproduced
  ✗ root waits behind a sleep — no figure was measured: `/` should wait
      Expected: (x) >= (y), actual: 1 vs 2
      `/` should wait
  ✗ the server printed nothing on stdout after its Listening line — expected 4 `Worker N got a job; executing.` lines
      Expected equality of these values:
        ids.size()
          Which is: 0
        4U
          Which is: 4
  ✗ the book's shutdown answers first — no figure was measured: the server crashed: it was killed by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell
      Value of: all_answered(records)
        Actual: false (/sleep #1 got no response)
      Expected: true
      the server crashed: it was killed by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell
      its last lines on stderr:
          the last word
  ✗ the first figure: 9 — expected below 5
      Expected: (first) < (5), actual: 9 vs 5
  ✗ answered only after another failure — no figure was measured: the stderr should say so
      Expected: (a) < (b), actual: 2 vs 1
      the stderr should say so
      Value of: all_answered(records)
  ✗ one `/` on an idle server — no figure was measured: / got no response: the server closed the connection before any byte arrived
      Value of: all_answered(records)
        Actual: false
      Expected: true
  ✗ a long log — no figure was measured: stderr line 1
      Expected: true
      stderr line 1
      stderr line 2
      stderr line 3
      stderr line 4
      stderr line 5
      stderr line 6
      stderr line 7
      stderr line 8
      stderr line 9
      stderr line 10
      stderr line 11
      stderr line 12
      stderr line 13
      stderr line 14
      stderr line 15
      stderr line 16
      stderr line 17
      stderr line 18
      stderr line 19
      stderr line 20
      stderr line 21
      stderr line 22
      stderr line 23
      stderr line 24
      stderr line 25
      stderr line 26
      stderr line 27
      stderr line 28
      stderr line 29
      … 3 more lines (the whole log: meson-logs/testlog.txt)
  ✓ 1 more passed
Ok:                 1
'''.replace('STDERR_LINES\n', ''.join(f'      stderr line {i}\n' for i in range(1, 30)))


def self_test():
    import io
    problems = []
    for name, said in [('FourSleepsRunSideBySideOnFourWorkers', 'four sleeps run side by side on four workers'),
                       ('AFifthSleepWaitsForAFreeWorker', 'a fifth sleep waits for a free worker'),
                       ('ServesTwoRequestsThenShutsDown', 'serves two requests then shuts down'),
                       ('TheBooksShutdownWaits', "the book's shutdown waits"),
                       ('APoolTheOsCannotGiveItsThreadsPanicsOnMainAndExits101',
                        'a pool the OS cannot give its threads panics on main and exits 101'),
                       ('AFifthSleepWaitsForAFreeWorker/listing_21_20', 'a fifth sleep waits for a free worker (listing 21-20)'),
                       ('FourSleeps/cpp_21_21_literal', 'four sleeps (cpp-21-21-literal)'),
                       ('FourSleeps/stage09', 'four sleeps (stage 09)')]:
        if words(name) != said:
            problems.append(f'words({name!r}) = {words(name)!r}, expected {said!r}')
    with tempfile.TemporaryDirectory() as build:
        report = ElementTree.Element('testsuites')
        ElementTree.SubElement(report, 'testsuite', name='Stage07_Server').extend(RECORDED_CASES)
        ElementTree.ElementTree(report).write(os.path.join(build, '07 servers.xml'), encoding='utf-8')
        for show_all, expected in [(False, EXPECTED_VIEW),
                                   (True, EXPECTED_VIEW.replace('1 more passed', 'an empty connection poisons the lock')
                                   .replace('should wait\n  ✗ the server', 'should wait\n  ✓ an empty connection poisons the lock\n  ✗ the server')
                                   .replace('  ✓ an empty connection poisons the lock\nOk', 'Ok'))]:
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
