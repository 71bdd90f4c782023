"""What an agent sees of a case that can take no more choices, and of calls that never reached
the customer: the case page of a resolved case shows the choice and when, no script asking for
one and no choice form, and what the agent can do (a note with the call log) under the desk's
rule (nobody changes a confirmed choice); a customer the desk gave up calling reads as "could not
be reached", with the attempts, on the agent's case page and in the operator's case table."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import OPEN_ALL_DAY, POLICY, World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _card(html: str, case_id: int) -> str:
    found = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', html,
                      re.DOTALL)
    assert found, f"no card for case {case_id}"
    return unescape(found.group(1))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_resolved_case_shows_the_choice_and_what_the_agent_can_do_not_the_choice_form(
        client: TestClient, world: World, lang: str) -> None:
    case_id = world.cases["Alex Kim"]
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                             choice="cancel_with_compensation", channel="web",
                             evidence="pressed cancel", taken_by="customer", policy=POLICY)
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    card = _card(page, case_id)
    assert f'action="/cs/cases/{case_id}/choice"' not in card
    assert "data-script-options" not in card and "please tell me which of these" not in card
    assert f'action="/cs/cases/{case_id}/attempt"' in card  # a note can still be logged
    assert 'data-state="chosen"' in card and 'data-choice="cancel_with_compensation"' in card
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", card.split(f'id="recorded-choice-{case_id}"')[1])
    if lang == "ko":
        assert "상담원도 운영자도 바꾸거나 되돌릴 수 없습니다" in card
        assert "‘통화 기록’의 메모에" in card
    else:
        assert "cannot be changed or undone by anyone in sagwa" in card
        assert "log the call below with a note" in card
    # what is read to the customer is in their language (English) and promises no change
    assert "A confirmed choice cannot be changed or undone." in card


def _unreachable_case(session_factory: sessionmaker[Session], secret: str,
                      world: World) -> tuple[int, int]:
    """김민준 holds 2 units over a keep cap of 1: past the deadline his default is a call, and
    the desk's attempts all go unanswered. (incident id, case id)."""
    case = notified_two_unit_case(session_factory, secret, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], keep_max_units=1)
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    for _ in range(POLICY.max_call_attempts):  # spaced out, so that each one counts
        logged = desk_cases.log_call_attempt(SqlAlchemyUnitOfWork(session_factory, case.clock),
                                             case_id=case.case_id, channel="phone",
                                             outcome="no_answer", agent="agent:test",
                                             policy=OPEN_ALL_DAY)
        case.clock.advance(POLICY.min_call_spacing)
    assert logged.gave_up
    return case.incident_id, case.case_id


def test_a_customer_who_could_not_be_reached_reads_so_on_both_pages(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    incident_id, case_id = _unreachable_case(session_factory, page_settings.secret_key, world)
    n = POLICY.max_call_attempts
    log_in(client, "admin")  # an admin may open the agents' pages too
    page = client.get(f"/cs/cases/{case_id}").text
    assert "data-unreachable" in page.split('id="case-summary"')[1].split("</dl>")[0]
    card = _card(page, case_id)
    assert 'data-call-state="unreachable"' in card
    assert f"기한 뒤 {n}번 전화했지만 연결되지 않아" in card and f"(시도 {n}/{n}회)" in card
    assert card.count('data-outcome="no_answer"') == n  # the attempts themselves
    english = _card(client.get(f"/cs/cases/{case_id}?lang=en").text, case_id)
    assert f"Called {n} times since the deadline without reaching the customer" in english
    table = client.get(f"/ops/incidents/{incident_id}?lang=ko").text
    row = re.search(r'<td class="small" data-label="통화" data-call-state="([a-z]+)">(.*?)</td>',
                    table, re.DOTALL)
    assert row and row.group(1) == "unreachable"
    assert "연락 안 됨" in row.group(2) and f"기한 뒤 {n}회 시도" in row.group(2)
    assert f"통화 {n}회" in row.group(2) and "받지 않음" in row.group(2)


def test_a_call_that_reached_the_customer_reads_as_reached_on_both_pages(
        client: TestClient, world: World) -> None:
    case_id = world.cases["이서연"]  # she asked for a person: on the call list
    log_in(client, "admin")
    before = client.get(f"/ops/incidents/{world.incident}").text
    assert 'data-call-state="waiting"' in before
    desk_cases.log_call_attempt(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                                channel="phone", outcome="reached", agent="agent:test",
                                policy=POLICY)
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                             choice="keep", channel="phone", evidence="그냥 받을게요",
                             taken_by="agent:test", policy=POLICY)
    after = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    assert 'data-call-state="reached"' in after and "1 call · last: reached" in after
    card = _card(client.get(f"/cs/cases/{case_id}").text, case_id)
    assert 'data-call-state="reached"' in card
