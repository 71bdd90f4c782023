"""Run a procrastinate worker for sagwa, in the foreground (``sagwa worker``) or in a thread.

Besides running jobs, every worker recovers jobs left ``doing`` by a worker that died (killed,
machine lost): a worker that has not sent its heartbeat for ``stalled_after`` seconds is
presumed dead and its jobs on the message queue are put back to ``todo``. The delivery service
then finds their messages' leases free and sends them again, same idempotency key.

SIGTERM or SIGINT stops a foreground worker gracefully: it takes no new job and waits for the
running ones; a second signal stops it at once.

A database outage does not stop it: ``jobs/supervisor.py`` waits for the database and starts a
new procrastinate worker (one WARNING line when it goes, one when it is back); still gone after
``give_up_after`` seconds, ``sagwa worker`` exits with status 1 and an
``error (database_unavailable)`` line, so a service manager restarts it.

A delivery job that asks to run later (:class:`~sagwa.jobs.tasks.DeliverLater`: a temporary
failure, a message not due yet) is routine: procrastinate's line for it is kept to one line with
the reason (:class:`OneLineRetries`); a traceback is left only on unexpected errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from procrastinate import App
from procrastinate.worker import Worker
from sqlalchemy.engine import URL

from sagwa.adapters.db.database import is_database_gone
from sagwa.config import Settings
from sagwa.errors import SagwaError
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.jobs.sagwa_worker import LOST_POOL_WAIT, SagwaWorker, cancel_within
from sagwa.jobs.supervisor import WorkerSupervisor, quiet_outage_lines
from sagwa.jobs.tasks import DeliverLater

_log = logging.getLogger(__name__)
#: procrastinate's logger of job outcomes (its ``worker`` module's).
PROCRASTINATE_WORKER_LOGGER = "procrastinate.worker"


class OneLineRetries(logging.Filter):
    """Turn procrastinate's "ended with status: Error, to retry" + traceback of a
    :class:`DeliverLater` into one line that says why and when (it is no error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, DeliverLater):
            record.msg, record.args = f"{record.getMessage()} — {exc}", ()
            record.exc_info, record.exc_text = None, None
        return True


def quiet_routine_retries() -> None:
    """Install :class:`OneLineRetries` on procrastinate's worker logger (once)."""
    logger = logging.getLogger(PROCRASTINATE_WORKER_LOGGER)
    if not any(isinstance(f, OneLineRetries) for f in logger.filters):
        logger.addFilter(OneLineRetries())


@dataclass(frozen=True, kw_only=True)
class WorkerOptions:
    concurrency: int = 4
    queues: tuple[str, ...] | None = None  # None: every queue
    one_shot: bool = False                 # stop once no job is ready
    name: str | None = None
    heartbeat_every: float = 2.0
    stalled_after: float = 10.0
    graceful_timeout: float = 30.0
    give_up_after: float = 600.0  # the database gone this long: stop, exit status non-zero


async def run_worker_async(settings: Settings, options: WorkerOptions, *,
                           install_signal_handlers: bool = True,
                           on_started: Callable[[WorkerSupervisor], None] | None = None) -> None:
    """Run until stopped (a signal, ``WorkerSupervisor.stop()``), or until idle with
    ``one_shot``; through a database outage (``jobs/supervisor.py``)."""
    app.perform_import_paths()  # type: ignore[no-untyped-call]  # tasks are found by name
    quiet_routine_retries()
    quiet_outage_lines()
    runtime = DeliveryRuntime.from_settings(settings, threads=options.concurrency)
    try:
        connector = connector_for(runtime.database.engine.url,
                                  max_size=max(4, options.concurrency + 3))
        with app.replace_connector(connector):
            async with app.open_async():
                supervisor = WorkerSupervisor(
                    lambda: _new_worker(runtime, options, install_signal_handlers=False),
                    lambda worker: _run_with_recovery(worker, options, supervisor, on_started),
                    lambda: _probe(runtime.database.engine.url),
                    give_up_after=options.give_up_after, sends=runtime.in_flight,
                    database_back=runtime.forget_connections)
                runtime.on_fatal = supervisor.fail
                await supervisor.run(install_signal_handlers=install_signal_handlers)
    finally:
        runtime.close()


def _new_worker(runtime: DeliveryRuntime, options: WorkerOptions, *,
                install_signal_handlers: bool) -> SagwaWorker:
    return SagwaWorker(
        app=app, name=options.name,
        queues=list(options.queues) if options.queues else None,
        concurrency=options.concurrency, wait=not options.one_shot,
        install_signal_handlers=install_signal_handlers,
        additional_context={"delivery": runtime},
        update_heartbeat_interval=options.heartbeat_every,
        stalled_worker_timeout=options.stalled_after,
        shutdown_graceful_timeout=options.graceful_timeout)


async def _probe(url: URL) -> None:
    """One short connection of its own (the pool would wait up to 30 s for one)."""
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    async with await psycopg.AsyncConnection.connect(conninfo, connect_timeout=5) as conn:
        await conn.execute("SELECT 1")


