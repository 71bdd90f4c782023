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

from sagwa.adapters.db.market_repo import PriceChangeRecord, SellerChanges
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
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
from sagwa.services.review_card_reads import CardReads, read_cards
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
    pending: PriceChangeRecord | None = None
    """A newer price proposed for it since, held for review (its newest): releasing now would
    put it on sale at the price its seller has already replaced; None: none waits."""
    pending_url: str | None = None
    """The queue at ``pending``'s card (filtered by the listing), or None."""


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


#: How many held changes, and how many held listings, one page of the queue shows.
PAGE_SIZE = 50


@dataclass(frozen=True)
class QueuePage:
    """Which page of the held changes (or of the held listings) the queue shows: ``number``
    of ``pages`` (at least one), ``size`` a page, ``total`` in all; ``problem`` says, in Korean
    and English, why it is not the page asked for (not a page number, or past the last page),
    else None."""
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
    """The page asked for in the address (``?page=`` of the held changes, ``?held_page=`` of
    the held listings; counted from 1) of ``total`` of them: the first for none or for text
    that is no page number, the last for one past it (each said in ``problem``) — but for the
    page right after the last silently: deciding the last card of the last page comes back to
    a page that is no more (a review's finding)."""
    pages = max(1, -(-total // size))
    text = (asked or "").strip()
    if not text:
        return QueuePage(1, pages, size, total)
    if _positive_number(text, 9) is None:
        shown = _shown(text)
        return QueuePage(1, pages, size, total, (
            f"쪽 번호를 알 수 없습니다(‘{shown}’). 첫 쪽을 보여 줍니다.",
            f"‘{shown}’ is not a page number; showing the first page."))
    number = int(text)
    if number == pages + 1:  # the last page, emptied by the decision just taken: no note
        return QueuePage(pages, pages, size, total)
    if number > pages:
        return QueuePage(pages, pages, size, total, (
            f"{number}쪽은 없습니다(모두 {pages}쪽). {pages}쪽을 보여 줍니다.",
            f"There is no page {number} (there are {pages}); showing page {pages}."))
    return QueuePage(number, pages, size, total)


def _positive_number(text: str, digits: int) -> int | None:
    """``text`` as a number from 1 with at most ``digits`` ASCII digits, else None."""
    if not text.isascii() or not text.isdigit() or len(text) > digits or int(text) < 1:
        return None
    return int(text)


def _shown(text: str) -> str:
    """What a note quotes of a value typed in the address: its first 20 characters."""
    return text if len(text) <= 20 else text[:20] + "…"


@dataclass(frozen=True)
class QueueFilter:
    """Whose held changes the queue shows: those of ``seller_id``'s listings (``seller_name``
    as the cards show it) and of ``listing_id``, each when not None (none: all of them).
    ``problem`` says, in Korean and English, why the filter asked for is not applied (the
    whole queue is shown), else None."""
    seller_id: int | None = None
    listing_id: int | None = None
    seller_name: str | None = None
    problem: tuple[str, str] | None = None

    @property
    def active(self) -> bool:
        return self.seller_id is not None or self.listing_id is not None

    @property
    def query(self) -> list[tuple[str, str]]:
        """The filter in the queue's address (``?seller=`` and ``?listing=``, as ids)."""
        return [(name, str(value)) for name, value in (("seller", self.seller_id),
                                                        ("listing", self.listing_id))
                if value is not None]


#: The longest id the address takes (a BIGINT has 19 digits; more than 18 is no id of ours).
_ID_DIGITS = 18


def kept_filter(seller: str, listing: str) -> QueueFilter:
    """The filter a decision form carried back (hidden fields: ids), for the address it
    returns to; a value that is no id is left out (the queue's page checks the ids)."""
    return QueueFilter(_positive_number(seller.strip(), _ID_DIGITS),
                       _positive_number(listing.strip(), _ID_DIGITS))


def queue_filter(uow: SqlAlchemyUnitOfWork, seller: str | None, listing: str | None,
                 sellers: list[SellerChanges]) -> QueueFilter:
    """The filter asked for in the address: ``seller`` is a seller's id or their name as the
    cards show it (one of ``sellers``, those with held changes or held listings), ``listing`` a listing's id.
    A value that names no seller or listing filters nothing and says why (``problem``)."""
    seller_text, listing_text = (seller or "").strip(), (listing or "").strip()
    found = _seller_filter(uow, seller_text, sellers) if seller_text else QueueFilter()
    if listing_text and found.problem is None:
        listing_id = _positive_number(listing_text, _ID_DIGITS)
        problem = _listing_problem(uow, listing_text, listing_id)
        found = (_unfiltered(*problem) if problem
                 else QueueFilter(found.seller_id, listing_id, found.seller_name))
    return found


def _unfiltered(ko: str, en: str) -> QueueFilter:
    """No filter, and why (``ko`` and ``en``, each a sentence's start): the whole queue."""
    return QueueFilter(problem=(f"{ko} 모두 보여 줍니다.", f"{en}; showing the whole queue."))


def _seller_filter(uow: SqlAlchemyUnitOfWork, text: str,
                   sellers: list[SellerChanges]) -> QueueFilter:
    seller_id = _positive_number(text, _ID_DIGITS)
    if seller_id is not None:
        name = next((s.name for s in sellers if s.seller_id == seller_id), None)
        if name is None:
            with uow:
                known = uow.catalog.seller(seller_id)
            name = known.name if known else None
        return QueueFilter(seller_id, seller_name=name) if name is not None else _unfiltered(
            f"{with_particle(f'판매자 #{seller_id}', '은/는')} 없습니다.",
            f"There is no seller #{seller_id}")
    wanted = " ".join(text.split()).casefold()
    named = [s for s in sellers if " ".join(s.name.split()).casefold() == wanted]
    if len(named) == 1:
        return QueueFilter(named[0].seller_id, seller_name=named[0].name)
    shown = _shown(text)
    if named:
        return _unfiltered(f"‘{shown}’ 이름의 판매자가 여럿입니다. 목록에서 골라 주세요.",
                           f"Several sellers are named ‘{shown}’: choose one from the list")
    return _unfiltered(
        f"판매자를 알 수 없습니다(‘{shown}’: 판매자 번호도, 보류된 변경이나 상품이 있는 판매자의 이름도 "
        "아닙니다).",
        f"‘{shown}’ is no seller's number, nor the name of a seller with held changes or listings")


def _listing_problem(uow: SqlAlchemyUnitOfWork, text: str,
                     listing_id: int | None) -> tuple[str, str] | None:
    """Why ``text`` (read as ``listing_id``) filters no listing, or None: it is one."""
    if listing_id is None:
        shown = _shown(text)
        return f"상품 번호가 아닙니다(‘{shown}’).", f"‘{shown}’ is not a listing number"
    with uow:
        known = uow.market.listing(listing_id)
    if known is None:
        return (f"{with_particle(f'상품 #{listing_id}', '은/는')} 없습니다.",
                f"There is no listing #{listing_id}")
    return None


QUEUE = "/ops/review"


def queue_url(order: QueueOrder, page: int = 1, where: QueueFilter | None = None,
              held_page: int = 1) -> str:
    """The queue's address in ``order`` at ``page`` of the held changes and ``held_page`` of
    the held listings, filtered by ``where`` (the first pages, the riskiest-first order and no
    filter say nothing)."""
    asked = ([("order", "oldest")] if order == "oldest" else []) + (
        where.query if where else []) + ([("page", str(page))] if page > 1 else []) + (
        [("held_page", str(held_page))] if held_page > 1 else [])
    return QUEUE + ("?" + urlencode(asked) if asked else "")


#: Where the held listings start on the queue's page (their pages' links open there).
HELD_SECTION = "#held-listings"


def review_context(uow: SqlAlchemyUnitOfWork, *, viewer: str, rules: PriceRules | None = None,
                   order: QueueOrder = "risk", limit: int = PAGE_SIZE,
                   lang: str = "ko", page: str | None = None, seller: str | None = None,
                   listing: str | None = None, held_page: str | None = None) -> dict[str, Any]:
    """Both queues as the reviewer ``viewer`` (an audit-log name) sees them, ``limit`` a page
    in ``order`` (the riskiest first, or the oldest): the ``page`` of the held changes and the
    ``held_page`` of the held listings asked for (:func:`queue_page` each, read from the
    database a page at a time), only ``seller``'s and ``listing``'s when asked
    (:func:`queue_filter`, filtered by the database), and how many of each wait. With the
    guard's ``rules``, a held listing whose price moved since its hold carries the guard's
    judgement of its current price."""
    sellers = price_review.held_change_sellers(uow)
    where = queue_filter(uow, seller, listing, sellers)
    ids = {"seller_id": where.seller_id, "listing_id": where.listing_id}
    totals = {"changes": price_review.held_change_count(uow, **ids),
              "listings": listings.held_listing_count(uow, **ids)}
    paging = queue_page(page, totals["changes"], limit)
    held_paging = queue_page(held_page, totals["listings"], limit)
    items = price_review.review_queue(uow, limit=limit, offset=paging.offset, order=order, **ids)
    held = listings.held_listings(uow, limit=limit, offset=held_paging.offset,
                                  riskiest_first=order == "risk", **ids)
    if rules is not None:
        held = price_review.judge_moved_holds(uow, held, rules)
    all_listings = listings.held_listing_count(uow) if where.active else totals["listings"]
    with uow:
        names = actor_names.actor_names(uow, _actors(items, held))
        pending = uow.market.newest_held_changes([h.listing.id for h in held])
        reads = read_cards(uow, [item.listing for item in items])
        return {"cards": [_change_card(uow, item, viewer, names, lang, reads) for item in items],
                "held_cards": [_held_card(uow, h, viewer, names, pending.get(h.listing.id))
                               for h in held],
                "totals": totals, "order": order, "names": names, "paging": paging,
                "held_paging": held_paging, "where": where, "sellers": sellers,
                "all_changes": sum(s.changes for s in sellers),
                "all_listings": all_listings} | _queue_links(order, paging, held_paging, where)


def _queue_links(order: QueueOrder, paging: QueuePage, held_paging: QueuePage,
                 where: QueueFilter) -> dict[str, Any]:
    """The queue's addresses from this page: the pages before and after it of the held changes
    (``prev_url``, ``next_url``) and of the held listings (``held_prev_url``,
    ``held_next_url``, at their section), each order, and the whole queue (``clear_url``),
    each keeping what the others do not change."""

    def url(changes: int | None, held: int | None, at: str = "") -> str | None:
        return (None if changes is None or held is None
                else queue_url(order, changes, where, held) + at)

    before, after = _neighbours(paging)
    held_before, held_after = _neighbours(held_paging)
    return {"prev_url": url(before, held_paging.number),
            "next_url": url(after, held_paging.number),
            "held_prev_url": url(paging.number, held_before, HELD_SECTION),
            "held_next_url": url(paging.number, held_after, HELD_SECTION),
            "order_urls": {o: queue_url(o, 1, where) for o in ("risk", "oldest")},
            "clear_url": queue_url(order)}


def _neighbours(paging: QueuePage) -> tuple[int | None, int | None]:
    """The numbers of the pages before and after ``paging``'s, each None past an end."""
    return (paging.number - 1 if paging.number > 1 else None,
            paging.number + 1 if paging.number < paging.pages else None)


def _actors(items: list[ReviewItem], held: list[HeldListing]) -> set[str]:
    found = {i.change.proposed_by for i in items}
    found |= {h.hold.held_by for h in held if h.hold}
    found |= {h.sent_back.by for h in held if h.sent_back}
    return found


def _change_card(uow: SqlAlchemyUnitOfWork, item: ReviewItem, viewer: str,
                 names: dict[str, str], lang: str, reads: CardReads) -> ReviewCard:
    c = item.change
    promo = Promotion(c.promotion_pct) if c.promotion_pct else None
    evidence = reads.evidence(item.listing, c.new_price, promo)
    old = c.old_price.amount_minor
    # what a screen reader says for the chart: the page's language, prices as money
    title = item.product_title if lang == "ko" else (item.product_title_en or item.product_title)
    spark = sparkline(list(evidence.recent_prices_minor), c.new_price.amount_minor,
                      label=f"{title}: {format_money(c.old_price, lang=lang)} → "
                            f"{format_money(c.new_price, lang=lang)}")
    return ReviewCard(item, evidence, spark, price_move_text(old, c.new_price.amount_minor),
                      _refuses(partial(check_not_own_change, c, viewer)),
                      reads.approval_rule(uow, c, item.listing),
                      names.get(c.proposed_by))


def change_url(change: PriceChangeRecord) -> str:
    """The queue at ``change``'s card, filtered by its listing (so it is on the first page)."""
    return f"{queue_url('risk', 1, QueueFilter(listing_id=change.listing_id))}#change-{change.id}"


def _held_card(uow: SqlAlchemyUnitOfWork, held: HeldListing, viewer: str,
               names: dict[str, str], pending: PriceChangeRecord | None = None,
               ) -> HeldListingCard:
    listing = held.listing
    evidence = gather_evidence(uow, listing, listing.price, None, first_price=True)
    needs_reason, reference = release_reference(uow, listing, held.hold)
    return HeldListingCard(held, evidence, _refuses(partial(
        listings.check_not_own_hold, held.hold, listing_id=listing.id, reviewer=viewer,
        typed_by=held.price_typed_by)),
        needs_reason, reference, names, pending, change_url(pending) if pending else None)
