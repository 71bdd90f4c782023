"""procrastinate's ``Worker`` with two changes sagwa needs (written against procrastinate 3.10).

- **A job finished elsewhere.** A worker paused long enough (SIGSTOP, a frozen VM) is presumed
  dead: its jobs are put back to ``todo`` (``worker.recover_stalled_jobs``) and another worker
  runs them. When the paused one wakes up and records its own outcome, procrastinate's
  ``finish_job`` refuses ("Job was not found or not in "doing" or "todo" status"), and the
  exception ends the job's asyncio task, which nobody awaits: asyncio logged it at garbage
  collection as "Task exception was never retrieved" with two tracebacks. Nothing is lost (the
  delivery said ``already_done``), so it is one WARNING line here.
- **The database gone while recording an outcome.** Likewise one WARNING line: the job stays
  ``doing`` under this worker's id, whose heartbeat stops, and it is recovered as above once
  the worker restarts (``jobs/supervisor.py``).

One WARNING line says when the database went away (:func:`say_database_went_away`);
:class:`OutageLines` leaves out the lines that would repeat it.

``side_task_failure`` says whether the worker stopped because one of its side tasks (the
heartbeat, the LISTEN connection) failed rather than because it was asked to.

- **A lost database ends the worker in about a second**, not after the pool's wait: the last
  thing procrastinate does when a worker stops is unregister it, a query that waited
  ``POOL_WAIT`` (10 s) for a connection the gone database could not give, so the supervisor
  began asking for the database, and a worker resumed, only that much later. Once the worker
  knows the database is gone, its last queries wait ``LOST_POOL_WAIT``; the row it could not
  unregister is pruned by the next worker as a stalled one. A query already waiting for a
  connection (a job fetch, a job's outcome: it would wait ``POOL_WAIT``, and procrastinate's
  loop waits for it before stopping) is cancelled then: a job the fetch might have taken, and
  a job whose outcome was not recorded, stay ``doing`` under this worker's id and are recovered
  as a dead worker's (a delivery run again finds its message sent, or sends it again with the
  same idempotency key).
- **Which queues it takes.** Once registered, it writes its queues, host and process id in
  ``worker_queues`` (procrastinate's own row holds none), so ``/healthz?require=queues`` can
  tell a queue nobody takes (``adapters/db/worker_heartbeats.workers_seen``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from procrastinate import PsycopgConnector, exceptions, jobs
from procrastinate.worker import Worker

from sagwa.adapters.db.database import first_line, is_database_gone

_log = logging.getLogger("sagwa.jobs.worker")

#: Seconds a worker that has lost the database waits for a pooled connection while it stops
#: (its jobs' outcomes, unregistering itself): the pool's usual wait (``jobs.app.POOL_WAIT``) is
#: for a busy pool, not for a database that is gone.
LOST_POOL_WAIT = 1.0

T = TypeVar("T")


#: How often :func:`cancel_within` cancels again a task that has not ended.
CANCEL_AGAIN_EVERY = 0.1


async def cancel_within(task: asyncio.Task[Any], seconds: float) -> None:
    """Cancel ``task`` and wait up to ``seconds`` for it to end, cancelling it again every
    :data:`CANCEL_AGAIN_EVERY` s: a cancellation can be lost (on Python 3.11,
    ``asyncio.wait_for`` — under the pool's wait for a connection — drops one that lands as
    its wait ends), and the task then went on to wait ``POOL_WAIT`` for a connection the gone
    database could not give, the stopping worker waiting with it. A task still running after
    ``seconds`` is left to end on its own (said at WARNING; a reference kept until it ends);
    an error it ends with is taken (not "never retrieved") and logged unless it says the
    database is gone. Never raises the task's exception. For a worker that lost its database,
    or after one cancellation had its time: on a healthy one, a second cancellation interrupts
    psycopg's cancelling of the query on the server, which then drops the connection."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    while not task.done():
        left = until - loop.time()
        if left <= 0:
            _log.warning("%s did not end %.1f s after it was cancelled; left to end on its own",
                         task.get_name(), seconds)
            _LEFT.add(task)
            task.add_done_callback(_take_outcome)
            return
        task.cancel()
        await asyncio.wait((task,), timeout=min(CANCEL_AGAIN_EVERY, left))
    _take_outcome(task)


