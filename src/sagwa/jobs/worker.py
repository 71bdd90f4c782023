"""Run a procrastinate worker for sagwa, in the foreground (``sagwa worker``) or in a thread.

Besides running jobs, every worker recovers jobs left ``doing`` by a worker that died (killed,
machine lost): a worker that has not sent its heartbeat for ``stalled_after`` seconds is
presumed dead and its jobs on the message queue are put back to ``todo``. The delivery service
then finds their messages' leases free and sends them again, same idempotency key.

SIGTERM or SIGINT stops a foreground worker gracefully: it takes no new job and waits for the
running ones; a second signal stops it at once.

A delivery job that asks to run later (:class:`~sagwa.jobs.tasks.DeliverLater`: a temporary
failure, a message not due yet) is routine: procrastinate's line for it is kept to one line with
the reason (:class:`OneLineRetries`); a traceback is left only on unexpected errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from procrastinate import App
from procrastinate.worker import Worker

from sagwa.config import Settings
from sagwa.jobs.app import app, connector_for
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.jobs.tasks import DeliverLater
from sagwa.services.outbox import MESSAGE_QUEUE

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


async def run_worker_async(settings: Settings, options: WorkerOptions, *,
                           install_signal_handlers: bool = True,
                           on_started: Callable[[Worker], None] | None = None) -> None:
    """Run until stopped (a signal, ``Worker.stop()``), or until idle with ``one_shot``."""
    app.perform_import_paths()  # type: ignore[no-untyped-call]  # tasks are found by name
    quiet_routine_retries()
    runtime = DeliveryRuntime.from_settings(settings, threads=options.concurrency)
    try:
        connector = connector_for(runtime.database.engine.url,
                                  max_size=max(4, options.concurrency + 3))
        with app.replace_connector(connector):
            async with app.open_async():
                worker = Worker(
                    app=app, name=options.name,
                    queues=list(options.queues) if options.queues else None,
                    concurrency=options.concurrency, wait=not options.one_shot,
                    install_signal_handlers=install_signal_handlers,
                    additional_context={"delivery": runtime},
                    update_heartbeat_interval=options.heartbeat_every,
                    stalled_worker_timeout=options.stalled_after,
                    shutdown_graceful_timeout=options.graceful_timeout)
                await recover_stalled_jobs(app, options.stalled_after)
                await _run_with_recovery(worker, options, on_started)
    finally:
        runtime.close()


async def _run_with_recovery(worker: Worker, options: WorkerOptions,
                             on_started: Callable[[Worker], None] | None) -> None:
    recovery = None
    if not options.one_shot:
        recovery = asyncio.create_task(_keep_recovering(app, options.stalled_after))
    run = asyncio.create_task(worker.run(), name="sagwa worker")  # type: ignore[no-untyped-call]
    await asyncio.sleep(0)  # let run() begin: it forgets stop requests made before it starts
    if on_started is not None:
        on_started(worker)
    try:
        await run
    finally:
        if recovery is not None:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


async def recover_stalled_jobs(app: App, stalled_after: float) -> int:
    """Put back to ``todo`` the message jobs of workers silent for ``stalled_after`` s."""
    stalled = await app.job_manager.get_stalled_jobs(
        queue=MESSAGE_QUEUE, seconds_since_heartbeat=stalled_after)
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
        except Exception:  # noqa: BLE001 — a lost connection must not stop the worker
            _log.exception("recovering stalled jobs failed; trying again later")


def run_worker(settings: Settings, options: WorkerOptions) -> None:
    """Run a worker in the foreground (the ``sagwa worker`` command)."""
    asyncio.run(run_worker_async(settings, options))


class BackgroundWorker:
    """A worker on its own thread and event loop, for ``sagwa serve``; ``stop()`` ends it."""

    def __init__(self, settings: Settings, options: WorkerOptions) -> None:
        self._settings, self._options = settings, options
        self._worker: Worker | None = None
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
        return self

    def stop(self, timeout: float = 60.0) -> None:
        if self._worker is not None and self._loop is not None and self._thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop may have just closed
                self._loop.call_soon_threadsafe(self._worker.stop)
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _main(self) -> None:
        try:
            asyncio.run(run_worker_async(self._settings, self._options,
                                         install_signal_handlers=False,
                                         on_started=self._on_started))
        except BaseException as exc:  # noqa: BLE001 — reported by start() or logged
            self._error = exc
            if self._started.is_set():
                _log.exception("background worker stopped with an error")
        finally:
            self._started.set()

    def _on_started(self, worker: Worker) -> None:
        self._worker = worker
        self._loop = asyncio.get_running_loop()
        self._started.set()


def run_worker_in_background(settings: Settings,
                             options: WorkerOptions | None = None) -> BackgroundWorker:
    """Start one worker inside this process (``sagwa serve``); call ``.stop()`` on shutdown."""
    return BackgroundWorker(settings, options or WorkerOptions(concurrency=2)).start()
