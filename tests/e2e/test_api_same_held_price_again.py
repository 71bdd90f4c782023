"""The seller's API: proposing again exactly the price (and promotion) that already waits for
review answers that held change as it is — its id, its proposed_at, still ``held`` — rather
than a new change at the back of the review queue; another price still replaces it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def test_the_same_held_price_again_answers_the_held_change(
        client: TestClient, client_for: ApiClientFor) -> None:
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                 "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-again", "name": "판매자"}).json()["id"]
    listing = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                 "price": krw(199_000), "publish": True}).json()
    api = client_for("seller", seller_id=seller)
    address = f"/api/listings/{listing['id']}/price-changes"
    first = api.post(address, json={"new_price": krw(19_900)}).json()
    assert first["status"] == "held"
    again = api.post(address, json={"new_price": krw(19_900)})
    assert again.status_code == 201, again.text
    assert {k: again.json()[k] for k in ("id", "proposed_at", "status")} == {
        k: first[k] for k in ("id", "proposed_at", "status")}
    assert [c["id"] for c in api.get(address).json()] == [first["id"]]
    other = api.post(address, json={"new_price": krw(18_900)}).json()
    assert other["id"] != first["id"] and other["status"] == "held"
    statuses = {c["id"]: c["status"] for c in api.get(address).json()}
    assert statuses == {first["id"]: "superseded", other["id"]: "held"}
