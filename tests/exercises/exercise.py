#!/usr/bin/env python3
"""The learner's exercises (`./workbook exercise`, `hint`, `solution`).

An exercise is a row of its stage's listings.tsv with kind `exercise` (a book stage's work left to do)
or `extension` (beyond the book); its target is a folder holding the start files (with TODO(exercise)
markers), hints.md and exercise.tsv (KEY<TAB>VALUE: `replaces` the listing folder whose files the
learner's files stand in for, one `check` per Meson test that judges them, `missing` the behaviour
said in words when the check fails, and for an extension `solution` its reference folder and
`meson` a file of Meson lines that the scratch copy's top-level meson.build gets, declaring the
extension's own test).

A check never touches the main build: like the mutation audit it works on a scratch copy
(build-exercise/tree, tests/support/scratch_tree.py), puts the exercise's files over the listing's,
builds only what the check's tests need and runs them: the same tests that check the book's listing.

    exercise.py list | check ID | verify [ID...] | hint ID | reset ID | solution ID
"""
import json
import pathlib
import re
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "support"))
from scratch_tree import ROOT, ScratchTree, run  # noqa: E402

TREE = ScratchTree("build-exercise")
STATE = ROOT / "build-exercise" / "state.json"  # last check's result per exercise, hints shown
KINDS = ("exercise", "extension")


def exercises():
    found = []
    for table in sorted((ROOT / "steps").glob("*/listings.tsv")):
        for line in table.read_text().splitlines()[1:]:
            fields = line.split("\t")
            if len(fields) >= 4 and fields[2] in KINDS:
                folder = table.parent / fields[1].rstrip("/")
                conf = {"check": []}
                for entry in (folder / "exercise.tsv").read_text().splitlines():
                    if entry.strip() and not entry.startswith("#"):
                        key, value = entry.split("\t", 1)
                        conf["check"].append(value) if key == "check" else conf.__setitem__(key, value)
                found.append(dict(id=fields[0].removeprefix("exercise-").removeprefix("extension-"), kind=fields[2], title=fields[3],
                                  stage=table.parent, folder=folder, conf=conf))
    return found


def find(exercise_id):
    for e in exercises():
        if exercise_id in (e["id"], f"{e['kind']}-{e['id']}", e["folder"].name):
            return e
    sys.exit(f"workbook: no exercise '{exercise_id}' (./workbook exercise lists them)")


def load_state():
    return json.loads(STATE.read_text()) if STATE.exists() else {"results": {}, "hints": {}}


def save_state(state):
    STATE.parent.mkdir(exist_ok=True)
    STATE.write_text(json.dumps(state, indent=1))


def rel(path):
    return str(path.relative_to(ROOT))


def sources(folder):
    return sorted(p for p in folder.iterdir() if p.suffix in (".cpp", ".hpp"))


def fingerprint(folder):
    return "\n".join(p.name + ":" + p.read_text() for p in sources(folder))


def untouched(e):
    done = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", rel(e["folder"])])
    return done.returncode == 0 and done.stdout.strip() == ""


