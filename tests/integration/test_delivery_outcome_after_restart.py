"""A worker whose send ends while the database restarts still records the message ``sent``.

A restart drops every connection the worker holds: its lease's and its pooled ones. The send
has gone, so the outcome is recorded once the database is back (``delivery_outcome.finish_retrying``,
until ``FINISH_WAIT`` after the attempt began); before, the attempt raised, the row stayed
``sending`` and the message went again once another worker found it abandoned. PostgreSQL is
reached through a TCP proxy that the test cuts (every connection dropped, new ones refused)
in the middle of the send, and restores half a second later.

While a send is in doubt (its lease went, the window has not passed) the message may be withdrawn
or readdressed under its worker: a send that went is recorded ``sent`` anyway (the truth, with
its audit record and the address it went to), one that failed leaves it withdrawn. An outcome is
recorded only on the attempt that made it: never over a later claim by another worker. And a
database that takes connections but never answers (black-holed) is asked for no longer than the
time left to record the outcome."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Connection, create_engine, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.database import Database, answers_within
from sagwa.adapters.db.outbox_repo import OutboxRepository
from sagwa.adapters.db.tables import audit_log, outbox
from sagwa.adapters.senders.base import Envelope
from sagwa.errors import DeliveryFailed
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.tcp_proxy import TcpProxy, proxy_in_front_of, url_through
from sagwa.testing.wrong_price import scoped_incident

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


@pytest.fixture
def proxy(committed_database: Database) -> Iterator[TcpProxy]:
    with proxy_in_front_of(committed_database.engine.url) as running:
        yield running


class RestartMidSend:
    """Records each send; the database 'restarts' during it (down for ``down`` seconds)."""

    def __init__(self, proxy: TcpProxy, down: float) -> None:
        self.proxy, self.down = proxy, down
        self.keys: list[str] = []

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        self.keys.append(idempotency_key)
        self.proxy.cut()
        threading.Timer(self.down, self.proxy.restore).start()
        return f"<{idempotency_key}.{len(self.keys)}@smtp.example>"


def test_a_send_that_ends_during_a_database_restart_is_recorded_sent_once_it_is_back(
        committed_database: Database, proxy: TcpProxy, caplog: pytest.LogCaptureFixture) -> None:
    assert committed_database.session_factory is not None
    with SqlAlchemyUnitOfWork(committed_database.session_factory) as uow:
        message_id = enqueue_message(
            uow, idempotency_key="k-restart", purpose="confirmation", channel="email",
            recipient="minji@example.com", locale="ko", subject="[사과] 안내",
            body="고객님, 안내드립니다.\n", not_before=uow.now() - timedelta(seconds=1))
        uow.commit()
    assert message_id is not None
    engine = create_engine(url_through(committed_database.engine.url, proxy))
    sender = RestartMidSend(proxy, down=0.5)
    try:
        with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
            outcome = deliver_message(sessionmaker(bind=engine), {"email": sender},
                                      message_id, utc_now())
    finally:
        engine.dispose()

    assert outcome == Outcome.SENT
    assert sender.keys == ["k-restart"]
    with committed_database.engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == message_id)).one()
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.provider_id == "<k-restart.1@smtp.example>"  # kept through the outage
    said = [r.getMessage() for r in caplog.records if r.name == "sagwa.services.delivery"]
    assert any("the database went away before" in line for line in said), said
    assert any("recorded once the database was back" in line for line in said), said


def _queue_for_a_case(db: Database) -> tuple[int, int, int]:
    """A case's confirmation email, due now: (message id, case id, customer id)."""
    assert db.session_factory is not None
    factory = db.session_factory
    made = scoped_incident(lambda: SqlAlchemyUnitOfWork(factory))
    with SqlAlchemyUnitOfWork(factory) as uow:
        message_id = enqueue_message(
            uow, idempotency_key="k-in-doubt", purpose="confirmation", channel="email",
            recipient="mj@example.com", locale="ko", subject="[사과] 안내",
            body="고객님, 안내드립니다.\n", not_before=uow.now() - timedelta(seconds=1),
            incident_id=made.incident_id, case_id=made.case_id, customer_id=made.customer_id)
        uow.commit()
    assert message_id is not None
    return message_id, made.case_id, made.customer_id


class MeanwhileMidSend:
    """A sender during whose send the lease's session ends (a database restart), then
    ``meanwhile`` runs in a transaction of its own (what an agent, a customer or another worker
    did while the send was in doubt); the send then goes (``fails`` None) or fails."""

    def __init__(self, db: Database, message_id: int, meanwhile: Callable[[Connection], object],
                 fails: DeliveryFailed | None = None) -> None:
        self.db, self.message_id, self.meanwhile, self.fails = db, message_id, meanwhile, fails
        self.sent_to: list[str] = []
        self.did: object = None

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        with self.db.engine.begin() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = "
                "'advisory' AND classid = 23146 AND objid = :id AND objsubid = 2 AND granted"),
                {"id": self.message_id})
        with self.db.engine.begin() as conn:
            self.did = self.meanwhile(conn)
        if self.fails is not None:
            raise self.fails
        self.sent_to.append(message.recipient)
        return f"provider-{idempotency_key}"


