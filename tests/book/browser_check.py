#!/usr/bin/env python3
"""The docs' site in a real browser: Debian's Chromium, headless, driven by Selenium through
chromedriver, on a site this script serves itself (127.0.0.1, an ephemeral port).

    browser_check.py SITE_DIR --screenshot PATH [--page PAGE] [--docs DIR]
    browser_check.py --build-root BUILD     builds the site (./workbook book --build-only, into BUILD),
                                            then checks BUILD/book/site with the screenshot at
                                            BUILD/book/stage-07.png
    --require-browser                       a missing Chromium, chromedriver or Selenium fails (the
                                            Meson test passes it where the build found Chromium)

It loads every page (a crawl from index.html through the site's links, and every .html file of SITE_DIR)
at 1400 px wide and fails, naming the page and the element, on:
- a page no link leads to (from index.html; the 404 page aside);
- an error in the browser's console (a missing favicon too);
- a link into the site to a file that does not exist, or to an #anchor its page does not have; a link
  out of the site that is not https (those are not fetched: the check needs no internet);
- an image (<img>, <object>, an SVG's <image>/<use>) that did not load, or anything the page loads (an
  image, a script, a stylesheet, a font's stylesheet) from outside the site;
- a comparison (div.side-by-side) whose Rust column (.side-by-side-rust) is not left of its C++ column
  (.side-by-side-cpp) at the same top at 1400 px, or whose C++ is not under its Rust at the same left
  at 600 px; or whose Rust column, scrolled halfway down a longer C++ column, is covered by the header;
- a page without what it must show: pages 06 and 07 a comparison and the demo's timeline as a picture
  (an <img> of pictures/demo-NN.svg), and each page as many comparisons as its Markdown marks
  (`<!-- side by side -->`) and each picture its Markdown names (`<!-- picture: KEY -->`).
Then it saves a screenshot of stage 07's page (the whole page, 1400 px wide) to PATH, and fails if that
is not a PNG of the page's size.
Exit 0: all good; 1: failures, each on its line; 77: Chromium, chromedriver or Selenium is missing
(without --require-browser).
"""
import argparse
import ctypes
import functools
import http.server
import importlib.util
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.dont_write_bytecode = True  # no __pycache__ in docs/
sys.path.insert(0, str(ROOT / "docs"))
from regen import side_by_side  # noqa: E402  (what a comparison is: the docs check's and the site's rule)
from regen.picture_marker import PICTURE_MARKER, picture_name  # noqa: E402

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMEDRIVER = pathlib.Path("/usr/bin/chromedriver")
DEBIAN_PYTHON = "/usr/bin/python3"  # where Debian's python3-selenium is (a pyenv python3 lacks it)
SKIPPED = 77
INSTALL = "apt-get install chromium chromium-driver python3-selenium; CI installs it"

WIDE, NARROW = 1400, 600
PAGE_LOAD_SECONDS = 20
SCRIPT_SECONDS = 10
DRIVER_CALL_SECONDS = 60  # any one request to chromedriver
WHOLE_CHECK_SECONDS = 240
SCREENSHOT_MAX_HEIGHT = 16000  # a longer page is cut there (the artefact stays a few MB at most)
COLUMN_SLACK_PX = 2  # "the same top", "the same left": layout rounding

# What the plan (docs/book) promises per stage page, whatever the Markdown marks.
REQUIRED_COMPARISONS = ("06", "07")
REQUIRED_DEMO_PICTURE = ("06", "07")
SCREENSHOT_STAGE = "07"
# The mutation audit (tests/mutations/mutate.py) wants a test to stop at its first failure: it says so
# with GoogleTest's switch. Then the check stops after the first page that fails.
FAIL_FAST = os.environ.get("GTEST_FAIL_FAST") == "1"

PR_SET_CHILD_SUBREAPER = 36  # prctl(2)

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--hide-scrollbars"]


class Budget(Exception):
    """The whole check ran past its time."""


class FailedFast(Exception):
    """A failure, and the mutation audit asks for no more (FAIL_FAST)."""


