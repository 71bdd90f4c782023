"""A customer's live case page names a book's discount as the messages did: its options, the
confirm step and the choice on record say "정가에서 10% 할인된 가격으로 구매" (a book sold at its
list price) or "판매가에서 …" (sold below it), never "정상가" (a legal review: it misstates a
book's reference price under the fixed book price law)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from book_cases import DISCOUNT, book_discount_offered
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.config import Settings
from sagwa.services.case_links import case_token

pytestmark = pytest.mark.e2e


def _page(client: TestClient, secret: str, case_id: int, customer_id: int,
          path: str = "") -> str:
    token = case_token(secret, case_id=case_id, customer_id=customer_id,
                       expires_at=datetime.now(UTC) + timedelta(days=3))
    answer = client.get(f"/c/{token}{path}")
    assert answer.status_code == 200, answer.text[:500]
    return html.unescape(answer.text)


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_the_options_and_the_confirm_step_name_a_books_discount_by_its_word(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, correct: int, word: str) -> None:
    secret = page_settings.secret_key
    case_id, customer = book_discount_offered(session_factory, secret, world, correct,
                                              choose=False)
    options = _page(client, secret, case_id, customer, "?lang=ko")
    assert f"{word}에서 10% 할인된" in options
    assert "정상가" not in options
    confirm = _page(client, secret, case_id, customer, f"/confirm?choice={DISCOUNT}&lang=ko")
    assert f"{word}에서 10% 할인된 가격으로 구매" in confirm
    assert "정상가" not in confirm


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_the_choice_on_record_names_a_books_discount_by_its_word(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, correct: int, word: str) -> None:
    secret = page_settings.secret_key
    case_id, customer = book_discount_offered(session_factory, secret, world, correct)
    said = _page(client, secret, case_id, customer, "?lang=ko")
    assert f"{word}에서 10% 할인된 가격으로 구매" in said
    assert "정상가" not in said
