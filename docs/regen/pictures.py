"""An instrument's coloured drawing (text with ANSI SGR colour codes, as `--colour always` prints it)
as a standalone SVG picture: the same monospace grid, on a light background, where every coloured run
of a bar glyph (a timeline's `=` `.` `#` `@` `-` `~`, the flood's `#`) becomes a filled rectangle in the
run's colour (so a timeline reads as a Gantt chart and a legend gets swatches), and a Markdown table (the
models table of `workbook compare`) becomes a drawn table. Everything else stays text. A pure function:
the same drawing gives the same bytes."""
import re
import textwrap
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
MAX_COLUMNS = 100  # the widest drawing (the demo's): a longer plain line is wrapped
MIN_HEADER_WIDTH = 10  # a table's header cells are wrapped to their column's values, but not narrower
SGR = re.compile(r"\x1b\[([0-9;]*)m")
WORDS = re.compile(r"\S+(?: \S+)*")
TABLE_ROW = re.compile(r"^\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def parse_line(line, style):
    """One line of the drawing -> [(text, (colour, bold))], a segment per stretch between two colour
    codes, and the style (colour, bold) in force at its end."""
    segments = []
    position = 0
    for match in SGR.finditer(line):
        if match.start() > position:
            segments.append((line[position:match.start()], style))
        colour, bold = style
        for code in match.group(1).split(";") if match.group(1) else ["0"]:
            if code in ("0", ""):
                colour, bold = None, False
            elif code == "1":
                bold = True
            elif code == "22":
                bold = False
            elif code == "39":
                colour = None
            elif code in COLOURS:
                colour = code
        style = (colour, bold)
        position = match.end()
    if position < len(line):
        segments.append((line[position:], style))
    return segments, style


def runs(segments):
    """[(text, style)] -> [(first column, text, style, is a bar)]: a bar is a segment the instrument
    painted that holds one bar glyph only (a coloured word with a `.` in it stays text)."""
    found = []
    column = 0
    for text, style in segments:
        bar = style[0] is not None and len(set(text)) == 1 and text[0] in BAR_GLYPHS
        found.append((column, text, style, bar))
        column += len(text)
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


def grid_line_elements(segments, y):
    elements = []
    for column, text, style, bar in runs(segments):
        x = MARGIN + column * CELL_WIDTH
        if bar:
            elements.append(bar_element(x, y, len(text), style, text[0]))
        else:
            # Each stretch of words at its column: a viewer collapses a run of spaces inside one <text>.
            for words in WORDS.finditer(text):
                elements.append(text_element(x + words.start() * CELL_WIDTH, y, words.group(), style))
    return elements


def table_cells(line):
    """A Markdown row's cells, without the code marks (a picture shows no Markdown)."""
    return [cell.strip().replace("`", "") for cell in line.strip().strip("|").split("|")]


def table_elements(rows, top):
    """A Markdown table (header, rule, rows) as a drawn table: ruled cells, the header shaded and its
    cells wrapped to the width of their column's values. Returns the elements and the table's width and
    height."""
    header, body = table_cells(rows[0]), [table_cells(row) for row in rows[2:]]
    columns = len(header)
    widths = [max([len(row[index]) for row in body if index < len(row)] + [MIN_HEADER_WIDTH])
              for index in range(columns)]
    header_lines = [textwrap.wrap(cell, widths[index], break_long_words=False) or [""]
                    for index, cell in enumerate(header)]
    widths = [max(width, *(len(line) for line in lines)) for width, lines in zip(widths, header_lines)]
    padding = 8
    edges = [MARGIN]
    for width in widths:
        edges.append(edges[-1] + width * CELL_WIDTH + 2 * padding)
    header_height = max(len(lines) for lines in header_lines) * LINE_HEIGHT + 8
    row_height = LINE_HEIGHT + 8
    elements = [f'<rect x="{number(MARGIN)}" y="{number(top)}" width="{number(edges[-1] - MARGIN)}" '
                f'height="{number(header_height)}" fill="#eceff1"/>']
    for index, lines in enumerate(header_lines):
        for line_index, line in enumerate(lines):
            baseline = top + (line_index + 1) * LINE_HEIGHT
            elements.append(text_element(edges[index] + padding, baseline, line, (None, True)))
    rules = [top, top + header_height]
    for row in body:
        baseline = rules[-1] + row_height - 9
        for index, cell in enumerate(row[:columns]):
            if cell:
                elements.append(text_element(edges[index] + padding, baseline, cell, (None, False)))
        rules.append(rules[-1] + row_height)
    for rule in rules:
        elements.append(f'<line x1="{number(MARGIN)}" y1="{number(rule)}" x2="{number(edges[-1])}" '
                        f'y2="{number(rule)}" stroke="#90a4ae"/>')
    for edge in edges:
        elements.append(f'<line x1="{number(edge)}" y1="{number(top)}" x2="{number(edge)}" y2="{number(rules[-1])}" '
                        f'stroke="#90a4ae"/>')
    return elements, edges[-1] - MARGIN, rules[-1] - top


def wrapped_lines(drawing):
    """The drawing's lines, a plain line longer than MAX_COLUMNS (the models table's preamble) wrapped;
    a coloured line is drawn as the instrument laid it out."""
    lines = []
    for line in drawing.rstrip("\n").split("\n"):
        if len(line) > MAX_COLUMNS and not SGR.search(line) and not TABLE_ROW.match(line):
            lines += textwrap.wrap(line, MAX_COLUMNS, subsequent_indent="  ", break_long_words=False)
        else:
            lines.append(line)
    return lines


def drawing_to_svg(drawing, title, command):
    """The drawing (text, with ANSI SGR codes) as an SVG document; `title` names it, `command` (the
    command that draws it live) is its description."""
    lines = wrapped_lines(drawing)
    elements = []
    style = (None, False)
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
        segments, style = parse_line(lines[index], style)
        y += LINE_HEIGHT
        elements += grid_line_elements(segments, y)
        width = max(width, sum(len(text) for text, _ in segments) * CELL_WIDTH)
        index += 1
    total_width = number(width + 2 * MARGIN)
    total_height = number(y + MARGIN)
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_width}" height="{total_height}" '
        f'viewBox="0 0 {total_width} {total_height}" role="img">',
        f"<title>{escape(title)}</title>",
        f"<desc>Drawn by `{escape(command)}` from a recorded run; run it to draw it again.</desc>",
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
