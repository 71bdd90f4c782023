"""Reads for an incident's status and its report: messages sent, the listings' times off sale,
the cases' choices, the audit trail, compensations booked and refunds applied — joined or
summed across what the other repositories keep apart. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Text,
    and_,
    case,
    cast,
    func,
    or_,
    select,
)

from sagwa.adapters.db.bulk import among_keys
from sagwa.adapters.db.tables import (
    audit_case_id,
    audit_log,
    cases,
    incident_listings,
    ledger_postings,
    listings,
    outbox,
    products,
    sellers,
)
from sagwa.domain.audit import LISTING_PAUSE_ACTIONS, LISTING_RETURN_ACTIONS
from sagwa.domain.ledger import AccountKind

#: The audit actions of the desk's changes to an order (``desk_cases.apply_effect``).
DESK_ORDER_ACTIONS = ("order.cancel_and_refund", "order.reduce_and_refund", "order.reprice")


class IncidentReads:
    """The reads of the incident status and report (a part of ``ReadRepository``)."""

    conn: Connection

    # incident status

    def message_counts_by_status(self, incident_id: int) -> dict[str, int]:
        """How many of the incident's messages to its customers are in each status (pending,
        sending, sent, failed, withdrawn); the sellers' emails are not theirs."""
        rows = self.conn.execute(select(outbox.c.status, func.count()).where(
            outbox.c.incident_id == incident_id, outbox.c.case_id.is_not(None))
            .group_by(outbox.c.status)).all()
        return {str(status): int(n) for status, n in rows}

    def next_pending_message_at(self, incident_id: int) -> datetime | None:
        """When the next of the incident's pending messages to its customers may go out (the
        earliest ``not_before``: held for contact hours, or past when one is overdue)."""
        return self.conn.execute(select(func.min(outbox.c.not_before)).where(
            outbox.c.incident_id == incident_id, outbox.c.case_id.is_not(None),
            outbox.c.status == "pending")).scalar_one()

    def first_resolution_sent_at(self, incident_id: int) -> datetime | None:
        """When the incident's first resolution message (the apology) was sent, if any was."""
        return self.conn.execute(select(func.min(outbox.c.sent_at)).where(
            outbox.c.incident_id == incident_id, outbox.c.purpose == "resolution")).scalar_one()

    def listing_sale_changes(self, listing_ids: Iterable[int]) -> list[Any]:
        """Every time these listings were taken off sale or put back on it (audit rows with
        ``entity_type, entity_id, action, occurred_at``), in log order; which pause contained an
        incident is ``sagwa.domain.audit.first_listing_pause``'s to decide."""
        ids = [str(i) for i in sorted(listing_ids)]
        return list(self.conn.execute(
            select(audit_log.c.entity_type, audit_log.c.entity_id, audit_log.c.action,
                   audit_log.c.occurred_at).where(
                audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(ids),
                audit_log.c.action.in_(LISTING_PAUSE_ACTIONS + LISTING_RETURN_ACTIONS))
            .order_by(audit_log.c.seq)).all())
    def listing_sale_history(self, listing_ids: Iterable[int]) -> list[Any]:
        """:meth:`listing_sale_changes` with ``from_draft`` (whether the listing was still a draft
        before the change: a draft the guard held when it was published was never on sale) and
        ``launch_comparison`` (what a publish or release measured for the order tripwire)."""
        return list(self.conn.execute(
            select(*_SALE_HISTORY).where(_sale_changes_of([str(i) for i in sorted(listing_ids)]))
            .order_by(audit_log.c.seq)).all())

    def listing_names(self, listing_ids: Iterable[int]) -> list[Any]:
        """How people know these listings: ``(listing_id, title, title_en, seller, status)``
        rows (the product's titles, the seller's name, the listing's status now), by id."""
        ids = sorted({int(i) for i in listing_ids})
        if not ids:
            return []
        return list(self.conn.execute(
            select(listings.c.id.label("listing_id"), products.c.title, products.c.title_en,
                   sellers.c.name.label("seller"), listings.c.status)
            .join(products, products.c.id == listings.c.product_id)
            .join(sellers, sellers.c.id == listings.c.seller_id)
            .where(listings.c.id.in_(ids)).order_by(listings.c.id)).all())

    def seller_incident_listings(self, seller_id: int, *,
                                 incident_id: int | None = None) -> list[Any]:
        """``(incident_id, listing_id)`` rows of the seller's listings named by incidents (only
        ``incident_id``'s when given), newest incident first: what a seller's pages may show."""
        q = (select(incident_listings.c.incident_id, incident_listings.c.listing_id)
             .join(listings, listings.c.id == incident_listings.c.listing_id)
             .where(listings.c.seller_id == seller_id))
        if incident_id is not None:
            q = q.where(incident_listings.c.incident_id == incident_id)
        return list(self.conn.execute(q.order_by(incident_listings.c.incident_id.desc(),
                                                 incident_listings.c.listing_id)).all())

    def listing_vouches(self, listing_id: int, *, since: datetime) -> list[Any]:
        """The prices an operator vouched for on this listing at or after ``since`` (the
        ``after["price"]`` of its ``listing.vouched`` audit rows: a tripwire draft dismissed as
        a false alarm), oldest first."""
        return list(self.conn.execute(
            select(audit_log.c.after["price"].label("price"), audit_log.c.occurred_at).where(
                audit_log.c.entity_type == "listing", audit_log.c.entity_id == str(listing_id),
                audit_log.c.action == "listing.vouched", audit_log.c.occurred_at >= since)
            .order_by(audit_log.c.seq)).all())

    # incident report

    def case_choices(self, incident_id: int) -> list[Any]:
        """The incident's cases as ``(id, customer_id, choice)`` rows; ``choice`` is None until
        the customer answers."""
        return list(self.conn.execute(select(cases.c.id, cases.c.customer_id, cases.c.choice)
                                      .where(cases.c.incident_id == incident_id)).all())

    def incident_audit_trail(self, incident_id: int, *, listing_ids: Iterable[int],
                             case_ids: Iterable[int], listings_since: datetime) -> list[Any]:
        """``audit_log`` rows about the incident, its listings (at or after ``listings_since``),
        its cases and the desk's changes to their orders (``DESK_ORDER_ACTIONS``), in log order
        (``seq``).

        With neither listings nor cases there is nothing to report: no rows, not even the
        incident's own."""
        listing_keys = [str(i) for i in sorted(listing_ids)]
        case_keys = [str(i) for i in case_ids]
        if not (case_keys or listing_keys):
            return []
        about = or_(
            and_(audit_log.c.entity_type == "incident", audit_log.c.entity_id == str(incident_id)),
            and_(audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(listing_keys),
                 audit_log.c.occurred_at >= listings_since),
            and_(audit_log.c.entity_type == "case", among_keys(audit_log.c.entity_id, case_keys)),
            and_(audit_log.c.entity_type == "order", audit_log.c.action.in_(DESK_ORDER_ACTIONS),
                 among_keys(audit_case_id(), case_keys)))
        return list(self.conn.execute(select(audit_log).where(about)
                                      .order_by(audit_log.c.seq)).all())

    def resolution_sent_times(self, incident_id: int) -> list[Any]:
        """``(customer_id, sent_at)`` rows of the incident's resolution messages that were sent."""
        return list(self.conn.execute(select(outbox.c.customer_id, outbox.c.sent_at).where(
            outbox.c.incident_id == incident_id, outbox.c.purpose == "resolution",
            outbox.c.status == "sent")).all())

    def compensation_postings(self, incident_id: int) -> list[Any]:
        """The ledger legs of the incident's case compensations, summed per kind of account
        and, for sellers' charge-backs, per seller: ``(account_kind, seller_id, seller_name,
        currency, amount_minor, entries)`` rows (``seller_id``/``seller_name`` None but for a
        seller's leg), sellers by id. A compensation entry is never reversed
        (``points.reverse_entry`` refuses it), so the sums are final."""
        is_seller = ledger_postings.c.account_kind == AccountKind.SELLER_CHARGEBACK.value
        seller_id = case((is_seller, ledger_postings.c.owner_id), else_=None).label("seller_id")
        q = (select(ledger_postings.c.account_kind, seller_id,
                    sellers.c.name.label("seller_name"), ledger_postings.c.currency,
                    func.sum(ledger_postings.c.amount_minor).label("amount_minor"),
                    func.count(func.distinct(ledger_postings.c.entry_id)).label("entries"))
             .join(cases, cases.c.compensation_entry_id == ledger_postings.c.entry_id)
             .outerjoin(sellers, and_(is_seller, sellers.c.id == ledger_postings.c.owner_id))
             .where(cases.c.incident_id == incident_id)
             .group_by(ledger_postings.c.account_kind, seller_id, sellers.c.name,
                       ledger_postings.c.currency)
             .order_by(ledger_postings.c.account_kind, seller_id))
        return list(self.conn.execute(q).all())

    def refunds(self, incident_id: int) -> list[Any]:
        """The refunds the desk applied on the incident's cases (its ``order.cancel_and_refund``
        and ``order.reduce_and_refund`` audit records, which keep the units and the amount):
        ``(currency, units, amount_minor, orders)`` rows, one per currency."""
        amount = audit_log.c.after["amount"]
        applied = (select(amount["currency"].astext.label("currency"),
                          cast(audit_log.c.after["quantity"].astext, BigInteger).label("units"),
                          cast(amount["amount_minor"].astext, BigInteger).label("amount_minor"),
                          audit_log.c.entity_id)
                   .join(cases, cast(cases.c.id, Text) == audit_case_id())
                   .where(cases.c.incident_id == incident_id, audit_log.c.entity_type == "order",
                          audit_log.c.action.in_(DESK_ORDER_ACTIONS[:2])).subquery())
        q = (select(applied.c.currency, func.sum(applied.c.units).label("units"),
                    func.sum(applied.c.amount_minor).label("amount_minor"),
                    func.count(func.distinct(applied.c.entity_id)).label("orders"))
             .group_by(applied.c.currency).order_by(applied.c.currency))
        return list(self.conn.execute(q).all())

    def orders_as_placed(self, case_ids: Iterable[int]) -> dict[int, dict[int, tuple[int, int]]]:
        """Case id -> order id -> ``(quantity, unit_price_minor)`` of each of its orders the desk
        changed, as they were before the first change (the ``before`` of the first
        ``order.<effect>`` audit record written by ``desk_cases`` with that case's id). An
        order the desk never changed is missing: it stands as placed."""
        keys = [str(i) for i in case_ids]
        out: dict[int, dict[int, tuple[int, int]]] = {}
        if not keys:
            return out
        q = (select(audit_log.c.entity_id, audit_log.c.before,
                    audit_case_id().label("case_id"))
             .where(audit_log.c.entity_type == "order", audit_log.c.action.in_(DESK_ORDER_ACTIONS),
                    audit_case_id().in_(keys))
             .order_by(audit_log.c.seq))
        for row in self.conn.execute(q):
            placed = out.setdefault(int(row.case_id), {})
            if int(row.entity_id) not in placed and (was := _as_placed(row.before)):
                placed[int(row.entity_id)] = was
        return out

    def orders_as_placed_by_id(self, order_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
        """:meth:`orders_as_placed` by order, whatever the case: order id -> ``(quantity,
        unit_price_minor)`` before the desk's first change to it; an order the desk never
        changed is missing. One query, however many orders."""
        keys = [str(i) for i in order_ids]
        out: dict[int, tuple[int, int]] = {}
        if not keys:
            return out
        q = (select(audit_log.c.entity_id, audit_log.c.before)
             .where(audit_log.c.entity_type == "order", audit_log.c.entity_id.in_(keys),
                    audit_log.c.action.in_(DESK_ORDER_ACTIONS))
             .order_by(audit_log.c.seq))
        for row in self.conn.execute(q):
            if int(row.entity_id) not in out and (was := _as_placed(row.before)):
                out[int(row.entity_id)] = was
        return out


def _as_placed(before: dict[str, Any] | None) -> tuple[int, int] | None:
    """``(quantity, unit_price_minor)`` from the ``before`` of a desk's change to an order;
    None when it does not say the price."""
    said = before or {}
    price = (said.get("unit_price") or {}).get("amount_minor")
    return None if price is None else (int(said["quantity"]), int(price))


# the columns of :meth:`IncidentReads.listing_sale_history`
_SALE_HISTORY = (audit_log.c.entity_id, audit_log.c.action, audit_log.c.occurred_at,
                 func.coalesce(audit_log.c.before["status"].astext == "draft", False)
                 .label("from_draft"),
                 audit_log.c.after["launch_comparison"].label("launch_comparison"))


def _sale_changes_of(entity_ids: list[str]) -> ColumnElement[bool]:
    """Audit rows taking these listings off sale or putting them back on it."""
    return and_(audit_log.c.entity_type == "listing", audit_log.c.entity_id.in_(entity_ids),
                audit_log.c.action.in_(LISTING_PAUSE_ACTIONS + LISTING_RETURN_ACTIONS))
