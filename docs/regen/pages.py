"""A page's markers: `<!-- code: PATH -->` blocks checked against their source, `<!-- output: KEY -->`
quotes compared with (or replaced by) what the key produces now, `<!-- picture: KEY -->` pictures
(docs/regen/picture_marker.py), generated sections, and ```cpp blocks without a marker refused."""
import difflib
import re

from .core import ROOT, DocsError, shown
from .filters import normalise
from .generated import GENERATORS
from .keys import Skipped
from .picture_marker import PICTURE_MARKER, process_picture

CODE_MARKER = re.compile(r"^\s*<!--\s*code:\s*(?P<path>\S+)\s*-->\s*$")
OUTPUT_MARKER = re.compile(r"^\s*<!--\s*output:\s*(?P<key>.+?)\s*-->\s*$")
GENERATED_MARKER = re.compile(r"^\s*<!--\s*generated:\s*(?P<key>.+?)\s*-->\s*$")
GENERATED_END = re.compile(r"^\s*<!--\s*end generated\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[\w+-]*)\s*$")
CPP_LANGS = {"cpp", "c++", "cxx", "cc", "hpp"}


def read_fenced_block(lines, start):
    """lines[start] must open a fence; returns (lang, indent, body lines, index of the closing fence)."""
    opening = FENCE.match(lines[start]) if start < len(lines) else None
    if not opening:
        return None
    indent = opening.group("indent")
    for end in range(start + 1, len(lines)):
        if lines[end].strip() == "```":
            body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[start + 1:end]]
            return opening.group("lang"), indent, body, end
    raise DocsError(f"line {start + 1}: the fence opened here is never closed")


def code_matches(block, source_lines):
    """True if `block` (after dropping one common indent) is a contiguous run of `source_lines`."""
    if not block:
        return False
    block = [line.rstrip() for line in block]
    source = [line.rstrip() for line in source_lines]
    anchor = next(index for index, line in enumerate(block) if line) if any(block) else None
    if anchor is None:
        return False
    for start in range(0, len(source) - len(block) + 1):
        candidate = source[start + anchor]
        if not candidate.endswith(block[anchor]):
            continue
        indent = candidate[:len(candidate) - len(block[anchor])]
        if indent.strip():
            continue
        if all((source[start + offset] == indent + line) if line else not source[start + offset]
               for offset, line in enumerate(block)):
            return True
    return False


def closest_source_line(block, source_lines):
    """The first block line that appears nowhere in the source (for the error message)."""
    stripped = {line.strip() for line in source_lines}
    for line in block:
        if line.strip() and line.strip() not in stripped:
            return line.strip()
    return None


def check_code_block(page, marker_line, path, block, problems):
    source = ROOT / path
    where = f"{shown(page)}:{marker_line + 1}"
    if not source.is_file():
        problems.append(f"{where}: code from unknown path {path}")
        return
    source_lines = source.read_text().splitlines()
    if code_matches(block, source_lines):
        return
    stray = closest_source_line(block, source_lines)
    detail = f"this line is not in it: {stray!r}" if stray else "its lines are there, but not contiguous or in this order"
    problems.append(f"{where}: the ```cpp block is not a verbatim run of lines of {path}; {detail}")


def process_page(page, producer, write, problems, skipped):
    """Checks (or, with write, rewrites) the page; adds what is wrong to problems, and each quote left
    unchecked (a Skipped key) to skipped."""
    lines = page.read_text().splitlines()
    new_lines = []
    index = 0
    while index < len(lines):
        line = lines[index]
        code = CODE_MARKER.match(line)
        output = OUTPUT_MARKER.match(line)
        generated = GENERATED_MARKER.match(line)
        fence = FENCE.match(line)
        where = f"{shown(page)}:{index + 1}"
        if PICTURE_MARKER.match(line):
            kept, consumed = process_picture(page, lines, index, producer, write, problems, skipped)
            new_lines.extend(kept)
            index += consumed
            continue
        if code or output:
            new_lines.append(line)
            try:
                block = read_fenced_block(lines, index + 1)
            except DocsError as error:
                problems.append(f"{shown(page)}: {error}")
                return
            expected_lang = "cpp" if code else "text"
            if block is None or (block[0] in CPP_LANGS) != (expected_lang == "cpp") or (output and block[0] not in ("text", "diff")):
                problems.append(f"{where}: the marker must be followed at once by a ```{expected_lang} block")
                index += 1
                continue
            lang, indent, body, end = block
            if code:
                check_code_block(page, index, code.group("path"), body, problems)
                new_lines.extend(lines[index + 1:end + 1])
            else:
                key = output.group("key")
                try:
                    produced, any_order = producer.produce(key)
                except (DocsError, Skipped) as error:
                    if isinstance(error, Skipped):
                        skipped.append(f"{where}: `{key}`: {error}")
                    else:
                        problems.append(f"{where}: {error}")
                    new_lines.extend(lines[index + 1:end + 1])
                    index = end + 1
                    continue
                page_text = "\n".join(body)
                if write:
                    new_lines.append(lines[index + 1])
                    new_lines.extend(indent + produced_line if produced_line else ""
                                     for produced_line in produced.rstrip("\n").split("\n") if produced.strip())
                    new_lines.append(lines[end])
                else:
                    new_lines.extend(lines[index + 1:end + 1])
                    if normalise(page_text, any_order) != normalise(produced, any_order):
                        diff = difflib.unified_diff(normalise(page_text, any_order),
                                                    normalise(produced, any_order),
                                                    "page", "produced now", lineterm="", n=1)
                        problems.append(f"{where}: the quote of `{key}` differs from what it produces now "
                                        f"(docs/regenerate.py --write updates it; compared after normalising):\n    "
                                        + "\n    ".join(diff))
            index = end + 1
            continue
        if generated:
            new_lines.append(line)
            name = generated.group("key")
            end = next((position for position in range(index + 1, len(lines)) if GENERATED_END.match(lines[position])), None)
            if end is None or name not in GENERATORS:
                problems.append(f"{where}: " + ("no <!-- end generated --> after this marker" if end is None
                                                else f"unknown generated section {name!r}"))
                index += 1
                continue
            produced = GENERATORS[name](producer.context.build_root).rstrip("\n").split("\n")
            if write:
                new_lines.extend(produced)
            else:
                new_lines.extend(lines[index + 1:end])
                if [entry.rstrip() for entry in lines[index + 1:end]] != produced:
                    problems.append(f"{where}: the generated section {name!r} is out of date (docs/regenerate.py --write)")
            new_lines.append(lines[end])
            index = end + 1
            continue
        if fence:
            block = None
            try:
                block = read_fenced_block(lines, index)
            except DocsError as error:
                problems.append(f"{shown(page)}: {error}")
                return
            if block[0] in CPP_LANGS:
                problems.append(f"{where}: a ```{block[0]} block without a <!-- code: PATH --> marker on the line before")
            new_lines.extend(lines[index:block[3] + 1])
            index = block[3] + 1
            continue
        new_lines.append(line)
        index += 1
    if write:
        text = "\n".join(new_lines) + "\n"
        if text != page.read_text():
            page.write_text(text)
            print(f"updated {shown(page)}")


def output_keys(pages):
    """The keys the pages quote or draw (a picture's key is an output key without filters)."""
    keys = []
    for page in pages:
        for line in page.read_text().splitlines():
            match = OUTPUT_MARKER.match(line) or PICTURE_MARKER.match(line)
            if match:
                keys.append(match.group("key"))
    return keys
