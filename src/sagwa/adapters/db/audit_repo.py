"""The hash-chained audit log in PostgreSQL.

Appends are serialised by a transaction-scoped advisory lock, so the chain stays a single line
even with many writers; the lock is released when the writing transaction ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, text

from sagwa.adapters.db.bulk import insert_unnest
from sagwa.adapters.db.tables import audit_log
from sagwa.domain.audit import GENESIS_HASH, AuditEvent, AuditRecord, chain_hash

AUDIT_LOCK = 7_262_009


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def append(self, event: AuditEvent, now: datetime) -> AuditRecord:
        self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
        last = self.conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).one_or_none()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)
        digest = chain_hash(prev, seq, now, event)
        self.conn.execute(insert(audit_log).values(
            seq=seq, occurred_at=now, actor=event.actor, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id, before=event.before,
            after=event.after, prev_hash=prev, hash=digest))
        return AuditRecord(seq, now, event, prev, digest)

    def append_many(self, events: list[AuditEvent], now: datetime) -> int:
        """Chain many events under one lock with one multi-row insert (bulk desk steps)."""
        if not events:
            return 0
        self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
        last = self.conn.execute(
            select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
        ).one_or_none()
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS_HASH)
        rows = []
        for event in events:
            seq += 1
            digest = chain_hash(prev, seq, now, event)
            rows.append({"seq": seq, "occurred_at": now, "actor": event.actor,
                         "action": event.action, "entity_type": event.entity_type,
                         "entity_id": event.entity_id, "before": event.before,
                         "after": event.after, "prev_hash": prev, "hash": digest})
            prev = digest
        insert_unnest(self.conn, audit_log, rows)
        return len(rows)

    def iter_all(self, *, batch: int = 5000) -> Iterator[AuditRecord]:
        last = 0
        while True:
            rows = self.conn.execute(select(audit_log).where(audit_log.c.seq > last)
                                     .order_by(audit_log.c.seq).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _record(row)
            last = rows[-1].seq

    def for_entity(self, entity_type: str, entity_id: str, *, limit: int = 200) -> list[AuditRecord]:
        q = (select(audit_log).where(audit_log.c.entity_type == entity_type,
                                     audit_log.c.entity_id == entity_id)
             .order_by(audit_log.c.seq).limit(limit))
        return [_record(r) for r in self.conn.execute(q)]

    def latest_for_entity(self, entity_type: str, entity_id: str,
                          *actions: str) -> AuditRecord | None:
        """The entity's latest entry with any of ``actions``, however many entries it has (one
        query, by the ``(entity_type, entity_id)`` index, newest first)."""
        return self._one_for_entity(entity_type, entity_id, actions, audit_log.c.seq.desc())

    def first_for_entity(self, entity_type: str, entity_id: str,
                         *actions: str) -> AuditRecord | None:
        """The entity's first entry with any of ``actions`` (one query, oldest first)."""
        return self._one_for_entity(entity_type, entity_id, actions, audit_log.c.seq)

    def first_naming(self, entity_type: str, entity_id: str, *actions: str, key: str,
                     value: int) -> AuditRecord | None:
        """The entity's first entry with any of ``actions`` whose ``after[key]`` is ``value``
        (a price change's own entry: ``key="price_change_id"``)."""
        return self._one_for_entity(entity_type, entity_id, actions, audit_log.c.seq,
                                    audit_log.c.after[key].as_integer() == value)

    def latest_naming_text(self, entity_type: str, entity_id: str, *actions: str, key: str,
                           value: str) -> AuditRecord | None:
        """The entity's latest entry with any of ``actions`` whose ``after[key]`` is the text
        ``value`` (a notice's language: ``key="lang"``)."""
        return self._one_for_entity(entity_type, entity_id, actions, audit_log.c.seq.desc(),
                                    audit_log.c.after[key].as_string() == value)

    def of_entities_with(self, entity_type: str, entity_ids: list[str], *actions: str,
                         having: str) -> dict[str, list[AuditRecord]]:
        """Entity id -> its entries with any of ``actions``, oldest first, for those of
        ``entity_ids`` that have an entry ``having`` (an entity without one is left out):
        one query, by the ``(entity_type, entity_id)`` index, however many entities."""
        if not entity_ids:
            return {}
        wanted = (audit_log.c.entity_type == entity_type,
                  audit_log.c.entity_id.in_(entity_ids))
        marked = select(audit_log.c.entity_id).where(*wanted, audit_log.c.action == having)
        q = (select(audit_log).where(*wanted, audit_log.c.action.in_(actions),
                                     audit_log.c.entity_id.in_(marked))
             .order_by(audit_log.c.seq))
        out: dict[str, list[AuditRecord]] = {}
        for row in self.conn.execute(q):
            out.setdefault(row.entity_id, []).append(_record(row))
        return out

    def _one_for_entity(self, entity_type: str, entity_id: str, actions: tuple[str, ...],
                        order: Any, *where: Any) -> AuditRecord | None:
        q = (select(audit_log).where(audit_log.c.entity_type == entity_type,
                                     audit_log.c.entity_id == entity_id,
                                     audit_log.c.action.in_(actions), *where)
             .order_by(order).limit(1))
        row = self.conn.execute(q).one_or_none()
        return None if row is None else _record(row)

    def recent(self, *, limit: int = 50) -> list[AuditRecord]:
        q = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
        return [_record(r) for r in self.conn.execute(q)]


def _record(row) -> AuditRecord:  # type: ignore[no-untyped-def]
    event = AuditEvent(row.actor, row.action, row.entity_type, row.entity_id, row.before, row.after)
    return AuditRecord(row.seq, row.occurred_at, event, row.prev_hash, row.hash)
