"""What a consumer-law review and copy edit asked of the customer's pages: a final choice that
delivers goods keeps the 7-day withdrawal right (청약철회) in words, a cancellation does not; a
refund shown or promised says when it comes and is "requested", never "done"; the customer is
"고객님" as in the emails; points are written "10,000포인트"; one quote style."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.domain.money import Money

pytestmark = pytest.mark.e2e
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount", "talk_to_person"]
WITHDRAWAL = {"ko": "다만 상품을 받으신 날부터 7일 이내에 청약철회(반품)하실 수 있는 권리는 그대로입니다.",
              "en": "Your legal right to withdraw from the purchase (return the goods) within 7 "
                    "days of receiving them still stands."}
TIMING = {"ko": POLICY.contact.refund_timing_ko, "en": POLICY.contact.refund_timing_en}


def _case(world: World, session_factory: sessionmaker[Session], settings: Settings):  # type: ignore[no-untyped-def]
    return notified_two_unit_case(session_factory, settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2), options=OPTIONS,
                                  discount_pct=30, cancel_compensation=Money(10_000, "KRW"))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_keeping_says_the_withdrawal_right_stands_and_cancelling_says_when_the_refund_comes(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    case = _case(world, session_factory, page_settings)
    keep = unescape(client.get(f"/c/{case.token}/confirm?choice=keep&lang={lang}").text)
    assert WITHDRAWAL[lang] in keep and TIMING[lang] not in keep
    cancel = unescape(client.get(
        f"/c/{case.token}/confirm?choice=cancel_with_compensation&lang={lang}").text)
    assert TIMING[lang] in cancel and WITHDRAWAL[lang] not in cancel
    discount = client.get(
        f"/c/{case.token}/confirm?choice=buy_at_correct_price_discount&lang={lang}").text
    assert ("정상가에서 30% 할인된 가격으로 구매" if lang == "ko"
            else "Buy at 30% off the correct price") in unescape(discount)
    page = client.get(f"/c/{case.token}?lang={lang}").text
    done = client.post(f"/c/{case.token}/choose?lang={lang}", data={
        "choice": "keep", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    after = unescape(client.get(f"/c/{case.token}?lang={lang}").text)
    final = after.split('id="choice-final"')[1].split("</p>")[0]
    assert ("확정하신 선택은 고객님께서 직접 바꾸실 수도, 저희 상담원이 바꿔 드릴 수도 없는 점 양해 "
            "부탁드립니다." if lang == "ko"
            else "Please understand that once confirmed, your choice cannot be changed, whether "
                 "by you or by our staff.") in final
    assert WITHDRAWAL[lang] in final
    if lang == "ko":
        assert "<h1>김민준 고객님, 진심으로 사과드립니다</h1>" in after
        assert "'무선 이어폰'의 가격이" in after and "‘" not in after and "’" not in after


def test_a_cancelled_case_shows_the_refund_as_requested_with_when_it_comes(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _case(world, session_factory, page_settings)
    page = client.get(f"/c/{case.token}").text
    assert client.post(f"/c/{case.token}/choose", data={
        "choice": "cancel_with_compensation", "confirmed": "yes",
        "csrf_token": csrf_of(page)}).status_code == 303
    after = unescape(client.get(f"/c/{case.token}").text)
    assert "환불 요청 접수" in after and "환불 접수 완료" not in after and "환불 완료" not in after
    assert f'<p id="refund-timing">{TIMING["ko"]}</p>' in after
    assert "10,000포인트(적립 완료)" in after and "10,000 포인트" not in after
    assert "청약철회" not in after  # nothing is delivered: no withdrawal to speak of
    english = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "refund requested" in english and TIMING["en"] in english


def test_cancelling_instead_says_when_the_refund_comes(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))
    for lang in ("ko", "en"):
        step = unescape(client.get(f"/c/{case.token}/cancel-instead?lang={lang}").text)
        assert 'id="confirm-instead"' in step and TIMING[lang] in step
    assert "<dd>5,000포인트</dd>" in client.get(f"/c/{case.token}/cancel-instead?lang=ko").text