def missing_browser():
    """Why the browser cannot run here, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return "Debian's chromium is not installed"
    if not os.access(CHROMEDRIVER, os.X_OK):
        return "Debian's chromedriver (package chromium-driver) is not installed"
    if importlib.util.find_spec("selenium") is None:
        return f"Selenium is not installed for {sys.executable} (package python3-selenium)"
    return None


def run_under_debian_python():
    """Selenium is Debian's python3-selenium: run again under /usr/bin/python3 if this Python lacks it."""
    if importlib.util.find_spec("selenium") is not None:
        return
    if (os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON)
            and os.access(DEBIAN_PYTHON, os.X_OK)):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, str(pathlib.Path(__file__).resolve())] + sys.argv[1:])


# --- the site's server ------------------------------------------------------------------------------------

class SiteServer:
    """SITE_DIR over HTTP on 127.0.0.1 in a thread; records every request it had no file for."""

    def __init__(self, site):
        misses = self.misses = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def log_request(self, code="-", size="-"):
                if isinstance(code, int) and 400 <= code < 500:  # an HTTPStatus is an int
                    misses.append((urllib.parse.unquote(self.path), self.headers.get("Referer")))

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # the browser closing a connection early is no failure of the site

        self.server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                       daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# --- the browser ------------------------------------------------------------------------------------------

