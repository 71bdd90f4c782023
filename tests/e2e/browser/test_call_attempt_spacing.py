"""Calls logged too close together, as the agent and the operator read them: the flash after a
call that did not count towards the tries says so, and from when calls count again (Korea
time); the one that used up the tries says the customer is sent a message saying so; and the
call list, the case page and the operator's case table count the attempts with the configured
``[calls] min_spacing_minutes``, not the built-in two hours."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import NotifiedCase, notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import OPEN_ALL_DAY, POLICY, World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.contact_centre import spacing_words
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e


def _owed_a_call(session_factory: sessionmaker[Session], secret: str,
                 world: World) -> NotifiedCase:
    """김민준 holds 2 units over a keep cap of 1: past the deadline his default is a call (on the
    call list); the clock stands at the real now."""
    case = notified_two_unit_case(session_factory, secret, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    return case


def _no_answer_at(session_factory: sessionmaker[Session], case: NotifiedCase,
                  *ago: timedelta) -> list[datetime]:
    """Unanswered calls logged ``ago`` before the real now (the built-in policy)."""
    now, at = datetime.now(UTC).replace(microsecond=0), []
    for delta in ago:
        case.clock.now = now - delta
        desk_cases.log_call_attempt(SqlAlchemyUnitOfWork(session_factory, case.clock),
                                    case_id=case.case_id, channel="phone", outcome="no_answer",
                                    agent="agent:test", policy=OPEN_ALL_DAY)
        at.append(case.clock.now)
    return at


def _flash_after_a_call(client: TestClient, case_id: int, lang: str) -> str:
    queue = client.get(f"/cs/queue?lang={lang}").text
    answer = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}", data={
        "outcome": "no_answer", "note": "", "csrf_token": csrf_of(queue)})
    assert answer.status_code == 303, answer.text[:300]
    page = unescape(client.get(answer.headers["location"].split("#")[0]).text)
    found = re.search(r'<p class="flash ok" role="status"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert found, "no flash"
    return found.group(1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_call_too_soon_after_the_last_counted_one_says_it_did_not_count_and_from_when(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    case = _owed_a_call(session_factory, page_settings.secret_key, world)
    [last] = _no_answer_at(session_factory, case, timedelta(minutes=30))
    client.app.state.desk_policy = OPEN_ALL_DAY  # type: ignore[attr-defined]  # any hour
    log_in(client, "agent")
    flash = _flash_after_a_call(client, case.case_id, lang)
    again = seoul(last + POLICY.min_call_spacing)  # two hours after the one that counted
    n = POLICY.max_call_attempts
    if lang == "ko":
        assert flash.startswith(f"#{case.case_id} 통화 기록: 받지 않음.")
        assert f"기한 뒤 시도 횟수(최대 {n}회)에 넣지 않았습니다" in flash
        assert "마지막 통화 뒤 아직 2시간이 지나지 않았기 때문입니다" in flash
        assert f"{again}(한국 시간)부터 거는 전화는 다시 횟수에 넣습니다." in flash
    else:
        assert (f"Not counted towards the {n} tries: less than 2 h after the last counted one; "
                f"calls count again from {again} (Korea time).") in flash
    card = unescape(client.get("/cs/queue").text).split(f'id="case-{case.case_id}"')[1]
    assert f'data-attempts="1/{n}"' in card.split("</article>")[0]  # still one counted


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_call_that_uses_up_the_tries_says_the_customer_is_sent_a_message(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, lang: str) -> None:
    case = _owed_a_call(session_factory, page_settings.secret_key, world)
    spacing, n = POLICY.min_call_spacing, POLICY.max_call_attempts
    _no_answer_at(session_factory, case, *(spacing * (n - i) for i in range(1, n)))
    client.app.state.desk_policy = OPEN_ALL_DAY  # type: ignore[attr-defined]  # any hour
    log_in(client, "agent")
    flash = _flash_after_a_call(client, case.case_id, lang)
    if lang == "ko":
        assert f"기한 뒤 {n}번 시도해도 연결되지 않아 ‘연락 안 됨’으로 기록하고" in flash
        assert "고객에게는 전화로 연락드리지 못했다는 안내 메시지를 연락 가능 시간에 보냅니다." in flash
        assert "횟수에 넣지 않았습니다" not in flash
    else:
        assert f"After {n} tries since the deadline" in flash
        assert "The customer is sent a message saying we could not reach them by phone" in flash
    with SqlAlchemyUnitOfWork(session_factory) as u:
        assert u.reads.owed_call(case.case_id) is None  # off the list


def test_the_pages_count_attempts_with_the_configured_spacing(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Two calls 30 minutes apart: under the built-in two hours one counts; the desk here is
    configured with ten minutes, so both do — on the call list, the case page and the
    operator's table; and a third call 30 minutes later counts too (and uses up the tries)."""
    case = _owed_a_call(session_factory, page_settings.secret_key, world)
    _no_answer_at(session_factory, case, timedelta(minutes=60), timedelta(minutes=30))
    client.app.state.desk_policy = replace(  # type: ignore[attr-defined]
        OPEN_ALL_DAY, min_call_spacing=timedelta(minutes=10))
    n = POLICY.max_call_attempts
    log_in(client, "admin")  # an admin opens the agents' pages and the operator's
    queue = unescape(client.get("/cs/queue").text)
    card = queue.split(f'id="case-{case.case_id}"')[1].split("</article>")[0]
    assert f'data-attempts="2/{n}"' in card
    page = unescape(client.get(f"/cs/cases/{case.case_id}").text)
    assert f'data-attempts="2/{n}"' in page
    table = unescape(client.get(f"/ops/incidents/{case.incident_id}").text)
    assert "기한 뒤 2회 시도" in table
    flash = _flash_after_a_call(client, case.case_id, "en")
    assert "Not counted" not in flash and f"After {n} tries since the deadline" in flash


@pytest.mark.parametrize(("minutes", "ko", "en"), [
    (120, "2시간", "2 h"), (90, "1시간 30분", "1 h 30 min"), (45, "45분", "45 min"),
    (1440, "24시간", "24 h")])
def test_the_spacing_reads_as_people_say_it(minutes: int, ko: str, en: str) -> None:
    spacing = timedelta(minutes=minutes)
    assert (spacing_words(spacing, "ko"), spacing_words(spacing, "en")) == (ko, en)


def test_the_api_says_an_attempt_before_the_deadline_did_not_count(
        client_for, world: World, session_factory: sessionmaker[Session],  # type: ignore[no-untyped-def]
        page_settings: Settings) -> None:
    """Two unanswered calls a second apart to a customer who asked for a person, before the
    deadline: ``counted`` is false for both, as ``attempts_counted`` (0) says."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2),
                                  options=["keep", "talk_to_person"])
    desk_cases.record_choice(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                             choice="talk_to_person", channel="web", evidence="pressed",
                             taken_by="customer", policy=POLICY)
    agent = client_for("agent")
    answers = [agent.post(f"/api/cases/{case.case_id}/contact-attempts",
                          json={"channel": "phone", "outcome": "no_answer"}) for _ in range(2)]
    for answer in answers:
        assert answer.status_code == 201, answer.text
        body = answer.json()
        assert (body["counted"], body["attempts_counted"], body["counts_from"]) == (False, 0, None)
        assert {"made_call", "gave_up", "message_queued", "max_attempts",
                "min_spacing_minutes"} <= set(body)
        assert (body["no_phone"], body["at_new_number"]) == (False, False)
