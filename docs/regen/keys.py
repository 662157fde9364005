"""The output keys: what each `<!-- output: KEY -->` runs (one registry, KEY_RUNNERS), and the Producer
that runs each distinct key once, four at a time, the slowest kinds first (the floods after them)."""
import concurrent.futures
import os
import re
import subprocess
import sys

from .core import ROOT, DocsError
from .filters import apply_filters, split_key
from .listings import find_listing, tables


COMPILE_FAIL = ROOT / "tests" / "compile_fail.py"
# The compilers whose diagnostics the pages quote, when no --compiler names them: GCC and Clang, as
# Debian packages them (README's requirements).
DEFAULT_COMPILERS = ("g++", "clang++-16")


class Skipped(Exception):
    """A quote this run leaves unchecked, and why: another compiler's diagnostic, or a program's output
    in a build whose programs the pages do not quote (the GCC build's are quoted; CI checks both)."""


def compiler_family(compiler):
    run = subprocess.run([sys.executable, str(COMPILE_FAIL), "--family", "--compiler", compiler],
                         capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise DocsError(f"compiler {compiler!r}: {run.stderr.strip()}")
    return run.stdout.strip()


class Context:
    """compilers: the compiler commands given (each one's diagnostics are quoted under its family,
    `g++` or `clang++`); skip_programs: leave the quotes of the build's programs unchecked;
    quick_measurements: --check compares a measurement's words only (`| any numbers`), so it may
    measure a shortened load."""

    def __init__(self, build_root, compilers, skip_programs=False, quick_measurements=False):
        self.build_root = build_root
        self.compilers = {compiler_family(compiler): compiler for compiler in compilers}
        self.skip_programs = skip_programs
        self.quick_measurements = quick_measurements


def run_diagnostic(context, family, listing):
    row = find_listing(listing)
    folder = row.folder
    if not any(folder.glob("*.cpp")):
        raise DocsError(f"listing {listing}: no .cpp in {folder.relative_to(ROOT)}")
    if family not in context.compilers:
        raise Skipped(f"no {family} compiler given (--compiler)")
    # The build root names compile_fail.py's cache, which the compile-fail tests of this build share.
    run = subprocess.run([sys.executable, str(COMPILE_FAIL), "--print", "--compiler", context.compilers[family],
                          "--", str(folder)], capture_output=True, text=True, cwd=ROOT,
                         env=dict(os.environ, WORKBOOK_BUILD_ROOT=str(context.build_root)))
    if run.returncode != 0:
        raise DocsError(f"compile_fail.py --print failed for {listing}: {run.stderr.strip()}")
    if not run.stdout.strip():
        raise DocsError(f"listing {listing} compiles without a diagnostic: nothing to quote")
    return run.stdout


def run_server(context, listing, *requests):
    """The listing's server driven by tests/docs/quote_run.cpp (the tests' harness and client): its
    stdout and stderr as they interleave, and how it ended if it ended by itself."""
    row = find_listing(listing)
    if row.kind == "does-not-compile":
        raise DocsError(f"listing {listing} does not compile: use `diagnostic g++ {listing}` (or clang++)")
    program = context.build_root / "tests" / "docs" / "workbook-quote-run"
    for built in (context.build_root / "steps" / row.folder.name, program):
        if not built.is_file():
            raise DocsError(f"{built} is not built (ninja -C {context.build_root})")
    env = dict(os.environ, WORKBOOK_BUILD_ROOT=str(context.build_root), WORKBOOK_SOURCE_ROOT=str(ROOT))
    try:
        run = subprocess.run([str(program), row.stage, row.folder.name, *requests], capture_output=True, text=True,
                             errors="replace", cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=120)
    except subprocess.TimeoutExpired:
        raise DocsError(f"run {listing}: workbook-quote-run did not end within 120 s")
    if run.returncode != 0:
        raise DocsError(f"run {listing} {' '.join(requests)}: {run.stderr.strip()}")
    return run.stdout


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
    """In colour (a picture draws the bars in it; a text quote drops the colour codes: the same run)."""
    row = tables.stage_listing(number)  # what `./workbook flood NN` floods
    if row is None:
        raise DocsError(f"no runnable listing in stage {number}")
    program = context.build_root / "tests" / "instruments" / "workbook-flood"
    if not program.is_file():
        raise DocsError(f"{program} is not built")
    env = dict(os.environ, WORKBOOK_BUILD_ROOT=str(context.build_root), WORKBOOK_SOURCE_ROOT=str(ROOT))
    run = subprocess.run([str(program), row.stage, row.folder.name, "--width", "80", "--colour", "always"]
                         + arguments.split(), capture_output=True, text=True, cwd=ROOT, env=env,
                         stdin=subprocess.DEVNULL, timeout=120)
    if run.returncode != 0:
        raise DocsError(f"the flood of stage {number} did not end as the book says:\n"
                        f"{without_colour(run.stdout)}{run.stderr}")
    return run.stdout


# The demo's /sleep for a picture (the driver's default, what `./workbook demo NN` shows), and for
# --check, which compares the words only: a shorter one.
DEMO_DELAY_MS = 1000
QUICK_DEMO_DELAY_MS = 500
DEMO_WIDTH = 100  # the widest the demo draws in a terminal (terminal.hpp's terminal_width)


def run_demo(context, number):
    """`./workbook demo NN`, in colour: its timeline and verdict; an error unless it is as the book says."""
    row = tables.stage_listing(number)  # what the driver's demo runs
    if row is None:
        raise DocsError(f"no runnable listing in stage {number}")
    program = context.build_root / "tests" / "instruments" / "workbook-demo"
    if not program.is_file():
        raise DocsError(f"{program} is not built")
    delay = QUICK_DEMO_DELAY_MS if context.quick_measurements else DEMO_DELAY_MS
    env = dict(os.environ, WORKBOOK_BUILD_ROOT=str(context.build_root), WORKBOOK_SOURCE_ROOT=str(ROOT))
    run = subprocess.run([str(program), row.stage, row.folder.name, "--delay-ms", str(delay),
                          "--width", str(DEMO_WIDTH), "--colour", "always"], capture_output=True, text=True,
                         cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=120)
    if run.returncode != 0:
        raise DocsError(f"the demo of stage {number} did not end as the book says (status {run.returncode}):\n"
                        f"{without_colour(run.stdout)}{run.stderr}")
    return run.stdout


SGR = re.compile(r"\x1b\[[0-9;]*m")


def without_colour(text):
    return SGR.sub("", text)


def run_workbook(context, *args):
    env = dict(os.environ, NO_COLOR="1", WORKBOOK_BUILD_ROOT=str(context.build_root))
    run = subprocess.run([str(ROOT / "workbook")] + list(args), capture_output=True, text=True, cwd=ROOT,
                         env=env, stdin=subprocess.DEVNULL)
    if run.returncode != 0:
        raise DocsError(f"./workbook {' '.join(args)} failed (status {run.returncode}):\n"
                        f"{run.stdout.rstrip()}\n{run.stderr.strip()}")
    return run.stdout.lstrip("\n")


# What --check adds to a `workbook compare` key (the later option wins): the same servers, rows and
# words as the quoted run, in a few seconds instead of the book's five-second delays and five rounds.
QUICK_COMPARE = ["--delay-ms", "20", "--rounds", "2", "--requests", "200"]


def run_compare(context, arguments):
    quick = QUICK_COMPARE if context.quick_measurements else []
    return run_workbook(context, "compare", *arguments.split(), *quick)


# The registry: a key's first words select its runner; the rest are the runner's arguments. The third
# column says whether the key quotes a program of the build (what a build with skip_programs leaves).
KEY_RUNNERS = [
    (re.compile(r"^diagnostic (g\+\+|clang\+\+) (\S+)$"), run_diagnostic, False),
    (re.compile(r"^run (\S+)((?: \S+)*)$"),
     lambda context, listing, requests: run_server(context, listing, *requests.split()), True),
    (re.compile(r"^lab (\S+)$"), run_lab, True),
    (re.compile(r"^flood (\d\d)((?: \S+)*)$"), run_flood, True),
    (re.compile(r"^demo (\d\d)$"), run_demo, True),
    (re.compile(r"^workbook (list)$"), run_workbook, False),
    (re.compile(r"^workbook (diff) (\S+) (\S+)$"), run_workbook, False),
    (re.compile(r"^workbook compare((?: \S+)*)$"), run_compare, True),
]


class Producer:
    """Runs each key once, however many pages quote it."""

    def __init__(self, context):
        self.context = context
        self.cache = {}

    def raw(self, base):
        if base not in self.cache:
            for pattern, runner, quotes_a_program in KEY_RUNNERS:
                match = pattern.match(base)
                if match:
                    try:
                        if quotes_a_program and self.context.skip_programs:
                            raise Skipped("a program's output: the pages quote the GCC build's programs")
                        self.cache[base] = runner(self.context, *match.groups())
                    except (DocsError, Skipped) as error:
                        self.cache[base] = error
                    break
            else:
                self.cache[base] = DocsError(f"unknown output key {base!r} (see docs/regenerate.py KEYS)")
        if isinstance(self.cache[base], (DocsError, Skipped)):
            raise self.cache[base]
        return self.cache[base]

    def produce(self, key):
        base, filters, any_order = split_key(key)
        return apply_filters(without_colour(self.raw(base)), filters), any_order

    def drawing(self, key):
        """What a picture draws: the key's output with its colours (no filters)."""
        return self.raw(key)

    def prefetch(self, keys):
        """Runs distinct keys four at a time (most of them wait on servers), the slowest kinds first so that
        the check ends soon after its longest key; then the floods and demos, two at a time: they need
        their requests in flight together, which a throughput measurement or a compiler beside them would
        starve."""
        bases = sorted({split_key(key)[0] for key in keys if is_valid_key(key)}, key=slowest_first)
        floods = [base for base in bases if base.startswith(("flood ", "demo "))]
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda base: self.raw_or_none(base), [base for base in bases if base not in floods]))
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda base: self.raw_or_none(base), floods))

    def raw_or_none(self, base):
        try:
            return self.raw(base)
        except (DocsError, Skipped):
            return None


# Key kinds that take seconds each (a throughput measurement, a compile), slowest first.
SLOW_KINDS = ["workbook compare", "diagnostic "]


def slowest_first(base):
    kind = next((rank for rank, prefix in enumerate(SLOW_KINDS) if base.startswith(prefix)), len(SLOW_KINDS))
    return kind, base


def is_valid_key(key):
    try:
        split_key(key)
        return True
    except DocsError:
        return False
