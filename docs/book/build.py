#!/usr/bin/python3
"""The docs as a local site: docs/*.md built with MkDocs and its Material theme (Debian's packages,
`./workbook setup` installs them), then served.

    docs/book/build.py [--build-root BUILD] [--serve HOST:PORT]

docs/ stays the one source, read as it is in an editor or a repository browser. This script copies it
into BUILD/book/src, changing only what a static site needs, and builds BUILD/book/site:
  - each side-by-side comparison (docs/regen/side_by_side.py) becomes two columns, the book's Rust left
    and the C++ right (docs/book/book.css: side by side on a wide screen, stacked on a narrow one);
  - a <details> fold becomes the site's own fold (pymdownx.details), so the C++ an exercise asks for
    stays folded, and an answer folded in a list item keeps its Markdown;
  - a fenced block loses the indent all its lines share (C++ quoted from inside a function);
  - README.md is the site's index, and a link to a file that is not a page (a script) becomes its name;
  - each exercise gets a page of its own from its exercise.md (what to do, the commands, the hints, each
    folded), placed before its stage's page in the navigation: try first, then compare.
Why MkDocs rather than Sphinx (both Debian's): MkDocs takes the Markdown nearly as it is (the changes
above; navigation from a list, no toctree or conf.py), and Material gives the navigation, search and a
layout that folds the side bars away on a narrow screen; Sphinx would read it through MyST, whose
directives and toctrees the pages would have to learn.
Headings get GitHub's anchors (docs/regen/links.py), so every link that works in the Markdown works in
the site. Every page must link the book's chapter; a page without a link there stops the build.
"""
import argparse
import html
import http.server
import pathlib
import re
import shutil
import sys
import textwrap

sys.dont_write_bytecode = True
HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE.parent
ROOT = DOCS.parent
sys.path[:0] = [str(DOCS), str(ROOT / "steps"), str(ROOT / "tests" / "exercises")]
import exercise_metadata  # noqa: E402
import listings  # noqa: E402
from regen.links import github_slug  # noqa: E402
from regen.side_by_side import comparisons  # noqa: E402

BOOK = "https://doc.rust-lang.org/book/"
FOLD = re.compile(r"^(?P<indent>\s*)<details><summary>(?P<title>.*)</summary>\s*$")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]*)\]\((?P<target>[^)\s]+)\)")  # not an image: ![ALT](PATH)
ACROSS = ("concepts.md", "listings.md", "divergences.md", "common-rs.md", "safety-lab.md", "rust-measured.md")


class BookError(Exception):
    pass


def side_by_side(lines):
    """The page's comparisons as two column <div>s (md_in_html parses the Markdown inside them)."""
    found, problems = comparisons(lines)
    if problems:
        raise BookError("; ".join(problems))
    out = list(lines)
    for comparison in reversed(found):
        out[comparison.close] = "\n</div>\n</div>\n"
        out.insert(comparison.rust_end + 1, '\n</div>\n<div class="side-by-side-cpp" markdown="1">\n')
        out[comparison.open] = ('<div class="side-by-side" markdown="1">\n'
                                '<div class="side-by-side-rust" markdown="1">\n')
    return out


def site_link(match):
    """A link as the site needs it: README.md is the index; a file that is not a page is named, unlinked."""
    text, target = match.group("text"), match.group("target")
    if target.startswith(("http://", "https://", "#", "mailto:")):
        return match.group(0)
    path, _, anchor = target.partition("#")
    if path.endswith(".md"):
        if pathlib.PurePosixPath(path).name == "README.md":
            path = str(pathlib.PurePosixPath(path).with_name("index.md"))
        return f"[{text}]({path}{'#' + anchor if anchor else ''})"
    return text if text.startswith("`") else f"`{text}`"


def folds(lines):
    """Each `<details><summary>TITLE</summary>` ... `</details>` as a fold the site's Markdown reads
    (pymdownx.details: `??? KIND "TITLE"`, its lines indented under it), which works inside a list item
    too, where a raw <details> would keep its Markdown unread."""
    out, open_folds = [], []  # open_folds: (its <details>' indent in the page, its `???`'s in the site)

    def moved(indent):  # an indent in the page, as the folds open around it place it in the site
        if not open_folds:
            return indent
        page_indent, site_indent = open_folds[-1]
        return site_indent + "    " + indent.removeprefix(page_indent)

    for line in lines:
        opening = FOLD.match(line)
        if opening:
            site_indent = moved(opening.group("indent"))
            title = re.sub(r"</?code>", "`", opening.group("title")).replace('"', "'")
            out.append(f'{site_indent}??? {"question" if title == "Answer" else "example"} "{title}"')
            open_folds.append((opening.group("indent"), site_indent))
        elif open_folds and line.strip() == "</details>":
            open_folds.pop()
        elif open_folds:
            stripped = line.lstrip()
            out.append(moved(line[:len(line) - len(stripped)]) + stripped if stripped else "")
        else:
            out.append(line)
    return out


