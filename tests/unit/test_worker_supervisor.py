"""``WorkerSupervisor`` with fake workers and a fake database probe: a worker stopped by a lost
database is followed by a new one once the database answers; asked to stop, nothing follows;
a database gone for too long, or a failure that is not the database, ends it with an error."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest

from sagwa.errors import DatabaseUnavailable
from sagwa.jobs.runtime import SendsInFlight
from sagwa.jobs.supervisor import WorkerSupervisor
from sagwa.testing.own_thread import run_async

GONE = psycopg.OperationalError("connection failed: Connection refused")


class FakeWorker:
    def __init__(self, ends_with: BaseException | None) -> None:
        self.ends_with, self.lost_at, self.side_task_failure = ends_with, None, None
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


def _supervisor(endings: list[BaseException | None], probe: Callable[[], Any], *,
                give_up_after: float = 5.0, sends: list[str] | None = None,
                made: list[FakeWorker] | None = None,
                database_back: Callable[[], None] | None = None,
                ) -> tuple[WorkerSupervisor, list[FakeWorker]]:
    made = [] if made is None else made

    def make() -> FakeWorker:
        made.append(FakeWorker(endings.pop(0) if endings else None))
        return made[-1]

    async def run_one(worker: FakeWorker) -> None:
        await asyncio.sleep(0)
        if worker.ends_with is not None:
            raise worker.ends_with

    async def probe_async() -> None:
        probe()

    extra: dict[str, Any] = {} if sends is None else {"sends": sends}
    if database_back is not None:
        extra["database_back"] = database_back
    return WorkerSupervisor(make, run_one, probe_async,  # type: ignore[arg-type]
                            give_up_after=give_up_after, **extra), made


def test_a_worker_that_lost_the_database_is_followed_by_a_new_one(
        caplog: pytest.LogCaptureFixture) -> None:
    answers = iter([GONE, GONE, None])

    def probe() -> None:
        if (answer := next(answers)) is not None:
            raise answer

    supervisor, made = _supervisor([GONE, None], probe)
    with caplog.at_level(logging.WARNING, "sagwa.jobs.worker"):
        run_async(supervisor.run())

    assert len(made) == 2
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2
    assert said[0].startswith("the database went away (connection failed: Connection refused)")
    assert said[1].startswith("the database is back after ")
    assert supervisor.state == "stopped"


def test_the_database_back_is_told_once_before_the_next_worker_starts() -> None:
    """The runtime drops its pooled connections then (they died with the outage)."""
    answers = iter([GONE, None])
    told: list[int] = []  # how many workers had been made each time

    def probe() -> None:
        if (answer := next(answers)) is not None:
            raise answer

    made: list[FakeWorker] = []
    supervisor, _ = _supervisor([GONE, None], probe, made=made,
                                database_back=lambda: told.append(len(made)))
    run_async(supervisor.run())
    assert len(made) == 2 and told == [1]


def test_a_database_gone_too_long_ends_it_with_database_unavailable() -> None:
    def probe() -> None:
        raise GONE

    supervisor, made = _supervisor([GONE], probe, give_up_after=0.2)
    with pytest.raises(DatabaseUnavailable, match="has not answered for"):
        run_async(supervisor.run())
    assert len(made) == 1


def test_a_failure_that_is_not_the_database_is_not_hidden() -> None:
    supervisor, made = _supervisor([ValueError("a bug")], lambda: None)
    with pytest.raises(ValueError, match="a bug"):
        run_async(supervisor.run())
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

    run_async(run_and_stop())
    assert len(made) == 1 and supervisor.state == "stopped"


def test_no_new_worker_starts_while_a_send_of_the_stopped_one_still_runs(
        caplog: pytest.LogCaptureFixture) -> None:
    """The database took the message's lease with it; the stopped worker's thread is still
    talking to the mail server. A new worker would recover the job, find the lease free and
    send the message a second time: it starts only once that send has ended."""
    sends = ["message 7"]  # a send still running in the runtime's threads
    made: list[FakeWorker] = []
    supervisor = _with_sends(made, sends, patience=0.1)

    async def run_then_end_the_send() -> None:
        running = asyncio.create_task(supervisor.run())
        # the database answers at once (after the supervisor's 0.5 s pause for a worker
        # that lost it at once); the send goes on
        await asyncio.sleep(1.5)
        assert len(made) == 1, "a new worker started while a send was in flight"
        assert supervisor.state == "reconnecting"
        sends.clear()
        await asyncio.wait_for(running, 2)

    with caplog.at_level(logging.WARNING, "sagwa.jobs.worker"):
        run_async(run_then_end_the_send())

    assert len(made) == 2
    said = [r.getMessage() for r in caplog.records]
    assert said[1].startswith("waiting for 1 message send(s) of the stopped worker")
    assert said[2].startswith("1 message send(s) still running after 0 s;")
    assert said[3].startswith("the database is back after ")
    assert len(said) == 4


def test_a_stop_while_waiting_for_a_send_ends_it_without_a_new_worker() -> None:
    made: list[FakeWorker] = []
    supervisor = _with_sends(made, ["message 7"], patience=60)

    async def run_and_stop() -> None:
        running = asyncio.create_task(supervisor.run())
        await asyncio.sleep(1.0)  # past the 0.5 s pause: waiting for the send
        assert not running.done() and supervisor.state == "reconnecting"
        supervisor.stop()
        await asyncio.wait_for(running, 2)

    run_async(run_and_stop())
    assert len(made) == 1 and supervisor.state == "stopped"


def _with_sends(made: list[FakeWorker], sends: list[str], *,
                patience: float) -> WorkerSupervisor:
    """A supervisor whose first worker loses the database while ``sends`` are in flight."""
    supervisor, _ = _supervisor([GONE, None], lambda: None, give_up_after=60, sends=sends,
                                made=made)
    supervisor.sends_patience = patience
    return supervisor


def test_sends_in_flight_counts_a_send_whose_job_was_cancelled_until_its_thread_ends() -> None:
    """Cancelling the job awaiting a delivery does not stop the thread sending it."""
    release = threading.Event()
    executor = ThreadPoolExecutor(1)
    in_flight = SendsInFlight()

    async def cancel_the_job() -> None:
        job = asyncio.ensure_future(asyncio.wrap_future(
            in_flight.track(executor.submit(release.wait, 5))))
        await asyncio.sleep(0.05)
        job.cancel()
        with pytest.raises(asyncio.CancelledError):
            await job

    try:
        run_async(cancel_the_job())
        assert len(in_flight) == 1
        release.set()
        executor.shutdown(wait=True)
        assert len(in_flight) == 0
    finally:
        release.set()
        executor.shutdown(wait=True)


def test_a_worker_that_cannot_go_on_stops_and_its_supervisor_raises_why() -> None:
    """``fail``: delivery found this process's key is not the audit log's (rotated on another
    host): the worker stops, and ``sagwa worker`` exits 1 with why, as at a refused start."""
    from sagwa.errors import Conflict

    why = Conflict("the database's audit log was written with key …", reason="audit_key_unknown")
    made: list[FakeWorker] = []

    def make() -> FakeWorker:
        made.append(FakeWorker(None))
        return made[-1]

    async def run_one(worker: FakeWorker) -> None:
        supervisor.fail(why)  # as the delivery task does, then the worker stops
        await asyncio.sleep(0)

    async def probe() -> None: ...

    supervisor = WorkerSupervisor(make, run_one, probe, give_up_after=5.0)  # type: ignore[arg-type]
    with pytest.raises(Conflict) as raised:
        run_async(supervisor.run())
    assert raised.value is why
    assert len(made) == 1 and made[0].stopped and supervisor.state == "stopped"


def test_the_delivery_task_refused_for_its_key_tells_the_runtime_and_runs_later() -> None:
    from types import SimpleNamespace

    from sagwa.errors import Conflict
    from sagwa.jobs.tasks import DeliverLater, deliver_message

    why = Conflict("written with another key", reason="audit_key_unknown")
    told: list[BaseException] = []

    class Runtime:
        async def deliver(self, message_id: int) -> None:
            raise why

        def cannot_go_on(self, exc: BaseException) -> None:
            told.append(exc)

    context = SimpleNamespace(additional_context={"delivery": Runtime()})
    with pytest.raises(DeliverLater, match="not sent: this worker's key is not the audit log's"):
        run_async(deliver_message.func(context, 7))
    assert told == [why]

    other = Conflict("another conflict", reason="something_else")
    Runtime.deliver = lambda self, message_id: _raise(other)  # type: ignore[method-assign, assignment]
    with pytest.raises(Conflict, match="another conflict"):
        run_async(deliver_message.func(context, 7))
    assert told == [why]


async def _raise(exc: BaseException) -> None:
    raise exc
