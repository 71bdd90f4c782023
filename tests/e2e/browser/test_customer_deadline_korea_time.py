"""A customer's page past the deadline said "답변 기한(12월 17일(목) 오후 6시)이 지나 …" with no
time zone in Korean, while the English said "Korea time" and the rest of the Korean pages say
"한국 시간": the deadline it names is now said in Korea time. TestClient."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from test_customer_case_deadline import _notified_case
from world import World

from sagwa.config import Settings

pytestmark = pytest.mark.e2e


def test_the_passed_deadline_is_said_in_korea_time(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=20)
    page = unescape(client.get(f"/c/{token}").text)
    assert ", 한국 시간)이 지나 곧 기본 처리(주문 유지)가 적용됩니다." in page


def test_a_deadline_still_taking_late_answers_is_said_in_korea_time(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    token = _notified_case(session_factory, page_settings.secret_key, world, days_ago=20,
                           accept_late_choices=True)
    page = unescape(client.get(f"/c/{token}").text)
    assert ", 한국 시간)은 지났지만 아직 고르실 수 있습니다." in page
