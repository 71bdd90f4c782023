"""The price guard at the door of "propose a price change", and the reviewers' queue.

``guard_gate(rules)`` gathers the evidence for one proposal from the database (the listing's own
recent prices, other sellers' live prices for the product, its list price and category, the
declared promotion) and asks the pure guard. A ``hold`` keeps the live price where it was and puts
the change in the review queue; a reviewer approves (the new price goes live) or rejects it, with
a reason, on the audit log. Nobody approves a change they proposed themselves (whichever
channel each step came through), and a change is stale once any other price took effect on its
listing after it was proposed — even one that came back to the same price.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, NoReturn

from sagwa.adapters.db.market_repo import PriceChangeRecord, SellerChanges
from sagwa.domain.audit import AuditEvent
from sagwa.domain.catalog import Product, Seller
from sagwa.domain.listings import Listing, ListingStatus, ListingTrigger
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import with_particle
from sagwa.domain.price_moves import (
    PriceReference,
    first_price_reference,
    is_big_move,
    release_needs_reason,
)
from sagwa.domain.pricing import (
    GuardOpinion,
    PriceChangeProposal,
    PriceChangeStatus,
    Promotion,
    kst_minute,
)
from sagwa.domain.reasons import check_meaningful_reason, is_blank, require_reason
from sagwa.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from sagwa.priceguard import ChangeEvidence, PriceRules, Verdict, check_one
from sagwa.priceguard.streak import streak_of
from sagwa.priceguard.vocabulary import POLICY_REASONS
from sagwa.services.accounts import account_name
from sagwa.services.desk_notify import LinkMaker
from sagwa.services.incident_prices import incidents_standing, wrong_price_among
from sagwa.services.listing_holds import (
    HeldListing,
    first_price_reference_now,
    judged_as_first_price,
    sent_back_at,
    sent_back_opinion,
)
from sagwa.services.listings import (
    GateDecision,
    PriceGate,
    check_not_an_incidents_wrong_price,
    check_proposal_input,
    check_proposal_on,
    never_on_sale,
)
from sagwa.services.lookups import require
from sagwa.services.promotion_end import schedule_promotion_end
from sagwa.services.seller_listing_notices import queue_decision_notice
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

RECENT_PRICES = 12
#: How many of a listing's live prices its streak is read from (a longer walk is judged from
#: where this many steps back began: still far from where the walk is heading).
STREAK_PRICES = 200
DEFAULT_RULES = PriceRules()
#: A listing's streak starts when it last went on sale: its price edits as a draft (or before a
#: reviewer released its first price) were never live prices anybody could buy at.
ON_SALE_ACTIONS = (f"listing.{ListingTrigger.PUBLISH.value}",
                   f"listing.{ListingTrigger.RELEASE.value}")


def gather_evidence(uow: SqlAlchemyUnitOfWork, listing: Listing, new_price: Money,
                    promotion: Promotion | None, *, first_price: bool = False,
                    rules: PriceRules | None = None, streak: bool = True) -> ChangeEvidence:
    """What the guard may know about ``new_price`` on ``listing``. A ``first_price`` (a draft
    being published) has no price of its own to compare with: it is judged against the product's
    list price, else the other sellers' median, and no history. The listing's streak (its
    moves in one direction in a row, since a reviewer last approved its price) is read with
    ``rules``' gap (the shipped rules' without); ``streak=False`` leaves it out (a page that
    shows only the recent prices need not read it)."""
    product = require(uow.catalog.product(listing.product_id), "product", listing.product_id)
    seller = uow.catalog.seller(listing.seller_id)
    others = uow.market.other_seller_prices(listing.product_id, excluding_listing=listing.id,
                                            currency=listing.price.currency)
    recent = (None if first_price
              else uow.market.effective_prices(listing.id, limit=RECENT_PRICES))
    moves = (_streak(uow, listing, rules or DEFAULT_RULES) if streak and not first_price
             else (None, 0))
    return evidence_of(listing, new_price, promotion, EvidenceReads(product, seller, others,
                                                                    recent, moves))


@dataclass(frozen=True)
class EvidenceReads:
    """What :func:`gather_evidence` reads of a listing: its product and seller, the other
    sellers' live prices, its recent live prices (None for a first price: no history; ``[]``
    for none: its price alone) and its streak's start and moves."""

    product: Product
    seller: Seller | None
    others: list[int]
    recent: list[int] | None
    moves: tuple[int | None, int] = (None, 0)


