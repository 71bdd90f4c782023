"""The messages after a discount choice call the correct price what the apology called it, on
real PostgreSQL: for a book under the fixed book price law (도서정가제) its 정가 where it sold at
its list price, else its 판매가 — "정상가" for a book sold under its 정가 misstates the reference
price — and 정상가 for anything else. The customer's reminder of the difference, the receipt
for it and the confirmation of cancelling instead, and the seller's emails (the customers
told, the difference paid, cancelled instead) alike; and before that the confirmation of the
choice, the note after the default and the messages after the deadline to customers never told
or never reached."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select
from test_desk import publish_notice

from sagwa.adapters.db.tables import outbox
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.messagecheck import check_message
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, desk_cases, listings, orders
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.seller_notices import SELLER_PURPOSE
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
LINKS = LinkMaker("test-secret-key-0123456789", "http://127.0.0.1:8000")
WRONG, LIST = Money(1_500, "KRW"), Money(15_000, "KRW")
DISCOUNT = "buy_at_correct_price_discount"
#: (category, correct price, the word): a book sold at its 정가; one sold below it (an
#: operator's rules letting books sell at 5% of their list price, so that 10% off 13,500원 is
#: lawful); the same prices for a product no fixed-price law covers
CASES = [("books", 15_000, "정가"), ("books", 13_500, "판매가"), ("electronics/mp3", 15_000, "정상가")]


def _discount_taken(session_factory, category: str, correct: int):  # type: ignore[no-untyped-def]
    """A product of ``category`` (list price 15,000원) listed at 1,500원 by mistake; two
    customers' orders, told of a plan offering 10% off ``correct`` or cancelling, both take
    the discount the next morning."""
    uow, clock, iid, cases = _told(session_factory, category, correct)
    clock.now = datetime(2026, 12, 4, 10, 0, tzinfo=SEOUL)
    for case_id in cases:
        desk_cases.record_choice(uow(), case_id=case_id, choice=DISCOUNT, channel="web",
                                 evidence="clicked the discount", taken_by="customer",
                                 policy=POLICY)
    return uow, clock, iid, cases


def _told(session_factory, category: str, correct: int,  # type: ignore[no-untyped-def]
          customers: int = 2, *, phones: bool = False):
    """The incident of :func:`_discount_taken`, its ``customers`` (with a phone number, with
    ``phones``) notified (their apologies queued) and none answered yet: the unit of work,
    clock, incident id and case ids (in the order the customers ordered)."""
    clock = ManualClock(datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="chaek", name="책방", actor="t",
                                     contact_email="ops@chaek.example")
    product = catalog.register_product(uow(), title="채식주의자", title_en="The Vegetarian",
                                       category=category, list_price=LIST, actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=WRONG, actor="seller:chaek")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    people = []
    for n in range(customers):
        person = catalog.register_customer(uow(), name=f"독자{n}", email=f"r{n}@example.com",
                                           phone=f"010-5555-000{n}" if phones else None,
                                           actor="t")
        people.append(person.id)
        clock.now += timedelta(minutes=5)
        orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                           actor="t", velocity=None)
    clock.now = datetime(2026, 12, 3, 17, 30, tzinfo=SEOUL)
    iid = int(desk.declare(uow(), listing_ids=[listing.id], wrong_price=WRONG,
                           correct_price=Money(correct, "KRW"),
                           window_start=datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL),
                           cause="a digit left out", responsible="seller",
                           actor="operator:lee").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="operator:lee")
    rules = dataclasses.replace(load_rules(), category_list_floor_pct={"books": 5.0})
    desk.plan(uow(), incident_id=iid, options=["cancel_with_compensation", DISCOUNT],
              deadline=datetime(2026, 12, 8, 18, 0, tzinfo=SEOUL), default="follow_up_call",
              seller_share_pct=100, platform_share_pct=0, actor="operator:lee", policy=POLICY,
              cancel_compensation=Money(3_000, "KRW"), discount_pct=10, price_rules=rules)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    return uow, clock, iid, [cases[p] for p in people]


def _bodies(uow, purpose: str, case_id: int | None = None,  # type: ignore[no-untyped-def]
            key: str = "") -> list[str]:
    with uow() as u:
        query = select(outbox.c.body).where(outbox.c.purpose == purpose,
                                            outbox.c.idempotency_key.like(f"%{key}%"))
        if case_id is not None:
            query = query.where(outbox.c.case_id == case_id)
        return list(u.conn.execute(query.order_by(outbox.c.id)).scalars())


def _korean(body: str) -> str:
    """A seller email's Korean part (it is Korean, then English)."""
    return body.split("— English —")[0]


