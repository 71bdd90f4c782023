"""Does more evidence close the price guard's recall gap? Candidate features, tune vs held out.

    .venv/bin/python bench/guard_evidence_study.py [--data /work/shared/data/guard-dev] [--out JSON]

Replays the dev set exactly as ``bench/guard_accuracy.py`` does (same streamed state, no
lookahead) and, just before each chunk is judged, reads extra evidence off the same
``EvidenceState``:

  cross-section   robust z of ln(new) and of ln(old) against the *other* sellers' latest
                  log-prices: (x - median) / max(IQR / 1.349, floor), from ``min_peers`` sellers
  volatility      the listing's usual move (median |Δ ln price| over its recent prices) and the
                  proposed move in units of it; "seen before": the new price is one of the
                  listing's recent prices, or another seller's current price
  digits          the new price is the old one with one digit changed, two adjacent digits
                  swapped, a digit dropped or inserted (in minor units)
  seller          the seller's share of earlier changes that the guard held (no labels used)

For each candidate it fits a small logistic combination of ln(1 + z_guard) and the feature on
the tuning weeks and reports recall at a false-hold rate ≤ 0.5% (R@0.5%) on tune and on the
held-out weeks, beside the guard alone; then every feature at once (logistic) and a supervised
gradient-boosting model on all of them (a ceiling gauge, not a candidate). Writes
bench/results/guard_evidence_study.json (or ``--out``).

It wraps the batch runner's private per-chunk step to observe the state; it changes nothing.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from dev_set import data_and_out, read_dev_set  # bench/ is on the path: run as a script

from sagwa.priceguard import EvidenceState, load_rules
from sagwa.services import guard_batch
from sagwa.services.guard_batch_judge import Answers
from sagwa.services.guard_metrics import labelled_frame, recall_at_false_hold

RESULTS = Path(__file__).parent / "results"
SCALE_FLOOR = 0.10
MIN_PEERS = 5
VOL_FLOOR = 0.05


def cross_section(state: EvidenceState, lidx: np.ndarray, pidx: np.ndarray) -> pl.DataFrame:
    """Median, quartiles and count of the other sellers' latest log-prices, per change."""
    known = np.flatnonzero(~np.isnan(state.latest) & (state.product >= 0))
    latest = pl.DataFrame(
        {"peer": known, "p": state.product[known], "lp": np.log(state.latest[known])}
    )
    want = pl.DataFrame({"l": lidx, "p": pidx}).with_row_index("r")
    stats = (
        want.join(latest, on="p", how="inner")
        .filter(pl.col("peer") != pl.col("l"))
        .group_by("r")
        .agg(
            pmed=pl.col("lp").median(),
            pq1=pl.col("lp").quantile(0.25, "linear"),
            pq3=pl.col("lp").quantile(0.75, "linear"),
            pn=pl.len(),
            peer_prices=pl.col("lp"),
        )
    )
    return want.join(stats, on="r", how="left").sort("r")


def listing_history(state: EvidenceState, lidx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each listing's recent prices in time order (NaN-padded) and its median |Δ ln price|."""
    w = state.window
    count = state.count[lidx]
    start = np.where(count >= w, count % w, 0)
    order = (start[:, None] + np.arange(w)[None, :]) % w
    chron = np.take_along_axis(state.recent[lidx], order, axis=1)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        vol = np.nanmedian(np.abs(np.diff(np.log(chron), axis=1)), axis=1)
    return chron, vol


def observing(frames: list[pl.DataFrame], ordered: pl.DataFrame) -> Callable[..., Any]:
    """Wraps the batch's ``Answers.judge_chunk`` to read more off the state before each chunk
    (run with ``ONE_AT_A_TIME`` at 0, so every chunk goes through it); ``ordered``:
    ``change_id, seller_id`` of the changes in the order the batch walks them."""
    judge = Answers.judge_chunk

    def observe(answers: Answers, start: int, end: int, state: EvidenceState,
                *rest: Any) -> Any:
        rows = answers._rows
        lidx, pidx = rows.lidx[start:end], rows.pidx[start:end]
        new = rows.prices["new_price_minor"][start:end]
        chunk = ordered.slice(start, end - start)
        cs = cross_section(state, lidx, pidx)
        chron, vol = listing_history(state, lidx)
        seen_listing = np.any(chron == new[:, None], axis=1)
        log_new = np.log(np.maximum(new, 0.5))
        seen_peer = np.array(
            [
                p is not None and bool(np.any(np.abs(np.asarray(p) - x) < 1e-9))
                for p, x in zip(cs["peer_prices"].to_list(), log_new, strict=True)
            ]
        )
        frames.append(
            cs.drop("r", "l", "p", "peer_prices").with_columns(
                change_id=chunk["change_id"],
                seller_id=chunk["seller_id"],
                vol=vol,
                seen_listing=seen_listing,
                seen_peer=seen_peer,
            )
        )
        return judge(answers, start, end, state, *rest)

    return observe


def digit_relation(old: int, new: int) -> str:
    """How ``new`` differs from ``old`` as digit strings (minor units)."""
    a, b = str(old), str(new)
    if a == b:
        return "same"
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return "one_digit_leading" if diff[0] == 0 else "one_digit"
        i = diff[0]
        if len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]:
            return "adjacent_swap"
    if len(b) == len(a) - 1 and any(a[:i] + a[i + 1 :] == b for i in range(len(a))):
        return "digit_dropped"
    if len(b) == len(a) + 1 and any(b[:i] + b[i + 1 :] == a for i in range(len(b))):
        return "digit_inserted"
    return "other"


