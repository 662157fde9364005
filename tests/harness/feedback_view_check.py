#!/usr/bin/env python3
"""What `./workbook test` shows for failing tests, end to end: runs test-harness-feedback (whose tests
fail on purpose: a server that crashes, one whose stdout is never flushed, a test that fails before it
measures, a second figure out of range, a request unanswered, an Outcome compared), writes its XML report where Meson would,
passes a Meson result line through tests/instruments/test_view.py and checks each ✗ line and block.

  feedback_view_check.py PROGRAM
"""
import io
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / 'instruments'))
import test_view  # noqa: E402

NAME = 'harness feedback'
EXPECTED = [
    # (what the view must contain, why)
    ('  ✗ four /sleep at once on four workers — no figure was measured: the server crashed: it was killed '
     'by signal 11 (SIGSEGV, Segmentation fault): status 139 in a shell\n', 'the crash on the ✗ line'),
    ('      its last lines on stderr:\n          the job\'s last word before the crash\n', 'its last lines'),
    ('got no response: the connection was reset before any byte arrived', 'how a request ended, in words'),
    ('  ✗ the server printed nothing on stdout after its Listening line: is stdout flushed? `rs::println` flushes',
     'the lost Worker lines'),
    ('— expected 4 `Worker N got a job; executing.` lines\n', 'what was expected of them'),
    ("  ✗ the book's server is never asked — no figure was measured: no server was started\n",
     'a sentence with its apostrophe, and why nothing was measured'),
    ('  ✗ the second figure: 9 — expected the second below 5\n', 'the figure out of range, not the first one'),
    ('    Which is: reset\n', 'an Outcome in words'),
    ('  ✗ a root that gets no response — no figure was measured: / got no response: the connection was reset before '
     'any byte arrived\n', 'why nothing was measured: how the request ended'),
    ('\n      /: Connection reset by peer)\n', 'the error under it'),
]
NOT_EXPECTED = [('-byte object <', 'a value printed as bytes'), ('\n      Failed\n', "ADD_FAILURE's bare line")]


def main():
    program = sys.argv[1]
    with tempfile.TemporaryDirectory() as build:
        started = time.time() - 1
        # Every case must run, whatever GoogleTest setting the caller has (the mutation audit's fail-fast).
        run = subprocess.run([program, f'--gtest_output=xml:{os.path.join(build, NAME + ".xml")}',
                              '--gtest_fail_fast=0'],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)
        if run.returncode == 0:
            print(run.stdout)
            sys.exit('feedback_view_check: every test of the demonstration passed; each must fail')
        out = io.StringIO()
        meson_line = f'1/1 workbook:harness / {NAME}                     FAIL            1.00s\n'
        test_view.filter_output(io.StringIO(meson_line), build, False, started, out)
    view = out.getvalue()
    print(view)
    problems = [f'missing ({why}): {text!r}' for text, why in EXPECTED if text not in view]
    problems += [f'present ({why}): {text!r}' for text, why in NOT_EXPECTED if text in view]
    for problem in problems:
        print('feedback_view_check:', problem)
    print('feedback_view_check:', 'FAILED' if problems else 'ok')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
