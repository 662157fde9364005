#!/usr/bin/env python3
"""Keeps what the docs quote true: every quoted output is produced here, every C++ line is the source's.

    docs/regenerate.py --write [--build-root BUILD] [--compiler CXX]...   rewrite the quotes
    docs/regenerate.py --check [--build-root BUILD] [--compiler CXX]... [--skip-programs]
                                                                          fail on any drift (the test)

--compiler names a compiler whose diagnostics are quoted (again for each): GCC's and Clang's differ,
and a page quotes both (`diagnostic g++ LISTING`, `diagnostic clang++ LISTING`). Without it: g++ and
clang++-16, those installed. The quotes of a compiler not given are left as they are, and listed
(which build's test checks which quotes: tests/docs/meson.build). The programs' quotes (run, lab, flood,
workbook compare) are the GCC build's: Clang's programs print otherwise where the compilers differ (a
panic's column: Clang's source location is the start of the call, GCC's the call's parenthesis; the
sanitizers' stack frames), so a Clang build's check passes --skip-programs and leaves them to GCC's.

What it looks at in docs/*.md (and nothing else):

  <!-- code: PATH -->          must be followed at once by a ```cpp block whose lines are a verbatim,
  ```cpp                       contiguous run of lines of PATH (relative to the workbook's root). The
  ...                          block may drop a common leading indent (all its lines the same amount).
  ```                          A ```cpp block without this marker is an error: C++ is never copied by hand.

  <!-- output: KEY -->         must be followed at once by a ```text (or ```diff) block holding what KEY produces
  ```text                      now (see KEYS below). --write replaces the block; --check compares,
  ...                          after the normalisation rules below, and names page and line.
  ```

  <!-- picture: KEY -->       must be followed at once by that line, NAME being KEY without `workbook `, in
  ![ALT](pictures/NAME.svg)    lower case, each run of other characters a `-` (`demo 07` -> demo-07,
                               `workbook compare 06 09` -> compare-06-09). KEY: `demo NN` (`./workbook demo
                               NN`: its timeline, /sleep taking the driver's second, 100 columns), `flood NN
                               [ARGS]`, `workbook compare [ARGS]` (the same runs as the keys below; one run
                               serves a quote and a picture of one key). --write runs it in colour and draws
                               docs/pictures/NAME.svg (docs/regen/pictures.py: the coloured bars as rectangles,
                               a table drawn), and refuses a demo or flood that does not say "As the book says"
                               (or "As expected", beyond the book); --check runs it again (a demo with /sleep
                               at 500 ms, compare with QUICK_COMPARE) and compares the picture's words with the
                               committed file's, masked as `| any numbers` masks, the geometry, the bars and
                               what the run decides left out (docs/regen/picture_marker.py's picture_words: a
                               demo's legend, its worker rows' job counts, the order of the server's lines); a
                               missing file, a marker without its image line or one naming another file is a
                               problem.

  [text](relative/path#anchor)     with --links: every relative link must lead to a file that exists (and, in a .md
                                   file, to a heading that exists); and no tracked file of the workbook may
                                   cite a file outside it (the notes it was written from, a path up and out
                                   of the tree, an absolute path on one machine: docs/regen/links.py).

  <!-- side by side -->            a comparison: one ```rust block, then its C++ (docs/regen/side_by_side.py
  ...                               holds the rule); every ```rust block must be in one. The site
  <!-- end side by side -->         (./workbook book) draws it as two columns.

  <!-- generated: stage-table -->   a Markdown table of the stages and their listings (docs/README.md),
  ...                               up to <!-- end generated -->; written and checked like an output.
  <!-- generated: listings-map -->  every listing: folder, title and the keys of the Meson tests that use
                                    it, from the tables (steps/listings.py) and BUILD/meson-info
                                    (docs/listings.md).

KEYS (one registry: KEY_RUNNERS in docs/regen/keys.py; add a key by adding a pattern and a function):

  diagnostic g++ LISTING      the normalised diagnostics of a listing that does not compile, from the
  diagnostic clang++ LISTING  compiler of that family (--compiler) run by tests/compile_fail.py --print,
                              the one compile check (its flags).
  run LISTING REQUEST...      the listing's real server (from the build folder), started in its stage
                              folder with WORKBOOK_ADDR=127.0.0.1:0 and WORKBOOK_SLEEP_MS=200 by the
                              tests' harness (BUILD/tests/docs/workbook-quote-run, tests/docs/quote_run.cpp);
                              each REQUEST is sent in turn and answered before the next: a path (`/`, `/sleep`)
                              is `GET path HTTP/1.1`, `empty` connects and half-closes without a byte; with a
                              trailing `&` (`/sleep&`) the next request goes 150 ms later, without waiting
                              for the answer (add `| any order` when the lines may then race); `SIGTERM`
                              sends the server that signal (stage 09 then shuts down gracefully). Shows
                              stdout and stderr as they interleave (one pipe); when the server ends by itself
                              the last line is `[process exited with status N]` (or `[process killed by
                              signal N]`, 6 for an abort), otherwise it is killed.
  lab TARGET                  a safety-lab program (tests/lab/, e.g. `lab lab-dropped-thread-bug`) run by
                              tests/lab/lab_run.py --print: its output, normalised by that script (no
                              addresses, pids, build paths), and how it ended.
  flood NN [ARGS...]          `./workbook flood NN ARGS` (tests/instruments: the flood against the listing
                              stage NN stands for, steps/listings.py's stage_listing), 80 columns, no colour;
                              it must say "As the book says".
                              Its numbers vary run to run: quote it with `| any numbers`.
  workbook list               `./workbook list`.
  workbook diff A B           `./workbook diff A B` (no colour).
  workbook compare [ARGS]     `./workbook compare [ARGS]`: the models' table, measured now (quote it
                              with `| any numbers`). --write runs ARGS as written; --check, which compares
                              the words only, adds `--delay-ms 20 --rounds 2 --requests 200` (QUICK_COMPARE
                              in docs/regen/keys.py) so that it takes seconds, not the book's delays.
  demo NN                     `./workbook demo NN` (tests/instruments/demo.cpp), 100 columns, /sleep taking
                              1000 ms (500 ms under --check); it must say "As the book says" (status 0).
                              Drawn as a picture (above); quoted as text, use `| any numbers`.

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
  - thread ids:  `thread 'main' (6543) panicked` -> `thread 'main' (<tid>) panicked`   (the OS's id of
                 the thread, which a panic's report names since Rust 1.91: different on every run)
  - sanitizer reports: hex addresses -> `0x<addr>`, `==1234==` -> `==<pid>==`, threads `T12` -> `T<n>`,
    mutexes `M11` -> `M<n>`, stack frame numbers `#5 ` -> `#<n> ` (how many frames a report shows varies).
    Which race ThreadSanitizer reports first varies too: quote such a report through `| grep`.
"""
import argparse
import pathlib
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in docs/
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from regen.core import DOCS, ROOT, DocsError, shown  # noqa: E402  (docs/regen/: the parts, one concern each)
from regen.keys import DEFAULT_COMPILERS, Context, Producer  # noqa: E402
from regen.links import check_links, check_outside_citations, check_test_names  # noqa: E402
from regen.pages import output_keys, process_page  # noqa: E402
from regen.side_by_side import comparisons  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite every output block and generated section")
    mode.add_argument("--check", action="store_true", help="fail, naming page and line, on any drift")
    parser.add_argument("--build-root", type=pathlib.Path, default=ROOT / "build",
                        help="the build folder holding the servers (default: build/)")
    parser.add_argument("--links", action="store_true",
                        help="also check relative links and their anchors, the gtest names pages cite, and that "
                             "no file of the workbook cites a file outside it")
    parser.add_argument("pages", nargs="*", type=pathlib.Path, help="pages to process (default: docs/*.md)")
    parser.add_argument("--compiler", action="append",
                        help="a compiler whose diagnostics the pages quote, for tests/compile_fail.py (again for each; "
                             "default: " + " and ".join(DEFAULT_COMPILERS) + ", those installed)")
    parser.add_argument("--skip-programs", action="store_true",
                        help="leave the quotes of the build's programs unchecked (a build not of GCC)")
    args = parser.parse_args()
    compilers = args.compiler or [compiler for compiler in DEFAULT_COMPILERS if shutil.which(compiler)]
    pages = [path.resolve() for path in args.pages] or sorted(DOCS.glob("*.md"))
    try:
        producer = Producer(Context(args.build_root.resolve(), compilers, args.skip_programs,
                                    quick_measurements=args.check))
    except DocsError as error:
        print(error, file=sys.stderr)
        return 1
    producer.prefetch(output_keys(pages))
    problems = []
    skipped = []
    for page in pages:
        try:
            process_page(page, producer, args.write, problems, skipped)
            problems.extend(f"{shown(page)}: {problem}" for problem in comparisons(page.read_text().splitlines())[1])
            if args.links:
                check_links(page, problems)
                check_test_names(page, problems)
        except DocsError as error:
            problems.append(f"{shown(page)}: {error}")
    if args.links:
        check_outside_citations(ROOT, problems)
    if skipped:
        print(f"{len(skipped)} quote(s) not {'written' if args.write else 'checked'} here:\n  " + "\n  ".join(skipped))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"\n{len(problems)} problem(s) in the docs", file=sys.stderr)
        return 1
    print(f"ok: {len(pages)} page(s), quotes and code match the sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
