"""Benchmark: the agents' call queue and the lookup's call-time read on a large incident, with
and without times picked by customers, side by side in one run.

Setup (not timed): ``desk_scale.load`` (N customers, one order each), an incident declared,
scoped, planned and notified; ``--asked`` of its cases asked to talk to a person (escalated).
Timed, 7 rounds each, alternated: ``uow.reads.call_queue(limit=20)`` (the queue page's read)
and ``uow.reads.calls_waiting_for_a_time`` for 20 case ids (the lookup's), first with no time
picked, then with ``--picked`` of the asking cases holding a time a day ahead
(``cases.call_at``, as ``services.customer_call_time`` stores it). Prints a table and writes
bench/results/call_queue_scale.json.

    .venv/bin/python bench/call_queue_scale.py [--n 100000] [--asked 500] [--picked 100]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desk_scale import START, load, planned_incident
from sqlalchemy import select, update

from sagwa.adapters.db.tables import cases
from sagwa.config import Settings
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ROUNDS = 7


def _timed(uow: Any, now: datetime, ids: list[int]) -> tuple[float, float, int, int]:
    with uow() as u:
        t = time.perf_counter()
        queue = u.reads.call_queue(limit=20, now=now)
        queue_s = time.perf_counter() - t
        t = time.perf_counter()
        waiting = u.reads.calls_waiting_for_a_time(ids, now=now)
        lookup_s = time.perf_counter() - t
    return queue_s, lookup_s, sum(q.time_picked for q in queue), len(waiting)


def run(n: int, asked: int, picked: int) -> dict[str, Any]:
    policy = load_desk_policy()
    with replay_server(Settings(database_url=None,
                                data_dir=Path(tempfile.mkdtemp()))) as server, \
            fresh_database(server) as db:
        listing_id = load(db, n)
        now = START + timedelta(hours=4)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(db.session_factory, lambda: now)

        iid = planned_incident(uow, listing_id, policy)
        notify(uow(), incident_id=iid, actor="op", policy=policy,
               links=LinkMaker("bench-secret-key-0123456789", "http://127.0.0.1:8000"))
        with db.engine.begin() as conn:
            ids = list(conn.execute(select(cases.c.id).where(cases.c.incident_id == iid)
                                    .order_by(cases.c.id).limit(asked)).scalars())
            conn.execute(update(cases).where(cases.c.id.in_(ids)).values(
                status="escalated", choice="talk_to_person", choice_channel="web",
                choice_at=now, choice_evidence="bench", choice_taken_by="customer"))

        def pick(at: datetime | None) -> None:
            with db.engine.begin() as conn:
                conn.execute(update(cases).where(cases.c.id.in_(ids[:picked])).values(
                    call_at=at, call_time_set_at=None if at is None else now))

        times: dict[str, list[float]] = {k: [] for k in
                                         ("queue_none", "queue_picked", "lookup_none",
                                          "lookup_picked")}
        shown = {}
        for _ in range(ROUNDS):
            for label, at in (("none", None), ("picked", now + timedelta(days=1))):
                pick(at)
                queue_s, lookup_s, on_cards, waiting = _timed(uow, now, ids[:20])
                times[f"queue_{label}"].append(queue_s)
                times[f"lookup_{label}"].append(lookup_s)
                shown[label] = {"picked_on_first_20_cards": on_cards, "lookup_marked": waiting}
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        return {"cases": n, "asked_for_a_person": asked, "with_a_picked_time": picked,
                "rounds": ROUNDS, **{f"{k}_median_ms": round(v, 1) for k, v in med.items()},
                **{f"{k}_best_ms": round(min(v) * 1000, 1) for k, v in times.items()},
                "queue_ratio_picked_over_none": round(med["queue_picked"] / med["queue_none"], 2),
                "shown": shown}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--asked", type=int, default=500)
    parser.add_argument("--picked", type=int, default=100)
    args = parser.parse_args()
    result = run(args.n, args.asked, args.picked)
    print(f"{'read':<34} {'no time picked':>16} {f'{args.picked} picked':>14}")
    for what, key in (("call_queue(limit=20)", "queue"),
                      ("calls_waiting_for_a_time(20 ids)", "lookup")):
        print(f"{what:<34} {result[f'{key}_none_median_ms']:>13.1f} ms "
              f"{result[f'{key}_picked_median_ms']:>11.1f} ms")
    print(f"queue ratio picked / none: {result['queue_ratio_picked_over_none']}×; "
          f"shown: {result['shown']}")
    out = Path(__file__).parent / "results" / "call_queue_scale.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
