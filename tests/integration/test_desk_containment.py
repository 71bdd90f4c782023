"""The time to pause on real PostgreSQL: the incident status and the report count the same
pause, the first one from the window start on, even when the report's timeline shows an
earlier, unrelated pause from the hour before."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import desk, listings
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_report import build_report
from sagwa.services.desk_status import incident_status
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
WINDOW_START = datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL)
EARLIER_PAUSE = datetime(2008, 6, 12, 13, 30, tzinfo=SEOUL)  # 30 minutes before the window


@pytest.fixture
def live(session_factory):
    """The iPod nano live at the wrong price (19,900 KRW) since 13:00 on 12 June 2008."""
    clock = ManualClock(datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    return uow, clock, ipod_listed_at_wrong_price(uow).listing_id


def test_status_and_report_ignore_a_pause_in_the_hour_before_the_window(live) -> None:
    uow, clock, listing_id = live
    # 13:10 a test price of 1,000 KRW; 13:30: an earlier, unrelated incident about it pauses
    # the listing; at 13:40 it is back on sale, at the price it had
    clock.now = datetime(2008, 6, 12, 13, 10, tzinfo=SEOUL)
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=Money(1_000, "KRW"),
                                  proposed_by="seller:haneul")
    clock.now = EARLIER_PAUSE
    earlier = desk.declare(uow(), listing_ids=[listing_id], wrong_price=Money(1_000, "KRW"),
                           correct_price=RIGHT, cause="test order at 1,000 KRW",
                           window_start=datetime(2008, 6, 12, 13, 0, tzinfo=SEOUL),
                           responsible="seller", actor="operator:kim")
    clock.now = datetime(2008, 6, 12, 13, 40, tzinfo=SEOUL)
    earlier_id = int(earlier.incident.incident_id)
    desk.scope(uow(), incident_id=earlier_id, actor="operator:kim")  # nobody ordered
    desk.close(uow(), incident_id=earlier_id, actor="operator:kim", reason="no orders")
    listings.propose_price_change(uow(), listing_id=listing_id, new_price=WRONG,
                                  proposed_by="seller:haneul")
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.RESUME,
                                   actor="operator:kim")
    # 14:00 the wrong price goes live; 17:30 this incident is declared, pausing the listing
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG,
                            correct_price=RIGHT, window_start=WINDOW_START,
                            cause="90% event typed as the price", responsible="both",
                            actor="operator:lee")
    incident_id = int(incident.incident.incident_id)

    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)

    assert status.first_pause_at == clock.now
    assert report.figures["minutes_to_pause"] == 210.0  # 14:00 -> 17:30, not -30 (13:30)
    # the earlier pause is still in the report's timeline, as context
    pauses = [e.at for e in report.timeline if e.action == "listing.paused"]
    assert pauses == [EARLIER_PAUSE, clock.now]


def test_a_seller_pausing_the_listing_itself_is_the_containment(live) -> None:
    """A pause through the listing's own status change (the API's listing action) takes it off
    sale as surely as the desk's: both figures count it."""
    uow, clock, listing_id = live
    # 14:45 the seller notices and pauses the listing; 17:30 the desk declares the incident
    clock.now = datetime(2008, 6, 12, 14, 45, tzinfo=SEOUL)
    listings.change_listing_status(uow(), listing_id=listing_id, trigger=ListingTrigger.PAUSE,
                                   actor="seller:haneul", reason="가격 오류")
    seller_pause = clock.now
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    incident = desk.declare(uow(), listing_ids=[listing_id], wrong_price=WRONG,
                            correct_price=RIGHT, window_start=WINDOW_START,
                            cause="90% event typed as the price", responsible="seller",
                            actor="operator:lee")
    incident_id = int(incident.incident.incident_id)

    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)

    assert status.first_pause_at == seller_pause
    assert report.figures["minutes_to_pause"] == 45.0


def test_a_pause_undone_before_the_declaration_is_not_the_containment(live) -> None:
    uow, clock, listing_id = live
    for minute, trigger in ((5, ListingTrigger.PAUSE), (6, ListingTrigger.RESUME)):
        clock.now = datetime(2008, 6, 12, 14, minute, tzinfo=SEOUL)  # paused to edit, resumed
        listings.change_listing_status(uow(), listing_id=listing_id, trigger=trigger,
                                       actor="seller:haneul")
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    incident_id = int(desk.declare(
        uow(), listing_ids=[listing_id], wrong_price=WRONG, correct_price=RIGHT,
        window_start=WINDOW_START, cause="90% event typed as the price", responsible="seller",
        actor="operator:lee").incident.incident_id)

    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)

    assert status.first_pause_at == clock.now  # the desk's pause at the declaration
    assert report.figures["minutes_to_pause"] == 210.0
