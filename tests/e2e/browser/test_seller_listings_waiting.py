"""The seller's list says how long a held price change has waited for review (TestClient), in
Korea-time days from its proposal. Before: a held change showed only "가격 변경 검토 대기", the
same on its first day and its tenth."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker
from test_seller_listings_attention import _held_change, _row
from world import World

from sagwa.adapters.db.tables import price_changes
from sagwa.web.pages.seller_listings import waited_days

pytestmark = pytest.mark.e2e
KST = timedelta(hours=9)


def _proposed_at(session_factory: sessionmaker[Session], change_id: int, at: datetime) -> None:
    with session_factory() as session:
        session.execute(update(price_changes).where(price_changes.c.id == change_id).values(
            proposed_at=at))
        session.commit()


def _seller_at(client_at: Callable[[datetime], TestClient], now: datetime) -> TestClient:
    """Seller A's client of an app whose clock says ``now``: the days are counted to the moment
    the test chose, not to whenever the page is read (a run across 0시 KST counts one more)."""
    client = client_at(now)
    log_in(client, "seller_a")
    return client


def test_a_held_change_says_how_many_days_it_has_waited(
        client_at: Callable[[datetime], TestClient], world: World,
        session_factory: sessionmaker[Session]) -> None:
    change = _held_change(session_factory, world.ipod_a, 19_900)
    now = datetime.now(UTC)
    _proposed_at(session_factory, change, now - timedelta(days=3))
    client = _seller_at(client_at, now)
    korean = _row(html.unescape(client.get("/seller?lang=ko").text), world.ipod_a)
    assert ">가격 변경 검토 대기</span>" in korean
    assert re.search(r'data-waiting-days="3"[^>]*>\(3일째\)<', korean), korean
    english = _row(html.unescape(client.get("/seller?lang=en").text), world.ipod_a)
    assert re.search(r'data-waiting-days="3"[^>]*>\(3 days\)<', english), english


def test_a_change_held_today_says_so(client_at: Callable[[datetime], TestClient], world: World,
                                     session_factory: sessionmaker[Session]) -> None:
    change = _held_change(session_factory, world.ipod_a, 19_900)
    now = datetime.now(UTC)
    _proposed_at(session_factory, change, now)
    client = _seller_at(client_at, now)
    korean = _row(html.unescape(client.get("/seller?lang=ko").text), world.ipod_a)
    assert re.search(r'data-waiting-days="0"[^>]*>\(오늘 요청\)<', korean), korean
    english = _row(html.unescape(client.get("/seller?lang=en").text), world.ipod_a)
    assert re.search(r'data-waiting-days="0"[^>]*>\(asked today\)<', english), english


@pytest.mark.parametrize(("proposed", "now", "days"), [
    # 23:50 KST on the 1st, 00:10 KST on the 2nd: a day in Korea, the same day in UTC
    (datetime(2026, 12, 1, 14, 50, tzinfo=UTC), datetime(2026, 12, 1, 15, 10, tzinfo=UTC), 1),
    # 09:10 KST and 23:50 KST the same day: none, though 14 hours in
    (datetime(2026, 12, 1, 0, 10, tzinfo=UTC), datetime(2026, 12, 1, 14, 50, tzinfo=UTC), 0),
    (datetime(2026, 12, 1, 0, 10, tzinfo=UTC), datetime(2026, 12, 4, 0, 5, tzinfo=UTC), 3),
])
def test_days_waited_are_counted_in_korea_time(proposed: datetime, now: datetime,
                                               days: int) -> None:
    assert waited_days(proposed, now) == days
