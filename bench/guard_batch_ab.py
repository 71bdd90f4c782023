"""``sagwa guard check``'s engine (``run_guard``) on synthetic files, against an earlier commit.

    .venv/bin/python bench/guard_batch_ab.py --against fff0c52       # -> bench/results/guard_batch_ab.json

Four shapes of input, each timed in a fresh process for the earlier commit's ``src`` (extracted
with ``git archive``, first on ``PYTHONPATH``) and for this tree, alternating, so both see the
same machine load (the in-process time of ``run_guard`` with its default chunk size: reading
the CSV files is left out):

- ``sparse``: 1M changes over 1M listings (8 per product), every listing in the history;
- ``new_listings``: the same, with only half the listings in the history (first prices);
- ``dense``: 200k changes over 1,000 listings (125 products): every product changes every few
  rows, so the chunks are short;
- ``one_product``: 20k changes over 1,000 sellers of one product: every chunk is one change;
- ``one_product_10k``: the same over 10,000 sellers.

Each run also reports how many changes were held and a digest of its verdicts (the table says
whether the two trees' verdicts are the same), and this tree is run once more with one-row chunks on a 20k-change cut of each shape: the verdicts must be the
same (they are, by construction; the script says so or fails).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from guard_latency_ab import extract  # bench/ is on the path: run as a script

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SHAPES = {"sparse": (1_000_000, 1_000_000, False, 8),
          "new_listings": (1_000_000, 1_000_000, True, 8),
          "dense": (1_000, 200_000, False, 8),
          "one_product": (1_000, 20_000, False, 1_000),
          "one_product_10k": (10_000, 20_000, False, 10_000)}

RUN = r"""
import hashlib, json, sys, time
from datetime import datetime, timedelta, timezone
import numpy as np, polars as pl
from sagwa.priceguard import load_rules
from sagwa.services.guard_batch import run_guard

n_listings, n_changes, half, chunk, per_product = (
    int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4]), int(sys.argv[5]))
rng = np.random.default_rng(0)
ids = np.arange(n_listings)
base = np.exp(rng.normal(7.5, 1.2, n_listings)).round() + 1
t0 = datetime(2026, 1, 1, tzinfo=timezone.utc)
listing_ids = pl.Series([f"L{i}" for i in ids])
product_ids = pl.Series([f"P{i // per_product}" for i in ids])
seller_ids = pl.Series([f"S{i % 1000}" for i in ids])
history = pl.DataFrame({"listing_id": listing_ids, "product_id": product_ids,
                        "seller_id": seller_ids, "price_minor": base.astype(np.int64),
                        "observed_at": pl.Series([t0] * n_listings),
                        "currency": ["KRW"] * n_listings})
if half:
    history = history.head(n_listings // 2)
who = rng.integers(0, n_listings, n_changes)
move = np.exp(rng.normal(0, 0.2, n_changes))
move = np.where(rng.random(n_changes) < 0.05, rng.choice([0.1, 0.01, 10.0], n_changes), move)
seconds = np.sort(rng.integers(86_400, 86_400 * 31, n_changes))
changes = pl.DataFrame({
    "change_id": [f"c{i}" for i in range(n_changes)],
    "listing_id": listing_ids.gather(who), "product_id": product_ids.gather(who),
    "seller_id": seller_ids.gather(who),
    "old_price_minor": base[who].astype(np.int64),
    "new_price_minor": (base[who] * move).round().astype(np.int64) + 1,
    "proposed_at": pl.Series([t0] * n_changes) + pl.Series(seconds * 1_000_000).cast(pl.Duration("us")),
    "promotion_pct": pl.Series([None] * n_changes, dtype=pl.Int64),
    "currency": ["KRW"] * n_changes,
})
rules = load_rules()
started = time.perf_counter()
run = run_guard(history=history, changes=changes, rules=rules, **({"chunk_rows": chunk} if chunk else {}))
seconds_taken = time.perf_counter() - started
verdicts = run.verdicts.select("change_id", "verdict", "score", "error_type")
digest = hashlib.sha256(verdicts.write_csv().encode()).hexdigest()[:16]
print(json.dumps({"seconds": round(seconds_taken, 2), "rate": round(n_changes / seconds_taken),
                  "held": int((verdicts["verdict"] == "hold").sum()), "digest": digest}))
"""


def run(src: Path | None, n_listings: int, n_changes: int, half: bool, per_product: int,
        chunk: int = 0) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(n_listings), str(n_changes), "1" if half else "0",
         str(chunk), str(per_product)], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", required=True, help="the earlier commit")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS / "guard_batch_ab.json")
    args = parser.parse_args()
    result: dict[str, object] = {"against": args.against, "shapes": {}}
    with tempfile.TemporaryDirectory() as tmp:
        old_src = extract(args.against, Path(tmp))
        print(f"{'shape':<14}{'round':>6}{'before s':>10}{'after s':>10}{'before/s':>12}"
              f"{'after/s':>12}{'held before':>13}{'held after':>12}{'same':>6}")
        for shape, (n_listings, n_changes, half, per_product) in SHAPES.items():
            rows = []
            for r in range(args.rounds):
                before = run(old_src, n_listings, n_changes, half, per_product)
                after = run(None, n_listings, n_changes, half, per_product)
                rows.append({"before": before, "after": after})
                print(f"{shape:<14}{r + 1:>6}{before['seconds']:>10}{after['seconds']:>10}"
                      f"{before['rate']:>12,}{after['rate']:>12,}{before['held']:>13,}"
                      f"{after['held']:>12,}"
                      f"{'yes' if before['digest'] == after['digest'] else 'no':>6}")
            cut = min(n_changes, 20_000)
            default = run(None, n_listings, cut, half, per_product)
            one_row = run(None, n_listings, cut, half, per_product, chunk=1)
            same = default["digest"] == one_row["digest"]
            print(f"{shape:<14} {cut:,} changes: verdicts with 2,000-row and one-row chunks "
                  f"{'identical' if same else 'DIFFER'}")
            if not same:
                raise SystemExit(f"{shape}: the verdicts depend on the chunk size")
            result["shapes"][shape] = {  # type: ignore[index]
                "listings": n_listings, "changes": n_changes, "half_in_history": half,
                "listings_per_product": per_product,
                "rounds": rows, "chunk_independent_on": cut,
            }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"-> {args.out}")


if __name__ == "__main__":
    main()