def feature_table(
    ev: pl.DataFrame, scale_floor: float = SCALE_FLOOR, min_peers: int = MIN_PEERS
) -> dict[str, np.ndarray]:
    def f(name: str) -> np.ndarray:
        return ev[name].cast(pl.Float64).fill_null(np.nan).to_numpy()

    new, old = np.log(np.maximum(f("new_price_minor"), 0.5)), np.log(f("old_price_minor"))
    enough = f("pn") >= min_peers
    scale = np.maximum((f("pq3") - f("pq1")) / 1.349, scale_floor)
    z_new = np.where(enough, np.abs(new - f("pmed")) / scale, 0.0)
    z_old = np.where(enough, np.abs(old - f("pmed")) / scale, 0.0)
    move = np.abs(new - old)
    score = f("score")
    return {
        "guard": np.log1p(score / (1.0 - score)),
        "xs_z_new": np.minimum(np.nan_to_num(z_new), 10.0),
        "xs_z_old": np.minimum(np.nan_to_num(z_old), 10.0),
        "xs_z_gain": np.clip(np.nan_to_num(z_new - z_old), -10.0, 10.0),
        "vol_moves": np.log1p(
            np.minimum(np.nan_to_num(move / np.maximum(f("vol"), VOL_FLOOR)), 50)
        ),
        "seen_listing": f("seen_listing"),
        "seen_peer": f("seen_peer"),
        "digit_edit": ev["digit"]
        .is_in(["one_digit", "adjacent_swap", "digit_dropped", "digit_inserted"])
        .cast(pl.Float64)
        .to_numpy(),
        "seller_hold_rate": np.log(f("seller_rate")),
    }


CANDIDATES = {
    "guard alone": [],
    "cross-section z(new)": ["xs_z_new"],
    "cross-section z(new), z(old)": ["xs_z_new", "xs_z_old"],
    "cross-section z(new) - z(old)": ["xs_z_gain"],
    "move / listing volatility": ["vol_moves"],
    "seen before (listing)": ["seen_listing"],
    "seen before (other seller)": ["seen_peer"],
    "digit edit of old price": ["digit_edit"],
    "seller's earlier hold rate": ["seller_hold_rate"],
}


def study(ev: pl.DataFrame) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression

    feats = feature_table(ev)
    y = ev["is_error"].to_numpy()
    tune = ev["split"].to_numpy() == "tune"

    def r05(s: np.ndarray, part: np.ndarray) -> float:
        return round(recall_at_false_hold(s[part], y[part], 0.005), 4)

    def fixed(s: np.ndarray) -> dict[str, float]:
        """Threshold set on tune (FHR ≤ 0.5% there), applied unchanged to the held-out weeks."""
        legit = np.sort(s[tune & (y == 0)])[::-1]
        cut = legit[int(0.005 * legit.size)]
        hold = s > cut
        out = ~tune
        return {
            "held_out_recall": round(float(hold[out & (y == 1)].mean()), 4),
            "held_out_fhr": round(float(hold[out & (y == 0)].mean()), 5),
        }

    rows: dict[str, Any] = {}
    everything = [k for k in feats if k != "guard"]
    for name, cols in {**CANDIDATES, "all features (logistic)": everything}.items():
        x = np.column_stack([feats[c] for c in ["guard", *cols]])
        model = LogisticRegression(max_iter=2000).fit(x[tune], y[tune])
        s = model.decision_function(x)
        rows[name] = {
            "tune": r05(s, tune),
            "held_out": r05(s, ~tune),
            **fixed(s),
            "coef": dict(zip(["guard", *cols], model.coef_[0].round(3).tolist(), strict=True)),
        }
    for floor in (0.05, 0.1, 0.2, 0.3):
        for min_peers in (3, 5, 10):
            grid = feature_table(ev, floor, min_peers)
            x = np.column_stack([grid["guard"], grid["xs_z_new"], grid["xs_z_old"]])
            model = LogisticRegression(max_iter=2000).fit(x[tune], y[tune])
            s = model.decision_function(x)
            rows[f"cross-section z(new), z(old); floor {floor}, >= {min_peers} sellers"] = {
                "tune": r05(s, tune),
                "held_out": r05(s, ~tune),
                **fixed(s),
            }
    x = np.column_stack([feats[c] for c in feats])
    gbm = HistGradientBoostingClassifier(max_iter=300, random_state=0).fit(x[tune], y[tune])
    p = gbm.predict_proba(x)[:, 1]
    rows["all features (supervised GBM, gauge)"] = {
        "tune": r05(p, tune),
        "held_out": r05(p, ~tune),
        **fixed(p),
    }
    return rows


