"""A call time the customer picked that passed well ago with no call made (``call_times
.call_time_missed``: more than two open contact hours) is acknowledged: the customer's page
apologises and asks for a new time, and the agent's call card says how long it is overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import log_in
from world import World

from sagwa.adapters.db.tables import cases

pytestmark = pytest.mark.e2e


def _picked(session_factory: sessionmaker[Session], case_id: int, at: datetime) -> None:
    """A time picked when it was still ahead (the form refuses a past one), now long past."""
    with session_factory() as session, session.begin():
        session.execute(update(cases).where(cases.c.id == case_id).values(call_at=at))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_long_missed_call_time_is_apologised_for_and_a_new_one_asked(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    case_id = world.cases["이서연"]  # asked for a person: owed a call
    at = (datetime.now(UTC) - timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    _picked(session_factory, case_id, at)
    page = unescape(client.get(f"/c/{world.tokens['이서연']}?lang={lang}").text)
    assert 'id="call-time-missed"' in page and 'id="call-time-save"' in page
    # not "the time you picked has come: we will call you soon" — that is for a time just come.
    # (Above the form, "you asked to talk to a person" says "soon" while the centre is open, and
    # "from its next opening" when it is closed: the hour the test runs at decides which.)
    assert 'id="call-time-picked"' not in page
    form = page.split('id="call-time"')[1].split("</form>")[0]
    if lang == "ko":
        assert "고르신 시간" in form and "전화드리지 못했습니다" in form
        assert "상담원이 곧 전화드리겠습니다" not in form
    else:
        assert "we did not call you at the time you picked" in page
    log_in(client, "agent")
    queue = unescape(client.get("/cs/queue", params={"lang": lang}).text)
    assert "data-callback-overdue" in queue
    assert ("약속 시간 7일 지남" if lang == "ko" else "7 days past the time promised") in queue


def test_a_time_just_come_is_not_yet_missed(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    _picked(session_factory, world.cases["이서연"], datetime.now(UTC) - timedelta(minutes=20))
    page = client.get(f"/c/{world.tokens['이서연']}?lang=ko").text
    assert 'id="call-time-missed"' not in page and 'id="call-time-picked"' in page
    log_in(client, "agent")
    assert "data-callback-overdue" not in client.get("/cs/queue").text


def test_the_picked_time_on_the_card_takes_the_particle_of_the_hour(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """Found by QA: "오전 10시(한국 시간)을 고름" — the particle fits 시, before the parenthesis."""
    at = (datetime.now(UTC) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    _picked(session_factory, world.cases["이서연"], at)
    log_in(client, "agent")
    queue = unescape(client.get("/cs/queue", params={"lang": "ko"}).text)
    assert "(한국 시간)를 고름" in queue and "(한국 시간)을 고름" not in queue
