"""A refused price names the request's own field: ``details.request_field`` in the notation of
the schema's refusals (``body.new_price.amount_minor``) beside the services' ``details.field``
(``price``), which clients already match on and which stays (a tester's negative
``new_price.amount_minor`` was answered ``details.field: "price"`` alone)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e


def _krw(amount: Any, currency: str = "KRW") -> dict[str, Any]:
    return {"amount_minor": amount, "currency": currency}


@pytest.fixture
def listing_id(client: TestClient) -> int:
    product = client.post("/api/products", json={
        "title": "애플 아이팟 나노 3세대 4GB", "category": "electronics/mp3",
        "list_price": _krw(199000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-1", "name": "판매자1"}).json()["id"]
    return int(client.post("/api/listings", json={
        "seller_id": seller, "product_id": product, "publish": True,
        "price": _krw(199000)}).json()["id"])


def _refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    return dict(response.json()["details"])


@pytest.mark.parametrize(("body", "field", "reason", "request_field"), [
    ({"new_price": _krw(-5)}, "price", "price_not_positive", "body.new_price.amount_minor"),
    ({"new_price": _krw(5, "XYZ")}, "currency", "unknown_currency", "body.new_price.currency"),
    ({"new_price": _krw(189000), "promotion": {"percent": 150}}, "promotion.percent", None,
     "body.promotion.percent"),
])
def test_a_refused_proposal_names_the_field_as_the_request_sent_it(
        client: TestClient, listing_id: int, body: dict[str, Any], field: str,
        reason: str | None, request_field: str) -> None:
    for path, sent in ((f"/api/listings/{listing_id}/price-changes", body),
                       ("/api/price-changes/check", {**body, "listing_id": listing_id})):
        details = _refused(client.post(path, json=sent))
        assert details["field"] == field  # the services' name, as before
        assert details["request_field"] == request_field, path
        if reason:
            assert details["reason"] == reason


def test_the_request_field_is_written_as_the_schemas_own_refusals_write_it(
        client: TestClient, listing_id: int) -> None:
    path = f"/api/listings/{listing_id}/price-changes"
    schema = _refused(client.post(path, json={"new_price": _krw("a lot")}))
    rule = _refused(client.post(path, json={"new_price": _krw(-5)}))
    assert schema["errors"][0]["field"] == rule["request_field"] == "body.new_price.amount_minor"


def test_a_new_listings_refused_price_names_its_amount(client: TestClient,
                                                       listing_id: int) -> None:
    with_listing = client.get(f"/api/listings/{listing_id}").json()
    details = _refused(client.post("/api/listings", json={
        "seller_id": with_listing["seller_id"], "product_id": with_listing["product_id"],
        "price": _krw(0)}))
    assert (details["field"], details["request_field"]) == ("price", "body.price.amount_minor")
