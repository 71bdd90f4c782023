"""The reviewers' queue as cards: a held price change (``ReviewCard``) and a listing the price
guard held when it was published (``HeldListingCard``), each with the guard's evidence, and
whether the viewer may decide it (a reviewer's own change or own published listing shows no
button the service would refuse). ``review_context`` gathers both queues as a reviewer sees them;
the routes that show and decide them are ``review``'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from sagwa.domain.money import format_money
from sagwa.domain.price_moves import PriceReference
from sagwa.domain.pricing import Promotion
from sagwa.errors import Forbidden
from sagwa.priceguard import ChangeEvidence, PriceRules
from sagwa.priceguard.explain import percent_text
from sagwa.services import actor_names, listings, price_review
from sagwa.services.listing_holds import release_reference
from sagwa.services.listings import HeldListing
from sagwa.services.price_review import (
    QueueOrder,
    ReviewItem,
    check_not_own_change,
    gather_evidence,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.pages.labels import STALE_WHY
from sagwa.web.pages.sparkline import sparkline


@dataclass(frozen=True)
class ReviewCard:
    item: ReviewItem
    evidence: ChangeEvidence
    spark: Markup
    move: tuple[str, str]
    """How far the price moves, in Korean and English (:func:`price_move_text`)."""
    own: bool
    """The viewer proposed it: the service refuses their approval (``own_change``)."""
    approval_rule: str | None = None
    """Why approving it needs a reason (``price_review.approval_rule_in``: ``big_move``,
    ``first_price`` or the policy the guard held it by), or None."""
    proposer: str | None = None
    """The proposer's account as people know it (a seller's name), or None: unknown."""

    @property
    def needs_reason(self) -> bool:
        return self.approval_rule is not None

    @property
    def only_reject(self) -> tuple[str, str] | None:
        """A change no one may approve any more (``item.stale_code``): the label of its reason
        field, in Korean and English — that only rejecting is left, with a reason the seller
        reads, and why approving is not; None while it may be approved."""
        code = self.item.stale_code
        if code is None:
            return None
        why_ko, why_en = STALE_WHY.get(code, ("더 이상", "any more (see why above)"))
        ko = f"거절 사유 (필수, 판매자에게 보입니다). {why_ko} 이 변경은 승인할 수 없고 거절만 할 수 있습니다."
        en = ("Reason for rejecting (required; the seller sees it). This change can only be "
              f"rejected: it cannot be approved {why_en}.")
        return ko, en


@dataclass(frozen=True)
class HeldListingCard:
    held: HeldListing
    evidence: ChangeEvidence
    own: bool
    """The viewer published it or typed its price: the service refuses their release
    (``own_held_listing``)."""
    needs_reason: bool = False
    """Releasing it needs a reason (``release_needs_reason``): its first price is half or less,
    or twice or more, of ``reference`` — or ``reference`` is None: nothing to compare it with."""
    reference: PriceReference | None = None
    names: dict[str, str] | None = None
    """Audit-log names as people know them (``services.actor_names``)."""


def price_move_text(old_minor: int, new_minor: int) -> tuple[str, str]:
    """The card's badge, in Korean and English: ``-65%``-style, one decimal, by the rule the
    guard's reasons follow (``priceguard.explain.percent_text``): a drop to almost nothing is ``-99.9%``,
    never ``-100%`` (that would read as free), and a move under 0.1% says so instead of
    ``+0.0%``."""
    if old_minor <= 0:
        return "—", "—"
    if new_minor == old_minor:
        return "0%", "0%"
    sign = "+" if new_minor > old_minor else "-"
    size = abs(new_minor - old_minor) / old_minor * 100
    if size < 0.1:
        up = sign == "+"
        return (f"{'인상' if up else '인하'} 0.1% 미만",
                f"{'up' if up else 'down'} less than 0.1%")
    text = percent_text(size, decimals=1).removesuffix(".0")  # -90%, not -90.0%
    return f"{sign}{text}%", f"{sign}{text}%"


def _refuses(rule: Callable[[], None]) -> bool:
    """Whether a service's rule refuses the viewer, so the page leaves out that button."""
    try:
        rule()
    except Forbidden:
        return True
    return False


#: How many held changes one page of the queue shows.
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueuePage:
    """Which page of the held changes the queue shows: ``number`` of ``pages`` (at least one),
    ``size`` a page, ``total`` in all; ``problem`` says, in Korean and English, why it is not
    the page asked for (not a page number, or past the last page), else None."""
    number: int
    pages: int
    size: int
    total: int
    problem: tuple[str, str] | None = None

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def shown(self) -> tuple[int, int]:
        """The first and last position on this page, counted from 1 (0, 0 for none)."""
        return (self.offset + 1, min(self.total, self.offset + self.size)) if self.total else (0, 0)


