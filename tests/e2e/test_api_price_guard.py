"""The price guard over HTTP: dry run, held proposal with reasons, the review queue."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def _ipod_listing(client: TestClient) -> int:
    return _ipod_listing_and_seller(client)[0]


def _ipod_listing_and_seller(client: TestClient) -> tuple[int, int]:
    """Three sellers of one iPod; the last one's listing (195,000 KRW) and seller ids."""
    product = client.post("/api/products", json={
        "title": "애플 아이팟 나노 3세대 4GB", "category": "electronics/mp3",
        "list_price": {"amount_minor": 199000, "currency": "KRW"}}).json()
    listing_id = seller_id = 0
    for n, price in enumerate((199000, 189000, 195000)):
        seller = client.post("/api/sellers", json={"code": f"s-{n}", "name": f"판매자{n}"}).json()
        seller_id = seller["id"]
        listing_id = client.post("/api/listings", json={
            "seller_id": seller["id"], "product_id": product["id"], "publish": True,
            "price": {"amount_minor": price, "currency": "KRW"}}).json()["id"]
    return listing_id, seller_id


def test_dry_run_explains_a_dropped_zero(client: TestClient) -> None:
    listing_id = _ipod_listing(client)
    r = client.post("/api/price-changes/check", json={
        "listing_id": listing_id, "new_price": {"amount_minor": 19500, "currency": "KRW"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "hold"
    assert "19,500" in body["reason_en"] and body["reason_ko"]
    facts = body["facts"]  # amounts are whole minor units, like every amount in the API
    assert facts["reference_price_minor"] == 195000
    assert all(isinstance(v, int) for k, v in facts.items() if k.endswith("_minor") and v)


def test_held_proposal_waits_in_the_queue_until_a_reviewer_rejects_it(
        client: TestClient, client_for: ApiClientFor) -> None:
    listing_id, seller_id = _ipod_listing_and_seller(client)
    seller, reviewer = client_for("seller", seller_id=seller_id), client_for("reviewer")
    r = seller.post(f"/api/listings/{listing_id}/price-changes", json={
        "new_price": {"amount_minor": 19500, "currency": "KRW"}, "promotion": {"percent": 90}})
    assert r.status_code == 201, r.text
    change = r.json()
    assert change["status"] == "held" and change["guard"]["verdict"] == "hold"
    assert change["proposed_by"] == f"api:seller-{seller_id}"  # the token's account
    assert client.get(f"/api/listings/{listing_id}").json()["price"]["amount_minor"] == 195000
    error = seller.get("/api/review/price-changes")
    assert error.status_code == 403 and error.json()["code"] == "forbidden"
    queue = reviewer.get("/api/review/price-changes").json()
    assert [item["change"]["id"] for item in queue] == [change["id"]]
    r = seller.post(f"/api/price-changes/{change['id']}/approve", json={})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"  # no approving one's own
    r = reviewer.post(f"/api/price-changes/{change['id']}/reject", json={})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"  # a reason is needed
    r = reviewer.post(f"/api/price-changes/{change['id']}/reject",
                      json={"reviewer": "someone-else", "reason": "looks like a dropped zero"})
    assert r.status_code == 422 and r.json()["details"]["field"] == "reviewer"
    r = reviewer.post(f"/api/price-changes/{change['id']}/reject",
                      json={"reason": "looks like a dropped zero"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert reviewer.get("/api/review/price-changes").json() == []
    r = reviewer.post(f"/api/price-changes/{change['id']}/approve", json={})
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert r.json()["details"]["reason"] == "change_not_held"
    trail = client.get("/api/audit", params={"entity_type": "listing",
                                             "entity_id": str(listing_id)}).json()
    assert trail[-1]["actor"] == "api:reviewer"


def test_check_on_unknown_listing_is_404(client: TestClient) -> None:
    r = client.post("/api/price-changes/check", json={
        "listing_id": 999999, "new_price": {"amount_minor": 1000, "currency": "KRW"}})
    assert r.status_code == 404 and r.json()["code"] == "not_found"


def test_approving_a_price_cut_by_half_or_more_needs_the_reviewers_reason(
        client: TestClient, client_for: ApiClientFor) -> None:
    """Overruling the guard on a 90% cut is a decision someone explains: without a reason the
    approval is refused (422, nothing changes); with one it goes live and the reason is kept."""
    listing_id, seller_id = _ipod_listing_and_seller(client)
    seller, reviewer = client_for("seller", seller_id=seller_id), client_for("reviewer")
    change = seller.post(f"/api/listings/{listing_id}/price-changes", json={
        "new_price": {"amount_minor": 19500, "currency": "KRW"}}).json()
    assert change["status"] == "held"
    r = reviewer.post(f"/api/price-changes/{change['id']}/approve", json={})
    assert r.status_code == 422, r.text
    assert r.json()["details"] == {"field": "reason", "reason": "approval_needs_reason"}
    assert client.get(f"/api/listings/{listing_id}").json()["price"]["amount_minor"] == 195000
    r = reviewer.post(f"/api/price-changes/{change['id']}/approve",
                      json={"reason": "seller confirmed a clearance of display units"})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert client.get(f"/api/listings/{listing_id}").json()["price"]["amount_minor"] == 19500
