"""The review queue's second list, the listings the price guard held at publication, over HTTP
(TestClient): 50 a page with its own page (``?held_page=``) and links that keep the order, the
filter and the held changes' page; a page number that is not one shows a page and says so, as
the held changes' does; the seller and listing filter applies to it and to its count, in the
database; a decision on a held listing comes back to the same page and filter; the JSON list
takes the same filter. Before: it showed the first 50 (by risk, read all and sorted) whatever
the filter, with no way on."""

from __future__ import annotations

import html
import re
from functools import partial

import pytest
from fastapi.testclient import TestClient
from page_forms import csrf_of, log_in
from sqlalchemy.orm import Session, sessionmaker
from test_review_queue_seller_filter import _held_change
from world import World

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.priceguard import load_rules
from sagwa.services import catalog, listings
from sagwa.services.accounts import issue_api_token
from sagwa.services.listing_holds import risk_order_key
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())
OF_A, OF_B = 52, 3
REASON = "판매자와 통화해 첫 가격을 확인함"


def _held_listing(factory: sessionmaker[Session], seller_id: int, i: int,
                  price: int = 19_900) -> int:
    """A new listing of ``seller_id`` (list price 199,000 KRW) published at ``price``: the
    guard holds it (at 1 KRW, a penny price, with a higher score)."""
    uow = partial(SqlAlchemyUnitOfWork, factory)
    product = catalog.register_product(uow(), title=f"보류 렌즈 {seller_id}-{i}",
                                       category="electronics/camera", actor="t",
                                       list_price=Money(199_000, "KRW"))
    draft = listings.create_listing(uow(), seller_id=seller_id, product_id=product.id,
                                    price=Money(price, "KRW"), actor="t")
    held = listings.change_listing_status(uow(), listing_id=draft.id,
                                          trigger=ListingTrigger.PUBLISH, actor="t", gate=GATE)
    assert held.status is ListingStatus.HELD
    return draft.id


@pytest.fixture
def held(session_factory: sessionmaker[Session], world: World) -> dict[str, list[int]]:
    """Seller A's 52 held listings (four of them at a penny: the riskiest) and seller B's 3,
    interleaved in time; ``all`` in the order they were held."""
    found: dict[str, list[int]] = {"a": [], "b": [], "all": [], "penny": []}
    for i in range(OF_A):
        penny = i % 13 == 7
        found["a"].append(_held_listing(session_factory, world.seller_a, i,
                                        1 if penny else 19_900))
        found["all"].append(found["a"][-1])
        if penny:
            found["penny"].append(found["a"][-1])
        if i % 20 == 5:
            found["b"].append(_held_listing(session_factory, world.seller_b, i))
            found["all"].append(found["b"][-1])
    assert len(found["b"]) == OF_B and len(found["penny"]) == 4
    return found


@pytest.fixture
def few(session_factory: sessionmaker[Session], world: World) -> dict[str, list[int]]:
    """Seller A's 2 held listings (the second at a penny) and seller B's 1."""
    return {"a": [_held_listing(session_factory, world.seller_a, 0),
                  _held_listing(session_factory, world.seller_a, 1, 1)],
            "b": [_held_listing(session_factory, world.seller_b, 2)]}


def _riskiest_first(factory: sessionmaker[Session], ids: list[int]) -> list[int]:
    """``ids`` in the "riskiest first" order (``risk_order_key`` of each one's hold)."""
    keys = {}
    with SqlAlchemyUnitOfWork(factory) as u:
        for i in ids:
            hold = listings.publication_hold(u, i)
            assert hold is not None
            keys[i] = risk_order_key(hold.score, hold.held_at, i)
    return sorted(ids, key=keys.__getitem__)


def _get(client: TestClient, address: str) -> str:
    answer = client.get(address)
    assert answer.status_code == 200, (address, answer.text)
    return html.unescape(answer.text)


