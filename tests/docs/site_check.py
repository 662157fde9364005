#!/usr/bin/python3
"""Checks the site `./workbook book` builds (docs/book/build.py), without a browser (tests/book/ opens it
in one): built into a folder of its own, it has

  - each page's every side-by-side comparison as two columns, the book's Rust in the left one and C++
    in the right, and an exercise's answer still folded (a closed <details>);
  - a page for every exercise and extension in the tables, every hint folded, linked from the
    navigation before its stage's page (try first, then compare);
  - on every page (an exercise's too) a link to the book's chapter, on an exercise's its own commands
    (`./workbook exercise ID`, `hint ID`, `solution ID`, `exercise reset ID`); every picture the
    Markdown shows, and no Markdown left unparsed (a backtick outside code: a fold's text that the site
    did not read as Markdown).

Exit 77 (skipped) where Debian's MkDocs is not installed (`./workbook setup` installs it).
"""
import html.parser
import pathlib
import re
import sys
import tempfile

sys.dont_write_bytecode = True
ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT / "docs" / "book"), str(ROOT / "docs"), str(ROOT / "steps")]
import listings  # noqa: E402
from regen.side_by_side import comparisons  # noqa: E402
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from expectations import expect, failures  # noqa: E402  (the scripts' one `expect`)

IMAGE = re.compile(r"^!\[[^\]]*\]\((?P<path>[^)\s]+)\)", re.M)  # a picture's line (picture_marker.py)
CPP_SHOWN = {"cpp", "text", "diff"}  # the C++ column's code: C++, or a `workbook diff` (side_by_side.py)


class Outline(html.parser.HTMLParser):
    """What the checks need of a page: the comparisons' columns (the code languages in each, the
    <details> in each and whether it is open), the <details> elsewhere, links, images."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, classes) of the open elements
        self.columns = []  # per comparison: {"rust": [...], "cpp": [...]} of ("code", lang) / ("details", open)
        self.details = []  # (open, in a column) of every <details>
        self.links = []
        self.images = []
        self.in_code = 0
        self.in_details = 0
        self.folded_words = 0  # words of text inside <details>
        self.raw_markdown = []  # text outside code that holds a backtick: Markdown left unparsed
        self.text = []  # every piece of text, as a reader sees it

    def column(self):
        for tag, classes in reversed(self.stack):
            for side in ("rust", "cpp"):
                if f"side-by-side-{side}" in classes:
                    return side
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "div" and "side-by-side" in classes:
            self.columns.append({"rust": [], "cpp": []})
        side = self.column()
        if tag == "code":
            language = next((name.removeprefix("language-") for name in classes if name.startswith("language-")),
                            None)
            parent_classes = self.stack[-1][1] if self.stack else []
            language = language or next((name for name in parent_classes if name in ("rust", "cpp", "text")), None)
            if side and language:
                self.columns[-1][side].append(("code", language))
        if tag == "div" and "highlight" in classes and side:
            language = next((name.removeprefix("language-") for name in classes if name.startswith("language-")), None)
            if language:
                self.columns[-1][side].append(("code", language))
        if tag == "details":
            self.in_details += 1
            self.details.append(("open" in attrs, side))
            if side:
                self.columns[-1][side].append(("details", "open" in attrs))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        if tag in ("code", "pre", "script", "style"):
            self.in_code += 1
        if tag not in ("br", "hr", "img", "input", "meta", "link", "source", "wbr"):
            self.stack.append((tag, classes))

    def handle_data(self, data):
        self.text.append(data)
        if self.in_details:
            self.folded_words += len(data.split())
        if not self.in_code and "`" in data:
            self.raw_markdown.append(" ".join(data.split())[:60])

    def handle_endtag(self, tag):
        if tag in ("code", "pre", "script", "style"):
            self.in_code -= 1
        if tag == "details":
            self.in_details -= 1
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break


def outline(path):
    parser = Outline()
    parser.feed(path.read_text())
    return parser


def languages(column):
    return [value for kind, value in column if kind == "code"]


FOLDS_BY_HAND = """1. A step

    <details><summary>Answer</summary>

    In the list item, **read**.

    </details>

<details><summary>Outer</summary>

<details><summary>Inner</summary>

Inner text.

</details>

After the inner fold.

