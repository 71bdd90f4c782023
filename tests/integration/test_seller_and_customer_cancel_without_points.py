"""A plan may offer the cancellation without points (0), on real PostgreSQL: the seller's email
lists it as a full refund only, and so does the confirmation of a customer who chose it — neither
calls it "cancel with compensation points"; a plan with points still names them."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_desk import LINKS, POLICY, _planned, shop  # noqa: F401
from test_seller_notices import _notices, _with_email

from sagwa.adapters.db.tables import outbox
from sagwa.domain.money import Money
from sagwa.services import desk_cases
from sagwa.services.desk_notify import notify

CANCEL = "cancel_with_compensation"


def _notified_with(shop, points: int) -> tuple:
    uow, clock, listing_id, people, seller_id = shop
    _with_email(uow, seller_id, "ops@haneul.example")
    iid = _planned(uow, clock, listing_id, cancel_compensation=Money(points, "KRW"))
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    return uow, cases, people


def _confirmation(uow, case_id: int) -> str:
    with uow() as u:
        return str(u.conn.execute(select(outbox.c.body).where(
            outbox.c.purpose == "confirmation", outbox.c.case_id == case_id,
            outbox.c.channel == "email")).scalar_one())


def _cancelled(uow, cases: dict[int, int], customer: int) -> str:
    desk_cases.record_choice(uow(), case_id=cases[customer], choice=CANCEL, channel="web",
                             evidence="clicked: cancel", taken_by="customer", policy=POLICY)
    return _confirmation(uow, cases[customer])


def test_without_points_the_seller_and_the_customer_read_a_full_refund_only(shop) -> None:
    uow, cases, people = _notified_with(shop, 0)
    ko, en = _notices(uow)[-1].body.split("— English —")
    assert "- 고객께 드리는 선택지: 주문 유지, 주문 취소(전액 환불), 상담원과 통화" in ko
    assert ("- Options offered: keep the order; cancel the order (full refund); talk to a person"
            in en)
    assert "보상 포인트" not in ko and "compensation points" not in en
    korean = _cancelled(uow, cases, people[1])  # 고객1 reads Korean
    assert "- 선택하신 방법: 주문 취소(전액 환불)\n" in korean
    assert "- 안내드린 방법: 주문 유지, 주문 취소(전액 환불), 상담원과 통화\n" in korean
    assert "보상 포인트" not in korean
    english = _cancelled(uow, cases, people[0])  # Alex Kim reads English
    assert "cancel the order (full refund)" in english and "compensation points" not in english


def test_with_points_the_seller_and_the_customer_read_them(shop) -> None:
    uow, cases, people = _notified_with(shop, 10_000)
    ko, _en = _notices(uow)[-1].body.split("— English —")
    assert "주문 취소(전액 환불과 보상 10,000포인트)" in ko
    assert "- 선택하신 방법: 주문 취소(전액 환불과 보상 포인트)" in _cancelled(uow, cases, people[1])
