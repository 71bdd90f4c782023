"""A customer's click and an agent's phone entry on the same case at the same moment."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from sagwa.adapters.db.tables import ledger_entries
from sagwa.adapters.db.tables import orders as orders_table
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()


@pytest.fixture
def cases(committed_database):
    clock_now = [datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)]
    factory = committed_database.session_factory

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory, lambda: clock_now[0])

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    for n in range(8):
        person = catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t")
        clock_now[0] += timedelta(minutes=3)
        orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                           actor="t", velocity=None)
    clock_now[0] = datetime(2008, 6, 12, 15, 0, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, "KRW"),
                       correct_price=Money(199_000, "KRW"),
                       window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL), cause="typo",
                       responsible="seller", actor="op")
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="op")
    desk.plan(uow(), incident_id=incident_id, options=["keep", "cancel_with_compensation"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=50, platform_share_pct=50, actor="op", policy=POLICY,
              cancel_compensation=Money(5_000, "KRW"))
    notify(uow(), incident_id=incident_id, actor="op", policy=POLICY,
           links=LinkMaker("test-secret-key-0123456789", "http://t"))
    with uow() as u:
        ids = [int(r.case.case_id) for r in u.cases.for_incident(incident_id)]
    return uow, ids


def _race(uow, case_id, first: dict, second: dict) -> list[object]:
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]

    def run(slot: int, args: dict) -> None:
        barrier.wait()
        try:
            results[slot] = desk_cases.record_choice(uow(), case_id=case_id, policy=POLICY, **args)
        except IllegalTransition as exc:
            results[slot] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate((first, second))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


CUSTOMER_CANCELS = {"choice": "cancel_with_compensation", "channel": "web",
                    "evidence": "clicked: cancel", "taken_by": "customer"}
AGENT_KEEPS = {"choice": "keep", "channel": "phone", "evidence": "그냥 받을게요", "taken_by": "agent:choi"}


def test_customer_and_agent_at_once_end_in_one_consistent_state(cases) -> None:
    uow, ids = cases
    for case_id in ids[:4]:
        results = _race(uow, case_id, CUSTOMER_CANCELS, AGENT_KEEPS)
        refused = [r for r in results if isinstance(r, IllegalTransition)]
        won = [r for r in results if not isinstance(r, IllegalTransition)]
        assert len(refused) == 1 and len(won) == 1
        with uow() as u:
            row = u.cases.get(case_id)
            statuses = set(u.conn.execute(select(orders_table.c.status).where(
                orders_table.c.id.in_([int(i) for i in row.case.order_ids]))).scalars())
        choice = row.case.consent.choice.value
        assert row.case.status.value == "resolved"
        assert statuses == ({"cancelled"} if choice == "cancel_with_compensation" else {"placed"})
        assert (row.compensation_entry_id is not None) == (choice == "cancel_with_compensation")


def test_the_same_choice_twice_at_once_books_compensation_once(cases) -> None:
    uow, ids = cases
    for case_id in ids[4:]:
        results = _race(uow, case_id, CUSTOMER_CANCELS, CUSTOMER_CANCELS)
        assert sorted(r.changed for r in results) == [False, True]
    with uow() as u:
        entries = u.conn.execute(select(func.count()).select_from(ledger_entries).where(
            ledger_entries.c.kind == "incident_compensation")).scalar_one()
    assert entries == len(ids[4:])
