"""A comparison, Rust beside C++: the one rule that says what a page's comparison is, asked by the docs'
check (every ```rust block is in one, each well formed) and by the site (docs/book/build.py draws each
as two columns).

    <!-- side by side -->
    ```rust                      the book's Rust: exactly one ```rust block, first
    ...
    ```
    <!-- code: PATH -->          then the C++: ```cpp blocks with their code markers, bare or folded in
    ```cpp                       a <details> (the answer to an exercise stays folded), and any text
    ...                          about them; or the `workbook diff` that is the C++ change
    ```
    <!-- end side by side -->

The site puts the Rust in the left column and all that follows it, in order, in the right.
"""
import dataclasses
import re

OPEN = re.compile(r"^\s*<!--\s*side by side\s*-->\s*$")
CLOSE = re.compile(r"^\s*<!--\s*end side by side\s*-->\s*$")
FENCE = re.compile(r"^\s*```(?P<lang>[\w+-]*)\s*$")
CPP_LANGS = {"cpp", "c++", "cxx", "cc", "hpp"}


@dataclasses.dataclass(frozen=True)
class Comparison:
    """Line indices (0-based) in the page: the opening marker, the Rust fence's last line, the closing
    marker (the Rust is open + 1 .. rust_end; the C++ part rust_end + 1 .. close - 1)."""
    open: int
    rust_end: int
    close: int


def _fences(lines, start, end):
    """(lang, first, last) of each fenced block in lines[start:end]."""
    blocks, index = [], start
    while index < end:
        opening = FENCE.match(lines[index])
        if opening:
            close = next((i for i in range(index + 1, end) if lines[i].strip() == "```"), None)
            if close is None:
                return blocks
            blocks.append((opening.group("lang"), index, close))
            index = close + 1
            continue
        index += 1
    return blocks


def comparisons(lines):
    """The page's comparisons, and its problems (each `line N: ...`): an unclosed or nested marker, a
    comparison without its one ```rust block first or without C++, a ```rust block outside any."""
    found, problems = [], []
    inside = set()
    index = 0
    while index < len(lines):
        if CLOSE.match(lines[index]):
            problems.append(f"line {index + 1}: `<!-- end side by side -->` without its opening marker")
        if not OPEN.match(lines[index]):
            index += 1
            continue
        if lines[index] != lines[index].lstrip():
            problems.append(f"line {index + 1}: a side-by-side comparison starts at the line's start, not inside "
                            "a list or a fold (the site draws its columns at the page's level)")
        close = next((i for i in range(index + 1, len(lines)) if CLOSE.match(lines[i]) or OPEN.match(lines[i])), None)
        if close is None or OPEN.match(lines[close]):
            problems.append(f"line {index + 1}: a side-by-side comparison never closed by `<!-- end side by side -->`")
            index += 1
            continue
        blocks = _fences(lines, index + 1, close)
        rust = [block for block in blocks if block[0] == "rust"]
        cpp = [block for block in blocks if block[0] in CPP_LANGS
               or block[0] in ("text", "diff") and "workbook diff" in lines[block[1] - 1]]
        first_content = next((i for i in range(index + 1, close) if lines[i].strip()), close)
        where = f"line {index + 1}: the side-by-side comparison"
        if len(rust) != 1 or not blocks or blocks[0][0] != "rust" or blocks[0][1] != first_content:
            problems.append(f"{where} must open with exactly one ```rust block (and hold no other)")
        elif not cpp:
            problems.append(f"{where} holds no ```cpp block (nor `workbook diff` quote) after its Rust")
        else:
            found.append(Comparison(index, rust[0][2], close))
        inside.update(range(index, close + 1))
        index = close + 1
    for lang, first, _ in _fences(lines, 0, len(lines)):
        if lang == "rust" and first not in inside:
            problems.append(f"line {first + 1}: a ```rust block outside a side-by-side comparison "
                            "(`<!-- side by side -->` ... its C++ ... `<!-- end side by side -->`)")
    return found, problems