def _held_cards(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card" id="listing-(\d+)"', page)]


def _held_heading(page: str) -> tuple[int, str]:
    """The held listings' count in their heading, and what the heading says in brackets."""
    found = re.search(r'id="held-listings">\s*<h2>[^<]*<small class="muted" '
                      r'data-total="(\d+)">\(([^)]*)\)', page)
    assert found, "no count in the held listings' heading"
    return int(found.group(1)), found.group(2)


def _held_pages(page: str) -> str:
    found = re.search(r'<nav class="pager small" id="held-pages".*?</nav>', page, re.DOTALL)
    return found.group(0) if found else ""


def _held_page_problem(page: str) -> str | None:
    found = re.search(r'id="held-page-problem"[^>]*>([^<]*)<', page)
    return found.group(1) if found else None


def test_the_held_listings_show_fifty_a_page_in_the_order_chosen(
        client: TestClient, session_factory: sessionmaker[Session],
        held: dict[str, list[int]]) -> None:
    log_in(client, "reviewer")
    everyone = held["all"]
    first = _get(client, "/ops/review?order=oldest")
    assert _held_cards(first) == everyone[:50]
    assert _held_heading(first) == (OF_A + OF_B, str(OF_A + OF_B))
    pages = _held_pages(first)
    assert 'href="/ops/review?order=oldest&held_page=2#held-listings" rel="next"' in pages
    assert "1–50 / 55" in pages and 'rel="prev"' not in pages
    second = _get(client, "/ops/review?order=oldest&held_page=2")
    assert _held_cards(second) == everyone[50:]
    pages = _held_pages(second)
    assert 'href="/ops/review?order=oldest#held-listings" rel="prev"' in pages
    assert "51–55 / 55" in pages and 'rel="next"' not in pages
    assert 'name="held_page" value="2"' in second  # its decisions come back to this page
    # the riskiest first (the default): the penny prices, then the longest waiting
    riskiest = _riskiest_first(session_factory, everyone)
    assert riskiest[:4] == held["penny"]
    assert _held_cards(_get(client, "/ops/review")) == riskiest[:50]
    assert _held_cards(_get(client, "/ops/review?held_page=2")) == riskiest[50:]
    english = _get(client, "/ops/review?held_page=2&lang=en")
    assert "Page 2 of 2" in _held_pages(english) and "Previous page" in _held_pages(english)


def test_the_seller_and_listing_filter_applies_to_the_held_listings_and_their_count(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        held: dict[str, list[int]]) -> None:
    a, b = world.seller_a, world.seller_b
    log_in(client, "reviewer")
    theirs = _get(client, f"/ops/review?seller={b}")
    assert _held_cards(theirs) == held["b"]
    assert _held_heading(theirs) == (OF_B, f"{OF_B} / 모두 {OF_A + OF_B}")
    assert _held_pages(theirs) == ""
    assert "가격 변경과 아래 게시할 때 보류된 상품 모두" in theirs
    first = _get(client, f"/ops/review?order=oldest&seller={a}")
    assert _held_cards(first) == held["a"][:50] and _held_heading(first)[0] == OF_A
    assert (f'href="/ops/review?order=oldest&seller={a}&held_page=2#held-listings" rel="next"'
            in _held_pages(first))
    second = _get(client, f"/ops/review?order=oldest&seller={a}&held_page=2")
    assert _held_cards(second) == held["a"][50:]
    assert (f'href="/ops/review?order=oldest&seller={a}#held-listings" rel="prev"'
            in _held_pages(second))
    assert f"51–{OF_A} / {OF_A}" in _held_pages(second)
    riskiest = _get(client, f"/ops/review?seller={a}")  # sorted among seller A's only
    assert _held_cards(riskiest) == _riskiest_first(session_factory, held["a"])[:50]
    one = _get(client, f"/ops/review?listing={held['b'][1]}")
    assert _held_cards(one) == [held["b"][1]] and _held_heading(one)[0] == 1
    none = _get(client, f"/ops/review?listing={held['b'][1]}&seller={a}")
    assert _held_cards(none) == [] and _held_heading(none)[0] == 0
    assert "고른 판매자·상품에는 보류된 상품이 없습니다." in none
    english = _get(client, f"/ops/review?listing={held['b'][1]}&seller={a}&lang=en")
    assert "No listings of this seller or listing are held." in english


def test_a_seller_with_only_held_listings_can_be_chosen_in_the_filter(
        client: TestClient, world: World, few: dict[str, list[int]]) -> None:
    """The filter's list names the sellers with held listings too, with both counts (before:
    only sellers with held price changes, so these could be filtered by ``?seller=ID`` only)."""
    log_in(client, "reviewer")
    whole = _get(client, "/ops/review")
    assert "모든 판매자 (가격 변경 0 · 보류 상품 3)" in whole
    for seller, name, n in ((world.seller_a, "하늘디지털", 2), (world.seller_b, "바다전자", 1)):
        assert re.search(rf'<option value="{seller}">{name} \(가격 변경 0 · 보류 상품 {n}\)</option>',
                         whole), name
    by_name = _get(client, "/ops/review?seller=바다전자")
    assert _held_cards(by_name) == few["b"] and "filter-problem" not in by_name
    assert re.search(rf'<option value="{world.seller_b}" selected>', by_name)
    english = _get(client, "/ops/review?lang=en")
    assert "All sellers (0 price changes · 3 held listings)" in english
    assert "바다전자 (0 price changes · 1 held listing)" in english


def test_a_held_page_number_that_is_not_one_shows_a_page_and_says_so(
        client: TestClient, held: dict[str, list[int]]) -> None:
    log_in(client, "reviewer")
    for asked, cards, said in (("0", 50, "첫 쪽을"), ("-3", 50, "첫 쪽을"), ("abc", 50, "첫 쪽을"),
                               ("1e9", 50, "첫 쪽을"), ("9" * 40, 50, "첫 쪽을"),
                               ("99", 5, "99쪽은 없습니다(모두 2쪽). 2쪽을")):
        page = _get(client, f"/ops/review?order=oldest&held_page={asked}")
        assert len(_held_cards(page)) == cards, asked
        problem = _held_page_problem(page)
        assert problem and said in problem and "게시할 때 보류된 상품" in problem, (asked, problem)
        assert 'id="page-problem"' not in page, asked  # the held changes' page is fine
    # the page a decision just emptied: the last one, without a note
    emptied = _get(client, "/ops/review?held_page=3")
    assert len(_held_cards(emptied)) == 5 and _held_page_problem(emptied) is None
    english = _get(client, "/ops/review?held_page=abc&lang=en")
    assert "is not a page number; showing the first page." in (_held_page_problem(english) or "")


def test_a_decision_on_a_held_listing_returns_to_the_same_page_and_filter(
        client: TestClient, world: World, held: dict[str, list[int]]) -> None:
    a, mine = world.seller_a, held["a"]
    log_in(client, "reviewer")
    second = _get(client, f"/ops/review?order=oldest&seller={a}&held_page=2")
    assert _held_cards(second) == mine[50:]
    assert 'name="held_page" value="2"' in second
    place = {"order": "oldest", "seller": str(a), "held_page": "2", "csrf_token": csrf_of(second)}
    released = client.post(f"/ops/review/listings/{mine[50]}/release",
                           data={**place, "reason": REASON, "next": f"listing-{mine[51]}"})
    assert released.status_code == 303, released.text
    assert released.headers["location"] == (
        f"/ops/review?order=oldest&seller={a}&held_page=2#listing-{mine[51]}")
    # a refused send-back (no reason) comes back on the same page, at its card
    refused = client.post(f"/ops/review/listings/{mine[51]}/send-back",
                          headers={"HX-Request": "true"}, data={**place, "reason": ""})
    assert refused.status_code in (400, 409, 422)
    assert refused.headers["HX-Replace-Url"] == (
        f"/ops/review?order=oldest&seller={a}&held_page=2#listing-{mine[51]}")
    again = html.unescape(refused.text)
    assert _held_cards(again) == [mine[51]] and _held_heading(again)[0] == OF_A - 1
    # both lists' pages are carried back (a page of held changes past the end is kept as sent:
    # the queue shows its last page)
    sent_back = client.post(f"/ops/review/listings/{mine[51]}/send-back",
                            data={**place, "page": "2", "reason": "정가의 10분의 1입니다"})
    assert sent_back.headers["location"] == (
        f"/ops/review?order=oldest&seller={a}&page=2&held_page=2")
    bad = client.post(f"/ops/review/listings/{mine[0]}/release",
                      data={**place, "held_page": "x", "reason": REASON})
    assert bad.headers["location"] == f"/ops/review?order=oldest&seller={a}"


def test_each_lists_pages_keep_the_other_lists_page(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        held: dict[str, list[int]]) -> None:
    changes = [_held_change(session_factory, world.seller_a, "seller_a", i) for i in range(51)]
    log_in(client, "reviewer")
    page = _get(client, "/ops/review?order=oldest&page=2&held_page=2")
    assert re.findall(r'<article class="card" id="change-(\d+)"', page) == [str(changes[50])]
    assert _held_cards(page) == held["all"][50:]
    assert 'href="/ops/review?order=oldest&held_page=2" rel="prev"' in page  # the changes'
    assert 'href="/ops/review?order=oldest&page=2#held-listings" rel="prev"' in _held_pages(page)
    assert page.count('name="held_page" value="2"') == page.count('name="page" value="2"') > 1
    first = _get(client, "/ops/review?order=oldest&held_page=2")
    assert 'href="/ops/review?order=oldest&page=2&held_page=2" rel="next"' in first


def test_the_database_filters_and_counts_the_held_listings(
        client: TestClient, session_factory: sessionmaker[Session], world: World,
        few: dict[str, list[int]]) -> None:
    with SqlAlchemyUnitOfWork(session_factory) as u:
        held = ListingStatus.HELD
        assert [x.id for x in u.market.listings_with_status(held, limit=9,
                                                            seller_id=world.seller_a)] == few["a"]
        assert u.market.count_listings_with_status(held, seller_id=world.seller_a) == 2
        assert [x.id for x in u.market.listings_with_status(
            held, limit=9, listing_id=few["b"][0])] == few["b"]
        assert u.market.count_listings_with_status(held, seller_id=world.seller_b,
                                                   listing_id=few["a"][0]) == 0
    assert [h.listing.id for h in listings.held_listings(
        SqlAlchemyUnitOfWork(session_factory), riskiest_first=True,
        seller_id=world.seller_a)] == few["a"][::-1]  # the penny price first
    log_in(client, "reviewer")
    conn = session_factory.kw["bind"]
    for order in ("risk", "oldest"):
        with statements(conn) as said:
            assert client.get(f"/ops/review?order={order}&seller={world.seller_b}"
                              ).status_code == 200
        # the seller is a WHERE condition of the held listings' read and of their count
        reads = [s for s in said if "FROM listings" in s and "listings.status = %(" in s
                 and re.search(r"listings\.seller_id = %\(", s)]
        assert any("LIMIT" in s and "ORDER BY" in s for s in reads), (order, said)
        assert any("count(" in s and "LIMIT" not in s for s in reads), (order, said)


@pytest.fixture
def auth(session_factory: sessionmaker[Session]) -> dict[str, str]:
    """The reviewer's API token, as the header that sends it."""
    token = issue_api_token(SqlAlchemyUnitOfWork(session_factory), username="reviewer",
                            name="held", actor="test")
    return {"Authorization": f"Bearer {token}"}


def test_the_held_listings_api_takes_the_same_filters(
        client: TestClient, world: World, few: dict[str, list[int]],
        auth: dict[str, str]) -> None:
    whole = client.get("/api/review/listings", headers=auth).json()
    assert [e["listing"]["id"] for e in whole] == few["a"] + few["b"]
    theirs = client.get(f"/api/review/listings?seller={world.seller_a}", headers=auth).json()
    assert [e["listing"]["id"] for e in theirs] == few["a"]
    assert theirs[0].keys() == whole[0].keys()
    risky = client.get(f"/api/review/listings?seller={world.seller_a}&order=risk&offset=1",
                       headers=auth).json()
    assert [e["listing"]["id"] for e in risky] == few["a"][:1]
    one = client.get(f"/api/review/listings?listing={few['b'][0]}", headers=auth).json()
    assert [e["listing"]["id"] for e in one] == few["b"]
    assert client.get("/api/review/listings?seller=0", headers=auth).status_code == 422
