"""The promotion running on a seller's listing, as their listing page says it: its percent, when
it ends and the price it then goes back to. A new price saved meanwhile cancels that return —
the promotion-end job leaves a price the seller changed alone (``services.promotion_end``) — so
the page warns before the seller saves one; unless the new price declares a promotion with an
end of its own: the job then undoes the two in order (:func:`after_saving`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.services.promotion_end import first_of_promotions, promotions_not_undone

_WENT_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)
#: A promotion's return happens on a listing on sale or paused (not on an ended one).
_RETURNS_ON = (ListingStatus.LIVE, ListingStatus.PAUSED)


@dataclass(frozen=True)
class RunningPromotion:
    percent: float
    ends_at: datetime
    #: the price the promotion-end job puts back (the one before this promotion's change, or
    #: before the promotion under it that has ended by then)
    back_to: Money


def running_promotion(listing: Listing, changes: Sequence[PriceChangeRecord],
                      now: datetime) -> RunningPromotion | None:
    """The promotion whose end will put ``listing``'s price back: the innermost of the
    promotions still to be undone (one declared on top of another is undone first; a change
    without a promotion ends them all), if it has an end after ``now`` and its price is still
    the listing's; None otherwise (no promotion, an open-ended one, or the price moved since:
    the job then changes nothing)."""
    if listing.status not in _RETURNS_ON:
        return None
    live = sorted((c for c in changes if c.status in _WENT_LIVE),
                  key=lambda c: (c.decided_at or c.proposed_at, c.id))
    stack = promotions_not_undone(live)
    top = live[stack[-1]] if stack else None
    if (top is None or not top.promotion_pct or top.promotion_ends_at is None
            or top.promotion_ends_at <= now or top.new_price != listing.price):
        return None
    return RunningPromotion(float(top.promotion_pct), top.promotion_ends_at,
                            first_of_promotions(live[: stack[-1] + 1],
                                                top.promotion_ends_at).old_price)


@dataclass(frozen=True)
class AfterSaving:
    """What saving the typed price does to the running promotion's return: ``cancels`` it (the
    new price stays), ``ends_now`` (the typed price is the one it goes back to), or ``stacked``
    (a promotion with an end declared on top: at its end ``back_to`` comes back, and the running
    one's own return still follows if it ends later: ``then``)."""

    kind: str
    back_to: Money | None = None
    then: Money | None = None


def after_saving(running: RunningPromotion, listing: Listing, typed: Money,
                 typed_promotion: Promotion | None) -> AfterSaving:
    if typed_promotion is not None and typed_promotion.ends_at is not None:
        if typed_promotion.ends_at < running.ends_at:
            return AfterSaving("stacked", listing.price, running.back_to)
        return AfterSaving("stacked", running.back_to)
    if typed_promotion is None and typed == running.back_to:
        return AfterSaving("ends_now", running.back_to)
    return AfterSaving("cancels")
