"""Deferring procrastinate jobs inside the caller's transaction.

A job row is written through procrastinate's own SQL function on the same connection as the
change that needs it, so a rolled-back transaction schedules nothing (the outbox's delivery jobs
are deferred the same way, in bulk, by :class:`~sagwa.adapters.db.outbox_repo.OutboxRepository`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.dialects.postgresql import TIMESTAMP
from sqlalchemy.types import JSON

_DEFER = text(
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, NULL, :lock, "
    "CAST(:args AS jsonb), :at)::procrastinate_job_to_defer_v1])"
).bindparams(bindparam("args", type_=JSON), bindparam("at", type_=TIMESTAMP(timezone=True)))


class JobQueue:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def defer(self, *, queue: str, task: str, args: dict[str, object], at: datetime,
              queueing_lock: str | None = None) -> None:
        """Schedule ``task(**args)`` on ``queue`` to run at ``at`` once this transaction commits;
        ``queueing_lock`` keeps a second job with the same lock from being queued."""
        self.conn.execute(_DEFER, {"queue": queue, "task": task, "lock": queueing_lock,
                                   "args": args, "at": at})
