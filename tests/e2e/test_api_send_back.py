"""The price-guard API's reviewer and seller refusals, each with a stable ``details.reason``:
``POST /api/listings/{id}/send-back`` (a listing held at publication back to draft, with a
reason), a required reason that says too little, a rejection without a reason, a price in
another currency, a promotion with dates but no percent — and the dry run of a draft's price,
judged as publishing judges it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def krw(amount: int) -> dict[str, Any]:
    return {"amount_minor": amount, "currency": "KRW"}


def _ipod(client: TestClient) -> int:
    return int(client.post("/api/products", json={
        "title": "아이팟 나노 3세대", "category": "mp3", "list_price": krw(199_000)}).json()["id"])


def _listing(client: TestClient, product: int, price: int, *, publish: bool,
             code: str = "s-new") -> tuple[int, int]:
    """A new seller's listing of ``product`` at ``price``: (listing id, seller id)."""
    seller = client.post("/api/sellers", json={"code": code, "name": "새판매자"}).json()["id"]
    created = client.post("/api/listings", json={"seller_id": seller, "product_id": product,
                                                  "price": krw(price), "publish": publish})
    assert created.status_code == 201, created.text
    return int(created.json()["id"]), int(seller)


def test_a_reviewer_sends_a_held_listing_back_to_draft_with_a_reason(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, _seller = _listing(client, _ipod(client), 19_900, publish=True)
    assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"
    reviewer = client_for("reviewer")
    for body, reason in ((None, "send_back_needs_reason"), ({"reason": "  "}, "send_back_needs_reason"),
                         ({"reason": "."}, "reason_too_short"), ({"reason": "no!"}, "reason_too_short")):
        r = reviewer.post(f"/api/listings/{listing_id}/send-back", json=body)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "invalid_input"
        assert (r.json()["details"]["field"], r.json()["details"]["reason"]) == ("reason", reason)
        assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"
    moved = reviewer.post(f"/api/listings/{listing_id}/send-back",
                          json={"reason": "정가의 10분의 1입니다", "expected_price": krw(18_900)})
    assert moved.status_code == 409 and moved.json()["details"]["reason"] == "listing_price_moved"
    sent = reviewer.post(f"/api/listings/{listing_id}/send-back",
                         json={"reason": "정가의 10분의 1입니다", "expected_price": krw(19_900)})
    assert sent.status_code == 200, sent.text
    assert sent.json()["status"] == "draft"
    trail = client.get("/api/audit", params={"entity_type": "listing",
                                             "entity_id": str(listing_id)}).json()
    assert (trail[-1]["action"], trail[-1]["actor"], trail[-1]["after"]["reason"]) == (
        "listing.send_back", "api:reviewer", "정가의 10분의 1입니다")
    again = reviewer.post(f"/api/listings/{listing_id}/send-back",
                          json={"reason": "정가의 10분의 1입니다"})
    assert again.status_code == 409 and again.json()["details"]["reason"] == "listing_status"


def test_only_reviewers_may_send_back_and_never_the_listings_publisher(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, seller_id = _listing(client, _ipod(client), 19_900, publish=True)
    seller = client_for("seller", seller_id=seller_id)
    r = seller.post(f"/api/listings/{listing_id}/send-back", json={"reason": "제가 고치겠습니다"})
    assert r.status_code == 403 and r.json()["details"]["reason"] == "role_not_allowed"
    own = client.post(f"/api/listings/{listing_id}/send-back",  # admin published it
                      json={"reason": "제가 고치겠습니다"})
    assert own.status_code == 403 and own.json()["details"]["reason"] == "own_held_listing"
    assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"


def test_a_release_or_an_approval_that_needs_a_reason_takes_none_that_says_too_little(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, _seller = _listing(client, _ipod(client), 19_900, publish=True)
    reviewer = client_for("reviewer")
    r = reviewer.post(f"/api/listings/{listing_id}/release", json={"reason": "ok."})
    assert r.status_code == 422 and r.json()["details"]["reason"] == "reason_too_short"
    assert client.get(f"/api/listings/{listing_id}").json()["status"] == "held"


def test_a_rejection_without_a_reason_says_reason_required(
        client: TestClient, client_for: ApiClientFor) -> None:
    product = _ipod(client)
    listing_id, seller_id = _listing(client, product, 199_000, publish=True)
    seller, reviewer = client_for("seller", seller_id=seller_id), client_for("reviewer")
    change = seller.post(f"/api/listings/{listing_id}/price-changes",
                         json={"new_price": krw(19_500)}).json()
    assert change["status"] == "held"
    for body in ({}, {"reason": "   "}):
        r = reviewer.post(f"/api/price-changes/{change['id']}/reject", json=body)
        assert r.status_code == 422
        assert r.json() == {"code": "invalid_input",
                            "message": "a rejection needs a reason the seller can read",
                            "details": {"field": "reason", "reason": "reason_required"}}
    short = reviewer.post(f"/api/price-changes/{change['id']}/reject", json={"reason": "."})
    assert short.status_code == 422 and short.json()["details"]["reason"] == "reason_too_short"
    approve = reviewer.post(f"/api/price-changes/{change['id']}/approve", json={"reason": "ok"})
    assert approve.status_code == 422 and approve.json()["details"]["reason"] == "reason_too_short"


def test_a_price_in_another_currency_says_currency_mismatch(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, seller_id = _listing(client, _ipod(client), 199_000, publish=True)
    seller = client_for("seller", seller_id=seller_id)
    usd = {"amount_minor": 19_900, "currency": "USD"}
    for path, body in (("/api/price-changes/check", {"listing_id": listing_id, "new_price": usd}),
                       (f"/api/listings/{listing_id}/price-changes", {"new_price": usd})):
        r = seller.post(path, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["details"] == {"field": "currency", "reason": "currency_mismatch",
                                       "currency": "KRW",
                                       "request_field": "body.new_price.currency"}
    assert seller.get(f"/api/listings/{listing_id}/price-changes").json() == []


def test_a_promotion_with_dates_but_no_percent_is_refused_not_dropped(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, seller_id = _listing(client, _ipod(client), 199_000, publish=True)
    seller = client_for("seller", seller_id=seller_id)
    dated = {"starts_at": "2020-01-01T00:00:00+09:00", "ends_at": "2099-01-01T00:00:00+09:00"}
    for path, body in (
            ("/api/price-changes/check", {"listing_id": listing_id, "new_price": krw(179_000),
                                          "promotion": dated}),
            (f"/api/listings/{listing_id}/price-changes", {"new_price": krw(179_000),
                                                           "promotion": dated}),
            (f"/api/listings/{listing_id}/price-changes", {"new_price": krw(179_000),
                                                           "promotion": {**dated,
                                                                         "percent": None}})):
        r = seller.post(path, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["details"] == {"field": "promotion.percent",
                                       "reason": "promotion_percent_missing",
                                       "request_field": "body.promotion.percent"}
    assert client.get(f"/api/listings/{listing_id}").json()["price"] == krw(199_000)
    kept = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": krw(179_100), "promotion": {**dated, "percent": 10}})
    assert kept.status_code == 201, kept.text


def test_an_empty_promotion_is_refused_not_read_as_none(
        client: TestClient, client_for: ApiClientFor) -> None:
    """`"promotion": {}` names a promotion and forgets its percent: a 50% cut sent so would go
    live as an undeclared cut. Refused; `null` or no field is the way to say none."""
    listing_id, seller_id = _listing(client, _ipod(client), 199_000, publish=True)
    seller = client_for("seller", seller_id=seller_id)
    for path, body in (
            ("/api/price-changes/check", {"listing_id": listing_id, "new_price": krw(189_000),
                                          "promotion": {}}),
            (f"/api/listings/{listing_id}/price-changes", {"new_price": krw(189_000),
                                                           "promotion": {}}),
            (f"/api/listings/{listing_id}/price-changes", {"new_price": krw(189_000),
                                                           "promotion": {"percent": None}})):
        r = seller.post(path, json=body)
        assert r.status_code == 422, r.text
        assert r.json()["details"] == {"field": "promotion.percent",
                                       "reason": "promotion_percent_missing",
                                       "request_field": "body.promotion.percent"}
        assert "leave `promotion` out" in r.json()["message"]
    assert seller.get(f"/api/listings/{listing_id}/price-changes").json() == []
    for price, body in ((189_000, {"promotion": None}), (188_000, {})):
        body = {"new_price": krw(price)} | body
        r = seller.post(f"/api/listings/{listing_id}/price-changes", json=body)
        assert r.status_code == 201, r.text


def test_the_dry_run_on_a_draft_judges_a_first_price_as_publishing_does(
        client: TestClient) -> None:
    """A draft at 19,900 of an iPod listed at 259,000: the dry run holds it against the list
    price (not "within range of the current price (19,900 KRW)"), and publishing holds it."""
    product = int(client.post("/api/products", json={
        "title": "아이팟 클래식", "category": "mp3", "list_price": krw(259_000)}).json()["id"])
    listing_id, _seller = _listing(client, product, 19_900, publish=False)
    dry = client.post("/api/price-changes/check",
                      json={"listing_id": listing_id, "new_price": krw(19_900)})
    assert dry.status_code == 200, dry.text
    assert dry.json()["verdict"] == "hold"
    assert "current price" not in dry.json()["reason_en"] and "259,000" in dry.json()["reason_en"]
    published = client.post(f"/api/listings/{listing_id}/publish")
    assert published.json()["status"] == "held"
    fine = client.post("/api/price-changes/check",
                       json={"listing_id": listing_id, "new_price": krw(255_000)})
    assert fine.json()["verdict"] == "allow"
