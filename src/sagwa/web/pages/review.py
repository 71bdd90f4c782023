"""The reviewers' queue: held price changes with their evidence; approve or reject with a reason
(the services put each decision on the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from sagwa.domain.pricing import Promotion
from sagwa.errors import SagwaError
from sagwa.priceguard import ChangeEvidence
from sagwa.services import price_review
from sagwa.services.price_review import ReviewItem, gather_evidence
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute, error_text
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import Reviewer, csrf_protect
from sagwa.web.pages.sparkline import sparkline

router = APIRouter(prefix="/ops/review", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)


@dataclass(frozen=True)
class ReviewCard:
    item: ReviewItem
    evidence: ChangeEvidence
    spark: Markup
    drop_pct: float


def review_context(uow: SqlAlchemyUnitOfWork, *, limit: int = 50) -> dict[str, Any]:
    items = price_review.review_queue(uow, limit=limit)
    cards = []
    with uow:
        for item in items:
            c = item.change
            promo = Promotion(c.promotion_pct) if c.promotion_pct else None
            evidence = gather_evidence(uow, item.listing, c.new_price, promo)
            old = c.old_price.amount_minor
            cards.append(ReviewCard(item, evidence, sparkline(
                list(evidence.recent_prices_minor), c.new_price.amount_minor,
                label=f"{item.product_title}: {old} → {c.new_price.amount_minor}"),
                round((c.new_price.amount_minor - old) / old * 100, 1) if old else 0.0))
    return {"cards": cards}


@router.get("", response_class=HTMLResponse)
def queue(request: Request, account: Reviewer, uow: Uow) -> Response:
    return render(request, "review/queue.html", review_context(uow()))


def _refused(request: Request, uow: Uow, change_id: int, reason: str,
             exc: SagwaError) -> Response:
    """The queue again, the refusal next to its card and the typed reason still there."""
    context = {**review_context(uow()), "here": "/ops/review", "problem": {
        "change_id": change_id, "message": error_text(exc, lang_of(request)), "reason": reason}}
    return render(request, "review/queue.html", context, status_code=exc.http_status)


@router.post("/{change_id}/approve")
def approve(change_id: int, request: Request, account: Reviewer, uow: Uow,
            reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        price_review.approve_price_change(uow(), change_id=change_id, reviewer=account.actor,
                                          reason=reason.strip() or None)
    except SagwaError as exc:
        return _refused(request, uow, change_id, reason, exc)
    flash_in_lang(request, f"#{change_id} 승인: 새 가격이 반영되었습니다.",
                  f"#{change_id} approved: the new price is live.")
    return RedirectResponse("/ops/review", status_code=303)


@router.post("/{change_id}/reject")
def reject(change_id: int, request: Request, account: Reviewer, uow: Uow,
           reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        price_review.reject_price_change(uow(), change_id=change_id, reviewer=account.actor,
                                         reason=reason)
    except SagwaError as exc:
        return _refused(request, uow, change_id, reason, exc)
    flash_in_lang(request, f"#{change_id} 거절: 판매가는 그대로입니다.",
                  f"#{change_id} rejected: the live price never moved.")
    return RedirectResponse("/ops/review", status_code=303)
