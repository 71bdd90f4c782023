"""Listings the price guard held when they were published, and a reviewer's decision on them.

A held listing waits off sale for a reviewer (:func:`held_listings` is that queue). Releasing it
(``listings.change_listing_status`` with ``release``, through :func:`check_release`) needs a
second person — whoever published it, or typed its price, may not release it — and the price the reviewer saw; a
first price half or less, or twice or more, of the reference the guard judged it against needs
the reviewer's reason too (:mod:`sagwa.domain.price_moves`, the rule an approval of a held price
change follows). Sending it back to draft instead (``send_back``, :func:`check_send_back`)
follows the same second-person rule and always needs a reason, which the seller's page shows
(:func:`latest_send_back`). Every hold, release and send-back is on the audit log."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sagwa.adapters.db.market_repo import PriceChangeRecord
from sagwa.domain.audit import AuditRecord
from sagwa.domain.catalog import Product
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger
from sagwa.domain.money import Money
from sagwa.domain.price_moves import (
    PriceReference,
    check_release_reason,
    first_price_reference,
    release_needs_reason,
)
from sagwa.domain.pricing import KST, GuardOpinion, PriceChangeStatus
from sagwa.domain.reasons import check_meaningful_reason, is_blank
from sagwa.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from sagwa.services.accounts import account_name
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: The audit action of a listing the gate held when it was published (``listing.<trigger>``).
HOLD_ACTION = f"listing.{ListingTrigger.HOLD.value}"


@dataclass(frozen=True)
class PublicationHold:
    """What the audit log says about a listing's hold: who published it, when, why the gate
    held it (its reason in English and, for holds recorded since it is kept, Korean) and the
    price it held (the seller may have changed the price since: the reasons are about this
    one)."""

    held_by: str
    held_at: datetime
    reason_en: str | None
    reason_ko: str | None
    error_type: str | None
    price: Money | None = None
    at_publication: bool = False
    """Held as it was published (a draft): it has never been on sale."""
    reference: PriceReference | None = None
    """The reference the guard judged the first price against, as the hold recorded it."""
    reference_recorded: bool = False
    """The hold recorded its reference (None then means there was none); older holds did not."""
    score: float | None = None
    """The guard's score of the held price (None: the hold did not record one)."""
    reason_code: str | None = None
    """The guard's reason code (``sent_back_price``: the reviewer's send-back, not the guard)."""


@dataclass(frozen=True)
class HeldListing:
    """A listing waiting for a reviewer's release, with what the reviewer needs to decide."""

    listing: Listing
    product_title: str
    seller_name: str
    hold: PublicationHold | None
    """None if the audit log has no hold for it (every hold writes one: the gate's at
    publication, or an operator's through the status API)."""
    product_title_en: str | None = None
    sent_back: SentBack | None = None
    """A reviewer sent it back earlier at the very price it is held at now (the seller
    republished it unchanged), or None."""
    needs_reason: bool = False
    """Releasing it needs a reason (:func:`release_reference`)."""
    reference: PriceReference | None = None
    """The reference the guard judged its first price against (None: there was none)."""
    current_opinion: GuardOpinion | None = None
    """The guard's judgement of the listing's current price when it is not the held one
    (:attr:`price_moved`; ``price_review.judge_moved_holds`` fills it), else None."""
    price_typed_by: frozenset[str] = frozenset()
    """Who typed the listing's current price (:func:`price_typed_by`): they may not release it."""

    @property
    def price_moved(self) -> bool:
        """The listing's price is not the one its hold was about (its seller changed it, or a
        reviewer approved a change, since): the hold's reasons are about another price."""
        return (self.hold is not None and self.hold.price is not None
                and self.hold.price != self.listing.price)


