"""Idempotency keys: a retried command finds the result of its first run instead of running again.

Claiming inserts the key inside the command's own transaction; a concurrent retry with the same
key blocks on the primary key until the first commits (then sees its result) or rolls back
(then runs itself). Keys are kept per owner (the account that sent them): the same key from two
accounts is two keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, select, update
from sqlalchemy.dialects.postgresql import insert

from sagwa.adapters.db.tables import idempotency_keys


@dataclass(frozen=True)
class PriorRun:
    fingerprint: str
    result: dict[str, Any] | None


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def claim(self, scope: str, owner: str, key: str, fingerprint: str,
              now: datetime) -> PriorRun | None:
        """None if this is ``owner``'s first run with ``key``; else what the first run recorded."""
        inserted = self.conn.execute(
            insert(idempotency_keys).values(owner=owner, scope=scope, key=key,
                                            fingerprint=fingerprint, created_at=now)
            .on_conflict_do_nothing().returning(idempotency_keys.c.key)).scalar_one_or_none()
        if inserted is not None:
            return None
        row = self.conn.execute(select(idempotency_keys).where(*self._one(scope, owner, key))).one()
        return PriorRun(row.fingerprint, row.result)

    def record(self, scope: str, owner: str, key: str, result: dict[str, Any]) -> None:
        self.conn.execute(update(idempotency_keys).where(*self._one(scope, owner, key))
                          .values(result=result))

    @staticmethod
    def _one(scope: str, owner: str, key: str) -> tuple[ColumnElement[bool], ...]:
        c = idempotency_keys.c
        return (c.owner == owner, c.scope == scope, c.key == key)
