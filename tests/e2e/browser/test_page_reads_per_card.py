"""The staff pages read the database a fixed number of times however many cards they show: the
review queue's held changes (its listings, products, sellers, recent prices, other sellers'
prices, moved prices, standing incidents and first sale read once for all the cards) and the
call queue's cases (the orders as placed read once for all). Before: about 11 reads a change
card and one more a call card, so the demo's 24 held changes took 269 reads (~100 ms). And the
incident status adds up the exposure still honoured from the orders as they stand."""

from __future__ import annotations

import re
from functools import partial

import pytest
from fastapi.testclient import TestClient
from page_forms import log_in
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from world import World

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk_cases, listings, price_review
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_status import incident_status
from sagwa.services.incident_prices import incident_at
from sagwa.services.price_review import guard_gate
from sagwa.services.review_card_reads import read_cards
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

pytestmark = pytest.mark.e2e
GATE = guard_gate(load_rules())


def _held_change(factory: sessionmaker[Session], seller_id: int, i: int) -> int:
    """A held change (199,000 -> 19,900 KRW) on a new listing of a new product, after one
    applied move (so the card has recent prices), beside another seller's live listing."""
    uow = partial(SqlAlchemyUnitOfWork, factory)
    product = catalog.register_product(uow(), title=f"카메라 {i}", category="electronics/camera",
                                       actor="t", list_price=Money(199_000, "KRW"))
    for seller in (seller_id, None):
        if seller is None:
            other = catalog.register_seller(uow(), code=f"other-{i}", name=f"다른 가게 {i}",
                                            actor="t")
            seller = other.id
        listing = listings.create_listing(uow(), seller_id=seller, product_id=product.id,
                                          price=Money(199_000, "KRW"), actor="t")
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        if seller == seller_id:
            own = listing.id
    listings.propose_price_change(uow(), listing_id=own, new_price=Money(189_000, "KRW"),
                                  proposed_by="seller:seller_a", gate=GATE)
    change = listings.propose_price_change(uow(), listing_id=own, new_price=Money(19_900, "KRW"),
                                           proposed_by="seller:seller_a", gate=GATE)
    assert change.status is PriceChangeStatus.HELD
    return change.id


def _reads(client: TestClient, factory: sessionmaker[Session], path: str) -> int:
    with statements(factory.kw["bind"]) as seen:
        answer = client.get(path)
    assert answer.status_code == 200, answer.text
    return len(seen)


def _cards(page: str) -> int:
    return len(re.findall(r'<article class="card" id="change-\d+"', page))


def test_the_review_queue_reads_as_often_for_eight_cards_as_for_two(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    for i in range(2):
        _held_change(session_factory, world.seller_a, i)
    log_in(client, "reviewer")
    assert _cards(client.get("/ops/review").text) == 2
    two = _reads(client, session_factory, "/ops/review")
    for i in range(2, 8):
        _held_change(session_factory, world.seller_a, i)
    assert _cards(client.get("/ops/review").text) == 8
    eight = _reads(client, session_factory, "/ops/review")
    assert eight == two, (two, eight)


def _call_cards(page: str) -> int:
    return len(re.findall(r'<article class="card[^"]*" id="case-\d+"', page))


def test_the_call_queue_reads_as_often_for_three_cases_as_for_one(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    log_in(client, "agent")
    assert _call_cards(client.get("/cs/queue").text) == 1  # the customer who asked for a call
    one = _reads(client, session_factory, "/cs/queue")
    desk_cases.escalate_unanswered(SqlAlchemyUnitOfWork(session_factory),
                                   incident_id=world.incident, actor="t")
    assert _call_cards(client.get("/cs/queue").text) == 3
    three = _reads(client, session_factory, "/cs/queue")
    assert three == one, (one, three)


def test_the_call_queue_reads_as_often_for_two_cases_past_their_deadline_as_for_one(
        client: TestClient, session_factory: sessionmaker[Session], world: World) -> None:
    """A case that took the default at the deadline is owed a call, and is not an escalated
    one: its card's case, orders and customer were read one by one (four reads a card: 106
    reads for a page of 20)."""
    def defaulted(name: str) -> None:  # as the deadline's job leaves it
        with session_factory() as session, session.begin():
            session.execute(text("UPDATE cases SET status = 'defaulted' WHERE id = :id"),
                            {"id": world.cases[name]})

    log_in(client, "agent")
    defaulted("김민준")
    cards = _call_cards(client.get("/cs/queue").text)
    one = _reads(client, session_factory, "/cs/queue")
    defaulted("Alex Kim")
    assert _call_cards(client.get("/cs/queue").text) == cards + 1
    two = _reads(client, session_factory, "/cs/queue")
    assert two == one, (one, two)


def test_a_page_of_cards_reads_what_each_card_read_alone(
        session_factory: sessionmaker[Session], world: World) -> None:
    """The page's reads (``read_cards``, ``review_queue``) against the one-listing reads they
    stand for: the same evidence, approval rule, moved price and standing incident."""
    for i in range(3):
        _held_change(session_factory, world.seller_a, i)
    uow = SqlAlchemyUnitOfWork(session_factory)
    items = price_review.review_queue(uow, limit=50)
    assert len(items) == 3
    with uow:
        reads = read_cards(uow, [item.listing for item in items])
        for item in items:
            change, listing = item.change, item.listing
            promo = Promotion(change.promotion_pct) if change.promotion_pct else None
            alone = price_review.gather_evidence(uow, listing, change.new_price, promo,
                                                 streak=False)
            assert reads.evidence(listing, change.new_price, promo) == alone
            assert len(alone.recent_prices_minor) == 2 and alone.other_seller_prices_minor
            assert (reads.approval_rule(uow, change, listing)
                    == price_review.approval_rule_in(uow, change, listing))
            moved = uow.market.price_moved_after(listing.id, change_id=change.id,
                                                 proposed_at=change.proposed_at)
            assert item.stale_code == ("live_price_moved" if moved else None)
            assert incident_at(uow, listing.id, change.new_price) is None


def test_the_incident_status_sums_what_is_kept_without_the_orders_as_placed(
        session_factory: sessionmaker[Session], world: World) -> None:
    """The exposure still honoured needs the orders as they stand only: the incident page and
    the notice editor no longer read every case's orders as placed (the desk's audit entries,
    398 cases' worth in the demo) and work out all their figures for one sum, nor every
    case's orders."""
    with statements(session_factory.kw["bind"]) as seen:
        status = incident_status(SqlAlchemyUnitOfWork(session_factory),
                                 incident_id=world.incident, policy=load_desk_policy())
    as_placed = "SELECT audit_log.entity_id, audit_log.before, audit_log.after ->> 'case_id'"
    assert not [s for s in seen if s.lstrip().startswith(as_placed)], seen
    # nor the cases' orders one by one: the units kept are counted by the database, by price
    # (reading every case took the page 0.4 s at 20,000 cases)
    cases_orders = "SELECT case_orders.case_id, orders.id"
    assert not [s for s in seen if s.lstrip().startswith(cases_orders)], seen
    with SqlAlchemyUnitOfWork(session_factory) as uow:
        figures = figures_of_cases(uow, uow.cases.for_incident(world.incident))
    assert status.exposure_kept["amount_minor"] == sum(
        f.exposure_kept.amount_minor for f in figures.values()) > 0
