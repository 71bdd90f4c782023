"""When a promotion ends, the price it justified ends with it.

A price change that went live (applied, or approved by a reviewer) with a promotion that has an
end schedules a job at that end, in the change's own transaction. The job puts the listing back
to the price it had before the promotion — but only while the live price is still the promotion
price: a seller who changed the price since has already said what it should be. A price set
before the listing first went on sale (a draft's placeholder, or a first price the guard held
at publication that a reviewer did not release at that price) is never put back: nobody judged
it as a price to sell at, so the promotion's price stays (``kept_never_on_sale`` on the audit
log), as it does when the price before it is an incident's wrong price. A promotion
declared on top of another is undone in order: when the inner one ends the outer one's price
comes back (or, if the outer one is over too, the price before it), and when the outer one ends
after the inner one was undone, the price before it comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import ListingStatus
from sagwa.domain.pricing import PriceChangeProposal, PriceChangeStatus
from sagwa.services.incident_prices import incident_at
from sagwa.services.listing_holds import took_effect_before_sale
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MARKET_QUEUE = "market"
PROMOTION_END_TASK = "end_promotion"
ACTOR = "system:promotion_end"
_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


#: The audit action of a promotion's end (its ``after["price_change_id"]``: the promotion).
ENDED_ACTION = "price_change.promotion_ended"


class PromotionEnd(StrEnum):
    """What the promotion-end job did."""

    RESTORED = "restored"          # the price before the promotion is live again
    PRICE_MOVED = "price_moved"    # the live price is no longer the promotion price: left alone
    LISTING_ENDED = "listing_ended"
    NOT_LIVE = "not_live"          # the change never went live (held, rejected, superseded)
    NOT_YET = "not_yet"            # run before the promotion's end (a clock behind): retry
    #: the price before it is the wrong price of an open incident about the listing: the
    #: promotion's price stays (putting the wrong price back on sale is what the incident is
    #: about); the seller or an operator sets the price
    KEPT_FOR_INCIDENT = "kept_for_incident"
    #: the price before it was set before the listing first went on sale (a draft's price, or
    #: a first price held at its publication that no reviewer released at that price): never
    #: judged as a price to sell at, so the promotion's price stays; the seller sets the price
    KEPT_NEVER_ON_SALE = "kept_never_on_sale"


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
        done = uow.audit.first_naming("listing", str(listing.id), ENDED_ACTION,
                                      key="price_change_id", value=change.id)
        if done is not None:
            # run again (a worker killed after this job's commit, before its job was marked
            # done, is recovered): the first run's outcome stands — a second would record the
            # price it put back as a price the seller moved
            return PromotionEnd(str((done.event.after or {}).get("outcome")))
        live = uow.market.live_changes(listing.id)
        at = next(i for i, c in enumerate(live) if c.id == change.id)
        back_to = listing.price
        if listing.status is ListingStatus.ENDED:
            outcome = PromotionEnd.LISTING_ENDED
        elif listing.price != change.new_price or promotions_not_undone(live[at:]) != [0]:
            # the seller changed the price since (even back to the same price, with its own
            # promotion, or one still running on top of this one): that is their latest word,
            # not this promotion. A promotion run on top of it and ended since (its price put
            # back by this job) is no move: when both are over, the price before the first
            # comes back (a flash sale inside a week's promotion used to leave the week's
            # price live for good).
            outcome = PromotionEnd.PRICE_MOVED
        else:
            start = first_of_promotions(live[: at + 1], uow.now())
            back_to = start.old_price
            again = incident_at(uow, listing.id, back_to)
            incident_id = None if again is None else again.incident_id
            if incident_id is not None:
                outcome, kept = PromotionEnd.KEPT_FOR_INCIDENT, back_to
                back_to = listing.price
            elif took_effect_before_sale(uow, listing, start):
                outcome, kept = PromotionEnd.KEPT_NEVER_ON_SALE, back_to
                back_to = listing.price
            else:
                outcome = PromotionEnd.RESTORED
                back = PriceChangeProposal(listing.id, listing.price, back_to, actor)
                uow.market.add_price_change(back, PriceChangeStatus.APPLIED, uow.now())
                uow.market.save_listing(replace(listing, price=back_to), uow.now())
        extra: dict[str, object] = (
            {"not_restored": kept.as_dict(), "incident_id": incident_id}
            if outcome is PromotionEnd.KEPT_FOR_INCIDENT else
            {"not_restored": kept.as_dict(), "set_before_sale_by_change": start.id}
            if outcome is PromotionEnd.KEPT_NEVER_ON_SALE else {})
        uow.audit.append(AuditEvent(
            actor, ENDED_ACTION, "listing", str(listing.id),
            before={"price": listing.price.as_dict()},
            after={"price_change_id": change.id, "outcome": outcome.value,
                   "price": back_to.as_dict(), **extra}), uow.now())
        uow.commit()
        return outcome


def promotions_not_undone(live: Sequence[PriceChangeRecord]) -> list[int]:
    """Indexes in ``live`` (changes in the order they went live) of the promotions not undone
    yet, the innermost last: each return of this job undoes the innermost; a change of anyone's
    without a promotion (or a return that undid none of them) leaves none to undo. The job
    restores a promotion's price only while it is the one left (``[0]`` from it on); the
    seller's listing page names the innermost one's return (``web/pages/seller_promotion``)."""
    stack: list[int] = []
    for i, c in enumerate(live):
        if c.proposed_by == ACTOR:
            if not stack or c.old_price != live[stack[-1]].new_price:
                stack = []
            else:
                stack.pop()
        elif c.promotion_pct is not None:
            stack.append(i)
        else:
            stack = []
    return stack


def first_of_promotions(upto: Sequence[PriceChangeRecord], now: datetime) -> PriceChangeRecord:
    """The change whose old price is put back when the last of ``upto`` (live changes in order)
    ends: that last one — or, where its old price was itself a promotion's price whose promotion
    is over too (declared on top of it), that promotion's change, and so on. Whether that change
    took effect before the listing first went on sale says whether its old price was ever a
    price to sell at (:func:`~sagwa.services.listing_holds.took_effect_before_sale`). The
    seller's listing page names the same price as the one a running promotion goes back to
    (``web/pages/seller_promotion``)."""
    first, i = upto[-1], len(upto) - 2
    while i >= 0:
        c = upto[i]
        if c.proposed_by == ACTOR:  # an earlier return: skip it and the promotions it undid
            undone = _undone_by(upto, i)
            if undone is None:
                break
            i = undone - 1
            continue
        ended = c.promotion_ends_at is not None and c.promotion_ends_at <= now
        if c.promotion_pct is None or not ended or c.new_price != first.old_price:
            break
        first, i = c, i - 1
    return first


def _undone_by(upto: Sequence[PriceChangeRecord], at: int) -> int | None:
    """Where the promotions that the return ``upto[at]`` undid start: the latest promotion
    before it whose old price is the one the return put back (a flash sale on top of a week's
    promotion, ended: the week's price came back). None when there is none: the return is then
    no part of a stack, and the walk stops there."""
    back = upto[at]
    for j in range(at - 1, -1, -1):
        c = upto[j]
        if c.proposed_by != ACTOR and c.promotion_pct is not None \
                and c.old_price == back.new_price:
            return j
    return None