def evidence_of(listing: Listing, new_price: Money, promotion: Promotion | None,
                read: EvidenceReads) -> ChangeEvidence:
    """:func:`gather_evidence` from what it read (``read``; a first price when its ``recent``
    is None), for a page that reads it for many listings at once."""
    list_price = read.product.list_price
    known_list = (list_price.amount_minor
                  if list_price and list_price.currency == new_price.currency else None)
    old_kind: Literal["current", "list_price", "other_sellers"] = "current"
    if read.recent is None:
        reference = first_price_reference(known_list, read.others)
        old_minor, recent = (reference.amount_minor if reference else new_price.amount_minor), []
        if reference is not None:
            old_kind = reference.kind
    else:
        old_minor = listing.price.amount_minor
        recent = list(read.recent) or [listing.price.amount_minor]
        if recent[-1] != listing.price.amount_minor:
            recent.append(listing.price.amount_minor)
    return ChangeEvidence(
        old_price_minor=old_minor,
        new_price_minor=new_price.amount_minor,
        currency=new_price.currency,
        recent_prices_minor=tuple(recent),
        other_seller_prices_minor=tuple(read.others),
        list_price_minor=known_list,
        promotion_pct=promotion.percent if promotion else None,
        category=read.product.category,
        seller_id=read.seller.code if read.seller else None,
        old_price_kind=old_kind,
        streak_start_minor=read.moves[0],
        streak_moves=read.moves[1],
    )


def _streak(uow: SqlAlchemyUnitOfWork, listing: Listing,
            rules: PriceRules) -> tuple[int | None, int]:
    """The streak the listing's current price ends: its live prices since it last went on sale
    and since a reviewer last approved one, moves at most ``streak_max_gap_hours`` apart (or
    made on top of a declared promotion still running then), the last of them no longer ago
    than that (or its promotion still running now)."""
    on_sale = uow.audit.latest_for_entity("listing", str(listing.id), *ON_SALE_ACTIONS)
    walked = uow.market.streak_prices(listing.id, limit=STREAK_PRICES,
                                      since=on_sale.occurred_at if on_sale else None)
    current = listing.price.amount_minor
    # the listing's price is the last live one (a promotion's while that runs)
    still = walked[-1].promotion_until if walked and walked[-1].price == current else None
    return streak_of([p.price for p in walked] + [current],
                     [p.live_at for p in walked] + [None],
                     max_gap=rules.streak_max_gap_seconds, now=uow.now().timestamp(),
                     runs_until=[p.promotion_until for p in walked] + [still])


def opinion_of(verdict: Verdict) -> GuardOpinion:
    return GuardOpinion(verdict.verdict, float(verdict.score), verdict.error_type,
                        verdict.reason_code, verdict.reason_en, verdict.reason_ko,
                        _jsonable(verdict.facts))


def _jsonable(facts: dict[str, object]) -> dict[str, object]:
    """JSON-ready facts: NaN (unknown) becomes None, amounts in minor units become integers
    (a median of two prices may end in .5: rounded), ratios stay floats."""
    out: dict[str, object] = {}
    for key, value in facts.items():
        if hasattr(value, "item"):  # numpy scalar
            value = value.item()
        if isinstance(value, float) and math.isnan(value):  # NaN is not JSON
            value = None
        elif isinstance(value, float) and key.endswith("_minor"):
            value = round(value)
        out[key] = value
    return out


def judge(uow: SqlAlchemyUnitOfWork, listing: Listing, new_price: Money,
          promotion: Promotion | None, rules: PriceRules, *, first_price: bool) -> GuardOpinion:
    """The guard's opinion of ``new_price`` on ``listing`` (the gate's and the dry run's). A
    first price with nothing to compare it with — no list price and no other seller in its
    currency — is still checked for what needs no reference (a placeholder price, the seller's
    floor and ceiling); if that passes, the opinion says plainly that nothing was compared
    (:func:`unreferenced`), never "within range" of the price itself."""
    evidence = gather_evidence(uow, listing, new_price, promotion, first_price=first_price,
                               rules=rules)
    opinion = opinion_of(check_one(evidence, rules))
    if first_price and evidence.old_price_kind == "current" and not opinion.holds:
        return unreferenced(opinion, new_price)
    return opinion


#: The reason code of a first price allowed with nothing to compare it with.
NO_REFERENCE = "no_reference"


