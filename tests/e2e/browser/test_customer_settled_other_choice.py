"""A customer whose choice is settled who sends another (an old tab, Back): as a tester found
it, the page said "We already have this choice; nothing has changed" — about a choice they had
not made. It says now which choice stands, that it cannot be changed, and that nothing changed;
the same choice again still says it was already received. Korean and English. TestClient."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of
from world import World

pytestmark = pytest.mark.e2e
SAID = {
    ("keep", "ko"): "이 건은 이미 고객님의 선택이 기록되어 있어 다른 방법을 새로 고르실 수 없습니다.",
    ("keep", "en"): "Your choice is already recorded, so another one cannot be made;",
    ("talk_to_person", "ko"): "고객님의 선택은 이미 기록되어 처리되었으므로 상담원 통화 요청은 따로 접수하지 "
                              "않았습니다. 달라진 것은 없습니다.",
    ("talk_to_person", "en"): "Your choice is already recorded and settled, so the request for a "
                              "call was not added; nothing has changed."}


def _top(page: str) -> str:
    found = re.search(r'class="(?:flash|finding)[^"]*"[^>]*>(.*?)</', page, re.DOTALL)
    assert found, "nothing said at the top"
    return unescape(found.group(1))


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("other", ["keep", "talk_to_person"])
def test_another_choice_after_a_settled_one_says_which_stands(
        client: TestClient, world: World, lang: str, other: str) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}?lang={lang}").text
    done = client.post(f"/c/{token}/choose", data={
        "choice": "cancel_with_compensation", "confirmed": "yes", "csrf_token": csrf_of(page)})
    assert done.status_code == 303
    client.get(f"/c/{token}?lang={lang}")  # the flash of the choice, read
    again = client.post(f"/c/{token}/choose?lang={lang}", data={
        "choice": other, "confirmed": "yes", "csrf_token": csrf_of(page)})
    shown = (client.get(again.headers["location"]).text if again.status_code == 303
             else again.text)
    assert again.status_code == (409 if other == "keep" else 303)
    top = _top(shown)
    assert top.startswith(SAID[(other, lang)]), top
    assert "already have this choice" not in top and "이미 접수된 선택입니다" not in top
    assert ("Your choice: <strong>Cancel" if lang == "en" else "고객님의 선택: <strong>주문 취소") in shown


def test_the_same_choice_again_is_still_said_received(client: TestClient,
                                                      world: World) -> None:
    token = world.tokens["김민준"]
    page = client.get(f"/c/{token}").text
    for _ in range(2):
        done = client.post(f"/c/{token}/choose", data={
            "choice": "cancel_with_compensation", "confirmed": "yes",
            "csrf_token": csrf_of(page)})
        assert done.status_code == 303
        shown = client.get(done.headers["location"]).text
    assert _top(shown) == "이미 접수된 선택입니다. 달라진 것은 없습니다."
