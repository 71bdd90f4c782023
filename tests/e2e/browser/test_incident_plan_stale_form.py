"""Two operators on one incident's page before notifying (a QA tester's two tabs): tab A saves a
four-option plan (5,000 points, 10% off); tab B, opened earlier, sends a two-option plan. B is
refused — "another plan was saved after you opened this page" — and sees the plan A saved above
its form as typed; A's plan stands. Saving from that page again is a deliberate replacement.
The timeline says what each plan decided was, or what it changed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from test_pages_access import _scoped_speaker_incident
from world import World

from sagwa.domain.incident_plan import CustomerOption
from sagwa.domain.money import Money
from sagwa.testing.deadlines import closing_time_after

pytestmark = pytest.mark.e2e
DEADLINE = closing_time_after(datetime.now(UTC) + timedelta(days=7)).astimezone(
    ZoneInfo("Asia/Seoul")).strftime("%Y-%m-%dT%H:%M")
FOUR = {"options": ["keep", "cancel_with_compensation", "buy_at_correct_price_discount",
                    "talk_to_person"], "deadline": DEADLINE, "default": "keep",
        "cancel_compensation": "5000", "discount_pct": "10", "seller_share_pct": "70",
        "platform_share_pct": "30"}
TWO = {"options": ["keep", "talk_to_person"], "deadline": DEADLINE, "default": "keep",
       "cancel_compensation": "", "discount_pct": "", "seller_share_pct": "70",
       "platform_share_pct": "30"}


def _opened(page: str) -> dict[str, str]:
    """What the page's plan form sends besides the fields: its CSRF token, and the version of
    the plan it was opened against."""
    version = re.search(r'name="plan_version" value="([^"]*)"', page)
    assert version, "no plan version on the plan form"
    return {"csrf_token": csrf_of(page), "plan_version": version.group(1)}


def _saved(client: TestClient, incident: int) -> frozenset[CustomerOption]:
    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    with uow() as u:
        return u.incidents.plan(incident, Money(89_000, "KRW")).options  # type: ignore[no-any-return]


def test_a_plan_form_opened_before_another_plan_was_saved_does_not_overwrite_it(
        client: TestClient, world: World) -> None:
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    tab_a = client.get(f"/ops/incidents/{incident}").text
    tab_b = client.get(f"/ops/incidents/{incident}").text
    saved = client.post(f"/ops/incidents/{incident}/plan", data={**_opened(tab_a), **FOUR})
    assert saved.status_code == 303, saved.text
    stale = client.post(f"/ops/incidents/{incident}/plan", data={**_opened(tab_b), **TWO})
    assert stale.status_code == 409
    assert "이 화면을 연 뒤 다른 해결 방안이 저장되어, 입력하신 방안은 저장하지 않았습니다" in stale.text
    assert _saved(client, incident) == frozenset(CustomerOption)  # A's plan stands
    now = re.search(r'<div class="finding" id="plan-now">.*?</div>', stale.text, re.DOTALL)
    assert now, "the plan saved now is not shown"
    assert "취소 보상: 5,000포인트" in now.group(0) and "정상가 10% 할인" in now.group(0)
    assert 'value="cancel_with_compensation" >' in stale.text  # B's form as B typed it
    # saving again from the page that showed A's plan replaces it, on purpose
    again = client.post(f"/ops/incidents/{incident}/plan", data={**_opened(stale.text), **TWO})
    assert again.status_code == 303, again.text
    assert _saved(client, incident) == {CustomerOption.KEEP, CustomerOption.TALK_TO_PERSON}


def test_a_stale_form_refused_for_a_typo_stays_opened_against_the_plan_it_showed(
        client: TestClient, world: World) -> None:
    """Correcting the field a refusal named must not turn a stale form into a fresh one."""
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    tab_a = client.get(f"/ops/incidents/{incident}").text
    tab_b = client.get(f"/ops/incidents/{incident}").text
    client.post(f"/ops/incidents/{incident}/plan", data={**_opened(tab_a), **FOUR})
    typo = client.post(f"/ops/incidents/{incident}/plan",
                       data={**_opened(tab_b), **TWO, "platform_share_pct": "50"})
    assert typo.status_code == 422
    assert _opened(typo.text)["plan_version"] == _opened(tab_b)["plan_version"]
    fixed = client.post(f"/ops/incidents/{incident}/plan", data={**_opened(typo.text), **TWO})
    assert fixed.status_code == 409
    assert _saved(client, incident) == frozenset(CustomerOption)


def test_the_timeline_says_what_each_plan_decided_was(client: TestClient,
                                                      world: World) -> None:
    incident = _scoped_speaker_incident(client, world)
    log_in(client, "admin")
    page = client.get(f"/ops/incidents/{incident}").text
    first = client.post(f"/ops/incidents/{incident}/plan", data={**_opened(page), **FOUR})
    page = client.get(first.headers["location"]).text
    client.post(f"/ops/incidents/{incident}/plan", data={**_opened(page), **TWO})
    timeline = client.get(f"/ops/incidents/{incident}/timeline",
                          headers={"HX-Request": "true"}).text
    rows = re.findall(r'<tr data-action="incident.planned">(.*?)</tr>', timeline, re.DOTALL)
    assert len(rows) == 2
    assert "선택지: 주문 유지, 주문 취소(전액 환불과 보상 포인트), 정상가에서 할인된 가격으로 구매, 상담원과 통화" in rows[0]
    assert "취소 보상: 5,000포인트" in rows[0] and "보상 포인트 분담: 판매자 70%, 플랫폼 30%" in rows[0]
    assert "바뀐 것: 주문 취소(전액 환불과 보상 포인트) 선택지 제외" in rows[1]
    assert "취소 보상 5,000포인트 → 없음" in rows[1] and "할인율 10% → —" in rows[1]