def unreferenced(opinion: GuardOpinion, price: Money) -> GuardOpinion:
    """``opinion`` of a first price that had no reference, saying so (reason ``no_reference``;
    the facts name no reference)."""
    en_price, ko_price = format_money(price, lang="en"), format_money(price, lang="ko")
    cur = price.currency
    en = (f"nothing to compare {en_price} with: the product has no list price in {cur} and "
          f"no other seller sells it in {cur}; only placeholder prices and the seller's limits "
          "were checked")
    ko = (f"{with_particle(ko_price, '와(과)')} 비교할 가격이 없습니다. 이 상품에는 {cur} 통화의 "
          f"정가도, 같은 통화로 파는 다른 판매자도 없어 임시 가격인지와 판매자 한도만 확인했습니다.")
    facts = {**opinion.facts, "reference_kind": None, "reference_price_minor": None,
             "ratio_to_reference": None}
    return replace(opinion, reason_code=NO_REFERENCE, reason_en=en, reason_ko=ko, facts=facts)


def guard_gate(rules: PriceRules) -> PriceGate:
    """A price gate that asks the price guard."""

    def gate(uow: SqlAlchemyUnitOfWork, listing: Listing,
             proposal: PriceChangeProposal) -> GateDecision:
        opinion = judge(uow, listing, proposal.new_price, proposal.promotion, rules,
                        first_price=proposal.first_price)
        return GateDecision(hold=opinion.holds, reason=opinion.reason_en, opinion=opinion)

    return gate


def check_price_change(uow: SqlAlchemyUnitOfWork, *, listing_id: int, new_price: Money,
                       rules: PriceRules, promotion: Promotion | None = None) -> GuardOpinion:
    """Dry run: what the guard would say, with nothing stored. What the proposal itself would
    refuse is refused here, by the same checks in the same order (``check_proposal_input``,
    ``check_proposal_on``): an ended listing, a price in another currency than the listing's,
    the price it already has (except on a draft, where the dry run previews publishing it at
    its own price), a promotion that is not running now. On a listing
    that was never on sale (a draft, or held at its publication) the price is judged as a first
    price, as publishing judges it (:func:`~sagwa.services.listing_holds.never_on_sale`)."""
    check_proposal_input(new_price, promotion)
    with uow:
        listing = require(uow.market.listing(listing_id), "listing", listing_id)
        first_price = never_on_sale(uow, listing)
        # a draft's own price is judged (as publishing it would be); a listing held at its
        # publication already has its judgement, and saving its own price is refused: the dry
        # run said "hold: save it if you mean it" and the save then refused (a review's finding)
        draft = listing.status is ListingStatus.DRAFT
        check_proposal_on(uow, listing, new_price, promotion, same_price=draft)
        opinion = judge(uow, listing, new_price, promotion, rules, first_price=first_price)
        # the price a reviewer sent back is held again when published: the dry run says so
        back = sent_back_at(uow, listing.id, new_price) if draft and not opinion.holds else None
        return opinion if back is None else sent_back_opinion(back, opinion)


@dataclass(frozen=True)
class ReviewItem:
    change: PriceChangeRecord
    listing: Listing
    product_title: str
    seller_name: str
    stale_ko_en: tuple[str, str] | None
    """Why this change can no longer be approved (Korean, English), or None."""
    product_title_en: str | None = None
    stale_code: str | None = None
    """The same as a code (:func:`stale_code`), or None."""


def stale_code(change: PriceChangeRecord, listing: Listing, *,
               price_moved_since: bool = False, now: datetime | None = None) -> str | None:
    """A held change is stale when its listing ended, its price moved since the proposal, or
    the promotion it leans on ended by ``now``: approving it would apply a decision made on
    other facts (the reviewer can only reject). ``price_moved_since`` says another change took
    effect on the listing after this one was proposed
    (:meth:`MarketRepository.price_moved_after`), so a price that went away and came back
    (199,000 -> 150,000 -> 199,000) is stale too. Which, as the refusal's
    ``details["reason"]``; None when it is not stale."""
    if listing.status is ListingStatus.ENDED:
        return "listing_ended_since_proposal"
    if listing.price != change.old_price or price_moved_since:
        return "live_price_moved"
    ends = change.promotion_ends_at
    if now is not None and change.promotion_pct is not None and ends is not None and ends <= now:
        return "promotion_ended_since_proposal"
    return None


