"""What `./workbook exercise` tells the learner, from what the build and the tests printed: the pure part
of tests/exercises/exercise.py (no process is started here), so that exercise_selftest.py can feed it
recorded outputs.

- compile_report: ninja's log -> the first error's whole diagnostic (its context, the error, its notes
  and `required from` lines), said as "does not compile yet" or as "compiles, but the check rejects it";
- gtest_cases: a gtest program's stdout (and its XML report, for the figures observation.hpp records)
  -> one Case per gtest, each failure's block whole;
- missing_lines: the failing tests' names -> the `Missing:` sentences of exercise.md;
- answer_lines_in_hint: the rule that hint 1 and 2 hold no line of the reference solution's code.
"""
import dataclasses
import fnmatch
import re
import signal
import xml.etree.ElementTree as ElementTree

BLOCK_LINES = 60  # a failure block longer than this is cut, saying where the rest is


def map_paths(text, listing, shown, scratch):
    """Names the learner's folder `shown` where the build or a program names the listing it stands in
    for (`../steps/06-working-pool/listing-21-20/`, `<scratch>/steps/...`, `steps/...` in a panic), and
    paths relative to the build folder (`../tests/...`) as paths from the workbook's root."""
    text = text.replace(scratch.rstrip("/") + "/", "")
    text = re.sub(r"(?<![\w/.-])(?:\.\./)?" + re.escape(listing.rstrip("/") + "/"), shown.rstrip("/") + "/", text)
    return re.sub(r"(?<![\w/.-])\.\./(?=(?:steps|tests|common)/)", "", text)


# ---------------------------------------------------------------------------------------------------
# Compile errors

PRIMARY = re.compile(r"^(?P<where>[^\s:][^:]*?)(?::\d+)?(?::\d+)?: (?P<kind>fatal error|error|warning|note): (?P<text>.*)$")
EXCERPT = re.compile(r"^\s*(?:\d+|\+\+\+)?\s*\|")
NINJA_LINE = re.compile(r"^(?:\[\d+/\d+\] |FAILED: |ninja: )")


@dataclasses.dataclass
class FailedCommand:
    outputs: str
    source: str  # the file compiled (-c), "" for a link
    lines: list


def failed_commands(log):
    """ninja's FAILED sections, in order: what each built, from which source, and what it printed."""
    sections, current = [], None
    lines = log.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("FAILED: "):
            command = lines[i + 1] if i + 1 < len(lines) else ""
            source = re.search(r"(?:^|\s)-c\s+(\S+)", command)
            current = FailedCommand(line[len("FAILED: "):], source.group(1) if source else "", [])
            sections.append(current)
            i += 2
            continue
        if NINJA_LINE.match(line):
            current = None
        elif current is not None:
            current.lines.append(line)
        i += 1
    return sections


def diagnostic_groups(lines):
    """GCC's output as groups: the context lines (In file included from, In function, required from),
    one error/warning/note line, and its source excerpt."""
    groups, context = [], []
    for line in lines:
        primary = PRIMARY.match(line)
        if primary:
            groups.append({"kind": primary.group("kind"), "where": primary.group("where"),
                           "text": primary.group("text"), "lines": context + [line]})
            context = []
        elif EXCERPT.match(line) and groups and not context:
            groups[-1]["lines"].append(line)
        elif line.strip():
            context.append(line)
    if context and groups:
        groups[-1]["lines"].extend(context)  # "compilation terminated." and the like
    return groups


def first_diagnostic(lines):
    """The first error with everything GCC said about it (context before it, notes after it), and the
    group of the error itself; (lines, None) when no error line is found."""
    groups = diagnostic_groups(lines)
    first = next((i for i, g in enumerate(groups) if g["kind"] in ("error", "fatal error")), None)
    if first is None:
        return [line for line in lines if line.strip()][:30], None
    block = list(groups[first]["lines"])
    for group in groups[first + 1:]:
        if group["kind"] != "note":
            break
        block += group["lines"]
    return block, groups[first]


