"""Create listings, move them through their statuses, and propose price changes.

A listing whose first price the gate holds when it is published waits, ``held``, for a reviewer
to release it: the queue and the rules of a release are in :mod:`sagwa.services.listing_holds`
(its names are re-exported here, where callers have always found them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import Product
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
from sagwa.errors import Conflict, InvalidInput
from sagwa.priceguard.tripwire_words import trip_summary
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.incident_prices import incident_at
from sagwa.services.listing_holds import (
    HOLD_ACTION,
    SENT_BACK_PRICE,
    HeldListing,
    PublicationHold,
    SentBack,
    approved_first_price,
    check_not_own_hold,
    check_price_seen,
    check_release,
    check_send_back,
    first_price_reference_now,
    held_listing_count,
    held_listings,
    latest_send_back,
    never_on_sale,
    publication_hold,
    sent_back_at,
    sent_back_opinion,
    set_before_sale,
)
from sagwa.services.lookups import require
from sagwa.services.promotion_end import schedule_promotion_end
from sagwa.services.tripwire import launch_comparison
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

if TYPE_CHECKING:
    from sagwa.services.desk_notify import LinkMaker

__all__ = [  # with the names of sagwa.services.listing_holds that callers import from here
    "HOLD_ACTION", "PAUSE_ACTIONS", "SENT_BACK_PRICE", "AlreadyHeld", "GateDecision",
    "HeldListing",
    "ListingPause", "PriceGate", "PublicationHold", "apply_every_change", "change_listing_status",
    "check_listing_currency",
    "check_not_own_hold", "check_price_seen", "check_product_currency",
    "check_promotion_percent", "check_proposal_input", "check_proposal_on", "create_listing",
    "declared_promotion",
    "held_listing_count", "held_listings", "latest_pause", "latest_send_back", "never_on_sale",
    "propose_price_change", "publication_hold", "repeats_held", "set_before_sale",
]


@dataclass(frozen=True)
class GateDecision:
    """What the price gate says about a proposal: apply it, or hold it for a reviewer."""

    hold: bool
    reason: str | None = None
    opinion: GuardOpinion | None = None
    approved_change_id: int | None = None
    """A draft published at the price a reviewer approved for it (that change's id): the gate
    was not asked again."""


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
        check_product_currency(require(uow.catalog.product(product_id), "product", product_id),
                               price)
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
    """Publish, pause, resume, hold, release, send back or end a listing, as the status table
    allows.

    Publishing asks ``gate`` about the listing's first price (against the product's list price
    and other sellers' prices): a hold keeps the listing ``held`` for a reviewer to release.
    ``expected_price`` (the price the caller saw, e.g. on the review page) refuses the change if
    the listing's price has moved since (:func:`check_price_seen`); a release without one
    expects the price the listing was held at, so a price nobody reviewed never goes on sale."""
    with uow:
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        first_sale, released, reason = _check_step(uow, listing, trigger, actor, reason,
                                                   expected_price)
        if trigger is ListingTrigger.RESUME:
            _check_no_incident_holds_it(uow, listing)
        decision = _first_price_decision(uow, listing, actor, gate, trigger)
        if decision.hold:
            trigger, reason = ListingTrigger.HOLD, decision.reason
        after = replace(listing, status=advance(listing.status, trigger))
        uow.market.save_listing(after, uow.now())
        uow.audit.append(AuditEvent(actor, f"listing.{trigger.value}", "listing", str(listing_id),
                                    before=_listing_json(listing),
                                    after={**_listing_json(after), "reason": reason,
                                           **_guard_after(decision), **released,
                                           **_approved_after(decision),
                                           **_held_reference(uow, listing, decision),
                                           **_first_sale_after(uow, after, first_sale)}),
                         uow.now())
        uow.commit()
        return after


def _check_step(uow: SqlAlchemyUnitOfWork, listing: Listing, trigger: ListingTrigger, actor: str,
                reason: str | None, expected_price: Money | None,
                ) -> tuple[bool, dict[str, object], str | None]:
    """A reviewer's release or send-back of a held listing, by their rules
    (:mod:`sagwa.services.listing_holds`); any other step checks only the price the caller saw.
    Whether the listing goes on sale for the first time, what the audit entry adds, and the
    reason it keeps."""
    held = listing.status is ListingStatus.HELD
    advance(listing.status, trigger)  # a step the status table refuses says so first
    if trigger is ListingTrigger.RELEASE and held:
        first_sale, released = check_release(uow, listing, actor, reason, expected_price)
        return first_sale, released, reason
    if trigger is ListingTrigger.SEND_BACK and held:
        return False, {}, check_send_back(uow, listing, actor, reason, expected_price)
    check_price_seen(listing, expected_price)
    first_sale = trigger is ListingTrigger.PUBLISH and listing.status is ListingStatus.DRAFT
    return first_sale, {}, reason


def _check_no_incident_holds_it(uow: SqlAlchemyUnitOfWork, listing: Listing) -> None:
    """A listing paused in an incident goes back on sale only once it is safe: not while the
    incident is a draft (an operator declares or dismisses it first), and not at the wrong price
    of an incident declared about it or another listing of its product, open or closed, or past
    it (``incident_prices.incident_at``; correct the price first): closing the
    incident settles its customers, not the price (a walkthrough resumed a listing after its
    incident closed and took an order at the very price apologised for)."""
    standing = uow.incidents.standing_for_listing(listing.id)
    for row in standing:
        if row.incident.status is IncidentStatus.DRAFT:
            incident_id = int(row.incident.incident_id)
            raise Conflict(
                f"listing {listing.id} was paused by draft incident {incident_id}; an operator "
                "declares or dismisses it before the listing goes back on sale",
                reason="listing_in_draft_incident", incident_id=incident_id)
    # as proposals: the wrong price of an incident about any listing of the product
    at_wrong = incident_at(uow, listing.id, listing.price)
    if at_wrong is not None:
        closed = " (closed)" if at_wrong.closed else ""
        raise Conflict(
            f"listing {listing.id} still costs {listing.price}, "
            f"{at_wrong.sentences(listing.price)[1]}{closed}; correct the price before putting "
            "it back on sale",
            reason="listing_at_wrong_price", price=listing.price.as_dict(),
            **at_wrong.details(listing.price))


def why_not_resumed(uow: SqlAlchemyUnitOfWork, listing: Listing) -> Conflict | None:
    """What resuming ``listing`` now would be refused with (a draft incident waiting for an
    operator, the price repeating an incident's wrong price), or None: the seller's page says
    it before the click."""
    try:
        _check_no_incident_holds_it(uow, listing)
    except Conflict as refusal:
        return refusal
    return None


def check_not_an_incidents_wrong_price(uow: SqlAlchemyUnitOfWork, listing: Listing,
                                       price: Money) -> None:
    """The wrong price of an incident about any listing of ``listing``'s product (open, or
    closed after it was declared), a price close to it or past it away from the correct price
    (:mod:`sagwa.domain.wrong_price_band`, ``incident_prices``), is not set again: not
    proposed (nor checked in a dry run), not approved by a reviewer, not put back by a
    promotion's end (``promotion_end``), as it is not resumed at
    (:func:`_check_no_incident_holds_it`). Customers would order at the very price the desk
    apologised for, after the incident's window, so outside its cases."""
    again = incident_at(uow, listing.id, price)
    if again is not None:
        raise Conflict(
            f"{price} is {again.sentences(price)[1]}, about listing {listing.id}; the "
            "listing cannot be set to it again",
            reason="price_is_incident_wrong_price", price=price.as_dict(),
            **again.details(price))


def _first_price_decision(uow: SqlAlchemyUnitOfWork, listing: Listing, actor: str,
                          gate: PriceGate, trigger: ListingTrigger) -> GateDecision:
    """The gate's word on the price a listing goes live with when it is first published."""
    if trigger is not ListingTrigger.PUBLISH or listing.status is not ListingStatus.DRAFT:
        return GateDecision(hold=False)
    advance(listing.status, trigger)  # an illegal publish is refused before the gate runs
    approved = approved_first_price(uow, listing)
    if approved is not None:  # a reviewer has already judged this very price: no second review
        return GateDecision(hold=False, reason=f"price approved by {approved.decided_by} in "
                            f"price change {approved.id}", approved_change_id=approved.id)
    first = PriceChangeProposal(listing.id, listing.price, listing.price, actor or "?",
                                first_price=True)
    decision = gate(uow, listing, first)
    back = None if decision.hold else sent_back_at(uow, listing.id, listing.price)
    return decision if back is None else _held_as_sent_back(back, decision.opinion)


def _held_as_sent_back(back: SentBack, opinion: GuardOpinion | None) -> GateDecision:
    """A first price a reviewer sent back, published again unchanged: held for review again,
    whatever the guard says now (the market may have moved, the reviewer's word has not)."""
    held = sent_back_opinion(back, opinion)
    return GateDecision(hold=True, reason=held.reason_en, opinion=held)


def _first_sale_after(uow: SqlAlchemyUnitOfWork, after: Listing,
                      first_sale: bool) -> dict[str, object]:
    """A listing going on sale for the first time (a draft published, or released after the
    guard held it at its publication) keeps what the order tripwire will compare its first day
    with (measured now, before the audit entry takes the log's lock:
    ``tripwire.launch_comparison``)."""
    if after.status is not ListingStatus.LIVE or not first_sale:
        return {}
    return {"launch_comparison": launch_comparison(uow, after, uow.now())}


def _approved_after(decision: GateDecision) -> dict[str, object]:
    """A draft published at a price a reviewer approved names that approval on the audit log."""
    if decision.approved_change_id is None:
        return {}
    return {"approved_price_change_id": decision.approved_change_id,
            "gate": decision.reason}


def _guard_after(decision: GateDecision) -> dict[str, object]:
    """What the audit entry keeps of the gate's opinion; a hold keeps its reason in Korean too
    (``reason`` is the English one), for the reviewers' page."""
    if decision.opinion is None:
        return {}
    korean = {"reason_ko": decision.opinion.reason_ko} if decision.hold else {}
    return {"guard": _guard_json(decision.opinion), **korean}


def _held_reference(uow: SqlAlchemyUnitOfWork, listing: Listing,
                    decision: GateDecision) -> dict[str, object]:
    """A hold at publication keeps the reference the guard has just judged the first price
    against (None: it had none), which a release weighs the price against
    (:func:`sagwa.services.listing_holds.check_release`)."""
    if not decision.hold:
        return {}
    reference = first_price_reference_now(uow, listing)
    return {"reference": reference.as_dict(listing.price.currency) if reference else None}


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
    # the tripwire's: what tripped it and the orders it counted (``tripwire_words.trip_summary``)
    tripped_by: tuple[str, ...] = ()
    orders: int | None = None

    @property
    def trip_words(self) -> tuple[str, str]:
        """What paused it, when the tripwire did: ``(English, Korean)`` — a surge of orders,
        or one order far larger than usual."""
        return trip_summary(self.tripped_by, orders=self.orders)


def latest_pause(uow: SqlAlchemyUnitOfWork, listing_id: int) -> ListingPause | None:
    """The listing's latest pause on the audit log (one indexed lookup for all pause actions)."""
    last = uow.audit.latest_for_entity("listing", str(listing_id), *PAUSE_ACTIONS)
    if last is None:
        return None
    after = last.event.after or {}
    kind = {"listing.paused": "incident", "listing.paused_by_tripwire": "tripwire"}.get(
        last.event.action, "seller")
    incident = after.get("incident_id")
    observed = after.get("observed")
    return ListingPause(kind, last.event.actor, last.occurred_at,
                        after.get("reason_en") or after.get("reason"), after.get("reason_ko"),
                        int(incident) if incident is not None else None,
                        tuple(str(t) for t in after.get("tripped_by") or ()),
                        int(observed) if isinstance(observed, int) else None)


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
                # instants, whatever offset they were written in (+09:00 or Z: one request)
                "starts_at": _utc_text(promotion.starts_at),
                "ends_at": _utc_text(promotion.ends_at)}}


