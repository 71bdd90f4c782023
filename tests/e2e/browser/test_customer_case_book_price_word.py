"""A book's discount is named as the messages named it — on the customer's live case page (the
options, the confirm step, the choice on record), the agent's script and card, and the public
notice's draft: "정가에서 10% 할인된 가격으로 구매" (a book sold at its list price) or "판매가에서 …"
(sold below it), never "정상가" (a legal review: it misstates a book's reference price under the
fixed book price law)."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest
from book_cases import DISCOUNT, book_discount_offered
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services.case_links import case_token
from sagwa.services.lookups import require
from sagwa.services.notices import draft_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

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


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_the_agents_script_and_card_name_a_books_discount_by_its_word(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, correct: int, word: str) -> None:
    """What the agent reads to a book customer who still owes the difference, and the choice
    on their card, in Korean (the customer's language) and on the Korean page."""
    case_id, _ = book_discount_offered(session_factory, page_settings.secret_key, world, correct)
    log_in(client, "agent")
    for lang in ("en", "ko"):
        page = html.unescape(client.get(f"/cs/cases/{case_id}?lang={lang}").text)
        assert f"‘{word}에서 10% 할인된 가격으로 구매’" in page
        assert "결제만 남았습니다" in page  # the script: only the difference is left
        assert "정상가" not in page


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_the_public_notice_draft_names_a_books_discount_by_its_word(
        world: World, session_factory: sessionmaker[Session], page_settings: Settings,
        correct: int, word: str) -> None:
    case_id, _ = book_discount_offered(session_factory, page_settings.secret_key, world,
                                       correct, choose=False)
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        incident_id = int(require(uow.cases.get(case_id), "case", case_id).case.incident_id)
    _, body = draft_notice(SqlAlchemyUnitOfWork(session_factory), incident_id=incident_id,
                           lang="ko", policy=POLICY)
    assert f"{word}에서 10% 할인된 가격으로 구매" in body
    assert "정상가" not in body


@pytest.mark.parametrize(("correct", "word"), [(15_000, "정가"), (13_500, "판매가")])
def test_the_operators_incident_page_names_a_books_discount_by_its_word(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings, correct: int, word: str) -> None:
    case_id, _ = book_discount_offered(session_factory, page_settings.secret_key, world,
                                       correct, choose=False)
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        incident_id = int(require(uow.cases.get(case_id), "case", case_id).case.incident_id)
    log_in(client, "admin")
    page = html.unescape(client.get(f"/ops/incidents/{incident_id}?lang=ko").text)
    assert f"{word} 할인율 (%)" in page  # the plan form's discount
    assert f"({word} − 결제가) × 주문 수량" in page  # the case table's exposure, explained
    assert "정상가" not in page
    # anything else keeps 정상가
    regular = html.unescape(client.get(f"/ops/incidents/{world.incident}?lang=ko").text)
    assert "정상가 할인율 (%)" in regular
