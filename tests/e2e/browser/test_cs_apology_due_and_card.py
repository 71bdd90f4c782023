"""What an agent's pages say of a case whose apology is still in the outbox (held until the
contact centre opens: "notified" is set when it is queued), the queue card's title that opens
the case page, and the card's text fields, which take no more than the server keeps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from customer_cases import notified_two_unit_case
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.tables import outbox
from sagwa.config import Settings
from sagwa.domain.moments import SEOUL
from sagwa.web.pages.contact_centre import MAX_WORDS

pytestmark = pytest.mark.e2e


def _monday_9am() -> datetime:
    """The next Monday 09:00 in Korea, a week or so ahead (a weekend's held apology)."""
    today = datetime.now(SEOUL).replace(hour=9, minute=0, second=0, microsecond=0)
    return today + timedelta(days=7 - today.weekday())


def _held_apology(world: World, session_factory: sessionmaker[Session],
                  page_settings: Settings, due: datetime):  # type: ignore[no-untyped-def]
    """김민준's case, notified, its apology still pending until ``due``."""
    case = notified_two_unit_case(session_factory, page_settings.secret_key, world,
                                  started=datetime.now(UTC) - timedelta(hours=2),
                                  options=["keep", "talk_to_person"], sent=False)
    with session_factory() as session:
        session.execute(update(outbox).where(outbox.c.case_id == case.case_id,
                                             outbox.c.purpose == "resolution")
                        .values(not_before=due))
        session.commit()
    return case


def _badge(html: str) -> str:
    found = re.search(r'<span class="badge held wraps" data-apology-due="[^"]+">([^<]+)</span>',
                      html)
    assert found, "no apology-due badge"
    return unescape(found.group(1))


def test_an_apology_held_for_monday_is_shown_as_not_sent_yet_with_its_time(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session], page_settings: Settings) -> None:
    due = _monday_9am()
    case = _held_apology(world, session_factory, page_settings, due)
    when = f"{due.month}월 {due.day}일(월) 오전 9시"
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}").text
    status = re.search(r'<dd data-status="notified">(.*?)</dd>', page, re.DOTALL)
    assert status, "the status keeps its value"
    assert _badge(status.group(1)) == f"사과 안내 발송 전 · {when} 발송 예정"
    assert not status.group(1).startswith("안내 발송")  # not "notified" while it waits
    english = client.get(f"/cs/cases/{case.case_id}?lang=en").text
    assert _badge(english) == (f"apology not sent yet · due Monday, {due:%B} {due.day} at 9 am "
                               "Korea time")
    found = client.get(f"/cs/cases?q=%23{case.case_id}&lang=ko").text
    row = re.search(rf'<tr data-case="{case.case_id}">(.*?)</tr>', found, re.DOTALL)
    assert row and _badge(row.group(1)) == f"사과 안내 발송 전 · {when} 발송 예정"
    # the customer rang in before it went and asked to be called back: on the call list
    logged = client.post(f"/cs/cases/{case.case_id}/attempt", data={
        "outcome": "callback_requested", "back": "case", "csrf_token": csrf_of(page)})
    assert logged.status_code == 303
    queue = client.get("/cs/queue?lang=ko").text
    card = re.search(rf'<article class="card" id="case-{case.case_id}">(.*?)</article>', queue,
                     re.DOTALL)
    assert card and _badge(card.group(1)) == f"사과 안내 발송 전 · {when} 발송 예정"
    answer = client_for("agent").get(f"/api/cases/{case.case_id}")
    assert answer.status_code == 200 and answer.json()["status"] == "notified"  # as it was


def test_an_apology_sent_on_one_channel_shows_the_status_as_before(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    """The email went; the text message copy still waits for Monday: the customer was told."""
    case = _held_apology(world, session_factory, page_settings, _monday_9am())
    with session_factory() as session:
        assert session.execute(update(outbox).where(
            outbox.c.case_id == case.case_id, outbox.c.purpose == "resolution",
            outbox.c.channel == "email").values(status="sent", sent_at=datetime.now(UTC))
        ).rowcount == 1
        session.commit()
    log_in(client, "agent")
    page = client.get(f"/cs/cases/{case.case_id}").text
    assert re.search(r'<dd data-status="notified">안내 발송', page)
    assert "data-apology-due" not in page


def test_queue_cards_link_their_title_to_the_case_page(client: TestClient,
                                                       world: World) -> None:
    log_in(client, "agent")
    queue = client.get("/cs/queue").text
    case_id = world.cases["이서연"]  # she asked for a person: on the list
    assert re.search(rf'<h2><a href="/cs/cases/{case_id}" data-case-link>#{case_id} 이서연</a>',
                     queue)
    page = client.get(f"/cs/cases/{case_id}").text  # the case page's own card needs none
    assert f"<h2>#{case_id} 이서연 " in page


def test_the_cards_text_fields_take_what_the_server_keeps_and_say_it_beside_the_field(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    for field in ("note", "words"):
        assert re.search(rf'<input id="{field}-{case_id}" name="{field}" type="text"[^>]*'
                         rf'maxlength="{MAX_WORDS}"', page), field
    long = "가" * (MAX_WORDS + 1)
    refused = client.post(f"/cs/cases/{case_id}/attempt", data={
        "outcome": "reached", "note": long, "back": "case", "csrf_token": csrf_of(page)})
    assert refused.status_code == 422
    assert f'id="attempt-problem-{case_id}"' in refused.text  # beside the form, not a bare page
    assert "4,000자까지 적을 수 있습니다(지금 4,001자)" in refused.text
    assert re.search(rf'<input id="note-{case_id}"[^>]*aria-invalid="true"', refused.text)
    words = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "keep", "words": long, "back": "case", "csrf_token": csrf_of(page)})
    assert words.status_code == 422 and f'id="problem-{case_id}"' in words.text
    assert re.search(rf'<input id="words-{case_id}"[^>]*aria-invalid="true"', words.text)
