"""Benchmark: scope + plan + queue apologies for an incident of N affected orders (default 100k).

Setup (not timed) bulk-loads N customers each with one order at the wrong price on one listing.
Timed, each step one real service call on a fresh embedded PostgreSQL: ``desk.scope`` (cases),
``desk.plan``, ``desk_notify.notify`` (render, message check, outbox rows + delivery jobs).
Prints a table and writes bench/results/desk_scale.json.

    .venv/bin/python bench/desk_scale.py [--n 100000] [--email-only]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, update

from sagwa.adapters.db.tables import cases, customers, incidents, orders, outbox
from sagwa.config import Settings
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.replay.scratch import fresh_database, replay_server
from sagwa.services import catalog, desk, listings
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)


def load(db, n: int, *, sms: bool = True) -> int:
    clock = [START - timedelta(days=1)]

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(db.session_factory, lambda: clock[0])

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="bench")
    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       title_en="Apple iPod nano 3rd gen 4GB",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="bench")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, "KRW"), actor="bench")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="bench")
    with db.engine.begin() as conn:
        for start in range(0, n, 20_000):
            rows = [{"name": f"고객{i:06d}", "email": f"c{i:06d}@example.com",
                     "phone": f"010-{2000 + i // 10000:04d}-{i % 10000:04d}" if sms else None,
                     "locale": "en" if i % 10 == 0 else "ko", "created_at": START}
                    for i in range(start, min(n, start + 20_000))]
            ids = conn.execute(insert(customers).returning(customers.c.id), rows).scalars().all()
            conn.execute(insert(orders), [
                {"customer_id": cid, "listing_id": listing.id, "quantity": 1,
                 "unit_price_minor": 19_900, "currency": "KRW", "status": "placed",
                 "placed_at": START + timedelta(seconds=k % 14_400),
                 "updated_at": START} for k, cid in enumerate(ids)])
    return listing.id


def planned_incident(uow: Callable[[], SqlAlchemyUnitOfWork], listing_id: int,
                     policy: DeskPolicy, *,
                     options: Sequence[str] = ("keep", "cancel_with_compensation",
                                               "talk_to_person")) -> int:
    """An incident over the listing ``load`` made, declared, scoped and planned (``options``;
    the deadline 2008-06-17 18:00, default keep, 10,000 KRW for cancelling, costs halved): the
    other benchmarks' starting point, untimed. Its id."""
    iid = int(desk.declare(uow(), listing_ids=[listing_id], wrong_price=Money(19_900, "KRW"),
                           correct_price=Money(199_000, "KRW"), window_start=START,
                           cause="typo", responsible="both", actor="op").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="op")
    desk.plan(uow(), incident_id=iid, options=list(options),
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=50, platform_share_pct=50, actor="op", policy=policy,
              cancel_compensation=Money(10_000, "KRW"))
    return iid


def told_incident(db, n: int, policy: DeskPolicy  # type: ignore[no-untyped-def]
                  ) -> tuple[int, int, Callable[[], SqlAlchemyUnitOfWork], datetime]:
    """``load`` (``sms`` off) and ``planned_incident``, then the incident marked told
    (``notifying``; no messages are written) and answers as statuses: a tenth of the cases
    kept by the customer, a tenth defaulted — what the pages and views read. (listing id,
    incident id, a unit-of-work factory at the moment returned, that moment)."""
    listing_id = load(db, n, sms=False)
    now = START + timedelta(hours=4)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(db.session_factory, lambda: now)

    incident_id = planned_incident(uow, listing_id, policy)
    with db.engine.begin() as conn:
        conn.execute(update(incidents).where(incidents.c.id == incident_id).values(
            status="notifying"))
        conn.execute(update(cases).where(cases.c.id % 10 == 1).values(
            status="resolved", choice="keep", choice_channel="web", choice_at=now,
            choice_evidence="bench", choice_taken_by="customer"))
        conn.execute(update(cases).where(cases.c.id % 10 == 2).values(status="defaulted"))
    return listing_id, incident_id, uow, now


def run(n: int, *, sms: bool = True) -> dict[str, float]:
    policy = load_desk_policy()
    with replay_server(Settings(database_url=None,
                                data_dir=Path(tempfile.mkdtemp()))) as server, \
            fresh_database(server) as db:
        listing_id = load(db, n, sms=sms)
        now = [START + timedelta(hours=4)]

        def uow() -> SqlAlchemyUnitOfWork:
            return SqlAlchemyUnitOfWork(db.session_factory, lambda: now[0])

        timings: dict[str, float] = {}
        t = time.perf_counter()
        row = desk.declare(uow(), listing_ids=[listing_id], wrong_price=Money(19_900, "KRW"),
                           correct_price=Money(199_000, "KRW"), window_start=START,
                           cause="90% event typed as the price", responsible="both", actor="op")
        incident_id = int(row.incident.incident_id)
        timings["declare_s"] = time.perf_counter() - t
        t = time.perf_counter()
        desk.scope(uow(), incident_id=incident_id, actor="op")
        timings["scope_s"] = time.perf_counter() - t
        t = time.perf_counter()
        desk.plan(uow(), incident_id=incident_id,
                  options=["keep", "cancel_with_compensation", "talk_to_person"],
                  deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
                  seller_share_pct=50, platform_share_pct=50, actor="op", policy=policy,
                  cancel_compensation=Money(10_000, "KRW"))
        timings["plan_s"] = time.perf_counter() - t
        t = time.perf_counter()
        summary = notify(uow(), incident_id=incident_id, actor="op", policy=policy,
                         links=LinkMaker("bench-secret-key-0123456789", "http://127.0.0.1:8000"))
        timings["notify_s"] = time.perf_counter() - t
        with db.engine.connect() as conn:
            queued = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
            jobs = conn.exec_driver_sql("SELECT count(*) FROM procrastinate_jobs").scalar_one()
        total = timings["scope_s"] + timings["plan_s"] + timings["notify_s"]
        return {"affected_orders": n, "cases": summary.cases, "messages_queued": queued,
                "jobs_deferred": jobs, **{k: round(v, 2) for k, v in timings.items()},
                "scope_plan_notify_s": round(total, 2),
                "messages_per_s": round(queued / timings["notify_s"], 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--email-only", action="store_true",
                        help="customers without a phone: one apology (email) per customer")
    args = parser.parse_args()
    result = {**run(args.n, sms=not args.email_only), "email_only": args.email_only}
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    name = "desk_scale_email_only.json" if args.email_only else "desk_scale.json"
    out = Path(__file__).parent / "results" / name
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
