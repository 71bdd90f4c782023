"""What ``/healthz`` answers: whether the database answers a short query, how the outbox is
doing (messages failed for good, messages overdue) — one cheap query for both — then whether
this process's message worker runs, and whether the database's schema is this code's.

Keys, in order (only ever appended to): ``status``, ``database`` (``database_at`` when it is
unreachable), ``outbox_failed``, ``outbox_overdue``, ``worker``, ``schema``. Healthy (200,
``"status": "ok"``) needs the database to answer, the in-process worker (``sagwa serve``) not
to have stopped for good and the schema to be ``current``; otherwise 503 with ``status``
``unavailable`` (no database) or ``degraded``.

That body is for admins. Anyone else (a load balancer, a monitor) gets :func:`coarse_health`:
the same keys but ``database_at``, with ``database`` saying ``reachable`` or ``unreachable``,
never which database (its host, port and name are for staff): a monitor that reads the outbox
counts or the worker's state keeps reading them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from sagwa.errors import SagwaError
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: A waiting message this long past its ``not_before`` counts as overdue.
OVERDUE_AFTER = timedelta(minutes=15)
#: How long the health query may take before the database counts as unreachable.
TIMEOUT_MS = 2000
UNREACHABLE = "unreachable"
#: ``worker`` when no worker runs in this process (``sagwa worker`` processes deliver).
SEPARATE_WORKER = "separate"


def check_health(uow_factory: Callable[[], SqlAlchemyUnitOfWork], database: str, *,
                 worker: str = SEPARATE_WORKER,
                 schema_state: Callable[[], str] | None = None) -> tuple[dict[str, Any], bool]:
    """(the body of ``/healthz``, healthy?). ``database`` describes the database when it
    answers; when it does not, ``database`` is ``"unreachable"`` and ``database_at`` says
    which one. ``worker``: the in-process worker's state (``running``, ``reconnecting``,
    ``stopped``) or ``separate``; ``schema_state()``: ``current``, ``behind`` or
    ``ahead`` (``unknown`` without it or without a database)."""
    try:
        with uow_factory() as uow:
            counts = uow.outbox.health_counts(uow.now(), overdue_after=OVERDUE_AFTER,
                                              timeout_ms=TIMEOUT_MS)
        schema = schema_state() if schema_state is not None else "unknown"
    except (SQLAlchemyError, SagwaError, OSError):
        return {"status": "unavailable", "database": UNREACHABLE, "database_at": database,
                "worker": worker, "schema": "unknown"}, False
    # "ahead": another host of a newer version migrated first; its migrations add, so this
    # one still serves — failing the check would take a whole fleet out of a rolling deploy
    healthy = worker != "stopped" and schema in ("current", "ahead", "unknown")
    return {"status": "ok" if healthy else "degraded", "database": database, **counts,
            "worker": worker, "schema": schema}, healthy


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
