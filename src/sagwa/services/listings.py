"""Create listings, move them through their statuses, and propose price changes.

A listing whose first price the gate holds when it is published waits, ``held``, for a reviewer
to release it (:func:`held_listings` is that queue); whoever published it may not release it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.incidents import IncidentStatus
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger, advance
from sagwa.domain.money import Money, check_price
from sagwa.domain.pricing import (
    GuardOpinion,
    PriceChangeProposal,
    PriceChangeStatus,
    Promotion,
    check_promotion_running,
)
from sagwa.errors import Conflict, Forbidden, InvalidInput
from sagwa.services.accounts import account_name
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
from sagwa.services.promotion_end import schedule_promotion_end
from sagwa.services.tripwire import launch_comparison
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class GateDecision:
    """What the price gate says about a proposal: apply it, or hold it for a reviewer."""

    hold: bool
    reason: str | None = None
    opinion: GuardOpinion | None = None


PriceGate = Callable[[SqlAlchemyUnitOfWork, Listing, PriceChangeProposal], GateDecision]


def apply_every_change(uow: SqlAlchemyUnitOfWork, listing: Listing,
                       proposal: PriceChangeProposal) -> GateDecision:
    """The gate with no price guard configured: every valid change is applied."""
    return GateDecision(hold=False)


def _listing_json(listing: Listing) -> dict[str, object]:
    return {"status": listing.status.value, "price": listing.price.as_dict()}


def create_listing(uow: SqlAlchemyUnitOfWork, *, seller_id: int, product_id: int, price: Money,
                   actor: str, idempotency_key: str | None = None) -> Listing:
    check_price(price)
    with uow:
        payload = {"seller_id": seller_id, "product_id": product_id, "price": price.as_dict()}
        prior = prior_result(uow, "listing", idempotency_key, payload)
        if prior:
            return require(uow.market.listing(prior["id"]), "listing", prior["id"])
        require(uow.catalog.seller(seller_id), "seller", seller_id)
        require(uow.catalog.product(product_id), "product", product_id)
        if uow.market.listing_for(seller_id, product_id):
            raise Conflict(
                f"seller {seller_id} already lists product {product_id}",
                reason="product_already_listed",
            )
        listing = uow.market.add_listing(seller_id=seller_id, product_id=product_id, price=price,
                                         now=uow.now())
        uow.audit.append(AuditEvent(actor, "listing.created", "listing", str(listing.id),
                                    after={**_listing_json(listing), "seller_id": seller_id,
                                           "product_id": product_id}), uow.now())
        remember(uow, "listing", idempotency_key, {"id": listing.id})
        uow.commit()
        return listing


def change_listing_status(uow: SqlAlchemyUnitOfWork, *, listing_id: int, trigger: ListingTrigger,
                          actor: str, reason: str | None = None,
                          gate: PriceGate = apply_every_change,
                          expected_price: Money | None = None) -> Listing:
    """Publish, pause, resume, hold, release or end a listing, as the status table allows.

    Publishing asks ``gate`` about the listing's first price (against the product's list price
    and other sellers' prices): a hold keeps the listing ``held`` for a reviewer to release.
    ``expected_price`` (the price the caller saw, e.g. on the review page) refuses the change if
    the listing's price has moved since (:func:`check_price_seen`); a release without one
    expects the price the listing was held at, so a price nobody reviewed never goes on sale."""
    with uow:
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        first_sale = trigger is ListingTrigger.PUBLISH and listing.status is ListingStatus.DRAFT
        if trigger is ListingTrigger.RELEASE and listing.status is ListingStatus.HELD:
            hold = publication_hold(uow, listing_id)
            first_sale = hold is not None and hold.at_publication
            check_not_own_hold(hold, listing_id=listing_id, reviewer=actor)
            if expected_price is None and hold is not None:
                expected_price = hold.price
        check_price_seen(listing, expected_price)
        if trigger is ListingTrigger.RESUME:
            _check_no_open_incident_holds_it(uow, listing)
        decision = _first_price_decision(uow, listing, actor, gate, trigger)
        if decision.hold:
            trigger, reason = ListingTrigger.HOLD, decision.reason
        after = replace(listing, status=advance(listing.status, trigger))
        uow.market.save_listing(after, uow.now())
        uow.audit.append(AuditEvent(actor, f"listing.{trigger.value}", "listing", str(listing_id),
                                    before=_listing_json(listing),
                                    after={**_listing_json(after), "reason": reason,
                                           **_guard_after(decision),
                                           **_first_sale_after(uow, after, first_sale)}),
                         uow.now())
        uow.commit()
        return after


def _check_no_open_incident_holds_it(uow: SqlAlchemyUnitOfWork, listing: Listing) -> None:
    """A listing paused in an open incident goes back on sale only once it is safe: not while
    the incident is a draft (an operator declares or dismisses it first), and not at the
    incident's wrong price (correct the price first)."""
    for incident_id in uow.incidents.all_open_for_listing(listing.id):
        row = uow.incidents.get(incident_id)
        if row is None:
            continue
        incident = row.incident
        if incident.status is IncidentStatus.DRAFT:
            raise Conflict(
                f"listing {listing.id} was paused by draft incident {incident_id}; an operator "
                "declares or dismisses it before the listing goes back on sale",
                reason="listing_in_draft_incident", incident_id=incident_id)
        if listing.price == incident.wrong_price:
            raise Conflict(
                f"listing {listing.id} still costs {listing.price}, the wrong price of incident "
                f"{incident_id}; correct the price before putting it back on sale",
                reason="listing_at_wrong_price", incident_id=incident_id,
                price=listing.price.as_dict())


