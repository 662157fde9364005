"""An instrument's coloured drawing (text with ANSI SGR colour codes, as `--colour always` prints it)
as a standalone SVG picture: the same monospace grid, on a light background, where every coloured run
of a bar glyph (a timeline's `=` `.` `#` `@` `-` `~`, the flood's `#`) becomes a filled rectangle in the
run's colour (so a timeline reads as a Gantt chart and a legend gets swatches), and a Markdown table (the
models table of `workbook compare`) becomes a drawn table. Everything else stays text. A pure function:
the same drawing gives the same bytes."""
import re
from xml.sax.saxutils import escape

# The glyphs the instruments draw bars with (tests/instruments/timeline.cpp's glyph_char, flood.cpp's
# bar): a coloured run of one of them is a bar; the same character uncoloured (an axis, a word) is text.
BAR_GLYPHS = set("=.#@-~")
# The SGR colours the instruments use, as colours readable on white (the terminal's yellow is not).
COLOURS = {"31": "#c62828", "32": "#2e7d32", "33": "#e0a800", "34": "#1565c0", "35": "#8e24aa",
           "36": "#00838f", "37": "#616161"}
# Bold (`1;3N`) is another glyph in the same colour (the lock held during a job, `@`, beside the lock
# held, `#`): a darker shade.
BOLD_COLOURS = {"31": "#7f0000", "32": "#1b5e20", "33": "#a06000", "34": "#0d3c78", "35": "#5c1070",
                "36": "#005662", "37": "#212121"}
TEXT_COLOUR = "#212121"
CELL_WIDTH = 8.4    # a monospace cell at font-size 14
LINE_HEIGHT = 18
FONT_SIZE = 14
MARGIN = 12
SGR = re.compile(r"\x1b\[([0-9;]*)m")
WORDS = re.compile(r"\S+(?: \S+)*")
TABLE_ROW = re.compile(r"^\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


class Style:
    def __init__(self, colour=None, bold=False):
        self.colour = colour
        self.bold = bold

    def key(self):
        return self.colour, self.bold


def parse_line(line, style):
    """One line of the drawing -> [(character, (colour, bold))], and the style in force at its end."""
    cells = []
    position = 0
    for match in SGR.finditer(line):
        cells += [(character, style.key()) for character in line[position:match.start()]]
        codes = match.group(1).split(";") if match.group(1) else ["0"]
        for code in codes:
            if code in ("0", ""):
                style = Style()
            elif code == "1":
                style = Style(style.colour, True)
            elif code == "22":
                style = Style(style.colour, False)
            elif code == "39":
                style = Style(None, style.bold)
            elif code in COLOURS:
                style = Style(code, style.bold)
        position = match.end()
    cells += [(character, style.key()) for character in line[position:]]
    return cells, style


def runs(cells):
    """[(character, style)] -> [(first column, text, style)], a run per stretch of one style (a bar:
    one glyph in one colour)."""
    found = []
    for column, (character, style) in enumerate(cells):
        bar = style[0] is not None and character in BAR_GLYPHS
        if found:
            start, text, last_style, last_bar = found[-1]
            if last_style == style and last_bar == bar and (not bar or text[-1] == character):
                found[-1] = (start, text + character, style, bar)
                continue
        found.append((column, character, style, bar))
    return found


def number(value):
    """A coordinate as few characters as it needs (no float noise: the bytes must not vary)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def fill(style):
    colour, bold = style
    return (BOLD_COLOURS if bold else COLOURS)[colour]


def text_element(x, y, text, style):
    colour, bold = style
    attributes = f' x="{number(x)}" y="{number(y)}"'
    if colour:
        attributes += f' fill="{fill(style)}"'
    if bold:
        attributes += ' font-weight="bold"'
    return f"<text{attributes}>{escape(text)}</text>"


def bar_element(x, y, length, style, glyph):
    """A bar's rectangle; the lighter glyphs (waiting: `.`, waiting for the lock: `-`, a job without the
    lock: `~`) thinner, as they look in a terminal, and `-` paler than `.` (the same colour in a terminal)."""
    thin = glyph in ".-~"
    height = LINE_HEIGHT * (0.35 if thin else 0.7)
    top = y - LINE_HEIGHT / 2 - height / 2 + 4
    pale = ' fill-opacity="0.45"' if glyph == "-" else ""
    return (f'<rect class="bar" x="{number(x)}" y="{number(top)}" width="{number(length * CELL_WIDTH)}" '
            f'height="{number(height)}" fill="{fill(style)}"{pale}/>')


def grid_line_elements(cells, y):
    elements = []
    for column, text, style, bar in runs(cells):
        x = MARGIN + column * CELL_WIDTH
        if bar:
            elements.append(bar_element(x, y, len(text), style, text[0]))
        else:
            # Each stretch of words at its column: a viewer collapses a run of spaces inside one <text>.
            for words in WORDS.finditer(text):
                elements.append(text_element(x + words.start() * CELL_WIDTH, y, words.group(), style))
    return elements


def table_cells(line):
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_elements(rows, top):
    """A Markdown table (header, rule, rows) as a drawn table: ruled cells, the header shaded. Returns the
    elements and the table's width and height."""
    header, body = table_cells(rows[0]), [table_cells(row) for row in rows[2:]]
    columns = len(header)
    widths = [max(len(row[index]) if index < len(row) else 0 for row in [header] + body) for index in range(columns)]
    padding = 8
    edges = [MARGIN]
    for width in widths:
        edges.append(edges[-1] + width * CELL_WIDTH + 2 * padding)
    height = LINE_HEIGHT + 8
    elements = [f'<rect x="{number(MARGIN)}" y="{number(top)}" width="{number(edges[-1] - MARGIN)}" '
                f'height="{number(height)}" fill="#eceff1"/>']
    for row_index, row in enumerate([header] + body):
        baseline = top + row_index * height + height - 8
        for index, cell in enumerate(row[:columns]):
            if cell:
                elements.append(text_element(edges[index] + padding, baseline, cell, (None, row_index == 0)))
    bottom = top + (len(body) + 1) * height
    for row_index in range(len(body) + 2):
        y = number(top + row_index * height)
        elements.append(f'<line x1="{number(MARGIN)}" y1="{y}" x2="{number(edges[-1])}" y2="{y}" stroke="#90a4ae"/>')
    for edge in edges:
        elements.append(f'<line x1="{number(edge)}" y1="{number(top)}" x2="{number(edge)}" y2="{number(bottom)}" '
                        f'stroke="#90a4ae"/>')
    return elements, edges[-1] - MARGIN, bottom - top


