"""``WorkerSupervisor`` with fake workers and a fake database probe: a worker stopped by a lost
database is followed by a new one once the database answers; asked to stop, nothing follows;
a database gone for too long, or a failure that is not the database, ends it with an error."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from sagwa.errors import DatabaseUnavailable
from sagwa.jobs.supervisor import WorkerSupervisor

GONE = psycopg.OperationalError("connection failed: Connection refused")


class FakeWorker:
    def __init__(self, ends_with: BaseException | None) -> None:
        self.ends_with, self.lost_at, self.side_task_failure = ends_with, None, None
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def _supervisor(endings: list[BaseException | None], probe: Callable[[], Any], *,
                give_up_after: float = 5.0) -> tuple[WorkerSupervisor, list[FakeWorker]]:
    made: list[FakeWorker] = []

    def make() -> FakeWorker:
        made.append(FakeWorker(endings.pop(0) if endings else None))
        return made[-1]

    async def run_one(worker: FakeWorker) -> None:
        await asyncio.sleep(0)
        if worker.ends_with is not None:
            raise worker.ends_with

    async def probe_async() -> None:
        probe()

    return WorkerSupervisor(make, run_one, probe_async,  # type: ignore[arg-type]
                            give_up_after=give_up_after), made


def test_a_worker_that_lost_the_database_is_followed_by_a_new_one(
        caplog: pytest.LogCaptureFixture) -> None:
    answers = iter([GONE, GONE, None])

    def probe() -> None:
        if (answer := next(answers)) is not None:
            raise answer

    supervisor, made = _supervisor([GONE, None], probe)
    with caplog.at_level(logging.WARNING, "sagwa.jobs.worker"):
        asyncio.run(supervisor.run())

    assert len(made) == 2
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2
    assert said[0].startswith("the database went away (connection failed: Connection refused)")
    assert said[1].startswith("the database is back after ")
    assert supervisor.state == "stopped"


def test_a_database_gone_too_long_ends_it_with_database_unavailable() -> None:
    def probe() -> None:
        raise GONE

    supervisor, made = _supervisor([GONE], probe, give_up_after=0.2)
    with pytest.raises(DatabaseUnavailable, match="has not answered for"):
        asyncio.run(supervisor.run())
    assert len(made) == 1


def test_a_failure_that_is_not_the_database_is_not_hidden() -> None:
    supervisor, made = _supervisor([ValueError("a bug")], lambda: None)
    with pytest.raises(ValueError, match="a bug"):
        asyncio.run(supervisor.run())
    assert len(made) == 1


def test_a_stop_while_waiting_for_the_database_ends_it_quietly() -> None:
    def probe() -> None:
        raise GONE

    supervisor, made = _supervisor([GONE], probe, give_up_after=60)

    async def run_and_stop() -> None:
        running = asyncio.create_task(supervisor.run())
        while supervisor.state != "reconnecting":
            await asyncio.sleep(0.01)
        supervisor.stop()
        await asyncio.wait_for(running, 2)

    asyncio.run(run_and_stop())
    assert len(made) == 1 and supervisor.state == "stopped"
