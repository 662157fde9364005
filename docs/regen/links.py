"""With --links: every relative link of a page leads to a file (and a heading) that exists, every
gtest a page cites is one tests/ defines, and no file of the workbook cites a file outside it."""
import re
import subprocess

from .core import ROOT, shown


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def github_slug(heading):
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, each space a hyphen (the
    site, docs/book/build.py, makes the same)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def heading_anchors(page):
    """GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to hyphens."""
    anchors, seen, in_fence = set(), {}, False
    for line in page.read_text().splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if in_fence or not line.startswith("#"):
            continue
        slug = github_slug(line.lstrip("#"))
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


# A macro and its body, its continued lines included: `#define NAME(PARAMETER, ...) body \`.
MACRO_DEFINITION = re.compile(
    r"#define\s+(?P<macro>\w+)\(\s*(?P<parameter>\w+)[^)]*\)(?P<body>(?:.*\\\n)*.*)")


def gtest_defined(suite, name, sources, meson_text):
    """Whether tests/ defines the gtest Suite.Name: written out, or by a macro whose body defines
    TEST_P(PARAMETER, Name) and which a test invokes with the suite (WORKBOOK_DROPPED_JOBS_TESTS). A
    suite spelled by a macro (stage 03's pool tests, one suite per listing) counts when TEST(MACRO, Name)
    exists and Meson names the suite's prefix."""
    if re.search(rf"\bTEST(?:_P|_F)?\(\s*{suite}\s*,\s*{name}\s*\)", sources):
        return True
    for macro in MACRO_DEFINITION.finditer(sources):
        if (re.search(rf"\bTEST(?:_P|_F)?\(\s*{macro['parameter']}\s*,\s*{name}\s*\)", macro["body"])
                and re.search(rf"^{macro['macro']}\(\s*{suite}\b", sources, re.MULTILINE)):
            return True
    prefix = re.sub(r"(_\d+)+$", "_", suite)
    return bool(re.search(rf"\bTEST\(\s*[A-Z_]+\s*,\s*{name}\s*\)", sources)) and f"'{prefix}'" in meson_text


def check_test_names(page, problems):
    """Every gtest a page cites (`Suite.Name`) is one tests/ defines: a renamed test cannot leave a
    page pointing at nothing."""
    tests = ROOT / "tests"
    sources = "\n".join(path.read_text()
                        for pattern in ("*.cpp", "*.hpp") for path in sorted(tests.rglob(pattern)))
    meson_text = "\n".join(path.read_text() for path in tests.rglob("meson.build"))
    for number, line in enumerate(page.read_text().splitlines(), start=1):
        for match in GTEST_CITED.finditer(line):
            if not gtest_defined(match["suite"], match["name"], sources, meson_text):
                problems.append(f"{shown(page)}:{number}: cites a test that does not exist: "
                                f"{match['suite']}.{match['name']}")


# What a file outside the workbook looks like when cited: the notes the workbook was written from (its
# evidence belongs in docs/rust-measured.md), a path up and out of the tree, or an absolute path on
# some machine. Spelled so that this file does not match itself.
OUTSIDE_CITATION = re.compile(r"rust-observed\.md|\.\./shared/|(?<![\w.~])/(?:wor[k]|hom[e]|roo[t]|User[s])/")


def tracked_files(root):
    """The workbook's files: what git tracks, or, outside a git checkout, every file but build folders."""
    listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, text=True)
    if listed.returncode == 0:
        return [root / name for name in listed.stdout.split("\0") if name]
    return [path for path in root.rglob("*")
            if path.is_file() and not any(part.startswith(("build", ".git")) for part in path.relative_to(root).parts)]


def check_outside_citations(root, problems):
    """No file of the workbook cites a file outside it: a reader could not open it."""
    for path in tracked_files(root):
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue  # binary, or listed but absent
        for number, line in enumerate(text.splitlines(), start=1):
            if match := OUTSIDE_CITATION.search(line):
                problems.append(f"{shown(path)}:{number}: cites a file outside the workbook: {match.group(0)}")
