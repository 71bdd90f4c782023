"""The seller's list of listings: each listing with what needs the seller's attention — a pause
they did not make (the order tripwire, a pricing incident), a reviewer's send-back, a first price
or a price change waiting for review, a held change no reviewer may approve any more, a price
change a reviewer rejected lately (with the reviewer's reason) — and, for their information, a
held change a reviewer approved lately; read in five queries however many listings there are
(and a read for each incident naming a paused one: the declared incident it is paused for);
the page marks each, lists and counts those that need the seller first, and says how many days
a change waiting for review has waited (:func:`waited_days`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.adapters.db.read_repo import ListingLine
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.moments import SEOUL
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.services import listings as listing_service
from sagwa.services import price_review
from sagwa.services.accounts import Account
from sagwa.services.listing_holds import SEND_BACK_ACTION
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


def listings_context(uow: SqlAlchemyUnitOfWork, account: Account,
                     lang: str = "ko") -> dict[str, Any]:
    """The seller's listings by the product title the page shows in ``lang`` (those that need
    the seller first), each with what
    needs their attention (:func:`attention_of`) and the reviewer's latest decision on its price
    (:func:`recent_decision`, by listing id), read in five queries however many listings there
    are, and ``incidents``: the declared incident each paused listing is in
    (:func:`declared_incidents`)."""
    seller_id = account.seller_id
    assert seller_id is not None
    with uow:
        seller = uow.catalog.seller(seller_id)
        lines = uow.reads.seller_listings(seller_id, latest=_LATEST_ACTIONS, lang=lang)
        newest = uow.market.newest_held_changes([line.id for line in lines if line.held])
        moved = uow.market.prices_moved_after(list(newest.values()))
        latest = uow.market.newest_changes([line.id for line in lines])
        incidents = declared_incidents(uow, seller_id, lines)
        now = uow.now()
    # an ended listing takes no new price: what a reviewer decided on it asks nothing more
    decisions = {line.id: decided for line in lines if line.status != ListingStatus.ENDED.value
                 and (decided := recent_decision(latest.get(line.id), now)) is not None}
    attention = {line.id: marks for line in lines
                 if (marks := attention_of(line, newest.get(line.id), seller_id, now,
                                           price_moved_since=line.id in moved,
                                           decided=decisions.get(line.id),
                                           incident=incidents.get(line.id)))}
    # those that need the seller first (a flagged row sat 26th of 47), each group in title order
    lines = sorted(lines, key=lambda line: line.id not in attention)
    waiting = {listing_id: waited_days(change.proposed_at, now)
               for listing_id, change in newest.items()
               if "held_change" in attention.get(listing_id, ())}
    return {"seller": seller, "listings": lines, "attention": attention, "decisions": decisions,
            "decision_days": DECISION_SHOWN_FOR.days, "waiting": waiting,
            "incidents": incidents}


def declared_incidents(uow: SqlAlchemyUnitOfWork, seller_id: int,
                       lines: list[ListingLine]) -> dict[int, int]:
    """Paused listing id -> the declared open incident it is in (the oldest): whatever paused
    it (the tripwire, the seller), it stays paused for that incident now. Inside ``uow``: one
    query for the seller's incidents, then one read per incident naming a paused listing (a
    handful), however many listings there are."""
    paused = {line.id for line in lines if line.status == ListingStatus.PAUSED.value}
    named: dict[int, list[int]] = {}
    for row in uow.reads.seller_incident_listings(seller_id):
        if int(row.listing_id) in paused:
            named.setdefault(int(row.incident_id), []).append(int(row.listing_id))
    found: dict[int, int] = {}
    for incident_id in sorted(named):
        found_row = uow.incidents.get(incident_id)
        inc = found_row.incident if found_row is not None else None
        if inc is None or inc.declared_at is None or inc.status is IncidentStatus.CLOSED:
            continue
        for listing_id in named[incident_id]:
            found.setdefault(listing_id, incident_id)
    return found


def waited_days(proposed_at: datetime, now: datetime) -> int:
    """How many days a change proposed at ``proposed_at`` has waited by ``now``, counted in Korea
    time as a seller counts them (one proposed at 23:50 has waited a day at 00:10): the list
    said only "waiting for review", the same on the first day and the tenth."""
    return (now.astimezone(SEOUL).date() - proposed_at.astimezone(SEOUL).date()).days


#: How long the list tells a seller what a reviewer decided on a listing's latest price change
#: — unless they proposed another since (the decision is then no longer the latest), or
#: withdrew: a rejected change waits for them (the listing's history keeps every decision).
DECISION_SHOWN_FOR = timedelta(days=7)
_DECIDED = (PriceChangeStatus.REJECTED, PriceChangeStatus.APPROVED)


def recent_decision(newest: PriceChangeRecord | None, now: datetime) -> PriceChangeRecord | None:
    """The listing's ``newest`` price change if a reviewer rejected or approved it (approving
    follows a hold: a change the guard let through is ``applied``) no longer than
    :data:`DECISION_SHOWN_FOR` before ``now``; else None. Only the newest change counts: a
    proposal after a rejection is the seller's answer to it."""
    if newest is None or newest.status not in _DECIDED or newest.decided_at is None:
        return None
    return newest if now - newest.decided_at <= DECISION_SHOWN_FOR else None


#: The audit actions whose latest the listings page reads, by listing status: why a paused
#: listing was paused (the seller, an incident or the tripwire); whether a draft was sent back.
_LATEST_ACTIONS = {ListingStatus.PAUSED.value: listing_service.PAUSE_ACTIONS,
                   ListingStatus.DRAFT.value: (SEND_BACK_ACTION,)}
#: A pause the seller did not make: by the order tripwire, or for a pricing incident.
_PAUSED_FOR = {"listing.paused_by_tripwire": "paused_by_tripwire",
               "listing.paused": "paused_for_incident"}


def attention_of(line: ListingLine, newest_held: PriceChangeRecord | None, seller_id: int,
                 now: datetime, *, price_moved_since: bool = False,
                 decided: PriceChangeRecord | None = None,
                 incident: int | None = None) -> tuple[str, ...]:
    """What about this listing needs the seller's attention, most pressing first, as codes the
    page labels (``labels.ATTENTION``): paused by the tripwire or for an incident (for one
    once ``incident``, a declared incident it is in, is known, whoever paused it), sent back by
    a reviewer, its latest price change rejected by a reviewer lately (``decided``:
    :func:`recent_decision`; an approval needs nothing of them), its first price held for
    review, a held change no reviewer may approve any more (as its page says:
    ``price_review.stale_code``), a held change waiting for review."""
    marks: list[str] = []
    # a declared incident (``incident``) outranks the tripwire's pause that opened it
    paused_for = ("paused_for_incident" if incident is not None
                  else _PAUSED_FOR.get(line.latest_action or ""))
    if line.status == ListingStatus.PAUSED.value and paused_for is not None:
        marks.append(paused_for)
    if line.status == ListingStatus.DRAFT.value and line.latest_action == SEND_BACK_ACTION:
        marks.append("sent_back")
    if decided is not None and decided.status is PriceChangeStatus.REJECTED:
        marks.append("rejected_change")
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
