"""The customer's case page (``/c/<token>``) past the deadline before the deadline job has run,
and for a customer over the plan's keep cap: it says the deadline has passed and what happens to
this customer (their own default), and offers the choice only while a late answer still
counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from customer_cases import KRW, assert_no_choice_offered, notified_two_unit_case
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.domain.money import Money

pytestmark = pytest.mark.e2e


def _notified_case(session_factory: sessionmaker[Session], secret: str, world: World, *,
                   days_ago: int, **terms: object) -> str:
    """김민준 orders 2 speakers at 19,900 (correct price 185,000) ``days_ago`` days ago; the
    incident is declared, scoped, planned (``terms``; deadline a week later, default keep) and
    notified — and the deadline's default is *not* applied, as when the deadline job runs late.
    The case's link token."""
    return notified_two_unit_case(
        session_factory, secret, world, started=datetime.now(UTC) - timedelta(days=days_ago),
        product=("블루투스 스피커", "Bluetooth speaker"),
        options=["keep", "cancel_with_compensation"],
        cancel_compensation=Money(5_000, KRW), **terms).token


def test_past_the_deadline_before_the_default_is_applied_the_page_says_what_will_happen(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=20)
    page = client.get(f"/c/{token}").text
    assert_no_choice_offered(page)  # this plan takes no late answers
    assert "이 지나 곧 기본 처리(주문 유지)가 적용됩니다. 주문은 결제하신 가격 그대로 유지됩니다." in page
    english = client.get(f"/c/{token}?lang=en").text
    assert_no_choice_offered(english)
    assert ("has passed, so the default (keep the order) will be applied shortly. Your order "
            "stays as it is, at the price you paid.") in english


def test_past_the_deadline_a_plan_taking_late_answers_still_offers_the_choice_and_the_default(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=20,
                           accept_late_choices=True)
    page = client.get(f"/c/{token}").text
    assert 'id="choose-keep"' in page and 'id="choose-cancel_with_compensation"' in page
    assert "은 지났지만 아직 고르실 수 있습니다. 고르지 않으시면 주문은 그대로 유지됩니다." in page
    english = client.get(f"/c/{token}?lang=en").text
    assert "has passed, but you can still choose. If you do not, your order stays as it is." in english


def test_over_the_keep_cap_the_page_says_what_keeping_means_and_that_we_will_call(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=1,
                           keep_max_units=1)
    page = client.get(f"/c/{token}").text
    assert ("주문하신 2개 중 1개를 결제하신 가격 그대로 보내 드리고 나머지 1개의 결제 금액 19,900원은 "
            "환불해 드립니다.") in page
    assert "39,800원 그대로 상품을 받으십니다" not in page
    assert ("기한까지 답이 없으시면 상담원이 전화드려 직접 여쭙겠습니다. 주문하신 2개가 1인당 한도(1개)보다 "
            "많아 원하시는 방법을 여쭤야 하기 때문입니다.") in page
    assert "기한까지 답이 없으시면 주문은 그대로 유지됩니다" not in page
    english = client.get(f"/c/{token}?lang=en").text
    assert "we send 1 of your 2 items at the price you paid and refund the 19,900 KRW" in english
    assert "If we do not hear from you by then, one of our staff will call you to ask" in english


def test_over_the_keep_cap_past_the_deadline_the_page_still_offers_the_choice_and_the_call(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=20,
                           keep_max_units=1)
    page = client.get(f"/c/{token}").text
    assert 'id="choose-keep"' in page  # a call is owed, and an answer on it counts late
    assert "고르지 않으시면 상담원이 전화드려 직접 여쭙겠습니다." in page
    assert "고르지 않으시면 주문은 그대로 유지됩니다" not in page
