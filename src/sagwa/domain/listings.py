"""Listings (a seller offering a product at a price) and their status machine.

Status table (anything not listed is refused with IllegalTransition)::

    draft  --publish--> live       live   --hold-->    held
    draft  --hold-->    held       held   --release--> live
    live   --pause-->   paused     paused --resume-->  live
    held   --send_back--> draft    any but ended --end--> ended

A held listing is already off sale and only a reviewer's release puts it back: it cannot be
paused (pause then resume would let its seller skip the review). A reviewer who refuses its
first price sends it back to draft: its seller corrects the price and publishes again (the
guard judges the new first price as it did the old).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition


class ListingStatus(StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    HELD = "held"
    PAUSED = "paused"
    ENDED = "ended"


#: The listings anyone may read (the catalogue's: on sale, or paused). A draft, a held
#: listing and an ended one are its seller's and staff's only: a seller walk read other
#: sellers' unpublished prices, and a held one's guard reasons, with no token — and a draft or
#: held listing may be ended without ever going on sale (a review), so "ended" says nothing
#: of whether its price was ever public.
SHOWN_TO_ANYONE = frozenset({ListingStatus.LIVE, ListingStatus.PAUSED})


def shown_to(listing_status: ListingStatus, listing_seller: int, *, staff: bool,
             seller_id: int | None) -> bool:
    """Whether a caller sees a listing: staff all, a seller their own, anyone the catalogue's
    (:data:`SHOWN_TO_ANYONE`)."""
    return (staff or listing_status in SHOWN_TO_ANYONE
            or (seller_id is not None and seller_id == listing_seller))


class ListingTrigger(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    RELEASE = "release"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"
    SEND_BACK = "send_back"


S, T = ListingStatus, ListingTrigger
TRANSITIONS: dict[tuple[ListingStatus, ListingTrigger], ListingStatus] = {
    (S.DRAFT, T.PUBLISH): S.LIVE,
    (S.DRAFT, T.HOLD): S.HELD,
    (S.LIVE, T.HOLD): S.HELD,
    (S.HELD, T.RELEASE): S.LIVE,
    (S.HELD, T.SEND_BACK): S.DRAFT,
    (S.LIVE, T.PAUSE): S.PAUSED,
    (S.PAUSED, T.RESUME): S.LIVE,
    (S.DRAFT, T.END): S.ENDED,
    (S.LIVE, T.END): S.ENDED,
    (S.HELD, T.END): S.ENDED,
    (S.PAUSED, T.END): S.ENDED,
}
del S, T

ORDERABLE = frozenset({ListingStatus.LIVE})
#: What a trigger does to a listing, for "only a held listing can be released".
_DONE = {ListingTrigger.PUBLISH: "published", ListingTrigger.HOLD: "held",
         ListingTrigger.RELEASE: "released", ListingTrigger.PAUSE: "paused",
         ListingTrigger.RESUME: "resumed", ListingTrigger.END: "ended",
         ListingTrigger.SEND_BACK: "sent back"}


def advance(status: ListingStatus, trigger: ListingTrigger) -> ListingStatus:
    """The status after ``trigger``, or IllegalTransition saying why not."""
    try:
        return TRANSITIONS[(status, trigger)]
    except KeyError:
        allowed = " or ".join(s.value for (s, t) in TRANSITIONS if t is trigger)
        raise IllegalTransition(
            f"the listing is {status.value}: only a {allowed} listing can be "
            f"{_DONE[trigger]}",
            status=status.value,
            trigger=trigger.value,
            reason="listing_status",
        ) from None


@dataclass(frozen=True)
class Listing:
    id: int
    seller_id: int
    product_id: int
    price: Money
    status: ListingStatus

    @property
    def orderable(self) -> bool:
        return self.status in ORDERABLE
