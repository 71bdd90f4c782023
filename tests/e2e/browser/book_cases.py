"""A book's pricing incident for the customer pages' tests of its wording: seller B's book
(정가 15,000원) listed at 1,500원 by mistake, 김민준's order, the customer told of 10% off the
correct price or cancelling (``desk_messages.correct_price_word``: 정가 or 판매가)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

DISCOUNT = "buy_at_correct_price_discount"


def book_discount_offered(session_factory: sessionmaker[Session], secret: str, world: World,
                          correct: int, *, choose: bool = True) -> tuple[int, int]:
    """Seller B's book (정가 15,000원) listed at 1,500원 by mistake; 김민준's order, told of 10%
    off ``correct`` (below 15,000원: an operator's rules let books sell at 5% of their list
    price) or cancelling, takes the discount (unless not ``choose``): the case's and the
    customer's ids."""
    clock = ManualClock(datetime.now(UTC) - timedelta(days=2))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="채식주의자", title_en="The Vegetarian",
                                       category="books", list_price=Money(15_000, "KRW"),
                                       actor="t")
    listing = listings.create_listing(uow(), seller_id=world.seller_b, product_id=product.id,
                                      price=Money(1_500, "KRW"), actor="test").id
    listings.change_listing_status(uow(), listing_id=listing, trigger=ListingTrigger.PUBLISH,
                                   actor="test")
    clock.advance(timedelta(minutes=10))
    customer = world.customers["김민준"]
    orders.place_order(uow(), customer_id=customer, listing_id=listing, quantity=1, actor="t",
                       velocity=None)
    clock.advance(timedelta(minutes=20))
    incident = int(desk.declare(
        uow(), listing_ids=[listing], wrong_price=Money(1_500, "KRW"),
        correct_price=Money(correct, "KRW"), window_start=clock.now - timedelta(minutes=30),
        cause="가격 입력 실수", responsible="seller", actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    rules = dataclasses.replace(load_rules(), category_list_floor_pct={"books": 5.0})
    desk.plan(uow(), incident_id=incident, options=["cancel_with_compensation", DISCOUNT],
              deadline=closing_time_after(clock.now + timedelta(days=7)),
              default="follow_up_call", seller_share_pct=100, platform_share_pct=0,
              actor="admin:test", policy=POLICY, cancel_compensation=Money(3_000, "KRW"),
              discount_pct=10, price_rules=rules)
    notify(uow(), incident_id=incident, actor="admin:test", policy=POLICY,
           links=LinkMaker(secret, "http://127.0.0.1"))
    clock.now = datetime.now(UTC) - timedelta(hours=1)
    with uow() as u:
        case_id = int(u.cases.for_incident(incident)[0].case.case_id)
    if choose:
        desk_cases.record_choice(uow(), case_id=case_id, choice=DISCOUNT, channel="web",
                                 evidence="pressed buy at the discount", taken_by="customer",
                                 policy=POLICY)
    return case_id, customer
