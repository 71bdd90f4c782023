"""A periodic job run as a worker runs it, on the test's rolled-back database: its runtime in
the job's context, its coroutine on an event loop of its own, off the test's thread."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.services.desk_policy import DeskPolicy


def run_periodic(job: Any, database: Database, session_factory: sessionmaker[Session],
                 policy: DeskPolicy, **runtime: Any) -> Any:
    """What ``job`` (a procrastinate periodic task) returns for the timestamp 0; ``runtime``:
    ``DeliveryRuntime``'s other settings (``anchors_path``)."""
    db = Database(database.engine, embedded=database.embedded, session_factory=session_factory)
    made = DeliveryRuntime(db, {}, policy, threads=1, **runtime)
    context = SimpleNamespace(additional_context={"delivery": made})
    try:
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, job.func(context, 0)).result()
    finally:
        made._executor.shutdown()
