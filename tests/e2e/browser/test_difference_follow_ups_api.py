"""The differences to follow up over HTTP and on the agents' call queue page: a customer who
chose the discount eight days ago and has not paid is listed for agents (not for reviewers), with
what is owed; once an agent logs a call, they leave the list until it is due again."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of
from world import POLICY, World

from sagwa.config import Settings
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]


def _chosen_eight_days_ago(world: World, session_factory: sessionmaker[Session],
                           page_settings: Settings) -> int:
    """김민준's 2 earphones bought at 20% off eight days ago: 256,200 KRW still to pay."""
    return discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(days=8)).case_id


def test_agents_get_the_list_and_a_logged_call_takes_the_case_off(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    agent, reviewer = client_for("agent"), client_for("reviewer")
    case_id = _chosen_eight_days_ago(world, session_factory, page_settings)
    refused = reviewer.get("/api/difference-follow-ups")
    assert refused.status_code == 403 and refused.json()["details"]["reason"] == (
        "role_not_allowed")
    assert agent.get("/api/difference-follow-ups?limit=0").status_code == 422
    body = agent.get("/api/difference-follow-ups").json()
    assert list(body) == ["enabled", "as_of", "more", "follow_ups"] and body["enabled"]
    [listed] = [f for f in body["follow_ups"] if f["case_id"] == case_id]
    assert listed["difference"] == {"amount_minor": 256_200, "currency": "KRW"}
    assert listed["days_waiting"] == 8 and listed["last_contact"] is None
    assert listed["may_cancel_instead"] is True  # the plan offers a cancellation
    assert listed["contacts_since_choice"] == 0 and listed["customer_name"] == "김민준"
    logged = agent.post(f"/api/cases/{case_id}/contact-attempts",
                        json={"channel": "phone", "outcome": "no_answer"})
    assert logged.status_code == 201, logged.text
    after = agent.get("/api/difference-follow-ups").json()["follow_ups"]
    assert case_id not in {f["case_id"] for f in after}


def test_the_call_queue_page_shows_the_difference_to_follow_up(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case_id = _chosen_eight_days_ago(world, session_factory, page_settings)
    log_in(client, "agent")
    page = client.get("/cs/queue")
    assert page.status_code == 200
    assert f'<tr data-case="{case_id}" data-days="8" data-may-cancel="yes">' in page.text
    assert "256,200원" in page.text and "선택 후 연락 없음" in page.text


def test_after_a_call_the_agent_is_told_when_the_case_comes_back(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """A missed call: back two hours later (the call spacing); a call that reached the
    customer: back a week later — said in the message after logging it, in both languages."""
    case_id = _chosen_eight_days_ago(world, session_factory, page_settings)
    log_in(client, "agent")
    for outcome, later in (("no_answer", timedelta(hours=2)), ("reached", timedelta(days=7))):
        page = client.get(f"/cs/cases/{case_id}").text
        before = datetime.now(UTC)
        logged = client.post(f"/cs/cases/{case_id}/attempt", data={
            "outcome": outcome, "back": "case", "csrf_token": csrf_of(page)})
        assert logged.status_code == 303
        shown = unescape(client.get(logged.headers["location"]).text)
        assert "‘차액 결제를 기다리는 고객’ 목록에 다시 오릅니다" in shown
        # the minute it was logged (or the next, had the clock turned meanwhile), plus the wait
        assert any(f"{seoul(before + later + timedelta(minutes=m))}(한국 시간)에" in shown
                   for m in (0, 1))
    english = client.post(f"/cs/cases/{case_id}/attempt?lang=en", data={
        "outcome": "busy", "back": "case", "csrf_token": csrf_of(client.get(
            f"/cs/cases/{case_id}").text)})
    said = unescape(client.get(english.headers["location"]).text)
    assert "comes back to the list of unpaid differences on" in said


def test_the_case_page_says_how_to_pay_and_the_script_reads_it_out(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The desk policy's payment instruction, beside the unpaid difference and in the script
    (in the customer's language: 김민준 reads Korean)."""
    case_id = _chosen_eight_days_ago(world, session_factory, page_settings)
    log_in(client, "agent")
    korean = unescape(client.get(f"/cs/cases/{case_id}").text)
    english = unescape(client.get(f"/cs/cases/{case_id}?lang=en").text)
    how_ko, how_en = POLICY.how_to_pay_in("ko"), POLICY.how_to_pay_in("en")
    assert how_ko and how_en
    assert f"<strong>결제 방법:</strong> {how_ko}" in korean
    assert f"<strong>How to pay:</strong> {how_en}" in english
    script = re.search(r"<p data-no-choice-script>“(.*?)”</p>", korean, re.DOTALL)
    assert script and f"결제 방법은 이렇습니다. {how_ko}" in script.group(1)
