"""A plan may offer the cancellation with no points (0): every page that names a case's or an
incident's options names it a full refund only — the customer's confirm step and case page,
the agent's flash, case page, script and lookup, the operator's case table and plan, the
seller's page — never "…and compensation points"; a plan with points keeps that name."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import NotifiedCase, change_customer, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.domain.money import Money

pytestmark = pytest.mark.e2e
CANCEL = "cancel_with_compensation"
OPTIONS = ["keep", CANCEL, "talk_to_person"]
WITH_POINTS = ("주문 취소(전액 환불과 보상 포인트)",
               "cancel the order (full refund and compensation points)")
FULL_REFUND = ("주문 취소(전액 환불)", "cancel the order (full refund)")


def _planned(client: TestClient, world: World, session_factory: sessionmaker[Session],
             page_settings: Settings, points: int) -> NotifiedCase:
    return notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=2), options=OPTIONS,
                                  cancel_compensation=Money(points, "KRW"))


def _page(client: TestClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    return unescape(answer.text)


def _confirm_step(client: TestClient, case: NotifiedCase, lang: str) -> str:
    """The customer presses the cancellation: the step before it is recorded."""
    step = client.post(f"/c/{case.token}/choose?lang={lang}", data={
        "choice": CANCEL, "csrf_token": csrf_of(client.get(f"/c/{case.token}").text)},
        follow_redirects=True)  # to the confirm step's own address
    assert step.status_code == 200 and 'id="confirm-step"' in step.text
    return unescape(step.text)


def _chosen_by_phone(client: TestClient, case: NotifiedCase) -> str:
    """The agent records the cancellation the customer asked for on the phone: the flash."""
    page = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    done = client.post(f"/cs/cases/{case.case_id}/choice", data={
        "csrf_token": csrf_of(page), "choice": CANCEL, "words": "please cancel it",
        "back": "case", "confirmed": "yes"})
    assert done.status_code == 303, done.text
    return _page(client, f"/cs/cases/{case.case_id}?lang=en")


def _as(client: TestClient, username: str) -> None:
    """Logged in as ``username`` (whoever was before, logged out)."""
    client.cookies.clear()
    log_in(client, username)


def _lookup_row(client: TestClient, case: NotifiedCase, lang: str) -> str:
    found = _page(client, f"/cs/cases?q=%23{case.case_id}&lang={lang}")
    row = re.search(rf'<tr data-case="{case.case_id}">(.*?)</tr>', found, re.DOTALL)
    assert row, "the case is not in the lookup"
    return row.group(1)


def _case_row(page: str, case: NotifiedCase) -> str:
    row = re.search(rf'<tr><td data-label="[^"]*">#{case.case_id}</td>(.*?)</tr>', page,
                    re.DOTALL)
    assert row, "the case is not in the operator's table"
    return row.group(1)


def test_a_plan_without_points_names_the_cancellation_a_full_refund_on_every_page(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _planned(client, world, session_factory, page_settings, 0)
    change_customer(session_factory, world.customers["김민준"], locale="en")  # his script
    for lang, heading in (("ko", "<h2>주문 취소(전액 환불)</h2>"),
                          ("en", "<h2>Cancel the order (full refund)</h2>")):
        step = _confirm_step(client, case, lang)
        assert heading in step
        assert "보상 포인트" not in step and "compensation points" not in step
    _as(client, "agent")
    agent = _chosen_by_phone(client, case)
    assert f"#{case.case_id} choice recorded: {FULL_REFUND[1]}." in agent
    assert re.search(rf'<dd data-choice="{CANCEL}">{re.escape(FULL_REFUND[1])} ', agent)
    assert f"Your choice, '{FULL_REFUND[1]}', made on" in agent  # the script, in English
    assert "compensation points" not in agent
    assert FULL_REFUND[0] in _lookup_row(client, case, "ko")
    assert FULL_REFUND[1] in _lookup_row(client, case, "en")
    customer = _page(client, f"/c/{case.token}?lang=en")
    assert "Your choice: <strong>Cancel the order (full refund)</strong>" in customer
    assert "compensation points" not in customer
    _as(client, "admin")
    for lang, name in (("ko", FULL_REFUND[0]), ("en", FULL_REFUND[1])):
        page = _page(client, f"/ops/incidents/{case.incident_id}?lang={lang}")
        assert name in _case_row(page, case)
        assert f'value="{CANCEL}" checked> {name}</label>' in page  # the plan as saved
        assert WITH_POINTS[0] not in page and WITH_POINTS[1] not in page
    assert re.search(r'id="cancel_compensation"[^>]* value="0"', page)  # not 5,000
    _as(client, "seller_a")
    for lang in ("ko", "en"):
        seller = _page(client, f"/seller/incidents/{case.incident_id}?lang={lang}")
        assert WITH_POINTS[0] not in seller and WITH_POINTS[1] not in seller


def test_a_plan_with_points_still_names_them(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = _planned(client, world, session_factory, page_settings, 5_000)
    step = _confirm_step(client, case, "en")
    assert "<h2>Cancel the order (full refund and compensation points)</h2>" in step
    _as(client, "agent")
    agent = _chosen_by_phone(client, case)
    assert f"#{case.case_id} choice recorded: {WITH_POINTS[1]}." in agent
    assert WITH_POINTS[1] in _lookup_row(client, case, "en")
    _as(client, "admin")
    page = _page(client, f"/ops/incidents/{case.incident_id}?lang=en")
    assert WITH_POINTS[1] in _case_row(page, case)
    assert re.search(r'id="cancel_compensation"[^>]* value="5000"', page)
