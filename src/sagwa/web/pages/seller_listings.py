"""The seller's list of listings: each listing with what needs the seller's attention — a pause
they did not make (the order tripwire, a pricing incident), a reviewer's send-back, a first price
or a price change waiting for review, a held change no reviewer may approve any more — read in
three queries however many listings there are; the page marks each and counts them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.adapters.db.read_repo import ListingLine
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.services import listings as listing_service
from sagwa.services import price_review
from sagwa.services.accounts import Account
from sagwa.services.listing_holds import SEND_BACK_ACTION
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def listings_context(uow: SqlAlchemyUnitOfWork, account: Account) -> dict[str, Any]:
    """The seller's listings, each with what needs their attention (:func:`attention_of`), read
    in three queries however many listings there are."""
    seller_id = account.seller_id
    assert seller_id is not None
    with uow:
        seller = uow.catalog.seller(seller_id)
        lines = uow.reads.seller_listings(seller_id, latest=_LATEST_ACTIONS)
        newest = uow.market.newest_held_changes([line.id for line in lines if line.held])
        moved = uow.market.prices_moved_after(list(newest.values()))
        now = uow.now()
    attention = {line.id: marks for line in lines
                 if (marks := attention_of(line, newest.get(line.id), seller_id, now,
                                           price_moved_since=line.id in moved))}
    return {"seller": seller, "listings": lines, "attention": attention}


#: The audit actions whose latest the listings page reads, by listing status: why a paused
#: listing was paused (the seller, an incident or the tripwire); whether a draft was sent back.
_LATEST_ACTIONS = {ListingStatus.PAUSED.value: listing_service.PAUSE_ACTIONS,
                   ListingStatus.DRAFT.value: (SEND_BACK_ACTION,)}
#: A pause the seller did not make: by the order tripwire, or for a pricing incident.
_PAUSED_FOR = {"listing.paused_by_tripwire": "paused_by_tripwire",
               "listing.paused": "paused_for_incident"}


def attention_of(line: ListingLine, newest_held: PriceChangeRecord | None, seller_id: int,
                 now: datetime, *, price_moved_since: bool = False) -> tuple[str, ...]:
    """What about this listing needs the seller's attention, most pressing first, as codes the
    page labels (``labels.ATTENTION``): paused by the tripwire or for an incident, sent back by
    a reviewer, its first price held for review, a held change no reviewer may approve any
    more (as its page says: ``price_review.stale_code``), a held change waiting for review."""
    marks: list[str] = []
    paused_for = _PAUSED_FOR.get(line.latest_action or "")
    if line.status == ListingStatus.PAUSED.value and paused_for is not None:
        marks.append(paused_for)
    if line.status == ListingStatus.DRAFT.value and line.latest_action == SEND_BACK_ACTION:
        marks.append("sent_back")
    if line.status == ListingStatus.HELD.value:
        marks.append("held_listing")
    if newest_held is not None:
        listing = Listing(line.id, seller_id, line.product_id, line.price,
                          ListingStatus(line.status))
        # a price that went away and came back since the proposal is stale too, as the
        # review queue says (``price_moved_since``: MarketRepository.prices_moved_after)
        stale = price_review.stale_code(newest_held, listing, now=now,
                                        price_moved_since=price_moved_since)
        marks.append("stale_change" if stale is not None else "held_change")
    return tuple(marks)