def _first_price_decision(uow: SqlAlchemyUnitOfWork, listing: Listing, actor: str,
                          gate: PriceGate, trigger: ListingTrigger) -> GateDecision:
    """The gate's word on the price a listing goes live with when it is first published."""
    if trigger is not ListingTrigger.PUBLISH or listing.status is not ListingStatus.DRAFT:
        return GateDecision(hold=False)
    advance(listing.status, trigger)  # an illegal publish is refused before the gate runs
    first = PriceChangeProposal(listing.id, listing.price, listing.price, actor or "?",
                                first_price=True)
    return gate(uow, listing, first)


def _first_sale_after(uow: SqlAlchemyUnitOfWork, after: Listing,
                      first_sale: bool) -> dict[str, object]:
    """A listing going on sale for the first time (a draft published, or released after the
    guard held it at its publication) keeps what the order tripwire will compare its first day
    with (measured now, before the audit entry takes the log's lock:
    ``tripwire.launch_comparison``)."""
    if after.status is not ListingStatus.LIVE or not first_sale:
        return {}
    return {"launch_comparison": launch_comparison(uow, after, uow.now())}


def _guard_after(decision: GateDecision) -> dict[str, object]:
    """What the audit entry keeps of the gate's opinion; a hold keeps its reason in Korean too
    (``reason`` is the English one), for the reviewers' page."""
    if decision.opinion is None:
        return {}
    korean = {"reason_ko": decision.opinion.reason_ko} if decision.hold else {}
    return {"guard": _guard_json(decision.opinion), **korean}


#: The audit action of a listing the gate held when it was published (``listing.<trigger>``).
HOLD_ACTION = f"listing.{ListingTrigger.HOLD.value}"


@dataclass(frozen=True)
class PublicationHold:
    """What the audit log says about a listing's hold: who published it, when, why the gate
    held it (its reason in English and, for holds recorded since it is kept, Korean) and the
    price it held (the seller may have changed the price since: the reasons are about this
    one)."""

    held_by: str
    held_at: datetime
    reason_en: str | None
    reason_ko: str | None
    error_type: str | None
    price: Money | None = None
    at_publication: bool = False
    """Held as it was published (a draft): it has never been on sale."""


@dataclass(frozen=True)
class HeldListing:
    """A listing waiting for a reviewer's release, with what the reviewer needs to decide."""

    listing: Listing
    product_title: str
    seller_name: str
    hold: PublicationHold | None
    """None if the audit log has no hold for it (every hold writes one: the gate's at
    publication, or an operator's through the status API)."""
    product_title_en: str | None = None