def stale_reason(change: PriceChangeRecord, listing: Listing, *,
                 price_moved_since: bool = False,
                 now: datetime | None = None) -> tuple[str, str] | None:
    """Why a held change is stale (:func:`stale_code`), in Korean and English; or None."""
    code = stale_code(change, listing, price_moved_since=price_moved_since, now=now)
    return None if code is None else _stale_sentences(code, change, listing)


def _stale_sentences(code: str, change: PriceChangeRecord, listing: Listing) -> tuple[str, str]:
    if code == "listing_ended_since_proposal":
        return ("판매가 종료된 상품입니다. 거절해 주세요.", "the listing has ended; reject the change")
    if code == "promotion_ended_since_proposal" and change.promotion_ends_at is not None:
        ended = kst_minute(change.promotion_ends_at)
        return (f"이 가격이 기대는 할인 행사가 {ended}(한국 시간)에 끝났습니다. 거절해 주세요.",
                f"the promotion this price leans on ended at {ended} KST; reject the change")
    before_ko, now_ko = (format_money(m, lang="ko") for m in (change.old_price, listing.price))
    before_en, now_en = (format_money(m, lang="en") for m in (change.old_price, listing.price))
    again_ko = "다시 제안해 달라고 해 주세요."
    again_en = "reject it and ask the seller to propose again"
    if listing.price == change.old_price:  # it moved and came back
        ko = (f"제안 이후 판매가가 바뀌었다가 다시 {with_particle(now_ko, '이/가')} 되었습니다. "
              f"그 사이 다른 가격 변경이 반영되었으니 거절하고 판매자에게 {again_ko}")
        en = (f"the live price changed since the proposal (it is back at {now_en}, but other "
              f"changes took effect in between); {again_en}")
        return ko, en
    ko = (f"제안 이후 판매가가 {before_ko}에서 {with_particle(now_ko, '(으)로')} "
          f"바뀌었습니다. 거절하고 판매자에게 {again_ko}")
    en = f"the live price moved from {before_en} to {now_en} since the proposal; {again_en}"
    return ko, en


def _moved_since(uow: SqlAlchemyUnitOfWork, change: PriceChangeRecord) -> bool:
    return uow.market.price_moved_after(change.listing_id, change_id=change.id,
                                        proposed_at=change.proposed_at)


def check_not_own_change(change: PriceChangeRecord, reviewer: str) -> None:
    """A held change needs a second person: its proposer may not approve it (from any channel).
    Rejecting one's own change stays allowed — it is withdrawing it, and moves no price."""
    if account_name(reviewer) == account_name(change.proposed_by):
        raise Forbidden(
            f"price change {change.id} was proposed by {change.proposed_by}; someone else "
            "must approve it",
            reason="own_change",
        )


def held_change_count(uow: SqlAlchemyUnitOfWork, *, seller_id: int | None = None,
                      listing_id: int | None = None) -> int:
    """How many price changes wait for a reviewer (the queue shows the oldest ones); only
    those of ``seller_id``'s listings, and of ``listing_id``, when given."""
    with uow:
        return uow.market.count_changes_with_status(PriceChangeStatus.HELD, seller_id=seller_id,
                                                    listing_id=listing_id)


def held_change_sellers(uow: SqlAlchemyUnitOfWork) -> list[SellerChanges]:
    """The sellers with price changes or listings waiting for a reviewer (held changes, and
    listings held at publication), by name, with how many of each."""
    with uow:
        return uow.market.sellers_with_changes(PriceChangeStatus.HELD,
                                               listing_status=ListingStatus.HELD)


#: How the review queue is ordered: the riskiest first (the guard's score, highest first, then
#: the oldest), or the oldest first.
QueueOrder = Literal["risk", "oldest"]


