"""Keep a worker going through a database outage: run procrastinate workers one after another.

procrastinate stops a worker as soon as its heartbeat or its LISTEN connection fails, so a
database restart of a few seconds used to end ``sagwa worker`` with exit status 0 (a supervisor
with ``Restart=on-failure`` never restarted it) and the worker inside ``sagwa serve`` for good.
:class:`WorkerSupervisor` sees why the worker stopped. Asked to stop: it returns. The database
gone: one WARNING line ("the database went away …"), then it asks the database again with a
growing pause (0.5 s doubling to 30 s), says "the database is back after N s" and starts a new
worker (``database_back`` first: the runtime drops its pooled connections, which died with the
outage — each would have failed a delivery, retried only 10 s later; a new row in
``procrastinate_workers``; the old row's jobs are recovered as a dead worker's). Still gone after ``give_up_after`` seconds, or any other failure: it raises, and the
command exits non-zero with a clear line.

While it waits, the connection pool's own "error connecting" warnings (one a second) and
procrastinate's tracebacks for the failure already told are left out of the log.

**No second send.** A stopped worker cancels a delivery still running after its graceful
timeout, but not the thread that talks to the mail server (``sends``: the runtime's
:class:`~sagwa.jobs.runtime.SendsInFlight`). The database took that message's lease with it and
the outbox row still says ``sending``: its lease alone no longer tells that the old thread is
still sending it. What keeps a second send away is the claim time — any worker, in this process
or another, leaves a ``sending`` row whose lease is free alone until ``SEND_WINDOW`` has passed
since it was claimed (``outbox_repo``; its job waits until then, ``Outcome.IN_DOUBT``), and
the old thread records the outcome once the database is back. The next worker here also starts
only once those sends have ended (a second guard; the jobs it recovers then find their outcome
recorded rather than wait out the window): one WARNING line when it waits, another if they
still run after ``sends_patience`` seconds (the SMTP timeout and a margin); it keeps waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Sized
from typing import Any

from procrastinate import signals

from sagwa.adapters.db.database import first_line, is_database_gone
from sagwa.errors import DatabaseUnavailable
from sagwa.jobs.sagwa_worker import SagwaWorker, quiet_outage_lines, say_database_went_away

_log = logging.getLogger("sagwa.jobs.worker")

FIRST_PAUSE, LONGEST_PAUSE = 0.5, 30.0
#: A worker that ran this long before the database went away starts over with short pauses.
STEADY_AFTER = 60.0
#: How long a stopped worker's sends may run before a second line says they still do: the SMTP
#: timeout (30 s, ``SmtpSender``) and a margin.
SENDS_PATIENCE = 45.0
#: How often it looks whether they have ended.
SENDS_POLL = 0.1


class WorkerSupervisor:
    """Run ``make_worker()``'s workers until asked to stop; ``state`` is ``starting``,
    ``running``, ``reconnecting`` or ``stopped``."""

    def __init__(self, make_worker: Callable[[], SagwaWorker],
                 run_one: Callable[[SagwaWorker], Awaitable[None]],
                 probe: Callable[[], Awaitable[Any]], *, give_up_after: float,
                 sends: Sized = (), database_back: Callable[[], None] = lambda: None) -> None:
        self._make_worker, self._run_one, self._probe = make_worker, run_one, probe
        # called once the database answers again, before the next worker starts
        self._database_back = database_back
        self._sends = sends  # the stopped workers' deliveries still running in threads
        self.sends_patience = SENDS_PATIENCE
        self._give_up_after = give_up_after
        self._worker: SagwaWorker | None = None
        self._stop = asyncio.Event()
        self._state = "starting"
        self._fatal: BaseException | None = None

    @property
    def state(self) -> str:
        worker = self._worker
        if self._state == "running" and worker is not None and worker.lost_at is not None:
            return "reconnecting"  # stopping after losing the database
        return self._state

    def fail(self, exc: BaseException) -> None:
        """Stop as :meth:`stop` does, then raise ``exc`` from :meth:`run`: this process cannot
        go on (its key is not the audit log's), and a service manager should see it exit."""
        if self._fatal is None:
            self._fatal = exc
        self.stop()

    def stop(self) -> None:
        """Stop the running worker gracefully, or the waiting for the database."""
        self._stop.set()
        if self._worker is not None:
            self._worker.stop()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    async def run(self, *, install_signal_handlers: bool = False) -> None:
        handlers = (signals.on_stop(self.stop) if install_signal_handlers
                    else contextlib.nullcontext())
        try:
            with handlers:
                await self._run()
        finally:
            self._state = "stopped"
        if self._fatal is not None:
            raise self._fatal

    async def _run(self) -> None:
        pause = FIRST_PAUSE
        while not self.stopping:
            started = time.monotonic()
            worker = self._make_worker()
            lost = await self._run_worker(worker)
            if lost is None or self.stopping:
                return
            if worker.lost_at is None:  # not told yet: the worker failed on a query
                say_database_went_away(lost)
            since = worker.lost_at or time.monotonic()
            await self._wait_for_sends()
            if self.stopping:
                return
            if since - started > STEADY_AFTER:
                pause = FIRST_PAUSE
            elif since - started < FIRST_PAUSE:  # lost it again at once: no restarts in a loop
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), pause)
            pause = await self._wait_for_database(since, pause)

    async def _run_worker(self, worker: SagwaWorker) -> BaseException | None:
        """Run one worker; the database failure that stopped it (None: asked to, or idle)."""
        self._worker = worker
        self._state = "running"
        try:
            await self._run_one(worker)
        except Exception as exc:
            if not is_database_gone(exc):
                raise
            return worker.side_task_failure or exc
        finally:
            self._worker = None
        failure = worker.side_task_failure
        if failure is not None and not is_database_gone(failure):
            raise RuntimeError(f"worker stopped: {first_line(failure)}") from failure
        return failure

    async def _wait_for_sends(self) -> None:
        """Wait, as long as it takes (or until asked to stop), for the stopped worker's sends
        still running in threads: their leases went with the database."""
        if not len(self._sends):
            return
        self._state = "reconnecting"
        _log.warning("waiting for %d message send(s) of the stopped worker before starting "
                     "another (their leases went with the database)", len(self._sends))
        late = time.monotonic() + self.sends_patience
        while len(self._sends) and not self.stopping:
            if late is not None and time.monotonic() >= late:
                late = None
                _log.warning("%d message send(s) still running after %.0f s; no new worker "
                             "until they end (it could send them again)", len(self._sends),
                             self.sends_patience)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), SENDS_POLL)

    async def _wait_for_database(self, since: float, pause: float) -> float:
        """Ask the database until it answers; the pause to start from next time."""
        self._state = "reconnecting"
        outage = quiet_outage_lines()
        outage.waiting = True
        try:
            while not await self._answers():
                waited = time.monotonic() - since
                if waited >= self._give_up_after:
                    raise DatabaseUnavailable(
                        f"the database has not answered for {waited:.0f} s; worker stopped")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), pause)
                if self.stopping:
                    return pause
                pause = min(pause * 2, LONGEST_PAUSE)
        finally:
            outage.waiting = False
        self._database_back()
        _log.warning("the database is back after %.1f s; worker resumed",
                     time.monotonic() - since)
        return pause

    async def _answers(self) -> bool:
        try:
            await self._probe()
        except Exception as exc:
            if not is_database_gone(exc):
                raise
            return False
        return True
