"""The other sellers' rate a new listing is compared with is kept on its publish; where none
was kept for the watch at hand — a listing published before the rate was kept, or a listing
with a short history whose price moves long after its publication — it is measured for that
watch instead, never taken as "no other seller"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from test_tripwire_new_listing_db import LAUNCH_PRICE, _listing, _product, _publish, _status

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.services import catalog, listings, orders
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

T0 = datetime(2008, 5, 1, tzinfo=UTC)


def _shop(session_factory):
    clock = ManualClock(T0)

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    customers = [catalog.register_customer(uow(), name=f"고객{n}", email=f"c{n}@example.com",
                                           actor="t").id for n in range(60)]
    return uow, clock, _product(uow, "애플 아이팟 나노 3세대 4GB"), customers


def _sell(uow, clock, listing_id: int, customers: list[int], hours: int, *,
          watched: bool = True) -> None:
    """Six orders an hour."""
    for n in range(hours * 6):
        clock.now += timedelta(minutes=10)
        orders.place_order(uow(), customer_id=customers[n % len(customers)],
                           listing_id=listing_id, quantity=1, actor="customer",
                           **({} if watched else {"velocity": None}))


@pytest.mark.parametrize("kept", [True, False])
def test_a_launch_selling_like_the_busy_other_seller_stays_live_whether_or_not_the_rate_was_kept(
        session_factory, monkeypatch, kept: bool) -> None:
    uow, clock, ipod, customers = _shop(session_factory)
    busy = _listing(uow, ipod, "busyshop", publish=True)
    _sell(uow, clock, busy, customers, 30, watched=False)  # six an hour for 30 hours
    new = _listing(uow, ipod, "newcomer", publish=False, price=LAUNCH_PRICE)
    if not kept:  # as a publish before the rate was kept wrote it
        monkeypatch.setattr(listings, "_first_sale_after", lambda *_: {})
    _publish(uow, new)
    monkeypatch.undo()
    _sell(uow, clock, new, customers, 6)  # six an hour, like the busy seller
    assert _status(uow, new) is ListingStatus.LIVE


def test_a_short_history_listing_whose_price_moves_days_later_is_measured_again(
        session_factory) -> None:
    """Published first on its product (nobody to compare with then), paused an hour later,
    back two days later with a small price cut, after another seller sold six an hour all that
    time: the rate kept at its publication is too old for this watch."""
    uow, clock, ipod, customers = _shop(session_factory)
    new = _listing(uow, ipod, "newcomer", publish=True, price=LAUNCH_PRICE)
    clock.now += timedelta(hours=1)
    listings.change_listing_status(uow(), listing_id=new, trigger=ListingTrigger.PAUSE,
                                   actor="seller:newcomer")
    busy = _listing(uow, ipod, "busyshop", publish=True)
    _sell(uow, clock, busy, customers, 48, watched=False)
    listings.change_listing_status(uow(), listing_id=new, trigger=ListingTrigger.RESUME,
                                   actor="seller:newcomer")
    listings.propose_price_change(uow(), listing_id=new,
                                  new_price=Money(LAUNCH_PRICE - 1_000, "KRW"),
                                  proposed_by="seller:newcomer")
    _sell(uow, clock, new, customers, 6)
    assert _status(uow, new) is ListingStatus.LIVE