def dedented(lines):
    """Each fenced block without the indent all its lines share (a C++ block quoted from inside a
    function keeps the source's indent in the Markdown; a column has no room for it)."""
    out, block = [], None
    for line in lines:
        if block is None:
            out.append(line)
            if line.lstrip().startswith("```") and line.strip() != "```":
                block = []
            continue
        if line.strip() == "```":
            indent = len(line) - len(line.lstrip())
            body = textwrap.dedent("\n".join(entry[indent:] if not entry[:indent].strip() else entry.lstrip()
                                              for entry in block)).split("\n")
            out.extend(" " * indent + entry if entry else "" for entry in body)
            out.append(line)
            block = None
        else:
            block.append(line)
    return out + (block or [])


def stage_page(lines, name):
    if not any(BOOK in line for line in lines):
        raise BookError(f"docs/{name} links nowhere in the book ({BOOK}...): every page links its section")
    lines = side_by_side(dedented(lines))
    in_fence = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence:
            lines[index] = LINK.sub(site_link, line)
    return "\n".join(folds("\n".join(lines).split("\n"))) + "\n"


def first_book_link(text):
    """The first Markdown link into the book (the stage page's section), or the chapter itself."""
    match = re.search(r"\[(?P<text>[^\]]+)\]\((?P<url>" + re.escape(BOOK) + r"[^)\s]+)\)", text)
    return (match.group("text"), match.group("url")) if match else ("the chapter", BOOK + "ch21-02-multithreaded.html")


def tags_escaped(text):
    """A TODO's text with its `<` and `&` escaped outside its code spans: a `Box<dyn FnOnce()>` there is
    Rust, not an HTML tag (as a tag, the browser would hide it and the rest of the paragraph)."""
    return "".join(part if part.startswith("`") else html.escape(part, quote=False)
                   for part in re.split(r"(`[^`]*`)", text))


def exercise_page(row, stage_file, stage_text):
    """A page for an exercise or extension: what to do and how to check it, its hints folded."""
    metadata = exercise_metadata.read(row.folder / "exercise.md")
    folder = row.folder.relative_to(ROOT)
    book_text, book_url = first_book_link(stage_text)
    extension = row.kind == "extension"
    builds_on = metadata.get("builds-on")
    lines = [f"# {'Beyond the book' if extension else 'Exercise'} `{row.id}` — "
             f"{row.title.removeprefix('Beyond the book: ')}", "",
             f"[Stage {row.stage_number}'s page](../{stage_file}) · book: [{book_text}]({book_url})", ""]
    if not extension:
        lines += ["Try it before you read the stage page's C++: write it from the book's Rust, then compare.", ""]
    lines += ["## Start and check", "",
              f"- `./workbook exercise {row.id}`, the first time, writes your start into `{folder}/`"
              + (f" (listing {builds_on}'s files, with `TODO(exercise)` where the work is)" if builds_on else "")
              + f"; edit {', '.join(f'`{name}`' for name in metadata.edits)} there, then run it again:"
              " it checks your files (again, until it passes).",
              f"- `./workbook hint {row.id}`: the next hint, one at a time (also below, folded).",
              f"- `./workbook solution {row.id}`: the reference answer, as a diff from your start;"
              f" `./workbook exercise reset {row.id}` writes the start again.", "",
              "## What to do", ""]
    for todo in metadata.todos:
        where = f"above `{todo.above}`" if todo.above else "at the top"
        lines += [f"In `{todo.file}`, {where}:", "", tags_escaped(todo.text), ""]
    lines += ["## Hints", "", "Open one at a time, only when you are stuck.", ""]
    for part in re.split(r"^(?=## )", metadata.hints_text, flags=re.M):
        heading, _, body = part.partition("\n")
        if heading.startswith("## Hint"):
            lines += [f'<details><summary>{heading.removeprefix("## ")}</summary>', "",
                      body.strip(), "", "</details>", ""]
    lines += ["## Then compare", "",
              f"Once it passes, read [the stage's page](../{stage_file}): the book's Rust beside the C++"
              " it asks for.", ""]
    return "\n".join(folds("\n".join(lines).split("\n")))


