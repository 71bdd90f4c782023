"""The review queue pages through its held changes (TestClient): 50 a page, with links to the
next and the previous page that keep the chosen order, a page number that is not one shows the
first page and says so (never a 500), and each page is read from the database by LIMIT/OFFSET
(never all of them sliced). Before: the queue showed the first 50 of 67, with no way on."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())
HELD = 55


def _held_changes(factory: sessionmaker[Session], world: World, n: int) -> list[int]:
    """``n`` held changes, one on each of as many new listings of seller A."""
    found = []
    for i in range(n):
        product = catalog.register_product(SqlAlchemyUnitOfWork(factory), title=f"카메라 {i}",
                                           category="electronics/camera", actor="t",
                                           list_price=Money(199_000, "KRW"))
        listing = listings.create_listing(SqlAlchemyUnitOfWork(factory),
                                          seller_id=world.seller_a, product_id=product.id,
                                          price=Money(199_000, "KRW"), actor="t")
        listings.change_listing_status(SqlAlchemyUnitOfWork(factory), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        change = listings.propose_price_change(SqlAlchemyUnitOfWork(factory),
                                               listing_id=listing.id,
                                               new_price=Money(19_900, "KRW"),
                                               proposed_by="seller:seller_a", gate=GATE)
        assert change.status is PriceChangeStatus.HELD
        found.append(change.id)
    return found


def _cards(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card" id="change-(\d+)"', page)]


@pytest.fixture
def many(session_factory: sessionmaker[Session], world: World) -> list[int]:
    return _held_changes(session_factory, world, HELD)


def test_the_queue_pages_through_every_held_change_keeping_its_order(
        client: TestClient, many: list[int]) -> None:
    log_in(client, "reviewer")
    first = html.unescape(client.get("/ops/review?order=oldest").text)
    assert _cards(first) == many[:50]
    assert 'href="/ops/review?order=oldest&page=2" rel="next"' in first
    assert "1–50 / 55" in first
    second = html.unescape(client.get("/ops/review?order=oldest&page=2").text)
    assert _cards(second) == many[50:]
    assert "51–55 / 55" in second
    assert 'href="/ops/review?order=oldest" rel="prev"' in second
    assert 'rel="next"' not in second
    # a decision on the second page comes back to the second page
    assert 'name="page" value="2"' in second
    english = html.unescape(client.get("/ops/review?page=2&lang=en").text)
    assert len(_cards(english)) == HELD - 50 and "Page 2 of 2" in english


def test_a_page_number_that_is_not_one_shows_a_page_and_says_so(
        client: TestClient, many: list[int]) -> None:
    log_in(client, "reviewer")
    for asked, cards, said in (("0", 50, "첫 쪽을"), ("-3", 50, "첫 쪽을"), ("abc", 50, "첫 쪽을"),
                               ("1e9", 50, "첫 쪽을"), ("9" * 40, 50, "첫 쪽을"),
                               ("99", HELD - 50, "99쪽은 없습니다(모두 2쪽). 2쪽을")):
        answer = client.get(f"/ops/review?page={asked}")
        assert answer.status_code == 200, (asked, answer.text)
        page = html.unescape(answer.text)
        assert len(_cards(page)) == cards, asked
        problem = re.search(r'id="page-problem"[^>]*>([^<]*)<', page)
        assert problem and said in problem.group(1), (asked, problem)
    english = html.unescape(client.get("/ops/review?page=abc&lang=en").text)
    assert "is not a page number; showing the first page." in english
    assert 'id="page-problem"' not in client.get("/ops/review?page=2").text


def test_each_page_is_read_from_the_database_a_page_at_a_time(
        client: TestClient, session_factory: sessionmaker[Session], many: list[int]) -> None:
    log_in(client, "reviewer")
    conn = session_factory.kw["bind"]
    with statements(conn) as first:
        assert client.get("/ops/review").status_code == 200
    with statements(conn) as said:
        assert client.get("/ops/review?page=2").status_code == 200
    queue = [s for s in said if "FROM price_changes" in s and "LIMIT" in s
             and "ORDER BY" in s and "status" in s]
    assert queue and any("OFFSET" in s for s in queue), queue
    # the cards' listings, prices and the rest are read for the page at once: the second
    # page's 5 cards take as many reads as the first's 50 (test_page_reads_per_card)
    assert len(said) == len(first), (len(said), len(first))


def test_the_page_a_decision_emptied_shows_the_last_page_without_a_note(
        client: TestClient, many: list[int]) -> None:
    """Deciding the last card of the last page comes back to ``?page=N`` that is no more: the
    reviewer did nothing wrong, so no "there is no page N" note (a review's finding)."""
    log_in(client, "reviewer")
    page = html.unescape(client.get("/ops/review?page=3").text)  # 2 pages: 3 is one past
    assert len(_cards(page)) == HELD - 50
    assert 'id="page-problem"' not in page
