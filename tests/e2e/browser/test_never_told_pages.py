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
    case.clock.now = datetime.now(UTC)
    desk_cases.apply_deadline(SqlAlchemyUnitOfWork(session_factory, case.clock),
                              incident_id=case.incident_id, actor="system")
    log_in(client, "admin")
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
        assert "hears about this first from you" in card.group(1)
