"""The price guard over HTTP: dry-run checks and the reviewers' queue of held changes."""

from __future__ import annotations

from fastapi import APIRouter, Query

from sagwa.services import price_review
from sagwa.web.api.market import change_public, guard_public, listing_public, promotion_of
from sagwa.web.deps import Rules, Uow
from sagwa.web.schemas import (
    GuardPublic,
    PriceChangeDecision,
    PriceChangePublic,
    PriceCheckRequest,
    ReviewItemPublic,
)

router = APIRouter(prefix="/api", tags=["price guard"])


@router.post("/price-changes/check", response_model=GuardPublic)
def check(body: PriceCheckRequest, uow: Uow, rules: Rules) -> GuardPublic:
    """Dry run: what the guard would say about this price, with nothing stored."""
    opinion = price_review.check_price_change(
        uow(), listing_id=body.listing_id, new_price=body.new_price.to_money(), rules=rules,
        promotion=promotion_of(body.promotion))
    result = guard_public(opinion)
    assert result is not None
    return result


@router.get("/review/price-changes", response_model=list[ReviewItemPublic])
def queue(uow: Uow, limit: int = Query(50, ge=1, le=500),
          offset: int = Query(0, ge=0)) -> list[ReviewItemPublic]:
    """Held price changes, oldest first."""
    return [ReviewItemPublic(change=change_public(i.change), listing=listing_public(i.listing),
                             product_title=i.product_title, seller_name=i.seller_name)
            for i in price_review.review_queue(uow(), limit=limit, offset=offset)]


@router.post("/price-changes/{change_id}/approve", response_model=PriceChangePublic)
def approve(change_id: int, body: PriceChangeDecision, uow: Uow) -> PriceChangePublic:
    return change_public(price_review.approve_price_change(
        uow(), change_id=change_id, reviewer=body.reviewer, reason=body.reason))


@router.post("/price-changes/{change_id}/reject", response_model=PriceChangePublic)
def reject(change_id: int, body: PriceChangeDecision, uow: Uow) -> PriceChangePublic:
    return change_public(price_review.reject_price_change(
        uow(), change_id=change_id, reviewer=body.reviewer, reason=body.reason or ""))
