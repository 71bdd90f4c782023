"""A plan whose default is ``keep`` without ``keep`` among its options (QA: cancel with
compensation and a discount offered, default keep: every silent customer would keep the order
at the wrong price), and a 0% discount ("0% 할인된 가격"), are refused the same way on the ops
page and over the API, each problem with its sub-code; a follow-up call may be the default
whatever is offered."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from test_pages_access import _scoped_speaker_incident
from world import World

from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e
DEADLINE = closing_time_after(datetime.now(UTC) + timedelta(days=7)).astimezone(
    ZoneInfo("Asia/Seoul"))
NO_KEEP = {"options": ["cancel_with_compensation", "buy_at_correct_price_discount"],
           "default": "keep", "seller_share_pct": 70, "platform_share_pct": 30}


def test_the_page_refuses_keep_as_the_default_without_keep_and_a_zero_discount(
        client: TestClient, world: World) -> None:
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    assert 'name="discount_pct" type="number" min="1" max="99"' in page
    form = {**{k: str(v) if not isinstance(v, list) else v for k, v in NO_KEEP.items()},
            "deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M"), "cancel_compensation": "5000",
            "discount_pct": "0", "csrf_token": csrf_of(page)}
    answer = client.post(f"/ops/incidents/{incident}/plan", data=form)
    assert answer.status_code == 422, answer.text[:300]
    said = html.unescape(answer.text)
    assert "0% 할인은 할인이 아닙니다." in said
    assert "'주문 유지'를 선택지로 드리지 않으면 미응답 시 처리도 '주문 유지'로 정할 수 없습니다." in said
    saved = client.post(f"/ops/incidents/{incident}/plan", data={
        **form, "default": "follow_up_call", "discount_pct": "5"})
    assert saved.status_code == 303, saved.text[:300]


def test_the_api_refuses_them_with_their_sub_codes(client: TestClient, world: World,
                                                   client_for) -> None:  # type: ignore[no-untyped-def]
    incident = _scoped_speaker_incident(client, world)
    admin = client_for("admin")
    body = {**NO_KEEP, "deadline": DEADLINE.isoformat(), "cancel_compensation_points": 5_000,
            "discount_pct": 0}
    refused = admin.post(f"/api/incidents/{incident}/plan", json=body)
    assert refused.status_code == 422, refused.text
    details = refused.json()["details"]
    assert details["reason"] == "plan_problems"
    assert details["problem_reasons"] == {"discount_pct": "zero_discount",
                                          "default": "default_not_offered"}
    planned = admin.post(f"/api/incidents/{incident}/plan",
                         json={**body, "default": "follow_up_call", "discount_pct": 1})
    assert planned.status_code == 200, planned.text
    assert planned.json()["status"] == "planned"


@pytest.mark.parametrize(("lang", "said"), [
    ("ko", "해결 방안을 저장했습니다. 다만 할인 구매 선택지를 고르지 않아 입력한 할인율(20%)은 저장하지 않았습니다."),
    ("en", ("Plan saved, without the discount of 20% you typed: the discount option was not "
            "ticked."))])
def test_a_discount_typed_without_its_option_is_said_not_saved(
        client: TestClient, world: World, client_for, lang: str, said: str) -> None:  # type: ignore[no-untyped-def]
    """A tester found the discount dropped without a word when its option was not ticked."""
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}?lang={lang}").text
    form = {"options": ["keep", "cancel_with_compensation", "talk_to_person"],
            "default": "keep", "seller_share_pct": "50", "platform_share_pct": "50",
            "deadline": DEADLINE.strftime("%Y-%m-%dT%H:%M"), "cancel_compensation": "5000",
            "discount_pct": "20", "csrf_token": csrf_of(page)}
    saved = client.post(f"/ops/incidents/{incident}/plan?lang={lang}", data=form)
    assert saved.status_code == 303, saved.text[:300]
    shown = client.get(f"/ops/incidents/{incident}?lang={lang}").text
    assert said in html.unescape(shown)
    assert 'class="flash warn"' in shown
    assert client_for("admin").get(f"/api/incidents/{incident}").json()["plan"][
        "discount_pct"] is None
    client.post(f"/ops/incidents/{incident}/plan?lang={lang}",
                data={**form, "discount_pct": "", "csrf_token": csrf_of(shown)})
    again = client.get(f"/ops/incidents/{incident}?lang={lang}").text
    assert ("Plan saved.<" if lang == "en" else "해결 방안을 저장했습니다.<") in again
    assert 'class="flash ok"' in again
