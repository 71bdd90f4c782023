"""Every refusal of the JSON API carries ``details.reason``, those made at the edge too
(``web/errors.py``): a request the schema refuses (``request_invalid``, beside the fields in
``details.errors``), no body (``body_missing``), a body not sent as JSON (``body_not_json``),
a body that is not JSON (``malformed_json`` / ``json_malformed``), a path no route answers
(``route_unknown``; an unknown id on a known route stays ``unknown_id``) and a method the route
does not take (``method_not_allowed``) — with the codes and statuses they always had. Deciding a
price change checks its state first, rejecting as approving: a decided change is 409
whatever the body says. A seller's token refused another seller's incidents says so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def refused(response: Any, status: int, code: str, reason: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert (body["code"], body["details"]["reason"]) == (code, reason), body
    assert set(body) == {"code", "message", "details"} and body["message"].strip()
    return body


def _held_change(client: TestClient, client_for: ApiClientFor, code: str) -> tuple[int, int]:
    """A seller's listing at 199,000 and a held change to 19,900: (listing id, change id)."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                 "list_price": krw(199_000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": code, "name": "판매자"}).json()["id"]
    listing = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                 "price": krw(199_000), "publish": True}).json()
    change = client_for("seller", seller_id=seller).post(
        f"/api/listings/{listing['id']}/price-changes", json={"new_price": krw(19_900)}).json()
    assert change["status"] == "held"
    return int(listing["id"]), int(change["id"])


def test_rejecting_a_decided_change_is_409_whatever_the_body(
        client: TestClient, client_for: ApiClientFor) -> None:
    """A QA finding: a superseded change rejected without a reason said 422 reason_required,
    and 409 only once a reason was added; approving said 409 at once."""
    listing, first = _held_change(client, client_for, "s-reject")
    seller_id = client.get(f"/api/listings/{listing}").json()["seller_id"]
    newer = client_for("seller", seller_id=seller_id).post(
        f"/api/listings/{listing}/price-changes", json={"new_price": krw(18_900)}).json()
    assert newer["status"] == "held"  # the first is superseded
    reviewer = client_for("reviewer")
    for body in ({}, {"reason": "  "}, {"reason": "."}, {"reason": "0이 하나 빠졌습니다"}):
        for decision in ("reject", "approve"):
            answer = reviewer.post(f"/api/price-changes/{first}/{decision}", json=body)
            details = refused(answer, 409, "illegal_transition", "change_not_held")["details"]
            assert details["status"] == "superseded"
    # a held change still needs its reason, and a decided one is 409 again
    refused(reviewer.post(f"/api/price-changes/{newer['id']}/reject", json={}), 422,
            "invalid_input", "reason_required")
    assert reviewer.post(f"/api/price-changes/{newer['id']}/reject",
                         json={"reason": "0이 하나 빠졌습니다"}).status_code == 200
    refused(reviewer.post(f"/api/price-changes/{newer['id']}/reject", json={}), 409,
            "illegal_transition", "change_not_held")


def test_a_request_the_schema_refuses_says_request_invalid_beside_its_fields(
        client: TestClient) -> None:
    body = refused(client.post("/api/sellers", json={"code": 7}), 422, "invalid_request",
                   "request_invalid")
    assert {e["field"] for e in body["details"]["errors"]} == {"body.code", "body.name"}
    for path in ("/api/review/price-changes?order=bogus", "/api/review/price-changes?limit=0"):
        body = refused(client.get(path), 422, "invalid_request", "request_invalid")
        assert body["details"]["errors"][0]["field"].startswith("query.")


def test_a_missing_body_and_a_body_not_sent_as_json_say_so(client: TestClient) -> None:
    refused(client.post("/api/sellers"), 422, "invalid_request", "body_missing")
    raw = b'{"code": "haneul", "name": "\xed\x95\x98\xeb\x8a\x98"}'
    for headers in ({"content-type": "text/plain"}, {}):
        body = refused(client.post("/api/sellers", content=raw, headers=headers), 422,
                       "invalid_request", "body_not_json")
        assert "Content-Type: application/json" in body["message"]
        assert body["details"]["errors"] == [{"field": "body", "problem": (
            "Input should be a valid dictionary or object to extract fields from")}]
    said = refused(client.post("/api/sellers", content=raw,
                               headers={"content-type": "text/plain"}), 422, "invalid_request",
                   "body_not_json")["message"]
    assert "'text/plain'" in said
    # JSON that is not an object is a schema refusal, not a content type's
    refused(client.post("/api/sellers", json=[1]), 422, "invalid_request", "request_invalid")


