"""The JSON API over HTTP: the whole foundation flow, its documentation and its errors."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker
from test_api_healthz import register_a_worker

pytestmark = pytest.mark.e2e


def krw(amount: Any) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    """A JSON error with the expected status and stable code, and a message for people."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"].strip()
    assert set(body) <= {"code", "message", "details"}
    return body


class Market:
    """Ids made through the API for the tests that need a live listing."""

    def __init__(self, client: TestClient) -> None:
        self.seller = created(client.post("/api/sellers", json={"code": "haneul",
                                                                 "name": "하늘전자"}))["id"]
        self.product = created(client.post("/api/products", json={
            "title": "아이팟 나노 3세대 4GB 실버", "category": "electronics/mp3",
            "list_price": krw(199000)}))["id"]
        self.customer = created(client.post("/api/customers", json={
            "name": "김민준", "email": "mj@example.com"}))["id"]
        self.listing = created(client.post("/api/listings", json={
            "seller_id": self.seller, "product_id": self.product, "price": krw(199000),
            "publish": True}))["id"]


@pytest.fixture
def market(client: TestClient) -> Market:
    return Market(client)


def test_full_flow_over_http(client: TestClient) -> None:
    seller = created(client.post("/api/sellers", json={"code": "haneul", "name": "하늘전자"}))
    product = created(client.post("/api/products", json={
        "title": "아이팟 나노 3세대 4GB 실버", "category": "electronics/mp3",
        "list_price": krw(199000), "gtin": "4006381333931"}))
    customer = created(client.post("/api/customers", json={"name": "김민준",
                                                            "email": "MJ@example.com"}))
    assert customer["email"] == "mj@example.com"
    listing = created(client.post("/api/listings", json={
        "seller_id": seller["id"], "product_id": product["id"], "price": krw(199000)}))
    assert listing["status"] == "draft"
    published = client.post(f"/api/listings/{listing['id']}/publish")
    assert published.status_code == 200 and published.json()["status"] == "live"

    change = created(client.post(f"/api/listings/{listing['id']}/price-changes", json={
        "new_price": krw(179000)}))
    assert (change["status"], change["old_price"], change["new_price"]) == \
        ("applied", krw(199000), krw(179000))
    assert client.get(f"/api/listings/{listing['id']}").json()["price"] == krw(179000)

    order = created(client.post("/api/orders", json={
        "customer_id": customer["id"], "listing_id": listing["id"], "quantity": 2}))
    assert (order["unit_price"], order["total"], order["status"]) == \
        (krw(179000), krw(358000), "placed")
    assert client.get(f"/api/orders/{order['id']}").json() == order
    assert [o["id"] for o in client.get(f"/api/customers/{customer['id']}/orders").json()] == \
        [order["id"]]

    points_url = f"/api/customers/{customer['id']}/points"
    credit = created(client.post(f"{points_url}/credit", json={
        "points": 3000, "memo": "가격 오류 사과", "seller_id": seller["id"],
        "seller_share_pct": 50}))
    assert credit["balance"] == 3000
    debit = created(client.post(f"{points_url}/debit", json={"points": 1200, "memo": "사용"}))
    assert debit["balance"] == 1800
    assert client.get(points_url).json() == {"customer_id": customer["id"], "balance": 1800}

    trail = client.get("/api/audit", params={"entity_type": "listing",
                                             "entity_id": str(listing["id"])}).json()
    assert [r["action"] for r in trail] == ["listing.created", "listing.publish",
                                            "price_change.applied"]
    assert trail[-1]["before"] == {"price": krw(199000)}
    assert trail[-1]["after"]["live"] == krw(179000)
    sellers_trail = client.get("/api/audit", params={"entity_type": "seller",
                                                     "entity_id": str(seller["id"])}).json()
    assert sellers_trail[0]["actor"] == "api:admin"  # the token's account
    verdict = client.get("/api/audit/verify").json()
    assert verdict["ok"] is True and verdict["checked"] == 10  # 9 + the token issued


def test_openapi_lists_the_paths(client: TestClient) -> None:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/sellers", "/api/products", "/api/customers", "/api/listings",
                 "/api/listings/{listing_id}/price-changes", "/api/orders",
                 "/api/customers/{customer_id}/points/credit", "/api/audit/verify",
                 "/healthz"):
        assert path in paths, path
    assert "post" in paths["/api/orders"]
    assert client.get("/docs").status_code == 200