def drawing_to_svg(drawing, title, command):
    """The drawing (text, with ANSI SGR codes) as an SVG document; `title` names it, `command` (the
    command that draws it live) is its description."""
    lines = drawing.rstrip("\n").split("\n")
    elements = []
    style = Style()
    y = MARGIN
    width = 0
    index = 0
    while index < len(lines):
        plain = SGR.sub("", lines[index])
        if TABLE_ROW.match(plain) and index + 1 < len(lines) and TABLE_RULE.match(SGR.sub("", lines[index + 1])):
            end = index + 2
            while end < len(lines) and TABLE_ROW.match(SGR.sub("", lines[end])):
                end += 1
            table, table_width, table_height = table_elements([SGR.sub("", line) for line in lines[index:end]], y + 4)
            elements += table
            width = max(width, table_width)
            y += table_height + 8
            index = end
            continue
        cells, style = parse_line(lines[index], style)
        y += LINE_HEIGHT
        elements += grid_line_elements(cells, y)
        width = max(width, len(cells) * CELL_WIDTH)
        index += 1
    total_width = number(width + 2 * MARGIN)
    total_height = number(y + MARGIN)
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>Drawn by `{escape(command)}`; run it to watch it live.</desc>",
        f'<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}" '
        f'fill="{TEXT_COLOUR}">',
        *elements,
        "</g>",
        "</svg>",
    ]) + "\n"


def svg_words(svg):
    """What a picture says, for comparing with a fresh run: its texts in order, each bar as `<bar>`; the
    geometry left out (the check masks the numbers and bars as `| any numbers` does)."""
    words = []
    for match in re.finditer(r"<(title|desc|text)\b[^>]*>([^<]*)</\1>|<rect class=\"bar\"", svg):
        if match.group(1):
            words.append(unescape(match.group(2)))
        else:
            words.append("<bar>")
    return words


def unescape(text):
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
