"""``check_one`` latency of this working tree against an earlier commit, side by side.

    .venv/bin/python bench/guard_latency_ab.py --against d3bb4ef            # 5 alternating rounds
    .venv/bin/python bench/guard_latency_ab.py --against d3bb4ef --instructions

The earlier commit's ``src`` is extracted with ``git archive`` into a temporary directory and put
first on ``PYTHONPATH``; each round runs the benchmark's latency measure (``latency_us`` in
``guard_throughput.py``: p50 of 20,000 calls over 1,000 varied changes) in a fresh process for
the earlier code, then for this tree, so both see the same machine load. ``--instructions`` also
counts instructions per call under valgrind's callgrind (repeatable whatever the load; a run of
0 calls is subtracted to leave the calls alone). Writes ``bench/results/guard_latency_ab.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

LATENCY = """
import sys
sys.path.insert(0, {bench!r})
from guard_throughput import latency_us
print(latency_us()["p50_us"])
"""

CALLS = """
import gc, sys
gc.disable()
sys.path.insert(0, {bench!r})
from guard_throughput import latency_pool
from sagwa.priceguard import check_one, load_rules
rules = load_rules()
pool = latency_pool()
for ev in pool:
    check_one(ev, rules)
for i in range(int(sys.argv[1])):
    check_one(pool[i % len(pool)], rules)
"""


def extract(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], check=True,
                             capture_output=True).stdout
    tar = into / "src.tar"
    tar.write_bytes(archive)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    return into / "src"


def run(code: str, src: Path | None, *args: str, valgrind: bool = False) -> str:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    cmd = [sys.executable, "-c", code.format(bench=str(ROOT / "bench")), *args]
    if valgrind:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    return done.stdout + done.stderr


def instructions_per_call(src: Path | None, calls: int = 5_000) -> int:
    def total(n: int) -> int:
        out = run(CALLS, src, str(n), valgrind=True)
        match = re.search(r"Collected : (\d+)", out)
        assert match, out
        return int(match.group(1))

    return (total(calls) - total(0)) // calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", required=True, help="the earlier commit (e.g. d3bb4ef)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--instructions", action="store_true",
                        help="also count instructions per call with valgrind (slow: minutes)")
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        parser.error("--instructions needs valgrind on PATH")
    with tempfile.TemporaryDirectory() as tmp:
        old_src = extract(args.against, Path(tmp))
        rounds = []
        for _ in range(args.rounds):
            before = float(run(LATENCY, old_src))
            after = float(run(LATENCY, None))
            rounds.append({"before_p50_us": before, "this_tree_p50_us": after})
            print(f"p50 µs  {args.against}: {before:6.1f}   this tree: {after:6.1f}")
        result: dict[str, object] = {
            "against": args.against,
            "rounds": rounds,
            "median_before_p50_us": statistics.median(r["before_p50_us"] for r in rounds),
            "median_this_tree_p50_us": statistics.median(r["this_tree_p50_us"] for r in rounds),
        }
        if args.instructions:
            before_ir, after_ir = instructions_per_call(old_src), instructions_per_call(None)
            result |= {"before_instructions_per_call": before_ir,
                       "this_tree_instructions_per_call": after_ir}
            print(f"instructions per call  {args.against}: {before_ir:,}   this tree: {after_ir:,}"
                  f"   ({after_ir / before_ir - 1:+.1%})")
    print(f"median p50 µs  {args.against}: {result['median_before_p50_us']}   "
          f"this tree: {result['median_this_tree_p50_us']}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "guard_latency_ab.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
