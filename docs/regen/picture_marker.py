"""`<!-- picture: KEY -->` followed at once by `![ALT](pictures/NAME.svg)`: the SVG docs/pictures/NAME.svg
is KEY's drawing (`demo NN`, `flood NN [ARGS]`, `workbook compare [ARGS]`) as docs/regen/pictures.py draws
it. --write runs the instrument and writes the picture; --check runs it again (the keys' quick settings)
and compares the picture's words, every number and bar masked, the geometry ignored."""
import difflib
import re

from .core import DOCS, ROOT, DocsError, shown
from .filters import ANY_NUMBERS, normalise
from .keys import Skipped, without_colour
from .pictures import drawing_to_svg, svg_words

PICTURE_MARKER = re.compile(r"^\s*<!--\s*picture:\s*(?P<key>.+?)\s*-->\s*$")
IMAGE_LINE = re.compile(r"^!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]+)\)\s*$")
PICTURE_KEY = re.compile(r"^(demo \d\d|flood \d\d(?: \S+)*|workbook compare(?: \S+)*)$")
PICTURES = DOCS / "pictures"
# A demo's or flood's picture is of a run that behaved as the book says (or, beyond the book, as expected).
GOOD_VERDICTS = ("As the book says:", "As expected:")
# Masks beyond `| any numbers`: how many ticks an axis has and how many bars a row has depend on the
# measured times, and an axis line is its ticks.
AXIS = re.compile(r"^[-+]+$")
MASKS = ("<n>", "<axis>")
# A demo's worker rows (timeline.cpp's lock lanes): `worker ?` (a worker that took no job), `2 jobs`.
UNKNOWN_WORKER = re.compile(r"^worker \?$")
LANE_JOBS = re.compile(r"^(no job|\d+ jobs?)$")
TIMELINE_SOURCE = ROOT / "tests" / "instruments" / "timeline.cpp"
LEGEND_ENTRY = re.compile(r'case Glyph::\w+: return "([^"]+)";')
SERVER_SAID = "The server said:"  # then the server's lines, in the order its threads printed them


def picture_name(key):
    """'demo 06' -> 'demo-06'; 'workbook compare 06 09' -> 'compare-06-09'; 'flood 02 --limit-as rust'
    -> 'flood-02-limit-as-rust'."""
    return re.sub(r"[^a-z0-9]+", "-", key.removeprefix("workbook ").lower()).strip("-")


def live_command(key):
    return "./workbook " + key.removeprefix("workbook ")


def picture_svg(producer, key):
    """The key's drawing as an SVG; a DocsError if the key is not a picture's or its run misbehaved."""
    if not PICTURE_KEY.match(key):
        raise DocsError(f"unknown picture key {key!r} (demo NN, flood NN [ARGS], workbook compare [ARGS])")
    drawing = producer.drawing(key)
    plain = without_colour(drawing)
    if not key.startswith("workbook ") and not any(verdict in plain for verdict in GOOD_VERDICTS):
        raise DocsError(f"`{key}` did not say \"As the book says\": no picture of a misbehaving run\n{plain}")
    return drawing_to_svg(drawing, plain.split("\n", 1)[0].strip(), live_command(key))


def picture_words(svg, key):
    """A picture's words as the check compares them: normalised and masked as `| any numbers` quotes are,
    an axis line as `<axis>`, a run of one mask as one; the bars and a demo's legend left out (a
    wait of a few milliseconds is a bar of one column, or none, and its legend entry with it); and what
    the OS decides masked too, as a quote's worker ids are: how many jobs each worker row took, and the
    order of the server's lines (its threads race to print)."""
    legend = timeline_legend() if key.startswith("demo ") else set()
    texts = [LANE_JOBS.sub("<jobs>", UNKNOWN_WORKER.sub("worker 0", text)) for text in svg_words(svg)
             if text != "<bar>" and text not in legend]
    if SERVER_SAID in texts:
        start = texts.index(SERVER_SAID) + 1
        texts[start:] = sorted(texts[start:], key=lambda text: normalise(text, ANY_NUMBERS))
    words = []
    for word in normalise("\n".join(texts), ANY_NUMBERS):
        word = "<axis>" if AXIS.match(word) else word
        if not (word in MASKS and words and words[-1] == word):
            words.append(word)
    return words


def timeline_legend():
    """What the timeline's legend says of its glyphs (glyph_meaning in tests/instruments/timeline.cpp)."""
    source = TIMELINE_SOURCE.read_text()
    body = source[source.index("const char* glyph_meaning("):]
    return set(LEGEND_ENTRY.findall(body[:body.index("\n}\n")]))


def process_picture(page, lines, index, producer, write, problems, skipped):
    """The marker at lines[index]: checks (or with write, writes) its picture; returns the page's lines
    for the marker and its image line (with write, the image line as it must be) and how many lines of
    the page they replace."""
    key = PICTURE_MARKER.match(lines[index]).group("key")
    where = f"{shown(page)}:{index + 1}"
    name = picture_name(key)
    image = IMAGE_LINE.match(lines[index + 1]) if index + 1 < len(lines) else None
    expected_path = f"pictures/{name}.svg"
    consumed = 2 if image else 1
    kept = [lines[index]] + ([lines[index + 1]] if image else [])
    if not image or image.group("path") != expected_path:
        found = f"`{lines[index + 1]}`" if index + 1 < len(lines) and image else "no image line"
        if not write:
            problems.append(f"{where}: the picture marker must be followed at once by ![ALT]({expected_path}); "
                            f"found {found}")
            return kept, consumed
        kept = [lines[index], f"![{image.group('alt') if image else key}]({expected_path})"]
    try:
        fresh = picture_svg(producer, key)
    except Skipped as error:
        skipped.append(f"{where}: picture `{key}`: {error}")
        return kept, consumed
    except DocsError as error:
        problems.append(f"{where}: picture `{key}`: {error}")
        return kept, consumed
    path = PICTURES / f"{name}.svg"
    if write:
        if not path.is_file() or path.read_text() != fresh:
            PICTURES.mkdir(exist_ok=True)
            path.write_text(fresh)
            print(f"updated {shown(path)}")
        return kept, consumed
    if not path.is_file():
        problems.append(f"{where}: no picture {shown(path)} (docs/regenerate.py --write draws it)")
        return kept, consumed
    committed, now = picture_words(path.read_text(), key), picture_words(fresh, key)
    if committed != now:
        diff = difflib.unified_diff(committed, now, "picture", "drawn now", lineterm="", n=2)
        problems.append(f"{where}: the picture {shown(path)} of `{key}` differs from what it draws now "
                        "(docs/regenerate.py --write redraws it; its words compared, numbers and bars masked):\n    "
                        + "\n    ".join(diff))
    return kept, consumed
