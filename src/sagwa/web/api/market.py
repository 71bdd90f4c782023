"""Listings, price changes and orders."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from sagwa.adapters.db.market_repo import OrderRecord, PriceChangeRecord
from sagwa.domain.listings import (
    SHOWN_TO_ANYONE,
    Listing,
    ListingStatus,
    ListingTrigger,
    shown_to,
)
from sagwa.domain.orders import OrderMoney, OrderStatus, order_money
from sagwa.domain.pricing import GuardOpinion, Promotion
from sagwa.errors import InvalidInput
from sagwa.priceguard.tripwire import VelocityRules
from sagwa.services import listings, orders
from sagwa.services.accounts import Account, Role
from sagwa.services.listing_holds import publication_hold
from sagwa.services.lookups import require
from sagwa.services.price_review import guard_gate
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.api.request_fields import PROMOTION_FIELDS, as_sent, money_fields
from sagwa.web.deps import (
    ADMIN,
    AGENT,
    Actor,
    ApiAccess,
    IdempotencyKey,
    PublicCaller,
    ReviewerCaller,
    Rules,
    SellerCaller,
    Uow,
    act_for_seller,
    api_caller,
    case_links,
    is_staff,
    recorded_name,
)
from sagwa.web.schemas import (
    GuardPublic,
    ListingAction,
    ListingCreate,
    ListingHoldPublic,
    ListingPublic,
    ListingRelease,
    ListingSendBack,
    ListingStatusChange,
    MoneyIO,
    OrderCreate,
    OrderMoneyPublic,
    PriceChangeCreate,
    PriceChangePublic,
    PromotionIO,
)

router = APIRouter(prefix="/api", tags=["market"])
#: A price change's body (``PriceChangeCreate``, ``PriceCheckRequest``) as refusals name it.
PRICE_CHANGE_FIELDS = {**money_fields("new_price"), **PROMOTION_FIELDS,
                       "proposed_by": "body.proposed_by"}


def listing_public(listing: Listing) -> ListingPublic:
    return ListingPublic(id=listing.id, seller_id=listing.seller_id, product_id=listing.product_id,
                         price=MoneyIO.of(listing.price), status=listing.status.value)


def listing_with_hold(u: SqlAlchemyUnitOfWork, listing: Listing) -> ListingPublic:
    """Inside an open unit of work: ``listing_public`` and, for a held listing, why the guard
    held it (a seller publishing over the API got only ``"status": "held"``, and may not read
    the reviewers' queue)."""
    out = listing_public(listing)
    hold = publication_hold(u, listing.id) if listing.status is ListingStatus.HELD else None
    if hold is None:
        return out
    return out.model_copy(update={"hold": ListingHoldPublic(
        held_at=hold.held_at, reason_en=hold.reason_en, reason_ko=hold.reason_ko,
        error_type=hold.error_type, score=hold.score, reason_code=hold.reason_code)})


def promotion_of(promo: PromotionIO | None) -> Promotion | None:
    """The declared promotion; dates without a percent are refused (422, reason
    `promotion_percent_missing`), as on the seller's page. So is an empty one (`{}` or a null
    percent): a client that names a promotion and gives no percent has forgotten it, and
    reading it as none would put the price live as a plain cut; no promotion is `null` or
    leaving the field out."""
    if promo is None:
        return None
    if promo.percent is None and promo.starts_at is None and promo.ends_at is None:
        raise InvalidInput(
            "the promotion has no percent off: give `promotion.percent`, or leave `promotion` "
            "out (or null) for a price change without one", field="promotion.percent",
            reason="promotion_percent_missing")
    return listings.declared_promotion(promo.percent, promo.starts_at, promo.ends_at)


def guard_public(g: GuardOpinion | None, currency: str | None = None) -> GuardPublic | None:
    """The guard's opinion; its ``*_minor`` facts are bare minor units of the price's
    ``currency``, which is appended to them as ``facts.currency`` (the facts as stored stay)."""
    if g is None:
        return None
    facts = dict(g.facts)
    if currency and "currency" not in facts and any(k.endswith("_minor") for k in facts):
        facts["currency"] = currency
    return GuardPublic(verdict=g.verdict, score=g.score, error_type=g.error_type,
                       reason_code=g.reason_code, reason_en=g.reason_en, reason_ko=g.reason_ko,
                       facts=facts)


def change_public(c: PriceChangeRecord) -> PriceChangePublic:
    return PriceChangePublic(
        id=c.id, listing_id=c.listing_id, old_price=MoneyIO.of(c.old_price),
        new_price=MoneyIO.of(c.new_price), proposed_by=c.proposed_by, proposed_at=c.proposed_at,
        promotion_pct=c.promotion_pct, status=c.status.value, decided_by=c.decided_by,
        decision_reason=c.decision_reason, decided_at=c.decided_at,
        guard=guard_public(c.guard, c.new_price.currency),
        promotion_starts_at=c.promotion_starts_at if c.promotion_pct else None,
        promotion_ends_at=c.promotion_ends_at if c.promotion_pct else None)


def order_public(o: OrderRecord, money: OrderMoney | None = None) -> OrderMoneyPublic:
    """``o`` as the API shows it, with ``money`` (``services.orders.orders_money``; None: the
    order stands as placed). An order standing shows its units and unit price now (a discount
    awaiting its difference: the new price); a cancelled one shows them as placed — what was
    paid and refunded — never a price a discount set that the customer did not pay."""
    money = money if money is not None else order_money(
        status=o.status, quantity=o.quantity, unit_price=o.unit_price, placed=None)
    cancelled = o.status is OrderStatus.CANCELLED
    quantity = money.quantity if cancelled else o.quantity
    unit_price = money.unit_price if cancelled else o.unit_price
    return OrderMoneyPublic(id=o.id, customer_id=o.customer_id, listing_id=o.listing_id,
                            quantity=quantity, unit_price=MoneyIO.of(unit_price),
                            total=MoneyIO.of(unit_price.times(quantity)), status=o.status.value,
                            placed_at=o.placed_at, paid=MoneyIO.of(money.paid),
                            refunded=MoneyIO.of(money.refunded))


SELLER_OR_STAFF = api_caller(Role.SELLER, Role.REVIEWER, Role.AGENT)


def require_own_listing(uow: Uow, caller: Account, listing_id: int) -> None:
    """404 for a listing that does not exist; 403 for a seller's call on another's listing."""
    with uow() as u:
        listing = require(u.market.listing(listing_id), "listing", listing_id)
    act_for_seller(caller, listing.seller_id)


@router.post("/listings", status_code=201, response_model=ListingPublic)
def create_listing(body: ListingCreate, uow: Uow, actor: Actor, caller: SellerCaller,
                   key: IdempotencyKey, rules: Rules) -> ListingPublic:
    act_for_seller(caller, body.seller_id)
    with as_sent(money_fields("price")):
        listing = listings.create_listing(
            uow(), seller_id=body.seller_id, product_id=body.product_id,
            price=body.price.to_money(), actor=actor,
            idempotency_key=key.with_request(publish=body.publish))
    if body.publish and listing.status.value == "draft":
        # the first price meets the guard: a hold leaves the listing "held" for a reviewer
        listing = listings.change_listing_status(uow(), listing_id=listing.id,
                                                 trigger=ListingTrigger.PUBLISH, actor=actor,
                                                 gate=guard_gate(rules))
    with uow() as u:
        return listing_with_hold(u, listing)


@router.get("/listings", response_model=list[ListingPublic])
def list_listings(uow: Uow, caller: PublicCaller, seller_id: int | None = None,
                  product_id: int | None = None, status: ListingStatus | None = None,
                  limit: int = Query(50, ge=1, le=500),
                  offset: int = Query(0, ge=0)) -> list[ListingPublic]:
    """Listings by id, optionally of one seller, one product, or in one status (`draft`,
    `live`, `held`, `paused`, `ended`; another value is refused with 422). Anyone reads the
    catalogue's (`live`, `paused`); drafts, held and ended listings only their seller (its API
    token or sign-in) and staff."""
    with uow() as u:
        found = u.market.list_listings(
            seller_id=seller_id, product_id=product_id, limit=limit, offset=offset,
            status=status, only=None if is_staff(caller) else SHOWN_TO_ANYONE,
            all_of_seller=caller.seller_id if caller is not None else None)
        return [listing_public(item) for item in found]


@router.get("/listings/{listing_id}", response_model=ListingPublic)
def get_listing(listing_id: int, uow: Uow, caller: PublicCaller) -> ListingPublic:
    """A listing; a draft, held or ended one only to its seller and staff (to anyone else, 404
    as a listing that does not exist)."""
    with uow() as u:
        listing = u.market.listing(listing_id)
        if listing is not None and not shown_to(
                listing.status, listing.seller_id, staff=is_staff(caller),
                seller_id=caller.seller_id if caller is not None else None):
            listing = None
        return listing_with_hold(u, require(listing, "listing", listing_id))


@router.post("/listings/{listing_id}/price-changes", status_code=201,
             response_model=PriceChangePublic)
def propose_price_change(listing_id: int, body: PriceChangeCreate, request: Request, uow: Uow,
                         rules: Rules, caller: SellerCaller,
                         key: IdempotencyKey) -> PriceChangePublic:
    """Propose a new price. The price guard answers first: `applied` (live now) or `held`
    (waiting for a reviewer; the live price stays as it was), with its reasons. A change an
    admin proposes on a seller's listing is emailed to the seller (their contact address)."""
    require_own_listing(uow, caller, listing_id)
    with as_sent(PRICE_CHANGE_FIELDS):
        change = listings.propose_price_change(
            uow(), listing_id=listing_id, new_price=body.new_price.to_money(),
            proposed_by=recorded_name(caller, body.proposed_by, "proposed_by"),
            promotion=promotion_of(body.promotion), gate=guard_gate(rules), idempotency_key=key,
            seen_price=body.seen_price.to_money() if body.seen_price else None,
            tell_seller=caller.role is not Role.SELLER, links=case_links(request))
    return change_public(change)


@router.get("/listings/{listing_id}/price-changes", response_model=list[PriceChangePublic])
def list_price_changes(listing_id: int, uow: Uow,
                       caller: Annotated[Account, Depends(SELLER_OR_STAFF)],
                       limit: int = Query(100, ge=1, le=500),
                       offset: int = Query(0, ge=0)) -> list[PriceChangePublic]:
    """The listing's price changes, the latest first: `limit` of them (at most 500) after
    `offset` (page on with `offset` while a page comes back full)."""
    require_own_listing(uow, caller, listing_id)
    with uow() as u:
        return [change_public(c) for c in u.market.price_changes_for(listing_id, limit=limit,
                                                                      offset=offset)]


@router.post("/orders", status_code=201, response_model=OrderMoneyPublic,
             dependencies=[ADMIN])
def place_order(body: OrderCreate, request: Request, uow: Uow, actor: Actor,
                key: IdempotencyKey, rules: Rules, access: ApiAccess) -> OrderMoneyPublic:
    """Place an order for a customer. It changes the customer's data: the access is recorded
    in the order's transaction, naming the customer (503 ``access_record_unwritten`` and no
    order when it cannot be); a retry with the same Idempotency-Key leaves a view record."""
    order = orders.place_order(access.changing(uow(), customers=[body.customer_id]),
                               customer_id=body.customer_id, listing_id=body.listing_id,
                               quantity=body.quantity, actor=actor, idempotency_key=key,
                               velocity=VelocityRules(price_rules=rules),
                               policy=request.app.state.desk_policy, links=case_links(request))
    access.answered(customers=[body.customer_id])
    with uow() as u:  # a retry may answer an order the desk changed since
        return order_public(order, orders.orders_money(u, [order])[order.id])


@router.get("/orders/{order_id}", response_model=OrderMoneyPublic, dependencies=[AGENT])
def get_order(order_id: int, uow: Uow, access: ApiAccess) -> OrderMoneyPublic:
    with uow() as u:
        order = require(u.market.order(order_id), "order", order_id)
        shown = order_public(order, orders.orders_money(u, [order])[order.id])
    access.viewed(customers=[order.customer_id])
    return shown


@router.get("/customers/{customer_id}/orders", response_model=list[OrderMoneyPublic],
            dependencies=[AGENT])
def customer_orders(customer_id: int, uow: Uow, access: ApiAccess) -> list[OrderMoneyPublic]:
    with uow() as u:
        require(u.catalog.customer(customer_id), "customer", customer_id)
        found = u.market.orders_for_customer(customer_id)
        money = orders.orders_money(u, found)
        shown = [order_public(o, money[o.id]) for o in found]
    access.viewed()
    return shown


@router.post("/listings/{listing_id}/release", response_model=ListingPublic,
             summary="Release a listing the guard held at publication (reviewers)")
def release_listing(listing_id: int, uow: Uow, actor: Actor, _reviewer: ReviewerCaller,
                    body: ListingRelease | None = None) -> ListingPublic:
    """Put a listing the price guard held at its publication on sale. Refused to whoever
    published it or typed its price (403 `forbidden`, reason `own_held_listing`), if its price is not
    `expected_price` (409 `conflict`, reason `listing_price_moved`), while a newer price of the
    seller's waits for review (409, reason `newer_price_waiting`, with its `change_id`: approve
    or reject it first), and without a `reason` when its first price is half or less, or
    twice or more, of the list price (else the other sellers' median), or there is neither to compare it with (422 `invalid_input`, field `reason`, reason
    `release_needs_reason`, with the `reference` it was compared with; a reason of fewer than 4
    letters or digits, a Hangul syllable counting two: `reason_too_short`). The reason is kept on the audit log."""
    expected = body.expected_price if body else None
    listing = listings.change_listing_status(uow(), listing_id=listing_id,
                                             trigger=ListingTrigger.RELEASE, actor=actor,
                                             reason=body.reason if body else None,
                                             expected_price=expected.to_money() if expected
                                             else None)
    return listing_public(listing)


@router.post("/listings/{listing_id}/send-back", response_model=ListingPublic,
             summary="Send a listing the guard held at publication back to draft (reviewers)")
def send_back_listing(listing_id: int, uow: Uow, actor: Actor, _reviewer: ReviewerCaller,
                      body: ListingSendBack | None = None) -> ListingPublic:
    """Refuse the first price of a listing the price guard held at its publication: it goes
    back to `draft`, for its seller to correct the price and publish again. Always needs a
    `reason` the seller can act on (422 `invalid_input`, field `reason`, reason
    `send_back_needs_reason`; fewer than 4 letters or digits, a Hangul syllable counting two:
    `reason_too_short`); refused to
    whoever published it or typed its price (403, `own_held_listing`) and if its price is not `expected_price`
    (409, `listing_price_moved`). The reason is kept on the audit log and shown to the seller."""
    expected = body.expected_price if body else None
    listing = listings.change_listing_status(uow(), listing_id=listing_id,
                                             trigger=ListingTrigger.SEND_BACK, actor=actor,
                                             reason=body.reason if body else None,
                                             expected_price=expected.to_money() if expected
                                             else None)
    return listing_public(listing)


# Registered last so that /listings/{id}/price-changes, /release and /send-back are matched first.
@router.post("/listings/{listing_id}/{action}", response_model=ListingPublic,
             summary="Publish, pause, resume or end a listing")
def change_status(listing_id: int, action: ListingAction, uow: Uow, actor: Actor,
                  caller: SellerCaller, rules: Rules,
                  body: ListingStatusChange | None = None) -> ListingPublic:
    require_own_listing(uow, caller, listing_id)
    listing = listings.change_listing_status(uow(), listing_id=listing_id,
                                             trigger=ListingTrigger(action.value), actor=actor,
                                             reason=body.reason if body else None,
                                             gate=guard_gate(rules))
    with uow() as u:
        return listing_with_hold(u, listing)
