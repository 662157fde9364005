#!/usr/bin/env python3
"""Runs one safety-lab program and checks what the tool catching its bug reports.

    lab_run.py [--expect TEXT]... [--forbid TEXT]... [--status exit:N|signal:NAME] [--print] -- PROGRAM

The check passes only if every --expect text appears in the program's output (stdout and stderr),
no --forbid text does, and it ended with --status. So a bug program's test fails as soon as the tool
stops reporting, and a fixed program's test fails as soon as it reports anything.
The sanitizers' options are set here, not inherited, so that every run is the same:
  - ThreadSanitizer stops at its first report (halt_on_error): after a race the Receiver's buffer
    may be corrupt, and a program that went on could crash or hang instead of ending;
  - AddressSanitizer keeps the frames of returned functions poisoned (detect_stack_use_after_return),
    which is what lets it see a job reading a local of a function that has returned.
--print writes the output normalised for the docs instead, and how the program ended: no addresses, pids, thread ids, build
paths, standard-library frames, ThreadSanitizer's notes on where threads and mutexes were created
or AddressSanitizer's shadow-memory map, so that a quote changes only when the report does.
"""
import argparse
import os
import pathlib
import platform
import re
import signal
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SANITIZER_OPTIONS = {
    "TSAN_OPTIONS": "halt_on_error=1",
    "ASAN_OPTIONS": "detect_stack_use_after_return=1:detect_leaks=0",
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}
TIMEOUT_SECONDS = 60
# Some kernels lay out memory where ThreadSanitizer cannot work; without ASLR it always can.
TSAN_LAYOUT_FAILURE = "unexpected memory mapping"


def run(program: list[str]) -> tuple[str, int]:
    environment = dict(os.environ, **SANITIZER_OPTIONS)

    def attempt(command: list[str]) -> tuple[str, int]:
        try:
            done = subprocess.run(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True, errors="replace", timeout=TIMEOUT_SECONDS, start_new_session=True)
        except subprocess.TimeoutExpired as expired:
            output = (expired.stdout or b"").decode(errors="replace")
            sys.exit(f"lab_run.py: {program[0]} did not end within {TIMEOUT_SECONDS} s; output:\n{output}")
        except FileNotFoundError:
            sys.exit(f"lab_run.py: no such program: {command[0]}")
        return done.stdout, done.returncode

    output, status = attempt(program)
    if TSAN_LAYOUT_FAILURE in output:
        output, status = attempt(["setarch", platform.machine(), "-R"] + program)
    return output, status


def describe(status: int) -> str:
    if status < 0:
        return "signal:" + signal.Signals(-status).name
    return f"exit:{status}"


def is_workbook_frame(line: str) -> bool:
    """A stack frame in the workbook's own code (or the access itself, frame #0)."""
    frame = re.match(r"\s+#(\d+) (?:0x\S+ in )?(\S+)", line)
    return frame is not None and (frame.group(1) == "0" or frame.group(2).startswith(("rs::", "hello::"))
                                  or re.search(r"(^|\s)(tests|common|steps)/", line) is not None)


def normalise(text: str, program: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    text = text.replace(str(pathlib.Path(program).resolve().parent) + "/", "")
    text = text.replace(str(ROOT) + "/", "")
    text = re.sub(r"(?<![\w./-])[\w./-]+/\.\./", "", text)  # build/../common/…: common's unity build
    text = re.sub(r"(?<![\w.])(\.\./)+", "", text)  # sources named relative to the build folder
    text = re.sub(r"\+0x[0-9a-f]+\)", ")", text)  # offsets inside a binary: (program+0x12b2)
    text = re.sub(r"0x[0-9a-f]+", "0x…", text)
    text = re.sub(r"==\d+==", "==PID==", text)
    text = re.sub(r"\bpid=\d+", "pid=PID", text)
    text = re.sub(r"\btid=\d+", "tid=TID", text)
    kept = []
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("Shadow bytes around"):
            break  # AddressSanitizer's map of the memory around the address: not for quoting
        if re.match(r"  (Mutex M\d+ .* created at|Thread T\d+ .* created by .*):$", line):
            for line in lines:  # where ThreadSanitizer's mutexes and threads were made: not for quoting
                if not line.strip():
                    break
            continue
        if line.startswith("HINT: "):
            next(lines, None)  # the hint's second line
            continue
        if re.match(r"\s+#\d+ ", line) and not is_workbook_frame(line):
            if not kept or kept[-1].strip() != "…":
                kept.append(" " * (len(line) - len(line.lstrip())) + "…")
            continue
        kept.append(line)
    return "\n".join(kept) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--expect", action="append", default=[])
    parser.add_argument("--forbid", action="append", default=[])
    parser.add_argument("--status")
    parser.add_argument("--print", action="store_true")
    parser.add_argument("program", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    program = args.program[1:] if args.program[:1] == ["--"] else args.program
    if not program:
        sys.exit("lab_run.py: no program given")

    output, status = run(program)
    if args.print:
        sys.stdout.write(normalise(output, program[0]) + f"[ended with {describe(status)}]\n")
        return 0

    problems = [f"expected {text!r} in the output" for text in args.expect if text not in output]
    problems += [f"did not expect {text!r} in the output" for text in args.forbid if text in output]
    if args.status and describe(status) != args.status:
        problems.append(f"expected the program to end with {args.status}, it ended with {describe(status)}")
    sys.stdout.write(output)
    for problem in problems:
        print(f"lab_run.py: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
