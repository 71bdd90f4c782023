"""The blind set: texts written by someone who never saw the rules, kept out of the corpus.

Not a target to tune to (that would make it one more development set) but a regression guard and
an honest report: run with ``-s`` to print per-code precision and recall.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from sagwa.messagecheck import check_message

BLIND = Path(__file__).parents[2] / "data" / "messages" / "heldout7.jsonl"


def _score() -> tuple[dict[str, tuple[float, float]], float, float]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for line in BLIND.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found = {f.code for f in check_message(row["text"], kind=row["kind"], lang=row["lang"])
                 .findings if f.severity == "error"}
        expected = set(row["expected"])
        tp.update(found & expected)
        fp.update(found - expected)
        fn.update(expected - found)
    per_code = {c: (tp[c] / ((tp[c] + fp[c]) or 1), tp[c] / ((tp[c] + fn[c]) or 1))
                for c in sorted(set(tp) | set(fp) | set(fn))}
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    return per_code, t / (t + f), t / (t + n)


def test_blind_set_precision_and_recall_do_not_regress() -> None:
    per_code, precision, recall = _score()
    for code, (p, r) in per_code.items():
        print(f"blind {code:22s} P={p:.2f} R={r:.2f}")
    print(f"blind micro-average P={precision:.3f} R={recall:.3f}")
    # heldout7, measured blind: 0.873 / 0.908 with the heldout5-round rules, 0.885 / 0.908 with
    # the heldout6-round rules (2026-12-01); fail if a change makes it worse.
    assert precision >= 0.88 and recall >= 0.90
