"""A price an admin changes on a seller's listing through the API is emailed to the seller (a
seller walk: the new price showed up on their page with no word to them) — live now, or waiting
for review with the price as it was; a seller's own change is not."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import ApiClientFor, krw
from test_api_order_pause_email import listing_of_a_seller_with_an_address

from sagwa.adapters.db.tables import outbox


def _emails(session_factory: sessionmaker[Session], to: str) -> list[tuple[str, str, str]]:
    with session_factory() as s:
        return [(r.idempotency_key, r.subject, r.body) for r in s.execute(
            select(outbox).where(outbox.c.recipient == to,
                                 outbox.c.purpose == "seller_listing").order_by(outbox.c.id))]


def test_an_admins_price_change_is_emailed_to_the_seller_and_the_sellers_own_is_not(
        client: TestClient, client_for: ApiClientFor,
        session_factory: sessionmaker[Session]) -> None:
    seller, listing = listing_of_a_seller_with_an_address(client, "하늘디지털")
    own = client_for("seller", seller_id=seller).post(
        f"/api/listings/{listing}/price-changes", json={"new_price": krw(195000)})
    assert own.status_code == 201 and own.json()["status"] == "applied"
    assert _emails(session_factory, "ops@haneul.example") == []

    raised = client.post(f"/api/listings/{listing}/price-changes",
                         json={"new_price": krw(189000)})
    assert raised.status_code == 201 and raised.json()["status"] == "applied"
    [(key, subject, body)] = _emails(session_factory, "ops@haneul.example")
    assert key.endswith(":price_changed_by_staff")
    assert f"운영팀이 상품 {listing}번의 가격을 바꿨습니다" in subject
    assert "하늘디지털 담당자님께" in body and "195,000원 → 189,000원(지금 가격)" in body
    assert "our operations team changed the price of this listing" in body
    base = client.app.state.settings.public_base_url.rstrip("/")
    assert f"{base}/seller/listings/{listing}" in body

    held = client.post(f"/api/listings/{listing}/price-changes",
                       json={"new_price": krw(18900)})
    assert held.status_code == 201 and held.json()["status"] == "held"
    *_, (_, _, body) = _emails(session_factory, "ops@haneul.example")
    assert "189,000원 → 18,900원(검토 대기)" in body
    assert "검토가 끝나기 전까지 지금 가격은 그대로입니다" in body
    assert len(_emails(session_factory, "ops@haneul.example")) == 2
    # a reviewer (another account: the proposer may not review their own) rejects it: the
    # seller is not told it was "the change you requested"
    reviewer = client_for("reviewer", username="reviewer-kim")
    rejected = reviewer.post(f"/api/price-changes/{held.json()['id']}/reject",
                             json={"reason": "한 자릿수가 빠진 가격으로 보입니다"})
    assert rejected.status_code == 200, rejected.text
    *_, (key, _, body) = _emails(session_factory, "ops@haneul.example")
    assert key.endswith(":price_rejected")
    assert "저희 운영팀이 요청한 가격 변경을" in body and "요청하신" not in body
    assert "the price change our operations team requested" in body
    assert "you requested" not in body
