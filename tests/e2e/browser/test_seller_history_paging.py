"""A listing's price history on the seller's page lists the latest 50 changes and says when
there are more, and where to read them (a seller walk's 56 changes were cut at 50 without a
word); the API pages the whole history with ``limit`` and ``offset``."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.seller import HISTORY_SHOWN

pytestmark = pytest.mark.e2e


def _changes(factory: sessionmaker[Session], listing_id: int, count: int) -> None:
    for i in range(count):  # small moves up and down, each let through
        listings.propose_price_change(SqlAlchemyUnitOfWork(factory), listing_id=listing_id,
                                      new_price=Money(199_000 + 100 * (i % 2 + 1), "KRW"),
                                      proposed_by="seller:seller_a")


def test_the_page_says_there_are_older_changes_and_the_api_pages_them(
        client: TestClient, client_for, world: World,  # type: ignore[no-untyped-def]
        session_factory: sessionmaker[Session]) -> None:
    _changes(session_factory, world.ipod_a, HISTORY_SHOWN + 2)
    log_in(client, "seller_a")
    page = client.get(f"/seller/listings/{world.ipod_a}").text
    rows = re.findall(r'<td data-label="제안 시각" id="change-\d+">', page)
    assert len(rows) == HISTORY_SHOWN
    more = page.split('id="changes-more"')[1].split("</p>")[0]
    assert f"최근 {HISTORY_SHOWN}건만 보여 드립니다" in more
    assert f"/api/listings/{world.ipod_a}/price-changes?offset={HISTORY_SHOWN}" in more
    seller = client_for("seller", seller_id=world.seller_a, username="seller_a_api")
    url = f"/api/listings/{world.ipod_a}/price-changes"
    first = seller.get(url, params={"limit": HISTORY_SHOWN}).json()
    rest = seller.get(url, params={"limit": HISTORY_SHOWN, "offset": HISTORY_SHOWN}).json()
    everything = seller.get(url).json()
    assert len(first) == HISTORY_SHOWN and len(rest) >= 2
    assert [c["id"] for c in first + rest] == [c["id"] for c in everything]
    assert seller.get(url, params={"limit": 0}).status_code == 422


def test_a_short_history_says_nothing_of_more(client: TestClient, world: World,
                                              session_factory: sessionmaker[Session]) -> None:
    _changes(session_factory, world.ipod_a, 3)
    log_in(client, "seller_a")
    assert 'id="changes-more"' not in client.get(f"/seller/listings/{world.ipod_a}").text
