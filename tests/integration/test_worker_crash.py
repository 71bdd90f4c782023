"""A worker killed mid-sending loses nothing, and repeats at most the messages it had in flight.

600 emails are queued; a real ``sagwa worker`` process sends them to an aiosmtpd sink and is
SIGKILLed part-way. A second worker recovers the dead one's jobs (its heartbeat stops) and
finishes. The sink must have every idempotency key, and only the messages that were
``sending`` at the kill may arrive twice (same key, same Message-ID, so a provider drops them).
Those are sent again only once ``SEND_WINDOW`` has passed since they were claimed (nothing tells
a killed worker from a database restart under a live one): the test moves their claim times
back by the window, and the dead worker's last heartbeat back past ``stalled_after``, instead of
waiting for them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.outbox_repo import SEND_WINDOW
from sagwa.adapters.db.tables import outbox
from sagwa.services.outbox import OutgoingMessage, enqueue_messages
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.testing.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

N = 600
KILL_AFTER = 120  # emails received before the SIGKILL


@pytest.fixture
def key_sink() -> Iterator[tuple[SmtpSink, int]]:
    with running_smtp_sink() as running:
        yield running


def _worker(db: Database, port: int, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ,
           "SAGWA_DATABASE_URL": db.engine.url.render_as_string(hide_password=False),
           "SAGWA_EMAIL_PROVIDER": "smtp", "SAGWA_SMTP_HOST": "127.0.0.1",
           "SAGWA_SMTP_PORT": str(port), "SAGWA_DATA_DIR": str(tmp_path / "data"),
           "SAGWA_SMS_LOG_PATH": str(tmp_path / "sms.log"), "SAGWA_ENVIRONMENT": "test"}
    with (tmp_path / "worker.err").open("ab") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "sagwa.cli.worker", "--concurrency", "4",
             "--queues", "messages"], env=env, stdout=subprocess.DEVNULL, stderr=stderr)


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _statuses(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.status, func.count()).group_by(outbox.c.status))
        return {status: count for status, count in rows}


def test_a_killed_worker_loses_no_message_and_repeats_only_those_in_flight(
        committed_database: Database, key_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    sink, port = key_sink
    assert committed_database.session_factory is not None
    with SqlAlchemyUnitOfWork(committed_database.session_factory) as uow:
        now = uow.now() - timedelta(seconds=1)
        keys = {f"crash:{i}" for i in range(N)}
        # a confirmation goes out at any hour (a request to choose waits for contact hours,
        # tests/integration/test_delivery_contact_hours.py); these tests are about delivery
        assert enqueue_messages(uow, [OutgoingMessage(
            idempotency_key=key, purpose="confirmation", channel="email",
            recipient=f"c{i}@example.com", locale="ko", subject="[사과] 가격 오류 사과드립니다",
            body="고객님, 진심으로 사과드립니다.\n", not_before=now)
            for i, key in enumerate(sorted(keys))]) == N
        uow.commit()

    first = _worker(committed_database, port, tmp_path)
    try:
        _wait_for(lambda: sink.count >= KILL_AFTER or first.poll() is not None, 60,
                  "the first worker to send some emails")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    received_at_kill = sink.count
    in_flight = _statuses(committed_database).get("sending", 0)
    assert first.returncode == -signal.SIGKILL
    assert KILL_AFTER <= received_at_kill < N, "the kill did not land mid-sending"
    with committed_database.engine.begin() as conn:  # the window passed since their claims
        conn.execute(update(outbox).where(outbox.c.status == "sending")
                     .values(claimed_at=outbox.c.claimed_at - SEND_WINDOW))
        # and the dead worker's heartbeat is stale (WorkerOptions.stalled_after, 10 s), as it
        # would be by the time the second worker looks again
        conn.execute(text("UPDATE procrastinate_workers "
                          "SET last_heartbeat = last_heartbeat - interval '1 minute'"))

    second = _worker(committed_database, port, tmp_path)
    try:
        _wait_for(lambda: set(_statuses(committed_database)) == {"sent"}, 180,
                  "every message to be sent")
        second.send_signal(signal.SIGTERM)  # a graceful stop
        assert second.wait(30) == 0
    finally:
        if second.poll() is None:
            second.kill()

    received = sink.key_counts()
    duplicates = sum(1 for count in received.values() if count > 1)
    print(f"\ncrash test: queued {N}, received at kill {received_at_kill}, in flight at kill "
          f"{in_flight}, delivered (distinct keys) {len(received)}, received "
          f"{sink.count}, keys received twice or more {duplicates}, "
          f"lost {len(keys - set(received))}")
    assert set(received) == keys  # none lost, nothing unexpected
    assert duplicates <= in_flight
    assert _statuses(committed_database) == {"sent": N}