</details>
"""


def check_folds_by_hand(build):
    """build.folds on a hand-made page: a fold in a list item stays in it, a fold in a fold stays in it."""
    import markdown
    shown = markdown.markdown("\n".join(build.folds(FOLDS_BY_HAND.split("\n"))),
                              extensions=["md_in_html", "pymdownx.superfences", "pymdownx.details"])
    flat = " ".join(shown.split())
    expect("<li> <p>A step</p> <details class=\"question\"> <summary>Answer</summary> "
           "<p>In the list item, <strong>read</strong>.</p> </details> </li>" in flat,
           f"a fold in a list item stays in it, its Markdown read: {flat[:160]}")
    expect("<summary>Inner</summary> <p>Inner text.</p> </details> <p>After the inner fold.</p> </details>"
           in flat,
           f"a fold in a fold stays in it, and the outer one goes on after it: {flat[-200:]}")


def main():
    try:
        import mkdocs  # noqa: F401  (build.py imports MkDocs only when it builds: ask here)
        import pymdownx  # noqa: F401
    except ImportError as error:
        print(f"skipped: Debian's MkDocs is not installed ({error}); ./workbook setup installs it")
        return 77
    import build
    check_folds_by_hand(build)
    with tempfile.TemporaryDirectory() as folder:
        try:
            site = build.build(pathlib.Path(folder))
        except build.BookError as error:
            expect(False, f"the site builds: {error}")
            return 1
        expect((site / "index.html").is_file(), "the site builds, with an index page")
        pages = sorted((ROOT / "docs").glob("*.md"))
        for page in pages:
            name = "index.html" if page.name == "README.md" else page.with_suffix(".html").name
            found, _ = comparisons(page.read_text().splitlines())
            shown = outline(site / name)
            expect(len(shown.columns) == len(found),
                   f"{name}: {len(found)} comparison(s) in the Markdown, {len(shown.columns)} drawn as two columns")
            markdown_lines = page.read_text().splitlines()
            for number, (columns, comparison) in enumerate(zip(shown.columns, found), 1):
                expect(languages(columns["rust"]) == ["rust"] and "rust" not in languages(columns["cpp"])
                       and bool(set(languages(columns["cpp"])) & CPP_SHOWN),
                       f"{name}: comparison {number}: the Rust left {languages(columns['rust'])}, "
                       f"the C++ right {languages(columns['cpp'])}")
                folds = [value for kind, value in columns["cpp"] if kind == "details"]
                cpp_part = markdown_lines[comparison.rust_end + 1:comparison.close]
                folded = sum(1 for line in cpp_part if build.FOLD.match(line))
                expect(len(folds) == folded and not any(folds), f"{name}: comparison {number}: its {folded} "
                       f"fold(s) closed ({len(folds)} drawn, {sum(folds)} open)")
            expect(not shown.raw_markdown, f"{name}: no Markdown left unparsed (a fold's, say): {shown.raw_markdown[:2]}")
            expect(any(link.startswith(build.BOOK) for link in shown.links), f"{name}: links the book's chapter")
            shows = IMAGE.findall(page.read_text())
            expect(shown.images == shows,
                   f"{name}: the pictures the Markdown shows {shows}, drawn {shown.images}")
            for image in shown.images:
                expect((site / image).is_file(), f"{name}: its picture {image} is in the site")
        expect(sum(len(outline(site / name).columns) for name in ("06-working-pool.html", "07-while-let-bug.html"))
               >= 3, "pages 06 and 07 show their worker loops in two columns")

        navigation = outline(site / "index.html").links
        for row in listings.rows():
            if row.kind not in listings.EXERCISE_KINDS:
                continue
            page = site / "exercises" / f"{row.id}.html"
            if not page.is_file():
                expect(False, f"exercise {row.id} has a page of its own ({page.relative_to(site)})")
                continue
            shown = outline(page)
            text = (ROOT / row.folder / "exercise.md").read_text()
            hints = text.count("\n## Hint ")
            hint_words = sum(len(part.split("\n", 1)[-1].split()) for part in text.split("\n## Hint ")[1:])
            expect(len(shown.details) == hints and not any(opened for opened, _ in shown.details)
                   and shown.folded_words >= 0.8 * hint_words,
                   f"exercise {row.id}: its {hints} hint(s), {hint_words} words, each folded whole "
                   f"({len(shown.details)} fold(s) on its page, {shown.folded_words} words in them)")
            metadata = build.exercise_metadata.read(ROOT / row.folder / "exercise.md")
            page_text = " ".join("".join(shown.text).split())
            expect(any(link.startswith(build.BOOK) for link in shown.links), f"exercise {row.id}: links the book")
            for command in ("exercise", "hint", "solution", "exercise reset"):
                expect(f"./workbook {command} {row.id}" in page_text,
                       f"exercise {row.id}: its page tells `./workbook {command} {row.id}`")
            for todo in metadata.todos:
                expect(" ".join(todo.text.replace("`", "").split()) in page_text,
                       f"exercise {row.id}: its TODO in {todo.file} shown whole (no text read as a tag)")
            stage_page = f"{row.stage}.html"
            exercise_link = f"exercises/{row.id}.html"
            expect(exercise_link in navigation and stage_page in navigation,
                   f"exercise {row.id}: in the navigation, with its stage's page")
            if row.kind == "exercise" and exercise_link in navigation and stage_page in navigation:
                expect(navigation.index(exercise_link) < navigation.index(stage_page),
                       f"exercise {row.id}: the navigation offers it before the stage's page (try first)")
            if row.kind == "exercise":
                html = (site / stage_page).read_text()
                article = Outline()
                article.feed(html[html.find("<article"):html.find("</article>")])  # the page, not its navigation
                expect(exercise_link in article.links,
                       f"exercise {row.id}: its stage's page links it (the *Your turn first* box)")
    if failures:
        print(f"\n{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
