"""How long one message check takes, after the first (which loads Kiwi and the rule files).

Runs every text of the labelled corpus ``ROUNDS`` times, per language and kind, and compares
the full check with a baseline measured in the same run: the analysis alone (Kiwi morphemes or
the English tokeniser, with entity recognition), so the ratio shows what the rules add.
Prints a table and writes ``bench/results/messagecheck.json``.

    .venv/bin/python bench/messagecheck_latency.py
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from sagwa.messagecheck import check_message, english, korean

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "messages" / "corpus.jsonl"
RESULT = ROOT / "bench" / "results" / "messagecheck.json"
ROUNDS = 20
BUDGET_MS = 20.0


def timed_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    items = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]
    first_ko = timed_ms(lambda: check_message(items[0]["text"], kind="resolution", lang="ko"))
    first_en = timed_ms(lambda: check_message("Sorry.", kind="notice", lang="en"))
    analysers = {"ko": korean.analyse, "en": english.analyse}
    rows = []
    for lang in ("ko", "en"):
        for kind in ("resolution", "notice"):
            texts = [i["text"] for i in items if i["lang"] == lang and i["kind"] == kind]
            full: list[float] = []
            base: list[float] = []
            for _ in range(ROUNDS):
                for text in texts:
                    base.append(timed_ms(lambda t=text, a=analysers[lang]: a(t)))
                    full.append(
                        timed_ms(lambda t=text, k=kind, g=lang: check_message(t, kind=k, lang=g))
                    )
            rows.append({
                "lang": lang, "kind": kind, "texts": len(texts), "runs": len(full),
                "mean_chars": round(statistics.mean(len(t) for t in texts)),
                "p50_ms": round(statistics.median(full), 3),
                "p95_ms": round(percentile(full, 0.95), 3),
                "max_ms": round(max(full), 3),
                "baseline_p50_ms": round(statistics.median(base), 3),
                "ratio_to_baseline": round(statistics.median(full) / statistics.median(base), 2),
                "p95_share_of_budget": round(percentile(full, 0.95) / BUDGET_MS, 3),
            })
    report = {
        "benchmark": "messagecheck_latency",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "first_call_ms": {"ko": round(first_ko, 1), "en": round(first_en, 1)},
        "budget_ms": BUDGET_MS,
        "rows": rows,
    }
    RESULT.parent.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print_table(report)


def print_table(report: dict[str, object]) -> None:
    print(f"first call (loads Kiwi + rules): {report['first_call_ms']} ms")
    header = ("lang", "kind", "texts", "chars", "p50 ms", "p95 ms", "max ms", "base p50",
              "×base", "p95/20ms")
    print("  ".join(f"{h:>9}" for h in header))
    for r in report["rows"]:  # type: ignore[attr-defined]
        cells = (r["lang"], r["kind"], r["texts"], r["mean_chars"], r["p50_ms"], r["p95_ms"],
                 r["max_ms"], r["baseline_p50_ms"], r["ratio_to_baseline"],
                 r["p95_share_of_budget"])
        print("  ".join(f"{c:>9}" for c in cells))
    print(f"wrote {RESULT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
