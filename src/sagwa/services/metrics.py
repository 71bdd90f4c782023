"""What ``/metrics`` tells a monitoring system (Prometheus and the like), as metric families:
the job queues (jobs per queue and status, how long the oldest due job has waited), the live
workers per queue, the outbox (messages per status and channel, failed for good, overdue), the
incidents and their open cases, the price changes held for review, and this process (its
version, its in-process worker's state, whether the database answered).

``/healthz`` answers "can this host serve?" for a load balancer; this answers "how is it
going?" over time, for graphs and alerts: a queue whose oldest job has waited minutes while
its workers are alive (a stuck job, too few workers), a growing review queue, messages
overdue. One reading, in one short transaction; nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from sagwa import __version__
from sagwa.adapters.db.database import is_database_gone
from sagwa.adapters.db.metrics_reads import WORKING_STATUSES, MetricsReading
from sagwa.adapters.senders.no_sms import NOT_SENT
from sagwa.domain.incidents import CaseStatus, IncidentStatus
from sagwa.errors import DatabaseUnavailable, SagwaError
from sagwa.services.health import OVERDUE_AFTER, WORKERS_ALIVE_WITHIN
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

Labels = tuple[tuple[str, str], ...]

#: The in-process worker's states (``jobs.worker.in_process_worker_state``), each a sample.
WORKER_STATES = ("separate", "running", "reconnecting", "stopped")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "withdrawn")
CHANNELS = ("email", "sms")


@dataclass(frozen=True)
class Family:
    """One metric: its name, what it is (``HELP``), ``gauge`` or ``info``-style gauge, and
    its samples (labels, value)."""

    name: str
    help: str
    samples: list[tuple[Labels, float]] = field(default_factory=list)
    kind: str = "gauge"


def collect_metrics(uow_factory: Callable[[], SqlAlchemyUnitOfWork], *, worker_state: str,
                    queues: Sequence[str]) -> list[Family]:
    """The families, in a fixed order. The database not answering gives
    ``sagwa_database_up 0`` and this process's families only."""
    families = [
        Family("sagwa_build_info", "sagwa's version on this host.",
               [((("version", __version__),), 1.0)]),
        Family("sagwa_in_process_worker", "This process's own job worker (sagwa serve): 1 for "
               "its state; 'separate' when sagwa worker processes run the jobs.",
               [((("state", state),), 1.0 if state == worker_state else 0.0)
                for state in WORKER_STATES]),
    ]
    try:
        with uow_factory() as uow:
            reading = uow.metrics.reading(queues=queues, alive_within=WORKERS_ALIVE_WITHIN)
            health = uow.outbox.health_counts(uow.now(), overdue_after=OVERDUE_AFTER,
                                              by_design=(NOT_SENT,))
    except (SQLAlchemyError, SagwaError, OSError) as exc:
        # a query's own error (a bug, a statement timeout) is an error, not a database down
        if not (is_database_gone(exc) or isinstance(exc, DatabaseUnavailable | OSError)):
            raise
        return [*families, _database_up(False)]
    return [*families, _database_up(True), *_database_families(reading, health, queues)]


def _database_up(answered: bool) -> Family:
    return Family("sagwa_database_up", "Whether the database answered.",
                  [((), 1.0 if answered else 0.0)])


def _database_families(reading: MetricsReading, health: dict[str, int],
                       queues: Sequence[str]) -> list[Family]:
    case_statuses = [s.value for s in CaseStatus] + sorted(
        set(reading.open_cases) - {s.value for s in CaseStatus})
    job_queues = list(queues) + sorted({q for q, _s in reading.jobs if q not in queues})
    return [
        Family("sagwa_jobs", "Jobs waiting (todo: due or scheduled later) or running (doing), "
               "per queue.",
               [((("queue", q), ("status", s)), float(reading.jobs.get((q, s), 0)))
                for q in job_queues for s in WORKING_STATUSES]),
        Family("sagwa_job_oldest_due_seconds", "How long the oldest job due to run has waited "
               "on each queue (0 with none): rising while workers are alive means a stuck job "
               "or too few workers.",
               [((("queue", q),), reading.oldest_due_seconds.get(q, 0.0)) for q in job_queues]),
        Family("sagwa_workers_alive", "Job workers that sent a heartbeat in the last "
               f"{WORKERS_ALIVE_WITHIN.total_seconds():.0f} s.",
               [((), float(reading.workers_alive))]),
        Family("sagwa_queue_workers", "Live job workers taking each queue (0: its jobs are "
               "not run).",
               [((("queue", q),), float(reading.queue_workers.get(q, 0))) for q in queues]),
        Family("sagwa_outbox_messages", "Messages to customers and sellers, per status and "
               "channel.",
               [((("status", s), ("channel", c)), float(reading.outbox.get((s, c), 0)))
                for s in OUTBOX_STATUSES for c in CHANNELS]),
        Family("sagwa_outbox_failed", "Messages failed for good (not texts left unsent by "
               "design: no SMS provider configured).",
               [((), float(health["outbox_failed"]))]),
        Family("sagwa_outbox_overdue", "Messages waiting more than "
               f"{OVERDUE_AFTER.total_seconds() / 60:.0f} minutes past their send time.",
               [((), float(health["outbox_overdue"]))]),
        Family("sagwa_incidents", "Incidents, per status.",
               [((("status", s),), float(reading.incidents.get(s, 0)))
                for s in (status.value for status in IncidentStatus)]),
        Family("sagwa_open_cases", "Customers' cases of incidents not closed, per status.",
               [((("status", s),), float(reading.open_cases.get(s, 0))) for s in case_statuses]),
        Family("sagwa_price_changes_held", "Price changes the guard held, waiting for a "
               "reviewer.", [((), float(reading.held_price_changes))]),
        Family("sagwa_price_changes_held_oldest_seconds", "How long the oldest held price "
               "change has waited for a reviewer (0 with none).",
               [((), reading.held_oldest_seconds)]),
    ]
