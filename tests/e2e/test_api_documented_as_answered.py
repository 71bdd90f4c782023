"""The OpenAPI document and the README say what the API really answers. An integrator found:
no operation listed the 405 every route answers; the 401 said tokens could be "expired" (API
tokens never expire); the error example showed reason ``listing_status`` where the real one is
``listing_not_live``; a 20-digit id was refused ``number_too_large`` without the
``details.field`` the 422's description promised; "Money is always {amount_minor, currency}"
beside the guard's bare ``*_minor`` facts and a points balance of plain points; and "every
command that creates something requires an idempotency key" where a case's choice takes none."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sagwa.web.app import DESCRIPTION

pytestmark = pytest.mark.e2e
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def test_every_operation_lists_the_405_it_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            said = op["responses"]["405"]
            assert said["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorPublic"}, (path, method)
            assert "method_not_allowed" in said["description"]
    real = client.delete("/api/listings").json()
    assert real["code"] == real["details"]["reason"] == "method_not_allowed"


def test_the_401_does_not_say_tokens_expire(client: TestClient) -> None:
    said = client.get("/openapi.json").json()["paths"]["/api/audit/verify"]["get"][
        "responses"]["401"]["description"]
    assert "expired" not in said and "revoked" in said


def test_the_error_example_is_a_refusal_the_api_really_makes(client: TestClient) -> None:
    example = client.get("/openapi.json").json()["components"]["schemas"]["ErrorPublic"][
        "properties"]
    assert example["details"]["examples"] == [{"reason": "listing_not_live"}]
    product = client.post("/api/products", json={"title": "아이팟", "category": "mp3",
                                                 "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-ex", "name": "판매자"}).json()["id"]
    listing = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                 "price": krw(199_000), "publish": True}).json()
    client.post(f"/api/listings/{listing['id']}/pause", json={})
    customer = client.post("/api/customers", json={"name": "김민준",
                                                   "email": "mj@example.com"}).json()["id"]
    refused = client.post("/api/orders", json={"customer_id": customer,
                                               "listing_id": listing["id"]}).json()
    assert refused["code"] == example["code"]["examples"][0]
    assert refused["details"]["reason"] == "listing_not_live"


@pytest.mark.parametrize(("path", "field", "request_field"), [
    ("/api/listings/99999999999999999999", "listing_id", "path.listing_id"),
    ("/api/listings?seller_id=99999999999999999999", "seller_id", "query.seller_id"),
])
def test_a_number_too_large_to_store_names_its_parameter(
        client: TestClient, path: str, field: str, request_field: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 422, answer.text
    details = answer.json()["details"]
    assert details["reason"] == "number_too_large"
    assert (details["field"], details["request_field"]) == (field, request_field)


def test_the_guards_amounts_say_their_currency(client: TestClient) -> None:
    product = client.post("/api/products", json={"title": "아이팟", "category": "mp3",
                                                 "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "s-cur", "name": "판매자"}).json()["id"]
    listing = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                 "price": krw(199_000), "publish": True}).json()
    checked = client.post("/api/price-changes/check", json={
        "listing_id": listing["id"], "new_price": krw(19_900)}).json()
    facts = checked["facts"]
    assert facts["currency"] == "KRW" and list(facts)[-1] == "currency"  # appended
    proposed = client.post(f"/api/listings/{listing['id']}/price-changes",
                           json={"new_price": krw(19_900)}).json()
    assert proposed["guard"]["facts"]["currency"] == "KRW"


def test_the_docs_say_what_is_money_and_what_is_points() -> None:
    for text in (DESCRIPTION, README):
        flat = " ".join(text.split())
        assert "Money is always" not in flat
        assert "1 point = 1 won" in flat
        assert "_minor" in flat


def test_the_readme_names_the_create_that_takes_no_idempotency_key() -> None:
    flat = " ".join(README.split())
    assert "Every command that creates something requires" not in flat
    assert "/api/cases/{id}/choice" in flat and "same choice again" in flat


def test_the_metrics_say_their_body_is_prometheus_text_only(client: TestClient) -> None:
    ok = client.get("/openapi.json").json()["paths"]["/api/metrics"]["get"]["responses"]["200"]
    assert list(ok["content"]) == ["text/plain; version=0.0.4; charset=utf-8"]
