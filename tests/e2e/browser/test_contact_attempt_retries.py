"""A contact attempt sent twice is logged once: over the API with an ``Idempotency-Key`` (optional
there: without one every call logs, as before), and from the agent's page, whose call form
carries a key of its own (a double click, a resend after a dropped answer). A walkthrough's
finding: the same attempt sent twice showed "Calls so far: 2" and two lines in the history."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import csrf_of, log_in
from world import World

from sagwa.adapters.db.tables import contact_attempts
from sagwa.services.idempotency import MAX_KEY_LENGTH

pytestmark = pytest.mark.e2e


def _attempts(session_factory: sessionmaker[Session], case_id: int) -> int:
    with session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(contact_attempts)
                                  .where(contact_attempts.c.case_id == case_id)) or 0)


def _form_key(page: str, case_id: int) -> str:
    card = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', page,
                     re.DOTALL)
    assert card, f"no card for case {case_id}"
    found = re.search(r'<input type="hidden" name="form_key" value="([0-9a-f]{32})">',
                      card.group(1))
    assert found, "the call form carries no key"
    return found.group(1)


def test_an_attempt_retried_with_its_key_is_logged_once_and_answered_alike(
        client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session]) -> None:
    agent = client_for("agent", auto_keys=False)
    case_id = world.cases["이서연"]
    url = f"/api/cases/{case_id}/contact-attempts"
    body = {"channel": "phone", "outcome": "no_answer", "note": "voicemail"}
    first = agent.post(url, json=body, headers={"Idempotency-Key": "call-1"})
    again = agent.post(url, json=body, headers={"Idempotency-Key": "call-1"})
    assert first.status_code == again.status_code == 201, again.text
    assert again.json() == first.json()
    assert _attempts(session_factory, case_id) == 1

    other = agent.post(url, json={**body, "outcome": "reached"},
                       headers={"Idempotency-Key": "call-1"})
    assert other.status_code == 409, other.text
    assert other.json()["details"]["reason"] == "idempotency_request_differs"
    assert _attempts(session_factory, case_id) == 1

    too_long = agent.post(url, json=body, headers={"Idempotency-Key": "k" * (MAX_KEY_LENGTH + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["details"]["reason"] == "idempotency_key_too_long"
    blank = agent.post(url, json=body, headers={"Idempotency-Key": " "})
    assert blank.status_code == 422
    assert blank.json()["details"]["reason"] == "idempotency_key_blank"
    for odd in ("\x01k", "key\x7f"):  # control characters: no one's key
        bad = agent.post(url, json=body, headers={"Idempotency-Key": odd})
        assert bad.status_code == 422, bad.text
        assert bad.json()["details"]["reason"] == "idempotency_key_not_ascii"
    hangul = agent.post(url, json=body,
                        headers={"Idempotency-Key": "키".encode()})  # UTF-8 bytes
    assert hangul.json()["details"]["reason"] == "idempotency_key_not_ascii"
    assert _attempts(session_factory, case_id) == 1

    # no key: every call logs, as it always did
    for _ in range(2):
        assert agent.post(url, json=body).status_code == 201
    assert _attempts(session_factory, case_id) == 3
    assert agent.post(url, json=body, headers={"Idempotency-Key": "call-2"}).json()["id"] \
        != first.json()["id"]
    assert _attempts(session_factory, case_id) == 4


def test_the_call_form_sent_twice_logs_the_call_once(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get("/cs/queue").text
    key = _form_key(page, case_id)
    assert _form_key(client.get("/cs/queue").text, case_id) != key  # new each time it is drawn
    form = {"outcome": "no_answer", "note": "", "csrf_token": csrf_of(page), "form_key": key}
    for _ in range(2):
        answer = client.post(f"/cs/cases/{case_id}/attempt", data=form)
        assert answer.status_code == 303, answer.text[:300]
    assert _attempts(session_factory, case_id) == 1
    assert client.get("/cs/queue").text.count('data-outcome="no_answer"') == 1

    # the same form sent back from an earlier page with another outcome: refused, said plainly
    refused = client.post(f"/cs/cases/{case_id}/attempt", data={**form, "outcome": "reached"})
    assert refused.status_code == 409, refused.text[:300]
    assert "이미 다른 통화 결과를 기록했습니다" in refused.text
    assert _attempts(session_factory, case_id) == 1
    # the page drawn with the refusal has a fresh key: logging the other call works
    fresh = _form_key(refused.text, case_id)
    assert fresh != key
    logged = client.post(f"/cs/cases/{case_id}/attempt",
                         data={**form, "form_key": fresh, "outcome": "wrong_number"})
    assert logged.status_code == 303, logged.text[:300]
    assert _attempts(session_factory, case_id) == 2
