#!/usr/bin/env python3
"""The docs' pictures (docs/regen/pictures.py, docs/regen/picture_marker.py) on hand-made drawings:
coloured bar glyphs become rectangles in their colour, the rest stays text at its column, a Markdown table
is drawn, the same drawing gives the same bytes; and the picture marker's check fails on a stale word, a
missing file, a missing or wrong image line and a misbehaving run, but not on other numbers."""
import pathlib
import re
import sys
import tempfile
import unittest
from xml.etree import ElementTree

sys.dont_write_bytecode = True
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent.parent / "docs"))
from regen import picture_marker  # noqa: E402
from regen.pictures import BOLD_COLOURS, COLOURS, drawing_to_svg, svg_words  # noqa: E402

GREEN, YELLOW, RED = "\x1b[32m", "\x1b[33m", "\x1b[1;31m"
RESET = "\x1b[0m"
TIMELINE = (f"\x1b[1mStage 07-while-let-bug, listing-21-21{RESET} (`/sleep` takes 1.00 s)\n"
            f"/sleep #1  {GREEN}=========={RESET}\x1b[1;32m|{RESET}          1.00 s  200 OK\n"
            f"/sleep #2  {YELLOW}.........{RESET}{GREEN}=========={RESET}\x1b[1;32m|{RESET}  2.00 s  200 OK\n"
            f"worker 1   {RED}@@@@@@@@@@@@@@@@@@@@{RESET}  2 jobs\n"
            f"server     \x1b[1;35m*{RESET}  \x1b[1;35mexited with status 0 at 1.01 s{RESET}\n"
            "           +---------+---------+\n"
            "           0         1         2 s\n"
            f"{YELLOW}.{RESET} waiting   {GREEN}={RESET} served\n"
            f"\x1b[1mAs the book says:{RESET} parallelism 1.0 with 4 workers\n")
TABLE = ("Each server: 40 `/sleep` sent at once (each 150 ms).\n\n"
         "| stage | threads (peak) | `/` per second: median (range) |\n"
         "|---|---|---|\n"
         "| `06-working-pool` | 5 | 7788 (5862–10894) |\n"
         "| `09-modern-cpp-pool` | 6 | 9443 (6346–10253) |\n")


def rects(svg):
    return [line for line in svg.splitlines() if line.startswith('<rect class="bar"')]