def _utc_text(stamp: datetime | None) -> str | None:
    return None if stamp is None else stamp.astimezone(UTC).isoformat()


def check_seen_price(listing: Listing, seen_price: Money | None) -> None:
    if seen_price is None or seen_price == listing.price:
        return
    raise Conflict(f"listing {listing.id} now costs {listing.price}, not the {seen_price} you "
                   "saw: look at the price now, then propose again", reason="price_moved_since_seen",
                   seen_price=seen_price.as_dict(), price=listing.price.as_dict())


#: ``propose_price_change``'s ``seen_pending`` when the caller names none (no check).
NOT_SEEN = -1


def check_seen_pending(listing_id: int, pending: int | None, seen: int | None) -> None:
    """The change waiting for review the proposer saw (``seen``; None: none) is still the one
    waiting (``pending``): a proposal replaces it, so one proposed or decided since is not
    replaced unseen (409 ``pending_moved_since_seen``)."""
    if pending != seen:
        raise Conflict(f"the price change waiting for review on listing {listing_id} is not the "
                       "one you saw (proposed or decided since): look at it, then propose again",
                       reason="pending_moved_since_seen", pending=pending, seen=seen)


def propose_price_change(uow: SqlAlchemyUnitOfWork, *, listing_id: int, new_price: Money,
                         proposed_by: str, promotion: Promotion | None = None,
                         gate: PriceGate = apply_every_change,
                         idempotency_key: str | None = None,
                         seen_price: Money | None = None,
                         seen_pending: int | None = NOT_SEEN, tell_seller: bool = False,
                         links: LinkMaker | None = None) -> PriceChangeRecord:
    """Record a proposed price; the gate decides whether it goes live now or waits for review.
    A listing never on sale (a draft, or held at its publication) has its new price judged as a
    first price, as publishing judges it (:func:`never_on_sale`). The listing's earlier held
    proposals are superseded by this one — unless it repeats the held one exactly
    (:func:`repeats_held`) and the gate, asked again, still holds it: that change is then
    answered as it is (:class:`AlreadyHeld`), its place in the review queue kept, and nothing
    is written but the idempotency key. A repeat the gate now lets through (a reference came,
    the rules changed) goes live and supersedes the held change, as any allowed change does.

    ``seen_price``: the live price the proposer saw (the seller's form carries it). A price
    changed since — another window, the API, an approved change, a promotion's end — is not
    overwritten unseen: 409 ``price_moved_since_seen`` (a seller walk's stale form replaced a
    running promotion's price without a word). ``seen_pending``: the change waiting for review
    it saw (None: none; :data:`NOT_SEEN`: not said), which this proposal would replace
    (:func:`check_seen_pending`). ``tell_seller``: the proposer is staff, not the seller, who
    is emailed in the same transaction (``seller_listing_notices.queue_staff_change_notice``;
    their page linked with ``links``)."""
    check_proposal_input(new_price, promotion)
    with uow:
        payload = _proposal_payload(listing_id, new_price, proposed_by, promotion)
        prior = prior_result(uow, "price_change", idempotency_key, payload)
        if prior:
            return require(uow.market.price_change(prior["id"]), "price change", prior["id"])
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        check_seen_price(listing, seen_price)
        if seen_pending != NOT_SEEN:
            waiting = uow.market.newest_held_changes([listing_id]).get(listing_id)
            check_seen_pending(listing_id, waiting.id if waiting else None, seen_pending)
        check_proposal_on(uow, listing, new_price, promotion)
        proposal = PriceChangeProposal(listing_id, listing.price, new_price, proposed_by, promotion,
                                       first_price=never_on_sale(uow, listing))
        decision = gate(uow, listing, proposal)
        # judged anew (a reference may have come, the rules changed): only a repeat the gate
        # still holds keeps the held change; one it would now let through goes live as usual
        if decision.hold and (held := _held_again(uow, listing, new_price, promotion)):
            remember(uow, "price_change", idempotency_key, {"id": held.id})
            uow.commit()
            return held
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
        if tell_seller:
            from sagwa.services.seller_listing_notices import queue_staff_change_notice

            queue_staff_change_notice(uow, change=change, links=links,
                                      listing=replace(listing, price=listing.price
                                                      if decision.hold else new_price))
        remember(uow, "price_change", idempotency_key, {"id": change.id})
        uow.commit()
        return change


