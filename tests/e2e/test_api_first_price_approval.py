"""Approving a held price change on a listing never on sale lets a first price through, as
releasing a hold at publication does: it needs the reviewer's reason by the same rule (the
first price half or less, or twice or more, of the list price or the other sellers' median),
not by how far it moves from the draft's own price — a draft at 19,000 proposed at 19,900
was approved without a word and then published unguarded (a review's finding)."""

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


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _ipod_draft(client: TestClient, price: int) -> tuple[int, int]:
    """An iPod (list price 199,000; three other sellers on sale near it) and a new seller's
    draft of it at ``price``: (listing id, seller id)."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199_000)}).json()["id"]
    for n, price_of_other in enumerate((199_000, 189_000, 195_000)):
        other = client.post("/api/sellers", json={"code": f"o-{n}", "name": f"o{n}"}).json()
        made = client.post("/api/listings", json={"seller_id": other["id"], "product_id": product,
                                                  "price": krw(price_of_other), "publish": True})
        assert made.json()["status"] == "live", made.text
    seller = client.post("/api/sellers", json={"code": "s-draft", "name": "초안"}).json()["id"]
    made = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                              "price": krw(price), "publish": False})
    assert made.status_code == 201, made.text
    return int(made.json()["id"]), int(seller)


def test_approving_a_first_price_a_tenth_of_the_list_price_needs_a_reason(
        client: TestClient, client_for: ApiClientFor,
        session_factory: sessionmaker[Session]) -> None:
    listing_id, seller_id = _ipod_draft(client, 19_000)
    seller = client_for("seller", seller_id=seller_id)
    held = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": krw(19_900)}).json()
    assert held["status"] == "held"
    context = review_context(SqlAlchemyUnitOfWork(session_factory), viewer="reviewer:lee")
    card = next(c for c in context["cards"] if c.item.change.id == held["id"])
    assert card.approval_rule == "first_price" and card.needs_reason  # the card says so first
    reviewer = client_for("reviewer")
    for body in ({}, {"reason": "  "}):
        refused = reviewer.post(f"/api/price-changes/{held['id']}/approve", json=body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["details"] == {
            "field": "reason", "reason": "first_price_approval_needs_reason",
            "reference": {"amount_minor": 199_000, "currency": "KRW", "kind": "list_price"}}
    published = seller.post(f"/api/listings/{listing_id}/publish").json()
    assert published["status"] == "held"  # nothing approved: publishing asks the guard
    assert published["price"] == krw(19_000)


def test_a_first_price_approved_with_a_reason_is_published_without_a_second_review(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, seller_id = _ipod_draft(client, 19_000)
    seller = client_for("seller", seller_id=seller_id)
    held = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": krw(19_900)}).json()
    approved = client_for("reviewer").post(
        f"/api/price-changes/{held['id']}/approve",
        json={"reason": "판매자와 통화: 전시품 정리, 19,900원 맞음"})
    assert approved.status_code == 200, approved.text
    published = seller.post(f"/api/listings/{listing_id}/publish").json()
    assert (published["status"], published["price"]) == ("live", krw(19_900))