class Browser:
    """Chromium through chromedriver, with a fresh profile in a temporary folder; always shut down, and
    any Chromium process of that profile ended by its id."""

    def __init__(self):
        # Chromium's helpers outlive their parent for a moment; orphaned, they come to this process (a
        # subreaper) to be reaped, not to an init that may leave them as zombies.
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.remote.remote_connection import RemoteConnection
        RemoteConnection.set_timeout(DRIVER_CALL_SECONDS)
        self.profile = tempfile.mkdtemp(prefix="workbook-browser-check-")
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in CHROMIUM_FLAGS + [f"--user-data-dir={self.profile}", f"--window-size={WIDE},1000"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.service = Service(str(CHROMEDRIVER), log_path=os.devnull)
        self.driver = None
        try:
            self.driver = webdriver.Chrome(service=self.service, options=options)
        except BaseException:
            self.close()
            raise
        self.driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
        self.driver.set_script_timeout(SCRIPT_SECONDS)

    def profile_processes(self):
        """The ids of the processes running with this check's profile (Chromium's, started by this check)."""
        found = []
        for entry in pathlib.Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if self.profile.encode() in (entry / "cmdline").read_bytes():
                        found.append(int(entry.name))
                except OSError:
                    pass
        return found

    def close(self):
        """Quits the browser and chromedriver; returns the ids of Chromium processes that outlived them."""
        try:
            if self.driver is not None:
                self.driver.quit()  # also stops chromedriver
            else:
                self.service.stop()
        except Exception:
            pass
        leaked = []
        deadline = time.monotonic() + 5
        while (leaked := self.profile_processes()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in leaked:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        reap_children()
        shutil.rmtree(self.profile, ignore_errors=True)
        return leaked

    def set_width(self, width):
        """The page's viewport `width` px wide (the window's frame, if any, added)."""
        self.driver.set_window_size(width, 1000)
        inner = self.driver.execute_script("return window.innerWidth")
        if inner != width:
            self.driver.set_window_size(2 * width - inner, 1000)

    def console_errors(self):
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]


def reap_children():
    """Waits for this process's ended children (chromedriver's and Chromium's, once quit), 1 s at most."""
    deadline = time.monotonic() + 1
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


# Waits for every image (lazy ones made eager) to load or fail.
WAIT_FOR_IMAGES = """
const done = arguments[arguments.length - 1];
for (const image of document.images) if (image.loading === 'lazy') image.loading = 'eager';
const pending = [...document.images].filter(image => !image.complete);
Promise.all(pending.map(image => new Promise(settled => {
  image.addEventListener('load', settled); image.addEventListener('error', settled); })))
  .then(() => done(true));
"""

# What a page holds: its links, anchors, images, other references and comparisons (with their places at
# the current width; every <details> opened, so that a comparison inside one is measured too).
PAGE_CONTENTS = """
const absolute = reference => new URL(reference, document.baseURI).href;
const headings = [...document.querySelectorAll('h1, h2, h3, h4')];
const under = element => {
  const before = headings.filter(h => h.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING);
  return before.length ? before[before.length - 1].textContent.replace(/[¶#]\\s*$/, '').trim() : '';
};
const place = element => {
  const r = element.getBoundingClientRect();
  return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width};
};
for (const details of document.querySelectorAll('details')) details.open = true;
return {
  links: [...document.querySelectorAll('a[href], area[href]')].map(a => ({
    href: a.href, raw: a.getAttribute('href'), text: a.textContent.trim().slice(0, 60)})),
  anchors: [...document.querySelectorAll('[id]')].map(e => e.id)
           .concat([...document.querySelectorAll('a[name]')].map(a => a.name)),
  images: [...document.images].map(image => ({
    src: image.currentSrc || image.src, raw: image.getAttribute('src'), alt: image.alt,
    complete: image.complete, width: image.naturalWidth})),
  references: [...document.querySelectorAll('object[data], embed[src], link[href], script[src]')]
    .map(e => ({tag: e.tagName.toLowerCase(), rel: e.getAttribute('rel') || '',
                url: absolute(e.getAttribute('data') || e.getAttribute('src') || e.getAttribute('href'))}))
    .concat([...document.querySelectorAll('svg image, svg use')]
      .map(e => e.getAttribute('href') || e.getAttribute('xlink:href'))
      .filter(h => h && !h.startsWith('#')).map(h => ({tag: 'svg', rel: '', url: absolute(h)}))),
  comparisons: [...document.querySelectorAll('div.side-by-side')].map(box => {
    const rust = box.querySelectorAll(':scope > .side-by-side-rust');
    const cpp = box.querySelectorAll(':scope > .side-by-side-cpp');
    return {under: under(box), rust_count: rust.length, cpp_count: cpp.length, box: place(box),
            rust: rust.length ? place(rust[0]) : null, cpp: cpp.length ? place(cpp[0]) : null};
  }),
};
"""


# Each comparison whose C++ column is the longer, scrolled halfway down it: how far the Rust column's top
# (sticky, it stays in view) is under the page's sticky header (negative: the header covers its first lines).
RUST_UNDER_HEADER = """
const header = document.querySelector('.md-header');
const found = [];
for (const box of document.querySelectorAll('div.side-by-side')) {
  const rust = box.querySelector(':scope > .side-by-side-rust');
  const cpp = box.querySelector(':scope > .side-by-side-cpp');
  if (!rust || !cpp || cpp.offsetHeight < rust.offsetHeight + 200) continue;
  window.scrollTo(0, box.getBoundingClientRect().top + scrollY + (cpp.offsetHeight - rust.offsetHeight) / 2);
  const headerBottom = header ? header.getBoundingClientRect().bottom : 0;
  found.push({gap: rust.getBoundingClientRect().top - headerBottom,
              top: rust.getBoundingClientRect().top, header: headerBottom});
}
window.scrollTo(0, 0);
return found;
"""


# --- the checks -------------------------------------------------------------------------------------------

class Site:
    def __init__(self, folder, origin):
        self.folder = folder.resolve()
        self.origin = origin

    def url(self, page):
        return f"{self.origin}/{urllib.parse.quote(page)}"

    def file_of(self, url):
        """The file in the site that `url` names (a folder: its index.html), or None for a URL elsewhere."""
        parts = urllib.parse.urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        relative = urllib.parse.unquote(parts.path).lstrip("/")
        target = self.folder / relative
        if not relative or relative.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def page_name(self, target):
        try:
            return target.resolve().relative_to(self.folder).as_posix()
        except ValueError:
            return str(target)

    def stage_page(self, number):
        """The page of stage NN (NN-name/index.html or NN-name.html), or None."""
        for candidate in sorted(self.folder.glob(f"{number}-*")):
            page = candidate / "index.html" if candidate.is_dir() else candidate
            if page.suffix == ".html" and page.is_file():
                return self.page_name(page)
        return None


def expectations_from_docs(docs):
    """Per Markdown page of `docs` (README.md is the site's index): its comparisons' count and the
    pictures (pictures/NAME.svg) it names."""
    expected = {}
    for source in sorted(docs.glob("*.md")):
        lines = source.read_text().splitlines()
        comparisons = len(side_by_side.comparisons(lines)[0])
        pictures = [f"pictures/{picture_name(marker.group('key'))}.svg"  # the docs check's rule
                    for marker in map(PICTURE_MARKER.match, lines) if marker]
        if comparisons or pictures:
            expected[source.name] = (comparisons, pictures)
    return expected


def site_page_of_doc(site, name):
    if name == "README.md":
        return "index.html" if (site.folder / "index.html").is_file() else None
    stem = name[:-len(".md")]
    for page in (f"{stem}/index.html", f"{stem}.html"):
        if (site.folder / page).is_file():
            return page
    return None


def check_links(site, page, contents, anchors_of, failures, wanted):
    for link in contents["links"]:
        target = site.file_of(link["href"])
        described = f"page {page}: link {link['raw']!r}" + (f" ({link['text']!r})" if link["text"] else "")
        if target is None:
            if not link["href"].startswith("https://"):
                failures.append(f"{described} leads out of the site but not to an https address")
            continue
        if not target.is_file():
            failures.append(f"{described} leads to {site.page_name(target)}, which the site does not have")
            continue
        fragment = urllib.parse.unquote(urllib.parse.urlsplit(link["href"]).fragment)
        if target.suffix == ".html":
            wanted.add(site.page_name(target))
            if fragment:
                anchors_of.setdefault(site.page_name(target), {}).setdefault(fragment, []).append(described)


# What a <link> makes the browser load (a rel=canonical or alternate only names an address).
LOADED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}


