"""The call list's card: the choice form comes before the call log, and a call is logged only
with an outcome the agent picked (no outcome is preselected: "reached" ends the call owed)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


def _card(html: str, case_id: int) -> str:
    found = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', html,
                      re.DOTALL)
    assert found, f"no card for case {case_id}"
    return found.group(1)


def test_the_choice_comes_first_and_no_outcome_is_preselected(client: TestClient,
                                                               world: World) -> None:
    log_in(client, "agent")
    card = _card(client.get("/cs/queue").text, world.cases["이서연"])
    assert card.index("/choice") < card.index("/attempt")
    outcome = re.search(r'<select id="outcome-\d+" name="outcome" required>(.*?)</select>', card,
                        re.DOTALL)
    assert outcome and outcome.group(1).startswith('<option value="">')
    assert " selected" not in outcome.group(1)
    assert "먼저 ‘선택 기록’을 눌러 주세요" in card


def test_a_call_without_an_outcome_is_refused_and_nothing_is_logged(client: TestClient,
                                                                    world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get("/cs/queue").text
    answer = client.post(f"/cs/cases/{case_id}/attempt",
                         data={"outcome": "", "note": "", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422, answer.text[:300]
    assert 'data-outcome="' not in _card(answer.text, case_id)


def _script(card: str) -> str:
    found = re.search(r'<div class="script"[^>]*>(.*?)</div>', card, re.DOTALL)
    assert found, "no call script on the card"
    return found.group(1)


def _asks_for_a_person(client: TestClient, world: World, name: str) -> int:
    from world import POLICY

    from sagwa.services import desk_cases

    case_id = world.cases[name]
    desk_cases.record_choice(client.app.state.uow_factory(), case_id=case_id,  # type: ignore[attr-defined]
                             choice="talk_to_person", channel="web", evidence="pressed",
                             taken_by="customer", policy=POLICY)
    return case_id


KOREAN_DATE = re.compile(r"\d+월 \d+일\([월화수목금토일]\) (?:오[전후] |낮 )?\d+시")
ENGLISH_DATE = re.compile(r"(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+ \d+ at \d")


def _agents_deadline(card: str) -> str:
    """The deadline line said to the agent (``data-deadline``, in the page's language)."""
    found = re.search(r'<p class="small" lang="[a-z]+" data-deadline>(.*?)</p>', card, re.DOTALL)
    assert found, "no deadline line for the agent"
    return found.group(1)


def test_the_agents_deadline_is_in_the_page_language_and_the_script_says_whose_it_is(
        client: TestClient, world: World) -> None:
    """The agent's own words in the page's language; what is read aloud (the script, which
    tells the customer the deadline too) in the customer's. (It read the agent's part as the
    card less the whole script, which holds the agent's deadline line: a date in the page's
    language came only from a line shown outside contact hours, so it passed only then.)"""
    log_in(client, "agent")
    korean_customer = world.cases["이서연"]
    english_customer = _asks_for_a_person(client, world, "Alex Kim")
    english_page = unescape(client.get("/cs/queue?lang=en").text)
    card = _card(english_page, korean_customer)
    agents = _agents_deadline(card)
    read_aloud = _script(card).replace(agents, "")
    assert ENGLISH_DATE.search(agents) and not KOREAN_DATE.search(agents)
    assert "in Korean, the customer's language" in card
    assert "사과드립니다" in read_aloud and KOREAN_DATE.search(read_aloud)
    assert not ENGLISH_DATE.search(read_aloud)
    korean_page = unescape(client.get("/cs/queue?lang=ko").text)
    card = _card(korean_page, english_customer)
    agents = _agents_deadline(card)
    read_aloud = _script(card).replace(agents, "")
    assert KOREAN_DATE.search(agents) and not ENGLISH_DATE.search(agents)
    assert "고객의 언어인 영어로" in card
    assert "we are truly sorry" in read_aloud and ENGLISH_DATE.search(read_aloud)
    assert not KOREAN_DATE.search(read_aloud)


def test_the_script_does_not_offer_a_call_to_a_customer_already_on_the_phone(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    english_customer = _asks_for_a_person(client, world, "Alex Kim")
    html = unescape(client.get("/cs/queue").text)
    korean = _script(_card(html, world.cases["이서연"]))
    assert "주문 유지" in korean and "주문 취소" in korean
    assert "상담원과 통화" not in korean and "전화드리겠습니다" not in korean
    assert ("말씀하신 내용은 기록해 두어, 다음에 다른 상담원이 받더라도 그 내용을 보고 이어서 도와드립니다"
            in korean)
    english = _script(_card(html, english_customer))
    assert "Keep the order" in english and "Talk to a person" not in english
    assert "we will call you" not in english and "we will contact you again" in english


def test_a_second_different_choice_tells_the_agent_it_is_recorded_and_cannot_be_changed(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    token = csrf_of(client.get("/cs/queue").text)
    first = client.post(f"/cs/cases/{case_id}/choice",
                        data={"choice": "keep", "words": "그냥 받을게요", "confirmed": "yes",
                              "csrf_token": token})
    assert first.status_code == 303
    for lang, recorded, customer_words in (
            ("ko", "이 건은 고객의 선택이 이미 기록되어 있어 바꿀 수 없습니다", "상담원과 통화해 주세요"),
            ("en", "The customer's choice is already recorded and cannot be changed",
             "please talk to a person")):
        again = client.post(f"/cs/cases/{case_id}/choice?lang={lang}",
                            data={"choice": "cancel_with_compensation", "words": "취소로 바꿔 주세요",
                                  "csrf_token": token})
        assert again.status_code == 409
        alert = re.search(r'<p class="finding error" role="alert"[^>]*>(.*?)</p>',
                          unescape(again.text), re.DOTALL)
        assert alert and recorded in alert.group(1)
        assert customer_words not in again.text
        assert f'href="/cs/cases/{case_id}"' in alert.group(1)  # where the case still is


def test_no_choice_is_preselected_and_a_choice_form_without_one_records_nothing(
        client: TestClient, world: World) -> None:
    """One click must not record a choice the customer never made (a choice is final): the
    form starts on no choice, and a form sent without one is refused beside the select, with
    what the agent typed kept."""
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get("/cs/queue").text
    select = re.search(rf'<select id="choice-{case_id}" name="choice" required[^>]*>(.*?)</select>',
                       _card(page, case_id), re.DOTALL)
    assert select and select.group(1).startswith('<option value="">— 고객이 고른 방법 —</option>')
    assert " selected" not in select.group(1)
    for lang, sentence in (("ko", "고객이 고른 방법을 고르세요"),
                           ("en", "Choose what the customer chose")):
        answer = client.post(f"/cs/cases/{case_id}/choice?lang={lang}",
                             data={"choice": "", "words": "잠깐 생각해 볼게요",
                                   "csrf_token": csrf_of(page)})
        assert answer.status_code == 422, answer.text[:300]
        card = _card(unescape(answer.text), case_id)
        assert sentence in card and "잠깐 생각해 볼게요" in card
        assert re.search(rf'<select id="choice-{case_id}" name="choice" required aria-invalid="true"',
                         card)
    on_card = _card(client.get("/cs/queue").text, case_id)
    assert f'action="/cs/cases/{case_id}/choice"' in on_card  # still takes a choice: none recorded