#: Tasks :func:`cancel_within` left to end on their own, kept until they do.
_LEFT: set[asyncio.Task[Any]] = set()


def _take_outcome(task: asyncio.Task[Any]) -> None:
    _LEFT.discard(task)
    if task.cancelled():
        return
    exc = task.exception()
    if exc is not None and not is_database_gone(exc) and not isinstance(exc, DatabaseLost):
        _log.warning("%s ended with an error after it was cancelled: %s", task.get_name(),
                     first_line(exc))


class DatabaseLost(Exception):
    """A query given up because the worker was told the database is gone."""


#: What PostgreSQL says when a job is no longer this worker's to finish, or to put back for
#: a retry (procrastinate's ``procrastinate_finish_job`` and ``procrastinate_retry_job``).
FINISHED_ELSEWHERE = ('Job was not found or not in "doing"',
                      "Job was not found or has an invalid status to retry")


def finished_elsewhere(exc: BaseException) -> bool:
    """Whether recording a job's outcome was refused because the job had moved on."""
    cause = str(exc.__cause__ or exc.__context__)
    return (isinstance(exc, exceptions.ConnectorException)
            and any(said in cause for said in FINISHED_ELSEWHERE))


def say_database_went_away(exc: BaseException) -> None:
    """The one WARNING line of an outage's start; the pool's warnings are left out until the
    database is back (:class:`OutageLines`)."""
    quiet_outage_lines().waiting = True
    _log.warning("the database went away (%s); worker paused, reconnecting",
                 first_line(exc.__cause__ or exc))