def compile_report(log, listing, shown, scratch):
    """What a failed build tells the learner. `listing` is the folder (relative to the root) their files
    stand in for, `shown` theirs. Their own code is compiled first-class: if one of its translation
    units failed, that is the error shown; if all of them compiled, the failure is in a check's code
    (a static_assert in tests/, or the check's use of their code), and that is said."""
    sections = failed_commands(log)
    if not sections:
        tail = "\n".join(log.splitlines()[-20:])
        return "It does not build. What the build said:\n\n" + map_paths(tail, listing, shown, scratch)
    listing_prefix = listing.rstrip("/") + "/"
    own = [s for s in sections if s.source.removeprefix("../").startswith(listing_prefix)]
    section = own[0] if own else sections[0]
    block, error = first_diagnostic(section.lines)
    text = map_paths("\n".join(block), listing, shown, scratch)
    where = map_paths(error["where"], listing, shown, scratch) if error else ""
    if not section.source:
        return "It compiles, but does not link. The linker's first error:\n\n" + text
    if own:
        return (f"It does not compile yet. The compiler's first error, in {where or shown} (follow the "
                f"compiler):\n\n" + text)
    source = map_paths(section.source, listing, shown, scratch)
    message = re.sub(r"^static assertion failed: ?", "", error["text"]) if error else ""
    if where.startswith(shown.rstrip("/") + "/"):
        head = (f"Your code compiles on its own, but not as the check uses it ({source}): the compiler's "
                f"first error is in {where}:")
    else:
        head = (f"Your code compiles, but the check rejects it ({where or source})"
                + (f": {message}" if message else "") + "\nThe check's diagnostic, whole:")
    return head + "\n\n" + text


# ---------------------------------------------------------------------------------------------------
# Test results

@dataclasses.dataclass
class Case:
    name: str                 # Suite.Test, or Prefix/Suite.Test/Param
    result: str               # passed, failed, skipped, crashed (the program died while it ran)
    block: list = dataclasses.field(default_factory=list)  # what it printed between RUN and its end
    properties: dict = dataclasses.field(default_factory=dict)  # observed, shows, expected (XML)


RUN = re.compile(r"^\[ RUN      \] (\S+)")
END = re.compile(r"^\[ +(OK|FAILED|SKIPPED) +\] (\S+?)(?:,| \(|$)")


def gtest_cases(stdout, xml_text=None):
    """Every gtest a program ran, from its stdout (which survives a crash, unlike the XML report), with
    the properties the XML report recorded for it."""
    cases, current = [], None
    for line in stdout.splitlines():
        run = RUN.match(line)
        end = END.match(line)
        if run:
            current = Case(run.group(1), "crashed")
            cases.append(current)
        elif end and current is not None and end.group(2) == current.name:
            current.result = {"OK": "passed", "FAILED": "failed", "SKIPPED": "skipped"}[end.group(1)]
            current = None
        elif current is not None:
            current.block.append(line)
    properties = xml_properties(xml_text) if xml_text else {}
    for case in cases:
        case.properties = properties.get(case.name, {})
    return cases


def xml_properties(xml_text):
    try:
        root = ElementTree.fromstring(xml_text)
    except ElementTree.ParseError:
        return {}
    found = {}
    for testcase in root.iter("testcase"):
        name = f"{testcase.get('classname')}.{testcase.get('name')}"
        found[name] = {p.get("name"): p.get("value") or "" for p in testcase.iter("property")}
    return found


def signal_name(returncode):
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def no_figure_reason(case_block, ended):
    """Why a failed gtest measured nothing, in words, from what it printed; `ended` says how its program
    ended when it did not finish the test (a crash, a timeout)."""
    text = "\n".join(case_block)
    if ended:
        return ended
    if re.search(r"(exited|killed|crashed).*(signal|SIG[A-Z]+)|SIG(SEGV|ABRT|BUS|FPE|ILL|KILL)", text):
        return "the server crashed before the requests were answered (see its signal below)"
    if re.search(r"ConnectionReset|ConnectionRefused|Connection reset|Connection refused|connect failed", text):
        return "the server reset or refused the connections, so there was no answer to time"
    if re.search(r"panicked at", text):
        return "a panic ended the server or its worker first (below)"
    if re.search(r"timed out|TimedOut|WouldBlock|Resource temporarily unavailable", text):
        return "an answer never came within the test's wait"
    return "the test stopped at the first check below, before its measurement"


