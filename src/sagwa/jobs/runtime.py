"""What a worker process shares across jobs: one engine, the senders, a thread pool, a clock,
and the contact centre's hours (from the desk policy) that delivery checks again before sending
a message that asks a customer to act; and which deliveries are running in its threads
(:class:`SendsInFlight`), which the worker supervisor waits for after a database outage."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from procrastinate import JobContext, RetryStrategy
from sqlalchemy import create_engine

from sagwa.adapters.db.database import (
    Database,
    check_reachable,
    database_url,
    ready_for_writes,
)
from sagwa.adapters.senders import MessageSender, senders_for
from sagwa.config import Settings
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.services.delivery import (
    MAX_ATTEMPTS,
    Outcome,
    attempts_within,
    deliver_message,
    message_due_at,
    message_retry_at,
)
from sagwa.services.desk_policy import DeskPolicy, load_desk_policy
from sagwa.services.unit_of_work import Clock, SqlAlchemyUnitOfWork, utc_now

_T = TypeVar("_T")
_log = logging.getLogger("sagwa.jobs.worker")


class SendsInFlight:
    """The deliveries running in a runtime's threads, counted until their thread is done.

    A job cancelled while awaiting one (a worker stopping after its graceful timeout) does not
    stop the thread: it goes on talking to the mail server, up to its timeouts. The supervisor
    waits for these before it starts another worker (``jobs/supervisor.py``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[Future[Any]] = set()

    def __len__(self) -> int:
        with self._lock:
            return len(self._running)

    def track(self, future: Future[_T]) -> Future[_T]:
        with self._lock:
            self._running.add(future)
        future.add_done_callback(self._forget)  # at once if done: outside the lock
        return future

    def _forget(self, future: Future[Any]) -> None:
        with self._lock:
            self._running.discard(future)


#: How long delivery waits for a new connection to the database: a database that does not
#: answer (a host gone, packets dropped) would otherwise hold a connection attempt for about
#: 2 minutes — the recording of a send's outcome among them, which must land within its
#: ``delivery_outcome.FINISH_WAIT``.
CONNECT_TIMEOUT_SECONDS = 10


def delivery_connect_args() -> dict[str, object]:
    """libpq options of delivery's connections: a bounded connection attempt, and commits that
    do not wait for the WAL flush (see :meth:`DeliveryRuntime.from_settings`)."""
    return {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "options": "-c synchronous_commit=off"}


@dataclass
class DeliveryRuntime:
    database: Database
    senders: dict[str, MessageSender]
    policy: DeskPolicy  # read once per worker: delivery's contact hours, the reminder jobs
    threads: int = 4
    clock: Clock = utc_now
    max_attempts: int = MAX_ATTEMPTS  # temporary failures: SAGWA_DELIVERY_RETRY_HOURS
    anchors_path: Path | None = None  # the audit anchors file (None: the job writes none)
    erase_daily: bool = False  # SAGWA_RETENTION_ERASE_DAILY: the daily retention job erases
    _executor: ThreadPoolExecutor = field(init=False)
    in_flight: SendsInFlight = field(init=False, default_factory=SendsInFlight)
    #: Told (once) when this process cannot go on delivering: its key is not the audit log's
    #: (``WorkerSupervisor.fail``: the worker stops, ``sagwa worker`` exits 1).
    on_fatal: Callable[[BaseException], None] | None = field(default=None, repr=False)
    fatal: BaseException | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="sagwa-deliver")

    @property
    def contact_hours(self) -> ContactSchedule:
        return self.policy.schedule

    @classmethod
    def from_settings(cls, settings: Settings, *, threads: int) -> DeliveryRuntime:
        # Read first: a broken desk policy stops the worker before it touches the database.
        policy = load_desk_policy(settings.desk_policy)
        url, embedded = database_url(settings)
        # Each delivery holds two connections at once: the lease and the claim/mark. No
        # pre-ping (it would double the round trips); a dead pooled connection fails one
        # attempt, which the job retries. Delivery's bookkeeping commits without waiting for
        # the WAL flush (synchronous_commit=off; three commits a message otherwise wait for
        # three fsyncs): a crash of the *database* may forget the last fraction of a second of
        # "sending"/"sent" marks, and those messages are then sent again with the same
        # idempotency key, which the provider drops — the path a killed worker already takes.
        engine = create_engine(url, pool_size=2 * threads + 1, max_overflow=2,
                               pool_recycle=600, connect_args=delivery_connect_args())
        check_reachable(engine)  # one clean line, as ``sagwa serve`` says it, not a traceback
        ready_for_writes(engine, settings)  # the schema, the audit key: as ``sagwa serve``
        return cls(Database(engine, embedded), senders_for(settings), policy,
                   threads=threads,
                   max_attempts=attempts_within(settings.delivery_retry_hours),
                   anchors_path=settings.audit_anchors_path,
                   erase_daily=settings.retention_erase_daily)

    def cannot_go_on(self, exc: BaseException) -> None:
        """Delivery refused because this process cannot record a send: say it once, at ERROR,
        and stop the worker (``on_fatal``), as it would have refused to start."""
        if self.fatal is not None:
            return
        self.fatal = exc
        _log.error("delivery stopped: %s; restart this worker with the current key", exc)
        if self.on_fatal is not None:
            self.on_fatal(exc)

    async def deliver(self, message_id: int) -> Outcome:
        """Run the (blocking) delivery in this runtime's threads (:attr:`in_flight`)."""
        assert self.database.session_factory is not None
        deliver = partial(deliver_message, self.database.session_factory, self.senders,
                          message_id, self.clock(), contact_hours=self.contact_hours,
                          max_attempts=self.max_attempts)
        # as run_in_executor, but counted until the thread is done (not until the job is)
        return await asyncio.wrap_future(self.in_flight.track(self._executor.submit(deliver)))

    async def retry_at(self, message_id: int) -> datetime:
        """When to try again a message whose attempt just failed for a temporary reason."""
        assert self.database.session_factory is not None
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, message_retry_at, self.database.session_factory, message_id,
            self.clock())

    async def due_at(self, message_id: int) -> object:
        assert self.database.session_factory is not None
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, message_due_at, self.database.session_factory, message_id)

    def forget_connections(self) -> None:
        """Drop the pooled connections (after a database outage: they died with it, and with
        no pre-ping each would fail the next delivery that took it, retried 10 s later). One
        still checked out is dropped when it comes back."""
        self.database.engine.dispose()

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        for sender in self.senders.values():
            close = getattr(sender, "close", None)
            if close is not None:
                close()
        self.database.close()


