"""A few very large orders at a price far below its references pause the listing: a tester's
camera cut from 527,000 to 52,700 KRW (approved by a reviewer) sold 100 each to two customers
and stayed live — the tripwire wanted five orders (three for units) and set the biggest order
aside. Far below its own price before and its references, the order that shows it is enough;
a bulk buyer at an ordinary price is still left alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.money import Money
from sagwa.domain.price_history import PriceMove
from sagwa.priceguard.tripwire import NormalRate, assess_order_velocity, count_orders
from sagwa.priceguard.tripwire_price import PriceContext
from sagwa.priceguard.tripwire_watch import Watch
from sagwa.priceguard.tripwire_words import trip_summary

CHANGED = datetime(2026, 12, 5, 5, 3, tzinfo=UTC)  # 14:03 in Korea
#: A camera that sells about one a day, one unit an order.
CAMERA = NormalRate(0.04, units_per_order=1.0, units_spread=1.0, units_known=True)
TENTH = PriceContext(price=52_700, currency="KRW", since=CHANGED, before=527_000, to=52_700,
                     list_price=599_000)


def _orders(units: list[int], price: PriceContext, normal: NormalRate = CAMERA):  # type: ignore[no-untyped-def]
    times = [CHANGED + timedelta(seconds=3 * (n + 1)) for n in range(len(units))]
    counts = count_orders(times, units, start=CHANGED, now=times[-1], recent_hours=1.0,
                          order_customers=[700 + n for n in range(len(units))])
    return assess_order_velocity(counts=counts, changed_at=CHANGED, now=times[-1],
                                 baseline_per_hour=normal, price=price)


def test_one_order_of_a_hundred_at_a_tenth_of_the_price_pauses_the_listing() -> None:
    result = _orders([100], TENTH)
    assert result.tripped and result.tripped_by == ("bulk",)
    assert ("; that one order took 100 units at half or less of its price before and the list "
            "price, a likely mistake, where fewer than 0.1 were expected at the usual 1 unit an "
            "order" in result.reason_en)
    assert "but" not in result.reason_en and "그러나" not in result.reason_ko
    assert (". 주문 한 건에 이전 가격·정가의 절반 이하인 가격으로 100개가 주문되어 가격 오류로 보입니다. "
            "평소 주문당 1개면" in result.reason_ko)
    assert "1.0개" not in result.reason_ko
    assert _orders([100, 99], TENTH).tripped  # a tester's listing 437: 100, then 99


def test_a_bulk_buyer_at_an_ordinary_price_is_left_alone() -> None:
    """The same hundred units at 9% off: a business buying stock, not a rush on a mistake."""
    sale = PriceContext(price=479_000, currency="KRW", since=CHANGED, before=527_000,
                        to=479_000, list_price=599_000)
    assert not _orders([100], sale).tripped
    assert not _orders([100, 100], sale).tripped
    assert not _orders([100], PriceContext(price=52_700, currency="KRW")).tripped  # no reference


def test_small_orders_far_below_are_counted_as_before() -> None:
    """Far below its references but a few units each: the count of orders decides."""
    assert not _orders([1, 2], TENTH).tripped
    assert not _orders([20, 20], TENTH).tripped  # under min_units in all


def test_a_listing_that_sells_by_the_hundred_needs_more_than_one_such_order() -> None:
    """Its orders usually take about a hundred: a hundred more is one ordinary order of it,
    surprising in three seconds only as an order, not as units."""
    wholesale = NormalRate(0.04, units_per_order=100.0, units_spread=100.0, units_known=True)
    assert not _orders([100], TENTH, wholesale).tripped


def test_the_draft_offers_the_price_before_as_correct_only_when_above_the_wrong_one() -> None:
    """A watch begun with a cut whose price was since raised above where it began: the desk
    refuses a correct price under the wrong one, so none is offered."""
    from sagwa.services.tripwire import _watch_evidence

    moves = [PriceMove(CHANGED, 12_600, 11_000, change_id=7),
             PriceMove(CHANGED + timedelta(hours=1), 11_000, 12_800, change_id=8)]
    watch = Watch(CHANGED, "price_change", 0, 1)
    raised = Listing(1, 1, 1, Money(12_800, "KRW"), ListingStatus.LIVE)
    assert "price_before" not in _watch_evidence(raised, moves, watch, [])
    cut = Listing(1, 1, 1, Money(11_000, "KRW"), ListingStatus.LIVE)
    assert _watch_evidence(cut, moves[:1], Watch(CHANGED, "price_change", 0, 0), [])[
        "price_before"] == {"amount_minor": 12_600, "currency": "KRW"}


def test_the_declare_form_never_prefills_a_correct_price_under_the_wrong_one() -> None:
    """Whatever the price history says came before (a raise to the wrong price), the form
    leaves the correct price for the operator rather than offer one the desk refuses."""
    from types import SimpleNamespace

    from sagwa.web.pages.incident_context import _declare_form

    draft = SimpleNamespace(wrong_price=Money(12_800, "KRW"), correct_price=None,
                            window_start=CHANGED, cause="…", responsible=None,
                            opened_by="admin:kim")
    assert _declare_form(draft, 12_600, None)["correct_price"] == ""
    assert _declare_form(draft, 14_000, None)["correct_price"] == "14000"


def test_what_paused_it_is_said_as_one_large_order_not_a_surge() -> None:
    """The seller's page and the draft incident say what tripped it (``trip_summary``)."""
    assert trip_summary(["bulk"], orders=1) == (
        "one order far larger than usual came in at a price far below its references",
        "기준 가격보다 크게 낮은 가격에 평소보다 훨씬 많은 수량이 한 번에 주문되어")
    assert "far larger than usual" in trip_summary(["bulk"], orders=2)[0]
    assert trip_summary(["units"], orders=4)[1] == "주문 수량이 평소보다 훨씬 많아"
    surge = ("orders came in far faster than usual", "주문이 평소보다 크게 몰려")
    assert trip_summary(["orders", "bulk"], orders=5) == surge
    assert trip_summary(None, orders=None) == surge  # a pause recorded before ``tripped_by``