def publication_hold(uow: SqlAlchemyUnitOfWork, listing_id: int) -> PublicationHold | None:
    """The listing's latest ``listing.hold`` on the audit log (looked up directly, however many
    entries the listing has), or None.

    None lets :func:`check_not_own_hold` allow the release: every hold (the gate's at
    publication, or an operator's through the status API) writes that entry in the same
    transaction, so a held listing without one is not expected; the page then shows the listing
    without reasons."""
    last = uow.audit.latest_for_entity("listing", str(listing_id), HOLD_ACTION)
    if last is None:
        return None
    after = last.event.after or {}
    guard = after.get("guard") or {}
    price = after.get("price")
    score_bp = guard.get("score_bp")
    return PublicationHold(last.event.actor, last.occurred_at, after.get("reason"),
                           after.get("reason_ko"), guard.get("error_type"),
                           Money.from_dict(price)
                           if isinstance(price, dict) else None,
                           (last.event.before or {}).get("status") == ListingStatus.DRAFT.value,
                           _reference(after.get("reference")), "reference" in after,
                           int(score_bp) / 10_000 if isinstance(score_bp, int) else None,
                           guard.get("reason_code"))


def _reference(stored: object) -> PriceReference | None:
    if not isinstance(stored, dict):
        return None
    kind = "list_price" if stored.get("kind") == "list_price" else "other_sellers"
    return PriceReference(int(stored["amount_minor"]), kind)


def check_not_own_hold(hold: PublicationHold | None, *, listing_id: int, reviewer: str,
                       typed_by: Collection[str] = ()) -> None:
    """A listing held at publication needs a second person, as a held price change does: whoever
    published it may not release it nor send it back, and nor may whoever typed the price it is
    held at (``typed_by``: :func:`price_typed_by` — an admin who created a seller's draft at
    19,900 is the proposer of that price, whoever clicked publish), from any channel
    (``api:kim`` and ``admin:kim`` are the same account:
    :func:`sagwa.services.accounts.account_name`)."""
    me = account_name(reviewer)
    if hold is not None and me == account_name(hold.held_by):
        raise Forbidden(
            f"listing {listing_id} was published by {hold.held_by}; someone else must "
            "release it or send it back",
            reason="own_held_listing",
        )
    typist = next((t for t in sorted(typed_by) if account_name(t) == me), None)
    if typist is not None:
        raise Forbidden(
            f"listing {listing_id}'s price was entered by {typist}; someone else must "
            "release it or send it back",
            reason="own_held_listing",
        )


#: How many of a listing's latest price changes :func:`price_typed_by` reads.
TYPED_BY_CHANGES = 100


def price_typed_by(uow: SqlAlchemyUnitOfWork, listing: Listing) -> frozenset[str]:
    """Who typed ``listing``'s current price: whoever created the listing at it, and whoever
    proposed a change to it (among its latest :data:`TYPED_BY_CHANGES` changes, whatever became
    of them) — the audit-log names :func:`check_not_own_hold` keeps from releasing it."""
    price = listing.price
    typed = {c.proposed_by for c in uow.market.price_changes_for(listing.id,
                                                                  limit=TYPED_BY_CHANGES)
             if c.new_price == price}
    created = uow.audit.first_for_entity("listing", str(listing.id), "listing.created")
    if created is not None and (created.event.after or {}).get("price") == price.as_dict():
        typed.add(created.event.actor)
    return frozenset(typed)


def check_price_seen(listing: Listing, expected_price: Money | None, *,
                     held_price: Money | None = None) -> None:
    """``change_listing_status``'s ``expected_price``: the price the caller saw (a reviewer
    releasing a held listing). The seller may change a held listing's price meanwhile, so a
    release must not put on sale a price nobody reviewed. A caller who names no price is held
    to ``held_price``, the price the hold was about (the one its reasons explain); with
    neither, nothing is checked."""
    if expected_price is not None and expected_price.currency != listing.price.currency:
        raise InvalidInput(f"listing {listing.id} is priced in {listing.price.currency}, not "
                           f"{expected_price.currency}", field="expected_price.currency",
                           reason="currency_mismatch")
    if expected_price is not None and listing.price != expected_price:
        raise Conflict(
            f"listing {listing.id} now costs {listing.price}, not the {expected_price} you saw; "
            "look at the new price before deciding",
            reason="listing_price_moved",
            expected_price=expected_price.as_dict(),
            price=listing.price.as_dict(),
        )
    if expected_price is None and held_price is not None and listing.price != held_price:
        raise Conflict(
            f"listing {listing.id} now costs {listing.price}, not the {held_price} it was held "
            f"at; look at the new price, then release it with expected_price {listing.price}",
            reason="listing_price_moved",
            held_price=held_price.as_dict(),
            price=listing.price.as_dict(),
        )


