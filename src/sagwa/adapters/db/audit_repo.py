"""The hash-chained audit log in PostgreSQL.

Appends are serialised by a transaction-scoped advisory lock, so the chain stays a single line
even with many writers; the lock is released when the writing transaction ends. New records are
keyed (HMAC with a key derived from ``SAGWA_SECRET_KEY``: :func:`process_chain_keys`), so that
database access alone cannot recompute the chain after changing a record; the keys of
``SAGWA_PREVIOUS_SECRET_KEYS`` only verify the records written before a rotation.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select, text

from sagwa.adapters.db.bulk import insert_unnest
from sagwa.adapters.db.tables import audit_log, audit_words
from sagwa.domain.audit import (
    GENESIS_HASH,
    AuditEvent,
    AuditRecord,
    ChainKey,
    ChainKeys,
    as_chain_keys,
    chain_keys,
    foreign_key_refusal,
    keyed_chain_hash,
)
from sagwa.errors import Conflict

if TYPE_CHECKING:
    from sagwa.config import Settings

AUDIT_LOCK = 7_262_009


#: The reason of a refusal to write the audit log with a key it was not written with.
AUDIT_KEY_UNKNOWN = "audit_key_unknown"


def settings_chain_keys(settings: Settings) -> ChainKeys:
    """The chain keys of ``settings``: the current secret's, and the retired secrets'."""
    return chain_keys(settings.secret_key, settings.previous_secret_keys)


def process_chain_keys() -> ChainKeys:
    """The chain keys of this process (``SAGWA_SECRET_KEY``, or the key kept in the data
    directory, and ``SAGWA_PREVIOUS_SECRET_KEYS``), read once: a rotation takes effect when
    processes restart, and every sagwa process on one database must share the current key, as
    for links. Read from settings of its own, not ``get_settings()``: a repository must not
    fill the process's settings cache as a side effect (a command read after it would see
    them)."""
    global _process_keys
    with _process_key_lock:
        if _process_keys is None:
            from sagwa.config import Settings  # read when first needed, never at import time

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # get_settings() tells of an unshared key
                _process_keys = settings_chain_keys(Settings())
        return _process_keys


def process_chain_key() -> ChainKey:
    """The key new records of this process are keyed with."""
    return process_chain_keys().current


def forget_process_chain_keys() -> None:
    """Read the keys again on next use (a test that rotates the secret within one process)."""
    global _process_keys
    with _process_key_lock:
        _process_keys = None


_process_keys: ChainKeys | None = None
_process_key_lock = threading.Lock()


class AuditRepository:
    def __init__(self, conn: Connection, key: ChainKey | ChainKeys | None = None) -> None:
        self.conn = conn
        self._keys = as_chain_keys(key)
        self._words: dict[str, str] = {}

    def keep_words(self, digest: str, words: str) -> None:
        """The words a record about to be appended names by ``digest`` (``<field>_hmac`` in its
        ``after``: ``services.recorded_texts.audit_text``): stored in ``audit_words`` with the
        record's seq when it is appended, in the same transaction."""
        self._words[digest] = words

    def _store_words(self, appended: list[tuple[int, AuditEvent]]) -> None:
        if not self._words:
            return
        rows = [{"seq": seq, "field": key.removesuffix("_hmac"), "words": self._words[value]}
                for seq, event in appended for key, value in (event.after or {}).items()
                if key.endswith("_hmac") and isinstance(value, str) and value in self._words]
        if rows:
            self.conn.execute(insert(audit_words), rows)

    @property
    def keys(self) -> ChainKeys:
        """The current key and the retired ones (to verify)."""
        if self._keys is None:
            self._keys = process_chain_keys()
        return self._keys

    @property
    def key(self) -> ChainKey:
        """The key new records are keyed with."""
        return self.keys.current

    def head(self) -> AuditRecord | None:
        """The last record, or None for an empty log."""
        row = self.conn.execute(
            select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)).one_or_none()
        return None if row is None else _record(row)

    def key_refusal(self) -> str | None:
        """Why this process must not write to the audit log (its newest keyed record holds a
        key this process does not: it was rotated on another host and this one still runs on
        the old), or None. Nothing is locked: a check before an act that cannot be undone (a
        message sent), which the append's own check (``_locked_head``) backs."""
        return foreign_key_refusal(self.newest_keyed_chain(), self.keys)

    def newest_keyed_chain(self) -> str | None:
        """The ``chain`` of the newest keyed record (its key's fingerprint), or None."""
        return self.conn.execute(
            select(audit_log.c.chain).where(audit_log.c.chain.is_not(None))
            .order_by(audit_log.c.seq.desc()).limit(1)).scalar_one_or_none()

    def first(self) -> AuditRecord | None:
        """The first record (seq 1), or None."""
        row = self.conn.execute(select(audit_log).where(audit_log.c.seq == 1)).one_or_none()
        return None if row is None else _record(row)

    def _locked_head(self) -> Any:
        """The last record's seq, hash and chain, under the audit lock (held until the writing
        transaction ends). A process whose keys do not include the key the last record names —
        an old host still running after another started with a rotated key — must not chain a
        record after it: a verifier would find a retired key's record after the current key's
        (which it refuses: a leaked retired key could otherwise rewrite the tail). Refused with
        ``audit_key_unknown``, as at startup; the process needs a restart with the new key."""
        self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
        last = self.conn.execute(
            select(audit_log.c.seq, audit_log.c.hash, audit_log.c.chain)
            .order_by(audit_log.c.seq.desc()).limit(1)).one_or_none()
        problem = foreign_key_refusal(None if last is None else last.chain, self.keys)
        if problem is not None:
            raise Conflict(problem, reason="audit_key_unknown")
        return last

    def append(self, event: AuditEvent, now: datetime) -> AuditRecord:
        last = self._locked_head()
        seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)
        key = self.key
        digest = keyed_chain_hash(key, prev, seq, now, event)
        self.conn.execute(insert(audit_log).values(
            seq=seq, occurred_at=now, actor=event.actor, action=event.action,
            entity_type=event.entity_type, entity_id=event.entity_id, before=event.before,
            after=event.after, prev_hash=prev, hash=digest, chain=key.chain))
        self._store_words([(seq, event)])
        return AuditRecord(seq, now, event, prev, digest, key.chain)

    def first_keyed_seq(self, *, upto: int) -> int | None:
        """The first keyed record (``chain`` set) up to ``upto``; None when none is."""
        return self.conn.execute(
            select(audit_log.c.seq).where(audit_log.c.chain.is_not(None), audit_log.c.seq <= upto)
            .order_by(audit_log.c.seq).limit(1)).scalar_one_or_none()

    def append_many(self, events: list[AuditEvent], now: datetime) -> int:
        """Chain many events under one lock with one multi-row insert (bulk desk steps)."""
        if not events:
            return 0
        last = self._locked_head()
        seq, prev = (last.seq, last.hash) if last else (0, GENESIS_HASH)
        first = seq + 1
        rows = []
        key = self.key
        for event in events:
            seq += 1
            digest = keyed_chain_hash(key, prev, seq, now, event)
            rows.append({"seq": seq, "occurred_at": now, "actor": event.actor,
                         "action": event.action, "entity_type": event.entity_type,
                         "entity_id": event.entity_id, "before": event.before,
                         "after": event.after, "prev_hash": prev, "hash": digest,
                         "chain": key.chain})
            prev = digest
        insert_unnest(self.conn, audit_log, rows)
        self._store_words([(first + n, event) for n, event in enumerate(events)])
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

    def of_entities(self, entity_type: str, entity_ids: list[str],
                    *actions: str) -> dict[str, list[AuditRecord]]:
        """Entity id -> its entries with any of ``actions``, oldest first (one query)."""
        if not entity_ids:
            return {}
        q = (select(audit_log).where(audit_log.c.entity_type == entity_type,
                                     audit_log.c.entity_id.in_(entity_ids),
                                     audit_log.c.action.in_(actions))
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
    return AuditRecord(row.seq, row.occurred_at, event, row.prev_hash, row.hash, row.chain)
