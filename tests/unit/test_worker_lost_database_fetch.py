"""A worker told the database is gone does not wait for a job fetch already waiting for a
connection: procrastinate's run loop awaited the fetch, and a fetch queued on the pool waits the
pool's ``POOL_WAIT`` (10 s) for a connection the gone database cannot give, so the worker
stopped, and the supervisor asked for the database, that much later (seen in CI: 11.5 s from
"the database went away" to "stopped" with ``give_up_after`` 1 s)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import psycopg
from procrastinate import App, testing

from sagwa.jobs.sagwa_worker import SagwaWorker
from sagwa.testing.own_thread import run_async

GONE = psycopg.OperationalError("server closed the connection unexpectedly")
STUCK = 30.0  # how long the fetch would wait


def _worker_with_a_stuck_fetch() -> tuple[SagwaWorker, asyncio.Event, list[str]]:
    app = App(connector=testing.InMemoryConnector())

    @app.periodic(cron="0 4 * * *")  # as sagwa's: the periodic deferrer runs until stopped
    @app.task(name="nightly")
    def nightly(timestamp: int) -> None: ...

    fetching = asyncio.Event()
    seen: list[str] = []

    async def fetch_job(**_: Any) -> None:
        fetching.set()
        try:
            await asyncio.sleep(STUCK)  # waiting for a pooled connection
        except asyncio.CancelledError:
            seen.append("fetch cancelled")
            raise

    async def update_heartbeat(_worker_id: int) -> None:
        await fetching.wait()
        raise GONE  # the heartbeat's connection died

    app.job_manager.fetch_job = fetch_job  # type: ignore[method-assign]
    app.job_manager.update_heartbeat = update_heartbeat  # type: ignore[method-assign]
    # listen_notify off: the in-memory connector's listener returns at once, and procrastinate
    # watches its side tasks only until the first one ends
    worker = SagwaWorker(app=app, wait=True, install_signal_handlers=False, listen_notify=False,
                         update_heartbeat_interval=0.01, fetch_job_polling_interval=0.01)
    return worker, fetching, seen


def test_a_worker_told_the_database_is_gone_stops_without_waiting_for_its_fetch() -> None:
    async def scenario() -> tuple[float, SagwaWorker, list[str]]:
        worker, _fetching, seen = _worker_with_a_stuck_fetch()
        async with worker.app.open_async():
            started = time.monotonic()
            await asyncio.wait_for(worker.run(), STUCK / 3)  # type: ignore[no-untyped-call]
            return time.monotonic() - started, worker, seen

    took, worker, seen = run_async(scenario())

    assert took < 2.0
    assert worker.lost_at is not None
    assert worker.side_task_failure is GONE
    assert seen == ["fetch cancelled"]
