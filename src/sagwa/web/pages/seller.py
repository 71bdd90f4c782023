"""The seller's pages: my listings (what each needs of the seller: ``seller_listings``), a price
change checked by the guard before it is saved, and the review status of each proposed change
(with its declared promotion, and the return to the earlier price when a promotion ends); a
listing a reviewer sent back says why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.incidents import Incident
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import with_particle
from sagwa.domain.pricing import PriceChangeStatus, Promotion
from sagwa.errors import IllegalTransition, NotFound, SagwaError
from sagwa.services import listings as listing_service
from sagwa.services import price_review
from sagwa.services.accounts import Account
from sagwa.services.idempotency import MAX_KEY_LENGTH
from sagwa.services.listing_holds import SentBack, sent_back_at
from sagwa.services.price_review import check_price_change, guard_gate
from sagwa.services.promotion_end import ACTOR as PROMOTION_END_ACTOR
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.deps import Rules, Uow
from sagwa.web.pages.error_texts import PageRoute, error_text
from sagwa.web.pages.forms import parse_local_time, parse_promotion, parse_won
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.rendering import as_sentence, flash_in_lang, render, sent_form_key
from sagwa.web.pages.seller_history import history_words
from sagwa.web.pages.seller_listings import listings_context
from sagwa.web.pages.seller_on_sale import on_sale_now
from sagwa.web.pages.seller_promotion import after_saving, running_promotion
from sagwa.web.pages.session import SellerAccount, csrf_protect

router = APIRouter(prefix="/seller", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)
OptionalText = Annotated[str, Form(max_length=100)]
#: How many of a listing's price changes its page lists, the latest first.
HISTORY_SHOWN = 50


def own_listing(uow: SqlAlchemyUnitOfWork, account: Account, listing_id: int) -> Listing:
    """The listing if it belongs to this seller; otherwise the same 404 as a missing one."""
    listing = uow.market.listing(listing_id)
    if listing is None or listing.seller_id != account.seller_id:
        raise NotFound(f"listing {listing_id} not found", kind="listing", id=listing_id,
                       reason="unknown_id")
    return listing


def listing_context(uow: SqlAlchemyUnitOfWork, account: Account, listing_id: int, *,
                    typed: dict[str, str] | None = None,
                    problem: SagwaError | None = None, lang: str,
                    went_live: str = "") -> dict[str, Any]:
    """The listing page; after a refused change, with what was typed and why it was refused;
    ``went_live``: the change a stale action found decided (:func:`on_sale_now`)."""
    with uow:
        listing = own_listing(uow, account, listing_id)
        held = listing.status is ListingStatus.HELD
        paused = listing.status is ListingStatus.PAUSED
        draft = listing.status is ListingStatus.DRAFT
        changes = uow.market.price_changes_for(listing_id, limit=HISTORY_SHOWN + 1)
        # the page shows the latest ones and says there are more (a seller walk: 56 changes
        # cut at 50 without a word)
        history_more = len(changes) > HISTORY_SHOWN
        changes = changes[:HISTORY_SHOWN]
        return {"listing": listing, "product": uow.catalog.product(listing.product_id),
                "hold": listing_service.publication_hold(uow, listing_id) if held else None,
                "sent_back": _sent_back(uow, listing, draft=draft, held=held),
                "before_sale": listing_service.set_before_sale(uow, listing, changes),
                "pause": listing_service.latest_pause(uow, listing_id) if paused else None,
                "open_incidents": _open_incidents(uow, listing_id) if paused else [],
                "resume_refused": (error_text(refusal, lang) if paused and (
                    refusal := listing_service.why_not_resumed(uow, listing)) else None),
                "changes": changes, "history_more": history_more,
                "ended_promotions": ended_promotions(changes),
                "on_sale_now": on_sale_now(listing, changes, went_live),
                "promotion": running_promotion(listing, changes, uow.now()),
                **history_words(uow, changes),
                "pending": (pending := pending_held(changes)),
                # a held change no reviewer may approve any more: the seller is told so
                "pending_stale": price_review.stale_code(pending, listing, now=uow.now())
                if pending is not None else None,
                "price_label": price_label(listing.status),
                "typed": typed or {}, "problem": error_text(problem, lang) if problem else None,
                "problem_field": problem.details.get("field") if problem else None,
                "status_problem": None}


def _open_incidents(uow: SqlAlchemyUnitOfWork, listing_id: int) -> list[Incident]:
    """The open incidents this paused listing is in: the page says what each is about."""
    rows = (uow.incidents.get(i) for i in uow.incidents.all_open_for_listing(listing_id))
    return [r.incident for r in rows if r is not None]


def _sent_back(uow: SqlAlchemyUnitOfWork, listing: Listing, *, draft: bool,
               held: bool) -> SentBack | None:
    """The reviewer's latest send-back, on a draft (the seller is to correct its price), and on
    a listing held again at the very price that was sent back (published unchanged: the
    reviewer's reason still stands beside the new hold)."""
    if held:
        return sent_back_at(uow, listing.id, listing.price)
    return listing_service.latest_send_back(uow, listing.id) if draft else None


def ended_promotions(changes: Sequence[PriceChangeRecord]) -> dict[int, PriceChangeRecord | None]:
    """The automatic returns at a promotion's end among ``changes`` (proposed by
    ``system:promotion_end``), each with the promotion change it ended, if it is among them:
    the latest change before it that went live with a promotion ending by then, at the price it
    returned from and from the price it returned to (the job returns only while that promotion
    price is the live one, so no other change went live in between)."""
    found: dict[int, PriceChangeRecord | None] = {}
    for back in changes:
        if back.proposed_by != PROMOTION_END_ACTOR:
            continue
        found[back.id] = max(
            (c for c in changes if c.id < back.id and c.status in _WENT_LIVE
             and c.promotion_pct and c.promotion_ends_at is not None
             and c.promotion_ends_at <= back.proposed_at
             and (c.new_price, c.old_price) == (back.old_price, back.new_price)),
            key=lambda c: c.id, default=None)
    return found


_WENT_LIVE = (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)


def pending_held(changes: Sequence[PriceChangeRecord]) -> PriceChangeRecord | None:
    """The change waiting for a reviewer, newest first (a new proposal supersedes older ones)."""
    return next((c for c in changes if c.status is PriceChangeStatus.HELD), None)


#: What the listing's own price is called, by its status: only a live listing sells at it.
PRICE_LABELS = {ListingStatus.DRAFT: ("등록 중 가격", "Draft price"),
                ListingStatus.HELD: ("보류된 가격", "Held price"),
                ListingStatus.LIVE: ("현재 판매가", "Live price")}


def price_label(status: ListingStatus) -> tuple[str, str]:
    return PRICE_LABELS.get(status, ("판매가", "Price"))


def _price_stays(status: ListingStatus, price: Money) -> tuple[str, str]:
    """"현재 판매가 162,000원은" / "the live price stays at 162,000 KRW", for the flashes."""
    ko, en = price_label(status)
    return (with_particle(f"{ko} {format_money(price, lang='ko')}", "은(는)"),
            f"the {en.lower()} stays at {format_money(price, lang='en')}")


@router.get("", response_class=HTMLResponse)
def my_listings(request: Request, account: SellerAccount, uow: Uow) -> Response:
    return render(request, "seller/listings.html",
                  listings_context(uow(), account, lang=lang_of(request)))


@router.get("/listings/{listing_id}", response_class=HTMLResponse)
def listing_page(listing_id: int, request: Request, account: SellerAccount, uow: Uow,
                 went_live: Annotated[str, Query(max_length=12)] = "") -> Response:
    """``went_live``: a change a stale withdrawal found approved (:func:`on_sale_now`)."""
    return render(request, "seller/listing.html",
                  listing_context(uow(), account, listing_id, lang=lang_of(request),
                                  went_live=went_live))


@router.post("/listings/{listing_id}/check", response_class=HTMLResponse)
def check(listing_id: int, request: Request, account: SellerAccount, uow: Uow, rules: Rules,
          new_price: OptionalText = "", promotion_pct: OptionalText = "",
          promotion_starts: OptionalText = "", promotion_ends: OptionalText = "") -> Response:
    """htmx partial: the guard's dry-run verdict on the price being typed; nothing is stored.
    On a draft the verdict is the one publishing will give (the price as a first price), and
    says that the price applies when the listing is published."""
    with uow() as u:
        listing = own_listing(u, account, listing_id)
        recent = u.market.price_changes_for(listing_id, limit=20)
        pending, promotion = pending_held(recent), running_promotion(listing, recent, u.now())
    said: dict[str, Any] = {"opinion": None, "problem": None, "listing": listing,
                            "pending": pending, "price_label": price_label(listing.status),
                            "promotion": promotion}
    if not new_price.strip():
        return render(request, "seller/_verdict.html", said)
    try:
        typed = parse_won(new_price, "new_price")
        typed_promotion = _typed_promotion(promotion_pct, promotion_starts, promotion_ends)
        opinion = check_price_change(uow(), listing_id=listing_id, new_price=typed, rules=rules,
                                     promotion=typed_promotion)
    except SagwaError as exc:
        return render(request, "seller/_verdict.html",
                      {**said, "problem": error_text(exc, lang_of(request))})
    # a draft's own price: the verdict is publishing's (saving it again is refused)
    own_price = listing.status is ListingStatus.DRAFT and typed == listing.price
    # the held change itself, typed again: saving changes nothing (``listings.AlreadyHeld``)
    # (and still held when judged anew: one the guard now allows goes live on saving)
    same_as_pending = pending is not None and opinion.holds and listing_service.repeats_held(
        pending, listing.price, typed, typed_promotion)
    return render(request, "seller/_verdict.html",
                  {**said, "opinion": opinion, "own_price": own_price,
                   "same_as_pending": same_as_pending,
                   "after_saving": after_saving(promotion, listing, typed, typed_promotion)
                   if promotion is not None else None})


def _form_number(text: str) -> int | None:
    """A number the page wrote into its form (ASCII digits, at most 15); None for anything else
    (a form sent without it, or forged: never an error)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 15 else None


def _typed_promotion(percent: str, starts: str, ends: str) -> Promotion | None:
    """The promotion as typed; dates with the percent left empty are refused
    (``promotion_percent_missing``), as the API refuses them, not dropped."""
    promotion = parse_promotion(percent, starts, ends)
    if promotion is None:
        return listing_service.declared_promotion(
            None, parse_local_time(starts, "promotion.starts_at"),
            parse_local_time(ends, "promotion.ends_at"))
    return promotion


#: The price form sent again from an earlier page with another price (its key already saved one).
_FORM_SENT_AGAIN = (
    ("이 양식으로는 이미 다른 가격을 저장했습니다(뒤로 가기로 다시 보낸 양식). 아래 가격 이력을 확인하고, 필요하면 "
    "새 가격을 다시 저장해 주세요."),
    ("This form already saved another price (it was sent again from an earlier page); check "
     "the price history below and save the new price again if you still want it."))


@router.post("/listings/{listing_id}/price")
def propose(listing_id: int, request: Request, account: SellerAccount, uow: Uow, rules: Rules,
            new_price: Annotated[str, Form(max_length=40)] = "",
            promotion_pct: OptionalText = "", promotion_starts: OptionalText = "",
            promotion_ends: OptionalText = "",
            form_key: Annotated[str, Form(max_length=MAX_KEY_LENGTH)] = "",
            seen_price: Annotated[str, Form(max_length=20)] = "",
            pending_seen: Annotated[str, Form(max_length=20)] = "") -> Response:
    """Save the change; a refused one re-renders the form with what was typed and why. The
    form's own key (``form_key``, new each time it is drawn) makes a double click save once:
    the second answer is the first one's (a walkthrough's four clicks made four changes).
    ``seen_price``: the live price the form was drawn at (minor units): a price changed since
    is refused, the form drawn again at the price now (a seller walk's stale form replaced a
    running promotion's price unseen)."""
    with uow() as u:
        listing = own_listing(u, account, listing_id)
        status = listing.status  # a proposal never changes it
    price_seen = _form_number(seen_price)
    seen = Money(price_seen, listing.price.currency) if price_seen is not None else None
    # the change waiting for review the form showed ("-": none), which saving replaces
    change_seen = _form_number(pending_seen)
    pending = (None if pending_seen == "-" else change_seen if change_seen is not None
               else listing_service.NOT_SEEN)
    try:
        change = listing_service.propose_price_change(
            uow(), listing_id=listing_id, new_price=parse_won(new_price, "new_price"),
            proposed_by=account.actor, gate=guard_gate(rules),
            promotion=_typed_promotion(promotion_pct, promotion_starts, promotion_ends),
            idempotency_key=sent_form_key(form_key, account.actor), seen_price=seen,
            seen_pending=pending)
    except SagwaError as exc:
        typed = {"new_price": new_price, "promotion_pct": promotion_pct,
                 "promotion_starts": promotion_starts, "promotion_ends": promotion_ends}
        lang = lang_of(request)
        context = listing_context(uow(), account, listing_id, typed=typed, problem=exc,
                                  lang=lang)
        if exc.code == "idempotency_key_reused":  # said for a seller, not an API client
            context["problem"] = _FORM_SENT_AGAIN[0 if lang == "ko" else 1]
        return render(request, "seller/listing.html",
                      {**context, "here": f"/seller/listings/{listing_id}",
                       "address": f"/seller/listings/{listing_id}"},
                      status_code=exc.http_status)
    _flash_saved(request, change, status)
    return RedirectResponse(f"/seller/listings/{listing_id}", status_code=303)


@router.post("/listings/{listing_id}/price-changes/{change_id}/withdraw")
def withdraw(listing_id: int, change_id: int, request: Request, account: SellerAccount,
             uow: Uow) -> Response:
    """Take back the change waiting for review (a mistyped price); the price stays."""
    with uow() as u:
        own_listing(u, account, listing_id)
    if price_review.listing_of_change(uow(), change_id) != listing_id:
        raise NotFound(f"price change {change_id} is not one of listing {listing_id}'s",
                       reason="change_of_other_listing")
    try:
        price_review.withdraw_price_change(uow(), change_id=change_id, by=account.actor,
                                           seller_id=account.seller_id)
    except SagwaError as exc:  # decided meanwhile: say so on the page, which shows it now
        flash_in_lang(request, error_text(exc, "ko"), error_text(exc, "en"), "warn")
        # approved meanwhile: the page says the price is on sale, if it still is
        return RedirectResponse(f"/seller/listings/{listing_id}?went_live={change_id}",
                                status_code=303)
    else:
        flash_in_lang(request, f"가격 변경 {with_particle(f'#{change_id}', '을/를')} 철회했습니다. "
                               "판매가는 그대로입니다.",
                      f"Price change #{change_id} is withdrawn; the price stays as it was.")
    return RedirectResponse(f"/seller/listings/{listing_id}", status_code=303)


def _flash_saved(request: Request, change: PriceChangeRecord, status: ListingStatus) -> None:
    """What a saved proposal did: held for review, live now, or waiting for the sale — on a
    draft until it is published, on a held listing until a reviewer releases it, on a paused
    one until the seller resumes it. A held one also says what to do next: correct a mistyped
    price by saving again (the new save replaces the held change), or wait for the reviewer.
    The same held price saved again changed nothing (``listings.AlreadyHeld``): it says so."""
    if isinstance(change, listing_service.AlreadyHeld):
        flash_in_lang(request, change.said_ko, change.said_en)
        return
    if change.status is PriceChangeStatus.HELD:
        ko, en = (change.guard.reason_ko, change.guard.reason_en) if change.guard else ("", "")
        stays_ko, stays_en = _price_stays(status, change.old_price)
        then_ko, then_en = ((("승인되면 등록 중 가격이 바뀌고, 그 가격으로 판매를 시작할 때는 다시 보류되지 "
                             "않습니다."), ("Once approved, the draft takes that price and "
                             "publishing at it is not held again."))
                            if status is ListingStatus.DRAFT else ("", ""))
        said_ko = [f"검토 대기: 가격 변경이 보류되었습니다. 검토자가 확인할 때까지 {stays_ko} 그대로입니다.",
                   then_ko, as_sentence(ko), _RESAVE_KO]
        said_en = [f"Held for review: {stays_en} until a reviewer checks this change.", then_en,
                   as_sentence(en), _RESAVE_EN]
        flash_in_lang(request, " ".join(p for p in said_ko if p),
                      " ".join(p for p in said_en if p), "warn")
        return
    ko, en = _SAVED.get(status, _SAVED[ListingStatus.PAUSED])
    flash_in_lang(request, ko, en)


_RESAVE_KO = ("잘못 입력한 가격이라면 올바른 가격을 다시 저장하거나(보류된 변경을 대체합니다) 이 변경을 "
              "철회해 주세요.")
_RESAVE_EN = ("If you mistyped it, save the correct price (a new save replaces the held "
              "change) or withdraw the change.")

#: What a price saved without review means, by the listing's status.
_SAVED = {
    ListingStatus.LIVE: ("가격이 바로 반영되었습니다.", "The new price is live."),
    ListingStatus.DRAFT: ("새 가격을 저장했습니다. 판매를 시작하면 이 가격으로 팝니다.",
                          "The new price is saved; the listing sells at it once you publish it."),
    ListingStatus.HELD: ("새 가격을 저장했습니다. 판매 보류 중이라 검토자가 보류를 풀면 이 가격으로 판매를 시작합니다.",
                         ("The new price is saved. The listing is held for review: it goes on "
                         "sale at this price when a reviewer releases it.")),
    ListingStatus.PAUSED: ("새 가격을 저장했습니다. 판매가 멈춰 있어 다시 판매를 시작할 때부터 적용됩니다.",
                           ("The new price is saved. The listing is not on sale, so it applies "
                           "when you resume the sale.")),
}


#: What the seller may do to the sale from the listing page, by the listing's status (a held
#: listing waits for a reviewer; ending one is done through the API).
SELLER_ACTIONS = {ListingStatus.DRAFT: ListingTrigger.PUBLISH,
                  ListingStatus.LIVE: ListingTrigger.PAUSE,
                  ListingStatus.PAUSED: ListingTrigger.RESUME}

#: Where each of those actions leaves the sale, and what a page sent again says when the sale is
#: already there (a double click, or the same form sent from two tabs): nothing to do, not a
#: refusal — the seller's wish holds.
_ON_SALE = (ListingStatus.LIVE, "이미 판매 중입니다. 바꾼 것은 없습니다.",
            "The listing is already on sale; nothing was changed.")
ALREADY = {ListingTrigger.PAUSE.value: (ListingStatus.PAUSED, "판매가 이미 멈춰 있습니다. 바꾼 것은 없습니다.",
                                        "The sale is already paused; nothing was changed."),
           ListingTrigger.RESUME.value: _ON_SALE, ListingTrigger.PUBLISH.value: _ON_SALE}


@router.post("/listings/{listing_id}/status")
def change_sale(listing_id: int, request: Request, account: SellerAccount, uow: Uow, rules: Rules,
                action: Annotated[str, Form(max_length=20)] = "",
                reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    """Publish a draft, pause a live listing or put a paused one back on sale. The action must
    be the one the page offered for the status it showed (a stale page is refused, not
    turned into another action), unless the sale is already where the action leads (a double
    click: said so, nothing done); a refusal re-renders the page with the desk's reason."""
    with uow() as u:
        listing = own_listing(u, account, listing_id)
        pending = pending_held(u.market.price_changes_for(listing_id, limit=20))
    offered = SELLER_ACTIONS.get(listing.status)
    lang = lang_of(request)
    already = ALREADY.get(action)
    if already is not None and already[0] is listing.status:
        flash_in_lang(request, already[1], already[2])
        return RedirectResponse(f"/seller/listings/{listing_id}", status_code=303)
    try:
        if offered is None or action != offered.value:
            if action in {t.value for t in SELLER_ACTIONS.values()}:
                # an action the page offers for another status: the page was opened before the
                # status changed (another tab, a reviewer, the tripwire): say so
                raise IllegalTransition(f"the listing became {listing.status.value} after this "
                                        f"page was opened; {action} not done",
                                        status=listing.status.value,
                                        reason="sale_action_outdated")
            raise IllegalTransition(f"a {listing.status.value} listing cannot "
                                    f"{action or '(no action)'} from this page",
                                    status=listing.status.value, reason="listing_status")
        now = listing_service.change_listing_status(
            uow(), listing_id=listing_id, trigger=offered, actor=account.actor,
            reason=reason.strip() or None, gate=guard_gate(rules)).status
    except SagwaError as exc:
        context = listing_context(uow(), account, listing_id, lang=lang)
        return render(request, "seller/listing.html",
                      {**context, "status_problem": error_text(exc, lang),
                       "typed_reason": reason, "here": f"/seller/listings/{listing_id}",
                       "address": f"/seller/listings/{listing_id}"},
                      status_code=exc.http_status)
    # the status the change left, as the service returned it (no second transaction)
    said = {ListingStatus.LIVE: ("판매를 시작했습니다.", "The listing is on sale."),
            ListingStatus.PAUSED: ("판매를 멈췄습니다. 주문을 받지 않습니다.",
                                   "The sale is paused; it takes no orders."),
            # by the price guard, or because a reviewer sent this very price back: the page says
            ListingStatus.HELD: ("판매 시작이 보류되었습니다. 검토자가 풀어야 판매가 시작됩니다.",
                                 ("Publishing is held; a reviewer must release the listing "
                                  "before the sale starts."))}
    ko, en = said.get(now, ("", ""))
    if now is ListingStatus.LIVE and offered is ListingTrigger.RESUME:
        ko, en = "판매를 재개했습니다.", "The sale has resumed."
    kind = "warn" if now is ListingStatus.HELD else "ok"
    if now is ListingStatus.LIVE and offered is ListingTrigger.PUBLISH and pending is not None:
        (ko, en), kind = _still_in_review(ko, en, pending), "warn"
    flash_in_lang(request, ko, en, kind)
    return RedirectResponse(f"/seller/listings/{listing_id}", status_code=303)


def _still_in_review(ko: str, en: str, pending: PriceChangeRecord) -> tuple[str, str]:
    """A draft published with a held price change: the change stays in review, and approving it
    would then move the price of a listing on sale."""
    to_ko, to_en = (format_money(pending.new_price, lang=lang) for lang in ("ko", "en"))
    still_ko = (f"검토를 기다리는 가격 변경(#{pending.id}, {to_ko})이 그대로 남아 있어, 검토자가 승인하면 "
                f"판매 중인 가격이 {with_particle(to_ko, '(으)로')} 바로 바뀝니다. 잘못 입력한 가격이라면 "
                "올바른 가격을 저장해 그 변경을 대체해 주세요.")
    still_en = (f"Price change #{pending.id} ({to_en}) is still waiting for review: if a "
                f"reviewer approves it, the price of the listing on sale changes to {to_en} at "
                "once. If that price is a mistake, save the correct price to replace it.")
    return f"{ko} {still_ko}", f"{en} {still_en}"
