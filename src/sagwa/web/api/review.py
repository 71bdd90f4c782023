"""The price guard over HTTP: dry-run checks and the reviewers' queue of held changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from sagwa.domain.money import Money
from sagwa.errors import Forbidden
from sagwa.services import listings, price_review
from sagwa.services.accounts import Account, Role
from sagwa.services.listing_holds import HeldListing
from sagwa.services.price_review import QueueOrder
from sagwa.web.api.market import (
    PRICE_CHANGE_FIELDS,
    SELLER_OR_STAFF,
    change_public,
    guard_public,
    listing_public,
    promotion_of,
    require_own_listing,
)
from sagwa.web.api.request_fields import as_sent
from sagwa.web.deps import (
    REVIEWER,
    ReviewerCaller,
    Rules,
    Uow,
    api_actor,
    case_links,
    recorded_name,
)
from sagwa.web.schemas import (
    GuardPublic,
    HeldListingPublic,
    MoneyIO,
    PriceChangeDecision,
    PriceChangePublic,
    PriceCheckRequest,
    ReviewItemPublic,
)

router = APIRouter(prefix="/api", tags=["price guard"])
#: A seller's or listing's id that filters a queue (`?seller=`, `?listing=`): an id of ours.
FilterId = Annotated[int | None, Query(ge=1, le=10**18 - 1)]


@router.post("/price-changes/check", response_model=GuardPublic)
def check(body: PriceCheckRequest, uow: Uow, rules: Rules,
          caller: Annotated[Account, Depends(SELLER_OR_STAFF)]) -> GuardPublic:
    """Dry run: what the guard would say about this price, with nothing stored. What
    `POST /api/listings/{id}/price-changes` would refuse is refused here the same way, first
    refusal first: an ended listing (409 `listing_ended`), another currency
    (`currency_mismatch`), the listing's own price (`price_unchanged`; a draft's own price is
    judged, as publishing it would be), a promotion that is not running now or whose percent
    is out of range."""
    require_own_listing(uow, caller, body.listing_id)
    with as_sent(PRICE_CHANGE_FIELDS):
        opinion = price_review.check_price_change(
            uow(), listing_id=body.listing_id, new_price=body.new_price.to_money(),
            rules=rules, promotion=promotion_of(body.promotion))
    result = guard_public(opinion, body.new_price.currency)
    assert result is not None
    return result


@router.get("/review/price-changes", response_model=list[ReviewItemPublic],
            dependencies=[REVIEWER])
def queue(uow: Uow, limit: int = Query(50, ge=1, le=500),
          offset: int = Query(0, ge=0), order: QueueOrder = "oldest",
          seller: FilterId = None,
          listing: FilterId = None) -> list[ReviewItemPublic]:
    """Held price changes, oldest first (`order=risk`: the guard's highest score first, then
    the oldest); with `seller` (a seller's id) or `listing` (a listing's id), only the
    changes of that seller's listings or of that listing."""
    return [ReviewItemPublic(change=change_public(i.change), listing=listing_public(i.listing),
                             product_title=i.product_title, seller_name=i.seller_name,
                             stale=i.stale_ko_en[1] if i.stale_ko_en else None,
                             stale_ko=i.stale_ko_en[0] if i.stale_ko_en else None,
                             stale_reason=i.stale_code,
                             promotion_starts_at=i.change.promotion_starts_at
                             if i.change.promotion_pct else None,
                             promotion_ends_at=i.change.promotion_ends_at
                             if i.change.promotion_pct else None)
            for i in price_review.review_queue(uow(), limit=limit, offset=offset,
                                                order=order, seller_id=seller,
                                                listing_id=listing)]


@router.get("/review/listings", response_model=list[HeldListingPublic],
            dependencies=[REVIEWER])
def held_listings(uow: Uow, rules: Rules, limit: int = Query(50, ge=1, le=500),
                  order: QueueOrder = "oldest", offset: int = Query(0, ge=0),
                  seller: FilterId = None,
                  listing: FilterId = None,
                  ) -> list[HeldListingPublic]:
    """Listings the price guard held at their publication, longest waiting first (`order=risk`:
    the guard's highest score first), with the reference the guard judged the first price
    against (release them with `POST /api/listings/{id}/release`, or send them back with
    `/send-back`); with `seller` (a seller's id) or `listing` (a listing's id), only that
    seller's listings or that listing, as the price changes' queue. A listing whose price
    changed after the hold (its seller's change, or an approved one) has reasons about its
    current price: the change, then the guard's judgement of the price it has now."""
    held = listings.held_listings(uow(), limit=limit, offset=offset,
                                  riskiest_first=order == "risk", seller_id=seller,
                                  listing_id=listing)
    return [held_public(h) for h in price_review.judge_moved_holds(uow(), held, rules)]


def held_public(h: HeldListing) -> HeldListingPublic:
    hold, back, ref = h.hold, h.sent_back, h.reference
    moved = price_review.moved_hold_reasons(h)
    return HeldListingPublic(
        listing=listing_public(h.listing), product_title=h.product_title,
        seller_name=h.seller_name, held_by=hold.held_by if hold else None,
        held_at=hold.held_at if hold else None,
        reason_en=moved[1] if moved else hold.reason_en if hold else None,
        reason_ko=moved[0] if moved else hold.reason_ko if hold else None,
        reference=MoneyIO.of(Money(ref.amount_minor, h.listing.price.currency)) if ref else None,
        reference_kind=ref.kind if ref else None, release_needs_reason=h.needs_reason,
        sent_back_at=back.at if back else None, sent_back_by=back.by if back else None,
        sent_back_reason=back.reason if back else None)


@router.post("/price-changes/{change_id}/approve", response_model=PriceChangePublic)
def approve(change_id: int, body: PriceChangeDecision, request: Request, uow: Uow,
            caller: ReviewerCaller) -> PriceChangePublic:
    return change_public(price_review.approve_price_change(
        uow(), change_id=change_id, reviewer=recorded_name(caller, body.reviewer, "reviewer"),
        reason=body.reason, links=case_links(request)))


@router.post("/price-changes/{change_id}/withdraw", response_model=PriceChangePublic)
def withdraw(change_id: int, uow: Uow,
             caller: Annotated[Account, Depends(SELLER_OR_STAFF)]) -> PriceChangePublic:
    """The seller takes back a held change of their own listing (409 `change_not_held` when it
    was decided already); it leaves the review queue, and the live price never moved. Only a
    seller account withdraws (403 `only_seller_withdraws`): staff reject, with a reason."""
    if caller.role is not Role.SELLER or caller.seller_id is None:
        raise Forbidden("only the listing's seller withdraws a held price change; a reviewer "
                        "rejects it, with a reason the seller can read",
                        reason="only_seller_withdraws")
    return change_public(price_review.withdraw_price_change(
        uow(), change_id=change_id, by=api_actor(caller), seller_id=caller.seller_id))


@router.post("/price-changes/{change_id}/reject", response_model=PriceChangePublic)
def reject(change_id: int, body: PriceChangeDecision, request: Request, uow: Uow,
           caller: ReviewerCaller) -> PriceChangePublic:
    return change_public(price_review.reject_price_change(
        uow(), change_id=change_id, reviewer=recorded_name(caller, body.reviewer, "reviewer"),
        reason=body.reason or "", links=case_links(request)))
