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
  unregister is pruned by the next worker as a stalled one. A job fetch already waiting for a
  connection (it waits ``POOL_WAIT``, and procrastinate's loop waits for it before stopping) is
  cancelled: the job it might have taken stays ``doing`` under this worker's id and is recovered
  as a dead worker's. (A job that was already waiting for a connection to record its outcome
  when the database went away still waits its ``POOL_WAIT``.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from procrastinate import PsycopgConnector, exceptions, jobs
from procrastinate.worker import Worker

from sagwa.adapters.db.database import first_line, is_database_gone

_log = logging.getLogger("sagwa.jobs.worker")

#: Seconds a worker that has lost the database waits for a pooled connection while it stops
#: (its jobs' outcomes, unregistering itself): the pool's usual wait (``jobs.app.POOL_WAIT``) is
#: for a busy pool, not for a database that is gone.
LOST_POOL_WAIT = 1.0

#: What PostgreSQL says when a job is no longer this worker's to finish.
FINISHED_ELSEWHERE = 'Job was not found or not in "doing"'


def finished_elsewhere(exc: BaseException) -> bool:
    """Whether recording a job's outcome was refused because the job had moved on."""
    cause = exc.__cause__ or exc.__context__
    return isinstance(exc, exceptions.ConnectorException) and FINISHED_ELSEWHERE in str(cause)


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


class SagwaWorker(Worker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._side_tasks: list[asyncio.Task[Any]] = []
        self.lost_at: float | None = None  # time.monotonic() when it lost the database
        self._lost = asyncio.Event()

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
            self._lost.set()
            say_database_went_away(exc)

    async def _fetch_and_process_jobs(self) -> None:
        """procrastinate's, given up once the database is known gone (see the module's doc)."""
        fetching = asyncio.create_task(super()._fetch_and_process_jobs())
        lost = asyncio.create_task(self._lost.wait())
        try:
            await asyncio.wait((fetching, lost), return_when=asyncio.FIRST_COMPLETED)
        finally:
            lost.cancel()
            if not fetching.done():
                fetching.cancel()
            # its exception, if any, is the worker's (cancelled: the database is gone)
            with contextlib.suppress(asyncio.CancelledError):
                await fetching

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
            await super()._persist_job_status(job, status, retry_decision, context, job_result)
        except exceptions.ConnectorException as exc:
            if finished_elsewhere(exc):
                _log.warning("job %s (%s) was already finished by another worker (this one "
                             "was presumed dead); its outcome here, %s, is not recorded",
                             job.id, job.call_string, status.value)
            elif is_database_gone(exc):
                _log.warning("job %s (%s): outcome %s not recorded, the database went away "
                             "(%s); the job is recovered once this worker's heartbeat is stale",
                             job.id, job.call_string, status.value,
                             first_line(exc.__cause__ or exc))
            else:
                raise
            if job.id is not None:
                self._job_ids_to_abort.pop(job.id, None)
