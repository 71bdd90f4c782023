"""The JSON API meets the notice service's one title limit: over it, the same refusal (code,
field and reason) as the page and the CLI, not a schema error of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, desk, listings
from sagwa.services.notices import TITLE_MAX_CHARS
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
KRW = "KRW"


@pytest.fixture
def incident_id(session_factory: sessionmaker[Session]) -> int:
    """A declared incident: a listing live at 19,900 KRW instead of 199,000 KRW."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    seller = catalog.register_seller(uow(), code="haneul", name="하늘디지털", actor="t")
    product = catalog.register_product(uow(), title="애플 아이팟 나노 3세대 4GB",
                                       category="electronics/mp3",
                                       list_price=Money(199_000, KRW), actor="t")
    listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                      price=Money(19_900, KRW), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id, trigger=ListingTrigger.PUBLISH,
                                   actor="t")
    row = desk.declare(uow(), listing_ids=[listing.id], wrong_price=Money(19_900, KRW),
                       correct_price=Money(199_000, KRW),
                       window_start=datetime.now(UTC),  # not a second earlier: another minute
                       cause="a zero dropped", responsible="seller", actor="admin:test")
    return int(row.incident.incident_id)


@pytest.mark.parametrize("chars", [TITLE_MAX_CHARS + 1, 400])
def test_a_title_over_the_limit_is_the_services_refusal(client: TestClient, incident_id: int,
                                                        chars: int) -> None:
    answer = client.post(f"/api/incidents/{incident_id}/notices",
                         json={"lang": "ko", "title": "가" * chars, "body": "죄송합니다."})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["code"] == "invalid_input"
    assert body["details"]["field"] == "title"
    assert body["details"]["reason"] == "notice_title_too_long"
    assert body["details"]["chars"] == chars
    assert client.get(f"/api/notices?incident_id={incident_id}").json() == []


def test_a_title_at_the_limit_passes_the_title_check(client: TestClient,
                                                     incident_id: int) -> None:
    answer = client.post(f"/api/incidents/{incident_id}/notices",
                         json={"lang": "ko", "title": "가" * TITLE_MAX_CHARS,
                               "body": "죄송합니다."})
    assert answer.json().get("details", {}).get("reason") != "notice_title_too_long"