def main() -> None:
    data, out = data_and_out(RESULTS / "guard_evidence_study.json")
    history, changes, labels = read_dev_set(data)
    frames: list[pl.DataFrame] = []
    ordered = changes.sort("proposed_at", maintain_order=True).select("change_id", "seller_id")
    original, one_at_a_time = Answers.judge_chunk, guard_batch.ONE_AT_A_TIME
    Answers.judge_chunk = observing(frames, ordered)  # type: ignore[method-assign]
    guard_batch.ONE_AT_A_TIME = 0
    try:
        run = guard_batch.run_guard(history=history, changes=changes, rules=load_rules())
    finally:
        Answers.judge_chunk = original  # type: ignore[method-assign]
        guard_batch.ONE_AT_A_TIME = one_at_a_time
    split = labelled_frame(judged=run.verdicts, changes=changes, labels=labels)
    ev = (
        run.evidence.join(pl.concat(frames), on="change_id")
        .join(split.select("change_id", "split", "is_error", "true_type"), on="change_id")
        .sort("proposed_at")
        .with_columns(held=(pl.col("verdict") == "hold").cast(pl.Float64))
        .with_columns(
            seller_rate=(pl.col("held").cum_sum().over("seller_id") - pl.col("held") + 0.5)
            / (pl.int_range(pl.len()).over("seller_id") + 20),
            digit=pl.struct("old_price_minor", "new_price_minor").map_elements(
                lambda r: digit_relation(r["old_price_minor"], r["new_price_minor"]),
                return_dtype=pl.Utf8,
            ),
        )
    )
    rows = study(ev)
    print(
        f"{'R@0.5% of: guard score + candidate, logistic fit on tune':58s} {'tune':>7s} "
        f"{'held':>7s}   held out at tune's threshold"
    )
    for name, row in rows.items():
        print(
            f"{name:58s} {row['tune']:7.4f} {row['held_out']:7.4f}   "
            f"{row['held_out_recall']:.4f} @ {row['held_out_fhr']:.3%}"
        )
    miss = (pl.col("is_error") == 1) & (pl.col("verdict") == "allow")
    digits = (
        ev.group_by("digit")
        .agg(
            legit=(pl.col("is_error") == 0).sum(),
            errors=pl.col("is_error").sum(),
            digit_typo=(pl.col("true_type") == "digit_typo").sum(),
            missed=miss.sum(),
        )
        .sort("legit", descending=True)
    )
    print(digits)
    missed = ev.filter(miss)
    log_q = (missed["new_price_minor"] / missed["old_price_minor"]).log().abs()
    profile = {
        "missed": missed.height,
        "missed_by_type": dict(missed.group_by("true_type").len().iter_rows()),
        "missed_new_equals_old": int(
            (missed["new_price_minor"] == missed["old_price_minor"]).sum()
        ),
        "missed_within_x1_5_of_old": int((log_q <= np.log(1.5)).sum()),
        "missed_seen_before": int(missed["seen_listing"].sum()),
    }
    print(profile)
    out.write_text(
        json.dumps(
            {
                "candidates": rows,
                "digit_relations": digits.to_dicts(),
                "missed_profile": profile,
                "settings": {
                    "scale_floor": SCALE_FLOOR,
                    "min_peers": MIN_PEERS,
                    "vol_floor": VOL_FLOOR,
                },
            },
            indent=2,
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
