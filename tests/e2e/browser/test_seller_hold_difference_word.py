"""The seller's incident page says what their customer chose when it holds an order for the
difference, and when it sends one whose difference was paid, as the customer was told it:
"정가에서 할인된 가격" for a book under the fixed book price law sold at its 정가 ("정상가"
misstates a book's reference price), "정상가에서 할인된 가격" for anything else."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e
DISCOUNT = "buy_at_correct_price_discount"


def _book_discount_taken(session_factory: sessionmaker[Session], secret: str,
                         world: World) -> tuple[int, int]:
    """Seller B's book (정가 15,000원) listed at 1,500원 by mistake; 김민준's order, told of 10%
    off its 정가 or cancelling, takes the discount: the incident's and the case's ids."""
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
    orders.place_order(uow(), customer_id=world.customers["김민준"], listing_id=listing,
                       quantity=1, actor="t", velocity=None)
    clock.advance(timedelta(minutes=20))
    incident = int(desk.declare(
        uow(), listing_ids=[listing], wrong_price=Money(1_500, "KRW"),
        correct_price=Money(15_000, "KRW"), window_start=clock.now - timedelta(minutes=30),
        cause="가격 입력 실수", responsible="seller", actor="admin:test").incident.incident_id)
    desk.scope(uow(), incident_id=incident, actor="admin:test")
    desk.plan(uow(), incident_id=incident, options=["cancel_with_compensation", DISCOUNT],
              deadline=closing_time_after(clock.now + timedelta(days=7)),
              default="follow_up_call", seller_share_pct=100, platform_share_pct=0,
              actor="admin:test", policy=POLICY, cancel_compensation=Money(3_000, "KRW"),
              discount_pct=10)
    notify(uow(), incident_id=incident, actor="admin:test", policy=POLICY,
           links=LinkMaker(secret, "http://127.0.0.1"))
    clock.now = datetime.now(UTC) - timedelta(hours=1)
    with uow() as u:
        case_id = int(u.cases.for_incident(incident)[0].case.case_id)
    desk_cases.record_choice(uow(), case_id=case_id, choice=DISCOUNT, channel="web",
                             evidence="pressed buy at the discount", taken_by="customer",
                             policy=POLICY)
    return incident, case_id


def _held_for_the_difference(client: TestClient, incident_id: int) -> str:
    page = html.unescape(client.get(f"/seller/incidents/{incident_id}?lang=ko").text)
    return page.split('<li data-instruction="hold_difference">')[1].split("</li>")[0]


def test_a_books_order_held_for_the_difference_names_its_list_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    incident, case_id = _book_discount_taken(session_factory, page_settings.secret_key, world)
    log_in(client, "seller_b")
    said = _held_for_the_difference(client, incident)
    assert "고객이 정가에서 할인된 가격으로 사기로 했고 차액을 아직 내지 않았습니다." in said
    assert "정상가" not in said
    english = html.unescape(client.get(f"/seller/incidents/{incident}?lang=en").text)
    assert "the customer chose the discounted correct price" in english
    record_difference_paid(SqlAlchemyUnitOfWork(session_factory), case_id=case_id,
                           actor="agent:park", note="transfer", policy=POLICY)
    page = html.unescape(client.get(f"/seller/incidents/{incident}?lang=ko").text)
    sent = page.split('id="seller-orders"')[1]
    assert 'data-reason="discount_paid">정가에서 할인된 가격으로 사고 차액을 냈습니다' in sent
    assert "정상가" not in page


def test_another_products_order_held_for_the_difference_names_its_regular_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))  # seller A's earphones
    log_in(client, "seller_a")
    said = _held_for_the_difference(client, case.incident_id)
    assert "고객이 정상가에서 할인된 가격으로 사기로 했고 차액을 아직 내지 않았습니다." in said
    record_difference_paid(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                           actor="agent:park", note="transfer", policy=POLICY)
    page = html.unescape(client.get(f"/seller/incidents/{case.incident_id}?lang=ko").text)
    assert 'data-reason="discount_paid">정상가에서 할인된 가격으로 사고 차액을 냈습니다' in page