def start_files(e):
    """The start as committed (git), so that --verify judges the untouched start even after edits."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="exercise-start-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD", rel(e["folder"])], stdout=subprocess.PIPE)
    if archive.returncode != 0:
        return e["folder"]
    subprocess.run(["tar", "-x", "-C", str(scratch)], input=archive.stdout, check=True)
    return scratch / rel(e["folder"])


def first_error(log):
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if re.search(r"\berror\b", line) and not line.startswith(("FAILED", "ninja")):
            return "\n".join(line for line in lines[max(0, i - 1):i + 6] if not line.startswith("ninja:"))
    return "\n".join(lines[-15:])


def check(e, files_from):
    """Builds the scratch copy with files_from's sources in place of the listing's, runs the check.
    Returns (passed, report)."""
    listing = pathlib.Path(rel(e["stage"])) / e["conf"]["replaces"]
    # A listing file the exercise lacks is emptied, not left there as the answer.
    overrides = {listing / path.name: "" for path in sources(ROOT / listing)}
    overrides.update({listing / path.name: path.read_text() for path in sources(files_from)})
    if "meson" in e["conf"]:
        overrides[pathlib.Path("meson.build")] = ((ROOT / "meson.build").read_text() + "\n"
                                                  + (ROOT / e["conf"]["meson"]).read_text())
    TREE.sync(overrides)
    TREE.configure("exercise")
    tests = []
    for name in e["conf"]["check"]:
        found, _ = TREE.tests_of(name)
        if not found:
            sys.exit(f"exercise: {e['id']}: no Meson test named {name!r}")
        tests += found
    built, log = TREE.build(TREE.targets_for(tests))
    if not built:
        # The compiler names the listing's path in the scratch copy; the learner's file is the exercise's.
        error = first_error(log).replace("../" + str(listing) + "/", str(files_from.relative_to(ROOT) if files_from.is_relative_to(ROOT) else listing) + "/")
        return False, "It does not compile yet. The compiler's first error (follow the compiler):\n\n" + error
    done = run(["meson", "test", "-C", str(TREE.build_dir), "--no-rebuild", "--print-errorlogs"] + e["conf"]["check"])
    if done.returncode == 0:
        return True, "Passed: " + ", ".join(e["conf"]["check"])
    view = subprocess.run([sys.executable, str(ROOT / "tests/support/test_view.py"), "--build", str(TREE.build_dir)],
                          input=done.stdout, stdout=subprocess.PIPE, text=True).stdout
    observed, in_gtest = [], False  # test_view's lines: each gtest in words, a failure's first lines under it
    for line in view.splitlines():
        if line.lstrip().startswith(("✗", "✓")):
            in_gtest = True
        elif not (in_gtest and line.startswith("      ")):
            in_gtest = False
            continue
        if line.rstrip() not in observed:
            observed.append(line.rstrip())
    if not any("✗" in line for line in observed):  # not a gtest, or it recorded nothing: its own log
        observed = [line for line in done.stdout.splitlines() if line.startswith(("saw:", "expected"))] or done.stdout.splitlines()[-20:]
    return False, "What the tests saw:\n" + "\n".join(observed[:30])


def cmd_list():
    state = load_state()
    print("Exercises (./workbook exercise ID checks one; ./workbook hint ID; ./workbook solution ID):\n")
    for e in exercises():
        if untouched(e):
            status = "not started"
        else:
            last = state["results"].get(e["id"])
            status = ("not checked since your last edit" if not last or last["fingerprint"] != fingerprint(e["folder"])
                      else "passing" if last["passed"] else "failing")
        print(f"  {e['id']:<15} {e['kind']:<9} {status:<33} {e['title']}")
        print(f"  {'':<15} {rel(e['folder'])}/")
    return 0


def cmd_check(exercise_id):
    e = find(exercise_id)
    print(f"exercise {e['id']}: {e['title']}\nchecking {rel(e['folder'])}/ in place of "
          f"{rel(e['stage'])}/{e['conf']['replaces']}/ (scratch copy: build-exercise/) ...", flush=True)
    passed, report = check(e, e["folder"])
    state = load_state()
    state["results"][e["id"]] = {"passed": passed, "fingerprint": fingerprint(e["folder"])}
    save_state(state)
    print(report)
    if passed:
        print(f"\nexercise {e['id']}: PASSING. Compare with the reference: ./workbook solution {e['id']}")
        return 0
    print(f"\nexercise {e['id']}: FAILING. Missing: {e['conf']['missing']}.\n"
          f"Next hint: ./workbook hint {e['id']}")
    return 1


def solution_folder(e):
    if e["kind"] == "extension":
        return e["stage"] / e["conf"]["solution"]
    return e["stage"] / e["conf"]["replaces"]


def cmd_verify(*ids):
    """For every exercise (or those named): the untouched start fails its check, the reference solution
    passes it."""
    bad, every = [], [find(i) for i in ids] if ids else exercises()
    for e in every:
        start_passed, start_report = check(e, start_files(e))
        solution_passed, solution_report = check(e, solution_folder(e))
        ok = not start_passed and solution_passed
        print(f"exercise {e['id']:<15} start {'passes (DEFECT)' if start_passed else 'fails'}, "
              f"solution {'passes' if solution_passed else 'FAILS (DEFECT)'}", flush=True)
        if not solution_passed:
            print(solution_report)
        if not ok:
            bad.append(e["id"])
    print(f"exercise --verify: {len(every) - len(bad)} of {len(every)} honest"
          + (f"; not: {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


def cmd_hint(exercise_id):
    e = find(exercise_id)
    hints = re.split(r"^## ", (e["folder"] / "hints.md").read_text(), flags=re.M)[1:]
    state = load_state()
    shown = state["hints"].get(e["id"], 0)
    if shown >= len(hints):
        print(f"No more hints for {e['id']} (all {len(hints)} shown). The answer: ./workbook solution {e['id']}")
        return 0
    print("## " + hints[shown].strip())
    state["hints"][e["id"]] = shown + 1
    save_state(state)
    print(f"\n(hint {shown + 1} of {len(hints)}; ./workbook hint {e['id']} again for the next)")
    return 0


def cmd_reset(exercise_id):
    e = find(exercise_id)
    done = run(["git", "-C", str(ROOT), "checkout", "HEAD", "--", rel(e["folder"])])
    if done.returncode != 0:
        sys.exit("exercise: git checkout failed:\n" + done.stdout)
    state = load_state()
    state["results"].pop(e["id"], None)
    state["hints"].pop(e["id"], None)
    save_state(state)
    print(f"exercise {e['id']}: {rel(e['folder'])}/ restored to its start")
    return 0


def cmd_solution(exercise_id):
    e = find(exercise_id)
    start, answer = start_files(e), solution_folder(e)
    names = sorted({p.name for p in sources(start)} | {p.name for p in sources(answer)})
    for name in names:
        subprocess.run(["diff", "-uN", "--label", f"{rel(e['folder'])}/{name} (start)", "--label",
                        f"{rel(answer)}/{name}", str(start / name), str(answer / name)])
    return 0


def main(argv):
    commands = {"list": (cmd_list, 0), "check": (cmd_check, 1), "verify": (cmd_verify, None),
                "hint": (cmd_hint, 1), "reset": (cmd_reset, 1), "solution": (cmd_solution, 1)}
    if not argv or argv[0] not in commands or commands[argv[0]][1] not in (None, len(argv) - 1):
        sys.exit(__doc__.strip().splitlines()[-1].strip())
    function, _ = commands[argv[0]]
    return function(*argv[1:])


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `./workbook exercise | head` ends quietly
    sys.exit(main(sys.argv[1:]))
