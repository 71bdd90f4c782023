"""Look-ups made for every listing of a page or a declaration read the database once, however many
actions or listings they cover: the latest pause of a listing (any of the three pause actions),
the earliest creation among an incident's listings, and a seller's listings with each one's
latest pause and newest held price change."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput
from sagwa.priceguard import load_rules
from sagwa.services import catalog, desk, listings
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.statements import statements

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL)


@pytest.fixture
def shop(session_factory):
    """Three live listings of one product, created an hour apart from 13:00, and the clock."""
    clock = ManualClock(START)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    product = catalog.register_product(uow(), title="아이팟", category="mp3", actor="t",
                                       list_price=Money(199_000, "KRW"))
    ids = []
    for n in range(3):
        clock.now = START + timedelta(hours=n)
        seller = catalog.register_seller(uow(), code=f"s{n}", name=f"가게{n}", actor="t")
        listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                          price=Money(199_000, "KRW"), actor="t")
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        ids.append(listing.id)
    return uow, clock, ids, session_factory.kw["bind"]


def _reading(seen: list[str], table: str) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith("SELECT") and f"FROM {table}" in s]


def test_the_window_check_reads_the_creation_of_all_listings_in_one_query(shop) -> None:
    uow, _clock, ids, conn = shop
    with uow() as u:
        found = [u.market.listing(i) for i in reversed(ids)]
        with statements(conn) as seen:
            desk._check_window_after_listings(u, found, START)  # from the first's creation
            with pytest.raises(InvalidInput) as refused:
                desk._check_window_after_listings(u, found, START - timedelta(minutes=1))
    assert len(_reading(seen, "listings")) == 2  # one per check, not one per listing
    assert refused.value.details["listing_id"] == ids[0]  # the earliest, whatever the order
    assert refused.value.details["created_at"] == "2008-06-12 13:00"


def test_the_window_check_names_the_earliest_listing_not_the_first_given(shop) -> None:
    """Listings created later count from their own creation: a window from 14:30 covers the
    second (14:00) and third (15:00) listings' sale but not the first's (13:00)."""
    uow, _clock, ids, _conn = shop
    with uow() as u:
        later = [u.market.listing(i) for i in ids[1:]]
        desk._check_window_after_listings(u, later, START + timedelta(hours=1))
        with pytest.raises(InvalidInput) as refused:
            desk._check_window_after_listings(u, later, START + timedelta(minutes=59))
    assert refused.value.details["listing_id"] == ids[1]
    assert refused.value.details["created_at"] == "2008-06-12 14:00"


def test_the_latest_pause_of_any_kind_is_read_in_one_query(shop) -> None:
    """A seller's pause, then the tripwire's, then an incident's: the page says the latest,
    found in one look-up of the audit log for all three actions."""
    uow, clock, ids, conn = shop
    listing_id = ids[0]
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.PAUSE,
                                   actor="seller:s0", reason="재고 확인")
    with uow() as u, statements(conn) as seen:
        pause = listings.latest_pause(u, listing_id)
    assert len(_reading(seen, "audit_log")) == 1
    assert pause is not None and (pause.kind, pause.actor, pause.reason) == (
        "seller", "seller:s0", "재고 확인")
    for n, (action, after, kind) in enumerate((
            ("listing.paused_by_tripwire", {"reason_en": "orders surged"}, "tripwire"),
            ("listing.paused", {"incident_id": 7}, "incident"))):
        clock.now = START + timedelta(hours=4 + n)
        with uow() as u:
            u.audit.append(AuditEvent(f"actor{n}", action, "listing", str(listing_id),
                                      after=after), u.now())
            u.commit()
        with uow() as u, statements(conn) as seen:
            pause = listings.latest_pause(u, listing_id)
        assert len(_reading(seen, "audit_log")) == 1
        assert pause is not None and (pause.kind, pause.actor, pause.at) == (
            kind, f"actor{n}", clock.now)
    assert (pause.kind, pause.incident_id) == ("incident", 7)
    with uow() as u:  # a listing never paused has none; other listings' pauses do not count
        assert listings.latest_pause(u, ids[1]) is None


def test_a_sellers_listings_page_reads_every_latest_pause_and_held_change_at_once(
        session_factory) -> None:
    """The seller's list marks listings paused by the tripwire and held changes no reviewer may
    approve: each paused listing's latest pause comes with the listings (one query), each
    listing's newest held change in one more, however many listings there are."""
    clock = ManualClock(START)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    seller = catalog.register_seller(uow(), code="many", name="여러상품", actor="t")
    ids = []
    for n in range(4):
        product = catalog.register_product(uow(), title=f"상품{n}", category="mp3", actor="t",
                                           list_price=Money(100_000, "KRW"))
        listing = listings.create_listing(uow(), seller_id=seller.id, product_id=product.id,
                                          price=Money(100_000, "KRW"), actor="t")
        listings.change_listing_status(uow(), listing_id=listing.id,
                                       trigger=ListingTrigger.PUBLISH, actor="t")
        ids.append(listing.id)
    for listing_id in (ids[0], ids[1], ids[3]):
        clock.now += timedelta(minutes=1)
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.PAUSE, actor="seller:many")
    clock.now += timedelta(minutes=1)
    with uow() as u:  # the tripwire's pause entry after the seller's, on listing 0
        u.audit.append(AuditEvent("system:tripwire", "listing.paused_by_tripwire", "listing",
                                  str(ids[0]), after={"reason_en": "orders surged"}), u.now())
        u.commit()
    listings.change_listing_status(uow(), listing_id=ids[3], trigger=ListingTrigger.RESUME,
                                   actor="seller:many")  # on sale again: its pause is past
    gate = guard_gate(load_rules())
    for price in (10_000, 12_000):  # the second replaces the first: the newest is held
        clock.now += timedelta(minutes=1)
        listings.propose_price_change(uow(), listing_id=ids[2], new_price=Money(price, "KRW"),
                                      proposed_by="seller:many", gate=gate)
    conn = session_factory.kw["bind"]
    with uow() as u, statements(conn) as seen:
        lines = {line.id: line for line in u.reads.seller_listings(
            seller.id, latest={"paused": listings.PAUSE_ACTIONS})}
        newest = u.market.newest_held_changes(list(lines))
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 2
    assert {i: lines[i].latest_action for i in ids} == {
        ids[0]: "listing.paused_by_tripwire", ids[1]: "listing.pause", ids[2]: None,
        ids[3]: None}
    assert lines[ids[2]].held == 1 and list(newest) == [ids[2]]
    assert newest[ids[2]].new_price == Money(12_000, "KRW")
    with uow() as u:  # asked about nothing, a line carries no action
        assert {line.latest_action for line in u.reads.seller_listings(seller.id)} == {None}
