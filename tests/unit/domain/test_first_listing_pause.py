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
    entity_id: str = "7"
    entity_type: str = "listing"


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
        # declared at 22, put back on sale after it
        assert first_listing_pause(entries, window_start=WINDOW_START,
                                   until=at(22)) == at(20), action
    restarts = [Entry(a, at(20)) for a in ("listing.publish", "listing.resume",
                                            "listing.release", "listing.created")]
    assert first_listing_pause(restarts, window_start=WINDOW_START) is None


def test_a_pause_undone_before_the_declaration_contained_nothing() -> None:
    """A seller pauses at 14:05 to edit and resumes at 14:06 at the wrong price; the tripwire
    pauses at 16:00 and the listing stays off sale: contained at 16:00."""
    entries = [Entry("listing.pause", at(5)), Entry("listing.resume", at(6)),
               Entry("listing.paused_by_tripwire", at(120)), Entry("listing.paused", at(210))]
    assert first_listing_pause(entries, window_start=WINDOW_START, until=at(210)) == at(120)


def test_putting_the_listing_back_on_sale_after_the_declaration_does_not_undo_it() -> None:
    entries = [Entry("listing.paused_by_tripwire", at(120)), Entry("listing.resume", at(3000))]
    assert first_listing_pause(entries, window_start=WINDOW_START, until=at(210)) == at(120)
    # a draft not declared yet has no bound: a return to sale undoes the pause
    assert first_listing_pause(entries, window_start=WINDOW_START) is None


def test_another_listings_return_to_sale_does_not_undo_a_pause() -> None:
    entries = [Entry("listing.pause", at(5), entity_id="7"),
               Entry("listing.resume", at(6), entity_id="8"),
               Entry("listing.pause", at(1), entity_id="9", entity_type="product")]
    assert first_listing_pause(entries, window_start=WINDOW_START, until=at(210)) == at(5)


def test_a_pause_after_the_declaration_is_another_matter() -> None:
    entries = [Entry("listing.paused", at(210)), Entry("listing.resume", at(3000)),
               Entry("listing.paused", at(5000))]  # a later incident's pause
    assert first_listing_pause(entries, window_start=WINDOW_START, until=at(210)) == at(210)
    assert first_listing_pause(entries[2:], window_start=WINDOW_START, until=at(210)) is None
