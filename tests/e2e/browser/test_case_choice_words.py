"""A choice staff record for a customer: the customer's words must say something (an agent's
"-" cancelled an order), and the same choice sent again says it recorded nothing."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from test_pages_access import csrf_of
from world import World

pytestmark = pytest.mark.e2e
CANCEL = "cancel_with_compensation"


def _unchanged(agent, case_id: int) -> None:  # type: ignore[no-untyped-def]
    shown = agent.get(f"/api/cases/{case_id}").json()
    assert shown["choice"] is None and shown["units_refunded"] == 0, shown


@pytest.mark.parametrize("words", ["-", ".", " ok ", "네."])
def test_the_api_refuses_a_choice_whose_words_say_nothing_and_records_nothing(
        client_for, world: World, words: str) -> None:  # type: ignore[no-untyped-def]
    agent, case_id = client_for("agent"), world.cases["김민준"]
    answer = agent.post(f"/api/cases/{case_id}/choice",
                        json={"choice": CANCEL, "channel": "phone", "evidence": words})
    assert answer.status_code == 422, answer.text
    details = answer.json()["details"]
    assert (details["reason"], details["field"], details["minimum"]) == (
        "evidence_too_short", "evidence", 4)
    _unchanged(agent, case_id)
    relayed = client_for("admin").post(  # an email relayed as the customer's: written too
        f"/api/cases/{case_id}/choice",
        json={"choice": CANCEL, "channel": "email", "evidence": words, "taken_by": "customer"})
    assert relayed.status_code == 422 and relayed.json()["details"]["reason"] == (
        "evidence_too_short")
    _unchanged(agent, case_id)


def test_the_call_form_refuses_a_dash_as_the_customers_words(
        client: TestClient, client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    log_in(client, "agent")
    case_id = world.cases["김민준"]
    token = csrf_of(client.get(f"/cs/cases/{case_id}").text)
    for lang, sentence in (("ko", "한글 2글자 또는 영문자·숫자 4자 이상이어야 합니다"),
                           ("en", "at least 4 letters or digits")):
        answer = client.post(f"/cs/cases/{case_id}/choice?lang={lang}",
                             data={"choice": CANCEL, "words": "-", "back": "case",
                                   "csrf_token": token})
        assert answer.status_code == 422, answer.text[:300]
        assert sentence in unescape(answer.text)
    _unchanged(client_for("agent"), case_id)


def test_the_same_choice_again_answers_that_nothing_was_recorded(
        client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    agent, case_id = client_for("agent"), world.cases["김민준"]
    url = f"/api/cases/{case_id}/choice"
    first = agent.post(url, json={"choice": CANCEL, "channel": "phone",
                                  "evidence": "취소해 주세요"}, headers={"Idempotency-Key": "c-1"})
    assert first.status_code == 200, first.text
    shown = agent.get(f"/api/cases/{case_id}").json()
    # the case's keys, then the appended ones in the order they were added ("recorded"; then
    # the case's own appended keys, whether its apology went out)
    told = ["apology_sent", "apology_due"]
    assert list(shown)[-2:] == told
    assert list(first.json()) == [*list(shown)[:-2], "recorded", *told]
    assert first.json()["recorded"] is True and shown["choice_channel"] == "phone"
    again = agent.post(url, json={"choice": CANCEL, "channel": "email",
                                  "evidence": "메일로 다시 말씀드려요, 취소해 주세요"},
                       headers={"Idempotency-Key": "c-2"})
    assert again.status_code == 200, again.text
    assert again.json()["recorded"] is False
    assert again.json()["choice_channel"] == "phone"  # the first record stands
    other = agent.post(url, json={"choice": "keep", "channel": "phone",
                                  "evidence": "그냥 받을게요"}, headers={"Idempotency-Key": "c-3"})
    assert other.status_code == 409, other.text
    assert other.json()["details"]["reason"] == "choice_already_recorded"
