"""A notice that says what happens to a customer who does not answer is checked against the
plan. A tester published (``sagwa incident notice 5 --file n5.txt``) a public notice saying
"기한이 지나면 주문은 취소 처리되고 환불해 드립니다" while the incident's plan keeps an order
nobody answered for: nothing compared the two. Now, once there is a plan, the notice is refused
with ``contradicts-plan-default`` on publishing and on ``POST /api/messages/check`` with the
incident, in Korean and English; the drafted notice, which keeps to the plan, still publishes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings, orders
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.notices import notice_text
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e
SEOUL = ZoneInfo("Asia/Seoul")
KRW = "KRW"
CANCEL_ON_SILENCE = {"ko": "기한이 지나면 주문은 취소 처리되고 환불해 드립니다.",
                     "en": "If you do not reply by the deadline, your order will be cancelled."}
CODE = "contradicts-plan-default"


def _incident(session_factory: sessionmaker[Session], *, default: str | None) -> int:
    """A declared, scoped incident with one order; planned with ``default`` unless None."""
    clock = ManualClock(datetime.now(SEOUL) - timedelta(hours=1))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="bookmaru", name="북마루", actor="t")
    product = catalog.register_product(uow(), title="아이팟 나노", title_en="iPod nano",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, KRW), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    start = clock.now
    person = catalog.register_customer(uow(), name="김민지", email="m@example.com", locale="ko",
                                       actor="t")
    clock.now += timedelta(minutes=5)
    orders.place_order(uow(), customer_id=person.id, listing_id=listing.id, quantity=1,
                       actor="t", velocity=None)
    clock.now = datetime.now(SEOUL)
    iid = int(desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, KRW),
                           correct_price=Money(199_000, KRW), window_start=start,
                           cause="a zero dropped", responsible="seller",
                           actor="op").incident.incident_id)
    desk.scope(uow(), incident_id=iid, actor="op")
    if default is not None:
        desk.plan(uow(), incident_id=iid, options=["keep", "cancel_with_compensation"],
                  deadline=closing_time_after(clock.now + timedelta(days=5)), default=default,
                  seller_share_pct=50, platform_share_pct=50, actor="op",
                  policy=load_desk_policy(), cancel_compensation=Money(5_000, KRW))
    return iid


def _draft(client: TestClient, iid: int, lang: str) -> tuple[str, str]:
    answer = client.get(f"/api/incidents/{iid}/notices/draft", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    return answer.json()["title"], answer.json()["body"]


def _checked(client: TestClient, iid: int, text: str, lang: str) -> dict[str, object]:
    answer = client.post("/api/messages/check", json={"text": text, "kind": "notice",
                                                      "lang": lang, "incident_id": iid})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


def _codes(result: dict[str, object]) -> set[str]:
    return {str(f["code"]) for f in result["findings"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize("default", ["keep", "follow_up_call"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_cancelling_on_silence_against_a_plan_that_keeps_is_refused(
        session_factory: sessionmaker[Session], client: TestClient, lang: str,
        default: str) -> None:
    iid = _incident(session_factory, default=default)
    title, body = _draft(client, iid, lang)
    assert CODE not in _codes(_checked(client, iid, notice_text(title, body), lang))
    changed = f"{body}\n\n{CANCEL_ON_SILENCE[lang]}"
    result = _checked(client, iid, notice_text(title, changed), lang)
    assert result["ok"] is False and CODE in _codes(result)
    finding = next(f for f in result["findings"] if f["code"] == CODE)  # type: ignore[attr-defined]
    assert finding["severity"] == "error"
    assert finding["span"][0] >= len(notice_text(title, body))
    refused = client.post(f"/api/incidents/{iid}/notices",
                          json={"lang": lang, "title": title, "body": changed})
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "message_refused"
    assert CODE in {f["code"] for f in refused.json()["details"]["findings"]}
    published = client.post(f"/api/incidents/{iid}/notices",
                            json={"lang": lang, "title": title, "body": body})
    assert published.status_code == 201, published.text


def test_without_a_plan_the_check_has_nothing_to_compare(
        session_factory: sessionmaker[Session], client: TestClient) -> None:
    iid = _incident(session_factory, default=None)
    text = notice_text("가격 오류 안내", "죄송합니다. " + CANCEL_ON_SILENCE["ko"])
    assert CODE not in _codes(_checked(client, iid, text, "ko"))