def held_listing_count(uow: SqlAlchemyUnitOfWork, *, seller_id: int | None = None,
                       listing_id: int | None = None) -> int:
    """How many listings held at publication wait for a reviewer (only ``seller_id``'s, and
    only ``listing_id``, when given)."""
    with uow:
        return uow.market.count_listings_with_status(ListingStatus.HELD, seller_id=seller_id,
                                                     listing_id=listing_id)


def held_listings(uow: SqlAlchemyUnitOfWork, *, limit: int = 50, offset: int = 0,
                  riskiest_first: bool = False, seller_id: int | None = None,
                  listing_id: int | None = None) -> list[HeldListing]:
    """Listings the gate held when they were published, longest waiting first — or, with
    ``riskiest_first``, the highest guard score first (a hold without one last), then the
    longest waiting: ``limit`` of them after the first ``offset``, only ``seller_id``'s and
    ``listing_id`` when given (the database filters them)."""
    with uow:
        found = []
        for listing, hold in _held_in_order(uow, limit=limit, offset=offset,
                                            riskiest_first=riskiest_first,
                                            which=(seller_id, listing_id)):
            product = uow.catalog.product(listing.product_id)
            seller = uow.catalog.seller(listing.seller_id)
            found.append(HeldListing(listing, product.title if product else "?",
                                     seller.name if seller else "?", hold,
                                     product.title_en if product else None,
                                     sent_back_at(uow, listing.id, listing.price),
                                     *release_reference(uow, listing, hold),
                                     price_typed_by=price_typed_by(uow, listing)))
        return found


def _held_in_order(uow: SqlAlchemyUnitOfWork, *, limit: int, offset: int, riskiest_first: bool,
                   which: tuple[int | None, int | None],
                   ) -> list[tuple[Listing, PublicationHold | None]]:
    """``limit`` held listings after the first ``offset``, in order, of ``which`` (a seller's
    id and a listing's id, each None for any: the database filters them). The guard's score is
    on the audit log, so the riskiest first are sorted here (:func:`risk_order_key`), among the
    filtered ones only."""
    seller_id, listing_id = which
    market = uow.market
    if not riskiest_first:
        return [(listing, publication_hold(uow, listing.id))
                for listing in market.listings_with_status(
                    ListingStatus.HELD, limit=limit, offset=offset, seller_id=seller_id,
                    listing_id=listing_id)]
    every = market.listings_with_status(
        ListingStatus.HELD, seller_id=seller_id, listing_id=listing_id,
        limit=market.count_listings_with_status(ListingStatus.HELD, seller_id=seller_id,
                                                listing_id=listing_id))
    pairs = [(listing, publication_hold(uow, listing.id)) for listing in every]
    pairs.sort(key=lambda p: risk_order_key(p[1].score if p[1] else None,
                                            p[1].held_at if p[1] else _NEVER, p[0].id))
    return pairs[offset:offset + limit]


#: The waiting time of a held listing without a hold on record: before any other.
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def risk_order_key(score: float | None, at: datetime, ident: int) -> tuple[float, datetime, int]:
    """The sort key of the review queues' "riskiest first" (held changes and held listings):
    the guard's highest score first (no score last), then the longest waiting."""
    return (-(score if score is not None else -1.0), at, ident)


def sent_back_at(uow: SqlAlchemyUnitOfWork, listing_id: int, price: Money) -> SentBack | None:
    """The listing's latest send-back, if it sent back exactly ``price``; None otherwise."""
    back = latest_send_back(uow, listing_id)
    return back if back is not None and back.price == price else None


