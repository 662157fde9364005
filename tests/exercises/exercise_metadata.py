"""An exercise's `exercise.md`, read in this one place, and the start it describes.

An exercise (or extension) folder holds `exercise.md` and, once `./workbook exercise ID` has written
them, the learner's files (ignored by git). `exercise.md` is a head of `key: value` lines (a line that
starts with spaces goes on with the value above it), then `## ` sections:

    builds-on: 21-19          the listing whose files the start is (its id in listings.tsv)
    replaces: 21-20           the listing whose files the learner's stand in for in the check (a book
                              exercise's reference solution)
    program: main.cpp         instead of `replaces`: the learner's file is a program of its own, built
                              in place by the `meson` file's lines
    edits: main.cpp thread_pool.hpp thread_pool.cpp
                              the learner's files
    check: 06-server          one a test, named by its key (tests/test_keys.py): all must pass
    missing: PATTERN          said as `Missing: SENTENCE` (the indented lines under it) when a
        SENTENCE              failing gtest (Suite.Test) or Meson test (its key) matches the fnmatch
                              PATTERN
    solution: solution.diff   an extension's reference solution: a patch on the listing it builds on
    meson: FILE               Meson lines the scratch copy's meson.build gets (an extension's test)

    ## TODO(exercise) in FILE, above `LINE`   (or `, at the top`): the TODO's text, wrapped when written
    ## Start FILE                             a ```cpp block: a file the listing does not have
    ## Hint 1 / ## Hint 2 / ## Hint 3         shown one at a time by ./workbook hint ID
"""
import dataclasses
import pathlib
import re
import textwrap

WIDTH = 110  # the project's line width: a TODO(exercise) is wrapped within it
LIST_KEYS = ("check", "missing")
KNOWN_KEYS = ("builds-on", "replaces", "program", "edits", "check", "missing", "solution", "meson")
TODO_HEADING = re.compile(r"^## TODO\(exercise\) in (\S+), (?:above `(.+)`|(at the top))\s*$")
START_HEADING = re.compile(r"^## Start (\S+)\s*$")


class MetadataError(Exception):
    pass


@dataclasses.dataclass
class Todo:
    file: str
    above: str  # the start line (stripped) the TODO goes above; "" for the top of the file
    text: str


@dataclasses.dataclass
class Metadata:
    head: dict  # key -> value, or list of values for LIST_KEYS (missing: (pattern, sentence))
    todos: list
    starts: dict  # file -> text given in the file itself
    hints_text: str  # the `## Hint N` sections (and any other heading, which --verify reports)

    def get(self, key, default=None):
        return self.head.get(key, default)

    @property
    def edits(self):
        return self.head.get("edits", "").split()


def parse(text, where="exercise.md"):
    head_text, _, rest = text.partition("\n## ")
    rest = "## " + rest if rest else ""
    head = {"check": [], "missing": []}
    key = None
    for number, line in enumerate(head_text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", "<!--")):
            continue
        if line.startswith((" ", "\t")):
            if key is None:
                raise MetadataError(f"{where}:{number}: an indented line before any key")
            if key == "missing":
                pattern, sentence = head["missing"][-1]
                head["missing"][-1] = (pattern, (sentence + " " + line.strip()).strip())
            elif key in LIST_KEYS:
                head[key][-1] += " " + line.strip()
            else:
                head[key] += " " + line.strip()
            continue
        key, colon, value = line.partition(":")
        if not colon or key not in KNOWN_KEYS:
            raise MetadataError(f"{where}:{number}: expected `key: value`, the key one of "
                                f"{', '.join(KNOWN_KEYS)}")
        value = value.strip()
        if key == "missing":
            head["missing"].append((value, ""))
        elif key in LIST_KEYS:
            head[key].append(value)
        elif key in head:
            raise MetadataError(f"{where}:{number}: `{key}` given twice")
        else:
            head[key] = value
    for pattern, sentence in head["missing"]:
        if not sentence:
            raise MetadataError(f"{where}: `missing: {pattern}` has no sentence (indented lines under it)")
    if ("replaces" in head) == ("program" in head) or not head["check"] or not head.get("edits"):
        raise MetadataError(f"{where}: needs `replaces` or `program` (one), `edits` and at least one `check`")
    todos, starts, hints = [], {}, []
    for part in re.split(r"^(?=## )", rest, flags=re.M):
        if not part.strip():
            continue
        heading, _, body = part.partition("\n")
        todo, start = TODO_HEADING.match(heading), START_HEADING.match(heading)
        if todo:
            todos.append(Todo(todo.group(1), (todo.group(2) or "").strip(), " ".join(body.split())))
        elif start:
            code = re.search(r"^```\w*\n(.*?)^```", body, flags=re.M | re.S)
            if not code:
                raise MetadataError(f"{where}: `{heading}` needs a ``` block")
            starts[start.group(1)] = code.group(1)
        else:
            hints.append(part)
    return Metadata(head, todos, starts, "".join(hints))


def read(path):
    path = pathlib.Path(path)
    return parse(path.read_text(), str(path))


def todo_lines(text, indent):
    """A TODO(exercise) comment, wrapped within WIDTH columns at the indentation of the line it is above."""
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent + "// TODO(exercise): ",
                         subsequent_indent=indent + "// ", break_long_words=False, break_on_hyphens=False)


def header_lines(exercise_id, origin, has_todo):
    """The first comment of a start file: whose start it is, and from what."""
    where = ", with the TODO(exercise) below" if has_todo else ""
    return textwrap.wrap(f"Exercise {exercise_id}'s start: {origin}{where}. "
                         f"`./workbook exercise reset {exercise_id}` writes it again.", width=WIDTH,
                         initial_indent="// ", subsequent_indent="// ", break_long_words=False,
                         break_on_hyphens=False)


def start_files(exercise_id, metadata, listing_files, listing_name):
    """The learner's start: for each edited file, the listing's file (or the `## Start` one, or nothing),
    its TODO(exercise) inserted, under a first comment that says whose start it is. `listing_files` is
    the builds-on listing's {name: text}; `listing_name` how the header names it."""
    files = {}
    for name in metadata.edits:
        if name in metadata.starts:
            text, origin = metadata.starts[name], f"{name} as its exercise.md gives it"
        elif name in listing_files:
            text, origin = listing_files[name], f"{name} of {listing_name}"
        else:
            text, origin = "", f"a {name} of your own, which {listing_name} does not have"
        lines = text.splitlines()
        todos = [t for t in metadata.todos if t.file == name]
        for todo in todos:
            if not todo.above:
                lines[0:0] = todo_lines(todo.text, "")
                continue
            at = [i for i, line in enumerate(lines) if line.strip() == todo.above]
            if len(at) != 1:
                raise MetadataError(f"exercise {exercise_id}: the TODO for {name} goes above `{todo.above}`, "
                                    f"found {len(at)} times in its start")
            indent = lines[at[0]][:len(lines[at[0]]) - len(lines[at[0]].lstrip())]
            lines[at[0]:at[0]] = todo_lines(todo.text, indent)
        files[name] = "\n".join(header_lines(exercise_id, origin, bool(todos)) + lines) + "\n"
    for todo in metadata.todos:
        if todo.file not in files:
            raise MetadataError(f"exercise {exercise_id}: a TODO for {todo.file}, which is not in `edits`")
    return files