def outside(site, url):
    """Whether the browser would fetch `url` from elsewhere than the site (the site must work offline)."""
    return site.file_of(url) is None and urllib.parse.urlsplit(url).scheme not in ("data", "blob", "about")


def check_images(site, page, contents, failures):
    for image in contents["images"]:
        if outside(site, image["src"]):
            failures.append(f"page {page}: image {image['raw']!r} (alt {image['alt']!r}) is fetched from "
                            "outside the site")
        elif not image["complete"] or image["width"] == 0:
            target = site.file_of(image["src"])
            missing = target is not None and not target.is_file()
            why = f"; the site has no {site.page_name(target)}" if missing else ""
            failures.append(f"page {page}: image {image['raw']!r} (alt {image['alt']!r}) did not load{why}")
    declares_icon = any("icon" in reference["rel"].split() for reference in contents["references"])
    if not declares_icon and not (site.folder / "favicon.ico").is_file():
        failures.append(f"page {page}: no <link rel=icon>, and the site has no favicon.ico (which a "
                        "browser then asks for)")
    for reference in contents["references"]:
        kind = f"<{reference['tag']}{' rel=' + reference['rel'] if reference['rel'] else ''}>"
        target = site.file_of(reference["url"])
        loaded = reference["tag"] != "link" or set(reference["rel"].split()) & LOADED_LINK_RELS
        if loaded and outside(site, reference["url"]):
            failures.append(f"page {page}: {kind} loads {reference['url']} from outside the site (it must "
                            "work offline)")
        elif target is not None and not target.is_file():
            failures.append(f"page {page}: {kind} refers to {site.page_name(target)}, which the site does "
                            "not have")


def places(rust, cpp):
    return (f"Rust at left {rust['left']:.0f}, top {rust['top']:.0f}, C++ at left {cpp['left']:.0f}, "
            f"top {cpp['top']:.0f}")


