"""A seller's drafts, and a listing held at its publication (never on sale), are read by that
seller and staff only: a seller walk listed other sellers' unpublished drafts and prices with no
token (``GET /api/listings?status=draft``), and read a held one's guard reasons; a draft
ended without going on sale was public again as "ended" (a review). Anyone still reads the
catalogue's listings: on sale, and paused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from test_api_access import ApiClientFor, krw, shop  # noqa: F401  (shop is the fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def drafts(client: TestClient, shop: dict[str, int]) -> dict[str, int]:  # noqa: F811
    """Of a second product: seller 1's draft at 150,000 and seller 2's listing held at
    publication (19,900 for a 199,000 list price, a dropped zero)."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대 8GB",
                                                  "category": "mp3",
                                                  "list_price": krw(199_000)}).json()["id"]
    draft = client.post("/api/listings", json={
        "seller_id": shop["seller1"], "product_id": product, "price": krw(150_000)})
    held = client.post("/api/listings", json={
        "seller_id": shop["seller2"], "product_id": product, "price": krw(19_900),
        "publish": True})
    assert (draft.json()["status"], held.json()["status"]) == ("draft", "held"), held.text
    return {**shop, "product2": product, "draft": draft.json()["id"], "held": held.json()["id"]}


def _ids(answer) -> list[int]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()]


def test_anyone_reads_the_catalogues_listings_not_drafts_or_held_ones(
        client_for: ApiClientFor, drafts: dict[str, int]) -> None:
    anonymous = client_for(None)
    listed = _ids(anonymous.get("/api/listings", params={"product_id": drafts["product"]}))
    assert listed == [drafts["listing1"], drafts["listing2"]]
    assert _ids(anonymous.get("/api/listings", params={"product_id": drafts["product2"]})) == []
    assert _ids(anonymous.get("/api/listings", params={"status": "draft"})) == []
    for hidden in (drafts["draft"], drafts["held"]):
        answer = anonymous.get(f"/api/listings/{hidden}")
        assert answer.status_code == 404, answer.text
        assert "19,900" not in answer.text and "19900" not in answer.text
    # an unknown token is answered as anyone's
    stranger = anonymous.get(f"/api/listings/{drafts['draft']}",
                             headers={"Authorization": "Bearer sgw_unknown"})
    assert stranger.status_code == 404


def test_a_seller_reads_their_own_drafts_not_another_sellers(
        client_for: ApiClientFor, drafts: dict[str, int]) -> None:
    seller1 = client_for("seller", seller_id=drafts["seller1"])
    assert seller1.get(f"/api/listings/{drafts['draft']}").status_code == 200
    assert seller1.get(f"/api/listings/{drafts['held']}").status_code == 404
    listed = _ids(seller1.get("/api/listings", params={"product_id": drafts["product2"]}))
    assert listed == [drafts["draft"]]
    seller2 = client_for("seller", seller_id=drafts["seller2"])
    own = seller2.get(f"/api/listings/{drafts['held']}")
    assert own.status_code == 200 and own.json()["hold"]["reason_code"]


@pytest.mark.parametrize("role", ["admin", "reviewer", "agent", "finance"])
def test_staff_read_every_listing(client_for: ApiClientFor, drafts: dict[str, int],
                                  role: str) -> None:
    staff = client_for(role)
    listed = _ids(staff.get("/api/listings", params={"product_id": drafts["product2"]}))
    assert listed == [drafts["draft"], drafts["held"]]
    assert staff.get(f"/api/listings/{drafts['held']}").json()["status"] == "held"


def test_a_draft_ended_without_going_on_sale_stays_out_of_public_reads(
        client: TestClient, client_for: ApiClientFor, drafts: dict[str, int]) -> None:
    """A review: a draft may be ended without ever going on sale, and "ended" was public."""
    ended = client.post(f"/api/listings/{drafts['draft']}/end")
    assert ended.status_code == 200 and ended.json()["status"] == "ended", ended.text
    anonymous = client_for(None)
    assert anonymous.get(f"/api/listings/{drafts['draft']}").status_code == 404
    assert drafts["draft"] not in _ids(anonymous.get("/api/listings", params={"status": "ended"}))
    seller1 = client_for("seller", seller_id=drafts["seller1"])
    assert seller1.get(f"/api/listings/{drafts['draft']}").json()["status"] == "ended"
