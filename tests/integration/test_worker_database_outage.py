"""A worker rides out a database outage: PostgreSQL is reached through a TCP proxy that the test
cuts for 3 seconds (every connection dropped, new ones refused). The worker says once that the
database went away and once that it is back, keeps running, and delivers a message queued
after the outage to a real SMTP sink. A worker whose database never comes back gives up when
told to, not after a pooled connection's wait."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.jobs.app import POOL_WAIT
from sagwa.jobs.worker import WorkerOptions, in_process_worker_state, run_worker_in_background
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.smtp_sink import SmtpSink, running_smtp_sink
from sagwa.testing.tcp_proxy import TcpProxy, proxy_in_front_of, url_through

pytestmark = [pytest.mark.integration, pytest.mark.timeout(90)]

OUTAGE = 3.0


@pytest.fixture
def proxy(committed_database: Database) -> Iterator[TcpProxy]:
    with proxy_in_front_of(committed_database.engine.url) as running:
        yield running


def _through(url: URL, proxy: TcpProxy) -> str:
    return url_through(url, proxy).render_as_string(hide_password=False)


def _queue(db: Database, key: str) -> None:
    assert db.session_factory is not None
    with SqlAlchemyUnitOfWork(db.session_factory) as uow:
        enqueue_message(uow, idempotency_key=key, purpose="confirmation", channel="email",
                        recipient="minji@example.com", locale="ko", subject="[사과] 안내",
                        body="고객님, 안내드립니다.\n", not_before=uow.now() - timedelta(seconds=1))
        uow.commit()


def _delivery(db: Database, key: str) -> tuple[str, int]:
    """A message's outbox status and its finished delivery job's attempts (0 until it ends)."""
    with db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT o.status, coalesce(max(j.attempts) FILTER (WHERE j.status = 'succeeded'), 0) "
            "FROM outbox o LEFT JOIN procrastinate_jobs j "
            "ON (j.args->>'message_id')::bigint = o.id WHERE o.idempotency_key = :key "
            "GROUP BY o.status"), {"key": key}).one()
    return row[0], row[1]


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_worker_survives_a_database_outage_and_delivers_what_is_queued_after(
        committed_database: Database, proxy: TcpProxy, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    with running_smtp_sink() as (sink, port):
        settings = Settings(database_url=_through(committed_database.engine.url, proxy),
                            email_provider="smtp", smtp_port=port,
                            sms_log_path=tmp_path / "sms.log", data_dir=tmp_path / "data",
                            environment="test")
        worker = run_worker_in_background(settings, WorkerOptions(
            concurrency=2, heartbeat_every=0.5, stalled_after=3.0, give_up_after=60.0))
        try:
            _deliver_around_an_outage(committed_database, proxy, sink, worker)
        finally:
            worker.stop()

    warnings = [r.getMessage() for r in caplog.records
                if r.name == "sagwa.jobs.worker" and r.levelno == logging.WARNING]
    # one line for the worker (a job caught mid-outage may add its own "outcome … not
    # recorded, the database went away" line: that is the job's, not a second outage)
    assert sum(w.startswith("the database went away") for w in warnings) == 1, warnings
    assert sum("the database is back after" in w for w in warnings) == 1, warnings
    tracebacks = [r.getMessage() for r in caplog.records
                  if r.name.startswith("procrastinate") and r.exc_info]
    assert tracebacks == []


def _deliver_around_an_outage(db: Database, proxy: TcpProxy, sink: SmtpSink,
                              worker: object) -> None:
    _queue(db, "outage:before")
    # sent, its outcome recorded and its job finished: the worker's pooled connections are idle
    # when the outage kills them (one in use would fail, and SQLAlchemy drop them all)
    _wait_for(lambda: _delivery(db, "outage:before") == ("sent", 1), 20,
              "the message queued before")

    proxy.cut()
    _wait_for(lambda: in_process_worker_state() == "reconnecting", 15,
              "the worker to notice the database went away")
    time.sleep(OUTAGE)
    proxy.restore()

    _queue(db, "outage:after")
    _wait_for(lambda: "outage:after" in sink.key_counts(), 30, "the message queued after the outage")
    # at its first attempt: the worker dropped the pooled connections that died with the
    # outage (the first delivery to take one failed, and was tried again 10 s later)
    _wait_for(lambda: _delivery(db, "outage:after")[1] > 0, 10, "its job to finish")
    assert _delivery(db, "outage:after") == ("sent", 1)
    assert worker.running  # type: ignore[attr-defined]
    # running again: not at once where the worker that lost the database was still finishing
    # the send in flight at the cut and took the new message on its way out (a CI run); the
    # supervisor then starts the next
    _wait_for(lambda: in_process_worker_state() == "running", 15, "the worker running again")


def test_an_in_process_worker_that_gives_up_makes_healthz_503(
        committed_database: Database, proxy: TcpProxy, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    from fastapi.testclient import TestClient

    caplog.set_level(logging.DEBUG, logger="procrastinate")
    caplog.set_level(logging.DEBUG, logger="psycopg")

    from sagwa.web.app import create_app

    settings = Settings(database_url=_through(committed_database.engine.url, proxy),
                        data_dir=tmp_path / "data", environment="test")
    # an idle worker (messages only: not the audit anchor's job, deferred as a worker starts,
    # which may be recording its outcome at the cut and wait a pooled connection's POOL_WAIT)
    worker = run_worker_in_background(settings, WorkerOptions(
        concurrency=1, heartbeat_every=0.5, give_up_after=1.0, queues=("messages",)))
    try:
        with TestClient(create_app(settings, database=committed_database)) as client:
            assert client.get("/healthz").json()["worker"] == "running"
            # past its start-up (registered, its queues written, its side tasks beating): a
            # worker cut while it starts is not what this test is about
            _wait_for(lambda: _beating(committed_database), 20, "the worker's first heartbeat")
            proxy.cut()  # and never restored
            _wait_for(lambda: not worker.running, 40, "the worker to give up")
            answer = client.get("/healthz")
    finally:
        worker.stop()

    assert answer.status_code == 503
    assert (answer.json()["status"], answer.json()["worker"]) == ("degraded", "stopped")
    [stopped] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert stopped.getMessage().startswith(
        "the in-process worker stopped: the database has not answered for")
    assert not stopped.exc_info  # one line
    # from the worker telling the database went away to giving up: give_up_after (1 s), not
    # the pool's POOL_WAIT for a connection the gone database could not give (the stopping
    # worker's last query, unregistering itself). Telling it may itself take up to POOL_WAIT:
    # a heartbeat whose connection died waits that long for another one.
    [went_away] = [r for r in caplog.records
                   if r.getMessage().startswith("the database went away")]
    assert stopped.created - went_away.created < POOL_WAIT, _timeline(caplog, went_away)


def _beating(db: Database) -> bool:
    """Whether a worker has sent a heartbeat since it wrote its queues (``_say_queues``, just
    before its side tasks start)."""
    with db.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM procrastinate_workers w JOIN worker_queues q "
            "ON q.worker_id = w.id WHERE w.last_heartbeat > q.started_at")).scalar_one())


def _timeline(caplog: pytest.LogCaptureFixture, start: logging.LogRecord) -> str:
    """The worker's, procrastinate's and the pool's lines, in seconds from ``start``."""
    return "\n".join(f"{r.created - start.created:+.3f} {r.threadName} {r.name}: "
                     f"{r.getMessage()[:200]}" for r in caplog.records
                     if r.name.startswith(("sagwa.jobs", "procrastinate", "psycopg")))
