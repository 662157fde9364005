#!/usr/bin/env python3
"""The check of the extension exercise `other-job`: runs the program, which must count the primes below
200000 (17984) as eight jobs on the pool: eight "Worker N got a job; executing." lines, the right total
after them, and exit status 0."""
import re
import subprocess
import sys

done = subprocess.run([sys.argv[1]], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=50)
jobs = re.findall(r"^Worker \d+ got a job; executing\.$", done.stdout, re.M)
total = re.search(r"^primes below 200000: (\d+)$", done.stdout, re.M)
print(f"saw: {len(jobs)} jobs run by the pool's workers; total {total.group(1) if total else 'not printed'}; "
      f"exit status {done.returncode}")
problems = []
if len(jobs) != 8:
    problems.append(f"expected 8 jobs on the pool, saw {len(jobs)}")
if not total or total.group(1) != "17984":
    problems.append("expected the line 'primes below 200000: 17984'")
elif jobs and done.stdout.index(total.group(0)) < done.stdout.rindex(jobs[-1]):
    problems.append("the total was printed before every job had started")
if done.returncode != 0:
    problems.append(f"expected exit status 0, got {done.returncode}")
print("\n".join(problems) if problems else "ok")
sys.exit(1 if problems else 0)
