"""Collects a real model's raw replies to every kind of edit k2lsp asks for: runs each `k2lsp` command of RUNS in a
fresh copy of the sample workspace, with K2_LOCAL_BASE_URL pointing at recording_proxy.py, and writes
OUT/runs/ID.json (the command, its exit status and stderr, and the chat completions it made) and OUT/draft.corpus
(one reply-corpus case per run, every expectation a refusal until someone reads the reply and decides).
Standard library only.  Usage: collect_replies.py K2LSP_BINARY RECORD.jsonl OUT_DIR [RUN_ID...]"""
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

SAMPLE_FILES = {
    'Strings.swift': """\
func greet(_ name: String) -> String {
    return "Hello, " + name
}

func shout(_ text: String) -> String {
    return text.uppercased() + "!"
}
""",
    'buggy.py': """\
def last_item(items):
    return items[len(items)]


def is_even(n):
    return n % 2 == 1
""",
    'counter.js': """\
function countWords(text) {
  const words = text.split(" ");
  return words.length;
}

function capitalize(word) {
  return word[0].toUpperCase() + word.slice(1);
}

module.exports = { countWords, capitalize };
""",
    'geometry.py': """\
import math


class Circle:
    def __init__(self, radius):
        self.radius = radius

    def area(self):
        return 3.14 * self.radius * self.radius


class Square:
    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side * self.side
""",
    'stats.py': """\
def mean(values):
    total = sum(values)
    return total / len(values)


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle]


def spread(values):
    return max(values) - min(values)
""",
}

# id, then the k2lsp arguments (the workspace is added): selection edits, whole-file edits, each --kind, edits at a
# cursor (an empty --range, which asks for SEARCH/REPLACE blocks) and the agent.
RUNS = """\
sel-mean-empty	edit stats.py --lines 1-3 -m "Return 0 when values is empty."
sel-median-even	edit stats.py --lines 6-9 -m "For an even number of values, return the average of the two middle values."
sel-spread-doc	edit stats.py --lines 12-13 -m "Add a docstring."
sel-circle-pi	edit geometry.py --lines 8-9 -m "Use math.pi instead of 3.14."
sel-square-perimeter	edit geometry.py --lines 16-17 -m "Add a perimeter method after area."
sel-js-filter	edit counter.js --lines 1-4 -m "Ignore empty strings when counting words."
sel-js-capitalize-empty	edit counter.js --lines 6-8 -m "Return an empty string for an empty word."
sel-swift-greet	edit Strings.swift --lines 1-3 -m "Use string interpolation."
sel-swift-shout-doc	edit Strings.swift --lines 5-7 -m "Add a /// doc comment."
sel-one-line-rename	edit stats.py --lines 2 -m "Rename total to sum_of_values."
sel-range-token	edit geometry.py --range 9:16-9:20 -m "Replace with math.pi"
whole-stats-hints	edit stats.py -m "Add type hints to every function."
whole-geometry-repr	edit geometry.py -m "Add a __repr__ to both classes."
whole-counter-arrow	edit counter.js -m "Turn both functions into arrow functions."
whole-strings-doc	edit Strings.swift --kind document
whole-buggy-fix	edit buggy.py --kind fix -m "Fix the off-by-one error in last_item and the wrong parity check in is_even."
whole-refactor-stats	edit stats.py --kind refactor
tests-stats	edit stats.py --kind tests
tests-counter	edit counter.js --kind tests
tests-strings	edit Strings.swift --kind tests
cursor-stats-variance	edit stats.py --range 14:1-14:1 -m "Add a variance function at the end of the file."
cursor-geometry-triangle	edit geometry.py --range 18:1-18:1 -m "Add a Triangle class with base and height and an area method."
cursor-counter-doc	edit counter.js --kind document --range 1:1-1:1
cursor-buggy-fix	edit buggy.py --kind fix --range 2:1-2:1 -m "items[len(items)] raises IndexError; fix it."
cursor-js-reverse	edit counter.js --range 9:1-9:1 -m "Add a function reverseWords(text) and export it."
sel-buggy-fix	edit buggy.py --kind fix --lines 5-6 -m "is_even returns the wrong answer."
sel-geometry-doc	edit geometry.py --kind document --lines 4-9
sel-stats-refactor	edit stats.py --kind refactor --lines 6-9
agent-rename	agent -m "Rename the function mean to average in stats.py."
agent-add-file	agent -m "Create a file hello.py that prints hello world."
sel-greet-exclaim	edit Strings.swift --lines 2 -m "Add an exclamation mark at the end of the greeting."
sel-js-split	edit counter.js --lines 2 -m "Split on any whitespace with /\\s+/."
sel-py-return	edit buggy.py --lines 2 -m "Return items[-1]."
sel-py-parity	edit buggy.py --lines 6 -m "Use == 0 instead of == 1."
sel-square-rename	edit geometry.py --lines 13-14 -m "Rename side to length."
sel-token-total	edit stats.py --range 2:5-2:10 -m "Rename to s."
sel-median-doc	edit stats.py --kind document --lines 6-9
sel-js-refactor	edit counter.js --kind refactor --lines 6-8
whole-buggy-doc	edit buggy.py --kind document
whole-strings-edit	edit Strings.swift -m "Make both functions public."
whole-counter-fix	edit counter.js --kind fix -m "capitalize crashes on an empty string."
tests-geometry	edit geometry.py --kind tests
tests-buggy	edit buggy.py --kind tests -m "Write pytest tests for last_item and is_even in test_buggy.py."
cursor-strings-add	edit Strings.swift --range 8:1-8:1 -m "Add a function whisper that lowercases the text."
cursor-stats-import	edit stats.py --range 1:1-1:1 -m "Add 'import math' at the top."
cursor-buggy-doc	edit buggy.py --kind document --range 5:1-5:1
cursor-geometry-fix	edit geometry.py --kind fix --range 9:1-9:1 -m "Use math.pi in Circle.area."
agent-doc	agent -m "Add a docstring to mean in stats.py."
token-radius	edit geometry.py --range 6:14-6:20 -m "Rename radius to r."
token-split	edit counter.js --range 2:28-2:31 -m "Use a tab instead of a space."
token-uppercased	edit Strings.swift --range 6:17-6:28 -m "Use lowercased() instead."
line-mean	edit stats.py --lines 3 -m "Use round(total / len(values), 2)."
line-js-length	edit counter.js --lines 3 -m "Return words.length * 2."
line-swift-return	edit Strings.swift --lines 6 -m "Return the text unchanged."
whole-buggy-edit	edit buggy.py -m "Rename last_item to final_item."
cursor-js-sum	edit counter.js --range 5:1-5:1 -m "Add a function sum(a, b) that returns a + b."
tests-stats-file	edit stats.py --kind tests -m "Create test_stats.py with one pytest test for mean."
agent-read	agent -m "Read stats.py and add a function mode(values)."
"""


