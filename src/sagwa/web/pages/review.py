"""The reviewers' queue: held price changes with their evidence, approved or rejected with a
reason, and listings the price guard held when they were published, released to go live or sent
back to their seller with a reason (the services put each decision on the audit log). A reviewer's own change or own published listing
shows no button the service would refuse; the service still refuses it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from sagwa.domain.listings import ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.price_moves import PriceReference
from sagwa.domain.pricing import Promotion
from sagwa.errors import Forbidden, SagwaError
from sagwa.priceguard import ChangeEvidence
from sagwa.services import listings, price_review
from sagwa.services.listing_holds import release_reference
from sagwa.services.listings import HeldListing
from sagwa.services.price_review import ReviewItem, check_not_own_change, gather_evidence
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute, error_text
from sagwa.web.pages.forms import parse_int
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
    own: bool
    """The viewer proposed it: the service refuses their approval (``own_change``)."""
    needs_reason: bool = False
    """Approving it needs a reason (the price halves or doubles: ``approval_needs_reason``)."""


@dataclass(frozen=True)
class HeldListingCard:
    held: HeldListing
    evidence: ChangeEvidence
    own: bool
    """The viewer published it: the service refuses their release (``own_held_listing``)."""
    needs_reason: bool = False
    """Releasing it needs a reason (``release_needs_reason``): its first price is half or less,
    or twice or more, of ``reference`` — or ``reference`` is None: nothing to compare it with."""
    reference: PriceReference | None = None


def _refuses(rule: Callable[[], None]) -> bool:
    """Whether a service's rule refuses the viewer, so the page leaves out that button."""
    try:
        rule()
    except Forbidden:
        return True
    return False


def review_context(uow: SqlAlchemyUnitOfWork, *, viewer: str, limit: int = 50) -> dict[str, Any]:
    """Both queues as the reviewer ``viewer`` (an audit-log name) sees them: the oldest
    ``limit`` of each, and how many wait in all."""
    items = price_review.review_queue(uow, limit=limit)
    held = listings.held_listings(uow, limit=limit)
    totals = {"changes": price_review.held_change_count(uow),
              "listings": listings.held_listing_count(uow)}
    with uow:
        return {"cards": [_change_card(uow, item, viewer) for item in items],
                "held_cards": [_held_card(uow, h, viewer) for h in held], "totals": totals}


def _change_card(uow: SqlAlchemyUnitOfWork, item: ReviewItem, viewer: str) -> ReviewCard:
    c = item.change
    promo = Promotion(c.promotion_pct) if c.promotion_pct else None
    evidence = gather_evidence(uow, item.listing, c.new_price, promo)
    old = c.old_price.amount_minor
    spark = sparkline(list(evidence.recent_prices_minor), c.new_price.amount_minor,
                      label=f"{item.product_title}: {old} → {c.new_price.amount_minor}")
    drop_pct = round((c.new_price.amount_minor - old) / old * 100, 1) if old else 0.0
    return ReviewCard(item, evidence, spark, drop_pct,
                      _refuses(partial(check_not_own_change, c, viewer)),
                      price_review.approval_needs_reason(c))


def _held_card(uow: SqlAlchemyUnitOfWork, held: HeldListing, viewer: str) -> HeldListingCard:
    listing = held.listing
    evidence = gather_evidence(uow, listing, listing.price, None, first_price=True)
    needs_reason, reference = release_reference(uow, listing, held.hold)
    return HeldListingCard(held, evidence, _refuses(partial(
        listings.check_not_own_hold, held.hold, listing_id=listing.id, reviewer=viewer)),
        needs_reason, reference)


@router.get("", response_class=HTMLResponse)
def queue(request: Request, account: Reviewer, uow: Uow) -> Response:
    return render(request, "review/queue.html", review_context(uow(), viewer=account.actor))


def _refused(request: Request, uow: Uow, viewer: str, target: tuple[str, int], reason: str,
             exc: SagwaError) -> Response:
    """The queue again, the refusal next to its card (``target``: ``("change", id)``, or
    ``("listing", id)`` for a release and ``("send_back", id)`` for a send-back) and the typed
    reason still in the form it came from."""
    kind, target_id = target
    context = {**review_context(uow(), viewer=viewer), "here": "/ops/review", "problem": {
        "kind": kind, "id": target_id, "message": error_text(exc, lang_of(request)),
        "reason": reason}}
    return render(request, "review/queue.html", context, status_code=exc.http_status)


@router.post("/{change_id}/approve")
def approve(change_id: int, request: Request, account: Reviewer, uow: Uow,
            reason: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        price_review.approve_price_change(uow(), change_id=change_id, reviewer=account.actor,
                                          reason=reason.strip() or None)
    except SagwaError as exc:
        return _refused(request, uow, account.actor, ("change", change_id), reason, exc)
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
        return _refused(request, uow, account.actor, ("change", change_id), reason, exc)
    flash_in_lang(request, f"#{change_id} 거절: 판매가는 그대로입니다.",
                  f"#{change_id} rejected: the live price never moved.")
    return RedirectResponse("/ops/review", status_code=303)


def _seen_price(amount_minor: str, currency: str) -> Money | None:
    """The price the release form was shown with (hidden fields), if it carries one."""
    amount = parse_int(amount_minor, "price", optional=True)
    return None if amount is None else Money(amount, currency.strip().upper() or "KRW")


@router.post("/listings/{listing_id}/release")
def release(listing_id: int, request: Request, account: Reviewer, uow: Uow,
            reason: Annotated[str, Form(max_length=500)] = "",
            seen_price_minor: Annotated[str, Form(max_length=20)] = "",
            seen_currency: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Put a listing the guard held at publication on sale at the price the reviewer saw
    (``seen_price_minor``): if the seller changed it since, the release is refused; a first
    price far from its reference (or with none) is released only with a reason."""
    try:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.RELEASE, actor=account.actor,
                                       reason=reason.strip() or None,
                                       expected_price=_seen_price(seen_price_minor,
                                                                  seen_currency))
    except SagwaError as exc:
        return _refused(request, uow, account.actor, ("listing", listing_id), reason, exc)
    flash_in_lang(request, f"상품 #{listing_id} 판매 보류 해제: 이제 판매 중입니다.",
                  f"Listing #{listing_id} released: it is live now.")
    return RedirectResponse("/ops/review", status_code=303)


@router.post("/listings/{listing_id}/send-back")
def send_back(listing_id: int, request: Request, account: Reviewer, uow: Uow,
              reason: Annotated[str, Form(max_length=500)] = "",
              seen_price_minor: Annotated[str, Form(max_length=20)] = "",
              seen_currency: Annotated[str, Form(max_length=3)] = "") -> Response:
    """Refuse the first price of a listing the guard held at publication: it goes back to draft
    with the reviewer's reason, which its seller's page shows. The same second-person and
    seen-price rules as a release; the reason is always required."""
    try:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.SEND_BACK, actor=account.actor,
                                       reason=reason, expected_price=_seen_price(
                                           seen_price_minor, seen_currency))
    except SagwaError as exc:
        return _refused(request, uow, account.actor, ("send_back", listing_id), reason, exc)
    flash_in_lang(request, f"상품 #{listing_id} 돌려보냄: 판매자가 가격을 고친 뒤 다시 판매를 시작할 수 있습니다.",
                  f"Listing #{listing_id} sent back: its seller can correct the price and "
                  "publish it again.")
    return RedirectResponse("/ops/review", status_code=303)