def cut(lines, where):
    if len(lines) <= BLOCK_LINES:
        return lines
    return lines[:BLOCK_LINES] + [f"({len(lines) - BLOCK_LINES} more lines: {where})"]


def case_headline(case, words):
    """A failed case's line when test_view gave none: its figure, or its name in words."""
    observed = case.properties.get("observed")
    expected = case.properties.get("expected")
    if observed:
        return f"✗ {observed}" + (f" — expected {expected}" if expected else "")
    return f"✗ {words(case.name.split('.', 1)[-1].split('/')[0])}"


def failure_section(case, headline, extra, ended, where):
    """One failed gtest, whole: its headline, why no figure was measured (if none was), its block (what it
    printed between RUN and FAILED), and any line test_view added that the block lacks."""
    lines = ["  " + headline.strip()]
    said_nothing_measured = re.search(r"no figure|nothing (was )?measured|not measured", headline, re.I)
    if not case.properties.get("observed") and not said_nothing_measured:
        lines.append("      no figure was measured: " + no_figure_reason(case.block, ended))
    elif ended:
        lines.append("      " + ended)
    block = [line.rstrip() for line in case.block if line.strip()]
    lines += ["      " + line for line in cut(block, where)]
    shown = {line.strip() for line in block}
    lines += ["      " + line.strip() for line in extra if line.strip() and line.strip() not in shown]
    return lines


def missing_lines(failures, rows):
    """`Missing:` lines for the failing tests' names: each row (PATTERN, SENTENCE) whose pattern matches a
    failure says its sentence once, in the file's order; a failure no row matches is named."""
    said = []
    for pattern, sentence in rows:
        if any(fnmatch.fnmatchcase(name, pattern) for name in failures) and sentence not in said:
            said.append(sentence)
    unmatched = [name for name in dict.fromkeys(failures)
                 if not any(fnmatch.fnmatchcase(name, pattern) for pattern, _ in rows)]
    return ([f"Missing: {sentence}" for sentence in said]
            + [f"Missing: (no sentence for this check: {name})" for name in unmatched])


def normalised(text):
    return " ".join(text.split())


def says(report, must_say):
    """Whether a report says MUST_SAY (whitespace and case aside: reports wrap and capitalise)."""
    return normalised(must_say).lower() in normalised(report).lower()


# ---------------------------------------------------------------------------------------------------
# Hints

def code_lines(source_text):
    """The non-trivial lines of a source file, normalised: whitespace collapsed, 12 characters or more,
    neither a comment nor braces and punctuation alone."""
    found = []
    for line in source_text.splitlines():
        line = normalised(line)
        if len(line) < 12 or line.startswith(("//", "/*", "*")) or not re.search(r"\w", line):
            continue
        found.append(line)
    return found


def hint_sections(hints_text):
    """{number: text} of the `## Hint N` sections, and the headings that are not `## Hint N`."""
    sections, others = {}, []
    for part in re.split(r"^(?=## )", hints_text, flags=re.M):
        heading = re.match(r"## Hint (\d+)\s*$", part.splitlines()[0]) if part.startswith("## ") else None
        if heading:
            sections[int(heading.group(1))] = part
        elif part.startswith("## "):
            others.append(part.splitlines()[0])
    return sections, others


def answer_lines_in_hint(hint_text, answer_lines):
    """The lines of the answer (the solution's code lines that its start lacks) that a hint quotes."""
    hint = normalised(hint_text)
    return [line for line in dict.fromkeys(answer_lines) if line in hint]
