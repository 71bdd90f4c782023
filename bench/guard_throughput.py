"""Price guard speed: batch throughput, streaming with state, single-check latency, vs IsolationForest.

    .venv/bin/python bench/guard_throughput.py            # 1M synthetic changes over 1M listings
    .venv/bin/python bench/guard_throughput.py --big      # 10M changes (memory stays flat: 1M chunks)

Rows: core ``check_prices`` on 1 and 2 worker processes; the streaming run (``EvidenceState``
lookups + check + state update per chunk, no file I/O, no reason text); IsolationForest scoring
of the same changes (the baseline, same run); ``check_one`` latency in a fresh process and
again after the batches. Writes
``bench/results/guard_throughput_<size>.json``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from guard_synthetic import synthetic_columns

from sagwa.priceguard import ChangeEvidence, EvidenceState, check_one, check_prices, load_rules

RESULTS = Path(__file__).parent / "results"
CHUNK = 1_000_000
LISTINGS = 1_000_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def core_worker(args: tuple[int, int]) -> tuple[int, float]:
    """Score ``chunks`` synthetic chunks; return rows and seconds spent in ``check_prices``."""
    chunks, seed = args
    rules = load_rules()
    rows, seconds = 0, 0.0
    cols, _, _ = synthetic_columns(CHUNK, LISTINGS, seed)
    check_prices(cols, rules)  # warm-up
    for i in range(chunks):
        if i:
            cols, _, _ = synthetic_columns(CHUNK, LISTINGS, seed + i)
        started = time.perf_counter()
        check_prices(cols, rules)
        seconds += time.perf_counter() - started
        rows += CHUNK
    return rows, seconds


def core_rate(total: int, workers: int) -> float:
    chunks = max(total // CHUNK // workers, 1)
    if workers == 1:
        rows, seconds = core_worker((chunks, 11))
        return rows / seconds
    with mp.get_context("spawn").Pool(workers) as pool:
        parts = pool.map(core_worker, [(chunks, 100 * (w + 1)) for w in range(workers)])
    return sum(r for r, _ in parts) / max(s for _, s in parts)


def streaming_rate(total: int) -> tuple[float, list[float]]:
    """Full streaming step per chunk: state lookups, check, update with allowed prices."""
    rules = load_rules()
    state = EvidenceState(window=rules.recent_window, capacity=LISTINGS)
    warm = np.arange(LISTINGS)
    state.observe(
        warm, warm // 8, np.exp(np.random.default_rng(0).normal(7.5, 1.2, LISTINGS)).round()
    )
    seconds, rss = 0.0, []
    for i in range(total // CHUNK):
        cols, listing, product = synthetic_columns(CHUNK, LISTINGS, 1000 + i)
        started = time.perf_counter()
        recent = state.recent_median(listing)
        peer, count, low, high = state.peer_stats(listing, product)
        streak_start, streak_moves = state.streak(listing)
        cols = type(cols)(
            **{
                **cols.__dict__,
                "recent_median": recent,
                "peer_median": peer,
                "peer_low": low,
                "peer_high": high,
                "peer_count": count.astype(np.float64),
                "streak_start": streak_start,
                "streak_moves": streak_moves.astype(np.float64),
            }
        )
        result = check_prices(cols, rules)
        ok = ~result.hold
        state.observe(listing[ok], product[ok], cols.new[ok])
        seconds += time.perf_counter() - started
        rss.append(round(peak_rss_mb(), 1))
    return (total // CHUNK) * CHUNK / seconds, rss


def forest_rate(rows: int = 200_000) -> float:
    from sklearn.ensemble import IsolationForest

    cols, _, _ = synthetic_columns(rows, LISTINGS, 7)
    x = np.column_stack(
        [np.log(cols.new / cols.old), np.log(cols.new / np.nan_to_num(cols.recent_median, nan=1.0))]
    )
    forest = IsolationForest(n_estimators=100, random_state=0).fit(x[:50_000])
    started = time.perf_counter()
    forest.score_samples(x)
    return rows / (time.perf_counter() - started)


def latency_pool() -> list[ChangeEvidence]:
    """1,000 varied changes (KRW and USD, drops, rises, 30% with a declared promotion)."""
    rng = np.random.default_rng(5)
    pool = []
    for _ in range(1_000):
        old = int(rng.integers(1_000, 300_000))
        new = int(old * rng.choice([0.1, 0.5, 0.9, 1.1, 2.0, 10.0]))
        pool.append(
            ChangeEvidence(
                old,
                new,
                str(rng.choice(["KRW", "USD"])),
                tuple(int(old * f) for f in rng.uniform(0.9, 1.1, 8)),
                tuple(int(old * f) for f in rng.uniform(0.8, 1.2, 5)),
                promotion_pct=float(rng.choice([10.0, 30.0, 90.0])) if rng.random() < 0.3 else None,
            )
        )
    return pool


def latency_us(calls: int = 20_000) -> dict[str, float]:
    rules = load_rules()
    pool = latency_pool()
    times = []
    for i in range(calls):
        ev = pool[i % len(pool)]
        started = time.perf_counter_ns()
        check_one(ev, rules)
        times.append((time.perf_counter_ns() - started) / 1000)
    times.sort()
    return {
        "p50_us": round(times[len(times) // 2], 1),
        "p99_us": round(times[int(len(times) * 0.99)], 1),
        "mean_us": round(statistics.fmean(times), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", action="store_true", help="10M changes instead of 1M")
    args = parser.parse_args()
    total = 10_000_000 if args.big else 1_000_000
    # once in a fresh process (like a web worker), once after the batches (arrays of `total`
    # rows have come and gone): the second has read up to 50 µs on a 10M run
    fresh = latency_us()
    one = core_rate(total, 1)
    two = core_rate(total, 2)
    stream, rss = streaming_rate(total)
    forest = forest_rate()
    lat = latency_us()
    result = {
        "changes": total,
        "listings": LISTINGS,
        "chunk_rows": CHUNK,
        "core_changes_per_s_1_worker": round(one),
        "core_changes_per_s_2_workers": round(two),
        "streaming_changes_per_s_1_worker": round(stream),
        "isolation_forest_changes_per_s": round(forest),
        "core_2_workers_vs_isolation_forest": round(two / forest, 1),
        "check_one_latency": lat,
        "check_one_latency_fresh_process": fresh,
        "peak_rss_mb_after_each_streaming_chunk": rss,
        "cpus": mp.cpu_count(),
    }
    print(f"{'measure':44s} {'value':>14s}")
    print(f"{'core check_prices, 1 worker (changes/s)':44s} {one:14,.0f}")
    print(f"{'core check_prices, 2 workers (changes/s)':44s} {two:14,.0f}")
    print(f"{'streaming state+check+update (changes/s)':44s} {stream:14,.0f}")
    print(f"{'IsolationForest scoring (changes/s)':44s} {forest:14,.0f}")
    print(f"{'guard (2 workers) / IsolationForest':44s} {two / forest:13.1f}x")
    print(f"{'check_one latency p50 / p99, fresh (µs)':44s} {fresh['p50_us']:>6} / {fresh['p99_us']}")
    print(f"{'check_one latency p50 / p99, after (µs)':44s} {lat['p50_us']:>6} / {lat['p99_us']}")
    print(f"{'peak RSS after streaming chunks (MB)':44s} {rss[0]} .. {rss[-1]}")
    RESULTS.mkdir(exist_ok=True)
    name = "guard_throughput_10m.json" if args.big else "guard_throughput_1m.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
