"""Create listings, move them through their statuses, and propose price changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditEvent
from sagwa.domain.listings import Listing, ListingTrigger, advance
from sagwa.domain.money import Money, check_price
from sagwa.domain.pricing import GuardOpinion, PriceChangeProposal, PriceChangeStatus, Promotion
from sagwa.errors import Conflict, InvalidInput
from sagwa.services.idempotency import prior_result, remember
from sagwa.services.lookups import require
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
                          actor: str, reason: str | None = None) -> Listing:
    """Publish, pause, resume, hold, release or end a listing, as the status table allows."""
    with uow:
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        after = replace(listing, status=advance(listing.status, trigger))
        uow.market.save_listing(after, uow.now())
        uow.audit.append(AuditEvent(actor, f"listing.{trigger.value}", "listing", str(listing_id),
                                    before=_listing_json(listing),
                                    after={**_listing_json(after), "reason": reason}), uow.now())
        uow.commit()
        return after


def propose_price_change(uow: SqlAlchemyUnitOfWork, *, listing_id: int, new_price: Money,
                         proposed_by: str, promotion: Promotion | None = None,
                         gate: PriceGate = apply_every_change,
                         idempotency_key: str | None = None) -> PriceChangeRecord:
    """Record a proposed price; the gate decides whether it goes live now or waits for review."""
    check_price(new_price)
    with uow:
        payload = {"listing_id": listing_id, "new_price": new_price.as_dict(),
                   "promotion": promotion.percent if promotion else None}
        prior = prior_result(uow, "price_change", idempotency_key, payload)
        if prior:
            return require(uow.market.price_change(prior["id"]), "price change", prior["id"])
        listing = require(uow.market.listing(listing_id, for_update=True), "listing", listing_id)
        if listing.status.value == "ended":
            raise Conflict(
                f"listing {listing_id} has ended; its price cannot change", reason="listing_ended"
            )
        if new_price == listing.price:
            raise InvalidInput(
                f"the listing already costs {new_price}",
                field="new_price",
                reason="price_unchanged",
            )
        proposal = PriceChangeProposal(listing_id, listing.price, new_price, proposed_by, promotion)
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
                   "reason": decision.reason,
                   "guard": ({"verdict": decision.opinion.verdict,
                              "error_type": decision.opinion.error_type,
                              "score_bp": round(decision.opinion.score * 10_000)}
                             if decision.opinion else None)}), uow.now())
        remember(uow, "price_change", idempotency_key, {"id": change.id})
        uow.commit()
        return change
