#!/usr/bin/python3
"""`./workbook book` serves the site it builds: run with WORKBOOK_BOOK_ADDR on a free port of 127.0.0.1
and a build folder of its own, it says the address, the site's index page is served there (HTTP 200,
the site's title), and Ctrl-C (SIGINT) stops it, exit 0. (`--build-only`: tests/book/browser_check.py.)
Exit 77 (skipped) where Debian's MkDocs is not installed."""
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
DEBIAN_PYTHON = pathlib.Path("/usr/bin/python3")  # where `./workbook book` finds MkDocs
SERVING = "The workbook as a site: "
START_SECONDS = 120  # the site's build first


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def has_mkdocs():
    return subprocess.run([str(DEBIAN_PYTHON), "-c", "import mkdocs, pymdownx"],
                          stderr=subprocess.DEVNULL).returncode == 0


def serve_once(build_root, port):
    """Runs `./workbook book` on `port`: (failures, retry: the port was taken meanwhile)."""
    book = subprocess.Popen([str(ROOT / "workbook"), "book"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True,
                            env=dict(os.environ, WORKBOOK_BUILD_ROOT=str(build_root),
                                     WORKBOOK_BOOK_ADDR=f"127.0.0.1:{port}"))
    lines, serving = [], threading.Event()

    def read():
        for line in book.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith(SERVING):
                serving.set()
        serving.set()  # its output ended: it stopped
    reader = threading.Thread(target=read)
    reader.start()
    failures = []
    try:
        if not serving.wait(START_SECONDS) or book.poll() is not None:
            said = "\n  ".join(lines[-5:])
            return [f"./workbook book did not serve within {START_SECONDS} s:\n  {said}"], \
                "cannot serve on" in said
        address = f"http://127.0.0.1:{port}/"
        if not any(line.startswith(f"{SERVING}{address} ") for line in lines):
            failures.append(f"./workbook book did not say its address {address}: {lines[-1]!r}")
        with urllib.request.urlopen(address, timeout=10) as response:
            page = response.read().decode()
            if response.status != 200 or "<title>" not in page or "multithreaded server" not in page:
                failures.append(f"{address}: HTTP {response.status}, not the site's index page")
        os.killpg(book.pid, signal.SIGINT)
        try:
            status = book.wait(timeout=10)
            if status != 0:
                failures.append(f"./workbook book stopped by Ctrl-C exited {status}, not 0")
        except subprocess.TimeoutExpired:
            failures.append("./workbook book did not stop within 10 s of Ctrl-C")
    except OSError as error:
        failures.append(f"the site served by ./workbook book: {error}")
    finally:
        if book.poll() is None:
            os.killpg(book.pid, signal.SIGKILL)
            book.wait()
        reader.join()
    return failures, False


def main():
    if not has_mkdocs():
        print("skipped: Debian's MkDocs is not installed (./workbook setup installs it)")
        return 77
    with tempfile.TemporaryDirectory() as build_root:
        failures, retry = serve_once(pathlib.Path(build_root), free_port())
        if retry:  # another process took the free port before the server bound it
            failures, _ = serve_once(pathlib.Path(build_root), free_port())
    for failure in failures:
        print(f"FAIL: {failure}")
    if failures:
        return 1
    print("ok: ./workbook book built the site, said its address, served its index page there and stopped on "
          "Ctrl-C")
    return 0


if __name__ == "__main__":
    sys.exit(main())
