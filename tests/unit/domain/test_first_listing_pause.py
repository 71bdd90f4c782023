"""Which listing pause contained an incident: the earliest one from the window start on."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sagwa.domain.audit import first_listing_pause

KST = ZoneInfo("Asia/Seoul")
WINDOW_START = datetime(2008, 6, 12, 14, 0, tzinfo=KST)


@dataclass(frozen=True)
class Entry:
    action: str
    occurred_at: datetime


def at(minutes: int) -> datetime:
    return WINDOW_START + timedelta(minutes=minutes)


def test_a_pause_before_the_window_start_does_not_count() -> None:
    entries = [Entry("listing.paused", at(-30)), Entry("listing.resumed", at(-20)),
               Entry("listing.paused", at(210))]
    assert first_listing_pause(entries, window_start=WINDOW_START) == at(210)


def test_a_pause_exactly_at_the_window_start_counts() -> None:
    entries = [Entry("listing.paused_by_tripwire", at(0))]
    assert first_listing_pause(entries, window_start=WINDOW_START) == at(0)


def test_the_earliest_pause_wins_whatever_the_order_and_other_actions() -> None:
    entries = [Entry("listing.paused", at(90)), Entry("incident.declared", at(10)),
               Entry("listing.paused_by_tripwire", at(45)), Entry("listing.resumed", at(50))]
    assert first_listing_pause(entries, window_start=WINDOW_START) == at(45)


def test_no_pause_from_the_window_start_on_gives_none() -> None:
    entries = [Entry("listing.paused", at(-5)), Entry("listing.published", at(1))]
    assert first_listing_pause(entries, window_start=WINDOW_START) is None
    assert first_listing_pause([], window_start=WINDOW_START) is None


def test_every_status_change_that_stops_orders_counts_and_none_that_restarts_them() -> None:
    for action in ("listing.pause", "listing.hold", "listing.end"):
        entries = [Entry("listing.publish", at(5)), Entry(action, at(20)),
                   Entry("listing.resume", at(25)), Entry("listing.release", at(26))]
        assert first_listing_pause(entries, window_start=WINDOW_START) == at(20), action
    restarts = [Entry(a, at(20)) for a in ("listing.publish", "listing.resume",
                                            "listing.release", "listing.created")]
    assert first_listing_pause(restarts, window_start=WINDOW_START) is None