def approved_first_price(uow: SqlAlchemyUnitOfWork, listing: Listing) -> PriceChangeRecord | None:
    """The reviewer's approval of the price a draft is about to be published at, if there is
    one: the latest price move on the listing is an approved change to exactly its price, and no
    reviewer sent the listing back since. Publishing it at that price asks the guard nothing
    more: the same price would only be held for the same review again."""
    changes = [c for c in uow.market.price_changes_for(listing.id, limit=20)
               if c.status in (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)]
    if not changes:
        return None
    last = max(changes, key=lambda c: (c.decided_at or c.proposed_at, c.id))
    if last.status is not PriceChangeStatus.APPROVED or last.new_price != listing.price:
        return None
    back = latest_send_back(uow, listing.id)
    if back is not None and last.decided_at is not None and back.at >= last.decided_at:
        return None
    return last


def check_no_newer_price_waiting(uow: SqlAlchemyUnitOfWork, listing: Listing) -> None:
    """A held listing is not released while a newer price of its seller's waits for review
    (``newer_price_waiting``): it would go on sale at the price the seller replaced, and the
    change would stay in the queue. Approving that change first sets its price (released at
    it after), rejecting it keeps this one."""
    waiting = uow.market.newest_held_changes([listing.id]).get(listing.id)
    if waiting is None:
        return
    raise Conflict(
        f"listing {listing.id}'s seller has since proposed {waiting.new_price} (price change "
        f"#{waiting.id}, waiting for review): releasing now would put {listing.price}, the "
        f"price they replaced, on sale; approve or reject change #{waiting.id} first",
        reason="newer_price_waiting", change_id=waiting.id,
        new_price=waiting.new_price.as_dict(), price=listing.price.as_dict())


def check_release(uow: SqlAlchemyUnitOfWork, listing: Listing, reviewer: str,
                  reason: str | None, expected_price: Money | None,
                  ) -> tuple[bool, dict[str, object]]:
    """A held listing's release: never by whoever published it, only at the price the reviewer
    saw (the held one if they name none), with no newer price of the seller's waiting for
    review (:func:`check_no_newer_price_waiting`), and, for a listing held at its
    publication, with a reason when its first price is half or less, or twice or more, of the
    reference the guard judged it against — or when there was no reference at all
    (:func:`~sagwa.domain.price_moves.release_needs_reason`). Whether the listing goes on sale
    for the first time, and what its audit entry keeps of the reference."""
    hold = publication_hold(uow, listing.id)
    check_not_own_hold(hold, listing_id=listing.id, reviewer=reviewer,
                       typed_by=price_typed_by(uow, listing))
    check_price_seen(listing, expected_price, held_price=hold.price if hold else None)
    check_no_newer_price_waiting(uow, listing)
    if hold is None or not hold.at_publication:
        return False, {}  # held while on sale (no path does so today): its own price was live
    reference = hold_reference(uow, listing, hold)
    check_release_reason(listing.id, listing.price, reference, reason)
    return True, {"reference": reference.as_dict(listing.price.currency) if reference else None}


def release_reference(uow: SqlAlchemyUnitOfWork, listing: Listing,
                      hold: PublicationHold | None) -> tuple[bool, PriceReference | None]:
    """Whether releasing ``listing`` (held as ``hold`` says) needs a reason, as
    :func:`check_release` decides it, and the first price's reference (the review card marks its
    reason field required and says why)."""
    if hold is None or not hold.at_publication:
        return False, None
    reference = hold_reference(uow, listing, hold)
    return release_needs_reason(listing.price, reference), reference


def hold_reference(uow: SqlAlchemyUnitOfWork, listing: Listing,
                   hold: PublicationHold) -> PriceReference | None:
    """The reference the guard judged the held first price against, as the hold recorded it
    (a seller's later price is weighed against the same one). A hold recorded before holds kept
    it: the reference as the catalogue and the other sellers stand now — the figures the
    reviewer's card shows."""
    if hold.reference_recorded:
        return hold.reference
    return first_price_reference_now(uow, listing)


