#!/usr/bin/env python3
"""Checks that docs/regenerate.py --check can fail: a page whose shown C++ line or quoted diagnostic is
edited by one character fails, naming the page and line; so do an unmarked ```cpp block, an unknown
key and an unknown path. The normalisation rules accept other worker ids and ports, nothing else;
`| any numbers` (the flood's quotes) accepts other numbers and bars, not other words or rows; a
`workbook compare` quote is checked on a shortened load, in seconds, and still fails on a stale word or row.
The quote of a compiler not given is left unchecked, and unwritten by --write, and listed; --skip-programs
leaves a program's quote so, not a diagnostic. A picture marker is checked: a committed picture passes, a
marker without its image line fails.

    regenerate_selftest.py [--build-root BUILD] [--compiler CXX]
"""
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "docs" / "regenerate.py"
CODE_SOURCE = "steps/01-single-threaded/listing-21-10/main.cpp"

sys.dont_write_bytecode = True  # no __pycache__ in docs/
sys.path.insert(0, str(ROOT / "docs"))
from regen.filters import ANY_NUMBERS, normalise  # noqa: E402  (docs/regen/: regenerate.py's parts)
from regen.keys import compiler_family  # noqa: E402
from regen.links import check_outside_citations  # noqa: E402
from regen.listings import tables  # noqa: E402  (steps/listings.py)
from regen.pages import code_matches  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)


