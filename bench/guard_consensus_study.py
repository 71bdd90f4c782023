"""Second evidence study: do other sellers' *moves* and the product's price vocabulary close the gap?

    .venv/bin/python bench/guard_consensus_study.py [--data /work/shared/data/guard-dev] [--out JSON]

The first study (``guard_evidence_study.py``) read each listing's history and the other sellers'
latest prices. Reading the misses again (2026-12-01) showed what an injected typo usually is: a
keystroke slip on the price the seller *meant*, and in this chain-store data the meant price is
often the one other stores moved to from the same old price that week (1.00 → 1.50 at twelve
stores, 1.00 → 0.50 at the thirteenth). This script replays the changes in ``proposed_at`` order
(only the base guard's *allowed* changes go live; no lookahead) and, per change, reads:

  move consensus   among other sellers of the product who moved *from the same old price* in the
                   last 7 days, the price most of them moved to (Y) and how many did
  keystroke        the new price is one keystroke from Y: a digit changed, two adjacent digits
                   swapped, a digit dropped or inserted (in minor units)
  novelty          no other seller currently charges the new price, the listing has not had it
                   among its last 8 prices, and the product has never been seen at it
  placeholder      the new price is exactly 1.00 (a stand-in value) and novel as above, on a
                   product seen at least 100 times

Candidates are *rules* added to the guard (hold when the guard holds or the rule fires), with the
guard's own threshold re-chosen on the tuning weeks so the false-hold rate there stays ≤ 0.5%,
then applied unchanged to the held-out weeks. Last, a supervised gradient-boosting model on the
guard score and every feature here (a ceiling gauge, not a candidate). Writes
bench/results/guard_consensus_study.json (or ``--out``).
"""

from __future__ import annotations

import collections
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard
from sagwa.services.guard_metrics import labelled_frame, recall_at_false_hold

sys.path.insert(0, str(Path(__file__).parent))
from dev_set import data_and_out, read_dev_set
from guard_evidence_study import digit_relation

RESULTS = Path(__file__).parent / "results"
WINDOW = timedelta(days=7)
KEYSTROKE = {"one_digit", "one_digit_leading", "adjacent_swap", "digit_dropped", "digit_inserted"}
PLACEHOLDER_MINOR = 100
PLACEHOLDER_MIN_OBS = 100


def replay(history: pl.DataFrame, ev: pl.DataFrame) -> pl.DataFrame:
    """Per-change consensus and novelty features, computed in time order from live prices only."""
    latest: dict[str, int] = {}
    product_of: dict[str, str] = {}
    recent: dict[str, collections.deque[int]] = collections.defaultdict(
        lambda: collections.deque(maxlen=8)
    )
    at_price: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    seen: dict[str, collections.Counter[int]] = collections.defaultdict(collections.Counter)
    moves: dict[tuple[str, int], list[tuple[Any, str, int]]] = collections.defaultdict(list)

    def go_live(listing: str, product: str, price: int) -> None:
        before = latest.get(listing)
        if before is not None:
            at_price[product][before] -= 1
        latest[listing] = price
        product_of[listing] = product
        at_price[product][price] += 1
        recent[listing].append(price)
        seen[product][price] += 1

    for row in history.sort("observed_at", maintain_order=True).iter_rows(named=True):
        go_live(row["listing_id"], row["product_id"], row["price_minor"])

    out: dict[str, list[Any]] = collections.defaultdict(list)
    for row in ev.iter_rows(named=True):
        listing, product = row["listing_id"], row["product_id"]
        old, new, when = row["old_price_minor"], row["new_price_minor"], row["proposed_at"]
        key = (product, old)
        fresh = [m for m in moves[key] if when - m[0] <= WINDOW]
        moves[key] = fresh
        targets = collections.Counter(price for _, seller, price in fresh if seller != listing)
        target, target_n = targets.most_common(1)[0] if targets else (None, 0)
        own_now = 1 if latest.get(listing) == new else 0
        others_at_new = at_price[product][new] - own_now
        novel = others_at_new == 0 and new not in recent[listing] and seen[product][new] == 0
        relation = digit_relation(target, new) if target is not None else "none"
        out["change_id"].append(row["change_id"])
        out["others_at_new"].append(others_at_new)
        out["in_own_recent"].append(new in recent[listing])
        out["seen_for_product"].append(seen[product][new])
        out["product_obs"].append(sum(seen[product].values()))
        out["move_target_n"].append(target_n)
        out["new_is_target"].append(target is not None and new == target)
        out["keystroke_from_target"].append(relation in KEYSTROKE)
        out["novel"].append(novel)
        if row["verdict"] == "allow":
            moves[key].append((when, listing, new))
            go_live(listing, product, new)
    return pl.DataFrame(out)