def check_comparisons(page, comparisons, width, failures):
    for number, comparison in enumerate(comparisons, 1):
        name = f"page {page}: comparison {number}" + (f" (under {comparison['under']!r})"
                                                        if comparison["under"] else "")
        if comparison["rust_count"] != 1 or comparison["cpp_count"] != 1:
            failures.append(f"{name} has {comparison['rust_count']} .side-by-side-rust and "
                            f"{comparison['cpp_count']} .side-by-side-cpp columns, not one of each")
            continue
        rust, cpp = comparison["rust"], comparison["cpp"]
        if rust["width"] == 0 or cpp["width"] == 0:
            failures.append(f"{name} is not displayed at {width} px (a column has no width)")
        elif width == WIDE:
            if not (rust["right"] <= cpp["left"] + COLUMN_SLACK_PX
                    and abs(rust["top"] - cpp["top"]) <= COLUMN_SLACK_PX):
                failures.append(
                    f"{name} is not side by side at {WIDE} px: {places(rust, cpp)} (Rust must be left of "
                    "C++, at the same top)")
            elif min(rust["width"], cpp["width"]) < comparison["box"]["width"] / 4:
                failures.append(f"{name} at {WIDE} px: a column is under a quarter of the comparison's width "
                                f"(Rust {rust['width']:.0f} px, C++ {cpp['width']:.0f} px)")
        elif not (cpp["top"] >= rust["bottom"] - COLUMN_SLACK_PX
                  and abs(rust["left"] - cpp["left"]) <= COLUMN_SLACK_PX):
            failures.append(
                f"{name} is not stacked at {width} px: {places(rust, cpp)} (C++ must be under Rust, at the "
                "same left)")


def shows_picture(contents, name):
    """Whether the page shows pictures/NAME.svg, loaded."""
    return any(image["width"] > 0 and urllib.parse.urlsplit(image["src"]).path.endswith(
        f"/pictures/{name}.svg") for image in contents["images"])


class Check:
    def __init__(self, site, browser, docs):
        self.site, self.browser, self.docs = site, browser, docs
        self.failures = []
        self.seen = {}  # page -> its contents at WIDE
        self.scrolled = 0  # comparisons scrolled down their longer C++ column (RUST_UNDER_HEADER)

    def load(self, page):
        """Loads `page` and returns its contents; its console errors and load failures go to failures."""
        driver = self.browser.driver
        from selenium.common.exceptions import TimeoutException
        try:
            driver.get(self.site.url(page))
            driver.execute_async_script(WAIT_FOR_IMAGES)
        except TimeoutException:
            self.failures.append(f"page {page}: did not load within {PAGE_LOAD_SECONDS} s (or its images "
                                 f"within {SCRIPT_SECONDS} s)")
        contents = driver.execute_script(PAGE_CONTENTS)
        time.sleep(0.1)  # what the page does once loaded (a search index's fetch) reaches the console
        for message in self.browser.console_errors():
            failure = f"page {page}: console error: {message.replace(self.site.origin, '')}"
            if failure not in self.failures:  # the same at the other width
                self.failures.append(failure)
        return contents

    def crawl(self):
        """Every page reached by links from index.html, then the site's other .html files (each, but the
        404 page, a failure: no link leads there)."""
        anchors_of = {}
        self.visit(["index.html"], anchors_of)
        every_page = {self.site.page_name(path) for path in self.site.folder.rglob("*.html")}
        unlinked = sorted(every_page - set(self.seen))
        for page in unlinked:
            if page != "404.html":
                self.failures.append(f"page {page}: no link of the site leads to it (from index.html)")
        self.visit(unlinked, anchors_of)
        for target, fragments in anchors_of.items():
            anchors = set(self.seen[target]["anchors"]) if target in self.seen else set()
            for fragment, links in fragments.items():
                if fragment not in anchors:
                    for link in links:
                        self.failures.append(f"{link} leads to #{fragment}, which {target} does not have")

    def visit(self, queue, anchors_of):
        """Loads and checks each page of `queue`, and each page of the site they link, once."""
        while queue:
            page = queue.pop(0)
            if page in self.seen:
                continue
            contents = self.seen[page] = self.load(page)
            found = set()
            check_links(self.site, page, contents, anchors_of, self.failures, found)
            check_images(self.site, page, contents, self.failures)
            check_comparisons(page, contents["comparisons"], WIDE, self.failures)
            if contents["comparisons"]:
                for scrolled in self.browser.driver.execute_script(RUST_UNDER_HEADER):
                    self.scrolled += 1
                    if scrolled["gap"] < -COLUMN_SLACK_PX:
                        self.failures.append(
                            f"page {page}: scrolled down a comparison at {WIDE} px, its Rust column's top "
                            f"({scrolled['top']:.0f} px) is not below the page's header (down to "
                            f"{scrolled['header']:.0f} px): the header covers it, or it scrolled away")
            if FAIL_FAST and self.failures:
                raise FailedFast()
            queue.extend(sorted(found - set(self.seen) - set(queue)))

    def narrow(self):
        self.browser.set_width(NARROW)
        for page, contents in sorted(self.seen.items()):
            if contents["comparisons"]:
                check_comparisons(page, self.load(page)["comparisons"], NARROW, self.failures)
                if FAIL_FAST and self.failures:
                    raise FailedFast()
        self.browser.set_width(WIDE)

    def promises(self):
        """What the stage pages must show, and what the Markdown marks."""
        if not self.scrolled:
            self.failures.append("no comparison's C++ column is 200 px longer than its Rust: the sticky Rust "
                                 "column was never scrolled past, so never checked (RUST_UNDER_HEADER)")
        for number in sorted(set(REQUIRED_COMPARISONS) | set(REQUIRED_DEMO_PICTURE)):
            page = self.site.stage_page(number)
            if page is None:
                self.failures.append(f"the site has no page of stage {number} ({number}-*.html)")
                continue
            contents = self.seen.get(page)
            if contents is None:
                continue
            if number in REQUIRED_COMPARISONS and not contents["comparisons"]:
                self.failures.append(f"page {page}: no Rust-beside-C++ comparison (div.side-by-side); stage "
                                     f"{number}'s page must show its worker loop in two columns")
            demo = picture_name(f"demo {number}")
            if number in REQUIRED_DEMO_PICTURE and not shows_picture(contents, demo):
                self.failures.append(f"page {page}: no picture of the demo's timeline (an <img> of "
                                     f"pictures/{demo}.svg that loaded)")
        if self.docs is None:
            return
        for name, (comparisons, pictures) in expectations_from_docs(self.docs).items():
            page = site_page_of_doc(self.site, name)
            if page is None or page not in self.seen:
                self.failures.append(f"docs/{name} marks comparisons or pictures; the site has no page of it")
                continue
            contents = self.seen[page]
            if len(contents["comparisons"]) != comparisons:
                self.failures.append(f"page {page}: {len(contents['comparisons'])} comparisons "
                                     f"(div.side-by-side) where docs/{name} marks {comparisons} "
                                     "(<!-- side by side -->)")
            shown = [urllib.parse.urlsplit(image["src"]).path for image in contents["images"]]
            for picture in pictures:
                if not any(path.endswith("/" + picture) for path in shown):
                    self.failures.append(f"page {page}: no <img> of {picture}, which docs/{name} names")

    def screenshot(self, page, path):
        driver = self.browser.driver
        driver.get(self.site.url(page))
        driver.execute_async_script(WAIT_FOR_IMAGES)
        self.browser.console_errors()  # already judged during the crawl
        height = min(driver.execute_script("return document.documentElement.scrollHeight"),
                     SCREENSHOT_MAX_HEIGHT)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": WIDE, "height": height, "scale": 1}})
        import base64
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return height


