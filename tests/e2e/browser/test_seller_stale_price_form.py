"""A seller's price form opened before the price changed elsewhere (another window, the API, an
approved change, a promotion's end) does not overwrite that price unseen: nothing is saved, the
page says why and shows the price now, and the form drawn again saves. A seller walk's stale
form replaced a running 50% promotion's price with "가격이 바로 반영되었습니다" and no word.
The API takes the same ``seen_price``."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _form_fields(page: str) -> dict[str, str]:
    return {"csrf_token": csrf_of(page),
            "form_key": re.search(r'name="form_key" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
            "seen_price": re.search(r'name="seen_price" value="(\d+)"', page).group(1)}  # type: ignore[union-attr]


def _live_price(factory: sessionmaker[Session], listing_id: int) -> Money:
    with SqlAlchemyUnitOfWork(factory) as uow:
        listing = uow.market.listing(listing_id)
        assert listing is not None
        return listing.price


def test_a_stale_form_saves_nothing_and_says_the_price_changed(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_a")
    url = f"/seller/listings/{world.ipod_a}"
    stale = client.get(url).text
    fields = _form_fields(stale)
    assert fields["seen_price"] == "199000"
    # meanwhile, from another window: a small rise the guard lets through
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=world.ipod_a, new_price=Money(205_000, "KRW"),
                                  proposed_by="seller:seller_a")
    refused = client.post(f"{url}/price", data={**fields, "new_price": "210000"})
    assert refused.status_code == 409
    page = html.unescape(refused.text)
    assert "이 화면을 여신 뒤 가격이 바뀌어" in page and "저장하지 않았습니다" in page
    assert _live_price(session_factory, world.ipod_a) == Money(205_000, "KRW")
    assert 'value="210000"' in refused.text  # what was typed stays in the form
    again = _form_fields(refused.text)
    assert again["seen_price"] == "205000"  # drawn at the price now: saving it goes through
    saved = client.post(f"{url}/price", data={**again, "new_price": "210000"})
    assert saved.status_code == 303
    assert _live_price(session_factory, world.ipod_a) == Money(210_000, "KRW")


def test_the_api_refuses_a_price_moved_since_seen(
        client_for, world: World, session_factory: sessionmaker[Session]) -> None:
    seller = client_for("seller", seller_id=world.seller_a)
    url = f"/api/listings/{world.ipod_a}/price-changes"
    seen = {"amount_minor": 190_000, "currency": "KRW"}
    refused = seller.post(url, json={"new_price": {"amount_minor": 205_000, "currency": "KRW"},
                                     "seen_price": seen})
    assert refused.status_code == 409, refused.text
    assert refused.json()["details"]["reason"] == "price_moved_since_seen"
    assert refused.json()["details"]["price"] == {"amount_minor": 199_000, "currency": "KRW"}
    done = seller.post(url, json={"new_price": {"amount_minor": 205_000, "currency": "KRW"},
                                  "seen_price": {"amount_minor": 199_000, "currency": "KRW"}})
    assert done.status_code == 201, done.text


def test_a_stale_form_does_not_replace_a_change_waiting_for_review_unseen(
        client: TestClient, world: World, session_factory: sessionmaker[Session]) -> None:
    """A review: only the live price was compared, so a form opened before another window
    proposed a held change replaced that change without a word (saving supersedes it)."""
    from sagwa.priceguard import load_rules
    from sagwa.services.price_review import guard_gate

    log_in(client, "seller_a")
    url = f"/seller/listings/{world.ipod_a}"
    stale = client.get(url).text
    fields = {**_form_fields(stale),
              "pending_seen": re.search(r'name="pending_seen" value="([^"]+)"', stale).group(1)}  # type: ignore[union-attr]
    assert fields["pending_seen"] == "-"
    held = listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                         listing_id=world.ipod_a, new_price=Money(19_900, "KRW"),
                                         proposed_by="seller:seller_a",
                                         gate=guard_gate(load_rules()))
    refused = client.post(f"{url}/price", data={**fields, "new_price": "201000"})
    assert refused.status_code == 409
    assert "검토를 기다리는 가격 변경이 새로 제안되었거나 처리되어 저장하지 않았습니다" in html.unescape(
        refused.text)
    assert f'name="pending_seen" value="{held.id}"' in refused.text  # drawn as it stands now
    with SqlAlchemyUnitOfWork(session_factory) as u:
        still = u.market.price_change(held.id)
        assert still is not None and still.status.value == "held"