@pytest.mark.parametrize(("category", "correct", "word"), CASES)
def test_the_customers_follow_ups_call_the_correct_price_as_the_apology_did(
        session_factory, category: str, correct: int, word: str) -> None:
    uow, clock, _iid, (paying, cancelling) = _discount_taken(session_factory, category, correct)
    reminders = _bodies(uow, "difference_reminder")
    assert len(reminders) == 2
    for body in reminders:
        assert f"(한국 시간)에 {word}에서 할인된 가격으로 사시기로 하셨습니다." in body
    clock.now += timedelta(hours=2)
    record_difference_paid(uow(), case_id=paying, actor="agent:park", note="transfer 1204",
                           policy=POLICY)
    [receipt] = _bodies(uow, "difference_received", paying)
    assert f"고객님께서는 {word}에서 할인된 가격으로 사시기로 하셨습니다. 그 차액" in receipt
    cancel_instead_of_paying(uow(), case_id=cancelling, channel="phone",
                             evidence="고객: 차액 대신 취소해 주세요", taken_by="agent:park",
                             policy=POLICY, links=LINKS)
    [confirmation] = _bodies(uow, "cancelled_instead", cancelling)
    assert f"(한국 시간)에 {word}에서 할인된 가격으로 사시기로 하셨습니다. 그 뒤" in confirmation
    if word != "정상가":
        for body in [*reminders, receipt, confirmation]:
            assert "정상가" not in body


@pytest.mark.parametrize(("category", "correct", "word"), CASES)
def test_the_sellers_emails_call_the_correct_price_as_the_customers_are_told(
        session_factory, category: str, correct: int, word: str) -> None:
    uow, clock, iid, (paying, cancelling) = _discount_taken(session_factory, category, correct)
    [told] = _bodies(uow, SELLER_PURPOSE, key=":notified")
    # the option named once, with its size: not "…10% 할인된 가격으로 구매(정상가의 10% 할인)"
    assert (f"- 고객께 드리는 선택지: 주문 취소(전액 환불과 보상 3,000포인트), {word}에서 10% 할인된 "
            "가격으로 구매\n") in told
    assert "% 할인)" not in told and "(10% off the correct price)" not in told
    assert "buy at 10% off the correct price" in told
    record_difference_paid(uow(), case_id=paying, actor="agent:park", note="transfer 1204",
                           policy=POLICY)
    [paid] = _bodies(uow, SELLER_PURPOSE, key=":difference_paid:")
    assert f"{word}에서 할인된 가격으로 사기로 한 고객이 차액을 결제했습니다." in _korean(paid)
    publish_notice(uow, iid, langs=("ko",))
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done", policy=POLICY)
    clock.now += timedelta(days=1)
    cancel_instead_of_paying(uow(), case_id=cancelling, channel="phone",
                             evidence="고객: 차액 대신 취소해 주세요", taken_by="agent:park",
                             policy=POLICY, links=LINKS)
    [instead] = _bodies(uow, SELLER_PURPOSE, key=":cancelled_instead:")
    assert f"{word}에서 할인된 가격으로 사기로 했던 고객이" in _korean(instead)
    if word != "정상가":
        for body in (told, paid, instead):
            assert "정상가" not in body


@pytest.mark.parametrize(("category", "correct", "word"), CASES)
def test_the_confirmation_and_the_messages_after_the_deadline_call_it_as_the_apology_did(
        session_factory, category: str, correct: int, word: str) -> None:
    """The confirmation of the discount; at the deadline, the note to a customer who did not
    answer (their default: a call) and the apology to one it never reached; once the calls
    fail, the message to each of them. Each passed the message check as it was queued."""
    uow, clock, iid, (choosing, silent, untold) = _told(session_factory, category, correct, 3,
                                                             phones=True)
    apologies_sent(uow, left_pending={untold})  # the worker was down: never told
    apology = _bodies(uow, "resolution", choosing)  # by email and by text
    assert all(f"{word}에서 10% 할인된 가격으로 구매" in body for body in apology)  # as it said it
    clock.now = datetime(2026, 12, 4, 10, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=choosing, choice=DISCOUNT, channel="web",
                             evidence="clicked the discount", taken_by="customer", policy=POLICY)
    [confirmation] = _bodies(uow, "confirmation", choosing)
    assert f"- 선택하신 방법: {word}에서 10% 할인된 가격으로 구매\n" in confirmation
    assert f"1개를 {word} {correct:,}원에서 10% 할인된 1개당" in confirmation
    clock.now = datetime(2026, 12, 8, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY,
                              links=LINKS)
    defaulted, never_told = _bodies(uow, "defaulted", silent), _bodies(uow, "never_told", untold)
    assert len(defaulted) == 1 and len(never_told) == 2  # the apology's channels: both
    clock.now = datetime(2026, 12, 9, 10, 0, tzinfo=SEOUL)
    for _ in range(POLICY.max_call_attempts):
        for case_id in (silent, untold):
            desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                           outcome="no_answer", agent="agent:park",
                                           policy=POLICY, links=LINKS)
        clock.now += POLICY.min_call_spacing
    unreachable = [*_bodies(uow, "unreachable", silent), *_bodies(uow, "unreachable", untold)]
    assert len(unreachable) >= 2
    for body in (*defaulted, *never_told, *unreachable):
        assert f"{word}에서 10% 할인된 가격으로 구매" in body, body
    for body in (confirmation, *defaulted, *never_told, *unreachable):
        assert ("정상가" in body) is (word == "정상가"), body
        result = check_message(body, kind="resolution", lang="ko")
        assert result.ok, result.as_dict()
