"""A key's filters (`| grep`, `| head`, `| tail`, `| any order`, `| any numbers`) and the normalisation
applied to the page's quote and to the fresh output before they are compared (docs/regenerate.py's header)."""
import re

from .core import DocsError


def split_key(key):
    """'run 21-20 / | grep Worker | any order' -> ('run 21-20 /', [('grep', 'Worker')], any_order)."""
    parts = [part.strip() for part in key.split(" | ")]
    base, filters, any_order = parts[0], [], False
    for part in parts[1:]:
        name, _, argument = part.partition(" ")
        if part == "any order":
            any_order = True
        elif part == "any numbers":
            any_order = ANY_NUMBERS
        elif name in ("grep", "head", "tail") and argument:
            if name in ("head", "tail") and not argument.isdigit():
                raise DocsError(f"`{name}` takes a number of lines, not {argument!r}")
            filters.append((name, argument))
        else:
            raise DocsError(f"unknown filter {part!r} (grep REGEX, head N, tail N, any order)")
    return base, filters, any_order


def apply_filters(text, filters):
    lines = text.splitlines()
    for name, argument in filters:
        if name == "grep":
            lines = [line for line in lines if re.search(argument, line)]
        elif name == "head":
            lines = lines[:int(argument)]
        elif name == "tail":
            lines = lines[-int(argument):] if int(argument) else []
    return "\n".join(lines) + "\n" if lines else ""


NORMALISATION = [
    (re.compile(r"\b([Ww]orker) \d+"), r"\1 <id>"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
    (re.compile(r"^(thread '[^']*') \(\d+\) panicked at "), r"\1 (<tid>) panicked at "),
    (re.compile(r"0x[0-9a-fA-F]+"), "0x<addr>"),
    (re.compile(r"==\d+=="), "==<pid>=="),
    (re.compile(r"\bT\d+\b"), "T<n>"),
    (re.compile(r"\bM\d+\b"), "M<n>"),
    (re.compile(r"^(\s*)#\d+ "), r"\1#<n> "),
]


# `| any numbers` (passed where `any order` goes): the words of a measurement, not its values.
ANY_NUMBERS = "any numbers"
MEASUREMENT = [
    (re.compile(r"#+"), "<bar>"),
    (re.compile(r"\d+(?:\.\d+)?"), "<n>"),
]


def normalise(text, any_order):
    lines = [line.rstrip() for line in text.splitlines()]
    for pattern, replacement in NORMALISATION:
        lines = [pattern.sub(replacement, line) for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    if any_order == ANY_NUMBERS:
        # Numbers of another width wrap a paragraph elsewhere and shift columns: compare the words.
        words = " ".join(lines)
        for pattern, replacement in MEASUREMENT:
            words = pattern.sub(replacement, words)
        return words.split()
    return sorted(lines) if any_order else lines