def publication_hold(uow: SqlAlchemyUnitOfWork, listing_id: int) -> PublicationHold | None:
    """The listing's latest ``listing.hold`` on the audit log (looked up directly, however many
    entries the listing has), or None.

    None lets :func:`check_not_own_hold` allow the release: every hold (the gate's at
    publication, or an operator's through the status API) writes that entry in the same
    transaction, so a held listing without one is not expected; the page then shows the listing
    without reasons."""
    last = uow.audit.latest_for_entity("listing", str(listing_id), HOLD_ACTION)
    if last is None:
        return None
    after = last.event.after or {}
    guard = after.get("guard") or {}
    price = after.get("price")
    return PublicationHold(last.event.actor, last.occurred_at, after.get("reason"),
                           after.get("reason_ko"), guard.get("error_type"),
                           Money(int(price["amount_minor"]), str(price["currency"]))
                           if isinstance(price, dict) else None,
                           (last.event.before or {}).get("status") == ListingStatus.DRAFT.value)


#: The audit actions that take a listing off sale without ending it: a seller's or operator's
#: pause, the incident desk's, and the order tripwire's.
PAUSE_ACTIONS = ("listing.pause", "listing.paused", "listing.paused_by_tripwire")


@dataclass(frozen=True)
class ListingPause:
    """Why a listing is paused, as its latest pause entry says: ``kind`` is ``seller`` (through
    the status API or page), ``incident`` (``incident_id``) or ``tripwire`` (with the tripwire's
    reason in English and Korean)."""

    kind: str
    actor: str
    at: datetime
    reason: str | None = None
    reason_ko: str | None = None
    incident_id: int | None = None


def latest_pause(uow: SqlAlchemyUnitOfWork, listing_id: int) -> ListingPause | None:
    """The listing's latest pause on the audit log (one indexed lookup per pause action)."""
    found = [r for action in PAUSE_ACTIONS
             if (r := uow.audit.latest_for_entity("listing", str(listing_id), action))]
    if not found:
        return None
    last = max(found, key=lambda r: r.seq)
    after = last.event.after or {}
    kind = {"listing.paused": "incident", "listing.paused_by_tripwire": "tripwire"}.get(
        last.event.action, "seller")
    incident = after.get("incident_id")
    return ListingPause(kind, last.event.actor, last.occurred_at,
                        after.get("reason_en") or after.get("reason"), after.get("reason_ko"),
                        int(incident) if incident is not None else None)


def check_not_own_hold(hold: PublicationHold | None, *, listing_id: int, reviewer: str) -> None:
    """A listing held at publication needs a second person, as a held price change does: whoever
    published it may not release it, from any channel (``api:kim`` and ``admin:kim`` are the
    same account: :func:`sagwa.services.accounts.account_name`)."""
    if hold is not None and account_name(reviewer) == account_name(hold.held_by):
        raise Forbidden(
            f"listing {listing_id} was published by {hold.held_by}; someone else must "
            "release it",
            reason="own_held_listing",
        )


def check_price_seen(listing: Listing, expected_price: Money | None) -> None:
    """``change_listing_status``'s ``expected_price``: the price the caller saw (a reviewer
    releasing a held listing). The seller may change a held listing's price meanwhile, so a
    release must not put on sale a price nobody reviewed; None checks nothing."""
    if expected_price is not None and expected_price.currency != listing.price.currency:
        raise InvalidInput(f"listing {listing.id} is priced in {listing.price.currency}, not "
                           f"{expected_price.currency}", field="expected_price.currency")
    if expected_price is not None and listing.price != expected_price:
        raise Conflict(
            f"listing {listing.id} now costs {listing.price}, not the {expected_price} you saw; "
            "look at the new price before deciding",
            reason="listing_price_moved",
            expected_price=expected_price.as_dict(),
            price=listing.price.as_dict(),
        )


def held_listing_count(uow: SqlAlchemyUnitOfWork) -> int:
    """How many listings held at publication wait for a reviewer."""
    with uow:
        return uow.market.count_listings_with_status(ListingStatus.HELD)


def held_listings(uow: SqlAlchemyUnitOfWork, *, limit: int = 50) -> list[HeldListing]:
    """Listings the gate held when they were published, longest waiting first."""
    with uow:
        found = []
        for listing in uow.market.listings_with_status(ListingStatus.HELD, limit=limit):
            product = uow.catalog.product(listing.product_id)
            seller = uow.catalog.seller(listing.seller_id)
            found.append(HeldListing(listing, product.title if product else "?",
                                     seller.name if seller else "?",
                                     publication_hold(uow, listing.id),
                                     product.title_en if product else None))
        return found


