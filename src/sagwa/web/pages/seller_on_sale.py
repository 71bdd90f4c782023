"""A price a stale action found on sale: a seller withdrew a mistyped price from a page opened
before a reviewer approved it, and the withdrawal was refused — the listing page then says, loudly,
that the price is on sale now, with the ways out at hand (correct it, pause the sale)."""

from __future__ import annotations

from collections.abc import Sequence

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.pricing import PriceChangeStatus

_WENT_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


def on_sale_now(listing: Listing, changes: Sequence[PriceChangeRecord],
                went_live: str) -> PriceChangeRecord | None:
    """The change numbered ``went_live`` (as a stale withdrawal's redirect names it) if it is
    this listing's, went live and its price is on sale right now: the page says so loudly.
    Anything else (another listing's change, a price changed or paused since) says nothing."""
    if not (went_live.isascii() and went_live.isdigit()) or listing.status is not ListingStatus.LIVE:
        return None
    change = next((c for c in changes if c.id == int(went_live)), None)
    if change is None or change.status not in _WENT_LIVE or change.new_price != listing.price:
        return None
    return change
