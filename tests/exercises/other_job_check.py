#!/usr/bin/env python3
"""The checks of the extension exercise `other-job` (tests/exercises/extensions.meson): each runs the
learner's program, which must count the primes below 200000 (17984) as eight jobs on listing 21-25's
pool of four workers, and judges one thing of what it saw:

  other_job_check.py total PROGRAM     eight "Worker N got a job; executing." lines, then the right
                                       total, and exit status 0
  other_job_check.py workers PROGRAM   (PROGRAM linked with other_job_probe.cpp) exactly four threads
                                       started, the pool's workers, and the counting done on them, not
                                       on main: main's share of the CPU time below one half (it is near
                                       0 when the workers count, near 1 when main does)
  other_job_check.py race PROGRAM      (PROGRAM built with -fsanitize=thread) no ThreadSanitizer report:
                                       the four workers add to the total at once
Prints `saw: ...` and, for each fault, `expected ...`; exit status 1 on a fault."""
import re
import subprocess
import sys

PRIMES_BELOW_200000 = "17984"
JOBS = 8
WORKERS = 4
MAIN_SHARE_BOUND = 0.5  # wide: the measured share is about 0.01 when the workers count, 0.99 when main does


def run(program):
    done = subprocess.run([program], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=100,
                          env={"TSAN_OPTIONS": "halt_on_error=0:exitcode=66"})
    return done.stdout, done.returncode


def judge_total(output, status):
    jobs = re.findall(r"^Worker \d+ got a job; executing\.$", output, re.M)
    total = re.search(r"^primes below 200000: (\d+)$", output, re.M)
    saw = (f"{len(jobs)} jobs run by the pool's workers; total {total.group(1) if total else 'not printed'}; "
           f"exit status {status}")
    problems = []
    if len(jobs) != JOBS:
        problems.append(f"expected {JOBS} jobs on the pool (\"Worker N got a job; executing.\"), saw {len(jobs)}")
    if not total or total.group(1) != PRIMES_BELOW_200000:
        problems.append(f"expected the line 'primes below 200000: {PRIMES_BELOW_200000}' (the total of every job)")
    elif jobs and output.index(total.group(0)) < output.rindex(jobs[-1]):
        problems.append("expected the total printed after every job had run; it came before the last one started")
    if status != 0:
        problems.append(f"expected exit status 0, got {status}")
    return saw, problems


def judge_workers(output, status):
    probe = re.search(r"^other-job probe: (\d+) threads started; main thread ([\d.]+) s of ([\d.]+) s CPU$", output, re.M)
    if not probe:
        return f"no line from the probe (exit status {status})", ["expected the probe's line when the program ends"]
    started, main_cpu, all_cpu = int(probe.group(1)), float(probe.group(2)), float(probe.group(3))
    share = main_cpu / all_cpu if all_cpu > 0 else 1.0
    saw = f"{started} threads started; the main thread used {main_cpu:.3f} s of the {all_cpu:.3f} s CPU ({share:.0%})"
    problems = []
    if started < WORKERS:
        problems.append(f"expected {WORKERS} threads started, the pool's four workers: {started} is a pool of fewer")
    elif started > WORKERS:
        problems.append(f"expected {WORKERS} threads started, the pool's four workers, and no thread of the "
                        f"program's own: {started - WORKERS} more")
    if share >= MAIN_SHARE_BOUND:
        problems.append(f"expected the counting done by the workers: main used {share:.0%} of the CPU time "
                        f"(bound {MAIN_SHARE_BOUND:.0%}), so it counted (a count_primes call outside the job?)")
    return saw, problems


def judge_race(output, status):
    reports = len(re.findall(r"^WARNING: ThreadSanitizer: (.*)$", output, re.M))
    saw = f"under ThreadSanitizer: {reports} report{'s' if reports != 1 else ''}; exit status {status}"
    problems = []
    if reports:
        first = output[output.index("WARNING: ThreadSanitizer"):].splitlines()[:8]
        problems.append("expected no ThreadSanitizer report: the workers update something at once without "
                        "synchronisation (is the total a std::atomic?). Its first lines:\n  " + "\n  ".join(first))
    elif status != 0:
        problems.append(f"expected exit status 0, got {status}")
    return saw, problems


def main(mode, program):
    judge = {"total": judge_total, "workers": judge_workers, "race": judge_race}[mode]
    output, status = run(program)
    saw, problems = judge(output, status)
    print("saw: " + saw)
    print("\n".join(problems) if problems else "ok")
    if problems:
        print("\nthe program's output:\n" + "\n".join(output.splitlines()[-20:]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