def with_exercise_link(text, exercise_id, page, stage_file):
    """The stage page's *Your turn first* box, ending with a link to the exercise's page on the site."""
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if line.startswith("> **Your turn first")), None)
    if start is None:
        raise BookError(f"docs/{stage_file}: no `> **Your turn first` box for exercise {exercise_id}")
    end = next(index for index in range(start, len(lines) + 1) if index == len(lines) or not lines[index].startswith(">"))
    lines[end:end] = [">", f"> On this site: [exercise {exercise_id}'s page]({page}), what to do and the hints, folded."]
    return "\n".join(lines)


def page_title(text):
    """A page's heading, as the navigation shows it (plain text: no Markdown)."""
    return text.splitlines()[0].removeprefix("# ").replace("`", "").strip()


def stage(build_root):
    """Writes BUILD/book/src and returns (src, nav)."""
    src = build_root / "book" / "src"
    shutil.rmtree(src, ignore_errors=True)
    (src / "exercises").mkdir(parents=True)
    pages = {page.name: page.read_text() for page in sorted(DOCS.glob("*.md"))}
    for name, text in pages.items():
        try:
            (src / ("index.md" if name == "README.md" else name)).write_text(stage_page(text.splitlines(), name))
        except BookError as error:
            raise BookError(f"docs/{name}: {error}") from None
    if (DOCS / "pictures").is_dir():
        shutil.copytree(DOCS / "pictures", src / "pictures")
    shutil.copy(HERE / "book.css", src / "book.css")
    nav = [{"The route: try, then compare": "index.md"}]
    stage_files = sorted(name for name in pages if re.match(r"\d\d-", name))
    for stage_file in stage_files:
        entries = []
        for row in listings.stage_rows(stage_file[:2]):
            if row.kind not in listings.EXERCISE_KINDS:
                continue
            page = f"exercises/{row.id}.md"
            (src / page).write_text(exercise_page(row, stage_file, pages[stage_file]))
            if row.kind == "exercise":
                staged = src / stage_file
                staged.write_text(with_exercise_link(staged.read_text(), row.id, page, stage_file))
            label = f"Try first: exercise {row.id}" if row.kind == "exercise" else f"Beyond the book: {row.id}"
            entries.append({label: page})
        # The stage named: the footer's previous/next links show this label alone.
        number = stage_file[:2]
        compare = {(f"Compare: stage {number}'s page" if entries else f"Stage {number}'s page"): stage_file}
        tried = [entry for entry in entries if "Try first" in next(iter(entry))]
        extensions = [entry for entry in entries if entry not in tried]
        nav.append({page_title(pages[stage_file]): tried + [compare] + extensions})
    nav.append({"Across the stages": [{page_title(pages[name]): name} for name in ACROSS]})
    nav.append({page_title(pages["developing.md"]): "developing.md"})
    listed = {"README.md", "developing.md", *ACROSS, *stage_files}
    if set(pages) - listed:
        raise BookError(f"pages missing from the site's navigation: {', '.join(sorted(set(pages) - listed))}")
    return src, nav


def build(build_root):
    try:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
    except ImportError:
        raise BookError("MkDocs is not installed: `./workbook setup` installs Debian's mkdocs, "
                        "mkdocs-material and python3-pymdownx") from None
    src, nav = stage(build_root)
    site = build_root / "book" / "site"
    config = load_config(config_file=str(HERE / "mkdocs.yml"), docs_dir=str(src), site_dir=str(site),
                         nav=nav, strict=True)
    config["mdx_configs"].setdefault("toc", {})["slugify"] = lambda text, separator: github_slug(text)
    mkdocs_build(config)
    return site


def serve(site, address):
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise BookError(f"cannot serve on {address!r}: give HOST:PORT (WORKBOOK_BOOK_ADDR=127.0.0.1:8001)")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):
            pass

    try:
        server = http.server.ThreadingHTTPServer((host, int(port)), Handler)
    except OSError as error:
        raise BookError(f"cannot serve on {address} ({error.strerror}); another address: "
                        f"WORKBOOK_BOOK_ADDR=127.0.0.1:8001 ./workbook book") from None
    with server:
        print(f"The workbook as a site: http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-root", type=pathlib.Path, default=ROOT / "build")
    parser.add_argument("--serve", metavar="HOST:PORT", help="serve the site there after building it")
    args = parser.parse_args()
    try:
        site = build(args.build_root.resolve())
    except BookError as error:
        print(f"book: {error}", file=sys.stderr)
        return 1
    print(f"The site: {site}/index.html")
    try:
        if args.serve:
            serve(site, args.serve)
    except BookError as error:
        print(f"book: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
