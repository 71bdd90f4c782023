"""Benchmark: the operator's pages of one large incident — the incident page, its timeline
(the htmx fragment: the audit trail of the incident, its listings, cases and their orders), the
incident list and the agents' call queue — for N affected orders on one listing (default
20,000).

Setup (not timed) reuses ``desk_scale.load`` (N customers, one order each at the wrong price),
then declares, scopes and plans the incident and marks it told (``notifying``); a tenth of the
customers kept their order, a tenth took the default; ``ANALYZE``. Timed over a TestClient as
an admin, each page the best of ``--repeat`` after one warm-up request; the statements each
page ran, and the SQL time among them, from one more request. Prints a table and writes
bench/results/incident_page_scale.json (``--json`` elsewhere: to run the script of one tree
against another, side by side).

    .venv/bin/python bench/incident_page_scale.py [--n 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from desk_scale import told_incident
from fastapi.testclient import TestClient
from sqlalchemy import event

from sagwa.config import Settings
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services.accounts import create_user
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.app import create_app

PASSWORD = "bench-password-123"


def _statements(engine: Any, request: Any) -> tuple[int, float]:
    """How many statements ``request()`` ran on ``engine`` and their time (ms)."""
    spent: list[float] = []

    def before(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        context._bench_t0 = time.perf_counter()

    def after(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        spent.append((time.perf_counter() - context._bench_t0) * 1000)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return len(spent), sum(spent)


def run(n: int, repeat: int) -> dict[str, Any]:
    policy = load_desk_policy()
    settings = Settings(database_url=None, data_dir=Path(tempfile.mkdtemp()),
                        environment="test")
    with replay_server(settings) as server, fresh_database(server) as db:
        _, incident_id, uow, _ = told_incident(db, n, policy)
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        create_user(uow(), username="admin", role="admin", password=PASSWORD, actor="bench")
        pages = {"incident page": f"/ops/incidents/{incident_id}",
                 "timeline (htmx)": f"/ops/incidents/{incident_id}/timeline",
                 "incident list": "/ops/incidents", "call queue": "/cs/queue"}
        timed: dict[str, dict[str, float]] = {}
        with TestClient(create_app(settings, database=db)) as client:
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
            assert csrf
            client.post("/login", data={"username": "admin", "password": PASSWORD,
                                        "csrf_token": csrf.group(1)}, follow_redirects=False)
            for label, path in pages.items():
                assert client.get(path).status_code == 200, path
                best = float("inf")
                for _ in range(repeat):
                    t = time.perf_counter()
                    client.get(path)
                    best = min(best, time.perf_counter() - t)
                count, sql_ms = _statements(db.engine, lambda p=path: client.get(p))
                timed[label] = {"best_ms": round(best * 1000, 1), "statements": count,
                                "sql_ms": round(sql_ms, 1)}
    return {"affected_orders": n, "repeat": repeat, "pages": timed}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the result "
                             "(default bench/results/incident_page_scale.json)")
    args = parser.parse_args()
    result = run(args.n, args.repeat)
    print(f"{args.n:,} affected orders; best of {args.repeat}")
    print(f"{'page':<18}{'best ms':>10}{'statements':>12}{'sql ms':>10}")
    for label, row in result["pages"].items():
        print(f"{label:<18}{row['best_ms']:>10}{row['statements']:>12}{row['sql_ms']:>10}")
    out = args.json or Path(__file__).parent / "results" / "incident_page_scale.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
