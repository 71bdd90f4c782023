"""The seller's incident page says what their customer chose when it holds an order for the
difference, and when it sends one whose difference was paid, as the customer was told it:
"정가에서 할인된 가격" for a book under the fixed book price law sold at its 정가 ("정상가"
misstates a book's reference price), "정상가에서 할인된 가격" for anything else."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from book_cases import book_discount_offered
from customer_cases import discount_chosen
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import POLICY, World

from sagwa.config import Settings
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e


def _book_discount_taken(session_factory: sessionmaker[Session], secret: str,
                         world: World) -> tuple[int, int]:
    """Seller B's book sold at its 정가 (15,000원), its discount taken
    (:func:`book_cases.book_discount_offered`): the incident's and the case's ids."""
    case_id, _ = book_discount_offered(session_factory, secret, world, 15_000)
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        case = require(uow.cases.get(case_id), "case", case_id).case
    return int(case.incident_id), case_id


def _held_for_the_difference(client: TestClient, incident_id: int) -> str:
    page = html.unescape(client.get(f"/seller/incidents/{incident_id}?lang=ko").text)
    return page.split('<li data-instruction="hold_difference">')[1].split("</li>")[0]


def test_a_books_order_held_for_the_difference_names_its_list_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    incident, case_id = _book_discount_taken(session_factory, page_settings.secret_key, world)
    log_in(client, "seller_b")
    said = _held_for_the_difference(client, incident)
    assert "고객이 정가에서 할인된 가격으로 사기로 했고 차액을 아직 내지 않았습니다." in said
    assert "정상가" not in said
    english = html.unescape(client.get(f"/seller/incidents/{incident}?lang=en").text)
    assert "the customer chose the discounted correct price" in english
    record_difference_paid(SqlAlchemyUnitOfWork(session_factory), case_id=case_id,
                           actor="agent:park", note="transfer", policy=POLICY)
    page = html.unescape(client.get(f"/seller/incidents/{incident}?lang=ko").text)
    sent = page.split('id="seller-orders"')[1]
    assert 'data-reason="discount_paid">정가에서 할인된 가격으로 사고 차액을 냈습니다' in sent
    assert "정상가" not in page


def test_another_products_order_held_for_the_difference_names_its_regular_price(
        client: TestClient, world: World, session_factory: sessionmaker[Session],
        page_settings: Settings) -> None:
    case = discount_chosen(session_factory, page_settings.secret_key, world,
                           chosen_ago=timedelta(hours=1))  # seller A's earphones
    log_in(client, "seller_a")
    said = _held_for_the_difference(client, case.incident_id)
    assert "고객이 정상가에서 할인된 가격으로 사기로 했고 차액을 아직 내지 않았습니다." in said
    record_difference_paid(SqlAlchemyUnitOfWork(session_factory), case_id=case.case_id,
                           actor="agent:park", note="transfer", policy=POLICY)
    page = html.unescape(client.get(f"/seller/incidents/{case.incident_id}?lang=ko").text)
    assert 'data-reason="discount_paid">정상가에서 할인된 가격으로 사고 차액을 냈습니다' in page
