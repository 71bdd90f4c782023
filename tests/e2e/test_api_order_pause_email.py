"""Orders through ``POST /api/orders`` that trip the order tripwire email the seller with a full
link to their listing's page (the API now gives the tripwire the app's desk policy and links;
before, the email carried a bare path, and the built-in contact hours)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import krw

from sagwa.adapters.db.tables import outbox
from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def listing_of_a_seller_with_an_address(client: TestClient,
                                        name: str = "하늘") -> tuple[int, int]:
    """An iPod listed live at 199,000 by seller ``name`` (code haneul), whose contact address
    is ops@haneul.example: (seller id, listing id)."""
    product = client.post("/api/products", json={"title": "아이팟 나노 3세대", "category": "mp3",
                                                  "list_price": krw(199000)}).json()["id"]
    seller = client.post("/api/sellers", json={"code": "haneul", "name": name,
                                               "contact_email": "ops@haneul.example"}).json()
    listing = client.post("/api/listings", json={
        "seller_id": seller["id"], "product_id": product, "price": krw(199000),
        "publish": True}).json()["id"]
    return int(seller["id"]), int(listing)


def test_a_surge_through_the_api_emails_the_seller_a_full_link(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    _, listing = listing_of_a_seller_with_an_address(client)
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory), listing_id=listing,
                                  new_price=Money(19900, "KRW"), proposed_by="seller:haneul")
    paused = False
    for n in range(12):
        customer = client.post("/api/customers", json={
            "name": f"고객{n}", "email": f"c{n}@example.com",
            "phone": f"010-1234-{n:04d}"}).json()["id"]
        answer = client.post("/api/orders", json={"customer_id": customer,
                                                  "listing_id": listing, "quantity": 1},
                             headers={"Idempotency-Key": f"o-{n}"})
        if answer.status_code == 409:
            paused = True
            break
        assert answer.status_code == 201, answer.text
    assert paused, "the tripwire never paused the listing"
    with session_factory() as s:
        bodies = [r.body for r in s.execute(select(outbox).where(
            outbox.c.recipient == "ops@haneul.example", outbox.c.purpose == "seller_listing"))]
    assert len(bodies) == 1
    base = client.app.state.settings.public_base_url.rstrip("/")
    assert f"{base}/seller/listings/{listing}" in bodies[0]