def test_openapi_describes_the_errors_the_api_really_answers(client: TestClient) -> None:
    """A review's finding: every operation declared 422 as FastAPI's {"detail": [...]}, while the
    API answers {"code", "message", "details"}, and 401/403/404/409 were not listed at all."""
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in str(spec)
    error = spec["components"]["schemas"]["ErrorPublic"]
    assert set(error["properties"]) == {"code", "message", "details"}
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in operations.items():
            for status in ("401", "403", "404", "409", "422"):
                schema = op["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorPublic"}, (path, method)
    real = client.post("/api/orders", json={"customer_id": "x"})
    assert real.status_code == 422
    assert set(real.json()) <= set(error["properties"]) and {"code", "message"} <= set(real.json())


def test_healthz_names_the_database(client: TestClient,
                                    session_factory: sessionmaker[Session]) -> None:
    register_a_worker(session_factory)  # else "degraded": no worker alive (test_api_healthz)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and "PostgreSQL" in body["database"]


@pytest.mark.parametrize(("price", "code", "words"), [
    (krw(-1), "invalid_input", "positive"),
    (krw(0), "invalid_input", "positive"),
    (krw(10_000_000_001), "invalid_input", "ceiling"),
    ({"amount_minor": 19900, "currency": "XYZ"}, "invalid_input", "unknown currency"),
    (krw(199.5), "invalid_request", "amount_minor"),
    (krw("199000"), "invalid_request", "amount_minor"),
    ({"amount_minor": 19900}, "invalid_request", "currency"),
])
def test_bad_prices_are_refused_with_a_clear_json_error(client: TestClient, market: Market,
                                                        price: dict[str, Any], code: str,
                                                        words: str) -> None:
    url = f"/api/listings/{market.listing}/price-changes"
    body = error(client.post(url, json={"new_price": price}), 422, code)
    assert words in body["message"]
    product = client.post("/api/products", json={"title": "x", "category": "c",
                                                 "list_price": price})
    assert words in error(product, 422, code)["message"]
    assert client.get(f"/api/listings/{market.listing}").json()["price"] == krw(199000)


@pytest.mark.parametrize("path", ["/api/listings/987654321", "/api/sellers/987654321",
                                  "/api/products/987654321", "/api/customers/987654321",
                                  "/api/orders/987654321", "/api/customers/987654321/points",
                                  "/api/no-such-thing"])
def test_unknown_ids_and_paths_are_404_not_found(client: TestClient, path: str) -> None:
    error(client.get(path), 404, "not_found")


def test_order_for_an_unknown_listing_is_404(client: TestClient, market: Market) -> None:
    body = error(client.post("/api/orders", json={"customer_id": market.customer,
                                                  "listing_id": 987654321}), 404, "not_found")
    assert "listing 987654321" in body["message"]


@pytest.mark.parametrize("raw", [b'{"code": "haneul", ', b"not json", b'{"code": "a",}'])
def test_malformed_json_is_400(client: TestClient, raw: bytes) -> None:
    response = client.post("/api/sellers", content=raw,
                           headers={"content-type": "application/json"})
    error(response, 400, "malformed_json")


def test_a_validators_own_sentence_comes_without_pydantics_prefix(
        client: TestClient, market: Market) -> None:
    """A review's finding: "Value error, give a time from 1970 to 2199" in a message."""
    answer = client.post("/api/price-changes/check",
                         json={"listing_id": market.listing,
                               "new_price": {"amount_minor": 190000, "currency": "KRW"},
                               "promotion": {"percent": 10,
                                             "starts_at": "1900-01-01T00:00:00Z"}})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert "Value error" not in answer.text, body
    assert any("1970 to 2199" in e["problem"] for e in body["details"]["errors"]), body


def test_missing_fields_are_422_naming_them(client: TestClient) -> None:
    body = error(client.post("/api/sellers", json={}), 422, "invalid_request")
    fields = {e["field"] for e in body["details"]["errors"]}
    assert fields == {"body.code", "body.name"}
    assert "code" in body["message"] and "name" in body["message"]


def test_unknown_fields_are_refused(client: TestClient) -> None:
    error(client.post("/api/sellers", json={"code": "abc", "name": "x", "admin": True}), 422,
          "invalid_request")


def test_ordering_from_a_paused_listing_is_409(client: TestClient, market: Market) -> None:
    assert client.post(f"/api/listings/{market.listing}/pause",
                       json={"reason": "price check"}).json()["status"] == "paused"
    body = error(client.post("/api/orders", json={"customer_id": market.customer,
                                                  "listing_id": market.listing}),
                 409, "listing_not_orderable")
    assert "paused" in body["message"]
    assert client.get(f"/api/customers/{market.customer}/orders").json() == []


def test_illegal_listing_action_is_409(client: TestClient, market: Market) -> None:
    assert client.post(f"/api/listings/{market.listing}/end").status_code == 200
    error(client.post(f"/api/listings/{market.listing}/resume"), 409, "illegal_transition")
    error(client.post(f"/api/listings/{market.listing}/explode"), 422, "invalid_request")


