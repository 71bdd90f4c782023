"""When a promotion ends, the price it justified ends with it.

A price change that went live (applied, or approved by a reviewer) with a promotion that has an
end schedules a job at that end, in the change's own transaction. The job puts the listing back
to the price it had before the promotion — but only while the live price is still the promotion
price: a seller who changed the price since has already said what it should be.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import ListingStatus
from sagwa.domain.pricing import PriceChangeProposal, PriceChangeStatus
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MARKET_QUEUE = "market"
PROMOTION_END_TASK = "end_promotion"
ACTOR = "system:promotion_end"
_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


class PromotionEnd(StrEnum):
    """What the promotion-end job did."""

    RESTORED = "restored"          # the price before the promotion is live again
    PRICE_MOVED = "price_moved"    # the live price is no longer the promotion price: left alone
    LISTING_ENDED = "listing_ended"
    NOT_LIVE = "not_live"          # the change never went live (held, rejected, superseded)
    NOT_YET = "not_yet"            # run before the promotion's end (a clock behind): retry


def schedule_promotion_end(uow: SqlAlchemyUnitOfWork, change: PriceChangeRecord) -> None:
    """In the caller's transaction: the job that ends ``change``'s promotion, if it has an end
    and the change went live."""
    if change.promotion_ends_at is None or change.status not in _LIVE:
        return
    uow.jobs.defer(queue=MARKET_QUEUE, task=PROMOTION_END_TASK,
                   args={"price_change_id": change.id}, at=change.promotion_ends_at,
                   queueing_lock=f"promotion_end:{change.id}")


def end_promotion(uow: SqlAlchemyUnitOfWork, *, price_change_id: int,
                  actor: str = ACTOR) -> PromotionEnd:
    """Put the price before the promotion back, if the promotion price is still live."""
    with uow:
        change = require(uow.market.price_change(price_change_id), "price change",
                         price_change_id)
        if change.status not in _LIVE:
            return PromotionEnd.NOT_LIVE
        if change.promotion_ends_at is not None and uow.now() < change.promotion_ends_at:
            return PromotionEnd.NOT_YET
        listing = require(uow.market.listing(change.listing_id, for_update=True), "listing",
                          change.listing_id)
        if listing.status is ListingStatus.ENDED:
            outcome = PromotionEnd.LISTING_ENDED
        elif listing.price != change.new_price or uow.market.price_moved_after(
                listing.id, change_id=change.id, proposed_at=change.proposed_at):
            # another change took effect since (even back to the same price, with its own
            # promotion): that one is the seller's latest word, not this promotion
            outcome = PromotionEnd.PRICE_MOVED
        else:
            outcome = PromotionEnd.RESTORED
            back = PriceChangeProposal(listing.id, listing.price, change.old_price, actor)
            uow.market.add_price_change(back, PriceChangeStatus.APPLIED, uow.now())
            uow.market.save_listing(replace(listing, price=change.old_price), uow.now())
        uow.audit.append(AuditEvent(
            actor, "price_change.promotion_ended", "listing", str(listing.id),
            before={"price": listing.price.as_dict()},
            after={"price_change_id": change.id, "outcome": outcome.value,
                   "price": (change.old_price if outcome is PromotionEnd.RESTORED
                             else listing.price).as_dict()}), uow.now())
        uow.commit()
        return outcome
