"""A JSON body with a field the call does not take is refused (422 ``invalid_request``,
``request_invalid``) with the fields it takes there — at the top, in a nested object, in an
item of a list — not only pydantic's "Extra inputs are not permitted", which left the caller to
look ``percent`` up in /docs after sending ``pct``. Nothing is stored."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e


def _problems(answer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "invalid_request" and body["details"]["reason"] == "request_invalid"
    return {e["field"]: e["problem"] for e in body["details"]["errors"]}


def test_a_field_not_taken_is_refused_with_the_fields_taken_there(client: TestClient) -> None:
    answer = client.post("/api/price-changes/check", json={
        "listing_id": 1, "new_price": {"amount_minor": 19_900, "currency": "KRW", "won": 1},
        "promotion": {"pct": 90}, "promo": "90% event"})
    problems = _problems(answer)
    assert problems == {
        "body.new_price.won": "unknown field (new_price takes amount_minor, currency)",
        "body.promotion.pct": "unknown field (promotion takes percent, starts_at, ends_at)",
        "body.promo": "unknown field (the body takes listing_id, new_price, promotion)"}
    message = answer.json()["message"]
    assert message.startswith("new_price.won: unknown field (new_price takes amount_minor, "
                              "currency); promotion.pct: unknown field")


def test_a_refused_order_stores_nothing(client: TestClient) -> None:
    customer = client.post("/api/customers", json={"name": "김민준", "email": "mj@example.com"},
                           headers={"Idempotency-Key": "mj"})
    assert customer.status_code == 201, customer.text
    orders = f"/api/customers/{customer.json()['id']}/orders"
    answer = client.post("/api/orders", headers={"Idempotency-Key": "qty-typo"},
                         json={"customer_id": customer.json()["id"], "listing_id": 1, "qty": 2})
    assert _problems(answer) == {
        "body.qty": "unknown field (the body takes customer_id, listing_id, quantity)"}
    assert client.get(orders).json() == []


def test_other_refusals_are_said_as_before(client: TestClient) -> None:
    answer = client.post("/api/price-changes/check", json={
        "listing_id": "one", "new_price": {"amount_minor": 19_900, "currency": "KRW"}})
    assert _problems(answer) == {
        "body.listing_id": "Input should be a valid integer"}
