"""The seller's price history says who proposed each change — the seller themself or a
marketplace operator, never a staff member's name (the seller's pages speak of "an operator") —
and a change a newer proposal replaced says which proposal and whose, instead of repeating its
status ("더 새 제안으로 대체되었습니다." beside "새 제안으로 대체됨"). TestClient."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())


def _propose(session_factory: sessionmaker[Session], listing_id: int, price: int,
             by: str) -> int:
    return listings.propose_price_change(SqlAlchemyUnitOfWork(session_factory),
                                         listing_id=listing_id, new_price=Money(price, "KRW"),
                                         proposed_by=by, gate=GATE).id


def _row(page: str, change_id: int) -> str:
    found = re.search(rf'<tr[^>]*><td[^>]*id="change-{change_id}">(.*?)</tr>', page, re.DOTALL)
    assert found, f"no row for change {change_id}"
    return " ".join(html.unescape(found.group(1)).split())


def _proposer(row: str) -> str:
    found = re.search(r"<td [^>]*data-proposer>([^<]*)</td>", row)
    assert found, row
    return found.group(1)


def test_an_operators_change_that_replaced_the_sellers_says_an_operator_proposed_it(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    mine = _propose(session_factory, world.ipod_a, 19_900, "seller:seller_a")
    theirs = _propose(session_factory, world.ipod_a, 18_900, "api:admin")
    log_in(client, "seller_a")
    korean = client.get(f"/seller/listings/{world.ipod_a}?lang=ko").text
    assert "<th>제안한 사람</th>" in korean
    assert _proposer(_row(korean, mine)) == "판매자(본인)"
    assert _proposer(_row(korean, theirs)) == "운영자"
    assert (f"운영자가 나중에 제안한 가격(#{theirs}, 18,900원)으로 대체되어 검토 대기에서 "
            "빠졌습니다.") in _row(korean, mine)
    assert "더 새 제안으로 대체되었습니다." not in korean
    english = client.get(f"/seller/listings/{world.ipod_a}?lang=en").text
    assert "<th>Proposed by</th>" in english
    assert _proposer(_row(english, mine)) == "You (the seller)"
    assert _proposer(_row(english, theirs)) == "A marketplace operator"
    assert (f"Taken out of review: a marketplace operator's later proposal (#{theirs}, "
            "18,900 KRW) replaced it.") in _row(english, mine)
    for page in (korean, english):  # the staff account's name stays out of the seller's page
        table = page[page.index('<table id="changes"'):]
        assert "admin" not in table


def test_a_change_the_seller_replaced_themself_says_their_later_proposal_replaced_it(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    first = _propose(session_factory, world.ipod_a, 19_900, "seller:seller_a")
    second = _propose(session_factory, world.ipod_a, 18_900, "seller:seller_a")
    log_in(client, "seller_a")
    korean = _row(client.get(f"/seller/listings/{world.ipod_a}?lang=ko").text, first)
    assert f"나중에 제안한 가격(#{second}, 18,900원)으로 대체되어 검토 대기에서 빠졌습니다." in korean
    assert "운영자" not in korean
    english = _row(client.get(f"/seller/listings/{world.ipod_a}?lang=en").text, first)
    assert f"Taken out of review: your later proposal (#{second}, 18,900 KRW) replaced it." \
        in english