async def _run_with_recovery(worker: Worker, options: WorkerOptions,
                             supervisor: WorkerSupervisor,
                             on_started: Callable[[WorkerSupervisor], None] | None) -> None:
    await recover_stalled_jobs(app, options.stalled_after)
    recovery = None
    if not options.one_shot:
        recovery = asyncio.create_task(_keep_recovering(app, options.stalled_after))
    run = asyncio.create_task(worker.run(), name="sagwa worker")  # type: ignore[no-untyped-call]
    await asyncio.sleep(0)  # let run() begin: it forgets stop requests made before it starts
    if supervisor.stopping:
        worker.stop()
    if on_started is not None:
        on_started(supervisor)
    try:
        await run
    finally:
        if recovery is not None:
            # cancelled once, as any task; if it has not ended after LOST_POOL_WAIT (a lost
            # cancellation, its query waiting POOL_WAIT for a connection of a gone database),
            # again until it does, within a bound
            recovery.cancel()
            await asyncio.wait((recovery,), timeout=LOST_POOL_WAIT)
            await cancel_within(recovery, LOST_POOL_WAIT)


async def recover_stalled_jobs(app: App, stalled_after: float) -> int:
    """Put back to ``todo`` the jobs of workers silent for ``stalled_after`` s, on every queue:
    a deadline, reminder, escalation, promotion end or anchor a killed worker was running would
    otherwise stay ``doing`` for good (each runs in one transaction, rolled back with the
    worker, and is retried on failure anyway: running it again is safe; a message is claimed
    in the outbox, which keeps a second send within its window out)."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
    recovered = 0
    for job in stalled:
        try:
            await app.job_manager.retry_job(job)
            recovered += 1
        except Exception:  # noqa: BLE001 — most likely another worker recovered it first
            _log.debug("job %s was recovered elsewhere", job.id, exc_info=True)
    if recovered:
        _log.warning("recovered %d job(s) from dead workers", recovered)
    return recovered


async def _keep_recovering(app: App, stalled_after: float) -> None:
    while True:
        await asyncio.sleep(max(1.0, stalled_after / 4))
        try:
            await recover_stalled_jobs(app, stalled_after)
        except Exception as exc:  # noqa: BLE001 — a lost connection must not stop the worker
            if is_database_gone(exc):  # the supervisor says so once (jobs/supervisor.py)
                _log.debug("recovering stalled jobs failed: the database is gone")
            else:
                _log.exception("recovering stalled jobs failed; trying again later")


def run_worker(settings: Settings, options: WorkerOptions, *,
               on_started: Callable[[WorkerSupervisor], None] | None = None) -> None:
    """Run a worker in the foreground (the ``sagwa worker`` command); ``on_started`` each time
    a worker has started (again after an outage)."""
    asyncio.run(run_worker_async(settings, options, on_started=on_started))


class BackgroundWorker:
    """A worker on its own thread and event loop, for ``sagwa serve``; ``stop()`` ends it.
    It rides out a database outage as ``sagwa worker`` does; ``state`` says whether it runs
    (``running``, ``reconnecting``) or has stopped for good (``stopped``), for ``/healthz``."""

    def __init__(self, settings: Settings, options: WorkerOptions) -> None:
        self._settings, self._options = settings, options
        self._supervisor: WorkerSupervisor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="sagwa-worker", daemon=True)

    def start(self, timeout: float = 60.0) -> BackgroundWorker:
        self._thread.start()
        if not self._started.wait(timeout):
            raise TimeoutError("the background worker did not start in time")
        if self._error is not None:
            raise self._error
        _IN_PROCESS.add(self)
        return self

    def stop(self, timeout: float = 60.0) -> None:
        _IN_PROCESS.discard(self)  # stopped on purpose: no longer this process's worker
        if self._supervisor is not None and self._loop is not None and self._thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop may have just closed
                self._loop.call_soon_threadsafe(self._supervisor.stop)
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def state(self) -> str:
        if not self._thread.is_alive() or self._supervisor is None:
            return "stopped"
        return self._supervisor.state

    def _main(self) -> None:
        try:
            asyncio.run(run_worker_async(self._settings, self._options,
                                         install_signal_handlers=False,
                                         on_started=self._on_started))
        except BaseException as exc:  # noqa: BLE001 — reported by start() or logged
            self._error = exc
            if self._started.is_set():
                _log.error("the in-process worker stopped: %s; messages are not sent until "
                           "sagwa serve is restarted (or a sagwa worker runs)", exc,
                           exc_info=not isinstance(exc, SagwaError))
        finally:
            self._started.set()

    def _on_started(self, supervisor: WorkerSupervisor) -> None:
        self._supervisor = supervisor
        self._loop = asyncio.get_running_loop()
        self._started.set()


#: This process's in-process workers (``sagwa serve``), for ``/healthz``.
_IN_PROCESS: weakref.WeakSet[BackgroundWorker] = weakref.WeakSet()


def in_process_worker_state() -> str:
    """``separate`` when no worker runs in this process (messages are a ``sagwa worker``'s
    job), else its state: ``running``, ``reconnecting`` or ``stopped`` (for good)."""
    states = {worker.state for worker in list(_IN_PROCESS)}
    for state in ("stopped", "reconnecting", "running", "starting"):
        if state in states:
            return "running" if state == "starting" else state
    return "separate"


def run_worker_in_background(settings: Settings,
                             options: WorkerOptions | None = None) -> BackgroundWorker:
    """Start one worker inside this process (``sagwa serve``); call ``.stop()`` on shutdown."""
    return BackgroundWorker(settings, options or WorkerOptions(concurrency=2)).start()
