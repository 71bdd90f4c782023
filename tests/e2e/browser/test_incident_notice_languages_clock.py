"""The incident page's "time to notice" clock and the list's notice badge run until the notice
is up in every language it must be in: an English notice alone (its customers read Korean too)
leaves the Korean one due, and both say so."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from world import World

from sagwa.services import notices

pytestmark = pytest.mark.e2e


def _publish(client: TestClient, incident: int, lang: str) -> None:
    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    policy = client.app.state.desk_policy  # type: ignore[attr-defined]
    title, body = notices.draft_notice(uow(), incident_id=incident, lang=lang, policy=policy)
    notices.publish_notice(uow(), incident_id=incident, lang=lang, title=title, body=body,
                           actor="admin:test")


def _clock(page: str) -> str:
    found = re.search(r'<p class="clock[^"]*" id="clock-notice".*?</p>', page, re.DOTALL)
    assert found, "no notice clock"
    return found.group(0)


def _row(client: TestClient, incident: int) -> str:
    row = re.search(rf'<tr data-incident="{incident}">.*?</tr>', client.get("/ops/incidents").text,
                    re.DOTALL)
    assert row, "the incident is not listed"
    return row.group(0)


def test_an_english_notice_alone_leaves_the_korean_one_due_on_the_page_and_the_list(
        client: TestClient, world: World) -> None:
    _publish(client, world.incident, "en")
    log_in(client, "admin")
    clock = _clock(client.get(f"/ops/incidents/{world.incident}").text)
    assert 'data-notice="due"' in clock and "분</span>" not in clock
    assert 'id="notice-missing" data-languages="ko"' in clock and "한국어 공지가 아직 없습니다" in clock
    row = _row(client, world.incident)
    assert 'data-notice="due"' in row and 'data-notice-missing="ko"' in row
    assert "(한국어 공지 없음)" in row
    english = _clock(client.get(f"/ops/incidents/{world.incident}?lang=en").text)
    assert "no notice in Korean yet" in english
    assert "(none in Korean)" in _row(client, world.incident)
    _publish(client, world.incident, "ko")
    clock = _clock(client.get(f"/ops/incidents/{world.incident}").text)
    assert 'data-notice="done"' in clock and "notice-missing" not in clock
    row = _row(client, world.incident)
    assert 'data-notice="published"' in row and "data-notice-missing" not in row


def test_each_notice_on_the_board_says_its_date_line_in_its_own_language(
        client: TestClient, world: World) -> None:
    """A customer walk: the English notice on the Korean board (``<article lang="en">``) had
    "2026-12-07 20:23(한국 시간) · 제1판", read by a screen reader in the wrong voice."""
    _publish(client, world.incident, "ko")
    _publish(client, world.incident, "en")
    for page_lang in ("ko", "en"):
        board = client.get(f"/notices?lang={page_lang}").text
        english = board.split(f'id="notice-{world.incident}-en"')[1].split("</article>")[0]
        korean = board.split(f'id="notice-{world.incident}-ko"')[1].split("</article>")[0]
        en_line = re.search(r'<p class="small muted">(.*?)</p>', english, re.DOTALL)
        ko_line = re.search(r'<p class="small muted">(.*?)</p>', korean, re.DOTALL)
        assert en_line and ko_line
        assert re.search(r"\d{2}:\d{2} KST · <span data-version=\"1\">version 1</span>",
                         en_line.group(1)), en_line.group(1)
        assert re.search(r"\d{2}:\d{2}\(한국 시간\) · <span data-version=\"1\">제1판</span>",
                         ko_line.group(1)), ko_line.group(1)
