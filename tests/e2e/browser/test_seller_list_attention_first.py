"""The seller's list puts the listings that need them first (TestClient), the rest in the order
of their titles, and says so in its count; a change waiting for review says so once, with how
long. Before: flagged rows sat at 26 and 32 of 47 under "(아래 표의 ‘확인할 일’)", and a mark read
"가격 변경 검토 대기 15일째 검토 대기" / "price change waiting for review waiting 15 days"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from test_seller_listings_attention import _held_change, _listing, _marks, _row
from test_seller_listings_waiting import _proposed_at, _seller_at
from world import World

pytestmark = pytest.mark.e2e


def _text(row: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row)).strip()


def test_the_listings_that_need_the_seller_come_first_the_rest_in_title_order(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    made = {title: _listing(session_factory, world, title, list_price=199_000, price=199_000)
            for title in ("가 카메라", "나 카메라", "다 카메라", "라 카메라")}
    _held_change(session_factory, made["라 카메라"], 19_900)
    _held_change(session_factory, made["다 카메라"], 19_900)
    log_in(client, "seller_a")
    page = html.unescape(client.get("/seller?lang=ko").text)
    order = list(_marks(page))
    flagged = [n for n, marks in _marks(page).items() if marks]
    assert order[:len(flagged)] == flagged, (order, flagged)
    assert {made["다 카메라"], made["라 카메라"]} <= set(flagged)
    rest = order[len(flagged):]
    assert [n for n in rest if n in made.values()] == [made["가 카메라"], made["나 카메라"]]
    count = re.search(r'id="attention-count"[^>]*>(.*?)</p>', page, re.DOTALL)
    assert count and "맨 위" in _text(count.group(1)), count
    english = html.unescape(client.get("/seller?lang=en").text)
    assert list(_marks(english))[:len(flagged)] == flagged
    said = re.search(r'id="attention-count"[^>]*>(.*?)</p>', english, re.DOTALL)
    assert said and "at the top" in _text(said.group(1)), said


def test_a_change_waiting_for_review_says_waiting_once_with_how_long(
        client_at: Callable[[datetime], TestClient], world: World,
        session_factory: sessionmaker[Session]) -> None:
    change = _held_change(session_factory, world.ipod_a, 19_900)
    now = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)  # 12:00 in Seoul: no day turns meanwhile
    _proposed_at(session_factory, change, now - timedelta(days=15))
    client = _seller_at(client_at, now)
    korean = _text(_row(html.unescape(client.get("/seller?lang=ko").text), world.ipod_a))
    assert "가격 변경 검토 대기 (15일째)" in korean, korean
    assert korean.count("대기") == 1, korean
    english = _text(_row(html.unescape(client.get("/seller?lang=en").text), world.ipod_a))
    assert "price change waiting for review (15 days)" in english, english
    assert english.count("waiting") == 1, english
