"""The notice editor's findings say which words they flag. A walkthrough found the same message
listed two or three times ("위협으로 읽힙니다 … 삭제하세요." twice, "This reads as
intimidation …" three times) with nothing to say where: each finding with a place now quotes
its sentence with the flagged words marked, and one message for the same words in several
places is listed once, quoting each — for the live check as the operator types and for a
notice refused on publishing, in Korean and in English."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from world import World

from sagwa.messagecheck import check_message
from sagwa.web.pages.incident_context import quote_of, shown_findings

pytestmark = pytest.mark.e2e

KO_TITLE = "가격 오류 안내"
KO_BODY = ("고객님, 주문을 취소하지 않으면 법적 조치를 취하겠습니다. 소송을 제기할 수 있습니다. "
           "그래도 결제하지 않으면 법적 조치를 하겠습니다.")
EN_TITLE = "Price error"
EN_BODY = ("If you do not cancel we will take legal action. Our lawyers will contact you. "
           "We may sue.")


def _threats(html: str) -> list[str]:
    """Each threat finding's <li>, unescaped."""
    return [unescape(li) for li in
            re.findall(r'<li class="finding error" data-code="threat">(.*?)</li>', html, re.DOTALL)]


def _check(client: TestClient, world: World, title: str, body: str, lang: str) -> str:
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice/check",
                         data={"title": title, "body": body, "lang": lang},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert answer.status_code == 200
    return answer.text


def test_the_live_check_quotes_each_threat_once_per_words_in_korean(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    threats = _threats(_check(client, world, KO_TITLE, KO_BODY, "ko"))
    # "법적 조치" twice: one entry quoting both sentences; "소송": an entry of its own
    assert len(threats) == 2
    legal, suit = threats
    assert legal.count("위협으로 읽힙니다") == 1
    assert ("해당 부분: “고객님, 주문을 취소하지 않으면 <mark>법적 조치</mark>를 취하겠습니다.”"
            in legal)
    assert "“그래도 결제하지 않으면 <mark>법적 조치</mark>를 하겠습니다.”" in legal
    assert "해당 부분: “<mark>소송</mark>을 제기할 수 있습니다.”" in suit
    assert "<mark>" not in legal.split("제안")[1]  # the suggestion is not a quote


def test_the_live_check_quotes_each_threat_in_english(client: TestClient, world: World) -> None:
    log_in(client, "admin")
    threats = _threats(_check(client, world, EN_TITLE, EN_BODY, "en"))
    assert len(threats) == 3  # three different words, each quoted where it is
    flagged = [re.findall(r"<mark>(.*?)</mark>", t) for t in threats]
    assert flagged == [["take legal"], ["lawyers"], ["sue"]]
    english = _check(client, world, EN_TITLE, EN_BODY, "en")
    assert "“If you do not cancel we will <mark>take legal</mark> action.”" in unescape(english)


def test_the_page_words_the_quote_in_english_on_an_english_page(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor?lang=en").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice/check?lang=en",
                         data={"title": EN_TITLE, "body": EN_BODY, "lang": "en"},
                         headers={"HX-Request": "true", "X-CSRF-Token": token})
    assert "Where: “Our <mark>lawyers</mark> will contact you.”" in unescape(answer.text)
    assert "해당 부분" not in answer.text


def test_a_notice_refused_on_publishing_comes_back_with_its_findings_quoted(
        client: TestClient, world: World) -> None:
    log_in(client, "admin")
    token = csrf_of(client.get(f"/ops/incidents/{world.incident}/notice/editor").text)
    answer = client.post(f"/ops/incidents/{world.incident}/notice",
                         data={"title": KO_TITLE, "body": KO_BODY, "lang": "ko",
                               "csrf_token": token})
    assert answer.status_code == 422
    legal, suit = _threats(answer.text)
    assert legal.count("<mark>법적 조치</mark>") == 2 and "<mark>소송</mark>" in suit


def test_the_same_message_for_other_words_stays_apart_and_places_are_not_repeated() -> None:
    text = f"{KO_TITLE}\n\n{KO_BODY}"
    result = check_message(text, kind="notice", lang="ko")
    shown = shown_findings(result, text)
    assert len(result.findings) == len(shown) + 1  # only the second "법적 조치" merged
    quotes = [q for s in shown for q in s["quotes"]]
    assert len(quotes) == len(set(quotes)) == 3
    assert [s["quotes"] for s in shown if s["finding"].span is None] == [[]] * 4


def test_a_quote_is_cut_to_its_sentence_and_a_long_one_to_its_ends() -> None:
    text = "제목\n\n첫 문장입니다. " + "가" * 50 + " 위협 " + "나" * 50 + ". 다음 문장."
    start = text.index("위협")
    before, flagged, after = quote_of(text, (start, start + 2))
    assert (flagged, before[0], after[-1]) == ("위협", "…", "…")
    assert "첫 문장" not in before and "다음" not in after
    assert len(before) == len(after) == 31
    sentence = (text.index("가"), text.index(". 다음") + 1)
    _, whole, rest = quote_of(text, sentence)
    assert whole.startswith("가" * 50) and whole.endswith("나" * 24 + ".") and " … " in whole
    assert rest == ""
    title = quote_of(text, (0, 2))
    assert title == ("", "제목", "")