@dataclass(frozen=True)
class AlreadyHeld(PriceChangeRecord):
    """The listing's held change, answered unchanged to a proposal that repeats it
    (:func:`repeats_held`): the same id, proposed when it was, still held. ``said_en`` and
    ``said_ko`` tell the seller so: "이미 같은 가격이 검토를 기다리고 있습니다(#6, 41일째)."."""

    said_en: str = ""
    said_ko: str = ""


def repeats_held(held: PriceChangeRecord, old_price: Money, new_price: Money,
                 promotion: Promotion | None) -> bool:
    """Whether a proposal from ``old_price`` to ``new_price`` with ``promotion`` is ``held``
    again: the same move (from another live price it is a new one, judged anew), and the same
    declared promotion as stored — its percent to the two decimals kept, the same instants
    whatever offset they were written in — or none on both."""
    if (held.old_price, held.new_price) != (old_price, new_price):
        return False
    if promotion is None or held.promotion_pct is None:
        return promotion is None and held.promotion_pct is None
    return (round(float(promotion.percent), 2) == round(held.promotion_pct, 2)
            and promotion.starts_at == held.promotion_starts_at
            and promotion.ends_at == held.promotion_ends_at)


def _held_again(uow: SqlAlchemyUnitOfWork, listing: Listing, new_price: Money,
                promotion: Promotion | None) -> AlreadyHeld | None:
    """The listing's held change, when the proposal repeats it, with the words for the seller;
    saving it again as a new change would send it to the back of the oldest-first queue."""
    held = uow.market.newest_held_changes([listing.id]).get(listing.id)
    if held is None or not repeats_held(held, listing.price, new_price, promotion):
        return None
    days = (uow.now() - held.proposed_at).days
    age_ko, age_en = ((f"{days}일째", f"waiting {days} day{'s' if days > 1 else ''}")
                      if days >= 1 else ("하루가 안 됨", "under a day"))
    return AlreadyHeld(
        **{f.name: getattr(held, f.name) for f in fields(PriceChangeRecord)},
        said_en=(f"The same price is already waiting for review (#{held.id}, {age_en}). "
                 "Its place in the review queue is kept."),
        said_ko=(f"이미 같은 가격이 검토를 기다리고 있습니다(#{held.id}, {age_ko}). "
                 "검토 순서는 그대로입니다."))


