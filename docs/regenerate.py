#!/usr/bin/env python3
"""Keeps what the docs quote true: every quoted output is produced here, every C++ line is the source's.

    docs/regenerate.py --write [--build-root BUILD] [--compiler CXX]   rewrite the quotes
    docs/regenerate.py --check [--build-root BUILD] [--compiler CXX]   fail on any drift (the test)

What it looks at in docs/*.md (and nothing else):

  <!-- code: PATH -->          must be followed at once by a ```cpp block whose lines are a verbatim,
  ```cpp                       contiguous run of lines of PATH (relative to the workbook's root). The
  ...                          block may drop a common leading indent (all its lines the same amount).
  ```                          A ```cpp block without this marker is an error: C++ is never copied by hand.

  <!-- output: KEY -->         must be followed at once by a ```text (or ```diff) block holding what KEY produces
  ```text                      now (see KEYS below). --write replaces the block; --check compares,
  ...                          after the normalisation rules below, and names page and line.
  ```

  [text](relative/path#anchor)     with --links: every relative link must lead to a file that exists (and, in a .md
                                   file, to a heading that exists).

  <!-- generated: stage-table -->   a Markdown table of the stages and their listings (docs/README.md),
  ...                               up to <!-- end generated -->; written and checked like an output.
  <!-- generated: listings-map -->  every listing: folder, title and the Meson tests that use it, from
                                    listings.tsv and BUILD/meson-info (docs/listings.md).

KEYS (one registry: KEY_RUNNERS below; add a key by adding a pattern and a function):

  diagnostic LISTING          the normalised g++ diagnostics of a listing that does not compile, from
                              tests/compile_fail.py --print, the one compile check (its flags; the
                              Meson test passes the build's compiler as --compiler).
  run LISTING REQUEST...      the listing's real server (from the build folder), started in its stage
                              folder with WORKBOOK_ADDR=127.0.0.1:0 and WORKBOOK_SLEEP_MS=200; each
                              REQUEST is sent in turn and answered before the next: a path (`/`, `/sleep`)
                              is `GET path HTTP/1.1`, `empty` connects and closes without a byte; with a
                              trailing `&` (`/sleep&`) the next request goes 50 ms later, without waiting
                              for the answer (add `| any order` when the lines may then race); `SIGTERM`
                              sends the server that signal (stage 09 then shuts down gracefully). Shows
                              stdout and stderr as they interleave; when the server exits by itself the
                              last line is `[process exited with status N]`, otherwise it is killed.
  lab TARGET                  a safety-lab program (tests/lab/, e.g. `lab lab-dropped-thread-bug`) run by
                              tests/lab/lab_run.py --print: its output, normalised by that script (no
                              addresses, pids, build paths), and how it ended.
  flood NN [ARGS...]          `./workbook flood NN ARGS` (tests/flood: the flood against stage NN's last
                              runnable listing), 80 columns, no colour; it must say "As the book says".
                              Its numbers vary run to run: quote it with `| any numbers`.
  workbook list               `./workbook list`.
  workbook diff A B           `./workbook diff A B` (no colour).
  workbook compare [ARGS]     `./workbook compare [ARGS]`: the models' table, measured now (quote it
                              with `| any numbers`).

  Any key may end with filters, applied in order:  | grep REGEX   | head N   | tail N
  and with `| any order`: the lines may come in any order (threads race to print), so the check compares
  them sorted, while the page keeps the order of a real run, as the Rust book marks such output.
  And with `| any numbers`: measurements that vary run to run (the flood's); the check compares the
  words only, every number and every bar of `#` taken as the same and the spacing ignored, while the
  page keeps a real run. A different verdict, row count or message still fails it.

NORMALISATION (applied to the page's block and to the fresh output before comparing; --write writes
real output):
  - worker ids:  `Worker 3` / `worker 3` -> `Worker <id>`   (which worker takes a job is up to the OS)
  - ports:       `127.0.0.1:41233` -> `127.0.0.1:<port>`     (the server binds port 0; --write shows 7878)
  - sanitizer reports: hex addresses -> `0x<addr>`, `==1234==` -> `==<pid>==`, threads `T12` -> `T<n>`,
    mutexes `M11` -> `M<n>`, stack frame numbers `#5 ` -> `#<n> ` (how many frames a report shows varies).
    Which race ThreadSanitizer reports first varies too: quote such a report through `| grep`.
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import pathlib
import re
import select
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

CODE_MARKER = re.compile(r"^\s*<!--\s*code:\s*(?P<path>\S+)\s*-->\s*$")
OUTPUT_MARKER = re.compile(r"^\s*<!--\s*output:\s*(?P<key>.+?)\s*-->\s*$")
GENERATED_MARKER = re.compile(r"^\s*<!--\s*generated:\s*(?P<key>.+?)\s*-->\s*$")
GENERATED_END = re.compile(r"^\s*<!--\s*end generated\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")
CPP_LANGS = {"cpp", "c++", "cxx", "cc", "hpp"}


class DocsError(Exception):
    pass


def shown(path):
    """A path as messages show it: relative to the workbook's root when it is inside."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------------------------------