def test_a_body_that_is_not_json_is_400_json_malformed(client: TestClient) -> None:
    answer = client.post("/api/sellers", content=b'{"code": "a",}',
                         headers={"content-type": "application/json"})
    body = refused(answer, 400, "malformed_json", "json_malformed")
    assert body["details"]["problem"] == "Expecting property name enclosed in double quotes"


def test_an_unknown_route_and_an_unknown_id_are_both_404_told_apart_by_reason(
        client: TestClient) -> None:
    route = refused(client.get("/api/no-such-thing"), 404, "not_found", "route_unknown")
    assert "/api/no-such-thing" in route["message"] and "/docs" in route["message"]
    refused(client.get("/api/listings/987654321"), 404, "not_found", "unknown_id")


def test_a_method_the_route_does_not_take_is_405_with_the_methods_it_takes(
        client: TestClient) -> None:
    answer = client.delete("/api/review/price-changes")
    body = refused(answer, 405, "method_not_allowed", "method_not_allowed")
    # a route that takes GET takes HEAD too (web/head_requests.py)
    assert body["details"]["allowed"] == ["GET", "HEAD"] and answer.headers["allow"] == "GET, HEAD"
    assert "DELETE" in body["message"]


@pytest.mark.parametrize("path", ["/api/products", "/api/listings", "/api/incidents"])
def test_a_405_names_every_method_the_path_takes(client: TestClient, path: str) -> None:
    """Routing answers from the first route of the path: ``/api/products`` said it took only
    POST, though the README lists the catalogue with GET at the same address."""
    answer = client.delete(path)
    body = refused(answer, 405, "method_not_allowed", "method_not_allowed")
    assert body["details"]["allowed"] == ["GET", "HEAD", "POST"]
    assert answer.headers["allow"] == "GET, HEAD, POST"
    assert body["message"].endswith("it takes GET, HEAD, POST")


@pytest.mark.parametrize("path", ["/api/sellers/{other}/incidents",
                                  "/api/sellers/{other}/incidents/1"])
def test_a_seller_asking_for_another_sellers_incidents_is_told_it_reads_only_its_own(
        client: TestClient, client_for: ApiClientFor, path: str) -> None:
    mine, other = (client.post("/api/sellers", json={"code": f"s-{n}", "name": "판매자"}).json()["id"]
                   for n in (1, 2))
    answer = client_for("seller", seller_id=mine).get(path.format(other=other))
    body = refused(answer, 403, "forbidden", "not_own_listing")
    assert body["message"] == (f"a seller account can read only its own incidents: this token "
                               f"is seller {mine}'s, and the path names seller {other}")
    assert "listings" not in body["message"]


TOO_LARGE = b'{"new_price": "' + b"9" * (2 * 1024 * 1024) + b'"}'


def test_a_body_over_the_cap_is_413_body_too_large(client: TestClient,
                                                   client_for: ApiClientFor) -> None:
    """A QA finding: a 200 MB JSON string was parsed whole (422 after seconds), and an
    anonymous 100 MB post was read before its 401."""
    json_type = {"content-type": "application/json"}
    body = refused(client.post("/api/price-changes/check", content=TOO_LARGE, headers=json_type),
                   413, "too_large", "body_too_large")
    assert "1,048,576 bytes" in body["message"]
    refused(client_for(None).post("/api/orders", content=TOO_LARGE, headers=json_type),
            413, "too_large", "body_too_large")

    def chunked() -> Any:  # no Content-Length: counted as it streams
        yield from (TOO_LARGE[i:i + 65_536] for i in range(0, len(TOO_LARGE), 65_536))

    refused(client.post("/api/price-changes/check", content=chunked(), headers=json_type),
            413, "too_large", "body_too_large")


@pytest.mark.parametrize(("body", "problem"), [
    (b'{"code": "a", "name": "\xff\xfe"}', "the body is not UTF-8 text"),
    (b"[" * 100_000 + b"]" * 100_000, "the body nests arrays or objects too deeply"),
], ids=["not-utf8", "nested-100000-deep"])
def test_a_body_json_cannot_read_is_400_json_malformed_too(client: TestClient, body: bytes,
                                                           problem: str) -> None:
    """A QA finding: these answered 400 ``http_error`` / ``http_error``."""
    answer = client.post("/api/sellers", content=body,
                         headers={"content-type": "application/json"})
    assert refused(answer, 400, "malformed_json", "json_malformed")["details"]["problem"] == problem
