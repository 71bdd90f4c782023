"""What an agent is told on a busy day's calls, from a walkthrough of the agents' pages: a choice
sent twice (a double click on the confirm step, or Back and confirm again) says the second time
that nothing new was recorded; a call logged as a wrong number says what that did and what to
do next; the card of a closed contact centre names Korea time once in English."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.services.unit_of_work import ManualClock
from sagwa.testing.deadlines import open_day_after
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

SEOUL = ZoneInfo("Asia/Seoul")


def _flash(html: str) -> str:
    found = re.search(r'<p class="flash[^"]*"[^>]*>(.*?)</p>', html, re.DOTALL)
    assert found, "no flash on the page"
    return unescape(found.group(1))


def _log_call(client: TestClient, case_id: int, lang: str = "ko", **form: str) -> str:
    """Log a call from the case page; the flash it leaves there."""
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    logged = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}",
                         data={"back": "case", "csrf_token": csrf_of(page), **form})
    assert logged.status_code == 303, logged.text[:400]
    return _flash(client.get(logged.headers["location"]).text)


def _confirm_choice(client: TestClient, case_id: int, choice: str, words: str,  # type: ignore[no-untyped-def]
                    lang: str = "ko"):
    page = client.get(f"/cs/cases/{case_id}").text
    return client.post(f"/cs/cases/{case_id}/choice?lang={lang}", data={
        "choice": choice, "words": words, "back": "case", "confirmed": "yes",
        "csrf_token": csrf_of(page)})


def test_a_phone_choice_sent_twice_says_the_second_time_that_nothing_new_was_recorded(
        client: TestClient, world: World) -> None:
    """Before: the confirm step sent again (a double click, or Back and confirm) flashed
    "#N 고객 선택 기록: 주문 유지" a second time, as if it had been recorded again — the service
    had recorded nothing (the API answers ``"recorded": false``)."""
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    first = _confirm_choice(client, case_id, "keep", "그냥 받을게요")
    assert first.status_code == 303, first.text[:400]
    said = _flash(client.get(first.headers["location"]).text)
    assert "고객 선택 기록" in said and "주문 유지" in said
    again = _confirm_choice(client, case_id, "keep", "그냥 받을게요")
    assert again.status_code == 303, again.text[:400]
    said = _flash(client.get(again.headers["location"]).text)
    assert "이미 기록되어" in said and "바뀐 것은 없습니다" in said, said
    english = _confirm_choice(client, case_id, "keep", "그냥 받을게요", lang="en")
    said = _flash(client.get(english.headers["location"]).text)
    assert "already recorded" in said and "nothing was changed" in said, said


def test_a_call_logged_as_a_wrong_number_says_what_it_did_and_what_to_do_next(
        client: TestClient, world: World) -> None:
    """Before: "#N 통화 기록: 잘못된 번호." and nothing else — the agent was not told that no
    text goes to that number any more, nor to save the right number once they have it; the
    next agent dialled the same number."""
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    said = _log_call(client, case_id, outcome="wrong_number", note="다른 분이 받으심")
    assert "잘못된 번호" in said and "문자를 보내지 않습니다" in said, said
    assert "연락처에 저장" in said, said
    said = _log_call(client, case_id, "en", outcome="wrong_number", note="again a stranger")
    assert "no text message goes to this number" in said, said
    assert "save it in the contact details" in said, said


def _next_sunday_noon() -> datetime:
    """Noon on a Sunday at least a day ahead whose Monday is open (not 설날 or 추석)."""
    monday = open_day_after(datetime.now(SEOUL) + timedelta(days=1), weekday=0)
    return datetime.combine(monday - timedelta(days=1), time(12, 0), tzinfo=SEOUL)


def test_the_closed_centre_note_names_korea_time_once_in_english(
        database: Database, session_factory: sessionmaker[Session], page_settings: Settings,
        world: World) -> None:
    """Before: "(opens next: Monday, December 7 at 9 am Korea time, Korea time)"."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    app = create_app(page_settings, database=db, clock=ManualClock(_next_sunday_noon()))
    with TestClient(app, follow_redirects=False) as sunday:
        log_in(sunday, "agent")
        case_id = world.cases["김민준"]
        page = unescape(sunday.get(f"/cs/cases/{case_id}?lang=en").text)
        korean = unescape(sunday.get(f"/cs/cases/{case_id}?lang=ko").text)
    note = re.search(r'<p[^>]*data-centre-closed[^>]*>(.*?)</p>', page, re.DOTALL)
    assert note, "no closed-centre note on the card"
    text = re.sub(r"<[^>]+>", "", note.group(1))
    assert "opens next: Monday" in text, text
    assert text.count("Korea time") == 1, text
    note = re.search(r'<p[^>]*data-centre-closed[^>]*>(.*?)</p>', korean, re.DOTALL)
    assert note and note.group(1).count("한국 시간") == 1, note and note.group(1)


def test_the_follow_up_list_dials_a_number_saved_with_spaces_as_the_card_does(
        client: TestClient, world: World) -> None:
    """Before: the card's ☎ link dialled ``tel:01012340009`` but the queue's list of notes
    needing follow-up linked ``tel:010 1234 0009`` (a space is no part of a tel: address)."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    saved = client.post(f"/cs/cases/{case_id}/contact", data={
        "phone": "010 1234 0009", "phone_was": "010-1234-0000",
        "email": "0@example.com", "email_was": "0@example.com",
        "csrf_token": csrf_of(page)})
    assert saved.status_code == 303, saved.text[:400]
    _log_call(client, case_id, outcome="reached", note="배송 문의, 판매자 확인 후 다시 연락",
              follow_up="yes")
    queue = client.get("/cs/queue").text
    listed = re.search(r'<section id="note-follow-ups".*?</section>', queue, re.DOTALL)
    assert listed and f'data-case="{case_id}"' in listed.group(0)
    links = re.findall(r'href="tel:([^"]*)"', listed.group(0))
    assert links == ["01012340009"], links