# The listings table (steps/*/listings.tsv)

def listing_rows():
    """Every row as dict(stage, listing, target, kind, title), stages in order."""
    rows = []
    for table in sorted(ROOT.glob("steps/*/listings.tsv")):
        lines = table.read_text().splitlines()
        for line in lines[1:]:
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) < 4:
                raise DocsError(f"{table.relative_to(ROOT)}: malformed row: {line!r}")
            rows.append(dict(stage=table.parent.name, listing=fields[0], target=fields[1], kind=fields[2],
                             title=fields[3] if len(fields) > 3 else ""))
    return rows


RUNNABLE_KINDS = {"runs", "rust-rejects-cpp-compiles"}
BOOK_LISTING = re.compile(r"^(21-[0-9]+|no-listing-[0-9]+)$")


def stage_listing(stage):
    """The listing a stage stands for (the driver's stage_listing, the same rule): its last runnable
    book listing, or in a stage beyond the book its last runnable row; None if it has none."""
    rows = [row for row in listing_rows() if row["stage"] == stage]
    book = [row for row in rows if BOOK_LISTING.match(row["listing"])]
    runnable = [row for row in (book or rows) if row["kind"] in RUNNABLE_KINDS]
    return runnable[-1] if runnable else None


def find_listing(listing):
    for row in listing_rows():
        if row["listing"] == listing:
            return row
    raise DocsError(f"unknown listing {listing!r} (not in any steps/*/listings.tsv)")


# ---------------------------------------------------------------------------------------------------
# Key runners

class Context:
    def __init__(self, build_root, compiler):
        self.build_root = build_root
        self.compiler = compiler


def run_diagnostic(context, listing):
    row = find_listing(listing)
    folder = ROOT / "steps" / row["stage"] / row["target"]
    if not any(folder.glob("*.cpp")):
        raise DocsError(f"listing {listing}: no .cpp in {folder.relative_to(ROOT)}")
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "compile_fail.py"), "--print"]
                         + context.compiler + ["--", str(folder)], capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise DocsError(f"compile_fail.py --print failed for {listing}: {run.stderr.strip()}")
    if not run.stdout.strip():
        raise DocsError(f"listing {listing} compiles without a diagnostic: nothing to quote")
    return run.stdout


