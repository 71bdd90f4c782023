"""A worker told the database is gone does not wait for a query already waiting for a pooled
connection — a job fetch, a job's outcome: such a wait lasts the pool's ``POOL_WAIT`` (10 s),
and procrastinate's loop waits for it before stopping, so the worker stopped, and the supervisor
asked for the database, that much later (seen in CI: 11.5 s from "the database went away" to
"stopped" with ``give_up_after`` 1 s)."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import psycopg
import pytest
from procrastinate import App, testing

from sagwa.jobs.sagwa_worker import SagwaWorker
from sagwa.testing.own_thread import run_async

GONE = psycopg.OperationalError("server closed the connection unexpectedly")
STUCK = 30.0  # how long the stuck query would wait


def _worker(*, stuck: str) -> tuple[SagwaWorker, list[str]]:
    """A worker on an in-memory database whose ``stuck`` query ("fetch_job" or "finish_job")
    hangs as if waiting for a pooled connection; once it does, the heartbeat's connection dies."""
    app = App(connector=testing.InMemoryConnector())

    @app.periodic(cron="0 4 * * *")  # as sagwa's: the periodic deferrer runs until stopped
    @app.task(name="nightly")
    def nightly(timestamp: int) -> None: ...

    @app.task(name="deliver", queue="messages")
    def deliver() -> None: ...

    waiting = asyncio.Event()
    seen: list[str] = []

    async def hang(**_: Any) -> None:
        waiting.set()
        try:
            await asyncio.sleep(STUCK)
        except asyncio.CancelledError:
            seen.append(f"{stuck} cancelled")
            raise

    async def update_heartbeat(_worker_id: int) -> None:
        await waiting.wait()
        raise GONE

    setattr(app.job_manager, stuck, hang)
    app.job_manager.update_heartbeat = update_heartbeat  # type: ignore[method-assign]
    # listen_notify off: the in-memory connector's listener returns at once, and procrastinate
    # watches its side tasks only until the first one ends
    worker = SagwaWorker(app=app, wait=True, install_signal_handlers=False, listen_notify=False,
                         update_heartbeat_interval=0.01, fetch_job_polling_interval=0.01)
    return worker, seen


def _run(worker: SagwaWorker, *, a_job: bool = False) -> float:
    async def scenario() -> float:
        async with worker.app.open_async():
            if a_job:  # deferred here: a sync defer refuses a thread whose loop runs
                await worker.app.configure_task("deliver").defer_async()
            started = time.monotonic()
            await asyncio.wait_for(worker.run(), STUCK / 3)  # type: ignore[no-untyped-call]
            return time.monotonic() - started

    return run_async(scenario())


def test_a_worker_told_the_database_is_gone_stops_without_waiting_for_its_fetch() -> None:
    worker, seen = _worker(stuck="fetch_job")

    took = _run(worker)

    assert took < 2.0
    assert worker.lost_at is not None
    assert worker.side_task_failure is GONE
    assert seen == ["fetch_job cancelled"]


def test_nor_for_a_job_outcome_it_could_not_record(caplog: pytest.LogCaptureFixture) -> None:
    worker, seen = _worker(stuck="finish_job")

    with caplog.at_level(logging.WARNING, logger="sagwa.jobs.worker"):
        took = _run(worker, a_job=True)

    assert took < 2.0
    assert seen == ["finish_job cancelled"]
    [line] = [r.getMessage() for r in caplog.records if "not recorded" in r.getMessage()]
    assert line.startswith("job 1 (deliver[1]()): outcome succeeded not recorded, the database "
                           "went away (server closed the connection unexpectedly)"), line
    assert line.endswith("the job is recovered once this worker's heartbeat is stale")
