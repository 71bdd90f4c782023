"""Two findings of a walk through the agents' pages. The call form sent twice (a double click,
Back and send again) logs one call, but the second answer said "call logged" again as if a
second call had been logged: it now says the call was already logged and nothing new was. And a
customer who asked to talk to a person, was reached on the phone but did not choose, stayed on
the call list looking like any other: the card now says when and by whom they were reached and
that their choice is still to be recorded (they stay on the list)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_call_queue_forms import _card
from test_callback_time_pages import _flash
from test_contact_attempt_retries import _attempts, _form_key
from world import World

from sagwa.adapters.db.tables import contact_attempts
from sagwa.web.pages.rendering import seoul

pytestmark = pytest.mark.e2e


def _sent_twice(client: TestClient, case_id: int, lang: str) -> tuple[str, str]:
    """The flashes after the call form of ``case_id``'s card is sent, then sent again."""
    log_in(client, "agent")
    page = client.get(f"/cs/queue?lang={lang}").text
    form = {"outcome": "no_answer", "note": "", "csrf_token": csrf_of(page),
            "form_key": _form_key(page, case_id)}
    flashes = []
    for _ in range(2):  # each answer's page read before the form is sent again
        answer = client.post(f"/cs/cases/{case_id}/attempt?lang={lang}", data=form)
        assert answer.status_code == 303, answer.text[:300]
        where = answer.headers["location"].split("#")[0]
        flashes.append(_flash(unescape(client.get(where).text)))
    return flashes[0], flashes[1]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_call_form_sent_twice_says_the_second_time_that_nothing_new_was_logged(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        lang: str) -> None:
    case_id = world.cases["이서연"]
    first, again = _sent_twice(client, case_id, lang)
    assert _attempts(session_factory, case_id) == 1
    if lang == "ko":
        assert first.startswith(f"#{case_id} 통화 기록: 받지 않음.")
        assert "이미" not in first
        assert again.startswith(f"#{case_id} 이 통화는 이미 기록되어 있습니다: 받지 않음.")
        assert "새로 기록한 것은 없습니다" in again and "통화 기록:" not in again
    else:
        assert first.startswith(f"#{case_id} call logged: no answer.")
        assert "already" not in first
        assert again.startswith(f"#{case_id}: this call was already logged: no answer;")
        assert "nothing new was logged" in again and "call logged:" not in again


def _reached_mark(card: str) -> str | None:
    found = re.search(r'<p class="call-state"[^>]*data-reached-undecided[^>]*>(.*?)</p>', card,
                      re.DOTALL)
    return " ".join(found.group(1).split()) if found else None


def test_a_customer_reached_without_choosing_stays_on_the_list_marked_reached(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]  # she asked on her page to talk to a person
    page = client.get("/cs/queue").text
    assert _reached_mark(_card(page, case_id)) is None  # not reached yet
    answer = client.post(f"/cs/cases/{case_id}/attempt",
                         data={"outcome": "reached", "note": "생각해 보고 다시 연락 준대요",
                               "csrf_token": csrf_of(page), "form_key": _form_key(page, case_id)})
    assert answer.status_code == 303, answer.text[:300]
    with session_factory() as session:
        at = session.scalar(select(contact_attempts.c.attempted_at)
                            .where(contact_attempts.c.case_id == case_id))
    korean = _card(unescape(client.get("/cs/queue?lang=ko").text), case_id)  # still listed
    mark = _reached_mark(korean)
    assert mark is not None, "the card does not say she was reached"
    assert "통화 연결됨" in mark and seoul(at) in mark and "상담원 agent" in mark
    assert "고객이 아직 고르지 않았습니다" in mark and "‘선택 기록’" in mark
    assert f'action="/cs/cases/{case_id}/choice"' in korean  # the choice is still taken
    english = _reached_mark(_card(unescape(client.get("/cs/queue?lang=en").text), case_id))
    assert english is not None
    assert f"reached on {seoul(at, lang='en')} by agent agent" in english
    assert "has not chosen yet" in english and "record their choice" in english
    # the case page says the same (and no longer only "has been reached")
    case_page = _reached_mark(_card(unescape(client.get(f"/cs/cases/{case_id}").text), case_id))
    assert case_page is not None and seoul(at) in case_page