def declared_promotion(percent: float | None, starts_at: datetime | None = None,
                       ends_at: datetime | None = None) -> Promotion | None:
    """The promotion a seller declares with a price, from its parts (the API's and the page's
    forms): none without a percent and dates. Dates without a percent are refused
    (``promotion_percent_missing``): dropping them would put the price on sale for good, with no
    return at the promotion's end."""
    if percent is not None:
        check_percent_value(percent)
        return Promotion(percent, starts_at, ends_at)
    if starts_at is None and ends_at is None:
        return None
    raise InvalidInput(
        "a promotion with dates needs its percent off; without one the price would not go back "
        "when the promotion ends", field="promotion.percent", reason="promotion_percent_missing")


#: A declared promotion's percent off: from 1 to 99.9, with at most one decimal place (the
#: seller's page offers the same; 0.000000001% off is no promotion, and no catalogue says 12.345%).
PROMOTION_PERCENT_MIN, PROMOTION_PERCENT_MAX = 1.0, 99.9


def check_promotion_percent(promotion: Promotion | None) -> None:
    """The percent of a declared promotion, as :func:`check_percent_value` takes it."""
    if promotion is not None:
        check_percent_value(promotion.percent)


def check_percent_value(percent: float) -> None:
    """Refuse a promotion percent below 1, above 99.9 or with more than one decimal place
    (``promotion_percent_range``); the API and the seller's page accept the same values."""
    value = float(percent)
    in_range = PROMOTION_PERCENT_MIN <= value <= PROMOTION_PERCENT_MAX
    if not (in_range and abs(value * 10 - round(value * 10)) < 1e-6):
        raise InvalidInput(
            f"promotion percent must be from {PROMOTION_PERCENT_MIN:g} to "
            f"{PROMOTION_PERCENT_MAX:g} with at most one decimal place, got {percent!r}",
            field="promotion.percent", reason="promotion_percent_range")


