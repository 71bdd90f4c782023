"""``POST /api/listings/{id}/release`` overrules the price guard: a first price half or less, or
twice or more, of its reference (the list price, else the other sellers' median) is released
only with the reviewer's reason — the same rule as approving a held price change."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _held_at(client: TestClient, price: int) -> int:
    """An iPod (list price 199,000 KRW) published by a new seller at ``price``: held."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-new", "name": "새판매자"}).json()["id"]
    created = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                  "price": krw(price), "publish": True})
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "held"
    return int(created.json()["id"])


def test_releasing_a_tenth_of_the_list_price_without_a_reason_is_a_422(
        client: TestClient, client_for, session_factory: sessionmaker[Session]) -> None:
    listing_id = _held_at(client, 19_900)
    reviewer = client_for("reviewer")
    for body in (None, {}, {"reason": "   ", "expected_price": krw(19_900)}):
        r = reviewer.post(f"/api/listings/{listing_id}/release", json=body)
        assert r.status_code == 422, r.text
        answer = r.json()
        assert answer["code"] == "invalid_input" and "needs a reason" in answer["message"]
        assert answer["details"] == {"field": "reason", "reason": "release_needs_reason",
                                     "reference": {"amount_minor": 199_000, "currency": "KRW",
                                                   "kind": "list_price"}}
        assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"
    released = reviewer.post(f"/api/listings/{listing_id}/release",
                             json={"reason": "seller confirmed a clearance of display units",
                                   "expected_price": krw(19_900)})
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "live"
    with SqlAlchemyUnitOfWork(session_factory) as u:
        last = u.audit.for_entity("listing", str(listing_id))[-1].event
    assert last.action == "listing.release"
    assert last.after["reason"] == "seller confirmed a clearance of display units"
