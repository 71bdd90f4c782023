"""A customer never told before the deadline, as the operator and the agent see it: the
incident page counts who was told and who is owed a call and marks the case "never told by the
deadline"; the call list marks the card, so the agent knows the customer hears of the incident
first from them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.services import desk_cases
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("sent", [False, True])
def test_the_pages_say_who_was_never_told_and_owed_a_call(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, sent: bool) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=sent)
    log_in(client, "admin")
    before = client.get(f"/ops/incidents/{case.incident_id}?lang=en").text
    # the apology has not gone out yet: the row says when it was due
    assert ("data-apology-due" in before) is not sent
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    table = unescape(client.get(f"/ops/incidents/{case.incident_id}?lang=en").text)
    told = re.search(r'id="told-count" data-told="(\d+)" data-calls-owed="(\d+)"', table)
    assert told and told.groups() == (("1", "0") if sent else ("0", "1"))
    assert ("data-never-told" in table) is not sent
    assert f"Customers told (apology sent, or reached by phone): {int(sent)} of 1" in table
    korean = client.get(f"/ops/incidents/{case.incident_id}?lang=ko").text
    assert ("기한까지 안내가 전해지지 않음" in korean) is not sent
    queue = unescape(client.get("/cs/queue?lang=en").text)
    card = re.search(rf'<article class="card" id="case-{case.case_id}">(.*?)</article>', queue,
                     re.DOTALL)
    assert (card is not None) is not sent  # told and defaulted to keep: no call owed
    if card:
        assert "our apology did not reach this customer by the deadline" in card.group(1)


def test_the_customer_page_of_a_customer_never_told_says_so_and_still_takes_a_choice(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=False)
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    english = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert "did not go out in time; we are sorry. One of our staff will call you" in english
    assert "the default" not in english  # no default was ever put to them
    assert 'id="choose-' in english  # their answer counts whenever it comes
    korean = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert "안내가 제때 나가지 못했습니다. 죄송합니다. 상담원이 전화드려 직접 여쭙겠습니다" in korean


def test_once_the_calls_are_given_up_the_page_no_longer_promises_one(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """Found by a review: after three spaced calls that did not reach them the page still said
    "one of our staff will call you"; it says we called and could not reach them."""
    from world import OPEN_ALL_DAY, POLICY

    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(days=20),
                                  options=["keep", "talk_to_person"], sent=False)
    case.clock.now = datetime.now(UTC) - timedelta(days=1)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    for _ in range(POLICY.max_call_attempts):
        desk_cases.log_contact_attempt(SqlAlchemyUnitOfWork(session_factory, case.clock),
                                       case_id=case.case_id, channel="phone",
                                       outcome="no_answer", agent="agent:park",
                                       policy=OPEN_ALL_DAY)
        case.clock.now += POLICY.min_call_spacing
    english = unescape(client.get(f"/c/{case.token}?lang=en").text)
    assert (f"Our staff called you {POLICY.max_call_attempts} times but could not reach you; "
            "please call us when it suits you (below). Nothing has changed on your order."
            ) in english
    assert "One of our staff will call you" not in english and 'id="choose-' in english
    korean = unescape(client.get(f"/c/{case.token}?lang=ko").text)
    assert f"상담원이 {POLICY.max_call_attempts}번 전화드렸지만 연결되지 않았습니다." in korean
    assert "전화드려 직접 여쭙겠습니다" not in korean