def check_product_currency(product: Product, price: Money) -> None:
    """A listing is priced in its product's list price currency (``currency_mismatch``): a
    first price in another one would have nothing to be compared with, and the seller's page
    could not correct it. A product without a list price takes any currency."""
    expected = product.list_price.currency if product.list_price else None
    if expected is not None and price.currency != expected:
        raise InvalidInput(
            f"product {product.id} has its list price in {expected}; a price in "
            f"{price.currency} is refused: give the price in {expected}",
            field="currency", reason="currency_mismatch", currency=expected,
            given=price.currency)


def check_listing_currency(listing: Listing, new_price: Money) -> None:
    """A price in another currency than the listing's is no price change (``currency_mismatch``)."""
    if new_price.currency != listing.price.currency:
        raise InvalidInput(
            f"listing {listing.id} is priced in {listing.price.currency}, not "
            f"{new_price.currency}; a price change keeps the listing's currency",
            field="currency", reason="currency_mismatch", currency=listing.price.currency)


def check_proposal_input(new_price: Money, promotion: Promotion | None) -> None:
    """What a price proposal (and its dry run) must pass before anything is read: a price, and
    a promotion percent that is one. Then :func:`check_proposal_on`, in this order for both, so
    the dry run refuses what the proposal would, with the same first refusal."""
    check_price(new_price)
    check_promotion_percent(promotion)


def check_proposal_on(uow: SqlAlchemyUnitOfWork, listing: Listing, new_price: Money,
                      promotion: Promotion | None, *, same_price: bool = False) -> None:
    """What a price proposal on ``listing`` must pass before the guard judges it: the listing
    has not ended, the price is in its currency (and the product's list price's), differs
    from the current one and does not repeat the wrong price of an incident about the listing
    (:func:`check_not_an_incidents_wrong_price`), and a declared promotion is running now.
    ``same_price``: the current price is no refusal (the dry run of a listing never on sale
    previews publishing it at its own price)."""
    _check_price_may_change(listing, new_price, same_price=same_price)
    check_not_an_incidents_wrong_price(uow, listing, new_price)
    check_product_currency(
        require(uow.catalog.product(listing.product_id), "product", listing.product_id),
        new_price)
    check_promotion_running(promotion, uow.now())


def _check_price_may_change(listing: Listing, new_price: Money, *,
                            same_price: bool = False) -> None:
    if listing.status is ListingStatus.ENDED:
        raise Conflict(
            f"listing {listing.id} has ended; its price cannot change", reason="listing_ended"
        )
    check_listing_currency(listing, new_price)
    if new_price == listing.price and not same_price:
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
