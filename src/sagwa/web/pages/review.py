"""The reviewers' queue: held price changes with their evidence, approved or rejected with a
reason, and listings the price guard held when they were published, released to go live or sent
back to their seller with a reason (the services put each decision on the audit log). A reviewer's own change or own published listing
shows no button the service would refuse; the service still refuses it.

The riskiest come first (the guard's score, then the longest waiting); ``?order=oldest`` lists
the longest waiting first; ``?seller=`` (an id, or a name as the cards show it) and
``?listing=`` show one seller's or one listing's held changes and held listings (the database
filters them). Each list is paged by itself (``?page=`` the held changes, ``?held_page=`` the
held listings), and the order, both pages and the filter are kept through paging and
decisions. A reason is typed in a text area, so Enter never decides anything.
Decisions post through htmx (the whole page comes back in place): a refusal comes back with
its card's error focused and scrolled to, a summary at the top, and the address of the queue
(a reload does not post again); without script the refusal is the page at the post's address,
as before.

The cards the queue shows, and the context that lists them, are built in ``review_cards``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import AfterValidator

from sagwa.domain.listings import ListingStatus, ListingTrigger
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import fill_particles, with_particle
from sagwa.domain.pricing import PriceChangeStatus
from sagwa.errors import SagwaError
from sagwa.priceguard import PriceRules
from sagwa.services import listings, price_review
from sagwa.services.price_review import QueueOrder
from sagwa.web.deps import Rules, Uow, case_links
from sagwa.web.pages.error_texts import PageRoute, error_text
from sagwa.web.pages.forms import parse_int
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.labels import LISTING_STATUS
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.review_cards import (
    QUEUE,
    change_url,
    kept_filter,
    queue_url,
    review_context,
)
from sagwa.web.pages.session import Reviewer, csrf_protect

router = APIRouter(prefix="/ops/review", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)

def queue_order(value: str | None) -> QueueOrder:
    return "oldest" if value == "oldest" else "risk"


def _page_number(value: str | None) -> int:
    """A decision form's page (hidden field): its number, or 1 for anything else."""
    text = (value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < len(text) < 10 else 1


@router.get("", response_class=HTMLResponse)
def queue(request: Request, account: Reviewer, uow: Uow, rules: Rules,
          order: str = "risk", page: str = "", seller: str = "", listing: str = "",
          held_page: str = "") -> Response:
    """The queue in ``order``, at ``page`` of the held changes and ``held_page`` of the held
    listings, of ``seller``'s (an id, or a name as the cards show it) and ``listing``'s when
    asked (``review_cards.queue_filter``)."""
    chosen = queue_order(order)
    context = review_context(uow(), viewer=account.actor, rules=rules, order=chosen,
                             lang=lang_of(request), page=page, seller=seller, listing=listing,
                             held_page=held_page)
    response = render(request, "review/queue.html", context)
    if request.headers.get("HX-Request"):  # a decision's redirect: the queue's own address
        response.headers["HX-Replace-Url"] = _address(context)
    return response


def _address(context: dict[str, Any]) -> str:
    """The address of the queue ``context`` shows: its order, its pages and its filter."""
    return queue_url(context["order"], context["paging"].number, context["where"],
                     context["held_paging"].number)


#: What each action was, in the summary of a refusal: (Korean, English), ``{}`` the target.
_NOT_DONE = {
    "approve": ("가격 변경 {}을(를) 승인하지 못했습니다", "Change {} was not approved"),
    "reject": ("가격 변경 {}을(를) 거절하지 못했습니다", "Change {} was not rejected"),
    "release": ("상품 {}의 판매 보류를 풀지 못했습니다", "Listing {} was not released"),
    "send_back": ("상품 {}을(를) 판매자에게 돌려보내지 못했습니다", "Listing {} was not sent back"),
}


def _summary(action: str, target_id: int, lang: str) -> str:
    ko, en = _NOT_DONE[action]
    return fill_particles(ko.format(f"#{target_id}")) if lang == "ko" else en.format(
        f"#{target_id}")


@dataclass(frozen=True)
class QueuePlace:
    """Where in the queue a decision form was (its hidden fields): the order, the page of the
    held changes, the seller's and listing's ids it was filtered by, and the page of the held
    listings (each as typed; empty: none)."""
    order: QueueOrder
    page: str = ""
    seller: str = ""
    listing: str = ""
    held_page: str = ""


OrderField = Annotated[str, Form(max_length=10)]
PageField = Annotated[str, Form(max_length=20)]
FilterField = Annotated[str, Form(max_length=40)]


def _place(order: OrderField = "", page: PageField = "", seller: FilterField = "",
           listing: FilterField = "", held_page: PageField = "") -> QueuePlace:
    return QueuePlace(queue_order(order), page, seller, listing, held_page)


Place = Annotated[QueuePlace, Depends(_place)]


def _refused(request: Request, uow: Uow, viewer: str, rules: PriceRules,
             target: tuple[str, str, int], reason: str, exc: SagwaError,
             place: QueuePlace) -> Response:
    """The queue again, the refusal next to its card (``target``: the action — ``approve``,
    ``reject``, ``release``, ``send_back`` —, the card's kind — ``change``, or ``listing`` for
    a release and ``send_back`` for a send-back — and its id), summed up at the top, with the
    typed reason still in the form it came from, on the queue's page it came from (``place``:
    the order, the pages and the filter). Through htmx, the page's address becomes the
    queue's, at the card (a reload shows the queue, and posts nothing)."""
    action, kind, target_id = target
    lang = lang_of(request)
    order = place.order
    context = review_context(uow(), viewer=viewer, rules=rules, order=order, lang=lang,
                             page=str(_page_number(place.page)), seller=place.seller,
                             listing=place.listing,
                             held_page=str(_page_number(place.held_page)))
    shown = (any(c.item.change.id == target_id for c in context["cards"]) if kind == "change"
             else any(h.held.listing.id == target_id for h in context["held_cards"]))
    card = f"change-{target_id}" if kind == "change" else f"listing-{target_id}"
    error_id = f"problem-{target_id}" if kind == "change" else f"listing-problem-{target_id}"
    context |= {"here": QUEUE, "problem": {
        "kind": kind, "id": target_id, "message": _with_prices(error_text(exc, lang), exc, lang),
        "reason": reason,
        "summary": _summary(action, target_id, lang), "shown": shown, "card": card,
        "newer": _newer_change(uow, target_id, exc) if kind == "change" else None}}
    response = render(request, "review/queue.html", context, status_code=exc.http_status)
    if request.headers.get("HX-Request"):  # no card on the page: no "#" at the end either
        response.headers["HX-Replace-Url"] = _address(context) + (f"#{card}" if shown else "")
        response.headers["HX-Reswap"] = (f"innerHTML show:#{error_id}:top" if shown
                                         else "innerHTML show:window:top")
    return response


def _with_prices(message: str, exc: SagwaError, lang: str) -> str:
    """A refusal because the listing's price moved since the card was drawn, with the price
    the reviewer saw and the price now (the sentence alone named neither)."""
    seen, now = exc.details.get("expected_price"), exc.details.get("price")
    if exc.details.get("reason") != "listing_price_moved" or not seen or not now:
        return message
    seen_text, now_text = (format_money(Money.from_dict(p), lang=lang)
                           for p in (seen, now))
    return message + (f" 보신 가격은 {seen_text}, 지금 가격은 {now_text}입니다." if lang == "ko"
                      else f" You saw {seen_text}; it is {now_text} now.")


def _newer_change(uow: Uow, change_id: int, exc: SagwaError) -> dict[str, Any] | None:
    """For a change a newer proposal replaced (``superseded``): the listing's newest held
    change (``change``) and the queue at its card (``url``) — it may be on another page —,
    or None (no replacement waits: it went live, or was decided)."""
    if exc.details.get("status") != PriceChangeStatus.SUPERSEDED.value:
        return None
    with uow() as u:
        old = u.market.price_change(change_id)
        newer = u.market.newest_held_changes([old.listing_id]).get(old.listing_id) if old else None
    return {"change": newer, "url": change_url(newer)} if newer else None


def _already_decided(request: Request, uow: Uow, change_id: int, status: PriceChangeStatus,
                     reviewer: str, exc: SagwaError) -> bool:
    """Whether a refusal only says this reviewer already made this very decision (a double
    click, the same form in two tabs): their wish holds, so it is no refusal — it is said so
    (flashed) and the caller answers as for the decision. A decision someone else made, or the
    other one, stays a refusal that says so."""
    if exc.details.get("reason") != "change_not_held":
        return False
    with uow() as u:
        change = u.market.price_change(change_id)
    if change is None or change.status is not status or change.decided_by != reviewer:
        return False
    ko, en = _DECIDED[status]
    flash_in_lang(request, f"{with_particle(f'#{change_id}', '은/는')} 이미 {ko}했습니다. 바꾼 것은 없습니다.",
                  f"#{change_id} is already {en}; nothing was changed.")
    return True


_DECIDED = {PriceChangeStatus.APPROVED: ("승인", "approved"),
            PriceChangeStatus.REJECTED: ("거절", "rejected")}


def _a_state(label_en: str) -> str:
    """A listing state as an English sentence says it: "is a draft", "is paused"."""
    return "a draft" if label_en == "draft" else label_en


def _done(place: QueuePlace, next_card: str = "") -> RedirectResponse:
    """Back to the queue, in the order the reviewer chose, filtered as it was and on the pages
    they were on, at the card after the one decided (``next_card``, a card's id such as
    ``change-12``; a page without scripts opens there)."""
    at = f"#{next_card}" if _CARD_ID.fullmatch(next_card) else ""
    where = kept_filter(place.seller, place.listing)
    return RedirectResponse(queue_url(place.order, _page_number(place.page), where,
                                      _page_number(place.held_page)) + at, status_code=303)


_CARD_ID = re.compile(r"(change|listing)-[0-9]{1,18}")


def _typed_text(limit: int) -> AfterValidator:
    """A textarea's text with its line breaks as one character each: a browser sends each as
    two (CR LF), so a reason that fits ``maxlength`` in the box was refused as too long, and the
    error page lost it (htmx sends one). The form field takes twice ``limit`` for that."""

    def check(text: str) -> str:
        text = text.replace("\r\n", "\n")
        if len(text) > limit:
            raise ValueError(f"at most {limit} characters")
        return text

    return AfterValidator(check)


ReasonField = Annotated[str, Form(max_length=2 * 1000), _typed_text(1000)]
ShortReasonField = Annotated[str, Form(max_length=2 * 500), _typed_text(500)]
NextField = Annotated[str, Form(max_length=40, alias="next")]


@router.post("/{change_id}/approve")
def approve(change_id: int, request: Request, account: Reviewer, uow: Uow, rules: Rules,
            place: Place, reason: ReasonField = "", next_card: NextField = "") -> Response:
    try:
        approved = price_review.approve_price_change(uow(), change_id=change_id,
                                                     reviewer=account.actor,
                                                     reason=reason.strip() or None,
                                                     links=case_links(request))
    except SagwaError as exc:
        if _already_decided(request, uow, change_id, PriceChangeStatus.APPROVED, account.actor,
                            exc):
            return _done(place, next_card)
        return _refused(request, uow, account.actor, rules, ("approve", "change", change_id),
                        reason, exc, place)
    with uow() as u:
        listing = u.market.listing(approved.listing_id)
    if listing is None or listing.status is ListingStatus.LIVE:
        flash_in_lang(request, f"#{change_id} 승인: 새 가격이 반영되었습니다.",
                      f"#{change_id} approved: the new price is live.")
    else:  # a draft's or a paused listing's price: set, but nobody can buy at it yet
        ko, en = LISTING_STATUS[listing.status.value]
        flash_in_lang(request, f"#{change_id} 승인: 새 가격으로 바뀌었습니다. 상품이 '{ko}' 상태라 아직 "
                               "아무도 이 가격에 살 수 없습니다.",
                      f"#{change_id} approved: the price is changed. The listing is "
                      f"{_a_state(en)}, so nobody can buy at it yet.")
    return _done(place, next_card)


@router.post("/{change_id}/reject")
def reject(change_id: int, request: Request, account: Reviewer, uow: Uow, rules: Rules,
           place: Place, reason: ReasonField = "", next_card: NextField = "") -> Response:
    try:
        rejected = price_review.reject_price_change(uow(), change_id=change_id,
                                                    reviewer=account.actor, reason=reason,
                                                    links=case_links(request))
    except SagwaError as exc:
        if _already_decided(request, uow, change_id, PriceChangeStatus.REJECTED, account.actor,
                            exc):
            return _done(place, next_card)
        return _refused(request, uow, account.actor, rules, ("reject", "change", change_id),
                        reason, exc, place)
    with uow() as u:
        listing = u.market.listing(rejected.listing_id)
    if listing is None or listing.status is ListingStatus.LIVE:
        flash_in_lang(request, f"#{change_id} 거절: 판매가는 그대로입니다.",
                      f"#{change_id} rejected: the live price never moved.")
    else:  # a draft's or a paused listing's price: nobody was buying at either
        ko, en = LISTING_STATUS[listing.status.value]
        flash_in_lang(request, f"#{change_id} 거절: 가격은 "
                               f"{with_particle(format_money(listing.price, lang='ko'), '(으)로')} "
                               f"그대로입니다('{ko}' 상품).",
                      f"#{change_id} rejected: the price stays at "
                      f"{format_money(listing.price, lang='en')} (the listing is {_a_state(en)}).")
    return _done(place, next_card)


def _seen_price(amount_minor: str, currency: str) -> Money | None:
    """The price the release form was shown with (hidden fields), if it carries one."""
    amount = parse_int(amount_minor, "price", optional=True)
    return None if amount is None else Money(amount, currency.strip().upper() or "KRW")


SeenPrice = Annotated[str, Form(max_length=20)]
SeenCurrency = Annotated[str, Form(max_length=3)]


@router.post("/listings/{listing_id}/release")
def release(listing_id: int, request: Request, account: Reviewer, uow: Uow, rules: Rules,
            place: Place, reason: ShortReasonField = "",
            seen_price_minor: SeenPrice = "", seen_currency: SeenCurrency = "",
            next_card: NextField = "") -> Response:
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
        return _refused(request, uow, account.actor, rules, ("release", "listing", listing_id),
                        reason, exc, place)
    flash_in_lang(request, f"상품 #{listing_id} 판매 보류 해제: 이제 판매 중입니다.",
                  f"Listing #{listing_id} released: it is live now.")
    return _done(place, next_card)


@router.post("/listings/{listing_id}/send-back")
def send_back(listing_id: int, request: Request, account: Reviewer, uow: Uow, rules: Rules,
              place: Place, reason: ShortReasonField = "",
              seen_price_minor: SeenPrice = "", seen_currency: SeenCurrency = "",
              next_card: NextField = "") -> Response:
    """Refuse the first price of a listing the guard held at publication: it goes back to draft
    with the reviewer's reason, which its seller's page shows. The same second-person and
    seen-price rules as a release; the reason is always required."""
    try:
        listings.change_listing_status(uow(), listing_id=listing_id,
                                       trigger=ListingTrigger.SEND_BACK, actor=account.actor,
                                       reason=reason, expected_price=_seen_price(
                                           seen_price_minor, seen_currency))
    except SagwaError as exc:
        return _refused(request, uow, account.actor, rules,
                        ("send_back", "send_back", listing_id), reason, exc, place)
    flash_in_lang(request, f"상품 #{listing_id} 돌려보냄: 판매자가 가격을 고친 뒤 다시 판매를 시작할 수 있습니다.",
                  f"Listing #{listing_id} sent back: its seller can correct the price and "
                  "publish it again.")
    return _done(place, next_card)
