"""What the API says of a price change the guard allows: the dry run
(``POST /api/price-changes/check``) and the proposal it stores say the same sentence, which
names a matching declared promotion and states a big move, in English and in Korean."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _live_listing(client: TestClient) -> int:
    def made(path: str, body: dict[str, Any]) -> int:
        answer = client.post(path, json=body)
        assert answer.status_code == 201, answer.text
        return int(answer.json()["id"])

    seller = made("/api/sellers", {"code": "haneul", "name": "하늘전자"})
    product = made("/api/products", {"title": "아이팟 나노 3세대 4GB 실버",
                                     "category": "electronics/mp3", "list_price": krw(199000)})
    return made("/api/listings", {"seller_id": seller, "product_id": product,
                                  "price": krw(199000), "publish": True})


def test_a_cut_its_promotion_gives_is_said_as_the_promotion_in_the_check_and_the_change(
        client: TestClient) -> None:
    listing = _live_listing(client)
    body = {"new_price": krw(139300), "promotion": {"percent": 30}}
    dry = client.post("/api/price-changes/check", json={"listing_id": listing, **body})
    assert dry.status_code == 200, dry.text
    guard = dry.json()
    assert (guard["verdict"], guard["reason_code"]) == ("allow", "within_range")
    assert guard["reason_en"] == ("new price 139,300 KRW matches the declared promotion of 30% "
                                  "(the current price less 30%: 139,300 KRW)")
    assert guard["reason_ko"] == ("새 가격 139,300원은 선언된 30% 할인과 맞습니다"
                                  "(현재 가격에서 30% 할인한 가격 139,300원).")
    change = client.post(f"/api/listings/{listing}/price-changes", json=body)
    assert change.status_code == 201, change.text
    assert change.json()["status"] == "applied"
    stored = change.json()["guard"]
    assert (stored["reason_en"], stored["reason_ko"]) == (guard["reason_en"], guard["reason_ko"])


def test_a_big_undeclared_cut_is_said_as_a_cut_within_the_categorys_limits(
        client: TestClient) -> None:
    listing = _live_listing(client)
    dry = client.post("/api/price-changes/check",
                      json={"listing_id": listing, "new_price": krw(119400)})
    guard = dry.json()
    assert guard["verdict"] == "allow", guard
    assert guard["reason_en"] == (
        "new price 119,400 KRW is 40% below the current price (199,000 KRW); allowed: it "
        "matches no known error shape and is within this category's limits")
    assert guard["reason_ko"].startswith("새 가격 119,400원은 현재 가격(199,000원)보다 40% 낮습니다. ")
