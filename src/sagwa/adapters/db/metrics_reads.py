"""What ``/metrics`` reads from the database, by the database's clock: the job queues
(procrastinate's ``procrastinate_jobs``, ``procrastinate_events``), the live workers and the
queues each takes, the outbox, incidents and their open cases, and the price changes held for
review. Counts grouped in SQL (a few rows each); ages in seconds. procrastinate's tables are
declared here, apart from ``tables.metadata``, with only the columns read; a database whose
procrastinate tables are not there yet (not migrated) reads as no jobs and no workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    MetaData,
    String,
    Table,
    extract,
    func,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ENUM

from sagwa.adapters.db.tables import cases, incidents, outbox, price_changes
from sagwa.adapters.db.worker_heartbeats import live_worker_queues

_procrastinate = MetaData()
# procrastinate's own enum types (created by its SQL, never by sagwa): compared as themselves,
# so its partial indexes (``WHERE status = 'todo'``) serve the queries
_JOB_STATUS = ENUM("todo", "doing", "succeeded", "failed", "cancelled", "aborting", "aborted",
                   name="procrastinate_job_status", create_type=False)
_EVENT_TYPE = ENUM("deferred", "started", "deferred_for_retry", "failed", "succeeded",
                   "cancelled", "abort_requested", "aborted", "scheduled", "retried",
                   name="procrastinate_job_event_type", create_type=False)
_jobs = Table("procrastinate_jobs", _procrastinate,
              Column("id", BigInteger, primary_key=True),
              Column("queue_name", String, nullable=False),
              Column("status", _JOB_STATUS, nullable=False),
              Column("scheduled_at", DateTime(timezone=True)))
_events = Table("procrastinate_events", _procrastinate,
                Column("id", BigInteger, primary_key=True),
                Column("job_id", BigInteger, nullable=False),
                Column("type", _EVENT_TYPE, nullable=False),
                Column("at", DateTime(timezone=True)))


#: The job statuses counted: waiting (due or not) and running.
WORKING_STATUSES = ("todo", "doing")


@dataclass(frozen=True)
class MetricsReading:
    """One reading. ``jobs``: (queue, status) -> jobs waiting or running
    (:data:`WORKING_STATUSES`); ``oldest_due_seconds``: queue -> how
    long its oldest job due to run (``todo``, its time come) has waited since it became due;
    ``workers_alive``: workers that sent a heartbeat within the bound asked;
    ``queue_workers``: queue -> live workers taking it (one that did not say which queues it
    takes takes them all); ``outbox``: (status, channel) -> messages; ``incidents``: status ->
    incidents; ``open_cases``: status -> cases of incidents not closed;
    ``held_price_changes`` and ``held_oldest_seconds``: price changes waiting for a reviewer,
    and how long the oldest has waited (0 with none)."""

    jobs: dict[tuple[str, str], int] = field(default_factory=dict)
    oldest_due_seconds: dict[str, float] = field(default_factory=dict)
    workers_alive: int = 0
    queue_workers: dict[str, int] = field(default_factory=dict)
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)
    incidents: dict[str, int] = field(default_factory=dict)
    open_cases: dict[str, int] = field(default_factory=dict)
    held_price_changes: int = 0
    held_oldest_seconds: float = 0.0


class MetricsReads:
    """The unit of work's ``metrics``: :func:`read_metrics` on its connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def reading(self, *, queues: Sequence[str], alive_within: timedelta) -> MetricsReading:
        return read_metrics(self.conn, queues=queues, alive_within=alive_within)


def read_metrics(conn: Connection, *, queues: Sequence[str], alive_within: timedelta,
                 timeout_ms: int = 5000) -> MetricsReading:
    """The reading (see :class:`MetricsReading`), each query cut off after ``timeout_ms``."""
    conn.execute(select(func.set_config("statement_timeout", str(timeout_ms), True)))
    jobs_there = conn.execute(select(func.to_regclass(_jobs.name))).scalar_one()
    jobs: dict[tuple[str, str], int] = {}
    oldest: dict[str, float] = {}
    if jobs_there is not None:
        # the work waiting or running only: finished jobs stay for days (jobs/upkeep_tasks.py)
        # and counting them would read most of the table at every scrape
        for queue, status, count in conn.execute(
                select(_jobs.c.queue_name, _jobs.c.status, func.count())
                .where(_jobs.c.status.in_(WORKING_STATUSES))
                .group_by(_jobs.c.queue_name, _jobs.c.status)):
            jobs[(queue, str(status))] = int(count)
        oldest = _oldest_due(conn)
    taken = live_worker_queues(conn, within=alive_within)  # [] without procrastinate's tables
    served = {queue: sum(1 for queues_of in taken if queues_of is None or queue in queues_of)
              for queue in queues}
    waited = extract("epoch", func.now() - func.min(price_changes.c.proposed_at))
    held, held_oldest = conn.execute(select(func.count(), waited).where(
        price_changes.c.status == "held")).one()
    not_closed = select(incidents.c.id).where(incidents.c.status != "closed")
    return MetricsReading(
        jobs=jobs, oldest_due_seconds=oldest, workers_alive=len(taken), queue_workers=served,
        outbox={(status, channel): int(n) for status, channel, n in conn.execute(
            select(outbox.c.status, outbox.c.channel, func.count())
            .group_by(outbox.c.status, outbox.c.channel))},
        incidents={status: int(n) for status, n in conn.execute(
            select(incidents.c.status, func.count()).group_by(incidents.c.status))},
        open_cases={status: int(n) for status, n in conn.execute(
            select(cases.c.status, func.count()).where(cases.c.incident_id.in_(not_closed))
            .group_by(cases.c.status))},
        held_price_changes=int(held), held_oldest_seconds=max(0.0, float(held_oldest or 0.0)))


def _oldest_due(conn: Connection) -> dict[str, float]:
    """Per queue, how long its oldest due ``todo`` job has waited: since its scheduled time,
    or since it was deferred (procrastinate's ``deferred`` event) for one run as soon as
    possible."""
    deferred = (select(func.min(_events.c.at)).where(_events.c.job_id == _jobs.c.id,
                                                     _events.c.type == "deferred")
                .scalar_subquery())
    due_since = func.coalesce(_jobs.c.scheduled_at, deferred)
    rows = conn.execute(
        select(_jobs.c.queue_name, extract("epoch", func.now() - func.min(due_since)))
        .where(_jobs.c.status == "todo",
               or_(_jobs.c.scheduled_at.is_(None), _jobs.c.scheduled_at <= func.now()))
        .group_by(_jobs.c.queue_name))
    return {queue: max(0.0, float(age or 0.0)) for queue, age in rows}
