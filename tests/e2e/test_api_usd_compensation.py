"""A USD incident offers cancellation with compensation points over the API (found by a review:
the API, the ops page and the CLI give points, the plan wanted dollars, so every such plan was
refused; and a plan given $5 booked 500 points). Points are KRW whatever the incident's
currency: the plan takes them, the customer's choice books exactly them, and dollars are refused
with what to give instead."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.ledger import AccountKind
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()


def test_a_usd_incident_books_the_points_its_plan_offered(
        session_factory: sessionmaker[Session], client: TestClient) -> None:
    clock = ManualClock(datetime.now(SEOUL) - timedelta(hours=1))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="usd", name="US Gadgets", actor="t")
    product = catalog.register_product(uow(), title="iPod nano", category="electronics/mp3",
                                       list_price=Money(19_900, "USD"), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(1_990, "USD"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = clock.now
    person = catalog.register_customer(uow(), name="Alex", email="a@example.com", locale="en",
                                       actor="t")
    clock.now += timedelta(minutes=5)
    orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                       actor="t", velocity=None)
    clock.now = datetime.now(SEOUL)
    iid = int(desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(1_990, "USD"),
                           correct_price=Money(19_900, "USD"), window_start=start, cause="typo",
                           responsible="seller", actor="op").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="op")
    deadline = closing_time_after(clock.now + timedelta(days=5))
    with pytest.raises(InvalidInput, match="points"):
        desk.plan(uow(), incident_id=iid, options=["keep", "cancel_with_compensation"],
                  deadline=deadline, default="keep", seller_share_pct=50, platform_share_pct=50,
                  actor="op", policy=POLICY, cancel_compensation=Money(500, "USD"))
    answer = client.post(f"/api/incidents/{iid}/plan", json={
        "options": ["keep", "cancel_with_compensation"], "deadline": deadline.isoformat(),
        "default": "keep", "seller_share_pct": 50, "platform_share_pct": 50,
        "cancel_compensation_points": 5_000})
    assert answer.status_code in (200, 201), answer.text
    with uow() as u:
        case_id = u.cases.case_for_customer(iid, person.id)
    chosen = desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                      channel="phone", evidence="cancel", taken_by="agent:kim",
                                      policy=POLICY)
    assert chosen.compensation_points == 5_000
    with uow() as u:
        entry = u.ledger.get(chosen.compensation_entry_id).entry
    booked = {p.account.kind: p.amount for p in entry.postings}
    assert booked[AccountKind.CUSTOMER_POINTS] == Money(5_000, "KRW")