class OutageLines(logging.Filter):
    """Leave out lines that repeat what the worker says once: procrastinate's "Side task …
    failed" / "listener error" tracebacks for a database gone, and, during an outage,
    psycopg's warnings (the pool's "error connecting", one a second)."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting = False

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and is_database_gone(exc) and record.name.startswith("procrastinate"):
            return False
        # the pool's "error connecting", psycopg's "query cancellation failed"
        return not (self.waiting and record.name in _FILTERED[2:])


_OUTAGE_LINES = OutageLines()
_FILTERED = ("procrastinate.worker", "procrastinate.utils", "psycopg.pool", "psycopg")


def quiet_outage_lines() -> OutageLines:
    """Install :class:`OutageLines` on the loggers it filters (once); return it."""
    for name in _FILTERED:
        logger = logging.getLogger(name)
        if _OUTAGE_LINES not in logger.filters:
            logger.addFilter(_OUTAGE_LINES)
    return _OUTAGE_LINES


#: Rows of workers procrastinate no longer knows (stopped, or pruned as stalled) go first.
_FORGET_GONE_WORKERS = ("DELETE FROM worker_queues WHERE worker_id NOT IN "
                        "(SELECT id FROM procrastinate_workers)")
_SAY_QUEUES = ("INSERT INTO worker_queues (worker_id, queues, host, pid) "
               "VALUES (%(worker_id)s, %(queues)s, %(host)s, %(pid)s) "
               "ON CONFLICT (worker_id) DO UPDATE SET queues = EXCLUDED.queues, "
               "host = EXCLUDED.host, pid = EXCLUDED.pid, started_at = now()")


class SagwaWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._side_tasks: list[asyncio.Task[Any]] = []
        self.lost_at: float | None = None  # time.monotonic() when it lost the database
        self._lost = asyncio.Event()
        self._lost_because = ""  # the first line of what told it

    async def _run_loop(self) -> None:
        await self._say_queues()
        await super()._run_loop()

    async def _say_queues(self) -> None:
        """Write which queues this worker takes (None: every queue) beside its id. Not written
        (procrastinate's in-memory connector; a failure, said once at WARNING), the worker
        counts as taking every queue: it still runs its jobs."""
        connector = self.app.connector
        if not isinstance(connector, PsycopgConnector) or self.worker_id is None:
            return
        try:
            await connector.execute_query_async(_FORGET_GONE_WORKERS)
            await connector.execute_query_async(
                _SAY_QUEUES, worker_id=self.worker_id,
                queues=list(self.queues) if self.queues else None,
                host=socket.gethostname(), pid=os.getpid())
        except Exception as exc:  # noqa: BLE001 - said, and the worker runs on
            _log.warning("could not write which queues this worker takes (%s); /healthz counts "
                         "it as taking every queue", first_line(exc))

    def _start_side_tasks(self) -> list[asyncio.Task[Any]]:
        self._side_tasks = super()._start_side_tasks()
        for task in self._side_tasks:
            task.add_done_callback(self._note_failure)
        return self._side_tasks

    def _note_failure(self, task: asyncio.Task[Any]) -> None:
        if self.lost_at is not None or task.cancelled():
            return
        exc = task.exception()
        if exc is not None and is_database_gone(exc):
            self.lost_at = time.monotonic()  # the worker may take a while to stop after it
            self._lost_because = first_line(exc.__cause__ or exc)
            self._lost.set()
            say_database_went_away(exc)

    async def _fetch_and_process_jobs(self) -> None:
        """procrastinate's, given up once the database is known gone (see the module's doc)."""
        with contextlib.suppress(DatabaseLost):
            await self._unless_lost(super()._fetch_and_process_jobs())

    async def _unless_lost(self, work: Coroutine[Any, Any, T]) -> T:
        """``work``'s result; once the worker is told the database is gone, ``work`` is
        cancelled and :class:`DatabaseLost` raised (a query waiting for a pooled connection
        would wait ``POOL_WAIT`` for one)."""
        task = asyncio.create_task(work)
        lost = asyncio.create_task(self._lost.wait())
        gave_up = False
        try:
            await asyncio.wait((task, lost), return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            if not task.done():
                gave_up = True
                await cancel_within(task, LOST_POOL_WAIT)
        if gave_up:
            ended = task.exception() if task.done() and not task.cancelled() else None
            if ended is not None and not is_database_gone(ended):
                raise ended  # its own error, raised as it ended (a job finished elsewhere)
            raise DatabaseLost(self._lost_because)
        return task.result()

    async def _shutdown(self, side_tasks: list[asyncio.Task[Any]]) -> None:
        connector = self.app.connector
        if self.lost_at is None or not isinstance(connector, PsycopgConnector):
            await super()._shutdown(side_tasks)
            return
        pool = connector.pool
        usual, pool.timeout = pool.timeout, LOST_POOL_WAIT
        try:
            await super()._shutdown(side_tasks)
        finally:
            pool.timeout = usual

    @property
    def side_task_failure(self) -> BaseException | None:
        """The exception of the first side task that failed (and so stopped the worker)."""
        for task in self._side_tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return task.exception()
        return None

    async def _persist_job_status(self, job: jobs.Job, status: jobs.Status,
                                  retry_decision: Any, context: Any, job_result: Any) -> None:
        try:
            await self._unless_lost(super()._persist_job_status(
                job, status, retry_decision, context, job_result))
        except (DatabaseLost, exceptions.ConnectorException) as exc:
            if finished_elsewhere(exc):
                _log.warning("job %s (%s) was already finished by another worker (this one "
                             "was presumed dead); its outcome here, %s, is not recorded",
                             job.id, job.call_string, status.value)
            elif isinstance(exc, DatabaseLost) or is_database_gone(exc):
                _log.warning("job %s (%s): outcome %s not recorded, the database went away "
                             "(%s); the job is recovered once this worker's heartbeat is stale",
                             job.id, job.call_string, status.value,
                             exc if isinstance(exc, DatabaseLost)
                             else first_line(exc.__cause__ or exc))
            else:
                raise
            if job.id is not None:
                self._job_ids_to_abort.pop(job.id, None)
