"""The seller hears of a pricing incident on their listings from the platform, on real
PostgreSQL (``services.seller_notices``): when it is declared — paused; do not cancel or ask
the customers to; their page will say what to do with each order — and when the customers are
told (how many, the options, the deadline, the default, who pays). What the 2008 seller did
instead: phoned the buyers to ask them to cancel, then cancelled every order by text."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_desk import LINKS, POLICY, _declared, _planned, shop  # noqa: F401

from sagwa.adapters.db.tables import audit_log, outbox, sellers
from sagwa.services.desk_notify import notify
from sagwa.services.seller_notices import SELLER_PURPOSE


def _with_email(uow, seller_id: int, email: str | None) -> None:
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email=email))
        u.commit()


def _notices(uow) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(outbox.c.purpose == SELLER_PURPOSE)
                              .order_by(outbox.c.id)).all()


def test_the_seller_is_told_when_the_incident_is_declared_and_when_customers_are_asked(
        shop) -> None:
    uow, clock, listing_id, _, seller_id = shop
    _with_email(uow, seller_id, "ops@haneul.example")
    iid = _planned(uow, clock, listing_id)
    [declared] = _notices(uow)
    assert (declared.channel, declared.recipient, declared.status) == (
        "email", "ops@haneul.example", "pending")
    assert declared.not_before == clock.now.replace(hour=17, minute=30)  # at once, not tomorrow
    assert declared.subject.startswith(f"[사과] 가격 오류 사고 {iid}번")
    body = declared.body
    ko, en = body.split("— English —")
    assert "하늘디지털 담당자님께" in ko and "애플 아이팟 나노 3세대 4GB" in ko
    assert "19,900원" in ko and "199,000원" in ko and "판매를 멈췄습니다" in ko
    assert "주문을 직접 취소하거나, 구매하신 고객께 연락해 취소를 요청하지 마세요" in ko
    assert "Apple iPod nano 3rd gen 4GB" in en and "Please do not cancel orders yourself" in en
    assert f"/seller/incidents/{iid}" in ko and f"/seller/incidents/{iid}" in en
    with uow() as u:
        [after] = [r.after for r in u.conn.execute(select(audit_log.c.after).where(
            audit_log.c.action == "incident.declared"))]
    assert after["sellers_told"] == 1
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    [_, told] = _notices(uow)
    ko, en = told.body.split("— English —")
    assert "고객 6명께 사과와 안내를 보내기 시작했습니다" in ko
    assert "6월 17일(화) 오후 6시" in ko and "판매자 60%, 플랫폼 40%" in ko
    assert "주문 유지" in ko and "the order is kept" in en
    assert "the 6 customers of pricing incident" in en
    assert f"{LINKS.base_url}/seller/incidents/{iid}" in en
    # the summary counts the customers' messages only
    with uow() as u:
        customers = u.conn.execute(select(outbox.c.id).where(
            outbox.c.purpose == "resolution")).all()
    assert len(customers) == 12  # email and SMS to each of the 6


def test_a_seller_without_an_address_reads_it_on_their_page_only(shop) -> None:
    uow, clock, listing_id, _, seller_id = shop
    _with_email(uow, seller_id, None)
    _declared(uow, clock, listing_id)
    assert _notices(uow) == []