def review_queue(uow: SqlAlchemyUnitOfWork, *, limit: int = 50, offset: int = 0,
                 order: QueueOrder = "oldest", seller_id: int | None = None,
                 listing_id: int | None = None) -> list[ReviewItem]:
    """Held changes in ``order`` (oldest first unless asked for the riskiest first), with what
    a reviewer needs to decide; only those of ``seller_id``'s listings, and of ``listing_id``,
    when given (the database filters them)."""
    with uow:
        changes = uow.market.changes_with_status(
            PriceChangeStatus.HELD, limit=limit, offset=offset,
            riskiest_first=order == "risk", seller_id=seller_id, listing_id=listing_id)
        # the page's listings, products, sellers, moves and incidents: one read each
        found = uow.reads.listings_by_id({c.listing_id for c in changes})
        products = uow.reads.products_by_id({x.product_id for x in found.values()})
        sellers = uow.reads.sellers_by_id({x.seller_id for x in found.values()})
        moved = uow.reads.changes_moved_after(changes)
        standing = incidents_standing(uow, list(found))
        items = []
        for change in changes:
            listing = require(found.get(change.listing_id), "listing", change.listing_id)
            product = products.get(listing.product_id)
            seller = sellers.get(listing.seller_id)
            stale = stale_code(change, listing, price_moved_since=change.id in moved,
                               now=uow.now())
            said = None if stale is None else _stale_sentences(stale, change, listing)
            again = wrong_price_among(standing.get(listing.id, []), change.new_price,
                                      listing_id=listing.id)
            if stale is None and again is not None:
                # approving it would be refused (check_not_an_incidents_wrong_price): the
                # card says so before the click, as for the other refusals
                ko, en = again.sentences(change.new_price)
                stale, said = "price_is_incident_wrong_price", (
                    f"{ko}입니다. 이 가격은 승인할 수 없으니 거절해 주세요.",
                    f"this is {en}; it cannot be approved: reject it")
            items.append(ReviewItem(change, listing, product.title if product else "?",
                                    seller.name if seller else "?", said,
                                    product.title_en if product else None, stale))
        return items


def judge_moved_holds(uow: SqlAlchemyUnitOfWork, held: list[HeldListing],
                      rules: PriceRules) -> list[HeldListing]:
    """``held`` with the guard's judgement of each listing's current price where it is not
    the price its hold was about (:attr:`HeldListing.price_moved`: its seller changed it, or a
    reviewer approved a change, since): the hold's reasons explain a price the listing no
    longer has."""
    if not any(h.price_moved for h in held):
        return held
    with uow:
        return [replace(h, current_opinion=judge(
            uow, h.listing, h.listing.price, None, rules,
            first_price=h.hold is not None and h.hold.at_publication))
                if h.price_moved else h for h in held]


def moved_hold_reasons(held: HeldListing) -> tuple[str, str] | None:
    """What explains a moved held listing's price now (Korean, English): that its price changed
    after the hold, and the guard's judgement of the current one (:func:`judge_moved_holds`);
    None when the hold's own reasons still explain it."""
    opinion, hold = held.current_opinion, held.hold
    if opinion is None or hold is None or hold.price is None:
        return None
    now = held.listing.price
    ko = (f"보류 뒤 가격이 {format_money(hold.price, lang='ko')}에서 "
          f"{with_particle(format_money(now, lang='ko'), '(으)로')} 바뀌었습니다. "
          f"지금 가격에 대한 가격 검사: {opinion.reason_ko}")
    en = (f"the price changed from {format_money(hold.price, lang='en')} to "
          f"{format_money(now, lang='en')} after the hold; the guard on the current price: "
          f"{opinion.reason_en}")
    return ko, en


def _held(uow: SqlAlchemyUnitOfWork, change_id: int, *,
          seller_id: int | None = None) -> PriceChangeRecord:
    """The change, locked after its listing — the order a new proposal takes them in (it locks
    the listing, then supersedes the held changes), so the two never deadlock. With
    ``seller_id``, the listing must be that seller's (checked before whether it is held)."""
    unlocked = require(uow.market.price_change(change_id), "price change", change_id)
    listing = uow.market.listing(unlocked.listing_id, for_update=True)
    if seller_id is not None and (listing is None or listing.seller_id != seller_id):
        raise Forbidden("a seller account can act only on its own listings",
                        reason="not_own_listing")
    change = require(uow.market.price_change_for_update(change_id), "price change", change_id)
    if change.status is not PriceChangeStatus.HELD:
        raise IllegalTransition(
            f"price change {change_id} is {change.status.value}, not held; "
            f"only held changes can be approved, rejected or withdrawn",
            status=change.status.value,
            reason="change_not_held",
        )
    return change


