#!/usr/bin/env python3
"""compile_fail.py's cache of diagnostics: a second run with nothing changed does not compile again, and
an edit to the listing or to a header it includes compiles afresh and shows the new diagnostic (a
stale quote must still fail the docs check)."""
import os
import pathlib
import subprocess
import sys
import tempfile
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "support"))
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    with tempfile.TemporaryDirectory() as folder:
        scratch = pathlib.Path(folder)
        log = scratch / "compiles.log"
        # Counts the compiles (not compile_fail.py's `--version` probes), then runs the real compiler.
        wrapper = scratch / "logging-cxx"
        wrapper.write_text(f'#!/bin/sh\ncase " $* " in *" -fsyntax-only "*) echo compiled >> "{log}";; esac\n'
                           'exec "$@"\n')
        wrapper.chmod(0o755)
        listing = scratch / "listing"
        listing.mkdir()
        (listing / "local.hpp").write_text("inline int from_the_header() { return 1; }\n")
        source = listing / "main.cpp"
        source.write_text('#include "local.hpp"\nint main() { return first_missing_name; }\n')
        env = dict(os.environ, WORKBOOK_BUILD_ROOT=str(scratch / "build"))
        compiler = os.environ.get("CXX", "g++")

        def diagnostics():
            run = subprocess.run([sys.executable, str(ROOT / "tests" / "compile_fail.py"), "--print",
                                  "--compiler", f"{wrapper} {compiler}", "--", str(listing)],
                                 capture_output=True, text=True, env=env)
            return run.stdout

        def compiles():
            return len(log.read_text().splitlines()) if log.exists() else 0

        first = diagnostics()
        expect("first_missing_name" in first and compiles() == 1, "the first run compiles and shows the error")
        again = diagnostics()
        expect(again == first and compiles() == 1, "a second run with nothing changed reuses the diagnostic")

        source.write_text('#include "local.hpp"\nint main() { return second_missing_name; }\n')
        edited = diagnostics()
        expect("second_missing_name" in edited and compiles() == 2, "an edited listing is compiled afresh")

        (listing / "local.hpp").write_text("inline int from_the_header() { return third_missing_name; }\n")
        header_edited = diagnostics()
        expect("third_missing_name" in header_edited and compiles() == 3,
               "an edited header the listing includes is compiled afresh")
    print("\nall checks passed" if not failures else f"\n{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