def http_exchange(port, request, deadline_s=15.0):
    try:
        connection = socket.create_connection(("127.0.0.1", port), timeout=deadline_s)
    except OSError:
        return  # the server has gone (its output says why)
    with connection:
        if request == "empty":
            connection.shutdown(socket.SHUT_WR)
        else:
            connection.sendall(f"GET {request} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        try:
            while connection.recv(65536):
                pass
        except OSError:
            pass  # a reset is an answer too (e.g. the server died)


def run_server(context, listing, *requests):
    row = find_listing(listing)
    if row["kind"] == "does-not-compile":
        raise DocsError(f"listing {listing} does not compile: use `diagnostic {listing}`")
    executable = context.build_root / "steps" / row["target"]
    if not executable.is_file():
        raise DocsError(f"{executable} is not built (ninja -C {context.build_root})")
    env = dict(os.environ, WORKBOOK_ADDR="127.0.0.1:0", WORKBOOK_SLEEP_MS="200")
    process = subprocess.Popen([str(executable)], cwd=ROOT / "steps" / row["stage"], env=env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = bytearray()

    def read_for(seconds, until=None):
        """Collects output for up to `seconds`; stops early once `until(text)` holds, or at quiet EOF."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if until and until(output.decode(errors="replace")):
                return True
            ready, _, _ = select.select([process.stdout], [], [], min(0.05, max(0.0, end - time.monotonic())))
            if ready:
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    return until is None
                output.extend(chunk)
        return False

    def read_to_end():
        """Once the server has exited: everything it wrote, up to end of file (no time limit can cut it)."""
        while chunk := os.read(process.stdout.fileno(), 65536):
            output.extend(chunk)

    def read_until_quiet(quiet_seconds, give_up_seconds=10):
        quiet_since = time.monotonic()
        give_up = time.monotonic() + give_up_seconds
        while time.monotonic() < give_up and process.poll() is None:
            before = len(output)
            read_for(0.05)
            if len(output) != before:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > quiet_seconds:
                return

    try:
        listening = re.compile(r"Listening on http://127\.0\.0\.1:(\d+)\n")
        if not read_for(10, lambda text: listening.search(text)):
            raise DocsError(f"{listing} did not print its Listening line: {output.decode(errors='replace')!r}")
        port = int(listening.search(output.decode()).group(1))
        background = []
        for request in requests:
            if request == "SIGTERM":
                process.send_signal(signal.SIGTERM)
                read_until_quiet(0.5)  # its shutdown is over (or it ignores the signal)
                continue
            if request.endswith("&"):
                background.append(threading.Thread(target=http_exchange, args=(port, request[:-1])))
                background[-1].start()
                time.sleep(0.05)  # sent in this order, answered in whatever order the server likes
            else:
                http_exchange(port, request)
                read_until_quiet(0.2)  # what the request caused (a panic unwinding) is over
            read_for(0.1)
        for exchange in background:
            while exchange.is_alive():
                read_for(0.1)
                exchange.join(timeout=0.1)
        # Let it finish what it prints (a panic, a shutdown), then stop it if it still runs.
        read_until_quiet(0.5)
        status = process.poll()
        if status is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        read_to_end()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    text = output.decode(errors="replace").replace(f"127.0.0.1:{port}", "127.0.0.1:7878")
    if status is not None:
        text += f"[process exited with status {status}]\n"
    return text


def run_lab(context, target):
    program = context.build_root / "tests" / "lab" / target
    if not program.is_file():
        raise DocsError(f"{program} is not built (the sanitizer cases are built in builds without -Db_sanitize)")
    run = subprocess.run([sys.executable, str(ROOT / "tests" / "lab" / "lab_run.py"), "--print", "--", str(program)],
                         capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        raise DocsError(f"lab_run.py --print {target} failed: {run.stderr.strip()}")
    return run.stdout


def run_flood(context, number, arguments):
    row = [row for row in listing_rows() if row["stage"].startswith(number + "-") and row["kind"] == "runs"
           and re.fullmatch(r"21-\d+|no-listing-\d+", row["listing"])]
    if not row:
        raise DocsError(f"no runnable book listing in stage {number}")
    program = context.build_root / "tests" / "flood" / "workbook-flood"
    if not program.is_file():
        raise DocsError(f"{program} is not built")
    env = dict(os.environ, NO_COLOR="1", WORKBOOK_BUILD_ROOT=str(context.build_root), WORKBOOK_SOURCE_ROOT=str(ROOT))
    run = subprocess.run([str(program), row[-1]["stage"], row[-1]["target"], "--width", "80", "--colour", "never"]
                         + arguments.split(), capture_output=True, text=True, cwd=ROOT, env=env,
                         stdin=subprocess.DEVNULL, timeout=120)
    if run.returncode != 0:
        raise DocsError(f"the flood of stage {number} did not end as the book says:\n{run.stdout}{run.stderr}")
    return run.stdout


def run_workbook(context, *args):
    env = dict(os.environ, NO_COLOR="1")
    run = subprocess.run([str(ROOT / "workbook")] + list(args), capture_output=True, text=True, cwd=ROOT,
                         env=env, stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        raise DocsError(f"./workbook {' '.join(args)} failed: {run.stderr.strip()}")
    return run.stdout.lstrip("\n")


# The registry: a key's first words select its runner; the rest are the runner's arguments.
KEY_RUNNERS = [
    (re.compile(r"^diagnostic (\S+)$"), run_diagnostic),
    (re.compile(r"^run (\S+)((?: \S+)*)$"), lambda context, listing, requests: run_server(context, listing, *requests.split())),
    (re.compile(r"^lab (\S+)$"), run_lab),
    (re.compile(r"^flood (\d\d)((?: \S+)*)$"), run_flood),
    (re.compile(r"^workbook (list)$"), run_workbook),
    (re.compile(r"^workbook (diff) (\S+) (\S+)$"), run_workbook),
    (re.compile(r"^workbook (compare)((?: \S+)*)$"),
     lambda context, command, arguments: run_workbook(context, command, *arguments.split())),
]


# ---------------------------------------------------------------------------------------------------
# Filters and normalisation

def split_key(key):
    """'run 21-20 / | grep Worker | any order' -> ('run 21-20 /', [('grep', 'Worker')], any_order)."""
    parts = [part.strip() for part in key.split(" | ")]
    base, filters, any_order = parts[0], [], False
    for part in parts[1:]:
        name, _, argument = part.partition(" ")
        if part == "any order":
            any_order = True
        elif part == "any numbers":
            any_order = ANY_NUMBERS
        elif name in ("grep", "head", "tail") and argument:
            if name in ("head", "tail") and not argument.isdigit():
                raise DocsError(f"`{name}` takes a number of lines, not {argument!r}")
            filters.append((name, argument))
        else:
            raise DocsError(f"unknown filter {part!r} (grep REGEX, head N, tail N, any order)")
    return base, filters, any_order


def apply_filters(text, filters):
    lines = text.splitlines()
    for name, argument in filters:
        if name == "grep":
            lines = [line for line in lines if re.search(argument, line)]
        elif name == "head":
            lines = lines[:int(argument)]
        elif name == "tail":
            lines = lines[-int(argument):] if int(argument) else []
    return "\n".join(lines) + "\n" if lines else ""


NORMALISATION = [
    (re.compile(r"\b([Ww]orker) \d+"), r"\1 <id>"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"0x[0-9a-fA-F]+"), "0x<addr>"),
    (re.compile(r"==\d+=="), "==<pid>=="),
    (re.compile(r"\bT\d+\b"), "T<n>"),
    (re.compile(r"\bM\d+\b"), "M<n>"),
    (re.compile(r"^(\s*)#\d+ "), r"\1#<n> "),
]


# `| any numbers` (passed where `any order` goes): the words of a measurement, not its values.
ANY_NUMBERS = "any numbers"
MEASUREMENT = [
    (re.compile(r"#+"), "<bar>"),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
]


def normalise(text, any_order):
    lines = [line.rstrip() for line in text.splitlines()]
    for pattern, replacement in NORMALISATION:
        lines = [pattern.sub(replacement, line) for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    if any_order == ANY_NUMBERS:
        # Numbers of another width wrap a paragraph elsewhere and shift columns: compare the words.
        words = " ".join(lines)
        for pattern, replacement in MEASUREMENT:
            words = pattern.sub(replacement, words)
        return words.split()
    return sorted(lines) if any_order else lines


class Producer:
    """Runs each key once, however many pages quote it."""

    def __init__(self, context):
        self.context = context
        self.cache = {}

    def raw(self, base):
        if base not in self.cache:
            for pattern, runner in KEY_RUNNERS:
                match = pattern.match(base)
                if match:
                    try:
                        self.cache[base] = runner(self.context, *match.groups())
                    except DocsError as error:
                        self.cache[base] = error
                    break
            else:
                self.cache[base] = DocsError(f"unknown output key {base!r} (see docs/regenerate.py KEYS)")
        if isinstance(self.cache[base], DocsError):
            raise self.cache[base]
        return self.cache[base]

    def produce(self, key):
        base, filters, any_order = split_key(key)
        return apply_filters(self.raw(base), filters), any_order

    def prefetch(self, keys):
        """Runs distinct keys two at a time (the machine is shared)."""
        bases = sorted({split_key(key)[0] for key in keys if is_valid_key(key)})
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda base: self.raw_or_none(base), bases))

    def raw_or_none(self, base):
        try:
            return self.raw(base)
        except DocsError:
            return None


def is_valid_key(key):
    try:
        split_key(key)
        return True
    except DocsError:
        return False


# ---------------------------------------------------------------------------------------------------
# Generated Markdown (docs/README.md's stage table)

def stage_table():
    stages = []
    for row in listing_rows():
        if not stages or stages[-1][0] != row["stage"]:
            stages.append((row["stage"], []))
        stages[-1][1].append(row)
    kind_note = {"does-not-compile": " (does not compile)", "rust-rejects-cpp-compiles": " (rustc rejects; g++ compiles)",
                 "pool-only": " (a pool only, for the tests)"}
    lines = ["| stage | listings | run | test |", "|---|---|---|---|"]
    for stage, rows in stages:
        number = stage[:2]
        pages = sorted(DOCS.glob(f"{number}-*.md"))
        name = f"[`{stage}`]({pages[0].name})" if pages else f"`{stage}`"
        exercises = [row for row in rows if row["kind"] in ("exercise", "extension")]  # ./workbook exercise
        listings = "<br>".join(f"{row['listing']}{kind_note.get(row['kind'], '')}: {row['title']}"
                               for row in rows if row not in exercises)
        if exercises:
            listings += "<br>exercises: " + ", ".join(f"`./workbook exercise {row['listing'].removeprefix('exercise-').removeprefix('extension-')}`"
                                                      for row in exercises)
        shown_listing = stage_listing(stage)
        run = f"`./workbook run {number}`" + (f" ({shown_listing['listing']})" if shown_listing else "")
        lines.append(f"| {name} | {listings} | {run} | `./workbook test {number}` |")
    return "\n".join(lines) + "\n"


def listing_tests(build_root):
    """Meson's tests, each as (name, text): its command and, when its program is a target of this build,
    that target's compile parameters and its explicit depends' names (meson-info, read after setup)."""
    info = build_root / "meson-info"
    try:
        tests = json.loads((info / "intro-tests.json").read_text())
        targets = json.loads((info / "intro-targets.json").read_text())
    except (OSError, ValueError) as error:
        raise DocsError(f"no Meson test list in {info} (meson setup {build_root}): {error}")
    by_file = {}
    by_id = {}
    for target in targets:
        by_id[target["id"]] = target["name"]
        for filename in target["filename"]:
            by_file[filename] = target
    found = []
    for test in tests:
        # The docs' own checks run every quoted listing, and only in ordinary builds (not under a
        # sanitizer): they are not a listing's tests, and the map must not depend on the build type.
        if any(suite.split(":")[-1] == "docs" for suite in test.get("suite", [])):
            continue
        words = list(test["cmd"]) + [by_id.get(target_id, "") for target_id in test["depends"]]
        program = by_file.get(test["cmd"][0])
        if program:
            for source in program["target_sources"]:
                words += source.get("parameters", [])
        found.append((test["name"], "\n".join(words)))
    return found


def listings_map(build_root):
    """Every listing of every stage: its folder, what it shows, and the Meson tests that build, run or
    check it - a test whose command, program's include path or depends name the listing's folder or
    executable (so the map follows the build, with nothing kept by hand)."""
    tests = listing_tests(build_root)
    lines = ["| listing | stage | kind | folder | what it shows | Meson tests |", "|---|---|---|---|---|---|"]
    for row in listing_rows():
        if row["kind"] in ("exercise", "extension"):
            continue  # not a listing: the learner's, checked by ./workbook exercise
        folder = f"steps/{row['stage']}/{row['target']}"
        pattern = re.compile(rf"{re.escape(folder)}(/|$)|^{re.escape(row['target'])}$", re.MULTILINE)
        names = [name for name, text in tests if pattern.search(text)]
        page = sorted(DOCS.glob(f"{row['stage'][:2]}-*.md"))
        stage = f"[{row['stage']}]({page[0].name})" if page else row["stage"]
        shown_tests = ", ".join(f"`{name}`" for name in names) or "—"
        lines.append(f"| {row['listing']} | {stage} | {row['kind']} | `{folder}/` | {row['title']} | {shown_tests} |")
    return "\n".join(lines) + "\n"


GENERATORS = {"stage-table": lambda build_root: stage_table(), "listings-map": listings_map}


# ---------------------------------------------------------------------------------------------------
# Pages

def read_fenced_block(lines, start):
    """lines[start] must open a fence; returns (lang, indent, body lines, index of the closing fence)."""
    opening = FENCE.match(lines[start]) if start < len(lines) else None
    if not opening:
        return None
    indent = opening.group("indent")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == "```":
            body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[start + 1:end]]
            return opening.group("lang"), indent, body, end
    raise DocsError(f"line {start + 1}: the fence opened here is never closed")


def code_matches(block, source_lines):
    """True if `block` (after dropping one common indent) is a contiguous run of `source_lines`."""
    if not block:
        return False
    block = [line.rstrip() for line in block]
    source = [line.rstrip() for line in source_lines]
    anchor = next(index for index, line in enumerate(block) if line) if any(block) else None
    if anchor is None:
        return False
    for start in range(0, len(source) - len(block) + 1):
        candidate = source[start + anchor]
        if not candidate.endswith(block[anchor]):
            continue
        indent = candidate[:len(candidate) - len(block[anchor])]
        if indent.strip():
            continue
        if all((source[start + offset] == indent + line) if line else not source[start + offset]
               for offset, line in enumerate(block)):
            return True
    return False


def closest_source_line(block, source_lines):
    """The first block line that appears nowhere in the source (for the error message)."""
    stripped = {line.strip() for line in source_lines}
    for line in block:
        if line.strip() and line.strip() not in stripped:
            return line.strip()
    return None


def check_code_block(page, marker_line, path, block, problems):
    source = ROOT / path
    where = f"{shown(page)}:{marker_line + 1}"
    if not source.is_file():
        problems.append(f"{where}: code from unknown path {path}")
        return
    source_lines = source.read_text().splitlines()
    if code_matches(block, source_lines):
        return
    stray = closest_source_line(block, source_lines)
    detail = f"this line is not in it: {stray!r}" if stray else "its lines are there, but not contiguous or in this order"
    problems.append(f"{where}: the ```cpp block is not a verbatim run of lines of {path}; {detail}")


def process_page(page, producer, write, problems):
    lines = page.read_text().splitlines()
    new_lines = []
    index = 0
    while index < len(lines):
        line = lines[index]
        code = CODE_MARKER.match(line)
        output = OUTPUT_MARKER.match(line)
        generated = GENERATED_MARKER.match(line)
        fence = FENCE.match(line)
        where = f"{shown(page)}:{index + 1}"
        if code or output:
            new_lines.append(line)
            try:
                block = read_fenced_block(lines, index + 1)
            except DocsError as error:
                problems.append(f"{shown(page)}: {error}")
                return
            expected_lang = "cpp" if code else "text"
            if block is None or (block[0] in CPP_LANGS) != (expected_lang == "cpp") or (output and block[0] not in ("text", "diff")):
                problems.append(f"{where}: the marker must be followed at once by a ```{expected_lang} block")
                index += 1
                continue
            lang, indent, body, end = block
            if code:
                check_code_block(page, index, code.group("path"), body, problems)
                new_lines.extend(lines[index + 1:end + 1])
            else:
                key = output.group("key")
                try:
                    produced, any_order = producer.produce(key)
                except DocsError as error:
                    problems.append(f"{where}: {error}")
                    new_lines.extend(lines[index + 1:end + 1])
                    index = end + 1
                    continue
                page_text = "\n".join(body)
                if write:
                    new_lines.append(lines[index + 1])
                    new_lines.extend(indent + produced_line if produced_line else ""
                                     for produced_line in produced.rstrip("\n").split("\n") if produced.strip())
                    new_lines.append(lines[end])
                else:
                    new_lines.extend(lines[index + 1:end + 1])
                    if normalise(page_text, any_order) != normalise(produced, any_order):
                        diff = difflib.unified_diff(normalise(page_text, any_order),
                                                    normalise(produced, any_order),
                                                    "page", "produced now", lineterm="", n=1)
                        problems.append(f"{where}: the quote of `{key}` differs from what it produces now "
                                        f"(docs/regenerate.py --write updates it; compared after normalising):\n    "
                                        + "\n    ".join(diff))
            index = end + 1
            continue
        if generated:
            new_lines.append(line)
            name = generated.group("key")
            end = next((position for position in range(index + 1, len(lines)) if GENERATED_END.match(lines[position])), None)
            if end is None or name not in GENERATORS:
                problems.append(f"{where}: " + ("no <!-- end generated --> after this marker" if end is None
                                                else f"unknown generated section {name!r}"))
                index += 1
                continue
            produced = GENERATORS[name](producer.context.build_root).rstrip("\n").split("\n")
            if write:
                new_lines.extend(produced)
            else:
                new_lines.extend(lines[index + 1:end])
                if [entry.rstrip() for entry in lines[index + 1:end]] != produced:
                    problems.append(f"{where}: the generated section {name!r} is out of date (docs/regenerate.py --write)")
            new_lines.append(lines[end])
            index = end + 1
            continue
        if fence:
            block = None
            try:
                block = read_fenced_block(lines, index)
            except DocsError as error:
                problems.append(f"{shown(page)}: {error}")
                return
            if block[0] in CPP_LANGS:
                problems.append(f"{where}: a ```{block[0]} block without a <!-- code: PATH --> marker on the line before")
            new_lines.extend(lines[index:block[3] + 1])
            index = block[3] + 1
            continue
        new_lines.append(line)
        index += 1
    if write:
        text = "\n".join(new_lines) + "\n"
        if text != page.read_text():
            page.write_text(text)
            print(f"updated {shown(page)}")


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def heading_anchors(page):
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors, seen, in_fence = set(), {}, False
    for line in page.read_text().splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith("#"):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def check_links(page, problems):
    """Every relative link of a page leads to a file that exists, and to a heading that exists."""
    in_fence = False
    for number, line in enumerate(page.read_text().splitlines(), start=1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence:
            continue
        for match in LINK.finditer(line):
            target = match.group("target")
            if re.match(r"^[a-z]+:", target):
                continue  # https:, mailto:
            path, _, anchor = target.partition("#")
            linked = (page.parent / path).resolve() if path else page
            if not linked.exists():
                problems.append(f"{shown(page)}:{number}: link to a missing file: {target}")
            elif anchor and linked.suffix == ".md" and anchor not in heading_anchors(linked):
                problems.append(f"{shown(page)}:{number}: link to a missing heading: {target}")


GTEST_CITED = re.compile(r"`(?P<suite>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]*)\.(?P<name>[A-Za-z0-9_]+)`")


def gtest_defined(suite, name, sources, meson_text):
    """Whether tests/ defines the gtest Suite.Name. A suite spelled by a macro (stage 03's pool tests,
    one suite per listing) counts when TEST(MACRO, Name) exists and Meson names the suite's prefix."""
    if re.search(rf"\bTEST(?:_P|_F)?\(\s*{suite}\s*,\s*{name}\s*\)", sources):
        return True
    prefix = re.sub(r"(_\d+)+$", "_", suite)
    return bool(re.search(rf"\bTEST\(\s*[A-Z_]+\s*,\s*{name}\s*\)", sources)) and f"'{prefix}'" in meson_text


def check_test_names(page, problems):
    """Every gtest a page cites (`Suite.Name`) is one tests/ defines: a renamed test cannot leave a
    page pointing at nothing."""
    tests = ROOT / "tests"
    sources = "\n".join(path.read_text() for path in tests.rglob("*.cpp"))
    meson_text = "\n".join(path.read_text() for path in tests.rglob("meson.build"))
    for number, line in enumerate(page.read_text().splitlines(), start=1):
        for match in GTEST_CITED.finditer(line):
            if not gtest_defined(match["suite"], match["name"], sources, meson_text):
                problems.append(f"{shown(page)}:{number}: cites a test that does not exist: "
                                f"{match['suite']}.{match['name']}")


def output_keys(pages):
    keys = []
    for page in pages:
        for line in page.read_text().splitlines():
            match = OUTPUT_MARKER.match(line)
            if match:
                keys.append(match.group("key"))
    return keys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite every output block and generated section")
    mode.add_argument("--check", action="store_true", help="fail, naming page and line, on any drift")
    parser.add_argument("--build-root", type=pathlib.Path, default=ROOT / "build",
                        help="the build folder holding the servers (default: build/)")
    parser.add_argument("--links", action="store_true",
                        help="also check relative links and their anchors, and the gtest names pages cite")
    parser.add_argument("pages", nargs="*", type=pathlib.Path, help="pages to process (default: docs/*.md)")
    parser.add_argument("--compiler", help="the compiler, passed to tests/compile_fail.py (default: its own)")
    args = parser.parse_args()
    compiler = ["--compiler", args.compiler] if args.compiler else []
    pages = [path.resolve() for path in args.pages] or sorted(DOCS.glob("*.md"))
    producer = Producer(Context(args.build_root.resolve(), compiler))
    producer.prefetch(output_keys(pages))
    problems = []
    for page in pages:
        try:
            process_page(page, producer, args.write, problems)
            if args.links:
                check_links(page, problems)
                check_test_names(page, problems)
        except DocsError as error:
            problems.append(f"{shown(page)}: {error}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} problem(s) in the docs", file=sys.stderr)
        return 1
    print(f"ok: {len(pages)} page(s), quotes and code match the sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