def approve_price_change(uow: SqlAlchemyUnitOfWork, *, change_id: int, reviewer: str,
                         reason: str | None = None,
                         links: LinkMaker | None = None) -> PriceChangeRecord:
    """Let a held change go live — unless the reviewer proposed it, or the listing's price
    moved (even if it came back) since it was proposed. A change that halves the price or more
    (or doubles it or more) is approved only with a reason: overruling the guard on a move that
    size is the step the 2008 listing lacked, and the audit log says who decided it and why.
    The seller is emailed the price now live (``seller_listing_notices``; ``links``: for the
    link to their page, its path without)."""
    with uow:
        change = _held(uow, change_id)
        check_not_own_change(change, reviewer)
        listing = require(uow.market.listing(change.listing_id, for_update=True), "listing",
                          change.listing_id)
        stale = stale_code(change, listing, price_moved_since=_moved_since(uow, change),
                           now=uow.now())
        if stale is not None:
            _, why = _stale_sentences(stale, change, listing)
            raise Conflict(f"listing {listing.id}: {why}", stale=True, reason=stale)
        check_not_an_incidents_wrong_price(uow, listing, change.new_price)
        first_price, reference = approval_basis(uow, change, listing)
        _check_approval_reason(change, reason, first_price=first_price, reference=reference)
        decided = uow.market.decide_price_change(change_id, status=PriceChangeStatus.APPROVED,
                                                 by=reviewer, reason=reason, now=uow.now())
        repriced = replace(listing, price=change.new_price)
        uow.market.save_listing(repriced, uow.now())
        uow.audit.append(AuditEvent(reviewer, "price_change.approved", "listing", str(listing.id),
                                    before={"price": listing.price.as_dict()},
                                    after={"price": change.new_price.as_dict(),
                                           "price_change_id": change_id, "reason": reason}),
                         uow.now())
        schedule_promotion_end(uow, decided)  # an approved promotion ends like an applied one
        queue_decision_notice(uow, change=decided, listing=repriced, links=links)
        uow.commit()
        return decided


def _check_approval_reason(change: PriceChangeRecord, reason: str | None, *,
                           first_price: bool = False,
                           reference: PriceReference | None = None) -> None:
    """A move this large, a first price this far from its reference, or a change a pricing
    policy held (:func:`approval_rule`), is approved only with a reason that says something
    (:func:`~sagwa.domain.reasons.check_meaningful_reason`); any other may carry any note, or
    none."""
    rule = approval_rule(change, first_price=first_price, reference=reference)
    if rule is None:
        return
    if reason is None or is_blank(reason):
        if rule == FIRST_PRICE_RULE:
            _refuse_first_price_without_reason(change, reference)
        if rule == BIG_MOVE_RULE:
            raise InvalidInput(
                f"change {change.id} moves the price from {change.old_price} to "
                f"{change.new_price}; approving a move this large needs a reason (what was "
                "checked with the seller)", field="reason", reason="approval_needs_reason")
        raise InvalidInput(
            f"change {change.id} was held by the pricing policy {rule}; approving it needs a "
            "reason (what was checked with the seller)", field="reason",
            reason="policy_hold_needs_reason", rule=rule)
    check_meaningful_reason(reason)


def _refuse_first_price_without_reason(change: PriceChangeRecord,
                                       reference: PriceReference | None) -> NoReturn:
    cur = change.new_price.currency
    compared = ("nothing to compare it with (no list price, no other seller)"
                if reference is None else
                f"the {'list price' if reference.kind == 'list_price' else 'other sellers median'}"
                f" {Money(reference.amount_minor, cur)}")
    raise InvalidInput(
        f"change {change.id} sets the first price of a listing never on sale to "
        f"{change.new_price}, against {compared}; approving a first price this far from its "
        "reference needs a reason (what was checked with the seller)", field="reason",
        reason="first_price_approval_needs_reason",
        reference=None if reference is None else reference.as_dict(cur))


#: :func:`approval_rule` of a change that halves the price or more, or doubles it.
BIG_MOVE_RULE = "big_move"
#: :func:`approval_rule` of a first price half or less, or twice or more, of its reference (or
#: with none): the rule a release of a listing held at publication follows.
FIRST_PRICE_RULE = "first_price"


