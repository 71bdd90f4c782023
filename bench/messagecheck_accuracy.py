"""How often the message check raises exactly the findings a careful reviewer would.

Scores the labelled corpus (``tests/data/messages/corpus.jsonl``: per split and as a whole) and
the blind set that is kept out of it (``heldout7.jsonl``): per error code precision, recall and
support, a micro-average over all codes, and how many texts get exactly the expected findings.
Warnings are not labelled and not scored; nor are error codes the labels do not know yet
(``refund-timing``, added after the corpus was labelled): each group's ``unlabelled`` counts
the texts that get one, by code. Prints the tables and writes
``bench/results/messagecheck_accuracy.json`` (or ``--out``).

    .venv/bin/python bench/messagecheck_accuracy.py
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from sagwa.messagecheck import check_message

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "messages"
CORPUS = DATA / "corpus.jsonl"
BLIND = DATA / "heldout7.jsonl"
RESULT = ROOT / "bench" / "results" / "messagecheck_accuracy.json"
CODES = (
    "missing-apology", "missing-explanation", "missing-options", "missing-contact",
    "missing-deadline", "missing-prevention", "threat", "blame-shift", "fait-accompli",
)


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def score(items: list[dict[str, object]]) -> dict[str, object]:
    """Per-code and micro-averaged precision/recall of ``items``, and exact-match count."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    unlabelled: Counter[str] = Counter()
    exact = 0
    for item in items:
        result = check_message(str(item["text"]), kind=str(item["kind"]), lang=str(item["lang"]))
        errors = {f.code for f in result.findings if f.severity == "error"}
        got = errors & set(CODES)
        unlabelled.update(errors - got)
        expected = set(item["expected"])  # type: ignore[call-overload]
        tp.update(got & expected)
        fp.update(got - expected)
        fn.update(expected - got)
        exact += got == expected
    per_code = {c: _pr(tp[c], fp[c], fn[c]) for c in CODES}
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return {"texts": len(items), "exact": exact, "micro": _pr(t, f, n), "codes": per_code,
            "unlabelled": dict(sorted(unlabelled.items()))}


def _pr(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    return {
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
        "support": tp + fn, "tp": tp, "fp": fp, "fn": fn,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULT)
    args = parser.parse_args()
    corpus = load(CORPUS)
    groups = {"corpus": corpus}
    for split in sorted({str(i["split"]) for i in corpus}):
        groups[split] = [i for i in corpus if i["split"] == split]
    groups["heldout7 (blind)"] = load(BLIND)
    report = {"benchmark": "messagecheck_accuracy",
              "groups": {name: score(items) for name, items in groups.items()}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_report(report["groups"])  # type: ignore[arg-type]
    print(f"wrote {args.out}")


def print_report(groups: dict[str, dict[str, object]]) -> None:
    print(f"{'group':18} {'texts':>5} {'exact':>5} {'micro P':>8} {'micro R':>8}")
    for name, g in groups.items():
        micro = g["micro"]
        print(f"{name:18} {g['texts']:5} {g['exact']:5} {micro['precision']:8.3f}"  # type: ignore[index]
              f" {micro['recall']:8.3f}")  # type: ignore[index]
    shown = [n for n in groups if n in ("corpus", "review", "heldout7 (blind)")]
    print("\nper code, P / R (support): " + " | ".join(shown))
    for code in CODES:
        cells = []
        for name in shown:
            c = groups[name]["codes"][code]  # type: ignore[index]
            cells.append(f"{c['precision']:.3f} / {c['recall']:.3f} ({c['support']:3d})")
        print(f"{code:20} " + " | ".join(cells))


if __name__ == "__main__":
    main()
