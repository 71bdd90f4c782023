"""The promotion running on a seller's listing, as their listing page says it: its percent, when
it ends and the price it then goes back to. A new price saved meanwhile cancels that return —
the promotion-end job leaves a price the seller changed alone (``services.promotion_end``) — so
the page warns before the seller saves one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.money import Money
from sagwa.domain.pricing import PriceChangeStatus

_WENT_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)
#: A promotion's return happens on a listing on sale or paused (not on an ended one).
_RETURNS_ON = (ListingStatus.LIVE, ListingStatus.PAUSED)


@dataclass(frozen=True)
class RunningPromotion:
    percent: float
    ends_at: datetime
    #: the price the promotion-end job puts back (the one before this promotion's change)
    back_to: Money


def running_promotion(listing: Listing, changes: Sequence[PriceChangeRecord],
                      now: datetime) -> RunningPromotion | None:
    """The promotion whose end will put ``listing``'s price back: the change that went live
    last, if it declared a promotion that has not ended by ``now`` and its price is still the
    listing's; None otherwise (no promotion, an open-ended one, or the price moved since: the
    job then changes nothing)."""
    if listing.status not in _RETURNS_ON:
        return None
    live = [c for c in changes if c.status in _WENT_LIVE]
    last = max(live, key=lambda c: (c.decided_at or c.proposed_at, c.id), default=None)
    if (last is None or not last.promotion_pct or last.promotion_ends_at is None
            or last.promotion_ends_at <= now or last.new_price != listing.price):
        return None
    return RunningPromotion(float(last.promotion_pct), last.promotion_ends_at, last.old_price)
