"""A plan for an incident on a book keeps the fixed book price law (도서정가제), on real
PostgreSQL: the legal review's incident 2 (채식주의자, 정가 15,000원, sold at 13,500원, 1,350원 by
mistake) could be planned with "keep" at 1,350원 as the default on silence and 30% off 13,500원."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sagwa.adapters.db.tables import outbox
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import BookPriceLawRefused
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
LINKS = LinkMaker("test-secret-key-0123456789", "http://127.0.0.1:8000")
WRONG, RIGHT, LIST = Money(1_350, "KRW"), Money(13_500, "KRW"), Money(15_000, "KRW")


@pytest.fixture
def book(session_factory):
    """A book listed at 1,350원 by mistake, two customers' orders, the incident scoped."""
    return _book_incident(session_factory, WRONG, RIGHT)


def _book_incident(session_factory, wrong: Money, right: Money):
    clock = ManualClock(datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="chaek", name="책방", actor="t")
    product = catalog.register_product(uow(), title="채식주의자", title_en="The Vegetarian",
                                       category="books", list_price=LIST, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=wrong, actor="seller:chaek")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    for n in range(2):
        person = catalog.register_customer(uow(), name=f"독자{n}", email=f"r{n}@example.com",
                                           actor="t")
        clock.now += timedelta(minutes=5)
        orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                           actor="t", velocity=None)
    clock.now = datetime(2026, 12, 3, 17, 30, tzinfo=SEOUL)
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=wrong, correct_price=right,
                       window_start=datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL),
                       cause="a digit left out", responsible="seller", actor="operator:lee")
    incident_id = int(row.incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    return uow, incident_id


def _plan(uow, incident_id, **overrides):
    terms = {
        "options": ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"],
        "deadline": datetime(2026, 12, 8, 18, 0, tzinfo=SEOUL), "default": "keep",
        "seller_share_pct": 100, "platform_share_pct": 0, "actor": "operator:lee",
        "policy": POLICY, "cancel_compensation": Money(3_000, "KRW"), "discount_pct": 30,
    }  # fmt: skip
    return desk.plan(uow(), incident_id=incident_id, **(terms | overrides))


def _refused(uow, incident_id, **overrides) -> BookPriceLawRefused:
    with pytest.raises(BookPriceLawRefused) as caught:
        _plan(uow, incident_id, **overrides)
    with uow() as u:  # nothing saved
        assert u.incidents.plan(incident_id, RIGHT) is None
    return caught.value


def test_the_reviewers_plan_keep_by_default_at_1350_is_refused(book) -> None:
    uow, incident_id = book
    exc = _refused(uow, incident_id)
    assert exc.details["reason"] == "book_keep_default_below_floor"
    assert exc.details["floor_ko"] == "13,500원" and exc.details["list_price_ko"] == "15,000원"


def test_keep_is_refused_as_an_option_and_the_discount_below_the_floor_too(book) -> None:
    uow, incident_id = book
    keep = _refused(uow, incident_id, default="follow_up_call")
    assert keep.details["reason"] == "book_keep_below_floor"
    discount = _refused(uow, incident_id, default="follow_up_call",
                        options=["cancel_with_compensation", "buy_at_correct_price_discount"])
    assert discount.details["reason"] == "book_discount_below_floor"
    assert discount.details["price_ko"] == "9,450원"


def test_cancelling_with_compensation_and_a_call_is_accepted(book) -> None:
    uow, incident_id = book
    decided = _plan(uow, incident_id, options=["cancel_with_compensation", "talk_to_person"],
                    default="follow_up_call", discount_pct=None)
    assert decided.cancel_compensation == Money(3_000, "KRW")


def test_the_floor_is_the_configured_guards(book) -> None:
    # an operator's rules saying books may sell at 5% of the list price (a used-books shop,
    # say): the desk holds the plan to the same floor the guard holds prices to
    uow, incident_id = book
    rules = dataclasses.replace(load_rules(), category_list_floor_pct={"books": 5.0})
    decided = _plan(uow, incident_id, price_rules=rules)
    assert decided.discount_pct == 30


def test_the_apology_names_a_books_correct_price_by_its_list_price(session_factory) -> None:
    # a book sold at its 정가 (15,000원), 1,500원 by mistake: 10% off is lawful (13,500원), and
    # the apology calls 15,000원 its 정가 — not "정상가", which for a book sold below its 정가
    # misstated the reference price
    uow, incident_id = _book_incident(session_factory, Money(1_500, "KRW"), LIST)
    _plan(uow, incident_id, options=["cancel_with_compensation", "buy_at_correct_price_discount"],
          default="follow_up_call", discount_pct=10)
    notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        bodies = u.conn.execute(select(outbox.c.body).where(
            outbox.c.channel == "email", outbox.c.locale == "ko")).scalars().all()
    assert bodies
    for body in bodies:
        assert "정가에서 10% 할인된 가격으로 구매: 1개당 13,500원(정가 15,000원)입니다." in body
        assert "정상가" not in body
