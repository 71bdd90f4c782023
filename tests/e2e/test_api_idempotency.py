"""Idempotency keys through the API: per account, the whole request compared, reasons given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def refused(response: Any, status: int, code: str, reason: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert (body["code"], body["details"]["reason"]) == (code, reason)
    return str(body["message"])


@pytest.fixture
def shop(client: TestClient) -> dict[str, int]:
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s1", "name": "판매자1"}).json()["id"]
    listing = client.post("/api/listings", json={
        "seller_id": seller, "product_id": product, "price": krw(199000),
        "publish": True}).json()["id"]
    customer = client.post("/api/customers", json={"name": "김민준", "email": "mj@example.com"}).json()["id"]
    return {"product": product, "seller": seller, "listing": listing, "customer": customer}


def test_a_listing_retried_with_another_publish_flag_is_refused(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    seller = client_for("seller", seller_id=shop["seller"])
    other = client.post("/api/products", json={"title": "아이팟 셔플", "category": "mp3",
                                                "list_price": krw(99000)}).json()["id"]
    body = {"seller_id": shop["seller"], "product_id": other, "price": krw(99000),
            "publish": True}
    headers = {"Idempotency-Key": "lst-1"}
    first = seller.post("/api/listings", json=body, headers=headers)
    assert first.status_code == 201, first.text
    again = seller.post("/api/listings", json=body, headers=headers)
    assert again.status_code == 201 and again.json() == first.json()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    message = refused(seller.post("/api/listings", json=body | {"publish": False},
                                  headers=headers), 409, "idempotency_key_reused",
                      "idempotency_request_differs")
    assert "lst-1" in message
    listed = client.get("/api/listings", params={"product_id": other}).json()
    assert [item["id"] for item in listed] == [first.json()["id"]]


def test_another_account_may_use_the_same_key_and_learns_nothing(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    seller = client_for("seller", seller_id=shop["seller"])
    path = f"/api/listings/{shop['listing']}/price-changes"
    headers = {"Idempotency-Key": "rv-x-9"}
    mine = seller.post(path, json={"new_price": krw(189000)}, headers=headers)
    assert mine.status_code == 201, mine.text
    admins = client.post(path, json={"new_price": krw(179000)}, headers=headers)
    assert admins.status_code == 201, admins.text  # its own key: a change of its own
    assert admins.json()["id"] != mine.json()["id"]
    assert "Idempotent-Replayed" not in admins.headers  # another account's key: its own run
    retried = seller.post(path, json={"new_price": krw(189000)}, headers=headers)
    assert retried.status_code == 201 and retried.json()["id"] == mine.json()["id"]
    assert retried.headers["Idempotent-Replayed"] == "true"
    refused(seller.post(path, json={"new_price": krw(169000)}, headers=headers), 409,
            "idempotency_key_reused", "idempotency_request_differs")


@pytest.mark.parametrize(("key", "reason"), [(None, "idempotency_key_missing"),
                                             ("   ", "idempotency_key_missing"),
                                             ("k" * 201, "idempotency_key_too_long")])
def test_a_missing_or_overlong_key_is_refused_with_its_reason(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int],
        key: str | None, reason: str) -> None:
    bare = client_for("admin", username="admin-no-keys", auto_keys=False)
    body = {"customer_id": shop["customer"], "listing_id": shop["listing"], "quantity": 1}
    headers = {} if key is None else {"Idempotency-Key": key}
    message = refused(bare.post("/api/orders", json=body, headers=headers), 422,
                      "invalid_input", reason)
    assert "Idempotency-Key" in message or "idempotency key" in message
    assert client.get(f"/api/customers/{shop['customer']}/orders").json() == []


@pytest.mark.parametrize("quantity", [0, -1, 101])
def test_an_order_quantity_out_of_range_says_so(
        client: TestClient, shop: dict[str, int], quantity: int) -> None:
    body = {"customer_id": shop["customer"], "listing_id": shop["listing"], "quantity": quantity}
    response = client.post("/api/orders", json=body)
    message = refused(response, 422, "invalid_input", "quantity_out_of_range")
    assert response.json()["details"]["field"] == "quantity" and "1 to 100" in message


def test_a_reversal_needs_a_key_and_a_retry_answers_the_same_reversal(
        client: TestClient, client_for: ApiClientFor, shop: dict[str, int]) -> None:
    """A review's finding: a reversal was booked without an Idempotency-Key, and a retried
    request was refused as already reversed instead of answering the reversal it booked."""
    credit = client.post(f"/api/customers/{shop['customer']}/points/credit",
                         json={"points": 1000, "memo": "goodwill"})
    assert credit.status_code == 201, credit.text
    entry = credit.json()["entry_id"]
    bare = client_for("admin", username="admin-no-keys", auto_keys=False)
    refused(bare.post(f"/api/ledger/entries/{entry}/reverse", json={"memo": "undo"}), 422,
            "invalid_input", "idempotency_key_missing")
    headers = {"Idempotency-Key": "reverse-1"}
    first = client.post(f"/api/ledger/entries/{entry}/reverse", json={"memo": "undo"},
                        headers=headers)
    again = client.post(f"/api/ledger/entries/{entry}/reverse", json={"memo": "undo"},
                        headers=headers)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert first.json() == again.json()
    assert ("Idempotent-Replayed" not in first.headers
            and again.headers["Idempotent-Replayed"] == "true")
    other = client.post(f"/api/ledger/entries/{entry}/reverse", json={"memo": "undo"})
    assert other.status_code == 409 and other.json()["code"] == "already_reversed", other.text
    reversal = first.json()["reversal_id"]
    undo = client.post(f"/api/ledger/entries/{reversal}/reverse", json={"memo": "undo the undo"})
    refused(undo, 422, "invalid_input", "entry_is_a_reversal")


@pytest.mark.parametrize("create", ["seller", "product", "customer", "order", "points"])
def test_a_retry_says_it_answered_the_first_calls_result(
        client: TestClient, shop: dict[str, int], create: str) -> None:
    """Every create with a key answers a retry with the first result and says so
    (``Idempotent-Replayed: true``, as Stripe's API does): a client can tell a replay from a
    second record without comparing bodies. A refused retry says nothing of the kind."""
    path, body = {
        "seller": ("/api/sellers", {"code": "s-replay", "name": "다시 보낸 판매자"}),
        "product": ("/api/products", {"title": "아이팟 클래식", "category": "mp3",
                                      "list_price": krw(299000)}),
        "customer": ("/api/customers", {"name": "이서연", "email": "sy@example.com"}),
        "order": ("/api/orders", {"customer_id": shop["customer"],
                                  "listing_id": shop["listing"], "quantity": 1}),
        "points": (f"/api/customers/{shop['customer']}/points/credit",
                   {"points": 500, "memo": "goodwill"}),
    }[create]
    headers = {"Idempotency-Key": f"replay-{create}"}
    first = client.post(path, json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = client.post(path, json=body, headers=headers)
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    changed = {**body, "memo": "other"} if create == "points" else {**body, "name": "다른 이름"}
    if create in ("product", "order"):
        changed = {**body, "category": "other"} if create == "product" else {**body, "quantity": 2}
    differs = client.post(path, json=changed, headers=headers)
    assert differs.status_code == 409 and "Idempotent-Replayed" not in differs.headers
