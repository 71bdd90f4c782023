"""A call-back time as the agent gives it, over the API and on the case page: the API keeps an
ISO time with its offset and answers it with whether the contact centre is open then, and
refuses a time without an offset, in the past or with another outcome; the page's
``datetime-local`` field is read as Korea time, the card and the history show it, the flash
says when to call, and a refused time is said in the agent's language with what was typed
kept."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of, log_in
from world import POLICY, World

from sagwa.adapters.db.tables import contact_attempts
from sagwa.domain.contact_hours import is_open
from sagwa.domain.moments import SEOUL
from sagwa.services import desk_cases
from sagwa.services.desk_messages import format_when
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e


def _ten_tomorrow_but_one() -> datetime:
    """10:00 Korea time two days from now (a time ahead whatever the hour the test runs)."""
    day = (datetime.now(UTC) + timedelta(days=2)).astimezone(SEOUL)
    return day.replace(hour=10, minute=0, second=0, microsecond=0)


def _stored(session_factory: sessionmaker[Session], case_id: int) -> list[tuple[str, object]]:
    with session_factory() as session:
        return [(r.outcome, r.callback_at) for r in session.execute(
            select(contact_attempts).where(contact_attempts.c.case_id == case_id)
            .order_by(contact_attempts.c.id))]


def test_the_api_keeps_the_time_and_refuses_what_cannot_be_right(
        client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session]) -> None:
    agent = client_for("agent")
    case_id = world.cases["이서연"]
    url = f"/api/cases/{case_id}/contact-attempts"
    at = _ten_tomorrow_but_one()
    answer = agent.post(url, json={"outcome": "callback_requested",
                                   "callback_at": at.isoformat()})
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert datetime.fromisoformat(body["callback_at"]) == at
    assert isinstance(body["callback_in_hours"], bool)
    assert body["callback_after_deadline"] is False  # the world's deadline is further off
    assert _stored(session_factory, case_id) == [("callback_requested", at)]

    def refused(payload: dict[str, object]) -> dict[str, object]:
        bad = agent.post(url, json=payload)
        assert bad.status_code == 422, bad.text
        return bad.json()

    naive = refused({"outcome": "callback_requested", "callback_at": "2030-01-07T10:00:00"})
    assert naive["code"] == "invalid_request" and "callback_at" in str(naive)
    past = refused({"outcome": "callback_requested",
                    "callback_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()})
    assert past["details"] == {"field": "callback_at", "reason": "callback_time_past"}
    other = refused({"outcome": "no_answer", "callback_at": at.isoformat()})
    assert other["details"]["reason"] == "callback_time_without_request"
    far = refused({"outcome": "callback_requested",
                   "callback_at": (at + timedelta(days=30)).isoformat()})
    assert far["details"]["reason"] == "callback_time_too_far"
    assert len(_stored(session_factory, case_id)) == 1  # nothing more written


def _flash(page: str) -> str:
    found = re.search(r'<p class="flash ok" role="status"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found, "no flash"
    return found.group(1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_case_page_takes_the_time_as_korea_time_and_shows_it(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    assert 'name="callback_at" type="datetime-local"' in page
    at = _ten_tomorrow_but_one()
    answer = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}", data={
        "outcome": "callback_requested", "note": "회의 중", "back": "case",
        "callback_at": at.strftime("%Y-%m-%dT%H:%M"), "csrf_token": csrf_of(page)})
    assert answer.status_code == 303, answer.text[:500]
    assert _stored(session_factory, case_id) == [("callback_requested", at)]
    shown = unescape(client.get(answer.headers["location"] + f"?lang={lang}").text)
    flash = _flash(shown)
    when, spoken = seoul(at, lang=lang), format_when(at, lang)  # the history; said with a weekday
    if lang == "ko":
        assert spoken.endswith("오전 10시") and "요일" not in spoken and "(" in spoken
        assert f"고객이 정한 {spoken}(한국 시간)에 다시 전화해 주세요" in flash
        assert f"고객이 {spoken}(한국 시간)에 다시 전화해 달라고 요청함" in shown
        assert "그 시간 전에는 전화하지 마세요" in shown
        assert f"(요청한 시간 {when})" in shown
    else:
        assert spoken.endswith("at 10 am Korea time")
        assert f"Call the customer back at the time they named: {spoken}." in flash
        assert f"customer asked us to call back on {spoken}" in shown
        assert "Do not call before then" in shown
        assert f"(asked for {when})" in shown
    assert "data-callback-waits" in shown
    # the call list counts such a customer apart: on the list, not to be called yet
    queue = unescape(client.get(f"/cs/queue?lang={lang}").text)
    count = re.search(r'<small class="muted" id="queue-count" data-waiting="(\d+)">(.*?)</small>',
                      queue, re.DOTALL)
    assert count and int(count.group(1)) >= 1
    assert ("고객이 정한 시간을 기다리는" if lang == "ko" else "waiting for the time they named") \
        in count.group(2)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_time_already_past_is_refused_on_the_page_with_what_was_typed(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    typed = (datetime.now(UTC) - timedelta(days=1)).astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}", data={
        "outcome": "callback_requested", "note": "", "back": "case", "callback_at": typed,
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    shown = unescape(answer.text)
    problem = re.search(r'id="attempt-problem-\d+">(.*?)</p>', shown, re.DOTALL)
    assert problem, shown[:2000]
    assert problem.group(1) == ("다시 전화할 시간이 이미 지났습니다. 고객이 말한 날짜와 시각을 다시 확인해 주세요."
                                if lang == "ko" else
                                "That call-back time has already passed: check the date and "
                                "time the customer gave.")
    assert f'value="{typed}"' in shown
    assert _stored(session_factory, case_id) == []


def _asked_earlier(session_factory: sessionmaker[Session], case_id: int, *, ago: timedelta,
                   at: datetime) -> None:
    """A call-back request logged ``ago`` before the real now, for ``at``."""
    clock = ManualClock(datetime.now(UTC) - ago)
    desk_cases.log_call_attempt(SqlAlchemyUnitOfWork(session_factory, clock), case_id=case_id,
                                channel="phone", outcome="callback_requested",
                                agent="agent:test", policy=POLICY, callback_at=at)


def _card(page: str, case_id: int) -> str:
    card = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', page,
                     re.DOTALL)
    assert card, f"no card for case {case_id}"
    return card.group(1)


def test_a_time_that_has_come_says_call_now_and_the_case_leads_the_queue(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    case_id = world.cases["이서연"]
    _asked_earlier(session_factory, case_id, ago=timedelta(hours=1),
                   at=datetime.now(UTC) - timedelta(minutes=1))
    log_in(client, "agent")
    queue = unescape(client.get("/cs/queue?lang=en").text)
    first = re.search(r'<article class="card" id="case-(\d+)">', queue)
    assert first and int(first.group(1)) == case_id
    card = _card(queue, case_id)
    assert "data-callback-due" in card and "call now" in card
    assert "data-callback-waits" not in card


def test_a_time_outside_the_hours_is_marked_on_the_card(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    case_id = world.cases["이서연"]
    night = _ten_tomorrow_but_one().replace(hour=22)
    _asked_earlier(session_factory, case_id, ago=timedelta(0), at=night)
    log_in(client, "agent")
    card = _card(unescape(client.get(f"/cs/cases/{case_id}").text), case_id)
    assert "운영 시간 밖: 그 시간에 전화할 사람을 정해 두세요." in card
    ten = _ten_tomorrow_but_one()
    if is_open(POLICY.schedule, ten):  # a weekday: no mark
        _asked_earlier(session_factory, case_id, ago=timedelta(0), at=ten)
        card = _card(unescape(client.get(f"/cs/cases/{case_id}").text), case_id)
        assert "data-callback-outside-hours" not in card


def test_the_field_offers_the_allowed_range_and_a_refusal_marks_it(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get(f"/cs/cases/{case_id}").text
    field = re.search(r'<input id="callback-\d+" name="callback_at"[^>]*>', page)
    assert field
    bounds = re.search(r'min="([^"]+)" max="([^"]+)"', field.group(0))
    assert bounds
    low, high = (datetime.fromisoformat(v).replace(tzinfo=SEOUL) for v in bounds.groups())
    assert abs((low - datetime.now(UTC)).total_seconds()) < 120
    assert abs((high - low) - timedelta(days=14)).total_seconds() < 120
    assert "aria-invalid" not in field.group(0)
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "no_answer", "note": "", "back": "case",
        "callback_at": _ten_tomorrow_but_one().strftime("%Y-%m-%dT%H:%M"),
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 422
    refused = re.search(r'<input id="callback-\d+" name="callback_at"[^>]*>', answer.text)
    assert refused and 'aria-invalid="true"' in refused.group(0)
    assert "attempt-problem-" in refused.group(0)  # described by the refusal


def test_logging_a_time_from_the_queue_returns_to_the_top_where_the_flash_is(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get("/cs/queue").text
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "callback_requested", "note": "", "back": "queue",
        "callback_at": _ten_tomorrow_but_one().strftime("%Y-%m-%dT%H:%M"),
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 303 and answer.headers["location"] == "/cs/queue"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_call_back_asked_for_without_a_time_is_on_the_call_list_and_the_flash_says_so(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    """A walkthrough logged "asked us to call back" with no time on a case owed no call: the
    flash said only the outcome and the case was on no list. Now it is on the call list, and
    the agent is told it stays there until someone calls back."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    assert f'id="case-{case_id}"' not in client.get("/cs/queue").text  # owed no call yet
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    answer = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}", data={
        "outcome": "callback_requested", "note": "운전 중", "back": "case", "callback_at": "",
        "csrf_token": csrf_of(page)})
    assert answer.status_code == 303, answer.text[:500]
    assert _stored(session_factory, case_id) == [("callback_requested", None)]
    flash = _flash(unescape(client.get(answer.headers["location"] + f"?lang={lang}").text))
    assert ("고객이 시간을 정하지 않았으므로 다시 전화할 때까지 통화 목록에 둡니다(최대 7일)." in flash
            if lang == "ko" else
            "The customer named no time, so the case stays on the call list until someone "
            "calls back (up to 7 days)." in flash)
    queue = unescape(client.get(f"/cs/queue?lang={lang}").text)
    card = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', queue,
                     re.DOTALL)
    assert card and ("고객이 다시 전화해 달라고 요청함" if lang == "ko"
                     else "customer asked us to call back") in card.group(1)
    assert "data-callback-waits" not in card.group(1)  # no time to wait for: call when you can


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_call_back_agreed_before_the_deadline_is_said_on_the_customers_page(
        client: TestClient, world: World, lang: str) -> None:
    """A customer owed no call (they never asked for a person) agreed a call-back time on the
    phone: the queue holds their case for it, and their page now says so (a walkthrough found
    it silent: it looked only at the calls owed)."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    at = _ten_tomorrow_but_one()
    page = client.get(f"/cs/cases/{case_id}").text
    answer = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "callback_requested", "note": "", "back": "case",
        "callback_at": at.strftime("%Y-%m-%dT%H:%M"), "csrf_token": csrf_of(page)})
    assert answer.status_code == 303
    shown = unescape(client.get(f"/c/{world.tokens['김민준']}?lang={lang}").text)
    said = re.search(r'<p id="call-named">(.*?)</p>', shown, re.DOTALL)
    assert said, "the page does not mention the call-back agreed on the phone"
    assert format_when(at, lang) in said.group(1)