_fallback: DeliveryRuntime | None = None
_fallback_lock = threading.Lock()


def fallback_runtime() -> DeliveryRuntime:
    """For workers not started by ``sagwa worker`` (e.g. procrastinate's own CLI): one per
    process, built from the environment on first use."""
    global _fallback
    with _fallback_lock:
        if _fallback is None:
            from sagwa.config import get_settings

            _fallback = DeliveryRuntime.from_settings(get_settings(), threads=4)
        return _fallback


def job_runtime(context: JobContext) -> DeliveryRuntime:
    """The worker's runtime (or the process's fallback one)."""
    runtime: DeliveryRuntime = context.additional_context.get("delivery") or fallback_runtime()
    return runtime


def job_unit_of_work(context: JobContext) -> SqlAlchemyUnitOfWork:
    """A unit of work on the worker's engine and clock, for a scheduled job's use case."""
    runtime = job_runtime(context)
    assert runtime.database.session_factory is not None
    return SqlAlchemyUnitOfWork(runtime.database.session_factory, runtime.clock)


#: How scheduled (desk and market) jobs are retried after an exception such as :class:`NotYet`.
SCHEDULED_RETRY = RetryStrategy(max_attempts=20, exponential_wait=5)


class NotYet(Exception):
    """A scheduled job that ran a little early (a worker clock behind the database's): retried."""

    def __init__(self, what: str) -> None:
        at = datetime.now(UTC) + timedelta(seconds=30)
        super().__init__(f"{what}; again at {at.isoformat()}")
