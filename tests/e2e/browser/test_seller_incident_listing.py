"""A seller's listing paused in a declared incident says what the incident is about (its wrong
and correct prices, that the platform is apologising to the customers), and says before the
click why the sale cannot resume at the wrong price, with the button disabled. A walkthrough
found the page still giving the tripwire's statistics and offering a resume that could only
fail."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.services import listings
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _resume_button(page: str) -> str:
    found = re.search(r'<button type="submit" id="sale-action"[^>]*>', page)
    assert found, "no sale button"
    return found.group(0)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_listing_in_a_declared_incident_says_so_and_why_it_cannot_resume(
        client: TestClient, world: World, lang: str,
        session_factory: sessionmaker[Session]) -> None:
    log_in(client, "seller_b")
    url = f"/seller/listings/{world.macbook_b}?lang={lang}"
    page = html.unescape(client.get(url).text)
    incidents = page.split('id="listing-incidents"')[1].split("</ul>")[0]
    if lang == "ko":
        assert f"가격 오류 사고 #{world.incident}" in incidents
        assert "잘못된 가격 159,000원, 올바른 가격 1,590,000원" in incidents
    else:
        assert f"Pricing incident #{world.incident}" in incidents
        assert "wrong price 159,000 KRW, correct price 1,590,000 KRW" in incidents
    refused = page.split('id="resume-refused">')[1].split("</p>")[0]
    assert f"#{world.incident}" in refused
    said = {"ko": "지금 가격이 사고 #{n}의 잘못된 가격(159,000원)입니다. 가격을 바로잡은 뒤 판매를 재개해 주세요.",
            "en": "The listing's price is the wrong price of incident #{n} (159,000 KRW); correct "
                  "the price before putting it back on sale."}[lang]
    assert refused == said.format(n=world.incident), refused  # in the page's language
    assert "disabled" in _resume_button(page)

    # the correct price (the guard would hold a tenfold rise for a reviewer: applied here)
    listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                  listing_id=world.macbook_b, new_price=Money(1_590_000, "KRW"),
                                  proposed_by="seller:bada")
    after = client.get(url).text
    assert 'id="resume-refused"' not in after
    assert "disabled" not in _resume_button(after)
