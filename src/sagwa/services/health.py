"""What ``/healthz`` answers: whether the database answers a short query, and how the outbox is
doing (messages failed for good, messages overdue) — one cheap query for both."""

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


def check_health(uow_factory: Callable[[], SqlAlchemyUnitOfWork],
                 database: str) -> tuple[dict[str, Any], bool]:
    """(the body of ``/healthz``, healthy?). ``database`` describes the database when it
    answers; when it does not, ``database`` is ``"unreachable"`` and ``database_at`` says
    which one."""
    try:
        with uow_factory() as uow:
            counts = uow.outbox.health_counts(uow.now(), overdue_after=OVERDUE_AFTER,
                                              timeout_ms=TIMEOUT_MS)
    except (SQLAlchemyError, SagwaError, OSError):
        return {"status": "unavailable", "database": UNREACHABLE, "database_at": database}, False
    return {"status": "ok", "database": database, **counts}, True