class Drawing(unittest.TestCase):
    def test_a_coloured_run_of_a_bar_glyph_is_a_rectangle_of_its_length_and_colour(self):
        svg = drawing_to_svg(TIMELINE, "title", "./workbook demo 07")
        bars = rects(svg)
        # Row 1: `=`; row 2: `.` then `=`; the lock row: `@`; the legend's two swatches.
        self.assertEqual(len(bars), 6, svg)
        self.assertIn('width="84"', bars[0])  # ten cells of 8.4
        self.assertIn(f'fill="{COLOURS["32"]}"', bars[0])
        self.assertIn(f'fill="{COLOURS["33"]}"', bars[1])
        self.assertIn(f'fill="{BOLD_COLOURS["31"]}"', bars[3])
        self.assertIn('width="168"', bars[3])
        self.assertNotIn("==", svg)
        self.assertNotIn("@@", svg)

    def test_a_wait_is_a_thinner_bar_than_work_and_a_wait_for_the_lock_a_paler_one(self):
        # `.` waiting, `-` waiting for the lock (the same colour as `.` in a terminal), `=` served.
        svg = drawing_to_svg(f"{YELLOW}...{RESET}{YELLOW}---{RESET}{GREEN}==={RESET}\n", "title", "cmd")
        wait, lock_wait, work = rects(svg)

        def height(bar):
            return float(re.search(r'height="([0-9.]+)"', bar).group(1))
        self.assertLess(height(wait), height(work))
        self.assertEqual(height(wait), height(lock_wait))
        self.assertIn('fill-opacity="0.45"', lock_wait)
        self.assertNotIn("fill-opacity", wait)

    def test_markup_characters_stay_text_in_a_well_formed_svg(self):
        for drawing in (TIMELINE, TABLE, "Box<dyn FnOnce() + Send> & more\n"):
            # A malformed SVG is no picture at all in a browser.
            ElementTree.fromstring(drawing_to_svg(drawing, "title", "cmd"))
        self.assertIn(">Box&lt;dyn FnOnce() + Send&gt; &amp; more</text>",
                      drawing_to_svg("Box<dyn FnOnce() + Send> & more\n", "title", "cmd"))

    def test_the_same_glyph_uncoloured_stays_text_and_words_keep_their_columns(self):
        svg = drawing_to_svg(TIMELINE, "title", "./workbook demo 07")
        self.assertIn('<text x="104.4" y="120">+---------+---------+</text>', svg)
        # The axis labels, each at its column (a viewer would collapse the spaces inside one <text>).
        self.assertIn('<text x="188.4" y="138">1</text>', svg)
        # A coloured note is words, its `.` no bar.
        self.assertIn(f'fill="{BOLD_COLOURS["35"]}" font-weight="bold">exited with status 0 at 1.01 s</text>', svg)
        self.assertIn('font-weight="bold">As the book says:</text>', svg)

    def test_a_picture_is_titled_described_by_its_command_and_the_same_bytes_every_time(self):
        svg = drawing_to_svg(TIMELINE, "Stage 07 <demo>", "./workbook demo 07")
        self.assertEqual(svg, drawing_to_svg(TIMELINE, "Stage 07 <demo>", "./workbook demo 07"))
        self.assertIn("<title>Stage 07 &lt;demo&gt;</title>", svg)
        self.assertIn("<desc>Drawn by `./workbook demo 07` from a recorded run; run it to draw it again.</desc>", svg)
        self.assertTrue(svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"'))

    def test_a_markdown_table_is_drawn_as_cells_without_its_pipes_and_code_marks(self):
        svg = drawing_to_svg(TABLE, "models", "./workbook compare 06 09")
        words = svg_words(svg)
        self.assertIn("06-working-pool", words)
        self.assertIn("9443 (6346–10253)", words)
        self.assertFalse([word for word in words if "|" in word or "`/`" in word], words)
        self.assertEqual(svg.count("<line "), 4 + 4)  # four rules, four edges

    def test_the_words_are_the_texts_in_order_and_each_bar(self):
        words = svg_words(drawing_to_svg(TIMELINE, "title", "cmd"))
        self.assertEqual(words[:8], ["title", "Drawn by `cmd` from a recorded run; run it to draw it again.",
                                     "Stage 07-while-let-bug, listing-21-21", "(`/sleep` takes 1.00 s)",
                                     "/sleep #1", "<bar>", "|", "1.00 s"])


class FakeProducer:
    def __init__(self, drawing):
        self.drawn = drawing

    def drawing(self, key):
        return self.drawn


class Marker(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.addCleanup(self.folder.cleanup)
        self.saved = picture_marker.PICTURES
        picture_marker.PICTURES = pathlib.Path(self.folder.name)
        self.addCleanup(setattr, picture_marker, "PICTURES", self.saved)
        self.page = pathlib.Path(self.folder.name) / "07-page.md"
        self.lines = ["text", "<!-- picture: demo 07 -->", "![the timeline](pictures/demo-07.svg)", "more"]

    def run_marker(self, drawing, write, lines=None):
        problems, skipped = [], []
        kept = picture_marker.process_picture(self.page, lines or self.lines, 1, FakeProducer(drawing), write,
                                              problems, skipped)
        return kept, problems

    def test_write_draws_the_file_and_check_passes_on_a_run_with_other_numbers(self):
        kept, problems = self.run_marker(TIMELINE, write=True)
        self.assertEqual(problems, [])
        self.assertEqual(kept, (self.lines[1:3], 2))
        self.assertTrue((picture_marker.PICTURES / "demo-07.svg").is_file())
        # Other times, bars of other lengths, an axis with more ticks and labels.
        other_numbers = (TIMELINE.replace("1.00 s", "0.52 s").replace("==========", "=======")
                         .replace("+---------+---------+", "+----+----+----+----+")
                         .replace("0         1         2 s", "0    0.5  1    1.5  2 s"))
        self.assertEqual(self.run_marker(other_numbers, write=False)[1], [])

    def test_check_passes_when_the_os_gave_the_jobs_or_the_server_s_lines_otherwise(self):
        with_log = TIMELINE + "The server said:\n  Worker 0 got a job; executing.\n  Shutting down worker 1\n"
        self.run_marker(with_log, write=True)
        other = (with_log.replace("worker 1   ", "worker ?   ").replace("2 jobs", "no job")
                 .replace("  Worker 0 got a job; executing.\n  Shutting down worker 1\n",
                          "  Shutting down worker 3\n  Worker 2 got a job; executing.\n"))
        self.assertEqual(self.run_marker(other, write=False)[1], [])
        _, problems = self.run_marker(other.replace("Shutting down", "Dropped"), write=False)
        self.assertEqual(len(problems), 1, problems)

    def test_check_passes_when_a_short_wait_is_drawn_or_not(self):
        # A wait of a few milliseconds is a bar of one column, or none, and the legend says `waiting`, or not.
        self.run_marker(TIMELINE, write=True)
        without_wait = (TIMELINE.replace(f"{YELLOW}.........{RESET}", " " * 9)
                        .replace(f"{YELLOW}.{RESET} waiting   ", ""))
        self.assertEqual(self.run_marker(without_wait, write=False)[1], [])

    def test_check_names_page_line_and_the_word_of_a_stale_picture(self):
        self.run_marker(TIMELINE, write=True)
        _, problems = self.run_marker(TIMELINE.replace("200 OK", "500 Internal Server Error"), write=False)
        self.assertEqual(len(problems), 1, problems)
        self.assertIn("07-page.md:2: the picture", problems[0])
        self.assertIn("+Internal", problems[0])

    def test_a_missing_file_is_a_problem(self):
        _, problems = self.run_marker(TIMELINE, write=False)
        self.assertIn("no picture", " ".join(problems))

    def test_a_marker_without_its_image_line_or_naming_another_file_is_a_problem(self):
        self.run_marker(TIMELINE, write=True)
        for lines in (["text", "<!-- picture: demo 07 -->", "", "more"],
                      ["text", "<!-- picture: demo 07 -->", "![the timeline](pictures/demo-06.svg)"]):
            _, problems = self.run_marker(TIMELINE, write=False, lines=lines)
            self.assertEqual(len(problems), 1, problems)
            self.assertIn("must be followed at once by ![ALT](pictures/demo-07.svg)", problems[0])

    def test_a_run_that_is_not_as_the_book_says_is_never_drawn(self):
        _, problems = self.run_marker(TIMELINE.replace("As the book says:", "NOT as the book says:"), write=True)
        self.assertIn('did not say "As the book says"', " ".join(problems))
        self.assertFalse((picture_marker.PICTURES / "demo-07.svg").exists())

    def test_a_name_is_the_key_in_lower_case_with_dashes(self):
        self.assertEqual(picture_marker.picture_name("workbook compare --sleeps 200 10 11"), "compare-sleeps-200-10-11")
        self.assertEqual(picture_marker.picture_name("flood 02 --limit-as rust"), "flood-02-limit-as-rust")


if __name__ == "__main__":
    unittest.main()
