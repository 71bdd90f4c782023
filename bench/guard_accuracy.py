"""Price guard accuracy on the dev set, beside three baselines measured in the same run.

    .venv/bin/python bench/guard_accuracy.py [--data /work/shared/data/guard-dev] [--out JSON]

``--data`` may be any set in the dev set's format, e.g. the unseen weeks that
``bench/guard_unseen_set.py`` builds.

Methods, all on the same streamed evidence (no lookahead):
  guard           sagwa.priceguard with the packaged rules.toml
  ratio_10x       hold when new/old >= 10 or <= 0.1
  reference_band  hold below 0.3x or above 6x the listing's recent median (current price if none)
  isolation_forest  sklearn IsolationForest on log-ratio features, fitted (unlabelled) on the
                  tuning weeks, contamination 5.5%
  gbm_supervised  a *supervised* gradient-boosting model on the same three log-ratios, trained
                  on the tuning weeks' labels: not a candidate (labels are not available in
                  production), a rough gauge of how separable these features are
Prints a table and writes bench/results/guard_accuracy.json (or ``--out``).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import polars as pl
from dev_set import data_and_out, read_dev_set  # bench/ is on the path: run as a script

from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard
from sagwa.services.guard_metrics import all_splits, labelled_frame, recall_at_false_hold

RESULTS = Path(__file__).parent / "results"


def baseline_frame(evidence: pl.DataFrame, hold: np.ndarray, score: np.ndarray) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "change_id": evidence["change_id"],
            "verdict": np.where(hold, "hold", "allow"),
            "score": score,
            "error_type": np.where(hold, "unknown", "none"),
        }
    )


def features(evidence: pl.DataFrame) -> np.ndarray:
    new = evidence["new_price_minor"].to_numpy().astype(float)
    cols = [
        evidence["old_price_minor"],
        evidence["recent_median_minor"],
        evidence["peer_median_minor"],
    ]
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.column_stack([np.log(np.maximum(new, 1) / c.to_numpy().astype(float)) for c in cols])
    return np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)


def baselines(
    evidence: pl.DataFrame, tune: np.ndarray, labels: np.ndarray
) -> dict[str, pl.DataFrame]:
    from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest

    new = evidence["new_price_minor"].to_numpy().astype(float)
    old = evidence["old_price_minor"].to_numpy().astype(float)
    med = evidence["recent_median_minor"].fill_null(np.nan).to_numpy()
    med = np.where(np.isnan(med), old, med)
    with np.errstate(divide="ignore"):
        r_old = np.log(np.maximum(new, 0.5) / old)
        r_med = np.log(np.maximum(new, 0.5) / med)
    band = np.maximum(-r_med / np.log(1 / 0.3), r_med / np.log(6.0))
    x = features(evidence)
    forest = IsolationForest(n_estimators=100, contamination=0.055, random_state=0).fit(x[tune])
    gbm = HistGradientBoostingClassifier(max_iter=200, random_state=0).fit(x[tune], labels[tune])
    p = gbm.predict_proba(x)[:, 1]
    return {
        "ratio_10x": baseline_frame(evidence, np.abs(r_old) >= np.log(10) - 1e-12, np.abs(r_old)),
        "reference_band": baseline_frame(evidence, band >= 1.0, band),
        "isolation_forest": baseline_frame(
            evidence, forest.predict(x) == -1, -forest.score_samples(x)
        ),
        "gbm_supervised": baseline_frame(evidence, p >= 0.5, p),
    }


def promotion_consistency(evidence: pl.DataFrame) -> dict[str, object]:
    """How far each change with a declared promotion lands from the price the percent gives
    (|ln(new/old) − ln(1 − pct)|), legitimate and erroneous apart: the evidence behind the
    guard's promotion check."""
    pct = evidence["promotion_pct"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    new = evidence["new_price_minor"].to_numpy().astype(float)
    old = evidence["old_price_minor"].to_numpy().astype(float)
    error = evidence["is_error"].to_numpy() == 1
    declared = (pct > 0) & (pct < 100) & (new > 0) & (old > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(np.log(new / old) - np.log1p(-pct / 100.0))
    legit, wrong = gap[declared & ~error], gap[declared & error]
    return {
        "legitimate_with_declared_promotion": int(legit.size),
        "legitimate_largest_gap": round(float(legit.max()), 4) if legit.size else None,
        "legitimate_gap_over_0_12": int((legit > 0.12).sum()),
        "errors_with_declared_promotion": int(wrong.size),
        "errors_gap_over_0_25": int((wrong > 0.25).sum()),
    }


def main() -> None:
    data, out = data_and_out(RESULTS / "guard_accuracy.json")
    history, changes, labels = read_dev_set(data)
    started = time.perf_counter()
    run = run_guard(history=history, changes=changes, rules=load_rules())
    guard_seconds = time.perf_counter() - started
    evidence = run.evidence.join(labels.select("change_id", "is_error"), on="change_id")
    base = labelled_frame(judged=run.verdicts, changes=changes, labels=labels)
    tune = (
        evidence.join(base.select("change_id", "split"), on="change_id")["split"].to_numpy()
        == "tune"
    )
    methods = {"guard": run.verdicts, **baselines(evidence, tune, evidence["is_error"].to_numpy())}
    consistency = promotion_consistency(evidence)
    report: dict[str, object] = {
        "guard_run_seconds": round(guard_seconds, 2),
        "promotion_consistency": consistency,
        "methods": {},
    }
    print(
        f"{'method':17s} {'split':9s} {'recall':>7s} {'FHR':>7s} {'FHR promo':>9s} {'≥5x':>7s} {'R@0.5%':>7s}"
    )
    for name, judged in methods.items():
        frame = labelled_frame(judged=judged, changes=changes, labels=labels)
        rows = []
        for split in all_splits(frame):
            part = frame if split.name == "all" else frame.filter(pl.col("split") == split.name)
            r05 = recall_at_false_hold(part["score"].to_numpy(), part["is_error"].to_numpy(), 0.005)
            rows.append({**asdict(split), "recall_at_0_5pct_false_holds": r05})
            print(
                f"{name:17s} {split.name:9s} {split.recall:7.4f} {split.false_hold_rate:7.3%} "
                f"{split.false_hold_rate_promotions:9.3%} {split.recall_5x:7.4f} {r05:7.4f}"
            )
        report["methods"][name] = rows  # type: ignore[index]
    print("declared promotions, |ln(new/old) - ln(1 - pct)|:", consistency)
    out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
