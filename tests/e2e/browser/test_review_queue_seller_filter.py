"""The review queue filtered by seller (``?seller=``, their id or their name as the cards show
it) and by listing (``?listing=``), over HTTP (TestClient): only their changes and their count,
paged within the filter, a decision comes back to the same filtered page, a value that filters
nothing known shows the whole queue and says why (never a 500), and the database does the
filtering (WHERE, LIMIT/OFFSET). Before: the queue could only be paged, all sellers mixed."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings
from sagwa.services.accounts import issue_api_token
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())
OF_A, OF_B = 52, 3


def _held_change(factory: sessionmaker[Session], seller_id: int, who: str, i: int) -> int:
    """A held change on a new listing of ``seller_id`` (proposed by ``who``)."""
    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(factory)

    product = catalog.register_product(uow(), title=f"렌즈 {who} {i}",
                                       category="electronics/camera", actor="t",
                                       list_price=Money(199_000, "KRW"))
    listing = listings.create_listing(uow(), seller_id=seller_id, product_id=product.id,
                                      price=Money(199_000, "KRW"), actor="t")
    listings.change_listing_status(uow(), listing_id=listing.id,
                                   trigger=ListingTrigger.PUBLISH, actor="t")
    change = listings.propose_price_change(uow(), listing_id=listing.id,
                                           new_price=Money(19_900, "KRW"),
                                           proposed_by=f"seller:{who}", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    return change.id


@pytest.fixture
def held(session_factory: sessionmaker[Session], world: World) -> dict[str, list[int]]:
    """Seller A's 52 held changes and seller B's 3, interleaved in time."""
    found: dict[str, list[int]] = {"a": [], "b": []}
    for i in range(OF_A):
        found["a"].append(_held_change(session_factory, world.seller_a, "seller_a", i))
        if i % 20 == 5:
            found["b"].append(_held_change(session_factory, world.seller_b, "seller_b", i))
    assert len(found["b"]) == OF_B
    return found


def _cards(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card" id="change-(\d+)"', page)]


def _total(page: str) -> int:
    found = re.search(r'<h1>[^<]*<small class="muted" data-total="(\d+)"', page)
    assert found, "no count in the heading"
    return int(found.group(1))


def _filter_problem(page: str) -> str | None:
    found = re.search(r'id="filter-problem"[^>]*>([^<]*)<', page)
    return found.group(1) if found else None


def test_a_seller_filter_shows_only_their_changes_and_their_count(
        client: TestClient, world: World, held: dict[str, list[int]]) -> None:
    log_in(client, "reviewer")
    whole = html.unescape(client.get("/ops/review?order=oldest").text)
    assert _total(whole) == OF_A + OF_B
    # the form lists the sellers with held changes, with their counts
    assert re.search(rf'<option value="{world.seller_a}"[^>]*>하늘디지털 \(가격 변경 {OF_A} · '
                     r'보류 상품 0\)</option>', whole)
    assert re.search(rf'<option value="{world.seller_b}"[^>]*>바다전자 \(가격 변경 {OF_B} · '
                     r'보류 상품 0\)</option>', whole)
    assert "모두 보기" not in whole
    for asked in (str(world.seller_b), "바다전자", " 바다전자 "):
        page = html.unescape(client.get("/ops/review", params={"seller": asked,
                                                                "order": "oldest"}).text)
        assert _cards(page) == held["b"], asked
        assert _total(page) == OF_B
        assert _filter_problem(page) is None
        assert re.search(rf'<option value="{world.seller_b}" selected', page)
        assert 'href="/ops/review?order=oldest" id="filter-clear"' in page  # 모두 보기
        assert "모두 보기" in page
        assert f'name="seller" value="{world.seller_b}"' in page  # kept through decisions
    english = html.unescape(client.get(f"/ops/review?seller={world.seller_b}&lang=en").text)
    assert len(_cards(english)) == OF_B and "Show all" in english


def test_a_listing_filter_shows_only_that_listings_change(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        held: dict[str, list[int]]) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        change = u.market.price_change(held["b"][1])
        assert change is not None
    log_in(client, "reviewer")
    page = html.unescape(client.get(f"/ops/review?listing={change.listing_id}").text)
    assert _cards(page) == [change.id] and _total(page) == 1
    assert f'name="listing" value="{change.listing_id}"' in page
    # with another seller's id, nothing: both conditions hold
    both = html.unescape(client.get(
        f"/ops/review?listing={change.listing_id}&seller={world.seller_a}").text)
    assert _cards(both) == [] and _total(both) == 0 and _filter_problem(both) is None


def test_paging_within_a_seller_filter_keeps_the_filter(
        client: TestClient, world: World, held: dict[str, list[int]]) -> None:
    a = world.seller_a
    log_in(client, "reviewer")
    first = html.unescape(client.get(f"/ops/review?order=oldest&seller={a}").text)
    assert _cards(first) == held["a"][:50]
    assert f'href="/ops/review?order=oldest&seller={a}&page=2" rel="next"' in first
    assert f"1–50 / {OF_A}" in first
    second = html.unescape(client.get(f"/ops/review?order=oldest&seller={a}&page=2").text)
    assert _cards(second) == held["a"][50:]
    assert f'href="/ops/review?order=oldest&seller={a}" rel="prev"' in second
    # switching the order keeps the filter
    assert f'href="/ops/review?seller={a}"' in second


def test_a_decision_returns_to_the_filtered_page(
        client: TestClient, world: World, held: dict[str, list[int]]) -> None:
    a = world.seller_a
    log_in(client, "reviewer")
    second = html.unescape(client.get(f"/ops/review?order=oldest&seller={a}&page=2").text)
    change_id = held["a"][50]
    decided = client.post(f"/ops/review/{change_id}/reject",
                          data={"reason": "할인율을 가격으로 입력", "order": "oldest", "page": "2",
                                "seller": str(a), "next": f"change-{held['a'][51]}",
                                "csrf_token": csrf_of(second)})
    assert decided.status_code == 303
    assert decided.headers["location"] == (
        f"/ops/review?order=oldest&seller={a}&page=2#change-{held['a'][51]}")
    # a refusal (no reason to reject) comes back on the filtered page, at the card
    refused = client.post(f"/ops/review/{held['a'][51]}/reject",
                          headers={"HX-Request": "true"},
                          data={"reason": "", "order": "oldest", "page": "2", "seller": str(a),
                                "csrf_token": csrf_of(second)})
    assert refused.status_code in (400, 409, 422)
    assert refused.headers["HX-Replace-Url"].startswith(
        f"/ops/review?order=oldest&seller={a}&page=2#")
    again = html.unescape(refused.text)
    assert _cards(again) == [held["a"][51]] and _total(again) == OF_A - 1
    listing = client.post(f"/ops/review/{held['a'][3]}/approve",
                          data={"reason": "판매자와 통화해 확인함", "listing": "12",
                                "seller": "x", "csrf_token": csrf_of(second)})
    assert listing.headers["location"] == "/ops/review?listing=12"  # a bad value is left out


#: filters that filter nothing known, and what the page says of each (one queue built for all:
#: 55 held changes take some 1.7 s to make)
NOT_ONE = [
    ("seller=abc", "‘abc’"), ("seller=-1", "‘-1’"), ("seller=0", "‘0’"),
    ("seller=987654", "#987654"), ("seller=" + "9" * 40, "판매자"),
    ("listing=x", "‘x’"), ("listing=-2", "‘-2’"), ("listing=987654", "#987654"),
]


def test_a_filter_that_is_not_one_shows_the_whole_queue_and_says_why(
        client: TestClient, held: dict[str, list[int]]) -> None:
    log_in(client, "reviewer")
    for query, said in NOT_ONE:
        answer = client.get(f"/ops/review?order=oldest&{query}&lang=ko")  # the cookie: en below
        assert answer.status_code == 200, (query, answer.text)
        page = html.unescape(answer.text)
        assert _total(page) == OF_A + OF_B and len(_cards(page)) == 50, query
        problem = _filter_problem(page)
        assert problem and said in problem and "모두 보여 줍니다" in problem, (query, problem)
        assert 'name="seller" value=' not in page and 'name="listing" value=' not in page, query
        english = html.unescape(client.get(f"/ops/review?{query}&lang=en").text)
        assert "showing the whole queue" in (_filter_problem(english) or ""), query


def test_the_database_filters_the_queue_by_seller(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        held: dict[str, list[int]]) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        rows = u.market.changes_with_status(PriceChangeStatus.HELD, limit=500,
                                            seller_id=world.seller_b)
        assert sorted(r.id for r in rows) == held["b"]
        assert u.market.count_changes_with_status(PriceChangeStatus.HELD,
                                                  seller_id=world.seller_b) == OF_B
        one = u.market.changes_with_status(PriceChangeStatus.HELD, limit=500,
                                           listing_id=rows[0].listing_id)
        assert [r.id for r in one] == [rows[0].id]
    log_in(client, "reviewer")
    conn = session_factory.kw["bind"]
    with statements(conn) as said:
        assert client.get(f"/ops/review?seller={world.seller_b}").status_code == 200
    # the seller is a WHERE condition of the page's read (LIMIT) and of its count
    reads = [s for s in said if "FROM price_changes" in s
             and re.search(r"listings\.seller_id = %\(", s)]
    assert any("LIMIT" in s and "ORDER BY" in s for s in reads), said
    assert any("count(" in s and "LIMIT" not in s for s in reads), said


def test_the_queue_api_takes_the_same_filters(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        held: dict[str, list[int]]) -> None:
    token = issue_api_token(SqlAlchemyUnitOfWork(session_factory), username="reviewer",
                            name="queue", actor="test")
    auth = {"Authorization": f"Bearer {token}"}
    whole = client.get("/api/review/price-changes?limit=500", headers=auth).json()
    assert len(whole) == OF_A + OF_B
    theirs = client.get(f"/api/review/price-changes?limit=500&seller={world.seller_b}",
                        headers=auth).json()
    assert [e["change"]["id"] for e in theirs] == held["b"]
    assert theirs[0].keys() == whole[0].keys()
    listing_id = theirs[0]["listing"]["id"]
    one = client.get(f"/api/review/price-changes?listing={listing_id}", headers=auth).json()
    assert [e["change"]["id"] for e in one] == [held["b"][0]]