def queue_page(asked: str | None, total: int, size: int = PAGE_SIZE) -> QueuePage:
    """The page asked for in the address (``?page=``, counted from 1) of ``total`` held
    changes: the first for none or for text that is no page number, the last for one past it
    (each said in ``problem``)."""
    pages = max(1, -(-total // size))
    text = (asked or "").strip()
    if not text:
        return QueuePage(1, pages, size, total)
    if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
        shown = text if len(text) <= 20 else text[:20] + "…"
        return QueuePage(1, pages, size, total, (
            f"쪽 번호를 알 수 없습니다(‘{shown}’). 첫 쪽을 보여 줍니다.",
            f"‘{shown}’ is not a page number; showing the first page."))
    number = int(text)
    if number > pages:
        return QueuePage(pages, pages, size, total, (
            f"{number}쪽은 없습니다(모두 {pages}쪽). {pages}쪽을 보여 줍니다.",
            f"There is no page {number} (there are {pages}); showing page {pages}."))
    return QueuePage(number, pages, size, total)


QUEUE = "/ops/review"


def queue_url(order: QueueOrder, page: int = 1) -> str:
    """The queue's address in ``order`` at ``page`` (the first page and the riskiest-first
    order say nothing)."""
    asked = ([("order", "oldest")] if order == "oldest" else []) + (
        [("page", str(page))] if page > 1 else [])
    return QUEUE + ("?" + urlencode(asked) if asked else "")


def review_context(uow: SqlAlchemyUnitOfWork, *, viewer: str, rules: PriceRules | None = None,
                   order: QueueOrder = "risk", limit: int = PAGE_SIZE,
                   lang: str = "ko", page: str | None = None) -> dict[str, Any]:
    """Both queues as the reviewer ``viewer`` (an audit-log name) sees them: ``limit`` of each
    in ``order`` (the riskiest first, or the oldest) — of the held changes, the ``page`` asked
    for (:func:`queue_page`, read from the database a page at a time) —, and how many wait in
    all. With the guard's ``rules``, a held listing whose price moved since its hold carries the
    guard's judgement of its current price."""
    totals = {"changes": price_review.held_change_count(uow),
              "listings": listings.held_listing_count(uow)}
    paging = queue_page(page, totals["changes"], limit)
    items = price_review.review_queue(uow, limit=limit, offset=paging.offset, order=order)
    held = listings.held_listings(uow, limit=limit, riskiest_first=order == "risk")
    if rules is not None:
        held = price_review.judge_moved_holds(uow, held, rules)
    with uow:
        names = actor_names.actor_names(uow, _actors(items, held))
        return {"cards": [_change_card(uow, item, viewer, names, lang) for item in items],
                "held_cards": [_held_card(uow, h, viewer, names) for h in held],
                "totals": totals, "order": order, "names": names, "paging": paging,
                "prev_url": queue_url(order, paging.number - 1) if paging.number > 1 else None,
                "next_url": (queue_url(order, paging.number + 1)
                             if paging.number < paging.pages else None)}


def _actors(items: list[ReviewItem], held: list[HeldListing]) -> set[str]:
    found = {i.change.proposed_by for i in items}
    found |= {h.hold.held_by for h in held if h.hold}
    found |= {h.sent_back.by for h in held if h.sent_back}
    return found


def _change_card(uow: SqlAlchemyUnitOfWork, item: ReviewItem, viewer: str,
                 names: dict[str, str], lang: str = "ko") -> ReviewCard:
    c = item.change
    promo = Promotion(c.promotion_pct) if c.promotion_pct else None
    evidence = gather_evidence(uow, item.listing, c.new_price, promo, streak=False)
    old = c.old_price.amount_minor
    # what a screen reader says for the chart: the page's language, prices as money
    title = item.product_title if lang == "ko" else (item.product_title_en or item.product_title)
    spark = sparkline(list(evidence.recent_prices_minor), c.new_price.amount_minor,
                      label=f"{title}: {format_money(c.old_price, lang=lang)} → "
                            f"{format_money(c.new_price, lang=lang)}")
    return ReviewCard(item, evidence, spark, price_move_text(old, c.new_price.amount_minor),
                      _refuses(partial(check_not_own_change, c, viewer)),
                      price_review.approval_rule_in(uow, c, item.listing),
                      names.get(c.proposed_by))


def _held_card(uow: SqlAlchemyUnitOfWork, held: HeldListing, viewer: str,
               names: dict[str, str]) -> HeldListingCard:
    listing = held.listing
    evidence = gather_evidence(uow, listing, listing.price, None, first_price=True)
    needs_reason, reference = release_reference(uow, listing, held.hold)
    return HeldListingCard(held, evidence, _refuses(partial(
        listings.check_not_own_hold, held.hold, listing_id=listing.id, reviewer=viewer,
        typed_by=held.price_typed_by)),
        needs_reason, reference, names)