def marked(text, arguments):
    """The file with the run's selection between two `$0` (one `$0` for a cursor), as corpus files mark it."""
    starts = [0]
    for line in text.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    if "--lines" in arguments:
        first, _, last = arguments[arguments.index("--lines") + 1].partition("-")
        first, last = int(first), int(last or first)
        start, end = starts[first - 1], starts[last] if last < len(starts) else len(text)
    elif "--range" in arguments:
        (line1, column1), (line2, column2) = [
            map(int, point.split(":")) for point in arguments[arguments.index("--range") + 1].split("-")]
        start, end = starts[line1 - 1] + column1 - 1, starts[line2 - 1] + column2 - 1
    else:
        start, end = 0, len(text)
    if start == end:
        return text[:start] + "$0" + text[start:]
    return text[:start] + "$0" + text[start:end] + "$0" + text[end:]


def corpus_case(run):
    """A draft case: the request's file (and any sample file a reply names), every reply, a refusal expected."""
    arguments = shlex.split(run["args"])
    if arguments[0] != "edit" or not run["turns"]:
        return None
    path = arguments[1]
    kind = arguments[arguments.index("--kind") + 1] if "--kind" in arguments else "edit"
    reported = " ".join(line[len("k2lsp: "):] for line in run["stderr"].splitlines() if line.startswith("k2lsp: "))
    reported = reported or ("an edit (printed as a diff)" if run["exit"] == 0 and run["stdout"] else "no change")
    lines = ["%%%% case: real model " + run["id"], "%%%% note: k2lsp " + run["args"],
             "%%%% note: finish " + ", ".join(t["finish_reason"] or "?" for t in run["turns"])
             + "; k2lsp reported: " + re.sub(r"\s+", " ", reported)[:300]]
    if kind == "tests":
        lines.append("%%%% format: search-replace")
    if kind != "edit":
        lines.append("%%%% kind: " + kind)
    lines += ["%%%% file: " + path, marked(SAMPLE_FILES[path], arguments).rstrip("\n")]
    replies = "\n".join(turn["content"] for turn in run["turns"])
    for other in sorted(SAMPLE_FILES):
        if other != path and other in replies:
            lines += ["%%%% file: " + other, SAMPLE_FILES[other].rstrip("\n")]
    for turn in run["turns"]:
        lines += ["%%%% reply", turn["content"].rstrip("\n") if turn["content"].strip() else ""]
        for call in turn["tool_calls"]:
            lines.append("%%%% tool: " + call["name"] + " " + " ".join(call["arguments"].split("\n")))
    lines.append("%%%% expect: refusal")
    return "\n".join(lines)


def main():
    binary, record, out = sys.argv[1], sys.argv[2], sys.argv[3]
    only = set(sys.argv[4:])
    os.makedirs(os.path.join(out, "runs"), exist_ok=True)
    workspace = os.path.join(out, "workspace")
    cases = []
    for line in RUNS.splitlines():
        run_id, arguments = line.split("\t")
        if only and run_id not in only:
            continue
        shutil.rmtree(workspace, ignore_errors=True)
        os.makedirs(workspace)
        for name, text in SAMPLE_FILES.items():
            with open(os.path.join(workspace, name), "w") as file:
                file.write(text)
        before = sum(1 for _ in open(record)) if os.path.exists(record) else 0
        process = subprocess.run([binary] + shlex.split(arguments) + ["--workspace", workspace], cwd=workspace,
                                 capture_output=True, text=True, timeout=1800)
        turns = [json.loads(entry) for entry in open(record).read().splitlines()[before:]] if os.path.exists(record) else []
        run = {"id": run_id, "args": arguments, "exit": process.returncode, "stdout": process.stdout,
               "stderr": process.stderr, "turns": turns}
        with open(os.path.join(out, "runs", run_id + ".json"), "w") as file:
            json.dump(run, file, indent=1)
        outcome = next((l for l in process.stderr.splitlines() if l.startswith("k2lsp: ")), None)
        print("  %-24s exit %d, %d replies%s" % (run_id, process.returncode, len(turns),
                                                  ", " + outcome[:110] if outcome else ""), flush=True)
        if (case := corpus_case(run)) is not None:
            cases.append(case)
    shutil.rmtree(workspace, ignore_errors=True)
    with open(os.path.join(out, "draft.corpus"), "w") as file:
        file.write("\n\n".join(cases) + "\n")
    print("%d runs; %d draft corpus cases in %s" % (len(RUNS.splitlines()) if not only else len(only), len(cases),
                                                    os.path.join(out, "draft.corpus")))


if __name__ == "__main__":
    main()
