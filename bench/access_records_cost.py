"""Benchmark: what recording access (``access_records``, one INSERT per page) costs an agent's
case page and call queue, against the same pages with the record not written, in one run.

    .venv/bin/python bench/access_records_cost.py [--customers 2000] [--n 200]

``desk_scale``'s marketplace (``--customers``, one order each) and incident, notified and its
unanswered cases on the call queue, in a throwaway embedded PostgreSQL; an agent signed in; the
first case's page and the call queue each requested ``--n`` times through the whole app, in
rounds of 20 that alternate between the app's own access log (``SqlAccessLog``) and one that
writes nothing (the baseline, here only: sagwa has no switch that stops recording). Prints the
medians, p95s and the difference, and writes bench/results/access_records_cost.json.
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
from fastapi.testclient import TestClient
from pages import _login

from sagwa.config import Settings
from sagwa.domain.access_records import AccessRecord
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services import desk_cases
from sagwa.services.accounts import create_user
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "access_records_cost.json"
ROUND = 20
PASSWORD = "bench-password-42"


class NothingWritten:
    """The baseline's access log: takes the record, writes nothing."""

    def add(self, record: AccessRecord) -> None:
        pass


def _stats(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2)}


def _time(client: TestClient, path: str, n: int) -> dict[str, dict[str, float]]:
    app = client.app
    logs = {"recorded": app.state.access_log, "not recorded": NothingWritten()}  # type: ignore[attr-defined]
    samples: dict[str, list[float]] = {name: [] for name in logs}
    for _ in range(3):
        assert client.get(path).status_code == 200, path
    for _ in range(n // ROUND):
        for name, log in logs.items():
            app.state.access_log = log  # type: ignore[attr-defined]
            for _ in range(ROUND):
                t = time.perf_counter()
                assert client.get(path).status_code == 200
                samples[name].append((time.perf_counter() - t) * 1000)
    app.state.access_log = logs["recorded"]  # type: ignore[attr-defined]
    return {name: _stats(s) for name, s in samples.items()}


def stage(db: Any, customers: int, secret: str) -> int:
    """The incident notified, its unanswered cases escalated, an agent: the first case's id."""
    policy = load_desk_policy()
    listing_id = load(db, customers)
    now = START + timedelta(hours=4)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(db.session_factory, lambda: now)

    incident_id = planned_incident(uow, listing_id, policy)
    notify(uow(), incident_id=incident_id, actor="bench", policy=policy,
           links=LinkMaker(secret, "http://127.0.0.1:8000"))
    desk_cases.escalate_unanswered(uow(), incident_id=incident_id, actor="bench")
    create_user(uow(), username="agent", role="agent", password=PASSWORD, actor="bench")
    with uow() as u:
        return int(u.cases.for_incident(incident_id, limit=1)[0].case.case_id)


def run(customers: int, n: int) -> dict[str, Any]:
    settings = Settings(database_url=None, data_dir=Path(tempfile.mkdtemp()), environment="test")
    with replay_server(settings) as server, fresh_database(server) as db:
        case_id = stage(db, customers, settings.secret_key)
        results = {}
        with TestClient(create_app(settings, database=db)) as client:
            _login(client, "agent", PASSWORD)
            for label, path in (("case page", f"/cs/cases/{case_id}"), ("call queue", "/cs/queue")):
                results[label] = _time(client, path, n)
    for row in results.values():
        row["cost_ms"] = {"median_ms": round(row["recorded"]["median_ms"]
                                             - row["not recorded"]["median_ms"], 2)}
    return {"customers": customers, "n": n, "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args()
    data = run(args.customers, args.n)
    print(f"{'page':<12} {'recorded ms (median/p95)':>26} {'not recorded':>16} {'cost ms':>8}")
    for label, row in data["pages"].items():
        r, b = row["recorded"], row["not recorded"]
        print(f"{label:<12} {r['median_ms']:>14.2f} / {r['p95_ms']:<9.2f} "
              f"{b['median_ms']:>7.2f} / {b['p95_ms']:<7.2f} {row['cost_ms']['median_ms']:>7.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
