"""An expired link of a customer who took the discount names what they chose as they were told
it: for a book under the fixed book price law, "정가에서 10% 할인된 가격으로 구매" (sold at its
list price) or "판매가에서 …" (sold below it) — never "정상가", which misstates a book's
reference price — and "정상가에서 …" for anything else."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from book_cases import book_discount_offered
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.services.case_links import case_token

pytestmark = pytest.mark.e2e


def _recorded(client: TestClient, secret: str, case_id: int, customer_id: int,
              lang: str) -> str:
    """The expired link's page in ``lang``: its section on the choice on record."""
    token = case_token(secret, case_id=case_id, customer_id=customer_id,
                       expires_at=datetime.now(UTC) - timedelta(minutes=1))
    answer = client.get(f"/c/{token}?lang={lang}")
    assert answer.status_code == 403 and 'id="recorded-choice"' in answer.text
    return html.unescape(answer.text.split('id="recorded-choice"')[1].split("</section>")[0])


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_an_expired_link_names_a_books_discount_by_its_word(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, correct: int, word: str) -> None:
    case_id, customer = book_discount_offered(session_factory, page_settings.secret_key, world,
                                             correct)
    said = _recorded(client, page_settings.secret_key, case_id, customer, "ko")
    assert f"{word}에서 10% 할인된 가격으로 구매" in said
    assert "차액" in said  # what happens next: the difference to pay
    assert "정상가" not in said
    english = _recorded(client, page_settings.secret_key, case_id, customer, "en")
    assert "Buy at 10% off the correct price" in english


def test_an_expired_link_names_another_products_discount_by_its_regular_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))  # seller A's earphones
    said = _recorded(client, page_settings.secret_key, case.case_id,
                     world.customers["김민준"], "ko")
    assert "정상가에서 20% 할인된 가격으로 구매" in said