def approval_rule(change: PriceChangeRecord, *, first_price: bool = False,
                  reference: PriceReference | None = None) -> str | None:
    """Why approving ``change`` needs a reason, or None: ``big_move`` when the new price is at
    most half the old one, or at least twice it (:data:`~sagwa.domain.price_moves.BIG_MOVE`);
    for a change the guard judged as a ``first_price`` (:func:`approval_basis`: its listing was
    never on sale, so the guard compared it with ``reference``, not with the draft's own
    price), ``first_price`` when ``release_needs_reason`` says so — the rule of a release of a
    listing held at publication, so a first price is never let through more easily by
    approving a change than by releasing a hold; else the guard's reason code when a pricing
    policy held it (:data:`POLICY_REASONS`)."""
    if first_price:
        if release_needs_reason(change.new_price, reference):
            return FIRST_PRICE_RULE
    elif is_big_move(change.old_price.amount_minor, change.new_price.amount_minor):
        return BIG_MOVE_RULE
    if change.guard is not None and change.guard.reason_code in POLICY_REASONS:
        return change.guard.reason_code
    return None


def approval_basis(uow: SqlAlchemyUnitOfWork, change: PriceChangeRecord,
                   listing: Listing) -> tuple[bool, PriceReference | None]:
    """Whether the guard judged ``change`` as a first price (proposed before its listing ever
    went on sale) and, if so, the reference an approval weighs it against: the list price, else
    the other sellers' median, as they stand now (what the reviewer's card shows, and what a
    release weighs a hold against when the hold recorded none)."""
    if not judged_as_first_price(uow, listing, change.proposed_at):
        return False, None
    return True, first_price_reference_now(uow, listing)


def approval_rule_in(uow: SqlAlchemyUnitOfWork, change: PriceChangeRecord,
                     listing: Listing) -> str | None:
    """:func:`approval_rule` of ``change`` on ``listing``, first price or not (the review card's
    "reason required", as :func:`approve_price_change` decides it)."""
    first_price, reference = approval_basis(uow, change, listing)
    return approval_rule(change, first_price=first_price, reference=reference)


def approval_needs_reason(change: PriceChangeRecord) -> bool:
    """Whether approving ``change`` needs a reason (:func:`approval_rule`)."""
    return approval_rule(change) is not None


def withdraw_price_change(uow: SqlAlchemyUnitOfWork, *, change_id: int, by: str,
                          seller_id: int) -> PriceChangeRecord:
    """Seller ``seller_id`` takes back a held change of their own listing (403
    ``not_own_listing`` for another seller's, checked in the same transaction): it leaves the
    review queue and can no longer go live; the live price never moved. A mistyped price
    waiting for review otherwise stayed there until a reviewer decided — and re-proposing the
    live price is refused as no change (``price_unchanged``). Staff do not withdraw: a reviewer
    rejects, with a reason the seller can read."""
    with uow:
        change = _held(uow, change_id, seller_id=seller_id)
        decided = uow.market.decide_price_change(change_id, status=PriceChangeStatus.WITHDRAWN,
                                                 by=by, reason="withdrawn by the seller",
                                                 now=uow.now())
        uow.audit.append(AuditEvent(by, "price_change.withdrawn", "listing",
                                    str(change.listing_id),
                                    after={"price_change_id": change_id,
                                           "proposed": change.new_price.as_dict()}), uow.now())
        uow.commit()
        return decided


def listing_of_change(uow: SqlAlchemyUnitOfWork, change_id: int) -> int:
    """The listing a price change belongs to (404 when there is no such change)."""
    with uow:
        return require(uow.market.price_change(change_id), "price change", change_id).listing_id


def reject_price_change(uow: SqlAlchemyUnitOfWork, *, change_id: int, reviewer: str,
                        reason: str, links: LinkMaker | None = None) -> PriceChangeRecord:
    """Refuse a held change; the live price never moved. A reason the seller can read is
    required (``reason_required``; one that says too little: ``reason_too_short``) — checked
    after the change's state, as approving does: a change decided already is 409
    ``change_not_held`` whatever reason was sent. The seller is emailed the reason
    (``seller_listing_notices``; ``links`` as for :func:`approve_price_change`)."""
    with uow:
        change = _held(uow, change_id)
        reason = require_reason(reason, missing="a rejection needs a reason the seller can read")
        decided = uow.market.decide_price_change(change_id, status=PriceChangeStatus.REJECTED,
                                                 by=reviewer, reason=reason, now=uow.now())
        uow.audit.append(AuditEvent(reviewer, "price_change.rejected", "listing",
                                    str(change.listing_id),
                                    after={"price_change_id": change_id,
                                           "proposed": change.new_price.as_dict(),
                                           "reason": reason}), uow.now())
        listing = uow.market.listing(change.listing_id)
        if listing is not None:
            queue_decision_notice(uow, change=decided, listing=listing, links=links)
        uow.commit()
        return decided
