"""``/healthz`` asks the database, not just the process: 503 when it does not answer, and the
outbox's failed and overdue messages when it does; 503 ``degraded`` when the schema is not this
code's (a worker stopped for good: tests/integration/test_worker_database_outage.py), and when
this process runs no worker and no worker anywhere sent a heartbeat lately (``workers_alive``
0: a real ``sagwa worker`` is started below). A test that wants an ``ok`` from this app (no
worker in-process) registers a worker first (:func:`register_a_worker`).

Anyone (a load balancer, a monitor) gets every key but ``database_at``, with ``database`` only
``reachable``/``unreachable``; an admin's API token gets which database it is. The ``client``
fixture is an admin's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from test_api_access import ApiClientFor

from sagwa.adapters.db.database import Database
from sagwa.config import Settings
from sagwa.testing.ports import free_port
from sagwa.web.app import create_app

pytestmark = pytest.mark.e2e

COARSE = ["status", "database", "outbox_failed", "outbox_overdue", "worker", "schema",
          "workers_alive", "audit_key", "queues_without_worker"]


def register_a_worker(session_factory: sessionmaker[Session]) -> None:
    """What a starting worker does (procrastinate's own function: a row in
    ``procrastinate_workers`` with a fresh heartbeat), inside the test's rolled-back
    transaction: a worker alive somewhere, as ``/healthz`` sees it."""
    with session_factory() as session:
        session.execute(select(func.procrastinate_register_worker_v1()))
        session.commit()


@pytest.fixture
def a_worker(session_factory: sessionmaker[Session]) -> None:
    register_a_worker(session_factory)


def test_healthz_is_503_when_the_database_is_gone(test_settings: Settings) -> None:
    gone = Database(create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{free_port()}/gone"),
                    embedded=False)
    with TestClient(create_app(test_settings, database=gone)) as client:
        answer = client.get("/healthz")
        # a token cannot be checked without the database: the caller is answered as anyone
        with_token = client.get("/healthz", headers={"Authorization": "Bearer sgw_whatever"})

    for said in (answer, with_token):
        assert said.status_code == 503
        assert said.json() == {"status": "unavailable", "database": "unreachable",
                               "worker": "separate", "schema": "unknown"}
        assert "PostgreSQL" not in said.text and "127.0.0.1" not in said.text
    gone.close()


def test_the_full_unreachable_body_still_says_which_database() -> None:
    from sagwa.services.health import check_health

    def unreachable() -> None:
        raise OSError("connection refused")

    body, ok = check_health(unreachable, "PostgreSQL at db:5432/sagwa")  # type: ignore[arg-type]
    assert not ok and body["database_at"] == "PostgreSQL at db:5432/sagwa"


def test_anyone_gets_every_key_but_not_which_database(client_for: ApiClientFor,
                                                      a_worker: None) -> None:
    for caller in (client_for(None), client_for("reviewer"), client_for("agent")):
        answer = caller.get("/healthz")
        assert answer.status_code == 200
        body = answer.json()
        assert list(body) == COARSE
        assert body == {"status": "ok", "database": "reachable", "outbox_failed": 0,
                        "outbox_overdue": 0, "worker": "separate", "schema": "current",
                        "workers_alive": 1, "audit_key": "current",
                        "queues_without_worker": []}
        assert "PostgreSQL" not in answer.text


def test_an_unknown_token_is_answered_as_anyone(client_for: ApiClientFor,
                                                a_worker: None) -> None:
    caller = client_for(None)
    for authorization in ("Bearer sgw_not-a-token", "Basic abc", "Bearer"):
        answer = caller.get("/healthz", headers={"Authorization": authorization})
        assert answer.status_code == 200, authorization
        assert list(answer.json()) == COARSE


def test_an_admin_gets_the_whole_body(client: TestClient) -> None:
    answer = client.get("/healthz")
    assert answer.headers["cache-control"] == "no-store"  # not kept for anyone else
    body = answer.json()
    assert list(body)[:2] == ["status", "database"] and set(COARSE) <= set(body)
    assert "PostgreSQL" in body["database"] and "outbox_failed" in body


def test_healthz_counts_failed_and_overdue_messages(client: TestClient, a_worker: None) -> None:
    answer = client.get("/healthz")

    assert answer.status_code == 200
    body = answer.json()
    assert list(body)[:2] == ["status", "database"]
    assert (body["status"], body["outbox_failed"], body["outbox_overdue"]) == ("ok", 0, 0)


def test_healthz_appends_the_worker_the_schema_and_the_workers_alive(
        client: TestClient, a_worker: None) -> None:
    body = client.get("/healthz").json()

    assert list(body) == ["status", "database", "outbox_failed", "outbox_overdue", "worker",
                          "schema", "workers_alive", "audit_key", "queues_without_worker"]
    assert (body["worker"], body["schema"]) == ("separate", "current")  # no worker in-process
    assert (body["status"], body["workers_alive"]) == ("ok", 1)


@pytest.mark.parametrize(("revision", "state", "status", "code"), [
    ("0001", "behind", "degraded", 503), (None, "behind", "degraded", 503),
    # a newer host migrated first (a rolling deploy): its migrations add, this one still serves;
    # a 503 here would take every older host out of the load balancer before the new ones are up
    ("9999_from_newer_code", "ahead", "ok", 200)])
def test_healthz_is_503_when_the_schema_is_behind_this_codes(
        client: TestClient, session_factory: sessionmaker[Session], a_worker: None,
        revision: str | None, state: str, status: str, code: int) -> None:
    with session_factory() as session:  # rolled back after the test
        if revision == "0001":
            revision = _first_revision()
        if revision is None:
            session.execute(text("DELETE FROM alembic_version"))
        else:
            session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
        session.commit()

    answer = client.get("/healthz")

    assert answer.status_code == code
    body = answer.json()
    assert (body["status"], body["schema"], body["outbox_failed"]) == (status, state, 0)


def _first_revision() -> str:
    from alembic.script import ScriptDirectory

    from sagwa.adapters.db.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config("postgresql://"))
    return list(script.walk_revisions())[-1].revision


def test_a_monitor_asking_for_workers_gets_503_when_none_is_alive_and_none_runs_here(
        client_for: ApiClientFor) -> None:
    """``sagwa serve --no-worker`` and no ``sagwa worker`` anywhere: nothing sends customers'
    messages, runs deadlines, reminders or escalations. A deployer's walkthrough saw 200 ``ok``
    for 16 minutes with nothing saying so; every body says ``workers_alive`` 0 now, and a
    monitor asking ``?require=workers`` gets 503. The plain check, a load balancer's, stays 200:
    a review found a 503 there would take every web host out when a worker host reboots."""
    for caller in (client_for(None), client_for("admin")):
        asked = caller.get("/healthz", params={"require": "workers"})
        assert asked.status_code == 503
        body = asked.json()
        assert (body["status"], body["worker"], body["schema"], body["workers_alive"]) == (
            "degraded", "separate", "current", 0)
        assert list(body)[-5:] == ["worker", "schema", "workers_alive", "audit_key",
                                   "queues_without_worker"]
        assert body["queues_without_worker"] == ["messages", "desk", "market"]
        plain = caller.get("/healthz")
        assert (plain.status_code, plain.json()["status"], plain.json()["workers_alive"]) == (
            200, "ok", 0)


def test_a_stale_heartbeat_is_not_a_live_worker(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    from sagwa.services.health import WORKERS_ALIVE_WITHIN

    # the database's clock, as procrastinate stamps heartbeats with its now()
    with session_factory() as session:  # rolled back after the test
        for age in (WORKERS_ALIVE_WITHIN + timedelta(seconds=1), timedelta(hours=3)):
            session.execute(text("INSERT INTO procrastinate_workers (last_heartbeat) "
                                 "VALUES (now() - :age)"), {"age": age})
        session.commit()
    stale = client.get("/healthz", params={"require": "workers"})
    register_a_worker(session_factory)  # just started: counted, beside the stale ones
    fresh = client.get("/healthz", params={"require": "workers"})

    assert (stale.status_code, stale.json()["status"], stale.json()["workers_alive"]) == (
        503, "degraded", 0)
    assert (fresh.status_code, fresh.json()["status"], fresh.json()["workers_alive"]) == (
        200, "ok", 1)


def test_a_heartbeat_just_within_the_bound_counts(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    from sagwa.services.health import WORKERS_ALIVE_WITHIN

    with session_factory() as session:
        session.execute(text("INSERT INTO procrastinate_workers (last_heartbeat) "
                             "VALUES (now() - :age)"),
                        {"age": WORKERS_ALIVE_WITHIN - timedelta(seconds=1)})
        session.commit()

    answer = client.get("/healthz", params={"require": "workers"})
    assert (answer.status_code, answer.json()["workers_alive"]) == (200, 1)


def test_a_database_without_procrastinates_tables_is_degraded_not_an_error(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:  # rolled back after the test (DDL too, in PostgreSQL)
        session.execute(text("DROP TABLE procrastinate_workers CASCADE"))
        session.commit()

    answer = client.get("/healthz", params={"require": "workers"})

    assert answer.status_code == 503
    body = answer.json()
    assert (body["status"], body["workers_alive"]) == ("degraded", 0)
    assert "PostgreSQL" in body["database"]  # it answered: not "unreachable"
    assert client.get("/healthz").status_code == 200


def test_an_overdue_message_is_counted_not_degraded_while_a_worker_is_alive(
        client: TestClient, session_factory: sessionmaker[Session], a_worker: None) -> None:
    """A worker is alive but a message waits past its time (the provider refuses for now, a
    retry is due): the count says so for a monitor to page on; the host stays in the load
    balancer, as taking it out would not send the message (services/health.py)."""
    from sagwa.services.outbox import enqueue_message
    from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        enqueue_message(uow, idempotency_key="healthz:overdue", purpose="confirmation",
                        channel="email", recipient="minji@example.com", locale="ko",
                        subject="[사과] 안내", body="고객님, 안내드립니다.\n",
                        not_before=uow.now() - timedelta(minutes=16))
        uow.commit()

    answer = client.get("/healthz")
    assert (answer.status_code, answer.json()["status"], answer.json()["outbox_overdue"]) == (
        200, "ok", 1)


def test_the_alive_bound_is_the_one_workers_use_to_presume_each_other_dead() -> None:
    """``/healthz`` and a worker's recovery of a dead worker's jobs agree on who is dead; the
    bound leaves a worker several heartbeats to miss (a slow database) before it counts."""
    from sagwa.jobs.worker import WorkerOptions
    from sagwa.services.health import WORKERS_ALIVE_WITHIN

    options = WorkerOptions()
    assert WORKERS_ALIVE_WITHIN == timedelta(seconds=options.stalled_after)
    assert WORKERS_ALIVE_WITHIN >= timedelta(seconds=4 * options.heartbeat_every)


@pytest.fixture
def start_sagwa_worker(committed_database: Database,
                       tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Starts a real ``sagwa worker`` process on ``committed_database`` (killed after the test
    if it still runs)."""
    started: list[subprocess.Popen[bytes]] = []
    env = {**os.environ,
           "SAGWA_DATABASE_URL": committed_database.engine.url.render_as_string(
               hide_password=False),
           "SAGWA_DATA_DIR": str(tmp_path / "worker-data"),
           "SAGWA_SMS_LOG_PATH": str(tmp_path / "sms.log"), "SAGWA_ENVIRONMENT": "test"}

    def start(*args: str) -> subprocess.Popen[bytes]:
        with (tmp_path / "worker.err").open("ab") as stderr:
            started.append(subprocess.Popen(
                [sys.executable, "-m", "sagwa.cli.worker", "--concurrency", "1", *args],
                env=env, stdout=subprocess.DEVNULL, stderr=stderr))
        return started[-1]

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


