"""The seller's price history says a superseded proposal in the page's language, not the
service's English note (TestClient)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from test_pages_access import log_in
from world import World

from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def test_a_superseded_proposal_reads_in_korean(client: TestClient, world: World,
                                               session_factory: sessionmaker[Session]) -> None:
    gate = guard_gate(load_rules())
    for price in (19_900, 18_900):  # two held proposals: the second supersedes the first
        listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                      listing_id=world.ipod_a, new_price=Money(price, "KRW"),
                                      proposed_by="seller:seller_a", gate=gate)
    log_in(client, "seller_a")
    korean = client.get(f"/seller/listings/{world.ipod_a}").text
    assert "으로 대체되어 검토 대기에서 빠졌습니다." in korean
    assert "superseded by price change" not in korean
    english = client.get(f"/seller/listings/{world.ipod_a}?lang=en").text
    assert "Taken out of review: your later proposal" in english


def test_the_public_home_page_counts_the_catalogue_in_words_not_table_names(
        client: TestClient) -> None:
    page = client.get("/").text
    table = page[page.index("<table>"):page.index("</table>")]
    assert "판매자 · sellers" in table and "상품 · products" in table
    for hidden in ("customers", "orders", "price_changes"):  # not for anyone passing by
        assert hidden not in table
