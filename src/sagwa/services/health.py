"""What ``/healthz`` answers: whether the database answers a short query, how the outbox is
doing (messages failed for good, messages overdue) — one cheap query for both — then whether
this process's message worker runs, whether the database's schema is this code's, and how many
job workers anywhere are alive (sent a heartbeat lately).

Keys, in order (only ever appended to): ``status``, ``database`` (``database_at`` when it is
unreachable), ``outbox_failed``, ``outbox_overdue``, ``worker``, ``schema``,
``workers_alive``, ``audit_key``, ``queues_without_worker`` (these three, like the outbox
counts, not in the unreachable body). Healthy (200,
``"status": "ok"``) needs the database to answer, the in-process worker (``sagwa serve``) not
to have stopped for good and the schema to be ``current`` (or ``ahead``): what this host
needs to serve, which a load balancer asks. Otherwise 503 with ``status`` ``unavailable`` (no
database) or ``degraded``.

Whether any worker is alive (``workers_alive``: sent a heartbeat within
:data:`WORKERS_ALIVE_WITHIN`; without one nothing sends customers' messages or runs answer
deadlines, reminders and escalations) is said in every body, and decides the status only when
asked (``require_workers``, ``/healthz?require=workers``), for a monitor; likewise the queues
no live worker takes (``queues_without_worker``: with ``sagwa worker --queue messages`` on one
host and ``--queue desk`` on another, the desk's host down leaves deadlines unrun while workers
are alive), asked with ``?require=queues``. Were either to degrade
every web host, a worker host rebooting would take the whole web tier out of the load balancer
(the desk, customers' pages and the API) and send nothing. The same holds for
``outbox_overdue``: page on it (and a rising ``outbox_failed``) from the body.

That body is for admins. Anyone else (a load balancer, a monitor) gets :func:`coarse_health`:
the same keys but ``database_at``, with ``database`` saying ``reachable`` or ``unreachable``,
never which database (its host, port and name are for staff): a monitor that reads the outbox
counts or the worker's state keeps reading them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from sagwa.adapters.db.worker_heartbeats import WorkersSeen
from sagwa.adapters.senders.no_sms import NOT_SENT
from sagwa.errors import SagwaError
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: A waiting message this long past its ``not_before`` counts as overdue.
OVERDUE_AFTER = timedelta(minutes=15)
#: How long the health query may take before the database counts as unreachable.
TIMEOUT_MS = 2000
UNREACHABLE = "unreachable"
#: ``worker`` when no worker runs in this process (``sagwa worker`` processes deliver).
SEPARATE_WORKER = "separate"
#: A worker whose last heartbeat is older than this is not counted in ``workers_alive``. sagwa's
#: workers beat every 2 s (``WorkerOptions.heartbeat_every``) and presume a worker silent for
#: 10 s dead, taking back its jobs (``WorkerOptions.stalled_after``): the same bound, so
#: ``/healthz`` and the workers agree on who is dead, and a worker may miss four beats (a slow
#: database) before it stops counting.
WORKERS_ALIVE_WITHIN = timedelta(seconds=10)


def check_health(uow_factory: Callable[[], SqlAlchemyUnitOfWork], database: str, *,
                 worker: str = SEPARATE_WORKER,
                 schema_state: Callable[[], str] | None = None,
                 workers: Callable[[timedelta], WorkersSeen] | None = None,
                 require_workers: bool = False,
                 require_queues: bool = False) -> tuple[dict[str, Any], bool]:
    """(the body of ``/healthz``, healthy?). ``database`` describes the database when it
    answers; when it does not, ``database`` is ``"unreachable"`` and ``database_at`` says
    which one. ``worker``: the in-process worker's state (``running``, ``reconnecting``,
    ``stopped``) or ``separate``; ``schema_state()``: ``current``, ``behind`` or
    ``ahead`` (``unknown`` without it or without a database); ``workers(within)``: how many
    workers sent a heartbeat within ``within`` (``workers_alive``, ``None`` in the body
    without it) and the queues none of them takes (``queues_without_worker``, appended to the
    body with it; none while this process's own worker takes them all); ``require_workers``:
    none alive is unhealthy too (a monitor's question, see the module); ``require_queues``:
    any queue without a worker is unhealthy too (``?require=queues``)."""
    try:
        with uow_factory() as uow:
            # a text not sent because no SMS provider is configured is by design, not a
            # failure to page on (an ops walk: SAGWA_SMS_LOG_ONLY made the alert useless)
            counts = uow.outbox.health_counts(uow.now(), overdue_after=OVERDUE_AFTER,
                                              timeout_ms=TIMEOUT_MS, by_design=(NOT_SENT,))
            key = KEY_UNKNOWN if uow.audit.key_refusal() is not None else KEY_CURRENT
        schema = schema_state() if schema_state is not None else "unknown"
        seen = workers(WORKERS_ALIVE_WITHIN) if workers is not None else None
    except (SQLAlchemyError, SagwaError, OSError):
        return {"status": "unavailable", "database": UNREACHABLE, "database_at": database,
                "worker": worker, "schema": "unknown"}, False
    alive = seen.alive if seen is not None else None
    # this process's own worker (running, reconnecting) takes every queue
    unserved = seen.queues_without_worker if seen is not None and worker == SEPARATE_WORKER \
        else []
    # a host left on a retired key refuses every write (409): out of the load balancer
    healthy = _healthy(worker, schema, alive if require_workers else None) and \
        key == KEY_CURRENT and not (require_queues and unserved)
    body = {"status": "ok" if healthy else "degraded", "database": database, **counts,
            "worker": worker, "schema": schema, "workers_alive": alive, "audit_key": key}
    if seen is not None:
        body["queues_without_worker"] = unserved
    return body, healthy


def _healthy(worker: str, schema: str, alive: int | None) -> bool:
    # "ahead": another host of a newer version migrated first; its migrations add, so this
    # one still serves — failing the check would take a whole fleet out of a rolling deploy
    if worker == "stopped" or schema not in ("current", "ahead", "unknown"):
        return False
    # asked (``alive`` given): no worker alive anywhere; this process's own worker (running,
    # reconnecting) answers for itself, not the table
    return worker != SEPARATE_WORKER or alive is None or alive > 0


#: ``audit_key``: this process's key may write the audit log (the newest record's key, or a
#: key it was rotated from), or it may not (rotated on another host: every write refused).
KEY_CURRENT, KEY_UNKNOWN = "current", "unknown"

#: The keys only admins read: which database it is when it does not answer.
STAFF_ONLY_KEYS = ("database_at",)
REACHABLE = "reachable"


def coarse_health(body: dict[str, Any]) -> dict[str, Any]:
    """What ``/healthz`` tells anyone: ``body`` (the full one) in its order, without
    ``database_at``, and ``database`` only ``reachable`` or ``unreachable`` (not the database's
    name and address)."""
    coarse = {key: value for key, value in body.items() if key not in STAFF_ONLY_KEYS}
    coarse["database"] = UNREACHABLE if body.get("database") == UNREACHABLE else REACHABLE
    return coarse
