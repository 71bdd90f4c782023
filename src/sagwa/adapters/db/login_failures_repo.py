"""Wrong passwords on ``/login`` in PostgreSQL (``login_failures``), shared by every web process.

A subject is a 32-byte HMAC (a name from an address, or an address); the throttle's decision is
made under a transaction-scoped advisory lock per subject (:meth:`LoginFailureRepository.lock`),
so attempts sent at once to any number of processes are judged one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from sagwa.adapters.db.tables import login_failures

_LOCK_NAMESPACE = 0x5A6C  # first key of pg_advisory_xact_lock(int, int): "sagwa login"


def _lock_key(subject: bytes) -> int:
    return int.from_bytes(subject[:4], "big", signed=True)


class LoginFailureRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self, subjects: Iterable[bytes]) -> None:
        """Hold the subjects until the transaction ends (in one order: no deadlock between two
        attempts that share one subject)."""
        for key in sorted({_lock_key(s) for s in subjects}):
            self.conn.execute(select(func.pg_advisory_xact_lock(_LOCK_NAMESPACE, key)))

    def since(self, subjects: Iterable[bytes], since: datetime) -> dict[bytes, list[datetime]]:
        """Each subject's failures at or after ``since``, oldest first."""
        wanted = list(subjects)
        found: dict[bytes, list[datetime]] = {s: [] for s in wanted}
        rows = self.conn.execute(
            select(login_failures.c.subject, login_failures.c.failed_at)
            .where(login_failures.c.subject.in_(wanted), login_failures.c.failed_at >= since)
            .order_by(login_failures.c.failed_at, login_failures.c.id))
        for subject, at in rows:
            found[bytes(subject)].append(at)
        return found

    def add(self, subjects: Iterable[bytes], at: datetime) -> list[int]:
        """One failure per subject at ``at``; the rows' ids, in the subjects' order."""
        return [int(self.conn.execute(insert(login_failures).values(subject=s, failed_at=at)
                                      .returning(login_failures.c.id)).scalar_one())
                for s in subjects]

    def clear(self, subject: bytes) -> None:
        self.conn.execute(delete(login_failures).where(login_failures.c.subject == subject))

    def remove(self, ids: Iterable[int]) -> None:
        self.conn.execute(delete(login_failures).where(login_failures.c.id.in_(list(ids))))

    def forget_before(self, before: datetime, subjects: Iterable[bytes] | None = None) -> int:
        """Failures older than the throttle remembers (of ``subjects`` only, when given); how
        many went."""
        q = delete(login_failures).where(login_failures.c.failed_at < before)
        if subjects is not None:
            q = q.where(login_failures.c.subject.in_(list(subjects)))
        return int(self.conn.execute(q).rowcount)