@pytest.mark.timeout(120)
def test_a_separate_sagwa_worker_makes_healthz_ok_until_it_stops(
        committed_database: Database, test_settings: Settings, tmp_path: Path,
        start_sagwa_worker: Callable[..., subprocess.Popen[bytes]]) -> None:
    with TestClient(create_app(test_settings, database=committed_database)) as client:
        before = client.get("/healthz", params={"require": "workers"})
        worker = start_sagwa_worker()
        alive = _wait_for_status(client, 200, worker, tmp_path)
        worker.terminate()  # a graceful stop: it removes its row
        assert worker.wait(30) == 0
        gone = client.get("/healthz", params={"require": "workers"})

    assert (before.status_code, before.json()["workers_alive"]) == (503, 0)
    assert (alive.json()["status"], alive.json()["worker"], alive.json()["workers_alive"]) == (
        "ok", "separate", 1)
    assert (gone.status_code, gone.json()["status"], gone.json()["workers_alive"]) == (
        503, "degraded", 0)


def _wait_for_status(client: TestClient, status: int, proc: subprocess.Popen[bytes],
                     tmp_path: Path, timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while (answer := client.get("/healthz", params={"require": "workers"})).status_code != status:
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"/healthz said {answer.text} (worker exit {proc.poll()}): "
                                 + (tmp_path / "worker.err").read_text(errors="replace"))
        time.sleep(0.1)
    return answer


