"""Draw and score a hand-judged sample of iacguard's findings on a real-world corpus.

    python scripts/precision_sample.py draw [--corpus ../shared/corpus] [--per-rule 4] [--seed 14] > new.tsv
    python scripts/precision_sample.py score [testdata/precision/corpus-sample.tsv] [--corpus ../shared/corpus]

`draw` scans the corpus and picks up to `--per-rule` findings of every rule that fires
(the same seed gives the same picks for the same findings), as rows to judge:
path (relative to the corpus), line, rule, resource, verdict, why. Verdicts:

- `correct`: the finding is right, and must stay reported;
- `open`: a false alarm that is still reported (it counts against precision);
- `wrong`: a false alarm that has been fixed, and must not come back.

`score` prints precision per rule and overall. The sample is stratified (a few
findings per rule), so the overall figure weights each rule's precision by its share
of the corpus's findings, as a plain average of the sample would over-count rare
rules. `tests/test_precision.py` keeps the verdicts.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "testdata" / "precision" / "corpus-sample.tsv"
CORPUS = ROOT.parent / "shared" / "corpus"
COLUMNS = ("path", "line", "rule", "resource", "verdict", "why")
VERDICTS = ("correct", "open", "wrong")


def scan(corpus: Path, paths: list[str] | None = None, select: list[str] | None = None) -> list[dict]:
    """The findings of one scan of the corpus (or of `paths` in it), unsuppressed."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [sys.executable, "-m", "iacguard", "scan", "--no-cache", "--allow-incomplete", "-f", "json", "-o", str(report)]
        if select:
            command += ["--select", ",".join(select)]
        subprocess.run([*command, "--", *(paths or ["."])], cwd=corpus, check=False, stdout=subprocess.DEVNULL)
        findings = json.loads(report.read_text())["findings"]
    return [finding for finding in findings if finding["suppression"] is None]


def read_sample(path: Path) -> list[dict]:
    with path.open(newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    for row in rows:
        if row["verdict"] not in VERDICTS:
            raise SystemExit(f"{path}: {row['path']}:{row['line']} {row['rule']}: verdict must be one of {VERDICTS}")
    return rows


def draw(corpus: Path, per_rule: int, seed: int) -> None:
    by_rule: dict[str, list[dict]] = defaultdict(list)
    for finding in scan(corpus):
        by_rule[finding["rule"]].append(finding)
    chooser = random.Random(seed)
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    for rule in sorted(by_rule):
        findings = sorted(by_rule[rule], key=lambda f: (f["path"], f["line"], f["resource"]))
        for finding in sorted(chooser.sample(findings, min(per_rule, len(findings))), key=lambda f: (f["path"], f["line"])):
            writer.writerow((finding["path"], finding["line"], rule, finding["resource"], "", ""))


def score(sample: Path, corpus: Path) -> None:
    rows = [row for row in read_sample(sample) if row["verdict"] != "wrong"]
    frequency = Counter(finding["rule"] for finding in scan(corpus))
    judged: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        judged[row["rule"]][row["verdict"]] += 1
    print("| rule | corpus findings | sampled | correct | precision |")
    print("|---|---:|---:|---:|---:|")
    weighted = total = 0.0
    for rule in sorted(judged):
        counts = judged[rule]
        sampled = counts["correct"] + counts["open"]
        precision = counts["correct"] / sampled
        print(f"| {rule} | {frequency[rule]} | {sampled} | {counts['correct']} | {precision:.0%} |")
        weighted += precision * frequency[rule]
        total += frequency[rule]
    correct = sum(counts["correct"] for counts in judged.values())
    print(f"\nSample: {correct} of {len(rows)} correct ({correct / len(rows):.1%}); "
          f"weighted by each rule's share of the corpus's findings: {weighted / total:.1%}.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("draw", "score"))
    parser.add_argument("sample", nargs="?", type=Path, default=SAMPLE)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--per-rule", type=int, default=4)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    if args.command == "draw":
        draw(args.corpus.resolve(), args.per_rule, args.seed)
    else:
        score(args.sample, args.corpus.resolve())


if __name__ == "__main__":
    main()
