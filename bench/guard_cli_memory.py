"""`sagwa guard check` (or `evaluate`) memory and time as the changes file grows: flat?

    .venv/bin/python bench/guard_cli_memory.py                  # 0.5M, 1M, 2M changes
    .venv/bin/python bench/guard_cli_memory.py --sizes 1000000 4000000
    .venv/bin/python bench/guard_cli_memory.py --command evaluate --sizes 200000 1000000 2000000

Writes synthetic KRW files (500k listings, one history row each; changes in time order over
them, 5% of them ×10ⁿ errors) to a scratch directory, runs the installed CLI on each under
``/usr/bin/time`` and reads its peak RSS and wall time. ``check``: checks the held count is the
same with ``--part-rows`` at its default and at a tenth of it on the smallest file, and writes
``bench/results/guard_cli_memory.json``. ``evaluate``: also writes a label for every change (in
shuffled order, so the labels are not in the changes' order), records the recall and
false-hold rate of the split "all" and a SHA-256 of the metrics JSON (the same digest before
and after a change means the same file), and writes
``bench/results/guard_evaluate_memory.json``; ``--label`` names the run in it (run once with
``PYTHONPATH=<an older src>`` and ``--label before`` to compare, the results are merged).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SAGWA = ROOT / ".venv" / "bin" / "sagwa"
LISTINGS = 500_000


def write_history(path: Path, rng: np.random.Generator) -> np.ndarray:
    price = np.round(rng.lognormal(10, 0.8, LISTINGS) / 10) * 10 + 100
    t0 = datetime(2026, 1, 1)
    with path.open("w") as out:
        out.write("listing_id,product_id,seller_id,price,observed_at,currency\n")
        for i in range(LISTINGS):
            out.write(f"L{i},P{i // 5},S{i % 997},{int(price[i])},{t0.isoformat()},KRW\n")
    return price


def write_changes(path: Path, n: int, price: np.ndarray, rng: np.random.Generator) -> None:
    t0 = datetime(2026, 2, 1)
    listing = rng.integers(0, LISTINGS, n)
    move = rng.choice([0.9, 0.95, 1.05, 1.1, 0.7], n)
    error = rng.random(n) < 0.05
    move = np.where(error, rng.choice([0.1, 0.01, 10.0], n), move)
    with path.open("w") as out:
        out.write("change_id,listing_id,product_id,seller_id,old_price,new_price,proposed_at,"
                  "promotion_pct,currency\n")
        for k in range(n):
            i = int(listing[k])
            old = int(price[i])
            new = max(10, int(round(old * move[k] / 10) * 10))
            at = (t0 + timedelta(seconds=k * 3)).isoformat()
            out.write(f"c{k},L{i},P{i // 5},S{i % 997},{old},{new},{at},,KRW\n")


def write_labels(path: Path, n: int, rng: np.random.Generator) -> None:
    """A label per change of ``write_changes`` (the same draws, replayed from ``rng``'s state
    before it), in shuffled order."""
    listing = rng.integers(0, LISTINGS, n)
    rng.choice([0.9, 0.95, 1.05, 1.1, 0.7], n)
    error = rng.random(n) < 0.05
    slip = rng.choice([0.1, 0.01, 10.0], n)
    del listing
    kinds = np.where(slip == 10.0, "extra_zero", "decimal_slip")
    with path.open("w") as out:
        out.write("change_id,is_error,error_type\n")
        for k in np.random.default_rng(11).permutation(n):
            out.write(f"c{k},1,{kinds[k]}\n" if error[k] else f"c{k},0,none\n")


def evaluate(history: Path, changes: Path, labels: Path, out: Path, *extra: str) -> dict:
    cmd = ["/usr/bin/time", "-f", "TIME %e %M", str(SAGWA), "guard", "evaluate", "--history",
           str(history), "--changes", str(changes), "--labels", str(labels), "--json", str(out),
           *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall, kb = re.search(r"TIME ([0-9.]+) ([0-9]+)", done.stderr).groups()
    every = json.loads(out.read_text())[0]
    return {"wall_s": float(wall), "peak_rss_mb": int(kb) / 1024, "changes_counted":
            every["changes"], "recall": every["recall"], "false_hold_rate":
            every["false_hold_rate"], "json_sha256": hashlib.sha256(out.read_bytes()).hexdigest()}


def main_evaluate(sizes: list[int], label: str) -> None:
    rng = np.random.default_rng(7)
    rows = []
    with tempfile.TemporaryDirectory(prefix="sagwa-cli-memory-") as tmp:
        scratch = Path(tmp)
        history = scratch / "history.csv"
        price = write_history(history, rng)
        for n in sizes:
            changes, labels = scratch / f"changes-{n}.csv", scratch / f"labels-{n}.csv"
            replay = np.random.default_rng()
            replay.bit_generator.state = rng.bit_generator.state
            write_changes(changes, n, price, rng)
            write_labels(labels, n, replay)
            result = evaluate(history, changes, labels, scratch / "metrics.json")
            result.update(run=label, changes=n, csv_mb=changes.stat().st_size / 1e6,
                          labels_mb=labels.stat().st_size / 1e6)
            rows.append(result)
            print(f"{label:>8} {n:>10,} changes {result['csv_mb']:6.0f} MB  "
                  f"{result['wall_s']:6.1f} s  peak {result['peak_rss_mb']:7.0f} MB  "
                  f"recall {result['recall']:.4f} FHR {result['false_hold_rate']:.4%}  "
                  f"json {result['json_sha256'][:12]}", flush=True)
            changes.unlink()
            labels.unlink()
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "guard_evaluate_memory.json"
    earlier = json.loads(path.read_text()) if path.exists() else []
    kept = [r for r in earlier if r.get("run") != label]
    path.write_text(json.dumps(kept + rows, indent=2) + "\n")


def run(history: Path, changes: Path, out: Path, *extra: str) -> dict:
    cmd = ["/usr/bin/time", "-f", "TIME %e %M", str(SAGWA), "guard", "check", "--history",
           str(history), "--changes", str(changes), "--out", str(out), *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall, kb = re.search(r"TIME ([0-9.]+) ([0-9]+)", done.stderr).groups()
    held = re.search(r"([0-9]+) changes checked, ([0-9]+) held", done.stdout).groups()
    return {"wall_s": float(wall), "peak_rss_mb": int(kb) / 1024, "checked": int(held[0]),
            "held": int(held[1])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[500_000, 1_000_000, 2_000_000])
    parser.add_argument("--command", choices=["check", "evaluate"], default="check")
    parser.add_argument("--label", default="now", help="evaluate: this run's name in the results")
    args = parser.parse_args()
    if args.command == "evaluate":
        main_evaluate(args.sizes, args.label)
        return
    rng = np.random.default_rng(7)
    rows = []
    with tempfile.TemporaryDirectory(prefix="sagwa-cli-memory-") as tmp:
        scratch = Path(tmp)
        history = scratch / "history.csv"
        price = write_history(history, rng)
        for n in args.sizes:
            changes = scratch / f"changes-{n}.csv"
            write_changes(changes, n, price, rng)
            result = run(history, changes, scratch / "out.csv")
            result.update(changes=n, csv_mb=changes.stat().st_size / 1e6)
            rows.append(result)
            print(f"{n:>10,} changes {result['csv_mb']:6.0f} MB  {result['wall_s']:6.1f} s  "
                  f"peak {result['peak_rss_mb']:7.0f} MB  held {result['held']:,}", flush=True)
            if n == min(args.sizes):
                small = run(history, changes, scratch / "out10.csv", "--part-rows", "20000")
                same = (small["held"] == result["held"]
                        and (scratch / "out.csv").read_bytes()
                        == (scratch / "out10.csv").read_bytes())
                result["parts_of_20000"] = {**small, "same_output": same}
                print(f"{'':>10} in parts of 20,000: {small['wall_s']:.1f} s, peak "
                      f"{small['peak_rss_mb']:.0f} MB, same output: {same}", flush=True)
            changes.unlink()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "guard_cli_memory.json").write_text(json.dumps(rows, indent=2) + "\n")
    if not all(r.get("parts_of_20000", {}).get("same_output", True) for r in rows):
        sys.exit("the output depended on --part-rows")


if __name__ == "__main__":
    main()