def _a_worker_taking(session_factory: sessionmaker[Session], queues: list[str] | None, *,
                     age: timedelta = timedelta(0)) -> None:
    """A worker whose last heartbeat is ``age`` old, taking ``queues`` (None: every queue), as
    ``SagwaWorker`` writes it (in the test's rolled-back transaction)."""
    with session_factory() as session:
        worker_id = session.execute(text(
            "INSERT INTO procrastinate_workers (last_heartbeat) VALUES (now() - :age) "
            "RETURNING id"), {"age": age}).scalar_one()
        session.execute(text("INSERT INTO worker_queues (worker_id, queues, host, pid) "
                             "VALUES (:id, :queues, 'host-a', 1)"),
                        {"id": worker_id, "queues": queues})
        session.commit()


def test_a_monitor_asking_for_queues_hears_of_a_queue_no_live_worker_takes(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    """``sagwa worker --queue messages`` on one host, ``--queue desk`` on another whose host
    is down: workers are alive, but no deadline, reminder or escalation runs (an ops walk saw
    ``?require=workers`` 200 then). ``queues_without_worker`` names the desk, and a monitor
    asking ``?require=queues`` gets 503; a dead worker's queues do not count."""
    _a_worker_taking(session_factory, ["messages"])
    _a_worker_taking(session_factory, ["desk", "market"], age=timedelta(minutes=5))
    some = client.get("/healthz", params={"require": "queues"})
    workers = client.get("/healthz", params={"require": "workers"})
    _a_worker_taking(session_factory, ["desk"])
    _a_worker_taking(session_factory, ["market"])
    every = client.get("/healthz", params={"require": "queues"})

    assert (some.status_code, some.json()["status"], some.json()["workers_alive"]) == (
        503, "degraded", 1)
    assert some.json()["queues_without_worker"] == ["desk", "market"]
    assert (workers.status_code, workers.json()["queues_without_worker"]) == (
        200, ["desk", "market"])
    assert (every.status_code, every.json()["queues_without_worker"]) == (200, [])


def test_a_monitor_may_ask_for_workers_and_queues_at_once(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    """A review: ``?require=workers&require=queues`` enforced only the last."""
    _a_worker_taking(session_factory, ["messages"])
    for query in ("require=queues&require=workers", "require=workers&require=queues",
                  "require=workers,queues"):
        answer = client.get(f"/healthz?{query}")
        assert (answer.status_code, answer.json()["queues_without_worker"]) == (
            503, ["desk", "market"]), query


def test_a_worker_taking_every_queue_or_not_saying_serves_them_all(
        client: TestClient, session_factory: sessionmaker[Session]) -> None:
    _a_worker_taking(session_factory, None)
    every = client.get("/healthz", params={"require": "queues"})
    assert (every.status_code, every.json()["queues_without_worker"]) == (200, [])
    with session_factory() as session:
        session.execute(text("DELETE FROM worker_queues"))
        session.commit()
    # a worker of a version before worker_queues: it cannot say, so it is not an alarm
    silent = client.get("/healthz", params={"require": "queues"})
    assert (silent.status_code, silent.json()["queues_without_worker"]) == (200, [])


@pytest.mark.timeout(120)
def test_a_sagwa_worker_writes_the_queues_it_takes(
        committed_database: Database, test_settings: Settings, tmp_path: Path,
        start_sagwa_worker: Callable[..., subprocess.Popen[bytes]]) -> None:
    with TestClient(create_app(test_settings, database=committed_database)) as client:
        worker = start_sagwa_worker("--queue", "desk")
        _wait_for_status(client, 200, worker, tmp_path)
        answer = client.get("/healthz", params={"require": "queues"})
        worker.terminate()
        assert worker.wait(30) == 0

    assert (answer.status_code, answer.json()["queues_without_worker"]) == (
        503, ["messages", "market"])
    with committed_database.engine.connect() as conn:
        [(queues, pid)] = conn.execute(text("SELECT queues, pid FROM worker_queues")).all()
    assert (queues, pid) == (["desk"], worker.pid)
