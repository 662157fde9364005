"""`./workbook solution ID`: the reference solution as a patch on the exercise's start files, which
`git apply` and `patch -p1` accept from the workbook's root. Changes that touch only comments are left
out (they would suggest editing a file whose code needs no change), except that a `TODO(exercise)`
line always goes: the solution has done it."""
import difflib


def is_comment(line):
    text = line.strip()
    return not text or text.startswith(("//", "/*", "*"))


def comment_only(lines):
    return all(is_comment(line) and "TODO(exercise)" not in line for line in lines)


def target_text(start, solution):
    """The start with the solution's code changes and none of its comment-only ones."""
    start_lines, solution_lines = start.splitlines(keepends=True), solution.splitlines(keepends=True)
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, start_lines, solution_lines, autojunk=False).get_opcodes():
        if tag == "equal" or comment_only(start_lines[i1:i2] + solution_lines[j1:j2]):
            out += start_lines[i1:i2]
        else:
            out += solution_lines[j1:j2]
    return "".join(out)


def targets(start_files, solution_files):
    """{name: text or None (deleted)} for every file the patch changes. A file the solution lacks is
    deleted only if it holds code (the check empties it anyway); a file only the solution has is new."""
    changed = {}
    for name in sorted(set(start_files) | set(solution_files)):
        start, solution = start_files.get(name), solution_files.get(name)
        if solution is None:
            if not comment_only(start.splitlines()):
                changed[name] = None
            continue
        text = solution if start is None else target_text(start, solution)
        if text != start:
            changed[name] = text
    return changed


def unified(old, new, old_label, new_label):
    lines = list(difflib.unified_diff((old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
                                      old_label, new_label))
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def patch(folder, start_files, solution_files):
    """The patch, paths `a/FOLDER/NAME` and `b/FOLDER/NAME` (folder relative to the root)."""
    text = []
    for name, new in targets(start_files, solution_files).items():
        old = start_files.get(name)
        path = f"{folder}/{name}"
        text.append(unified(old, new, "/dev/null" if old is None else f"a/{path}",
                            "/dev/null" if new is None else f"b/{path}"))
    return "".join(text)