def first_price_reference_now(uow: SqlAlchemyUnitOfWork,
                              listing: Listing) -> PriceReference | None:
    """What the guard compares ``listing``'s price with as a first price, now: the product's
    list price in the listing's currency, else the other sellers' median (``gather_evidence``
    with ``first_price``, in the same transaction, finds the same)."""
    currency = listing.price.currency
    known = list_price_in(uow.catalog.product(listing.product_id), currency)
    others = [] if known else uow.market.other_seller_prices(
        listing.product_id, excluding_listing=listing.id, currency=currency)
    return first_price_reference(known, others)


def list_price_in(product: Product | None, currency: str) -> int | None:
    """The product's list price in minor units when it is in ``currency``, else None."""
    listed = product.list_price if product else None
    return listed.amount_minor if listed and listed.currency == currency else None


def never_on_sale(uow: SqlAlchemyUnitOfWork, listing: Listing) -> bool:
    """A draft, or a listing held at its publication, has no price of its own to compare a new
    one with: the gate (and the dry run) judges the new price as a first price (list price,
    other sellers), as publishing the listing will."""
    if listing.status is ListingStatus.DRAFT:
        return True
    if listing.status is not ListingStatus.HELD:
        return False
    hold = publication_hold(uow, listing.id)
    return hold is not None and hold.at_publication


#: The audit actions that put a listing on sale: publishing a draft, releasing a held one.
ON_SALE_ACTIONS = (f"listing.{ListingTrigger.PUBLISH.value}",
                   f"listing.{ListingTrigger.RELEASE.value}")


def set_before_sale(uow: SqlAlchemyUnitOfWork, listing: Listing,
                    changes: list[PriceChangeRecord]) -> set[int]:
    """The ``changes`` that took effect (applied or approved) before the listing first went on
    sale: they set a price nobody could buy at then, whatever the listing is now. A listing
    never put on sale through sagwa (created on sale, with no publish or release on its audit
    log) counts as on sale from its start, unless it is a draft or held at its publication
    now (:func:`never_on_sale`)."""
    took_effect = [c for c in changes
                   if c.status in (PriceChangeStatus.APPLIED, PriceChangeStatus.APPROVED)]
    if not took_effect:
        return set()
    first = uow.audit.first_for_entity("listing", str(listing.id), *ON_SALE_ACTIONS)
    if first is None:
        return {c.id for c in took_effect} if never_on_sale(uow, listing) else set()
    return {c.id for c in took_effect if (c.decided_at or c.proposed_at) < first.occurred_at}


def judged_as_first_price(uow: SqlAlchemyUnitOfWork, listing: Listing, at: datetime) -> bool:
    """Whether a price proposed on ``listing`` at ``at`` was judged as a first price (against
    the list price or the other sellers, not the listing's own price): the listing had not gone
    on sale by then. One without a publish or release on its audit log counts as on sale from
    its start unless it is still never on sale (as :func:`set_before_sale` counts it)."""
    return judged_as_first_price_since(
        uow, listing, at, uow.audit.first_for_entity("listing", str(listing.id), *ON_SALE_ACTIONS))


def judged_as_first_price_since(uow: SqlAlchemyUnitOfWork, listing: Listing, at: datetime,
                                first: AuditRecord | None) -> bool:
    """:func:`judged_as_first_price` with the listing's first publish or release on its audit
    log already read (``first``; None: it has none), for a page that reads many at once."""
    if first is None:
        return never_on_sale(uow, listing)
    return at < first.occurred_at


#: The audit actions of a price change taking effect (applied at once, or approved).
TOOK_EFFECT_ACTIONS = (f"price_change.{PriceChangeStatus.APPLIED.value}",
                       f"price_change.{PriceChangeStatus.APPROVED.value}")


def took_effect_before_sale(uow: SqlAlchemyUnitOfWork, listing: Listing,
                            change: PriceChangeRecord) -> bool:
    """Whether ``change`` (applied or approved) took effect before ``listing`` first went on
    sale, so that its old price was never a price anybody could buy at: a draft's, or a first
    price held at publication that no reviewer released at that price (a release at it puts it
    on sale first). Told by the order of the audit log, where two steps made in one instant
    are still one after the other; by time (as :func:`set_before_sale`) for a change without
    its own entry."""
    first = uow.audit.first_for_entity("listing", str(listing.id), *ON_SALE_ACTIONS)
    if first is None:
        return never_on_sale(uow, listing)
    own = uow.audit.first_naming("listing", str(listing.id), *TOOK_EFFECT_ACTIONS,
                                 key="price_change_id", value=change.id)
    if own is None:
        return (change.decided_at or change.proposed_at) < first.occurred_at
    return own.seq < first.seq


