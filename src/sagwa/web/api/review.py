"""The price guard over HTTP: dry-run checks and the reviewers' queue of held changes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from sagwa.services import price_review
from sagwa.services.accounts import Account
from sagwa.web.api.market import (
    SELLER_OR_STAFF,
    change_public,
    guard_public,
    listing_public,
    promotion_of,
    require_own_listing,
)
from sagwa.web.deps import REVIEWER, ReviewerCaller, Rules, Uow, recorded_name
from sagwa.web.schemas import (
    GuardPublic,
    PriceChangeDecision,
    PriceChangePublic,
    PriceCheckRequest,
    ReviewItemPublic,
)

router = APIRouter(prefix="/api", tags=["price guard"])


@router.post("/price-changes/check", response_model=GuardPublic)
def check(body: PriceCheckRequest, uow: Uow, rules: Rules,
          caller: Annotated[Account, Depends(SELLER_OR_STAFF)]) -> GuardPublic:
    """Dry run: what the guard would say about this price, with nothing stored."""
    require_own_listing(uow, caller, body.listing_id)
    opinion = price_review.check_price_change(
        uow(), listing_id=body.listing_id, new_price=body.new_price.to_money(), rules=rules,
        promotion=promotion_of(body.promotion))
    result = guard_public(opinion)
    assert result is not None
    return result


@router.get("/review/price-changes", response_model=list[ReviewItemPublic],
            dependencies=[REVIEWER])
def queue(uow: Uow, limit: int = Query(50, ge=1, le=500),
          offset: int = Query(0, ge=0)) -> list[ReviewItemPublic]:
    """Held price changes, oldest first."""
    return [ReviewItemPublic(change=change_public(i.change), listing=listing_public(i.listing),
                             product_title=i.product_title, seller_name=i.seller_name,
                             stale=i.stale_ko_en[1] if i.stale_ko_en else None)
            for i in price_review.review_queue(uow(), limit=limit, offset=offset)]


@router.post("/price-changes/{change_id}/approve", response_model=PriceChangePublic)
def approve(change_id: int, body: PriceChangeDecision, uow: Uow,
            caller: ReviewerCaller) -> PriceChangePublic:
    return change_public(price_review.approve_price_change(
        uow(), change_id=change_id, reviewer=recorded_name(caller, body.reviewer, "reviewer"),
        reason=body.reason))


@router.post("/price-changes/{change_id}/reject", response_model=PriceChangePublic)
def reject(change_id: int, body: PriceChangeDecision, uow: Uow,
           caller: ReviewerCaller) -> PriceChangePublic:
    return change_public(price_review.reject_price_change(
        uow(), change_id=change_id, reviewer=recorded_name(caller, body.reviewer, "reviewer"),
        reason=body.reason or ""))
