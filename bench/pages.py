"""Page speed with the demo data: how long each page takes to render, server side.

    .venv/bin/python bench/pages.py [--customers 2000] [--orders 4000] [--repeat 30] [--no-analyze]

Loads the demo marketplace (``sagwa seed demo`` sizes) into a throwaway embedded PostgreSQL,
adds what the pages show — the demo accounts, a held 90%-off price change, an incident on the
iPod nano listings (declared, scoped, planned, notified, unanswered cases escalated) and its
public notice — then requests every page through the whole app (middleware, session cookie,
templates) with an in-process client, ``--repeat`` times after a warm-up. Before the pages it
runs ``ANALYZE``, as autovacuum would soon after a load this size in production: without
statistics PostgreSQL plans the freshly loaded tables blind (``--no-analyze`` measures that).
``/healthz`` (one small query) is the baseline measured in the same run; the table shows each
page's median and p95 and its ratio to the baseline. The target: every page under 200 ms.
Writes bench/results/pages.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from sagwa.adapters.db.tables import listings, orders, products
from sagwa.config import Settings
from sagwa.domain.contact_hours import next_opening
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.seed.accounts import create_demo_accounts, demo_seller_id
from sagwa.seed.demo import IPOD_SKU, DemoSize, load_demo
from sagwa.services import desk, desk_cases, notices
from sagwa.services import listings as listing_service
from sagwa.services.case_links import case_token
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "pages.json"
TARGET_MS = 200.0


def stage(session_factory, secret: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The incident, held change, accounts and notice the pages will show."""
    policy = load_desk_policy()

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    seller_id = demo_seller_id(session_factory)
    assert seller_id is not None
    accounts = create_demo_accounts(session_factory, seller_id=seller_id)
    with uow() as u:
        ipods = u.conn.execute(select(listings.c.id, listings.c.seller_id).join(
            products, products.c.id == listings.c.product_id).where(
            products.c.sku == IPOD_SKU).order_by(listings.c.id)).all()
    own = next(r.id for r in ipods if r.seller_id == seller_id)
    listing_service.propose_price_change(uow(), listing_id=own, new_price=Money(19_900, "KRW"),
                                         proposed_by="seller:seller", gate=guard_gate(load_rules()))
    now = datetime.now(UTC)
    with uow() as u:  # the busiest listing: the incident with the most customers
        busiest, price, first = u.conn.execute(
            select(orders.c.listing_id, func.min(orders.c.unit_price_minor),
                   func.min(orders.c.placed_at))
            .where(orders.c.listing_id != own).group_by(orders.c.listing_id)
            .order_by(func.count().desc()).limit(1)).one()
    # from its first order (a window before the listing existed is refused)
    row = desk.declare(uow(), listing_ids=[busiest], wrong_price=Money(price, "KRW"),
                       correct_price=Money(price * 10, "KRW"), window_start=first,
                       cause="a 90% event typed as the price (bench)", responsible="both", actor="bench",
                       correct_price_confirmed=True)  # ten times a demo price: for the pages only
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="bench")
    desk.plan(uow(), incident_id=incident_id,
              options=["keep", "cancel_with_compensation", "talk_to_person"],
              # an hour after the centre opens, ten days on: the deadline must fall in its hours
              deadline=next_opening(policy.schedule, now + timedelta(days=10)) + timedelta(hours=1),
              default="keep", seller_share_pct=50,
              platform_share_pct=50, actor="bench", policy=policy,
              cancel_compensation=Money(10_000, "KRW"))
    notify(uow(), incident_id=incident_id, actor="bench", policy=policy,
           links=LinkMaker(secret, "http://127.0.0.1:8000"))
    desk_cases.escalate_unanswered(uow(), incident_id=incident_id, actor="bench")
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=policy)
    notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title, body=body,
                           actor="bench")
    with uow() as u:
        first = u.cases.for_incident(incident_id, limit=1)[0].case
        cases = len(u.cases.for_incident(incident_id))
    token = case_token(secret, case_id=int(first.case_id), customer_id=int(first.customer_id),
                       expires_at=now + timedelta(days=30))
    return {"incident_id": incident_id, "cases": cases, "token": token, "listing": own,
            "accounts": {a.role.value: (a.username, a.password) for a in accounts}}