def run(mode, page, extra, timeout=None):
    """regenerate.py's run; None if it outlived `timeout` seconds. It runs in a process group of its own,
    killed whole then (the servers the harness started die with their parent)."""
    with subprocess.Popen([sys.executable, str(SCRIPT), mode, str(page)] + extra, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as child:
        try:
            stdout, stderr = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.communicate()
            return None
        return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


def main():
    argv = sys.argv[1:]
    if "--compiler" not in argv:
        argv += ["--compiler", "g++"]  # one compiler: the other's quotes are the ones left unchecked
    extra = argv  # --build-root BUILD --compiler CXX, handed through unchanged
    failing_listing = next(row.id for row in tables.rows() if row.kind == "does-not-compile")
    compiler = argv[argv.index("--compiler") + 1]
    family = compiler_family(compiler)
    other_family = "clang++" if family == "g++" else "g++"
    source_lines = (ROOT / CODE_SOURCE).read_text().splitlines()
    start = next(index for index, line in enumerate(source_lines) if "for (auto accepted" in line)
    shown_code = [line[4:] for line in source_lines[start:start + 4]]  # one indent level dropped
    good_page = "\n".join([
        "# A page", "",
        f"<!-- code: {CODE_SOURCE} -->", "```cpp", *shown_code, "```", "",
        f"<!-- output: diagnostic {family} {failing_listing} -->", "```text", "```", ""])

    with tempfile.TemporaryDirectory() as folder:
        page = pathlib.Path(folder) / "page.md"
        page.write_text(good_page)
        written = run("--write", page, extra)
        expect(written.returncode == 0, f"--write fills the diagnostic of {failing_listing}: {written.stderr.strip()}")
        text = page.read_text()
        expect("error:" in text, f"the written quote holds {family}'s error")
        expect(run("--check", page, extra).returncode == 0, "--check passes on the page as written")

        # The code-only mutations leave the diagnostic out: no compiler run needed.
        output_marker = next(index for index, line in enumerate(text.splitlines()) if line.startswith("<!-- output:"))
        code_line = text.splitlines().index(shown_code[1])
        lines = text.splitlines()[:output_marker]
        lines[code_line] = lines[code_line].replace("auto", "auto&", 1)
        page.write_text("\n".join(lines) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "page.md:3:" in checked.stderr and "not a verbatim run" in checked.stderr,
               f"an edited C++ line fails, naming page and marker line: {checked.stderr.strip()[:200]}")

        lines = text.splitlines()
        error_line = next(index for index, line in enumerate(lines) if "error:" in line)
        lines[error_line] = lines[error_line].replace("error:", "error :", 1)
        page.write_text("\n".join(lines) + "\n")
        checked = run("--check", page, extra)
        marker = 1 + next(index for index, line in enumerate(lines) if line.startswith("<!-- output:"))
        expect(checked.returncode != 0 and f"page.md:{marker}:" in checked.stderr and "differs" in checked.stderr,
               f"an edited diagnostic line fails, naming page and marker line: {checked.stderr.strip()[:200]}")

        lines = text.splitlines()[:output_marker]
        lines[2] = ""
        page.write_text("\n".join(lines) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "without a <!-- code: PATH --> marker" in checked.stderr,
               "a ```cpp block without its marker fails")

        # A comparison (docs/regen/side_by_side.py): the Rust, then its C++; a ```rust block outside one,
        # or a comparison without its C++, fails.
        code = text.splitlines()[:output_marker]
        rust = ["```rust", "for stream in listener.incoming() {", "```", ""]
        page.write_text("\n".join(code[:2] + ["<!-- side by side -->"] + rust + code[2:] + ["<!-- end side by side -->"]) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode == 0, f"a side-by-side comparison, its Rust then its C++, passes: {checked.stderr.strip()[:200]}")
        page.write_text("\n".join(code + rust) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "outside a side-by-side comparison" in checked.stderr,
               f"a ```rust block outside a comparison fails: {checked.stderr.strip()[:200]}")
        page.write_text("\n".join(code[:2] + ["- a list item", "", "  <!-- side by side -->"] + rust + code[2:]
                                  + ["<!-- end side by side -->"]) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "starts at the line's start" in checked.stderr,
               f"a comparison inside a list item fails: {checked.stderr.strip()[:200]}")
        page.write_text("\n".join(code + ["<!-- side by side -->"] + rust + ["<!-- end side by side -->"]) + "\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "holds no ```cpp block" in checked.stderr,
               f"a comparison without its C++ fails: {checked.stderr.strip()[:200]}")
        # Nor is a comparison whose C++ comes before its Rust, one with two ```rust blocks (the site would
        # draw the second as C++), one never closed (another opens first), an end marker without its opening.
        opened, closed = ["<!-- side by side -->"], ["<!-- end side by side -->"]
        for planted, said, what in (
                (code[:2] + opened + code[2:] + rust + closed, "must open with exactly one ```rust", "C++ first"),
                (code[:2] + opened + rust + rust + code[2:] + closed, "must open with exactly one ```rust",
                 "two ```rust blocks"),
                (code[:2] + opened + rust + code[2:] + opened + rust + code[2:] + closed, "never closed",
                 "a comparison opened inside another"),
                (code + closed, "without its opening marker", "an end marker alone")):
            page.write_text("\n".join(planted) + "\n")
            checked = run("--check", page, extra)
            expect(checked.returncode != 0 and said in checked.stderr,
                   f"a comparison with {what} fails: {checked.stderr.strip()[:200]}")

        page.write_text(text.replace(CODE_SOURCE, "steps/no-such-file.cpp").replace(
            f"diagnostic {family} {failing_listing}", "diagnostics of everything"))
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "unknown path" in checked.stderr and "unknown output key" in checked.stderr,
               "an unknown path and an unknown key fail")

        # Another compiler's diagnostic is left as it is when that compiler is not given (by --write too),
        # and listed, even when it is wrong; --skip-programs leaves a program's quote so, never a diagnostic.
        page.write_text(f"<!-- output: diagnostic {other_family} {failing_listing} -->\n```text\nnot so\n```\n")
        checked = run("--check", page, extra)
        expect(checked.returncode == 0 and f"`diagnostic {other_family} {failing_listing}`: no {other_family}"
               in checked.stdout, f"{other_family}'s quote is not checked without {other_family}, and said so: "
               f"{checked.stdout.strip()[-200:]} {checked.stderr.strip()[:200]}")
        other_quote = page.read_text()
        written = run("--write", page, extra)
        expect(written.returncode == 0 and page.read_text() == other_quote,
               f"--write leaves {other_family}'s quote as it is without {other_family}: {page.read_text()[:200]}")
        page.write_text(f"<!-- output: diagnostic {family} {failing_listing} -->\n```text\nnot so\n```\n"
                        "<!-- output: run 21-10 empty -->\n```text\nnot so\n```\n")
        checked = run("--check", page, extra + ["--skip-programs"])
        expect(checked.returncode != 0 and "page.md:1:" in checked.stderr and "page.md:5:" not in checked.stderr
               and "`run 21-10 empty`: a program's output" in checked.stdout,
               f"--skip-programs leaves a program's quote unchecked, not a diagnostic: {checked.stderr.strip()[:200]}")

        # A server's quote (`run`, tests/docs/quote_run.cpp): stdout and stderr in the order written, how it
        # ended; and an edited line of it fails like any other.
        page.write_text("<!-- output: run 21-10 empty -->\n```text\n```\n")
        written = run("--write", page, extra)
        quoted = page.read_text().splitlines()[2:-1]
        expect(written.returncode == 0 and len(quoted) == 5 and quoted[0].startswith("Listening on http://127.0.0.1:7878")
               and quoted[1] == "" and re.match(r"thread 'main' \(\d+\) panicked at ", quoted[2])
               and quoted[4] == "[process exited with status 101]",
               f"--write quotes 21-10's Listening line (stdout), then its panic (stderr), then its exit: {quoted}")
        expect(run("--check", page, extra).returncode == 0, "--check passes on the server's quote as written")
        page.write_text(re.sub(r"thread 'main' \(\d+\)", "thread 'main' (1)", page.read_text()))
        expect(run("--check", page, extra).returncode == 0, "another thread id in a panic's report still passes")
        page.write_text(re.sub(r"thread 'main' \(\d+\) ", "thread 'main' ", page.read_text()))
        expect(run("--check", page, extra).returncode != 0, "a panic's report without the thread id fails")
        page.write_text(page.read_text().replace("status 101", "status 1"))
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "page.md:1:" in checked.stderr and "differs" in checked.stderr,
               f"an edited line of a server's quote fails: {checked.stderr.strip()[:200]}")

        # A `workbook compare` quote: --check runs a shortened load (QUICK_COMPARE in docs/regen/keys.py)
        # and compares the words, so a quote taken at a long delay is checked in seconds, and an edited
        # word or a lost row still fails. Stage 01 serves one `/sleep` at a time: three of 10 s take 30 s.
        page.write_text("<!-- output: workbook compare --sleeps 3 --delay-ms 50 --rounds 1 --requests 50 01"
                        " | any numbers -->\n```text\n```\n")
        written = run("--write", page, extra)
        quoted = page.read_text().replace("--delay-ms 50 ", "--delay-ms 10000 ")
        expect(written.returncode == 0 and "| `01-single-threaded` | listing-21-10 |" in quoted,
               f"--write quotes compare's row of stage 01: {written.stderr.strip()[:200]}")
        page.write_text(quoted)
        # Stopped after 20 s: a check that ran the quoted load fails here, without waiting it out.
        checked = run("--check", page, extra, timeout=20)
        shortened = checked is not None and checked.returncode == 0
        expect(shortened, "--check of a compare quote of three 10 s `/sleep` one at a time passes within 20 s "
               f"(a shortened load; 30 s or more as written): {checked.stderr.strip()[:200] if checked else 'stopped'}")
        # Only a shortened check gives the drifts an answer in seconds.
        for drift, edited in () if not shortened else (("an edited word", quoted.replace(" clients, ", " client, ")),
                              ("a lost row", "\n".join(line for line in quoted.splitlines()
                                                       if "01-single-threaded" not in line) + "\n")):
            page.write_text(edited)
            checked = run("--check", page, extra)
            expect(checked.returncode != 0 and "page.md:1:" in checked.stderr and "differs" in checked.stderr,
                   f"{drift} in a compare quote fails: {checked.stderr.strip()[:200]}")

        # A picture (`<!-- picture: KEY -->`, docs/regen/picture_marker.py): the committed demo 02 passes a
        # fresh run's check; a marker without its image line fails, naming the page and line.
        page.write_text("# Pictures\n<!-- picture: demo 02 -->\n![the timeline](pictures/demo-02.svg)\n")
        checked = run("--check", page, extra)
        expect(checked.returncode == 0, f"--check passes on the committed picture of demo 02: {checked.stderr.strip()[:300]}")
        page.write_text("# Pictures\n<!-- picture: demo 02 -->\n\n![the timeline](pictures/demo-02.svg)\n")
        checked = run("--check", page, extra)
        expect(checked.returncode != 0 and "page.md:2: the picture marker must be followed at once" in checked.stderr,
               f"a picture marker without its image line fails: {checked.stderr.strip()[:200]}")

        (page.parent / "other.md").write_text("# Other\n")
        page.write_text("[other](other.md#other) [gone](no-such-page.md) [no heading](page.md#nowhere)\n# A heading\n"
                        "[here](#a-heading)\n")
        checked = run("--check", page, ["--links"] + extra)
        expect(checked.returncode != 0 and "page.md:1: link to a missing file: no-such-page.md" in checked.stderr
               and "page.md:1: link to a missing heading: page.md#nowhere" in checked.stderr
               and "other.md" not in checked.stderr and "#a-heading" not in checked.stderr,
               "--links refuses a missing page or heading, accepts existing ones")

        page.write_text("`Common_Tcp.BindToATakenPortIsAddrInUse` and `Common_Tcp.NoSuchTestAnywhere`\n")
        checked = run("--check", page, ["--links"] + extra)
        expect(checked.returncode != 0 and "cites a test that does not exist: Common_Tcp.NoSuchTestAnywhere" in checked.stderr
               and "BindToATakenPortIsAddrInUse" not in checked.stderr,
               "--links refuses a cited gtest that does not exist, accepts one that does")

    # No file of the workbook cites a file outside it (a folder that is no git checkout: every file is read).
    with tempfile.TemporaryDirectory() as folder:
        tree = pathlib.Path(folder)
        outside = {"notes.md": "figures from rust-" + "observed.md", "up.hpp": "// see ../" + "shared/facts.md",
                   "abs.py": "# from /" + "work/shared/x", "home.md": "in /" + "home/me/notes"}
        for name, text in {**outside, "fine.md": "see docs/rust-measured.md and /tmp/shape-21-24\n"}.items():
            (tree / name).write_text(text + "\n")
        problems = []
        check_outside_citations(tree, problems)
        expect(sorted(problem.split(":")[0].rsplit("/", 1)[-1] for problem in problems) == sorted(outside),
               f"a citation of the notes, of ../shared or of an absolute machine path is refused, others are not: {problems}")

    # Normalisation: what timing decides may differ; nothing else may.
    def same(page_text, produced, any_order=False):
        return normalise(page_text, any_order) == normalise(produced, any_order)
    expect(same("Worker 0 got a job; executing.\n", "Worker 3 got a job; executing.\n"), "worker ids are wildcarded")
    expect(not same("Worker 0 got a job; executing.\n", "Worker 0 got the job; executing.\n"),
           "the text around a worker id is compared")
    expect(same("Listening on http://127.0.0.1:7878\n", "Listening on http://127.0.0.1:40123\n"), "ports are wildcarded")
    expect(not same("Shutting down worker 0\nShutting down.\n", "Shutting down.\nShutting down worker 0\n"),
           "line order counts")
    expect(same("Shutting down worker 0\nShutting down.\n", "Shutting down.\nShutting down worker 2\n", any_order=True),
           "`| any order` compares the lines sorted")
    expect(not same("a\n", "a\na\n", any_order=True), "`| any order` still counts the lines")
    measured = lambda page_text, produced: same(page_text, produced, ANY_NUMBERS)
    expect(measured("| `01-a` | 1 | 5.6 MiB | 40/40 after 8.02 s |\n", "| `01-a` | 3 | 7.0 MiB | 39/40 after 0.21 s |\n"),
           "`| any numbers` wildcards every number")
    expect(not measured("| `01-a` | 1 | 5.6 MiB |\n", "| `01-a` | 1 | 5.6 KiB |\n")
           and not measured("| `01-a` | 1 |\n", "| `01-a` | 1 |\n| `02-b` | 2 |\n"),
           "`| any numbers` still compares the units and the rows")
    expect(not same("| 1 |\n", "| 2 |\n"), "without `| any numbers` numbers count")
    numbers = ANY_NUMBERS
    expect(same("0.10 s    102 #############   5.7 MB\nAs the book says: climbed to 102;\n  all answered\n",
                "0.012 s     99 ############   5.6 MB\nAs the book says: climbed to 99; all\n  answered\n", any_order=numbers),
           "`| any numbers` takes every number and bar as the same, and the wrapping and spacing")
    expect(not same("As the book says: 5 threads\n", "NOT as the book says: 5 threads\n", any_order=numbers),
           "`| any numbers` still compares the words")
    expect(not same("0.10 s 1 #\n0.20 s 1 #\n", "0.10 s 1 #\n", any_order=numbers), "`| any numbers` still counts the rows")
    expect(code_matches(["x = 1;", "", "  y;"], ["  {", "    x = 1;", "", "      y;", "  }"]),
           "a common indent may be dropped")
    expect(not code_matches(["x = 1;", "y;"], ["    x = 1;", "  y;"]), "an inconsistent indent is refused")
    expect(not code_matches(["x = 1;", "y;"], ["x = 1;", "z;", "y;"]), "skipped lines are refused")

    print(f"\n{len(failures)} failure(s)" if failures else "\nall checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
