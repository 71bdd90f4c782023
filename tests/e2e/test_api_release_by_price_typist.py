"""The second person a publication hold needs is a second person to whoever typed the held
price, not only to whoever clicked publish: an admin who created a seller's draft at 19,900
(a tenth of the list price), or proposed 19,900 on it, may not release it once the seller
published it (a review's finding), nor send it back; another reviewer may."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.review_cards import review_context

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)
REASON = {"reason": "판매자와 통화: 출시 기념가 맞음"}


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _draft_by(admin: TestClient, client: TestClient, price: int) -> tuple[int, int]:
    """A seller's iPod (list price 199,000) draft at ``price``, created by ``admin``."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "kim", "name": "김판매"}).json()["id"]
    made = admin.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                             "price": krw(price), "publish": False})
    assert made.status_code == 201, made.text
    return int(made.json()["id"]), int(seller)


def _own_card(session_factory: sessionmaker[Session], listing_id: int, viewer: str) -> bool:
    context = review_context(SqlAlchemyUnitOfWork(session_factory), viewer=viewer)
    [card] = [c for c in context["held_cards"] if c.held.listing.id == listing_id]
    return card.own


def test_the_admin_who_typed_the_first_price_cannot_release_it(
        client: TestClient, client_for: ApiClientFor,
        session_factory: sessionmaker[Session]) -> None:
    ops_kim = client_for("admin", username="ops-kim")
    listing_id, seller_id = _draft_by(ops_kim, client, 19_900)
    seller = client_for("seller", seller_id=seller_id)
    assert seller.post(f"/api/listings/{listing_id}/publish").json()["status"] == "held"
    assert _own_card(session_factory, listing_id, "admin:ops-kim")  # no button for him
    assert not _own_card(session_factory, listing_id, "reviewer:lee")
    for step in ("release", "send-back"):
        refused = ops_kim.post(f"/api/listings/{listing_id}/{step}", json=REASON)
        assert refused.status_code == 403, refused.text
        assert refused.json()["details"]["reason"] == "own_held_listing"
        assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"
    released = client_for("reviewer").post(f"/api/listings/{listing_id}/release", json=REASON)
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "live"


def test_the_admin_who_proposed_the_held_price_on_the_draft_cannot_release_it(
        client: TestClient, client_for: ApiClientFor) -> None:
    """A product with nothing to compare a price with yet: ops-kim's 19,900 on the seller's
    draft goes through; other sellers then list it near 199,000, and publishing holds it."""
    ops_kim = client_for("admin", username="ops-kim")
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대",
                                                  "category": "mp3"}).json()["id"]
    seller_id = client.post("/api/sellers", json={"code": "kim", "name": "김판매"}).json()["id"]
    listing_id = client.post("/api/listings", json={
        "seller_id": seller_id, "product_id": product, "price": krw(25_000),
        "publish": False}).json()["id"]
    proposed = ops_kim.post(f"/api/listings/{listing_id}/price-changes",
                            json={"new_price": krw(19_900)}).json()
    assert proposed["status"] == "applied", proposed
    for n, price in enumerate((199_000, 189_000, 195_000)):
        other = client.post("/api/sellers", json={"code": f"o-{n}", "name": f"o{n}"}).json()
        client.post("/api/listings", json={"seller_id": other["id"], "product_id": product,
                                           "price": krw(price), "publish": True})
    seller = client_for("seller", seller_id=seller_id)
    assert seller.post(f"/api/listings/{listing_id}/publish").json()["status"] == "held"
    refused = ops_kim.post(f"/api/listings/{listing_id}/release", json=REASON)
    assert refused.status_code == 403, refused.text
    assert refused.json()["details"]["reason"] == "own_held_listing"
    released = client_for("reviewer").post(f"/api/listings/{listing_id}/release", json=REASON)
    assert released.status_code == 200, released.text
