"""The operators' incident forms read 억 as the seller's price form does (one parser): declaring
a draft, "1억 2천만원" and "100억" as the correct price were refused as "19,900처럼 원 단위 숫자로
입력해 주세요" while the seller's form read them. "1억 2천" is still refused, asking for its 만."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from test_incident_page_actions import _draft, _incident, _post
from test_pages_access import log_in
from world import World

from sagwa.domain.money import Money
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e


def _declare(client: TestClient, draft_id: int, session_factory,  # type: ignore[no-untyped-def]
             correct_price: str):
    return _post(client, f"/ops/incidents/{draft_id}/declare", {
        "wrong_price": "8900", "correct_price": correct_price, "cause": "스피커 가격 입력 실수",
        "window_start": local_input(_incident(session_factory, draft_id).window_start),
        "responsible": "seller", "correct_price_confirmed": "yes"})


@pytest.mark.parametrize(("typed", "won"), [("1억 2천만원", 120_000_000),
                                            ("100억", 10_000_000_000)])
def test_a_correct_price_in_eok_is_read_on_the_declare_form(
        client: TestClient, world: World, session_factory,  # type: ignore[no-untyped-def]
        typed: str, won: int) -> None:
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    answer = _declare(client, draft_id, session_factory, typed)
    assert answer.status_code == 303, html.unescape(answer.text)
    declared = _incident(session_factory, draft_id)
    assert declared.status.value == "declared" and declared.correct_price == Money(won, "KRW")


def test_eok_without_its_man_is_refused_on_the_declare_form_asking_for_it(
        client: TestClient, world: World, session_factory) -> None:  # type: ignore[no-untyped-def]
    draft_id = _draft(session_factory, world.speaker_a)
    log_in(client, "admin")
    answer = _declare(client, draft_id, session_factory, "1억 2천")
    assert answer.status_code == 422
    said = html.unescape(answer.text)
    assert "정상 가격: 억 뒤의 금액에 '만'이 없습니다('1억 2천')" in said
    assert "120,000,000원이라면 '1억 2천만'처럼" in said and "100,002,000원이라면" in said
    assert _incident(session_factory, draft_id).status.value == "draft"