def server_misses(server, failures):
    """Requests the server had no file for that no failure names yet (a worker's fetch, say)."""
    said = "\n".join(failures)
    for path, referer in server.misses:
        if path not in said:
            failures.append(f"the browser asked for {path}, which the site does not have"
                            + (f" (from {referer.replace(server.origin, '')})" if referer else ""))


def check_site(site_dir, screenshot, page, docs):
    failures = []
    started = time.monotonic()

    def out_of_time(signum, frame):
        raise Budget()

    def stopped(signum, frame):  # Meson's timeout: the browser still shuts down (finally below)
        raise SystemExit(f"stopped by signal {signum}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.signal(signal.SIGTERM, stopped)
    signal.alarm(WHOLE_CHECK_SECONDS)
    browser = None
    try:
        with SiteServer(site_dir) as server:
            site = Site(site_dir, server.origin)
            browser = Browser()
            check = Check(site, browser, docs)
            browser.set_width(WIDE)
            try:
                check.crawl()
                check.narrow()
                check.promises()
            except FailedFast:
                pass
            page = page or site.stage_page(SCREENSHOT_STAGE)
            failures += check.failures
            if page is None or not (site.folder / page).is_file():
                failures.append("no screenshot: the site has no page "
                                + (page or f"of stage {SCREENSHOT_STAGE}"))
            elif not (FAIL_FAST and failures):
                height = check.screenshot(page, screenshot)
                problem = screenshot_problem(screenshot, WIDE, height)
                if problem:
                    failures.append(problem)
                else:
                    print(f"screenshot of {page} ({WIDE}x{height} px): {screenshot}")
            server_misses(server, failures)
            pages = len(check.seen)
    except Budget:
        failures.append(f"the check ran past its {WHOLE_CHECK_SECONDS} s and was stopped")
        pages = 0
    finally:
        signal.alarm(0)
        if browser is not None:
            leaked = browser.close()
            if leaked:
                failures.append(f"Chromium processes outlived the browser's shutdown (ended): {leaked}")
    return failures, pages, time.monotonic() - started


def build_site(build_root):
    """`./workbook book --build-only` into BUILD (the learner's command, which must build and not serve):
    the site's folder, as the command names it. An earlier run's site is removed first: the check is of
    the site this command built."""
    site = build_root / "book" / "site"
    shutil.rmtree(site, ignore_errors=True)
    command = subprocess.Popen([str(ROOT / "workbook"), "book", "--build-only"], stdout=subprocess.PIPE,
                               text=True, start_new_session=True,  # its group: ended whole on a timeout
                               env=dict(os.environ, WORKBOOK_BUILD_ROOT=str(build_root)))
    try:
        output, _ = command.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(command.pid, signal.SIGKILL)
        command.communicate()
        sys.exit("./workbook book --build-only did not finish within 120 s (did it serve?)")
    print(output, end="")
    if command.returncode != 0:
        sys.exit(command.returncode if command.returncode == SKIPPED else 1)
    if f"{site}/index.html" not in output.split():
        sys.exit(f"./workbook book --build-only did not name the site it built ({site}/index.html)")
    return site


def screenshot_problem(path, width, height):
    """Why the screenshot at `path` is not a PNG of width x height px, or None."""
    data = path.read_bytes() if path.is_file() else b""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or data[12:16] != b"IHDR":
        return f"the screenshot {path} is not a PNG ({len(data)} bytes)"
    shot_width, shot_height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if (shot_width, shot_height) != (width, height):
        return f"the screenshot {path} is {shot_width}x{shot_height} px, not {width}x{height}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", nargs="?", type=pathlib.Path, help="the built site's folder")
    parser.add_argument("--screenshot", type=pathlib.Path, help="where stage 07's screenshot goes (PNG)")
    parser.add_argument("--page", help="the page to take the screenshot of (relative to the site), if not "
                                       "stage 07's")
    parser.add_argument("--docs", type=pathlib.Path, default=ROOT / "docs",
                        help="the Markdown the site is built from (its marks say what each page must show)")
    parser.add_argument("--build-root", type=pathlib.Path,
                        help="build the site there first (./workbook book --build-only)")
    parser.add_argument("--require-browser", action="store_true",
                        help="no skip: Chromium and chromedriver were found when the build was configured")
    args = parser.parse_args()
    if (args.site is None) == (args.build_root is None):
        parser.error("give SITE_DIR and --screenshot, or --build-root")
    run_under_debian_python()
    missing = missing_browser()
    if missing and args.require_browser:
        print(f"FAILED: {missing}, where the build found {CHROMIUM} and {CHROMEDRIVER} ({INSTALL})")
        return 1
    if missing:
        print(f"skipped: {missing} ({INSTALL})")
        return SKIPPED
    if args.build_root is not None:
        args.site = build_site(args.build_root.resolve())
        args.screenshot = args.screenshot or args.build_root / "book" / "stage-07.png"
    elif args.screenshot is None:
        parser.error("--screenshot PATH is required with SITE_DIR")
    if not (args.site / "index.html").is_file():
        print(f"no site in {args.site} (no index.html)")
        return 1
    failures, pages, seconds = check_site(args.site, args.screenshot, args.page,
                                          args.docs if args.docs.is_dir() else None)
    for failure in failures:
        print(failure)
    print(f"{'FAILED' if failures else 'ok'}: {pages} pages checked in Chromium at {WIDE} and {NARROW} px in "
          f"{seconds:.1f} s" + (f", {len(failures)} failures" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
