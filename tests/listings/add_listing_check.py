#!/usr/bin/env python3
"""Adding a runnable listing takes at most four hand-written files (docs/developing.md, "How to add a
listing"): in a scratch copy of the workbook (build-add-listing/tree, tests/support/scratch_tree.py), a
dummy C++-only variant of listing 21-10 is added by writing its folder's main.cpp and its row in stage
01's listings.tsv, nothing else; then the tables validate, `./workbook list` shows it, `./workbook run
cpp-21-10-dummy` builds and runs it (on a free port, WORKBOOK_ADDR) and it answers `/` with hello.html,
`./workbook diff 21-10 cpp-21-10-dummy` (and `diff 01 ...`: stage 01 still stands for 21-10) shows the
one line it adds, `./workbook run` refuses a pool-only listing, and the generated listings map
(docs/listings.md, docs/regenerate.py --write) has its row."""
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
sys.dont_write_bytecode = True  # no __pycache__ in the tree (the scratch copy syncs it)
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)
from scratch_tree import ROOT, ScratchTree  # noqa: E402

MOST_FILES = 4  # the bound for a runnable listing
ID = "cpp-21-10-dummy"
TITLE = "A dummy listing (the scratch test of adding one)"
STAGE = "steps/01-single-threaded"
ADDED_LINE = "// A dummy C++-only variant of listing 21-10 (tests/listings/add_listing_check.py)."
TREE = ScratchTree("build-add-listing")
POOL_ONLY = "cpp-21-20-std-thread-worker"  # a listing of a kind the driver must not run


def environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBOOK_BUILD_ROOT", "MESON_TEST_ITERATION")}
    return dict(env, NO_COLOR="1", **extra)


def workbook(*args):
    done = subprocess.run([str(TREE.source / "workbook"), *args], cwd=TREE.source, env=environment(),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                          stdin=subprocess.DEVNULL, timeout=600)
    return done.returncode, done.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask_root(server, port, deadline):
    """GET / once the server accepts (it is built first); its whole response, or None if it ended first
    or the deadline passed."""
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
                connection.sendall(b"GET / HTTP/1.1\r\n\r\n")
                connection.shutdown(socket.SHUT_WR)
                chunks = []
                while chunk := connection.recv(65536):
                    chunks.append(chunk)
                return b"".join(chunks).decode(errors="replace")
        except OSError:
            time.sleep(0.2)
    return None


def run_and_ask_root():
    """`./workbook run ID` in a process group of its own; stopped (the group) once it has answered or the
    deadline passed, its output read to end of file."""
    port = free_port()
    with subprocess.Popen([str(TREE.source / "workbook"), "run", ID], cwd=TREE.source,
                          env=environment(WORKBOOK_ADDR=f"127.0.0.1:{port}"), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                          start_new_session=True) as server:
        try:
            response = ask_root(server, port, time.monotonic() + 600)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            output, _ = server.communicate(timeout=60)
    return response, output


def main():
    listing = (ROOT / STAGE / "listing-21-10" / "main.cpp").read_text()
    table = (ROOT / STAGE / "listings.tsv").read_text()
    hand_written = {  # relative path -> its text in the copy
        f"{STAGE}/{ID}/main.cpp": ADDED_LINE + "\n" + listing,
        f"{STAGE}/listings.tsv": table + f"{ID}\t{ID}\truns\t{TITLE}\n",
    }
    TREE.sync(hand_written)
    validated = subprocess.run([sys.executable, str(TREE.source / "steps" / "listings.py"), "validate"],
                               capture_output=True, text=True)
    expect(validated.returncode == 0, "the tables with its row validate", validated.stdout + validated.stderr)
    TREE.configure("add_listing_check.py")

    status, said = workbook("list")
    expect(status == 0 and any(ID in line and "compiles, runs" in line and TITLE in line for line in said.splitlines()),
           "`./workbook list` shows it: compiles, runs, with its title", said)
    response, output = run_and_ask_root()
    hello = (ROOT / STAGE / "hello.html").read_text()
    expect(response is not None and response.startswith("HTTP/1.1 200 OK\r\n") and response.endswith(hello),
           "`./workbook run` builds and runs it; it answers / with hello.html", f"{response!r}\n{output}")
    expect(f"Running listing {ID} (01-single-threaded)" in output, "`./workbook run` says which listing runs", output)
    status, said = workbook("diff", "21-10", ID)
    expect(status == 0 and f"+{ADDED_LINE}" in said and said.count("\n+") == 2,  # the +++ label and the line
           f"`./workbook diff 21-10 {ID}` shows the one line it adds", said)
    status, said = workbook("diff", "01", ID)  # a stage number: the listing it stands for, still 21-10
    expect(status == 0 and f"+{ADDED_LINE}" in said and said.count("\n+") == 2,
           f"`./workbook diff 01 {ID}` shows the same line: stage 01 stands for 21-10, not the variant", said)
    status, said = workbook("run", POOL_ONLY)
    expect(status != 0 and "is not a program to run" in said and "Running listing" not in said,
           f"`./workbook run {POOL_ONLY}` refuses a pool-only listing", said)
    regenerated = subprocess.run([sys.executable, str(TREE.source / "docs" / "regenerate.py"), "--write",
                                  "--build-root", str(TREE.build_dir), str(TREE.source / "docs" / "listings.md")],
                                 capture_output=True, text=True, env=environment())
    map_rows = (TREE.source / "docs" / "listings.md").read_text().splitlines()
    expect(regenerated.returncode == 0 and any(row.startswith(f"| {ID} | [01-single-threaded]") and TITLE in row
                                                 and f"`{STAGE}/{ID}/`" in row for row in map_rows),
           "the generated listings map (docs/listings.md) has its row", regenerated.stdout + regenerated.stderr)
    # Counted after everything ran, less the map (regenerate.py wrote it).
    expect(*TREE.hand_written_verdict(MOST_FILES, generated={"docs/listings.md"}))
    print(f"adding a listing: {'FAILED: ' + str(len(failures)) if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
