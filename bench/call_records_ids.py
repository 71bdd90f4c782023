"""Benchmark: a list of ids sent as one array parameter (``= ANY(:ids)``, ``adapters.db.bulk.among``)
against an IN list of one placeholder per id, side by side in one run, on the read every page
showing many cases makes: ``call_records`` (how the desk's calls to each case went) for all N
cases of one incident (default 20,000).

Setup (not timed): ``desk_scale.load`` (N customers, one order each), an incident declared,
scoped and planned over them. Timed: ``uow.reads.call_records(ids)`` with each form, alternated,
6 rounds; the IN-list form is the one the reads used until 2026-12-04 (afternoon). Prints a
table and writes bench/results/call_records_ids.json.

    .venv/bin/python bench/call_records_ids.py [--n 20000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from desk_scale import START, load, planned_incident
from sqlalchemy import select

from sagwa.adapters.db import call_list_reads
from sagwa.adapters.db.tables import cases
from sagwa.config import Settings
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

ROUNDS = 6


def _in_list(column: Any, ids: Any) -> Any:
    return column.in_(list(ids))


def run(n: int) -> dict[str, object]:
    forms = {"in_list": _in_list, "any_array": call_list_reads.among}
    settings = Settings(database_url=None, data_dir=Path(tempfile.mkdtemp()))
    with replay_server(settings) as server, fresh_database(server) as db:
        listing_id = load(db, n, sms=False)

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(db.session_factory, lambda: START + timedelta(hours=4))

        planned_incident(uow, listing_id, load_desk_policy(),
                         options=("keep", "cancel_with_compensation"))
        with db.engine.begin() as conn:
            ids = [int(i) for i in conn.execute(select(cases.c.id)).scalars()]
        times: dict[str, list[float]] = {name: [] for name in forms}
        try:
            for _ in range(ROUNDS):
                for name, form in forms.items():
                    call_list_reads.among = form  # type: ignore[assignment]
                    with uow() as u:
                        start = time.perf_counter()
                        records = u.reads.call_records(ids)
                        times[name].append(time.perf_counter() - start)
                    assert len(records) == len(ids)
        finally:
            call_list_reads.among = forms["any_array"]  # type: ignore[assignment]
    medians = {name: statistics.median(t) for name, t in times.items()}
    return {"cases": len(ids), "rounds": ROUNDS,
            **{f"{name}_median_s": round(m, 3) for name, m in medians.items()},
            **{f"{name}_best_s": round(min(times[name]), 3) for name in times},
            "ratio_in_list_over_any_array": round(medians["in_list"] / medians["any_array"], 2)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    result = run(parser.parse_args().n)
    print(f"| form | call_records({result['cases']:,} ids), median | best |")
    print("|---|---|---|")
    for name in ("in_list", "any_array"):
        print(f"| {name} | {result[f'{name}_median_s']} s | {result[f'{name}_best_s']} s |")
    print(f"ratio (median): {result['ratio_in_list_over_any_array']}")
    out = Path(__file__).parent / "results" / "call_records_ids.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
