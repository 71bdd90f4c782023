"""Listings, price changes and orders in PostgreSQL."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BigInteger,
    Connection,
    DateTime,
    column,
    func,
    insert,
    literal,
    or_,
    select,
    update,
    values,
)
from sqlalchemy.dialects.postgresql import distinct_on

from sagwa.adapters.db.tables import listings, orders, price_changes, products, sellers
from sagwa.domain.listings import Listing, ListingStatus
from sagwa.domain.money import Money
from sagwa.domain.orders import OrderLine, OrderStatus
from sagwa.domain.price_history import PriceMove
from sagwa.domain.pricing import GuardOpinion, PriceChangeProposal, PriceChangeStatus
from sagwa.priceguard.tripwire import OrderCounts


@dataclass(frozen=True)
class PriceChangeRecord:
    id: int
    listing_id: int
    old_price: Money
    new_price: Money
    proposed_by: str
    proposed_at: datetime
    promotion_pct: float | None
    status: PriceChangeStatus
    decided_by: str | None
    decision_reason: str | None
    decided_at: datetime | None = None
    guard: GuardOpinion | None = None
    promotion_ends_at: datetime | None = None
    promotion_starts_at: datetime | None = None


class StreakPrice(NamedTuple):
    """A live price of a listing: when it went live (seconds since 1970; None for the first
    of an unapproved run, whose time no move needs) and until when it is a running declared
    promotion's price (seconds; ``math.inf`` without an end; None: no promotion's)."""

    price: int
    live_at: float | None
    promotion_until: float | None


#: The ``decision_reason`` of a change a newer proposal superseded, naming that proposal.
SUPERSEDED_NOTE = "superseded by price change {}"
_SUPERSEDED_BY = re.compile(r"superseded by price change ([0-9]+)")


def superseded_by(change: PriceChangeRecord) -> int | None:
    """The id of the proposal that superseded ``change`` (its ``decision_reason``), or None."""
    if change.status is not PriceChangeStatus.SUPERSEDED or not change.decision_reason:
        return None
    found = _SUPERSEDED_BY.fullmatch(change.decision_reason)
    return int(found.group(1)) if found else None


class SellerChanges(NamedTuple):
    """A seller and how many of their listings' price changes are in a status (and, for the
    review queue, how many of their listings are held at publication)."""

    seller_id: int
    name: str
    changes: int
    listings: int = 0


@dataclass(frozen=True)
class OrderRecord:
    id: int
    customer_id: int
    listing_id: int
    quantity: int
    unit_price: Money
    status: OrderStatus
    placed_at: datetime


def moved_after(conn: Connection,
                changes: Collection[PriceChangeRecord]) -> set[tuple[int, int]]:
    """(listing id, change id) of each of ``changes`` after whose proposal another change took
    effect on its listing (:meth:`MarketRepository.price_moved_after`; one query for all)."""
    if not changes:
        return set()
    done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
    held = values(column("listing_id", BigInteger), column("change_id", BigInteger),
                  column("proposed_at", DateTime(timezone=True)), name="held").data(
        [(ch.listing_id, ch.id, ch.proposed_at) for ch in changes])
    c = price_changes.c
    q = (select(held.c.listing_id, held.c.change_id).distinct()
         .select_from(price_changes.join(held, c.listing_id == held.c.listing_id))
         .where(c.id != held.c.change_id, c.status.in_(done),
                (c.id > held.c.change_id) | (c.decided_at > held.c.proposed_at)))
    return {(int(r.listing_id), int(r.change_id)) for r in conn.execute(q)}


def _listing(row: Any) -> Listing:
    return Listing(row.id, row.seller_id, row.product_id, Money(row.price_minor, row.currency),
                   ListingStatus(row.status))


def _change(row: Any) -> PriceChangeRecord:
    guard = None
    if row.guard_verdict is not None:
        guard = GuardOpinion(row.guard_verdict, row.guard_score, row.guard_error_type,
                             row.guard_reason_code, row.guard_reason_en, row.guard_reason_ko,
                             row.guard_facts or {})
    return PriceChangeRecord(
        row.id, row.listing_id, Money(row.old_price_minor, row.currency),
        Money(row.new_price_minor, row.currency), row.proposed_by, row.proposed_at,
        float(row.promotion_pct) if row.promotion_pct is not None else None,
        PriceChangeStatus(row.status), row.decided_by, row.decision_reason, row.decided_at, guard,
        row.promotion_ends_at, row.promotion_starts_at)


def _order(row: Any) -> OrderRecord:
    return OrderRecord(row.id, row.customer_id, row.listing_id, row.quantity,
                       Money(row.unit_price_minor, row.currency), OrderStatus(row.status),
                       row.placed_at)


class MarketRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # listings
    def add_listing(self, *, seller_id: int, product_id: int, price: Money, now: datetime) -> Listing:
        row = self.conn.execute(insert(listings).values(
            seller_id=seller_id, product_id=product_id, price_minor=price.amount_minor,
            currency=price.currency, status=ListingStatus.DRAFT.value, created_at=now,
            updated_at=now).returning(listings)).one()
        return _listing(row)

    def listing(self, listing_id: int, *, for_update: bool = False) -> Listing | None:
        q = select(listings).where(listings.c.id == listing_id)
        if for_update:
            q = q.with_for_update()
        row = self.conn.execute(q).one_or_none()
        return _listing(row) if row else None

    def listing_created_at(self, listing_id: int) -> datetime | None:
        return self.conn.execute(
            select(listings.c.created_at).where(listings.c.id == listing_id)).scalar_one_or_none()

    def first_created(self, listing_ids: Collection[int]) -> tuple[datetime, int] | None:
        """When the earliest created of ``listing_ids`` was created, and its id (the lower id
        of two created at once); None if none of them exists. One query for all of them."""
        row = self.conn.execute(
            select(listings.c.created_at, listings.c.id)
            .where(listings.c.id.in_(list(listing_ids)))
            .order_by(listings.c.created_at, listings.c.id).limit(1)).one_or_none()
        return None if row is None else (row.created_at, row.id)

    def listing_for(self, seller_id: int, product_id: int) -> Listing | None:
        row = self.conn.execute(select(listings).where(
            listings.c.seller_id == seller_id, listings.c.product_id == product_id)).one_or_none()
        return _listing(row) if row else None

    def list_listings(self, *, seller_id: int | None, product_id: int | None,
                      limit: int, offset: int,
                      status: ListingStatus | None = None,
                      only: Collection[ListingStatus] | None = None,
                      all_of_seller: int | None = None) -> list[Listing]:
        """Listings by id; with ``only``, in those statuses — but every one of
        ``all_of_seller``'s (a seller reads their own drafts, not others')."""
        q = select(listings).order_by(listings.c.id).limit(limit).offset(offset)
        if only is not None:
            shown = listings.c.status.in_([s.value for s in only])
            if all_of_seller is not None:
                shown = or_(shown, listings.c.seller_id == all_of_seller)
            q = q.where(shown)
        if status is not None:
            q = q.where(listings.c.status == status.value)
        if seller_id is not None:
            q = q.where(listings.c.seller_id == seller_id)
        if product_id is not None:
            q = q.where(listings.c.product_id == product_id)
        return [_listing(r) for r in self.conn.execute(q)]

    def listings_with_status(self, status: ListingStatus, *, limit: int, offset: int = 0,
                             seller_id: int | None = None,
                             listing_id: int | None = None) -> list[Listing]:
        """Listings in ``status``, least recently updated first; only ``seller_id``'s, and
        only ``listing_id``, when given."""
        q = (select(listings)
             .where(*_listings_of(status, seller_id=seller_id, listing_id=listing_id))
             .order_by(listings.c.updated_at, listings.c.id).limit(limit).offset(offset))
        return [_listing(r) for r in self.conn.execute(q)]

    def count_listings_with_status(self, status: ListingStatus, *,
                                   seller_id: int | None = None,
                                   listing_id: int | None = None) -> int:
        """How many :meth:`listings_with_status` lists with no limit."""
        where = _listings_of(status, seller_id=seller_id, listing_id=listing_id)
        return int(self.conn.execute(select(func.count()).select_from(listings)
                                     .where(*where)).scalar_one())

    def first_listing_seller(self, *, prefer_sku: str) -> int | None:
        """The seller of the first listing (by id) of product ``prefer_sku``, else of the first
        listing of any product; None when there are no listings."""
        q = (select(listings.c.seller_id).join(products, products.c.id == listings.c.product_id)
             .order_by((products.c.sku != prefer_sku), listings.c.id).limit(1))
        found = self.conn.execute(q).scalar_one_or_none()
        return int(found) if found is not None else None

    def save_listing(self, listing: Listing, now: datetime) -> None:
        self.conn.execute(update(listings).where(listings.c.id == listing.id).values(
            price_minor=listing.price.amount_minor, status=listing.status.value, updated_at=now))

    # price changes
    def add_price_change(self, proposal: PriceChangeProposal, status: PriceChangeStatus,
                         now: datetime, guard: GuardOpinion | None = None) -> PriceChangeRecord:
        promo = proposal.promotion
        verdict = {} if guard is None else {
            "guard_verdict": guard.verdict, "guard_score": guard.score,
            "guard_error_type": guard.error_type, "guard_reason_code": guard.reason_code,
            "guard_reason_en": guard.reason_en, "guard_reason_ko": guard.reason_ko,
            "guard_facts": guard.facts}
        row = self.conn.execute(insert(price_changes).values(**verdict,
            listing_id=proposal.listing_id, old_price_minor=proposal.old_price.amount_minor,
            new_price_minor=proposal.new_price.amount_minor, currency=proposal.new_price.currency,
            proposed_by=proposal.proposed_by, proposed_at=now,
            promotion_pct=promo.percent if promo else None,
            promotion_starts_at=promo.starts_at if promo else None,
            promotion_ends_at=promo.ends_at if promo else None,
            status=status.value).returning(price_changes)).one()
        return _change(row)

    def price_change(self, change_id: int) -> PriceChangeRecord | None:
        row = self.conn.execute(
            select(price_changes).where(price_changes.c.id == change_id)).one_or_none()
        return _change(row) if row else None

    def price_change_for_update(self, change_id: int) -> PriceChangeRecord | None:
        row = self.conn.execute(select(price_changes).where(price_changes.c.id == change_id)
                                .with_for_update()).one_or_none()
        return _change(row) if row else None

    def decide_price_change(self, change_id: int, *, status: PriceChangeStatus, by: str,
                            reason: str | None, now: datetime) -> PriceChangeRecord:
        row = self.conn.execute(update(price_changes).where(price_changes.c.id == change_id).values(
            status=status.value, decided_by=by, decision_reason=reason, decided_at=now,
        ).returning(price_changes)).one()
        return _change(row)

    def supersede_held_changes(self, listing_id: int, *, newer: PriceChangeRecord,
                               now: datetime) -> list[PriceChangeRecord]:
        """Mark the listing's held changes older than ``newer`` superseded; the ones marked."""
        rows = self.conn.execute(update(price_changes).where(
            price_changes.c.listing_id == listing_id, price_changes.c.id != newer.id,
            price_changes.c.status == PriceChangeStatus.HELD.value,
        ).values(
            status=PriceChangeStatus.SUPERSEDED.value, decided_by=newer.proposed_by,
            decision_reason=SUPERSEDED_NOTE.format(newer.id), decided_at=now,
        ).returning(price_changes)).all()
        return sorted((_change(r) for r in rows), key=lambda change: change.id)

    def changes_with_status(self, status: PriceChangeStatus, *, limit: int, offset: int = 0,
                            riskiest_first: bool = False, seller_id: int | None = None,
                            listing_id: int | None = None) -> list[PriceChangeRecord]:
        """Oldest first; with ``riskiest_first``, the guard's highest score first (no score
        last), then the oldest (``listing_holds.risk_order_key``'s order, in the database).
        Only the changes of ``seller_id``'s listings, and of ``listing_id``, when given."""
        c = price_changes.c
        order = (c.guard_score.desc().nulls_last(),) if riskiest_first else ()
        q = (select(price_changes)
             .where(*_changes_of(status, seller_id=seller_id, listing_id=listing_id))
             .order_by(*order, c.proposed_at, c.id).limit(limit).offset(offset))
        return [_change(r) for r in self.conn.execute(q)]

    def count_changes_with_status(self, status: PriceChangeStatus, *,
                                  seller_id: int | None = None,
                                  listing_id: int | None = None) -> int:
        """How many :meth:`changes_with_status` lists with no limit."""
        where = _changes_of(status, seller_id=seller_id, listing_id=listing_id)
        return int(self.conn.execute(select(func.count()).select_from(price_changes)
                                     .where(*where)).scalar_one())

    def sellers_with_changes(self, status: PriceChangeStatus, *,
                             listing_status: ListingStatus | None = None) -> list[SellerChanges]:
        """The sellers whose listings have changes in ``status``, with how many, by name; with
        ``listing_status``, also the sellers with listings in that status, and how many."""
        changed = (select(listings.c.seller_id, func.count().label("n"))
                   .select_from(price_changes.join(listings))
                   .where(price_changes.c.status == status.value)
                   .group_by(listings.c.seller_id).subquery())
        counted = [func.coalesce(changed.c.n, 0).label("changes")]
        joined = sellers.outerjoin(changed, changed.c.seller_id == sellers.c.id)
        found = [changed.c.n.is_not(None)]
        if listing_status is not None:
            held = (select(listings.c.seller_id, func.count().label("n"))
                    .where(listings.c.status == listing_status.value)
                    .group_by(listings.c.seller_id).subquery())
            counted.append(func.coalesce(held.c.n, 0).label("listings"))
            joined = joined.outerjoin(held, held.c.seller_id == sellers.c.id)
            found.append(held.c.n.is_not(None))
        q = (select(sellers.c.id, sellers.c.name, *counted).select_from(joined)
             .where(or_(*found)).order_by(sellers.c.name, sellers.c.id))
        return [SellerChanges(r.id, r.name, r.changes, getattr(r, "listings", 0))
                for r in self.conn.execute(q)]

    def effective_prices(self, listing_id: int, *, limit: int) -> list[int]:
        """The listing's live prices over time, oldest first (from applied/approved changes)."""
        done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
        rows = self.conn.execute(
            select(price_changes.c.old_price_minor, price_changes.c.new_price_minor)
            .where(price_changes.c.listing_id == listing_id, price_changes.c.status.in_(done))
            .order_by(price_changes.c.proposed_at.desc(), price_changes.c.id.desc())
            .limit(limit)).all()
        if not rows:
            return []
        rows.reverse()
        return [rows[0].old_price_minor] + [r.new_price_minor for r in rows]

    def streak_prices(self, listing_id: int, *, limit: int,
                      since: datetime | None = None) -> list[StreakPrice]:
        """The listing's live prices since the last change a reviewer approved (that price
        first), oldest first, at most ``limit`` changes back and none that went live before
        ``since`` (when the listing went on sale), each with when it went live and until when it
        is a declared promotion's price (``StreakPrice``): what its streak of moves in one
        direction is read from (``priceguard.streak``). An approval vouches for its price: a walk
        is judged from there on, not from before."""
        done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
        c = price_changes.c
        live_at = func.coalesce(c.decided_at, c.proposed_at)
        after = [] if since is None else [live_at >= since]
        rows = self.conn.execute(
            select(c.old_price_minor, c.new_price_minor, c.status, c.promotion_pct,
                   c.promotion_ends_at, live_at.label("live_at"))
            .where(c.listing_id == listing_id, c.status.in_(done), *after)
            .order_by(c.proposed_at.desc(), c.id.desc())
            .limit(limit)).all()
        prices: list[StreakPrice] = []
        for row in rows:  # newest first
            until = None
            if row.promotion_pct is not None:  # a promotion without an end runs until changed
                ends = row.promotion_ends_at
                until = ends.timestamp() if ends is not None else math.inf
            prices.append(StreakPrice(row.new_price_minor, row.live_at.timestamp(), until))
            if row.status == PriceChangeStatus.APPROVED.value:
                break
        else:
            if rows:
                prices.append(StreakPrice(rows[-1].old_price_minor, None, None))
        prices.reverse()
        return prices

    def live_changes(self, listing_id: int) -> list[PriceChangeRecord]:
        """The listing's changes that went live (applied or approved), in the order they took
        effect (an approved one when it was approved)."""
        done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
        live_at = func.coalesce(price_changes.c.decided_at, price_changes.c.proposed_at)
        rows = self.conn.execute(
            select(price_changes)
            .where(price_changes.c.listing_id == listing_id, price_changes.c.status.in_(done))
            .order_by(live_at, price_changes.c.id)).all()
        return [_change(r) for r in rows]

    def price_moved_after(self, listing_id: int, *, change_id: int,
                          proposed_at: datetime) -> bool:
        """Whether another price change took effect on the listing after change ``change_id``
        was proposed at ``proposed_at``: one proposed later (a higher id: proposals lock the
        listing) that applied or was approved, or an earlier one approved after that time."""
        done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
        c = price_changes.c
        later = select(func.count()).select_from(price_changes).where(
            c.listing_id == listing_id, c.id != change_id, c.status.in_(done),
            (c.id > change_id) | (c.decided_at > proposed_at))
        return bool(self.conn.execute(later).scalar_one())

    def prices_moved_after(self, changes: Collection[PriceChangeRecord]) -> set[int]:
        """The listings of ``changes`` on which another change took effect after that change
        was proposed (:meth:`price_moved_after` for many changes; one query for all)."""
        return {listing_id for listing_id, _change in moved_after(self.conn, changes)}

    def other_seller_prices(self, product_id: int, *, excluding_listing: int,
                            currency: str) -> list[int]:
        """The live prices of the product's other listings in ``currency``, lowest first (the
        pages list them as they come: the order of the rows on disk was no order at all)."""
        q = select(listings.c.price_minor).where(
            listings.c.product_id == product_id, listings.c.id != excluding_listing,
            listings.c.currency == currency, listings.c.status == ListingStatus.LIVE.value,
        ).order_by(listings.c.price_minor, listings.c.id)
        return list(self.conn.execute(q).scalars())

    def order_ids_since(self, listing_id: int, *, since: datetime, limit: int) -> list[int]:
        """The ids of the listing's first ``limit`` orders placed at or after ``since``."""
        q = (select(orders.c.id)
             .where(orders.c.listing_id == listing_id, orders.c.placed_at >= since)
             .order_by(orders.c.placed_at, orders.c.id).limit(limit))
        return list(self.conn.execute(q).scalars())

    def order_counts(self, listing_id: int, *, since: datetime, now: datetime,
                     recent_since: datetime | None, typical: bool = True) -> OrderCounts:
        """The listing's orders placed in ``[since, now]`` added up as the tripwire needs them
        (:class:`~sagwa.priceguard.tripwire.OrderCounts`; ``recent`` counts those at or after
        ``recent_since``, None without one; the typical order only when ``typical``, else 1):
        one aggregate by the ``(listing_id, placed_at)`` index, however many orders a busy
        watch has taken."""
        q = orders.c.quantity
        recent = (func.count().filter(orders.c.placed_at >= recent_since)
                  if recent_since is not None else None)
        median = func.percentile_cont(0.5).within_group(q) if typical else literal(None)
        columns = [func.count(), func.coalesce(func.sum(q), 0), func.coalesce(func.max(q), 0),
                   median]
        row = self.conn.execute(
            select(*columns, *([recent] if recent is not None else []))
            .where(orders.c.listing_id == listing_id, orders.c.placed_at >= since,
                   orders.c.placed_at <= now)).one()
        return OrderCounts(int(row[0]), int(row[1]), int(row[2]),
                           float(row[3]) if row[3] is not None else 1.0,
                           int(row[4]) if recent is not None else None)

    def order_customers(self, listing_id: int, *, since: datetime, now: datetime) -> int:
        """How many customers placed the listing's orders in ``[since, now]`` (read only when
        the tripwire pauses it: its reasons say so)."""
        return int(self.conn.execute(
            select(func.count(orders.c.customer_id.distinct()))
            .where(orders.c.listing_id == listing_id, orders.c.placed_at >= since,
                   orders.c.placed_at <= now)).scalar_one())

    def order_habits(self, listing_id: int, *, start: datetime,
                     end: datetime) -> tuple[list[int], int, int]:
        """The listing's orders placed in ``[start, end)``: how many in each hour of the day
        (UTC, 24 counts), and the units they took in all and squared (the sum of each order's
        quantity squared). One grouped query by the ``(listing_id, placed_at)`` index."""
        hour = func.extract("hour", func.timezone("UTC", orders.c.placed_at))
        rows = self.conn.execute(
            select(hour.label("hour"), func.count().label("n"),
                   func.sum(orders.c.quantity).label("units"),
                   func.sum(orders.c.quantity * orders.c.quantity).label("squared"))
            .where(orders.c.listing_id == listing_id, orders.c.placed_at >= start,
                   orders.c.placed_at < end)
            .group_by(hour)).all()
        by_hour = [0] * 24
        for r in rows:
            by_hour[int(r.hour)] = int(r.n)
        return (by_hour, sum(int(r.units) for r in rows), sum(int(r.squared) for r in rows))

    def other_listings_order_counts(self, product_id: int, *, excluding_listing: int,
                                    start: datetime, end: datetime) -> list[Any]:
        """The product's other listings created before ``end`` and published (not drafts), as
        ``(listing_id, created_at, orders)`` rows in id order, ``orders`` counting those placed
        in ``[start, end)``: the listings by their product index, their orders by
        ``(listing_id, placed_at)``."""
        placed = ((orders.c.listing_id == listings.c.id) & (orders.c.placed_at >= start)
                  & (orders.c.placed_at < end))
        q = (select(listings.c.id.label("listing_id"), listings.c.created_at,
                    func.count(orders.c.id).label("orders"))
             .select_from(listings.outerjoin(orders, placed))
             .where(listings.c.product_id == product_id, listings.c.id != excluding_listing,
                    listings.c.status != ListingStatus.DRAFT.value, listings.c.created_at < end)
             .group_by(listings.c.id, listings.c.created_at).order_by(listings.c.id))
        return list(self.conn.execute(q).all())

    def price_changes_for(self, listing_id: int, *, limit: int = 100,
                          offset: int = 0) -> list[PriceChangeRecord]:
        """The listing's price changes, the latest first, ``limit`` of them after ``offset``."""
        q = (select(price_changes).where(price_changes.c.listing_id == listing_id)
             .order_by(price_changes.c.proposed_at.desc(), price_changes.c.id.desc())
             .limit(limit).offset(offset))
        return [_change(r) for r in self.conn.execute(q)]

    def newest_held_changes(self, listing_ids: Collection[int]) -> dict[int, PriceChangeRecord]:
        """Each of ``listing_ids``' newest held price change (newest as :meth:`price_changes_for`
        orders them), by listing; one query for all."""
        return self.newest_changes(listing_ids, status=PriceChangeStatus.HELD)

    def newest_changes(self, listing_ids: Collection[int], *,
                       status: PriceChangeStatus | None = None) -> dict[int, PriceChangeRecord]:
        """Each of ``listing_ids``' newest price change (newest as :meth:`price_changes_for`
        orders them; with ``status``, the newest in that status), by listing; one query."""
        if not listing_ids:
            return {}
        c = price_changes.c
        q = select(price_changes).where(c.listing_id.in_(list(listing_ids)))
        if status is not None:
            q = q.where(c.status == status.value)
        q = (q.order_by(c.listing_id, c.proposed_at.desc(), c.id.desc())
             .ext(distinct_on(c.listing_id)))
        return {r.listing_id: _change(r) for r in self.conn.execute(q)}

    def price_moves(self, listing_ids: Collection[int]) -> dict[int, list[PriceMove]]:
        """Every price move that went live on each of ``listing_ids`` (an applied change when it
        was proposed, an approved one when it was decided), oldest first; one query for all."""
        moves: dict[int, list[PriceMove]] = {int(i): [] for i in listing_ids}
        for r in self.conn.execute(_moves_query(price_changes.c.listing_id.in_(
                list(listing_ids)))).all():
            moves[r.listing_id].append(_move(r))
        return moves

    def last_price_moves(self, listing_id: int, *, limit: int) -> list[PriceMove]:
        """The listing's latest ``limit`` price moves that went live, oldest first."""
        q = _moves_query(price_changes.c.listing_id == listing_id, newest_first=True).limit(limit)
        return [_move(r) for r in reversed(self.conn.execute(q).all())]

    def listings_with_orders_at(self, listing_ids: Collection[int], price: Money, *,
                                start: datetime, end: datetime) -> set[int]:
        """Which of ``listing_ids`` took an order at ``price`` from ``start`` to ``end``."""
        q = (select(orders.c.listing_id).distinct()
             .where(orders.c.listing_id.in_(list(listing_ids)),
                    orders.c.unit_price_minor == price.amount_minor,
                    orders.c.currency == price.currency,
                    orders.c.placed_at >= start, orders.c.placed_at <= end))
        return set(self.conn.execute(q).scalars())

    # orders
    def add_order(self, *, customer_id: int, line: OrderLine, now: datetime) -> OrderRecord:
        row = self.conn.execute(insert(orders).values(
            customer_id=customer_id, listing_id=line.listing_id, quantity=line.quantity,
            unit_price_minor=line.unit_price.amount_minor, currency=line.unit_price.currency,
            status=OrderStatus.PLACED.value, placed_at=now, updated_at=now).returning(orders)).one()
        return _order(row)

    def order(self, order_id: int) -> OrderRecord | None:
        row = self.conn.execute(select(orders).where(orders.c.id == order_id)).one_or_none()
        return _order(row) if row else None

    def change_order(self, order_id: int, *, now: datetime, status: OrderStatus | None = None,
                     quantity: int | None = None, unit_price: Money | None = None) -> None:
        values: dict[str, Any] = {"updated_at": now}
        if status is not None:
            values["status"] = status.value
        if quantity is not None:
            values["quantity"] = quantity
        if unit_price is not None:
            values["unit_price_minor"] = unit_price.amount_minor
        self.conn.execute(update(orders).where(orders.c.id == order_id).values(**values))

    def orders_for_customer(self, customer_id: int, *, limit: int = 100) -> list[OrderRecord]:
        """The customer's latest ``limit`` orders, newest first; those placed at one moment
        (a basket) the latest placed first, the same on every call."""
        q = (select(orders).where(orders.c.customer_id == customer_id)
             .order_by(orders.c.placed_at.desc(), orders.c.id.desc()).limit(limit))
        return [_order(r) for r in self.conn.execute(q)]

    def counts(self) -> dict[str, int]:
        return {
            name: self.conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in (("listings", listings), ("price_changes", price_changes),
                                ("orders", orders))
        }


