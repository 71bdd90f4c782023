"""Reversals on real PostgreSQL: they never leave a customer below zero points, and a case's
compensation is not undone behind the case's back. A refused reversal writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.tables import audit_log, ledger_entries
from sagwa.domain.ledger import AccountKind
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict, InsufficientPoints
from sagwa.services import catalog, desk, desk_cases, listings, orders, points
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

Uow = Callable[[], SqlAlchemyUnitOfWork]
SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
K = AccountKind


@pytest.fixture
def customer(uow: Uow) -> int:
    return catalog.register_customer(uow(), name="김민준", email="mj@example.com", actor="t").id


def _written(uow: Uow) -> tuple[int, int]:
    """Ledger entries and audit records so far: a refused reversal must change neither."""
    with uow() as u:
        return (u.conn.execute(select(func.count()).select_from(ledger_entries)).scalar_one(),
                u.conn.execute(select(func.count()).select_from(audit_log)).scalar_one())


def _balance(uow: Uow, customer_id: int) -> int:
    return points.points_balance(uow(), customer_id=customer_id)


def test_undoing_a_credit_whose_points_were_spent_is_refused(uow: Uow, customer: int) -> None:
    credit = points.credit_customer_points(uow(), customer_id=customer, points=3000, memo="m",
                                           actor="t")
    points.debit_customer_points(uow(), customer_id=customer, points=3000, memo="spent",
                                 actor="t")
    before = _written(uow)
    with pytest.raises(InsufficientPoints, match="already spent") as info:
        points.reverse_entry(uow(), entry_id=credit.entry_id, memo="booked by mistake",
                             actor="t")
    assert info.value.as_dict()["details"] == {
        "balance": 0, "requested": 3000, "customer_id": customer, "entry_id": credit.entry_id,
        "reason": "reversal_would_overdraw"}
    assert _written(uow) == before
    assert _balance(uow, customer) == 0


def test_undoing_a_partly_spent_credit_is_refused(uow: Uow, customer: int) -> None:
    credit = points.credit_customer_points(uow(), customer_id=customer, points=3000, memo="m",
                                           actor="t")
    points.debit_customer_points(uow(), customer_id=customer, points=1, memo="spent", actor="t")
    with pytest.raises(InsufficientPoints):
        points.reverse_entry(uow(), entry_id=credit.entry_id, memo="x", actor="t")
    assert _balance(uow, customer) == 2999


def test_a_credit_still_held_can_be_undone_and_a_spend_can_be_given_back(
        uow: Uow, customer: int) -> None:
    first = points.credit_customer_points(uow(), customer_id=customer, points=3000, memo="m",
                                          actor="t")
    second = points.credit_customer_points(uow(), customer_id=customer, points=1000, memo="m",
                                           actor="t")
    spend = points.debit_customer_points(uow(), customer_id=customer, points=1000, memo="s",
                                         actor="t")
    points.reverse_entry(uow(), entry_id=first.entry_id, memo="booked by mistake", actor="t")
    assert _balance(uow, customer) == 0
    with pytest.raises(InsufficientPoints):
        points.reverse_entry(uow(), entry_id=second.entry_id, memo="x", actor="t")
    points.reverse_entry(uow(), entry_id=spend.entry_id, memo="refund the spend", actor="t")
    assert _balance(uow, customer) == 1000
    points.reverse_entry(uow(), entry_id=second.entry_id, memo="now it is held", actor="t")
    assert _balance(uow, customer) == 0


@pytest.fixture
def compensated(session_factory: sessionmaker[Session]) -> tuple[Uow, int, int, int]:
    """One customer who ordered the iPod nano at 19,900 KRW and chose to cancel for 10,000
    compensation points: (uow, customer, case, compensation entry)."""
    clock = ManualClock(datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, "KRW"), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    buyer = catalog.register_customer(uow(), name="고객", email="c@example.com", actor="t").id
    clock.now = datetime(2008, 6, 12, 14, 7, tzinfo=SEOUL)
    orders.place_order(uow(), customer_id=buyer, listing_id=listing.id, quantity=1, actor="t",
                       velocity=None)
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    incident_id = int(desk.declare(
        uow(), listing_ids=[listing.id], wrong_price=Money(19_900, "KRW"),
        correct_price=Money(199_000, "KRW"), window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
        cause="90% event typed as the price", responsible="both", actor="operator:lee",
    ).incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    desk.plan(uow(), incident_id=incident_id, options=["keep", "cancel_with_compensation"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=60, platform_share_pct=40, actor="operator:lee", policy=POLICY,
              cancel_compensation=Money(10_000, "KRW"))
    with uow() as u:
        case_id = int(u.cases.for_incident(incident_id)[0].case.case_id)
    result = desk_cases.record_choice(uow(), case_id=case_id, choice="cancel_with_compensation",
                                      channel="web", evidence="clicked: cancel",
                                      taken_by="customer", policy=POLICY)
    assert result.compensation_entry_id is not None
    return uow, buyer, case_id, result.compensation_entry_id


def test_a_cases_compensation_cannot_be_reversed(compensated: tuple[Uow, int, int, int]) -> None:
    uow, buyer, case_id, entry_id = compensated
    before = _written(uow)
    with pytest.raises(Conflict, match=f"compensation of incident case {case_id}") as info:
        points.reverse_entry(uow(), entry_id=entry_id, memo="take it back", actor="t")
    assert info.value.code == "conflict"
    assert info.value.details == {"case_id": case_id, "reason": "case_compensation_entry"}
    assert _written(uow) == before
    assert _balance(uow, buyer) == 10_000
    with uow() as u:
        row = u.cases.get(case_id)
        assert row is not None and row.compensation_entry_id == entry_id
        stored = u.ledger.get(entry_id)
        assert stored is not None and stored.reversed_by is None
        seller_id = u.conn.exec_driver_sql("SELECT id FROM sellers").scalar_one()
        assert u.ledger.balance(K.SELLER_CHARGEBACK, seller_id) == -6_000


def test_other_points_of_a_compensated_customer_can_still_be_reversed(
        compensated: tuple[Uow, int, int, int]) -> None:
    uow, buyer, _, _ = compensated
    extra = points.credit_customer_points(uow(), customer_id=buyer, points=500, memo="goodwill",
                                          actor="t")
    points.reverse_entry(uow(), entry_id=extra.entry_id, memo="booked twice", actor="t")
    assert _balance(uow, buyer) == 10_000


def test_a_refused_compensation_reversal_says_it_is_final_and_how_to_give_more(
        compensated: tuple[Uow, int, int, int]) -> None:
    uow, buyer, case_id, entry_id = compensated
    with pytest.raises(Conflict) as info:
        points.reverse_entry(uow(), entry_id=entry_id, memo="take it back", actor="t")
    message = str(info.value)
    assert "compensation is final" in message
    assert "while the case records it" not in message  # no way out that does not exist
    assert f"POST /api/customers/{buyer}/points/credit" in message
    assert info.value.details == {"case_id": case_id, "reason": "case_compensation_entry"}
