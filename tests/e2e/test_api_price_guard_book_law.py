"""The fixed book price law over HTTP: a seller tester checked a book (1Q84 1, list price
16,800 KRW) at 20,000 and 25,000 KRW and the guard allowed both ("…인상 한도 안이므로
허용됩니다"), though a new book may not be sold above its list price (도서정가제)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e


def money(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _book_listing(client: TestClient) -> int:
    product = client.post("/api/products", json={
        "title": "1Q84 1", "category": "books/novel", "list_price": money(16_800)}).json()
    seller = client.post("/api/sellers", json={"code": "s-book", "name": "책방"}).json()
    made = client.post("/api/listings", json={
        "seller_id": seller["id"], "product_id": product["id"], "publish": True,
        "price": money(16_800)})
    assert made.json()["status"] == "live", made.text
    return int(made.json()["id"])


@pytest.mark.parametrize("new", [20_000, 25_000])
def test_a_book_above_its_list_price_is_held_naming_the_law(client: TestClient,
                                                             new: int) -> None:
    listing_id = _book_listing(client)
    r = client.post("/api/price-changes/check",
                    json={"listing_id": listing_id, "new_price": money(new)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "hold", body
    assert body["reason_code"] == "above_list_price_ceiling"
    assert body["reason_ko"].startswith(
        f"새 가격 {new:,}원은 도서정가제 최고가 16,800원(정가 16,800원의 100%)보다 높습니다")
    assert "fixed book price law" in body["reason_en"] and "12 months" in body["reason_en"]
    assert body["facts"]["reference_kind"] == "list_price"
    lawful = client.post("/api/price-changes/check",  # 9.5% off: within the law
                         json={"listing_id": listing_id, "new_price": money(15_200)}).json()
    assert lawful["verdict"] == "allow", lawful