def _login(client: TestClient, username: str, password: str) -> None:
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


#: What each page answers here: /healthz is 503 "degraded" with no worker alive (none runs in
#: this process), an answer as cheap as "ok" for the baseline.
_ANSWERED = {"/healthz": (200, 503)}


def _time(client: TestClient, path: str, repeat: int) -> dict[str, float]:
    ok = _ANSWERED.get(path, (200,))
    for _ in range(3):
        assert client.get(path).status_code in ok, path
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        answer = client.get(path)
        samples.append((time.perf_counter() - t) * 1000)
        assert answer.status_code in ok, path
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 2),
            "max_ms": round(samples[-1], 2)}


def pages(staged: dict[str, object]) -> list[tuple[str, str | None, str]]:
    """(label, role to log in as, path)."""
    return [("healthz (baseline)", None, "/healthz"), ("login", None, "/login"),
            ("seller", "seller", "/seller"),
            ("seller listing", "seller", f"/seller/listings/{staged['listing']}"),
            ("review queue", "reviewer", "/ops/review"),
            ("incidents", "admin", "/ops/incidents"),
            ("incident", "admin", f"/ops/incidents/{staged['incident_id']}"),
            ("  + timeline (htmx)", "admin", f"/ops/incidents/{staged['incident_id']}/timeline"),
            ("  + notice editor", "admin",
             f"/ops/incidents/{staged['incident_id']}/notice/editor"),
            ("call queue", "agent", "/cs/queue"), ("customer case", None, f"/c/{staged['token']}"),
            ("notices", None, "/notices")]


def run(size: DemoSize, repeat: int, *, analyze: bool = True) -> dict[str, object]:
    settings = Settings(database_url=None, data_dir=Path(tempfile.mkdtemp()),
                        environment="test")
    with replay_server(settings) as server, fresh_database(server) as db:
        t = time.perf_counter()
        summary = load_demo(db.session_factory, size=size)
        load_s = time.perf_counter() - t
        staged = stage(db.session_factory, settings.secret_key)
        if analyze:
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        results = {}
        with TestClient(create_app(settings, database=db)) as client:
            for label, role, path in pages(staged):
                if role is None:
                    client.cookies.clear()
                else:
                    username, password = staged["accounts"][role]  # type: ignore[index]
                    _login(client, username, password)
                results[label] = _time(client, path, repeat)
    base = results["healthz (baseline)"]["median_ms"]
    for row in results.values():
        row["ratio"] = round(row["median_ms"] / base, 1) if base else None
        row["under_target"] = row["p95_ms"] < TARGET_MS
    return {"demo": vars(summary), "load_s": round(load_s, 1), "incident_cases": staged["cases"],
            "repeat": repeat, "analyzed": analyze, "target_ms": TARGET_MS, "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-analyze", dest="analyze", action="store_false",
                        help="measure the freshly loaded tables without statistics")
    args = parser.parse_args()
    data = run(DemoSize(customers=args.customers, orders=args.orders), args.repeat,
               analyze=args.analyze)
    print(f"demo: {args.customers} customers, {args.orders} orders; incident with "
          f"{data['incident_cases']} cases; {args.repeat} requests per page"
          f"{'' if args.analyze else '; no ANALYZE'}")
    print(f"{'page':<22} {'median ms':>10} {'p95 ms':>8} {'x healthz':>10}  < {TARGET_MS:.0f} ms")
    for label, row in data["pages"].items():  # type: ignore[union-attr]
        print(f"{label:<22} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} "
              f"{row['ratio']:>10.1f}  {'yes' if row['under_target'] else 'NO'}")
    data["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n",
                       encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
