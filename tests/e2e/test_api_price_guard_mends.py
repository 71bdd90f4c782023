"""A second review of the price guard's flows over the API: a first price in another currency
than its product's list price is refused; a first price with nothing to compare it with says
so; a draft published at the price a reviewer approved is not held again; promotion dates are
in the answers; the reviewers' list of listings held at publication; strict promotion percents;
a release of a listing that is not held says so before any price check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e
ApiClientFor = Callable[..., TestClient]  # the client_for fixture (tests/e2e/conftest.py)


def money(amount: int, currency: str = "KRW") -> dict[str, Any]:
    return {"amount_minor": amount, "currency": currency}


def _product(client: TestClient, list_price: int | None, title: str = "블루투스 스피커") -> int:
    body: dict[str, Any] = {"title": title, "category": "audio"}
    if list_price is not None:
        body["list_price"] = money(list_price)
    return int(client.post("/api/products", json=body).json()["id"])


def _seller(client: TestClient, code: str) -> int:
    return int(client.post("/api/sellers", json={"code": code, "name": code}).json()["id"])


def _create(client: TestClient, product: int, price: dict[str, Any], *, code: str,
            publish: bool = False):
    return client.post("/api/listings", json={"seller_id": _seller(client, code),
                                              "product_id": product, "price": price,
                                              "publish": publish})


def test_a_first_price_in_another_currency_than_the_list_price_is_refused(
        client: TestClient) -> None:
    product = _product(client, 269_000)
    assert _create(client, product, money(269_000), code="s-krw", publish=True).json()[
        "status"] == "live"
    refused = _create(client, product, money(2690, "USD"), code="s-usd", publish=True)
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"] == {"field": "currency", "reason": "currency_mismatch",
                                         "currency": "KRW", "given": "USD",
                                         "request_field": "body.price.currency"}
    assert "KRW" in refused.json()["message"] and "USD" in refused.json()["message"]
    assert client.get("/api/listings", params={"product_id": product}).json()[0]["price"] == \
        money(269_000)
    assert len(client.get("/api/listings", params={"product_id": product}).json()) == 1


def test_a_first_price_with_nothing_to_compare_it_with_does_not_claim_a_comparison(
        client: TestClient) -> None:
    made = _create(client, _product(client, None), money(2690, "USD"), code="s-alone")
    listing_id = made.json()["id"]
    dry = client.post("/api/price-changes/check",
                      json={"listing_id": listing_id, "new_price": money(2690, "USD")}).json()
    assert dry["verdict"] == "allow" and dry["reason_code"] == "no_reference"
    assert "current price" not in dry["reason_en"] and "nothing to compare" in dry["reason_en"]
    assert dry["facts"]["reference_kind"] is None
    assert "비교할 가격이 없습니다" in dry["reason_ko"]


def test_a_draft_published_at_the_price_a_reviewer_approved_is_not_held_again(
        client: TestClient, client_for: ApiClientFor) -> None:
    made = _create(client, _product(client, 219_000), money(219_000), code="s-draft")
    listing_id, seller_id = made.json()["id"], made.json()["seller_id"]
    seller = client_for("seller", seller_id=seller_id)
    held = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": money(21_900)}).json()
    assert held["status"] == "held"
    reviewer = client_for("reviewer")
    queued = reviewer.get("/api/review/price-changes").json()
    assert [q["listing"]["status"] for q in queued if q["change"]["id"] == held["id"]] == ["draft"]
    approved = reviewer.post(f"/api/price-changes/{held['id']}/approve",
                             json={"reason": "판매자와 통화: 10% 가격 맞음, 재고 정리"})
    assert approved.status_code == 200, approved.text
    published = seller.post(f"/api/listings/{listing_id}/publish")
    assert published.json()["status"] == "live", published.text
    trail = client.get("/api/audit", params={"entity_type": "listing",
                                             "entity_id": str(listing_id)}).json()
    assert trail[-1]["action"] == "listing.publish"
    assert trail[-1]["after"]["approved_price_change_id"] == held["id"]


def test_a_later_held_proposal_leaves_the_draft_at_its_approved_price(
        client: TestClient, client_for: ApiClientFor) -> None:
    made = _create(client, _product(client, 219_000), money(219_000), code="s-draft2")
    listing_id, seller_id = made.json()["id"], made.json()["seller_id"]
    seller = client_for("seller", seller_id=seller_id)
    held = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": money(21_900)}).json()
    client_for("reviewer").post(f"/api/price-changes/{held['id']}/approve",
                                json={"reason": "판매자와 통화: 10% 가격 맞음, 재고 정리"})
    moved = seller.post(f"/api/listings/{listing_id}/price-changes",
                        json={"new_price": money(20_900)})
    assert moved.json()["status"] == "held"  # the approval was for 21,900
    published = seller.post(f"/api/listings/{listing_id}/publish").json()
    assert (published["status"], published["price"]) == ("live", money(21_900))


def test_price_changes_carry_their_promotion_window(
        client: TestClient, client_for: ApiClientFor) -> None:
    product = _product(client, 199_000)
    made = _create(client, product, money(199_000), code="s-promo", publish=True)
    listing_id = made.json()["id"]
    seller = client_for("seller", seller_id=made.json()["seller_id"])
    window = {"starts_at": "2020-01-01T09:00:00+09:00", "ends_at": "2099-01-01T09:00:00+09:00"}
    change = seller.post(f"/api/listings/{listing_id}/price-changes", json={
        "new_price": money(19_900), "promotion": {"percent": 61, **window}})
    assert change.status_code == 201, change.text
    body = change.json()
    assert body["status"] == "held"
    assert body["promotion_starts_at"].startswith("2020-01-01T00:00:00")
    assert body["promotion_ends_at"].startswith("2099-01-01T00:00:00")
    item = next(q for q in client_for("reviewer").get("/api/review/price-changes").json()
                if q["change"]["id"] == body["id"])
    assert item["promotion_ends_at"] == body["promotion_ends_at"]
    # still approvable: no stale sentence in either language, and no code
    assert (item["stale"], item["stale_ko"], item["stale_reason"]) == (None, None, None)
    plain = seller.post(f"/api/listings/{listing_id}/price-changes",
                        json={"new_price": money(195_000)}).json()
    assert (plain["promotion_starts_at"], plain["promotion_ends_at"]) == (None, None)


def test_reviewers_list_the_listings_held_at_publication_with_their_reference(
        client: TestClient, client_for: ApiClientFor) -> None:
    product = _product(client, 199_000)
    held = _create(client, product, money(19_900), code="s-held", publish=True).json()
    assert held["status"] == "held"
    reviewer = client_for("reviewer")
    found = [h for h in reviewer.get("/api/review/listings").json()
             if h["listing"]["id"] == held["id"]]
    assert len(found) == 1
    assert found[0]["reference"] == money(199_000) and found[0]["reference_kind"] == "list_price"
    assert found[0]["release_needs_reason"] is True and found[0]["held_by"] == "api:admin"
    seller = client_for("seller", seller_id=held["seller_id"])
    assert seller.get("/api/review/listings").status_code == 403


@pytest.mark.parametrize(("percent", "reason"), [
    ("5", None), (1e-9, "promotion_percent_range"),
    (0.5, "promotion_percent_range"), (12.25, "promotion_percent_range"),
    (100, "promotion_percent_range"), (150, "promotion_percent_range"),
])
def test_a_promotion_percent_is_a_number_from_1_to_99_9(
        client: TestClient, client_for: ApiClientFor, percent: object, reason: str | None,
) -> None:
    made = _create(client, _product(client, 199_000), money(199_000), code="s-pct",
                   publish=True).json()
    seller = client_for("seller", seller_id=made["seller_id"])
    body = {"new_price": money(179_100), "promotion": {"percent": percent}}
    r = seller.post(f"/api/listings/{made['id']}/price-changes", json=body)
    assert r.status_code == 422, r.text
    if reason is None:
        assert "number" in r.text and "less than 100" not in r.text
    else:
        assert r.json()["details"]["reason"] == reason
    ok = seller.post(f"/api/listings/{made['id']}/price-changes",
                     json={"new_price": money(179_100), "promotion": {"percent": 10.5}})
    assert ok.status_code == 201, ok.text


def test_releasing_a_live_listing_says_it_is_not_held_whatever_price_is_given(
        client: TestClient, client_for: ApiClientFor) -> None:
    made = _create(client, _product(client, 199_000), money(199_000), code="s-live",
                   publish=True).json()
    r = client_for("reviewer").post(f"/api/listings/{made['id']}/release",
                                    json={"expected_price": money(150_000)})
    assert r.status_code == 409, r.text
    assert r.json()["details"]["reason"] == "listing_status"


def test_a_promotion_percent_of_nan_is_said_to_need_a_number(
        client: TestClient, client_for: ApiClientFor) -> None:
    made = _create(client, _product(client, 199_000), money(199_000), code="s-nan",
                   publish=True).json()
    seller = client_for("seller", seller_id=made["seller_id"])
    r = seller.post(f"/api/listings/{made['id']}/price-changes",
                    content=b'{"new_price": {"amount_minor": 179100, "currency": "KRW"}, '
                            b'"promotion": {"percent": NaN}}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert "number" in r.text and "less than 100" not in r.text


def test_a_listing_republished_at_the_price_sent_back_says_so(
        client: TestClient, client_for: ApiClientFor) -> None:
    held = _create(client, _product(client, 199_000), money(19_900), code="s-again",
                   publish=True).json()
    reviewer = client_for("reviewer")
    sent = reviewer.post(f"/api/listings/{held['id']}/send-back",
                         json={"reason": "정가의 10분의 1입니다"})
    assert sent.json()["status"] == "draft", sent.text
    assert client.post(f"/api/listings/{held['id']}/publish").json()["status"] == "held"
    found = next(h for h in reviewer.get("/api/review/listings").json()
                 if h["listing"]["id"] == held["id"])
    assert (found["sent_back_by"], found["sent_back_reason"]) == ("api:reviewer",
                                                                  "정가의 10분의 1입니다")


def test_listings_can_be_listed_by_status_and_an_unknown_status_is_refused(
        client: TestClient) -> None:
    """`?status=held` used to be ignored silently (every listing came back)."""
    product = _product(client, 269_000, title="상태별 목록")
    live = _create(client, product, money(269_000), code="st-live", publish=True).json()["id"]
    held = _create(client, product, money(26_900), code="st-held", publish=True).json()
    draft = _create(client, product, money(259_000), code="st-draft").json()["id"]
    assert held["status"] == "held"

    def ids(status: str) -> set[int]:
        answer = client.get("/api/listings", params={"product_id": product, "status": status})
        assert answer.status_code == 200, answer.text
        return {item["id"] for item in answer.json()}

    assert ids("held") == {held["id"]}
    assert ids("live") == {live}
    assert ids("draft") == {draft}
    refused = client.get("/api/listings", params={"status": "sold"})
    assert refused.status_code == 422, refused.text
    assert "status" in refused.text


def test_a_retry_with_the_promotion_times_in_another_offset_is_the_same_request(
        client: TestClient, client_for: ApiClientFor) -> None:
    """The same instants written as +09:00 instead of Z are one request (a review's finding:
    the retry was refused as a different request)."""
    product = _product(client, 199_000)
    made = _create(client, product, money(199_000), code="s-retry", publish=True)
    seller = client_for("seller", seller_id=made.json()["seller_id"], auto_keys=False)
    url = f"/api/listings/{made.json()['id']}/price-changes"
    key = {"Idempotency-Key": "promo-retry"}

    def body(starts: str, ends: str) -> dict[str, Any]:
        return {"new_price": money(179_100),
                "promotion": {"percent": 10, "starts_at": starts, "ends_at": ends}}

    first = seller.post(url, json=body("2020-01-01T00:00:00Z", "2099-01-01T00:00:00Z"),
                        headers=key)
    assert first.status_code == 201, first.text
    again = seller.post(url, json=body("2020-01-01T09:00:00+09:00", "2099-01-01T09:00:00+09:00"),
                        headers=key)
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"], again.text
    other = seller.post(url, json=body("2020-01-01T09:00:00+09:00", "2099-01-02T09:00:00+09:00"),
                        headers=key)
    assert other.status_code == 409 and other.json()["details"]["reason"] == \
        "idempotency_request_differs"


def test_a_seller_withdraws_a_held_change_and_it_can_no_longer_go_live(
        client: TestClient, client_for: ApiClientFor) -> None:
    """A mistyped price held for review is taken back by its seller (a review's finding: the
    seller could neither re-propose the live price nor reject their own change, and a reviewer
    later approved the typo)."""
    product = _product(client, 199_000)
    made = _create(client, product, money(195_000), code="s-withdraw", publish=True)
    listing_id, seller_id = made.json()["id"], made.json()["seller_id"]
    seller = client_for("seller", seller_id=seller_id)
    held = seller.post(f"/api/listings/{listing_id}/price-changes",
                       json={"new_price": money(19_500)}).json()
    assert held["status"] == "held"
    other = client_for("seller", seller_id=_seller(client, "s-other"))
    refused = other.post(f"/api/price-changes/{held['id']}/withdraw")
    assert refused.status_code == 403 and refused.json()["details"]["reason"] == "not_own_listing"
    # staff do not withdraw: a reviewer rejects with a reason the seller can read (a review
    # found an agent emptying the queue and a reviewer dodging the reason, both recorded as
    # "withdrawn by the seller"); an admin neither
    for role in ("agent", "reviewer", "admin"):
        staff = client_for(role).post(f"/api/price-changes/{held['id']}/withdraw")
        assert staff.status_code == 403, (role, staff.text)
        assert staff.json()["details"]["reason"] == "only_seller_withdraws"
    assert any(q["change"]["id"] == held["id"]  # still waiting for a reviewer
               for q in client_for("reviewer").get("/api/review/price-changes").json())
    taken = seller.post(f"/api/price-changes/{held['id']}/withdraw")
    assert taken.status_code == 200, taken.text
    assert taken.json()["status"] == "withdrawn"
    reviewer = client_for("reviewer")
    assert all(q["change"]["id"] != held["id"]
               for q in reviewer.get("/api/review/price-changes").json())
    approve = reviewer.post(f"/api/price-changes/{held['id']}/approve",
                            json={"reason": "checked with the seller by phone"})
    assert approve.status_code == 409 and approve.json()["details"]["reason"] == "change_not_held"
    again = seller.post(f"/api/price-changes/{held['id']}/withdraw")
    assert again.status_code == 409
    assert client.get(f"/api/listings/{listing_id}").json()["price"]["amount_minor"] == 195_000
    assert seller.post("/api/price-changes/999999/withdraw").status_code == 404


@pytest.mark.parametrize("promotion", [
    {"percent": 61, "ends_at": "9999-12-31T23:59:59Z"},  # the year 10000 in Korea time
    {"percent": 10, "ends_at": "9999-12-31T23:00:00-09:00"},  # past 9999 in UTC
    {"percent": 10, "starts_at": "0001-01-01T05:00:00+09:00"},  # before year 1 in UTC
    {"percent": 10, "ends_at": "2200-01-01T00:00:00Z"},
    {"percent": 10, "starts_at": "1969-12-31T23:59:59Z"},
])
def test_a_promotion_time_outside_1970_to_2199_is_refused_by_both(
        client: TestClient, client_for: ApiClientFor, promotion: dict) -> None:
    """A review's finding: a held 61% promotion ending 9999-12-31T23:59:59Z was stored, and the
    review page, showing it in Korea time (the year 10000), answered 500 for every reviewer;
    other such times made the proposal itself a 500 while the dry run allowed them."""
    product = _product(client, 199_000)
    made = _create(client, product, money(195_000), code="s-far-times", publish=True)
    listing_id, seller_id = made.json()["id"], made.json()["seller_id"]
    seller = client_for("seller", seller_id=seller_id)
    body = {"new_price": money(76_050), "promotion": promotion}
    for answer in (seller.post("/api/price-changes/check", json={"listing_id": listing_id, **body}),
                   seller.post(f"/api/listings/{listing_id}/price-changes", json=body)):
        assert answer.status_code == 422, answer.text
        assert "1970 to 2199" in answer.json()["message"]
    assert client_for("reviewer").get("/api/review/price-changes").json() == []
