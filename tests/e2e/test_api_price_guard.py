"""The price guard over HTTP: dry run, held proposal with reasons, the review queue."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sagwa.adapters.db.database import Database
from sagwa.web.app import create_app


@pytest.fixture
def client(database, session_factory, test_settings):
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    with TestClient(create_app(test_settings, database=db)) as c:
        yield c


def _ipod_listing(client: TestClient) -> int:
    product = client.post("/api/products", json={
        "title": "애플 아이팟 나노 3세대 4GB", "category": "electronics/mp3",
        "list_price": {"amount_minor": 199000, "currency": "KRW"}}).json()
    listing_id = 0
    for n, price in enumerate((199000, 189000, 195000)):
        seller = client.post("/api/sellers", json={"code": f"s-{n}", "name": f"판매자{n}"}).json()
        listing_id = client.post("/api/listings", json={
            "seller_id": seller["id"], "product_id": product["id"], "publish": True,
            "price": {"amount_minor": price, "currency": "KRW"}}).json()["id"]
    return listing_id


def test_dry_run_explains_a_dropped_zero(client: TestClient) -> None:
    listing_id = _ipod_listing(client)
    r = client.post("/api/price-changes/check", json={
        "listing_id": listing_id, "new_price": {"amount_minor": 19500, "currency": "KRW"}})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "hold"
    assert "19,500" in body["reason_en"] and body["reason_ko"]


def test_held_proposal_waits_in_the_queue_until_a_reviewer_rejects_it(client: TestClient) -> None:
    listing_id = _ipod_listing(client)
    r = client.post(f"/api/listings/{listing_id}/price-changes", json={
        "new_price": {"amount_minor": 19500, "currency": "KRW"}, "proposed_by": "seller:s-2",
        "promotion": {"percent": 90}})
    assert r.status_code == 201, r.text
    change = r.json()
    assert change["status"] == "held" and change["guard"]["verdict"] == "hold"
    assert client.get(f"/api/listings/{listing_id}").json()["price"]["amount_minor"] == 195000
    queue = client.get("/api/review/price-changes").json()
    assert [item["change"]["id"] for item in queue] == [change["id"]]
    r = client.post(f"/api/price-changes/{change['id']}/reject",
                    json={"reviewer": "reviewer:park"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"
    r = client.post(f"/api/price-changes/{change['id']}/reject",
                    json={"reviewer": "reviewer:park", "reason": "looks like a dropped zero"})
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert client.get("/api/review/price-changes").json() == []
    r = client.post(f"/api/price-changes/{change['id']}/approve", json={"reviewer": "x"})
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"


def test_check_on_unknown_listing_is_404(client: TestClient) -> None:
    r = client.post("/api/price-changes/check", json={
        "listing_id": 999999, "new_price": {"amount_minor": 1000, "currency": "KRW"}})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
