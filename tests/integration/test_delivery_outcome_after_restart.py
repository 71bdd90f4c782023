"""A worker whose send ends while the database restarts still records the message ``sent``.

A restart drops every connection the worker holds: its lease's and its pooled ones. The send
has gone, so the outcome is recorded once the database is back (``delivery.finish_retrying``,
until ``FINISH_WAIT`` after the attempt began); before, the attempt raised, the row stayed
``sending`` and the message went again once another worker found it abandoned. PostgreSQL is
reached through a TCP proxy that the test cuts (every connection dropped, new ones refused)
in the middle of the send, and restores half a second later."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.base import Envelope
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.tcp_proxy import TcpProxy, running_tcp_proxy

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]


@pytest.fixture
def proxy(committed_database: Database) -> Iterator[TcpProxy]:
    url = committed_database.engine.url
    socket_dir = url.query.get("host")
    if socket_dir:  # the embedded server: a unix socket only
        target: dict[str, object] = {"target_socket": f"{socket_dir}/.s.PGSQL.{url.port or 5432}"}
    else:
        target = {"target_host": url.host, "target_port": url.port or 5432}
    with running_tcp_proxy(**target) as running:
        yield running


def _through(url: URL, proxy: TcpProxy) -> URL:
    return url.set(host="127.0.0.1", port=proxy.port,
                   query={k: v for k, v in url.query.items() if k != "host"})


class RestartMidSend:
    """Records each send; the database 'restarts' during it (down for ``down`` seconds)."""

    def __init__(self, proxy: TcpProxy, down: float) -> None:
        self.proxy, self.down = proxy, down
        self.keys: list[str] = []

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        self.keys.append(idempotency_key)
        self.proxy.cut()
        threading.Timer(self.down, self.proxy.restore).start()
        return "sent"


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
    engine = create_engine(_through(committed_database.engine.url, proxy))
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
    said = [r.getMessage() for r in caplog.records if r.name == "sagwa.services.delivery"]
    assert any("the database went away before" in line for line in said), said
    assert any("recorded once the database was back" in line for line in said), said
