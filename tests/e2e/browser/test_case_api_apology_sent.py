"""The case's JSON says whether its apology went out: "status": "notified" is set when the
apology is queued (the case's state machine), so a client could not tell a case whose
apology waits for contact hours from one whose customer was told."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_cs_apology_due_and_card import _held_apology, _monday_9am
from world import World

from sagwa.adapters.db.tables import outbox
from sagwa.config import Settings

pytestmark = pytest.mark.e2e


def test_the_case_json_says_whether_the_apology_went_out(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session], page_settings: Settings) -> None:
    """Before the mend GET /api/cases/5 said only "status": "notified" while the pages said
    "사과 안내 발송 전" (held for Monday's opening)."""
    due = _monday_9am()
    case = _held_apology(world, session_factory, page_settings, due)
    agent = client_for("agent")
    held = agent.get(f"/api/cases/{case.case_id}").json()
    assert held["status"] == "notified"  # the state machine's, as it was
    assert list(held)[-2:] == ["apology_sent", "apology_due"]  # appended
    assert held["apology_sent"] is False
    assert datetime.fromisoformat(held["apology_due"]) == due
    with session_factory() as session:
        session.execute(update(outbox).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "resolution",
            outbox.c.channel == "email").values(status="sent", sent_at=datetime.now(UTC)))
        session.commit()
    told = agent.get(f"/api/cases/{case.case_id}").json()
    assert told["apology_sent"] is True and told["apology_due"] is None
