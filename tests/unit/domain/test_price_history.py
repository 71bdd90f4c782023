"""Which prices a listing had in a window, from the moves that went live."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sagwa.domain.price_history import PriceMove, prices_between

KST = ZoneInfo("Asia/Seoul")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2008, 6, 12, hour, minute, tzinfo=KST)


def test_a_listing_that_never_moved_had_its_current_price() -> None:
    assert prices_between(19_900, [], at(14), at(17)) == [19_900]


def test_the_price_at_the_start_and_every_move_inside_the_window_count() -> None:
    moves = [PriceMove(at(16), 19_900, 199_000), PriceMove(at(13), 199_000, 18_500),
             PriceMove(at(14, 30), 18_500, 19_900), PriceMove(at(18), 199_000, 17_000)]
    assert prices_between(17_000, moves, at(14), at(17)) == [18_500, 19_900, 199_000]


def test_before_its_first_move_a_listing_had_that_moves_old_price() -> None:
    moves = [PriceMove(at(15), 199_000, 19_900)]
    assert prices_between(19_900, moves, at(13), at(14)) == [199_000]
    assert prices_between(19_900, moves, at(14), at(15)) == [199_000, 19_900]  # end included


def test_the_prices_before_a_window_are_the_first_and_every_move_strictly_before_it() -> None:
    """What declaring holds a correct price against: a move at the window's start is the wrong
    price going live, not a price from before."""
    from sagwa.domain.price_history import prices_before

    moves = [PriceMove(at(14), 185_000, 18_500), PriceMove(at(11), 189_000, 185_000)]
    assert prices_before(18_500, moves, at(14)) == [189_000, 185_000]
    assert prices_before(19_900, [], at(14)) == [19_900]  # never moved: its one price