def test_duplicate_seller_is_409_conflict(client: TestClient, market: Market) -> None:
    error(client.post("/api/sellers", json={"code": "haneul", "name": "또"}), 409, "conflict")


def test_spending_more_points_than_held_is_409(client: TestClient, market: Market) -> None:
    body = error(client.post(f"/api/customers/{market.customer}/points/debit",
                             json={"points": 1, "memo": "x"}), 409, "insufficient_points")
    assert body["details"] == {"balance": 0, "requested": 1, "reason": "balance_too_low"}


def test_idempotency_key_retry_returns_the_same_order(client: TestClient, market: Market) -> None:
    body = {"customer_id": market.customer, "listing_id": market.listing, "quantity": 1}
    headers = {"Idempotency-Key": "order-7f3a"}
    first = created(client.post("/api/orders", json=body, headers=headers))
    again = created(client.post("/api/orders", json=body, headers=headers))
    assert again == first
    assert len(client.get(f"/api/customers/{market.customer}/orders").json()) == 1
    other = client.post("/api/orders", json={**body, "quantity": 2}, headers=headers)
    assert "order-7f3a" in error(other, 409, "idempotency_key_reused")["message"]
    assert len(client.get(f"/api/customers/{market.customer}/orders").json()) == 1


def test_idempotency_key_retry_returns_the_same_seller(client: TestClient) -> None:
    headers = {"Idempotency-Key": "seller-1"}
    first = created(client.post("/api/sellers", json={"code": "a1", "name": "가"},
                                headers=headers))
    assert created(client.post("/api/sellers", json={"code": "a1", "name": "가"},
                               headers=headers)) == first
    error(client.post("/api/sellers", json={"code": "a2", "name": "가"}, headers=headers),
          409, "idempotency_key_reused")


def test_values_postgres_cannot_store_are_422_not_500(client: TestClient, market: Market) -> None:
    too_big = 2**63  # one past bigint
    error(client.post("/api/orders", json={"customer_id": too_big, "listing_id": market.listing}),
          422, "invalid_input")
    error(client.get(f"/api/listings/{too_big}"), 422, "invalid_input")
    body = error(client.post("/api/sellers", json={"code": "nul", "name": "하늘전자",
                                                   "contact_email": "shop\u0000@haneul.kr"}),
                 422, "invalid_input")
    assert "NUL" in body["message"]
    assert client.get("/api/sellers").json() == [client.get(f"/api/sellers/{market.seller}").json()]


# --- fuzz: random bodies must never produce a 5xx -------------------------------------------

_ints = st.integers(-(2**70), 2**70) | st.integers(-3, 3) | st.sampled_from([2**31, 2**63])
_scalars = st.none() | st.booleans() | _ints | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12)
_json = st.recursive(_scalars, lambda kids: st.lists(kids, max_size=3)
                     | st.dictionaries(st.text(max_size=8), kids, max_size=3), max_leaves=8)


def _shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Objects with (some of) the right keys and plausible or absurd values, or anything."""
    return st.fixed_dictionaries({}, optional=fields) | _json


def _money(ids: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _shaped({"amount_minor": ids | _ints, "currency": st.sampled_from(
        ["KRW", "USD", "XYZ", "krw", "", "KRWX"]) | _json})


def _fuzz(client: TestClient, make_request: Any, bodies: st.SearchStrategy[Any]) -> None:
    @settings(max_examples=50, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(bodies)
    def check(body: Any) -> None:
        response = make_request(body)
        assert response.status_code < 500, (body, response.text)
        assert "code" in response.json() or response.status_code == 201

    check()


def test_fuzzed_order_bodies_never_get_a_5xx(client: TestClient, market: Market) -> None:
    ids = st.sampled_from([market.customer, market.listing, 0, -1, 2**63 - 1]) | _ints
    bodies = _shaped({"customer_id": ids, "listing_id": ids,
                      "quantity": st.integers(-5, 200) | _json})
    _fuzz(client, lambda body: client.post("/api/orders", json=body), bodies)


def test_fuzzed_price_change_bodies_never_get_a_5xx(client: TestClient, market: Market) -> None:
    ids = st.sampled_from([market.listing, 0, -1, 2**63 - 1, 2**64]) | _ints
    bodies = st.tuples(ids, _shaped({
        "new_price": _money(st.integers(1, 10**12)),
        "proposed_by": st.text(max_size=120) | _json,
        "promotion": _shaped({"percent": st.floats(allow_nan=False, allow_infinity=False) | _ints, "starts_at": _json,
                              "ends_at": st.sampled_from(["2008-06-12T09:00:00+09:00",
                                                          "2008-06-12T09:00:00"]) | _json}),
    }))
    _fuzz(client, lambda case: client.post(f"/api/listings/{case[0]}/price-changes",
                                           json=case[1]), bodies)