def _listings_of(status: ListingStatus, *, seller_id: int | None,
                 listing_id: int | None) -> list[Any]:
    """The WHERE conditions of the listings in ``status``, of ``seller_id`` and ``listing_id``
    when given."""
    c = listings.c
    where = [c.status == status.value]
    if seller_id is not None:
        where.append(c.seller_id == seller_id)
    if listing_id is not None:
        where.append(c.id == listing_id)
    return where


def _changes_of(status: PriceChangeStatus, *, seller_id: int | None,
                listing_id: int | None) -> list[Any]:
    """The WHERE conditions of the changes in ``status``, of ``seller_id``'s listings and of
    ``listing_id`` when given."""
    c = price_changes.c
    where = [c.status == status.value]
    if listing_id is not None:
        where.append(c.listing_id == listing_id)
    if seller_id is not None:
        where.append(c.listing_id.in_(select(listings.c.id)
                                      .where(listings.c.seller_id == seller_id)))
    return where


def _moves_query(which: Any, *, newest_first: bool = False) -> Any:
    """Price changes that went live, with when they did, by listing then time."""
    c = price_changes.c
    done = (PriceChangeStatus.APPLIED.value, PriceChangeStatus.APPROVED.value)
    live_at = func.coalesce(c.decided_at, c.proposed_at)
    order = (live_at.desc(), c.id.desc()) if newest_first else (c.listing_id, live_at, c.id)
    return (select(c.id, c.listing_id, live_at.label("at"), c.old_price_minor,
                   c.new_price_minor, c.promotion_pct, c.promotion_starts_at,
                   c.promotion_ends_at, c.status)
            .where(which, c.status.in_(done)).order_by(*order))


def _move(r: Any) -> PriceMove:
    return PriceMove(r.at, r.old_price_minor, r.new_price_minor, change_id=r.id,
                     promotion_pct=None if r.promotion_pct is None else float(r.promotion_pct),
                     promotion_starts_at=r.promotion_starts_at,
                     promotion_ends_at=r.promotion_ends_at,
                     reviewed=r.status == PriceChangeStatus.APPROVED.value)