def _guard_json(opinion: GuardOpinion | None) -> dict[str, object] | None:
    if opinion is None:
        return None
    return {"verdict": opinion.verdict, "error_type": opinion.error_type,
            "reason_code": opinion.reason_code, "score_bp": round(opinion.score * 10_000)}


def _proposal_payload(listing_id: int, new_price: Money, proposed_by: str,
                      promotion: Promotion | None) -> dict[str, object]:
    """What makes two proposals the same request (the idempotency fingerprint)."""
    return {"listing_id": listing_id, "new_price": new_price.as_dict(),
            "proposed_by": proposed_by,
            "promotion": None if promotion is None else {
                "percent": promotion.percent,
                "starts_at": promotion.starts_at.isoformat() if promotion.starts_at else None,
                "ends_at": promotion.ends_at.isoformat() if promotion.ends_at else None}}


def propose_price_change(uow: SqlAlchemyUnitOfWork, *, listing_id: int, new_price: Money,
                         proposed_by: str, promotion: Promotion | None = None,
                         gate: PriceGate = apply_every_change,
                         idempotency_key: str | None = None) -> PriceChangeRecord:
    """Record a proposed price; the gate decides whether it goes live now or waits for review.
    The listing's earlier held proposals are superseded by this one."""
    check_price(new_price)
    with uow:
        payload = _proposal_payload(listing_id, new_price, proposed_by, promotion)
        prior = prior_result(uow, "price_change", idempotency_key, payload)
        if prior:
            return require(uow.market.price_change(prior["id"]), "price change", prior["id"])
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        _check_price_may_change(listing, new_price)
        check_promotion_running(promotion, uow.now())
        proposal = PriceChangeProposal(listing_id, listing.price, new_price, proposed_by, promotion,
                                       first_price=never_on_sale(uow, listing))
        decision = gate(uow, listing, proposal)
        status = PriceChangeStatus.HELD if decision.hold else PriceChangeStatus.APPLIED
        change = uow.market.add_price_change(proposal, status, uow.now(), decision.opinion)
        if not decision.hold:
            uow.market.save_listing(replace(listing, price=new_price), uow.now())
        uow.audit.append(AuditEvent(
            proposed_by, f"price_change.{status.value}", "listing", str(listing_id),
            before={"price": listing.price.as_dict()},
            after={"price_change_id": change.id, "proposed": new_price.as_dict(),
                   "live": (listing.price if decision.hold else new_price).as_dict(),
                   "promotion_pct": str(promotion.percent) if promotion else None,
                   "reason": decision.reason, "guard": _guard_json(decision.opinion)}), uow.now())
        _supersede_older_held(uow, change)
        schedule_promotion_end(uow, change)
        remember(uow, "price_change", idempotency_key, {"id": change.id})
        uow.commit()
        return change


def never_on_sale(uow: SqlAlchemyUnitOfWork, listing: Listing) -> bool:
    """A listing held at its publication has no price of its own to compare a new one with:
    the gate judges the new price as a first price (list price, other sellers)."""
    if listing.status is not ListingStatus.HELD:
        return False
    hold = publication_hold(uow, listing.id)
    return hold is not None and hold.at_publication


def _check_price_may_change(listing: Listing, new_price: Money) -> None:
    if listing.status is ListingStatus.ENDED:
        raise Conflict(
            f"listing {listing.id} has ended; its price cannot change", reason="listing_ended"
        )
    if new_price == listing.price:
        raise InvalidInput(
            f"the listing already costs {new_price}",
            field="new_price",
            reason="price_unchanged",
        )


def _supersede_older_held(uow: SqlAlchemyUnitOfWork, newer: PriceChangeRecord) -> None:
    """A seller's latest proposal is the one that counts: earlier held ones leave the queue."""
    for old in uow.market.supersede_held_changes(newer.listing_id, newer=newer, now=uow.now()):
        uow.audit.append(AuditEvent(
            newer.proposed_by, "price_change.superseded", "listing", str(newer.listing_id),
            after={"price_change_id": old.id, "superseded_by": newer.id,
                   "proposed": old.new_price.as_dict()}), uow.now())
