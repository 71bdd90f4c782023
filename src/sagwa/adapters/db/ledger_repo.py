"""The points ledger in PostgreSQL (append-only; the database refuses updates and deletes), and
the reads finance lists and exports it by (:meth:`LedgerRepository.find_entries`): each entry
with its postings and the incident, case and sellers it belongs to when known (a compensation
is linked by ``cases.compensation_entry_id``), and the refunds the desk applied to orders."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Select,
    Text,
    cast,
    exists,
    func,
    insert,
    or_,
    select,
)

from sagwa.adapters.db.tables import (
    audit_case_id,
    audit_log,
    case_orders,
    cases,
    ledger_entries,
    ledger_postings,
    listings,
    orders,
)
from sagwa.domain.difference import PAID_ACTION as DIFFERENCE_PAID_ACTION
from sagwa.domain.ledger import Account, AccountKind, JournalEntry, Posting
from sagwa.domain.money import Money
from sagwa.domain.refunds import REFUND_ACTIONS


@dataclass(frozen=True)
class StoredEntry:
    id: int
    created_at: datetime
    entry: JournalEntry
    reversed_by: int | None


@dataclass(frozen=True)
class EntryFilter:
    """Which entries (and refunds) a finance read covers; every field set narrows it.
    ``since`` is inclusive and ``until`` exclusive (timezone-aware moments)."""

    incident_id: int | None = None
    seller_id: int | None = None
    customer_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class EntryRow:
    """One entry as finance reads it: ``postings`` are ``(account_kind, owner_id, amount_minor,
    currency)``; ``incident_id``/``case_id`` are set for a case's compensation."""

    id: int
    created_at: datetime
    kind: str
    memo: str
    reverses_id: int | None
    incident_id: int | None
    case_id: int | None
    postings: tuple[tuple[str, int | None, int, str], ...]


def _has_leg(kind: AccountKind, owner_id: int) -> ColumnElement[bool]:
    return exists().where(ledger_postings.c.entry_id == ledger_entries.c.id,
                          ledger_postings.c.account_kind == kind.value,
                          ledger_postings.c.owner_id == owner_id)


def _case_has_seller(case_id: Any, seller_id: int) -> ColumnElement[bool]:
    return exists().where(case_orders.c.case_id == case_id,
                          orders.c.id == case_orders.c.order_id,
                          listings.c.id == orders.c.listing_id, listings.c.seller_id == seller_id)


def _entries_matching(f: EntryFilter) -> Select[Any]:
    q = (select(ledger_entries, cases.c.id.label("case_id"), cases.c.incident_id)
         .outerjoin(cases, cases.c.compensation_entry_id == ledger_entries.c.id))
    if f.incident_id is not None:
        q = q.where(cases.c.incident_id == f.incident_id)
    if f.seller_id is not None:
        q = q.where(or_(_has_leg(AccountKind.SELLER_CHARGEBACK, f.seller_id),
                        _case_has_seller(cases.c.id, f.seller_id)))
    if f.customer_id is not None:
        q = q.where(_has_leg(AccountKind.CUSTOMER_POINTS, f.customer_id))
    if f.since is not None:
        q = q.where(ledger_entries.c.created_at >= f.since)
    if f.until is not None:
        q = q.where(ledger_entries.c.created_at < f.until)
    return q


class LedgerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, entry: JournalEntry, now: datetime) -> int:
        entry_id = self.conn.execute(insert(ledger_entries).values(
            kind=entry.kind, memo=entry.memo, reverses_id=entry.reverses_id, created_at=now,
        ).returning(ledger_entries.c.id)).scalar_one()
        self.conn.execute(insert(ledger_postings), [
            {"entry_id": entry_id, "account_kind": p.account.kind.value,
             "owner_id": p.account.owner_id, "amount_minor": p.amount.amount_minor,
             "currency": p.amount.currency}
            for p in entry.postings
        ])
        return int(entry_id)

    def get(self, entry_id: int, *, for_update: bool = False) -> StoredEntry | None:
        """The entry, its postings and the reversal booked against it, if any. ``for_update``
        locks the entry's row first (until the transaction ends), so what is read after it —
        whether it was reversed — includes a concurrent reversal that committed meanwhile."""
        q = select(ledger_entries).where(ledger_entries.c.id == entry_id)
        row = self.conn.execute(q.with_for_update() if for_update else q).one_or_none()
        if row is None:
            return None
        postings = tuple(
            Posting(Account(AccountKind(p.account_kind), p.owner_id), Money(p.amount_minor, p.currency))
            for p in self.conn.execute(select(ledger_postings).where(
                ledger_postings.c.entry_id == entry_id).order_by(ledger_postings.c.id))
        )
        reversed_by = self.conn.execute(select(ledger_entries.c.id).where(
            ledger_entries.c.reverses_id == entry_id)).scalar_one_or_none()
        entry = JournalEntry(row.kind, row.memo, postings, row.reverses_id)
        return StoredEntry(row.id, row.created_at, entry, reversed_by)

    def balance(self, kind: AccountKind, owner_id: int | None) -> int:
        q = select(func.coalesce(func.sum(ledger_postings.c.amount_minor), 0)).where(
            ledger_postings.c.account_kind == kind.value)
        q = q.where(ledger_postings.c.owner_id.is_(None) if owner_id is None
                    else ledger_postings.c.owner_id == owner_id)
        return int(self.conn.execute(q).scalar_one())

    def entries_for(self, kind: AccountKind, owner_id: int, *, limit: int = 50) -> list[StoredEntry]:
        ids = self.conn.execute(
            select(ledger_postings.c.entry_id).where(
                ledger_postings.c.account_kind == kind.value, ledger_postings.c.owner_id == owner_id)
            .order_by(ledger_postings.c.entry_id.desc()).limit(limit)).scalars().all()
        return [e for e in (self.get(i) for i in ids) if e is not None]

    def trial_balance(self) -> int:
        """Sum of every posting ever made: zero in a healthy ledger."""
        return int(self.conn.execute(
            select(func.coalesce(func.sum(ledger_postings.c.amount_minor), 0))).scalar_one())

    # finance reads

    def count_entries(self, f: EntryFilter) -> int:
        return int(self.conn.execute(
            select(func.count()).select_from(_entries_matching(f).subquery())).scalar_one())

    def find_entries(self, f: EntryFilter, *, limit: int, after_id: int = 0) -> list[EntryRow]:
        """Up to ``limit`` entries matching ``f`` with an id above ``after_id``, by id (the
        order they were booked in), each with its postings."""
        rows = self.conn.execute(_entries_matching(f).where(ledger_entries.c.id > after_id)
                                 .order_by(ledger_entries.c.id).limit(limit)).all()
        legs: dict[int, list[tuple[str, int | None, int, str]]] = {r.id: [] for r in rows}
        if legs:
            for p in self.conn.execute(select(ledger_postings).where(
                    ledger_postings.c.entry_id.in_(list(legs))).order_by(ledger_postings.c.id)):
                legs[p.entry_id].append((p.account_kind, p.owner_id, int(p.amount_minor),
                                         p.currency))
        return [EntryRow(int(r.id), r.created_at, r.kind, r.memo, r.reverses_id, r.incident_id,
                         r.case_id, tuple(legs[r.id])) for r in rows]

    def case_sellers(self, case_ids: Iterable[int]) -> dict[int, dict[int, int]]:
        """Case id -> seller id -> value of the case's orders from that seller as they stand
        (minor units): who a case's compensation belongs to when no seller pays a share."""
        ids = list(case_ids)
        out: dict[int, dict[int, int]] = {}
        if not ids:
            return out
        q = (select(case_orders.c.case_id, listings.c.seller_id,
                    func.sum(orders.c.quantity * orders.c.unit_price_minor).label("value"))
             .join(orders, orders.c.id == case_orders.c.order_id)
             .join(listings, listings.c.id == orders.c.listing_id)
             .where(case_orders.c.case_id.in_(ids))
             .group_by(case_orders.c.case_id, listings.c.seller_id))
        for row in self.conn.execute(q):
            out.setdefault(int(row.case_id), {})[int(row.seller_id)] = int(row.value)
        return out

    def refunds_applied(self, f: EntryFilter) -> list[Any]:
        """The refunds the desk applied to orders (its refund audit records; they are not
        ledger entries): ``(occurred_at, incident_id, case_id, seller_id, currency,
        amount_minor)`` rows by audit sequence, narrowed by ``f`` (dates on ``occurred_at``)."""
        amount = audit_log.c.after["amount"]
        q = (select(audit_log.c.occurred_at, cases.c.incident_id, cases.c.id.label("case_id"),
                    listings.c.seller_id, amount["currency"].astext.label("currency"),
                    cast(amount["amount_minor"].astext, BigInteger).label("amount_minor"))
             .join(cases, cast(cases.c.id, Text) == audit_case_id())
             .join(orders, cast(orders.c.id, Text) == audit_log.c.entity_id)
             .join(listings, listings.c.id == orders.c.listing_id)
             .where(audit_log.c.entity_type == "order",
                    audit_log.c.action.in_(REFUND_ACTIONS)))
        for column, value in ((cases.c.incident_id, f.incident_id),
                              (listings.c.seller_id, f.seller_id),
                              (cases.c.customer_id, f.customer_id)):
            if value is not None:
                q = q.where(column == value)
        if f.since is not None:
            q = q.where(audit_log.c.occurred_at >= f.since)
        if f.until is not None:
            q = q.where(audit_log.c.occurred_at < f.until)
        return list(self.conn.execute(q.order_by(audit_log.c.seq)).all())

    def differences_paid(self, f: EntryFilter) -> list[Any]:
        """The differences customers paid on the discount choice (``case.difference_paid``
        audit records; money received, not ledger entries): ``(occurred_at, incident_id,
        case_id, currency, amount_minor)`` rows by audit sequence, narrowed by ``f`` (a seller:
        a case with an order of theirs; dates on when it was recorded paid)."""
        amount = audit_log.c.after["difference"]
        q = (select(audit_log.c.occurred_at, cases.c.incident_id, cases.c.id.label("case_id"),
                    amount["currency"].astext.label("currency"),
                    cast(amount["amount_minor"].astext, BigInteger).label("amount_minor"))
             .join(cases, cast(cases.c.id, Text) == audit_log.c.entity_id)
             .where(audit_log.c.entity_type == "case",
                    audit_log.c.action == DIFFERENCE_PAID_ACTION))
        for column, value in ((cases.c.incident_id, f.incident_id),
                              (cases.c.customer_id, f.customer_id)):
            if value is not None:
                q = q.where(column == value)
        if f.seller_id is not None:
            q = q.where(_case_has_seller(cases.c.id, f.seller_id))
        if f.since is not None:
            q = q.where(audit_log.c.occurred_at >= f.since)
        if f.until is not None:
            q = q.where(audit_log.c.occurred_at < f.until)
        return list(self.conn.execute(q.order_by(audit_log.c.seq)).all())
