"""Benchmark: the seller's view of a large incident (``services.seller_incidents``) — every one
of the seller's orders with what to do with it, read in one unit of work — and the page and the
JSON built from it, for N affected orders on one listing (default 20,000).

Setup (not timed) reuses ``desk_scale.load`` (N customers, one order each at the wrong price),
then declares, scopes and plans the incident, marks it told (``notifying``; no messages are
written); a tenth of the customers kept their order and a tenth took the keep default. Timed: ``seller_incident`` (the service), the page (``/seller/incidents/{id}``
over a TestClient) and the JSON (``/api/sellers/{id}/incidents/{id}``), and the seller's closing email
(``seller_notices.closing_notices``, built as ``desk.close`` builds it), each the best of 3.
Each is timed twice: in this process as it is, then after ``gc.freeze()`` of what is alive once
the setup is done, as ``sagwa serve`` and ``sagwa worker`` do once they are set up
(``cli.context.freeze_startup_objects``; keys ``*_frozen_s``).
Prints a table and writes bench/results/seller_incident.json.

    .venv/bin/python bench/seller_incident.py [--n 20000]
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from pathlib import Path

from desk_scale import told_incident
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from sagwa.adapters.db.tables import listings, sellers
from sagwa.config import Settings
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services.accounts import create_user, issue_api_token
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.seller_incidents import seller_incident
from sagwa.services.seller_notices import closing_notices
from sagwa.web.app import create_app


def _best(fn, times: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(times):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def run(n: int) -> dict[str, object]:
    policy = load_desk_policy()
    data_dir = Path(tempfile.mkdtemp())
    settings = Settings(database_url=None, data_dir=data_dir)
    with replay_server(settings) as server, fresh_database(server) as db:
        listing_id, incident_id, uow, _ = told_incident(db, n, policy)
        with db.engine.begin() as conn:
            seller_id = conn.execute(select(listings.c.seller_id).where(
                listings.c.id == listing_id)).scalar_one()
        with db.engine.begin() as conn:
            conn.execute(update(sellers).where(sellers.c.id == seller_id).values(
                contact_email="bench@seller.example"))
        create_user(uow(), username="seller", role="seller", password="bench-password-123",
                    seller_id=seller_id, actor="bench")
        token = issue_api_token(uow(), username="seller", name="bench", actor="bench")
        view = seller_incident(uow(), seller_id=seller_id, incident_id=incident_id, policy=policy)

        def closing_mail() -> None:
            # the seller's closing email as ``desk.close`` builds it: inside one unit of work,
            # for a seller with an address; not committed
            with uow() as u:
                inc = u.incidents.get(incident_id).incident
                assert len(closing_notices(u, incident=inc, links=None, policy=policy)) == 1

        app = create_app(settings, database=db)
        with TestClient(app) as client:
            page = client.get("/login")
            csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
            client.post("/login", data={"username": "seller", "password": "bench-password-123",
                                        "csrf_token": csrf})
            url = f"/seller/incidents/{incident_id}"
            api = f"/api/sellers/{seller_id}/incidents/{incident_id}"
            headers = {"Authorization": f"Bearer {token}"}
            page_bytes = len(client.get(url).content)
            api_bytes = len(client.get(api, headers=headers).content)
            timed: dict[str, float] = {}
            for suffix in ("", "_frozen"):
                if suffix:  # as ``sagwa serve`` does once it is set up
                    gc.collect()
                    gc.freeze()
                timed["service" + suffix + "_s"] = _best(lambda: seller_incident(
                    uow(), seller_id=seller_id, incident_id=incident_id, policy=policy))
                timed["closing_mail" + suffix + "_s"] = _best(closing_mail)
                timed["page" + suffix + "_s"] = _best(lambda: client.get(url))
                timed["api" + suffix + "_s"] = _best(lambda: client.get(api, headers=headers))
            gc.unfreeze()
        return {"affected_orders": n, "orders_in_view": len(view.orders), "counts": view.counts,
                **{key: round(value, 3) for key, value in timed.items()},
                "page_kib": round(page_bytes / 1024, 1), "api_kib": round(api_bytes / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--json", type=Path, default=None,
                        help="where to write the result (default bench/results/seller_incident.json)")
    args = parser.parse_args()
    result = run(args.n)
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    out = args.json or Path(__file__).parent / "results" / "seller_incident.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