#: The audit action of a held listing a reviewer sent back to draft (``listing.<trigger>``).
SEND_BACK_ACTION = f"listing.{ListingTrigger.SEND_BACK.value}"


def check_send_back(uow: SqlAlchemyUnitOfWork, listing: Listing, reviewer: str,
                    reason: str | None, expected_price: Money | None) -> str:
    """A reviewer refuses the first price of a listing held at its publication: it goes back to
    draft for its seller to correct. Never by whoever published it (as a release), only at the
    price the reviewer saw if they name one, and always with a reason the seller can act on
    (:func:`check_send_back_reason`). The reason, as the audit log keeps it."""
    hold = publication_hold(uow, listing.id)
    check_not_own_hold(hold, listing_id=listing.id, reviewer=reviewer,
                       typed_by=price_typed_by(uow, listing))
    check_price_seen(listing, expected_price)
    if hold is not None and not hold.at_publication:  # it was on sale: back to draft loses that
        raise IllegalTransition(
            f"listing {listing.id} was held while on sale; release it or end it",
            status=listing.status.value, trigger=ListingTrigger.SEND_BACK.value,
            reason="listing_status")
    return check_send_back_reason(listing.id, reason)


def check_send_back_reason(listing_id: int, reason: str | None) -> str:
    """A send-back always needs a reason (``send_back_needs_reason``) that says something
    (:func:`~sagwa.domain.reasons.check_meaningful_reason`): the seller reads it to know what
    to correct."""
    if reason is None or is_blank(reason):
        raise InvalidInput(
            f"sending listing {listing_id} back needs a reason the seller can act on (what is "
            "wrong with the price)", field="reason", reason="send_back_needs_reason")
    return check_meaningful_reason(reason)


@dataclass(frozen=True)
class SentBack:
    """A reviewer sent the listing back to draft: who, when, why, and at which price."""

    by: str
    at: datetime
    reason: str | None
    price: Money | None


#: The guard's reason code on a first price held because a reviewer sent that price back.
SENT_BACK_PRICE = "sent_back_price"


def sent_back_opinion(back: SentBack, opinion: GuardOpinion | None) -> GuardOpinion:
    """The hold of a first price a reviewer sent back, when it comes back unchanged (published,
    or previewed by the dry run of a draft): whatever the guard says now (``opinion``; the
    market may have moved), the reviewer's word stands until a reviewer says otherwise."""
    said = f": {back.reason.rstrip(' .。')}" if back.reason else ""
    when = back.at.astimezone(KST).strftime("%Y-%m-%d %H:%M")
    en = (f"a reviewer sent this very price back ({when} KST){said}; published again "
          "unchanged, it waits for a reviewer again")
    ko = (f"검토자가 이 가격 그대로 돌려보냈습니다({when}){said}. 가격을 바꾸지 않고 다시 판매 시작을 "
          "요청하면 검토를 다시 기다립니다")
    return GuardOpinion("hold", opinion.score if opinion else 0.0,
                        opinion.error_type if opinion else "", SENT_BACK_PRICE, en, ko,
                        dict(opinion.facts) if opinion else {})


def latest_send_back(uow: SqlAlchemyUnitOfWork, listing_id: int) -> SentBack | None:
    """The listing's latest send-back on the audit log (one indexed lookup), or None."""
    last = uow.audit.latest_for_entity("listing", str(listing_id), SEND_BACK_ACTION)
    if last is None:
        return None
    after, before = last.event.after or {}, last.event.before or {}
    price = before.get("price")
    return SentBack(last.event.actor, last.occurred_at, after.get("reason"),
                    Money.from_dict(price)
                    if isinstance(price, dict) else None)