def rules_table(ev: pl.DataFrame) -> dict[str, np.ndarray]:
    def col(name: str) -> np.ndarray:
        return ev[name].to_numpy()

    novel = col("novel")
    placeholder = (
        (col("new_price_minor") == PLACEHOLDER_MINOR)
        & novel
        & (col("product_obs") >= PLACEHOLDER_MIN_OBS)
    )
    table: dict[str, np.ndarray] = {"placeholder 1.00, novel": placeholder}
    for k in (2, 3, 5):
        typo = col("keystroke_from_target") & novel & (col("move_target_n") >= k)
        table[f"keystroke from the price >= {k} sellers moved to, novel"] = typo
        table[f"  ... or placeholder (k = {k})"] = typo | placeholder
    return table


def study(ev: pl.DataFrame) -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier

    y = ev["is_error"].to_numpy()
    tune = ev["split"].to_numpy() == "tune"
    score = ev["score"].to_numpy()
    legit_allowed = (y == 0) & (ev["verdict"].to_numpy() == "allow")
    missed = (y == 1) & (ev["verdict"].to_numpy() == "allow")

    def with_rule(flag: np.ndarray) -> dict[str, Any]:
        legit = np.sort(score[tune & (y == 0) & ~flag])[::-1]
        budget = int(0.005 * (tune & (y == 0)).sum()) - int((tune & (y == 0) & flag).sum())
        cut = legit[budget] if budget >= 0 else np.inf
        hold = (score > cut) | flag
        part = {"tune": tune, "held_out": ~tune, "all": np.ones_like(tune)}
        row: dict[str, Any] = {
            "fires_on_legit_the_guard_allows": int((flag & legit_allowed).sum()),
            "fires_on_errors_the_guard_misses": int((flag & missed).sum()),
        }
        for name, mask in part.items():
            row[f"{name}_recall"] = round(float(hold[mask & (y == 1)].mean()), 4)
            row[f"{name}_fhr"] = round(float(hold[mask & (y == 0)].mean()), 5)
        return row

    rows = {"guard alone (threshold re-chosen on tune)": with_rule(np.zeros_like(y, dtype=bool))}
    for name, flag in rules_table(ev).items():
        rows[name] = with_rule(flag)

    feats = np.column_stack(
        [
            np.log1p(score / (1.0 - score)),
            ev["others_at_new"].to_numpy(),
            ev["in_own_recent"].to_numpy(),
            np.log1p(ev["seen_for_product"].to_numpy()),
            np.log1p(ev["product_obs"].to_numpy()),
            ev["move_target_n"].to_numpy(),
            ev["new_is_target"].to_numpy(),
            ev["keystroke_from_target"].to_numpy(),
            ev["novel"].to_numpy(),
            ev["new_price_minor"].to_numpy() == PLACEHOLDER_MINOR,
        ]
    ).astype(float)
    gbm = HistGradientBoostingClassifier(max_iter=300, random_state=0).fit(feats[tune], y[tune])
    p = gbm.predict_proba(feats)[:, 1]
    rows["guard score + every feature above (supervised GBM, gauge)"] = {
        "tune_r_at_0.5": round(recall_at_false_hold(p[tune], y[tune], 0.005), 4),
        "held_out_r_at_0.5": round(recall_at_false_hold(p[~tune], y[~tune], 0.005), 4),
    }
    rows["guard score alone"] = {
        "tune_r_at_0.5": round(recall_at_false_hold(score[tune], y[tune], 0.005), 4),
        "held_out_r_at_0.5": round(recall_at_false_hold(score[~tune], y[~tune], 0.005), 4),
    }
    return rows


def main() -> None:
    data, out = data_and_out(RESULTS / "guard_consensus_study.json")
    history, changes, labels = read_dev_set(data)
    run = run_guard(history=history, changes=changes, rules=load_rules())
    split = labelled_frame(judged=run.verdicts, changes=changes, labels=labels)
    ev = (
        run.evidence.join(
            split.select("change_id", "split", "is_error", "true_type"), on="change_id"
        )
        .join(changes.select("change_id", "listing_id", "product_id"), on="change_id")
        .sort("proposed_at", maintain_order=True)
    )
    ev = ev.join(replay(history, ev), on="change_id", maintain_order="left")
    rows = study(ev)
    print(f"{'rule added to the guard':60s} {'legit+':>6s} {'miss-':>6s}  tune / held out / all")
    for name, row in rows.items():
        if "tune_recall" in row:
            print(
                f"{name:60s} {row['fires_on_legit_the_guard_allows']:6d} "
                f"{row['fires_on_errors_the_guard_misses']:6d}  "
                + " | ".join(
                    f"{row[p + '_recall']:.3f} @ {row[p + '_fhr']:.2%}"
                    for p in ("tune", "held_out", "all")
                )
            )
        else:
            print(
                f"{name:60s} R@0.5% tune {row['tune_r_at_0.5']:.3f}, "
                f"held out {row['held_out_r_at_0.5']:.3f}"
            )
    out.write_text(json.dumps({"candidates": rows}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
