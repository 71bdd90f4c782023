""""No, do not record it" on an agent's confirm step, as a tester found it: it was a link back
to the case page, which drew the choice form empty — the choice and the customer's words were
lost, to be typed again while the customer waited on the line. Now it sends the form back: the
case page, nothing recorded, what was typed in its form, said so beside it (not as a
refusal). The same for a reply's choice. TestClient."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

from sagwa.domain.moments import SEOUL
from sagwa.web.pages.forms import local_input

pytestmark = pytest.mark.e2e
WORDS = "그냥 주문 유지할게요, 취소는 안 해요"


def _no_button(page: str) -> str:
    found = re.search(r'<button [^>]*id="back-to-case"[^>]*>', page)
    assert found, "no 'No' button"
    return found.group(0)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_on_a_phone_choice_keeps_what_was_typed_and_records_nothing(
        client: TestClient, world: World, lang: str) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}?lang={lang}").text
    confirm = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": WORDS, "back": "case",
        "csrf_token": csrf_of(page)})
    assert confirm.status_code == 200 and 'id="confirm-choice"' in confirm.text
    assert 'name="not_recording" value="yes"' in _no_button(confirm.text)
    # the form as the browser sends it on "No": the confirm form's fields and the button's
    back = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": WORDS, "back": "case",
        "confirmed": "yes", "not_recording": "yes", "csrf_token": csrf_of(confirm.text)})
    assert back.status_code == 200
    shown = unescape(back.text)
    assert re.search(r'<option value="cancel_with_compensation" selected>', shown)
    assert f'value="{WORDS}"' in shown
    said = re.search(r'<p class="finding warning" role="status"[^>]*data-not-recorded>([^<]*)<',
                     shown)
    assert said, "no note that nothing was recorded"
    assert said.group(1).startswith("기록하지 않았습니다." if lang == "ko" else "Not recorded.")
    assert 'aria-invalid="true"' not in shown
    assert 'data-choice=""' in client.get(f"/cs/cases/{case_id}").text  # nothing recorded


def test_no_on_a_replys_choice_keeps_the_reply_as_typed(client: TestClient,
                                                        world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    came = local_input(datetime.now(SEOUL).replace(second=0, microsecond=0)
                       - timedelta(hours=1))
    fields = {"channel": "sms", "choice": "keep", "words": WORDS, "received_at": came}
    confirm = client.post(f"/cs/cases/{case_id}/reply",
                          data={**fields, "csrf_token": csrf_of(page)})
    assert confirm.status_code == 200 and 'id="confirm-reply"' in confirm.text
    assert 'name="not_recording"' in _no_button(confirm.text)
    back = client.post(f"/cs/cases/{case_id}/reply", data={
        **fields, "confirmed": "yes", "not_recording": "yes",
        "csrf_token": csrf_of(confirm.text)})
    assert back.status_code == 200
    shown = unescape(back.text)
    assert '<option value="sms" selected>' in shown
    assert re.search(r'id="reply-choice-option".*?<option value="keep" selected>', shown,
                     re.DOTALL)
    assert f">{WORDS}</textarea>" in shown and f'value="{came}"' in shown
    assert 'id="reply-problem" data-not-recorded>기록하지 않았습니다.' in shown
    assert 'data-choice=""' in client.get(f"/cs/cases/{case_id}").text


def test_a_choice_taken_on_a_call_is_said_beside_the_calls_logged(
        client: TestClient, world: World) -> None:
    """A tester recorded a choice by phone, then read "Calls so far: 0 · last outcome: —" on
    the case and "—" under Calls on the incident page: as if nobody had spoken to them. (The
    card says to record the choice, not a call outcome, so no call is logged.)"""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    assert "data-choice-by-phone" not in page
    fields = {"choice": "keep", "words": "유지할게요", "back": "case"}
    confirm = client.post(f"/cs/cases/{case_id}/choice",
                          data={**fields, "csrf_token": csrf_of(page)})
    done = client.post(f"/cs/cases/{case_id}/choice", data={
        **fields, "confirmed": "yes", "csrf_token": csrf_of(confirm.text)})
    assert done.status_code == 303
    english = client.get(f"/cs/cases/{case_id}?lang=en").text
    assert re.search(r'data-calls="0">Calls so far: 0</span> <span data-choice-by-phone>\(the '
                     r"customer's choice was taken on a call, \d{4}-\d\d-\d\d \d\d:\d\d", unescape(english))
    client.cookies.clear()
    log_in(client, "admin")
    ops = client.get(f"/ops/incidents/{world.incident}?lang=en").text
    row = re.search(rf"<tr><td data-label=\"Case\">#{case_id}</td>.*?</tr>", ops, re.DOTALL)
    assert row and "<span class=\"muted\" data-choice-by-phone>choice taken on a call</span>" in row.group(0)


def test_no_once_the_case_takes_no_choice_says_nothing_was_recorded(
        client: TestClient, world: World) -> None:
    """The choice was recorded meanwhile (another agent, the customer): "No" has no form to put
    what was typed back in; it says nothing was recorded (a review's)."""
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    page = client.get(f"/cs/cases/{case_id}").text
    fields = {"choice": "keep", "words": "유지할게요", "back": "case"}
    confirm = client.post(f"/cs/cases/{case_id}/choice",
                          data={**fields, "csrf_token": csrf_of(page)})
    client.post(f"/cs/cases/{case_id}/choice", data={
        **fields, "confirmed": "yes", "csrf_token": csrf_of(confirm.text)})
    late = client.post(f"/cs/cases/{case_id}/choice", data={
        "choice": "cancel_with_compensation", "words": WORDS, "back": "case",
        "confirmed": "yes", "not_recording": "yes", "csrf_token": csrf_of(confirm.text)})
    assert late.status_code == 303 and late.headers["location"] == f"/cs/cases/{case_id}"
    shown = unescape(client.get(late.headers["location"]).text)
    assert "기록하지 않았습니다. 이 건은 이제 그 양식으로 선택을 받지 않습니다." in shown
    assert 'data-choice="keep"' in shown
