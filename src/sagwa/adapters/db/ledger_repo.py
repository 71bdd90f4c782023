"""The points ledger in PostgreSQL (append-only; the database refuses updates and deletes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from sagwa.adapters.db.tables import ledger_entries, ledger_postings
from sagwa.domain.ledger import Account, AccountKind, JournalEntry, Posting
from sagwa.domain.money import Money


@dataclass(frozen=True)
class StoredEntry:
    id: int
    created_at: datetime
    entry: JournalEntry
    reversed_by: int | None


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