def _deliver_with(db: Database, sender: MeanwhileMidSend) -> Outcome:
    assert db.session_factory is not None
    return deliver_message(db.session_factory, {"email": sender}, sender.message_id, utc_now())


def _message(db: Database, message_id: int) -> tuple[object, list[str]]:
    with db.engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == message_id)).one()
        actions = conn.execute(select(audit_log.c.action).where(
            audit_log.c.entity_type == "message",
            audit_log.c.entity_id == str(message_id))).scalars().all()
    return row, list(actions)


def test_a_send_that_went_while_its_message_was_withdrawn_is_recorded_sent(
        committed_database: Database, caplog: pytest.LogCaptureFixture) -> None:
    message_id, case_id, _ = _queue_for_a_case(committed_database)
    sender = MeanwhileMidSend(committed_database, message_id, lambda conn: OutboxRepository(
        conn).withdraw_pending([case_id], purposes=("confirmation",), why="고객이 답함"))

    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        assert _deliver_with(committed_database, sender) == Outcome.SENT

    assert sender.did == 1  # withdrawn under its worker: its lease was free
    row, actions = _message(committed_database, message_id)
    assert (row.status, row.last_error) == ("sent", None)  # type: ignore[attr-defined]
    assert row.provider_id == "provider-k-in-doubt"  # type: ignore[attr-defined]
    assert actions == ["message.sent"]
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(f"message {message_id}" in line and "withdrawn" in line
               and "recorded sent" in line for line in said), said


def test_an_attempt_that_failed_while_its_message_was_withdrawn_leaves_it_withdrawn(
        committed_database: Database) -> None:
    message_id, case_id, _ = _queue_for_a_case(committed_database)
    sender = MeanwhileMidSend(
        committed_database, message_id, lambda conn: OutboxRepository(conn).withdraw_pending(
            [case_id], purposes=("confirmation",), why="고객이 답함"),
        fails=DeliveryFailed("421 try again later", temporary=True))

    assert _deliver_with(committed_database, sender) == Outcome.WITHDRAWN

    row, actions = _message(committed_database, message_id)
    assert (row.status, row.last_error) == ("withdrawn", "고객이 답함")  # type: ignore[attr-defined]
    assert actions == []


def test_a_send_that_went_while_its_address_was_corrected_is_recorded_where_it_went(
        committed_database: Database) -> None:
    message_id, _, customer_id = _queue_for_a_case(committed_database)
    sender = MeanwhileMidSend(committed_database, message_id, lambda conn: OutboxRepository(
        conn).readdress_pending(customer_id, channel="email", recipient="minjun@example.com"))

    assert _deliver_with(committed_database, sender) == Outcome.SENT

    assert sender.did == 1 and sender.sent_to == ["mj@example.com"]
    row, _ = _message(committed_database, message_id)
    assert (row.status, row.recipient) == ("sent", "mj@example.com")  # type: ignore[attr-defined]


def test_a_send_that_failed_for_good_while_its_address_was_corrected_keeps_the_correction(
        committed_database: Database) -> None:
    """The old address refused it; the corrected one stays on the row for the agents' list and
    a retry of the failed message."""
    message_id, _, customer_id = _queue_for_a_case(committed_database)
    sender = MeanwhileMidSend(
        committed_database, message_id, lambda conn: OutboxRepository(conn).readdress_pending(
            customer_id, channel="email", recipient="minjun@example.com"),
        fails=DeliveryFailed("550 no such user", temporary=False))

    assert _deliver_with(committed_database, sender) == Outcome.FAILED

    row, _ = _message(committed_database, message_id)
    assert (row.status, row.recipient) == ("failed", "minjun@example.com")  # type: ignore[attr-defined]


def test_an_outcome_is_not_recorded_over_another_workers_later_claim(
        committed_database: Database, caplog: pytest.LogCaptureFixture) -> None:
    """The first worker records too late: another claimed the message again after the window
    (its claim time, not the first's, is on the row)."""
    message_id, _, _ = _queue_for_a_case(committed_database)

    def claimed_again(conn: Connection) -> object:
        return conn.execute(update(outbox).where(outbox.c.id == message_id).values(
            attempts=outbox.c.attempts + 1, claimed_at=func.clock_timestamp())).rowcount

    sender = MeanwhileMidSend(committed_database, message_id, claimed_again)
    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        assert _deliver_with(committed_database, sender) == Outcome.SENT

    row, actions = _message(committed_database, message_id)
    assert (row.status, row.attempts) == ("sending", 2)  # type: ignore[attr-defined]
    assert row.provider_id is None  # type: ignore[attr-defined]
    assert actions == []
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(f"message {message_id}" in line and "claimed again" in line
               for line in said), said


def test_a_black_holed_database_is_asked_for_no_longer_than_the_time_left() -> None:
    """A server that takes the connection and never answers, as a black-holed one: the probe
    gives up by the time it was given (libpq's shortest connect timeout is 2 s)."""
    with socket.create_server(("127.0.0.1", 0), backlog=8) as silent:  # never accepts
        port = silent.getsockname()[1]
        engine = create_engine(make_url(f"postgresql+psycopg://sagwa@127.0.0.1:{port}/sagwa"))
        started = time.monotonic()
        assert answers_within(engine, 0.5) is False
        assert time.monotonic() - started < 3.5
        engine.dispose()
