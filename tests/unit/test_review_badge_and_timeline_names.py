"""Pure pieces of the review page: the change badge says how far a price moves as the guard's
reasons do (never -100% for a drop to almost nothing, never +0.0% for a tiny move); the incident
timeline shows an actor by the name people know, the raw audit name kept beside it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sagwa.services.desk_report import TimelineEntry
from sagwa.web.pages.review_cards import price_move_text
from sagwa.web.pages.timeline import timeline_rows


@pytest.mark.parametrize(("old", "new", "ko", "en"), [
    (96_000, 1, "-99.9%", "-99.9%"),             # 1원: not "-100.0%", which reads as free
    (175_000, 90, "-99.9%", "-99.9%"),
    (199_000, 19_900, "-90%", "-90%"),
    (220_000, 77_000, "-65%", "-65%"),
    (19_900, 199_000, "+900%", "+900%"),
    (185_000, 185_050, "인상 0.1% 미만", "up less than 0.1%"),  # not "+0.0%"
    (185_000, 184_999, "인하 0.1% 미만", "down less than 0.1%"),
    (13_000, 12_600, "-3.1%", "-3.1%"),
    (185_000, 185_000, "0%", "0%"),
])
def test_the_change_badge_follows_the_reasons_rounding(old: int, new: int, ko: str,
                                                       en: str) -> None:
    assert price_move_text(old, new) == (ko, en)


def test_the_timeline_names_actors_as_people_know_them_and_keeps_the_raw_name() -> None:
    at = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)
    entries = [TimelineEntry(at, "seller:seller", "price_change.applied", "listing", "413"),
               TimelineEntry(at, "reviewer:reviewer", "price_change.approved", "listing", "413"),
               TimelineEntry(at, "system:tripwire", "listing.paused_by_tripwire", "listing",
                             "413"),
               TimelineEntry(at, "cli", "incident.declared", "incident", "1")]
    names = {"seller:seller": "북마루", "reviewer:reviewer": "reviewer"}
    rows = timeline_rows(entries, "ko", actor_names=names)
    assert [r.actor for r in rows] == ["북마루", "reviewer", "주문 급증 감시", "cli"]
    assert [r.actor_id for r in rows] == ["seller:seller", "reviewer:reviewer",
                                          "system:tripwire", "cli"]
    assert timeline_rows(entries[:1], "en")[0].actor == "seller:seller"  # no names: as it is


def test_every_reason_a_change_cannot_be_approved_has_words_for_the_reviewers_label() -> None:
    """The card of a change no one may approve labels its reason field "only rejecting is
    left, because …": each stale code the service gives has its "because" in both languages."""
    from datetime import timedelta

    from sagwa.adapters.db.market_repo import PriceChangeRecord
    from sagwa.domain.listings import Listing, ListingStatus
    from sagwa.domain.money import Money
    from sagwa.domain.pricing import PriceChangeStatus
    from sagwa.services.price_review import stale_code
    from sagwa.web.pages.labels import STALE_WHY

    now = datetime(2008, 6, 12, 5, tzinfo=UTC)
    change = PriceChangeRecord(1, 7, Money(199_000, "KRW"), Money(19_900, "KRW"), "seller:a",
                               now - timedelta(hours=1), 90.0, PriceChangeStatus.HELD, None,
                               None, promotion_ends_at=now - timedelta(minutes=1))
    live = Listing(7, 1, 1, Money(199_000, "KRW"), ListingStatus.LIVE)
    codes = {stale_code(change, live, now=now),
             stale_code(change, Listing(7, 1, 1, Money(199_000, "KRW"), ListingStatus.ENDED)),
             stale_code(change, Listing(7, 1, 1, Money(195_000, "KRW"), ListingStatus.LIVE)),
             "price_is_incident_wrong_price"}  # review_queue's own
    assert None not in codes and len(codes) == 4
    for code in codes:
        ko, en = STALE_WHY[code]
        assert ko and not ko.endswith((".", "다")) and en.startswith("because "), code


def test_a_pause_by_one_large_order_is_not_called_a_surge_and_says_order_in_the_singular() -> None:
    """A tester's listing: one order of 100 units at a tenth of the price tripped the
    tripwire's ``bulk`` rule; the timeline said "주문 급증으로 자동 판매 중지" and "1 orders
    observed"."""
    at = datetime(2026, 12, 5, 5, 3, tzinfo=UTC)
    bulk = TimelineEntry(at, "system:tripwire", "listing.paused_by_tripwire", "listing", "437",
                         {"observed": 1, "units": 100}, tripped_by=("bulk",))
    en, ko = timeline_rows([bulk], "en")[0], timeline_rows([bulk], "ko")[0]
    assert en.action == "paused automatically: an order far larger than usual"
    assert en.detail == "1 order observed · 100 units"
    assert ko.action == "평소보다 훨씬 큰 주문 한 건으로 자동 판매 중지"
    assert "급증" not in ko.action and ko.detail == "관측된 주문 1건 · 수량 100개"
    surge = TimelineEntry(at, "system:tripwire", "listing.paused_by_tripwire", "listing", "437",
                          {"observed": 5, "units": 5}, tripped_by=("orders", "bulk"))
    assert timeline_rows([surge], "ko")[0].action == "주문 급증으로 자동 판매 중지"
    assert timeline_rows([surge], "en")[0].detail == "5 orders observed · 5 units"
