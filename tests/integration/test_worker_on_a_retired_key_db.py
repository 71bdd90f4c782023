"""A worker left on the old key after the secret was rotated on another host (an ops walk):
it sent a customer's email, could not record it (``audit_key_unknown``), and sent it again and
again, logging nothing at ERROR. Now it sends nothing it cannot record — the message stays
pending for a worker with the current key — and says so; ``/healthz`` of such a process is 503.
On real PostgreSQL, the keys switched as a restart would (``rotate``)."""

# ruff: noqa: F811  (the tests take test_audit_key_rotation_db's ``rotate`` fixture by name)
from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from test_audit_key_rotation_db import NEW_SECRET, OLD_SECRET, _sellers, _uow, rotate  # noqa: F401
from test_delivery import _deliver, _queue, _row, _settings, smtp_sink  # noqa: F401

from sagwa.adapters.db.audit_repo import AuditRepository
from sagwa.adapters.db.database import Database
from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.audit import AuditEvent, chain_key
from sagwa.errors import Conflict
from sagwa.jobs.worker import WorkerOptions, run_worker_async
from sagwa.services.health import check_health
from sagwa.services.unit_of_work import utc_now
from sagwa.testing.smtp_sink import SmtpSink

pytestmark = pytest.mark.integration


def _rotated_elsewhere(db: Database, rotate: Callable[..., None]) -> int:
    """A message queued under the old key; another host restarted with the new one (the old
    listed as previous) and wrote a record; this process still holds the old key only."""
    rotate(OLD_SECRET)
    message_id = _queue(db, "retired-key-1")
    rotate(NEW_SECRET, previous=OLD_SECRET)
    _sellers(db, range(1))
    rotate(OLD_SECRET)
    return message_id


def test_a_worker_on_a_retired_key_sends_nothing_it_cannot_record(
        committed_database: Database, rotate: Callable[..., None]) -> None:
    message_id = _rotated_elsewhere(committed_database, rotate)
    sender = FakeSender()

    with pytest.raises(Conflict) as refused:
        _deliver(committed_database, sender, message_id)

    assert refused.value.details["reason"] == "audit_key_unknown"
    assert sender.calls == []  # never sent
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("pending", 0)  # a worker with the key sends it
    rotate(NEW_SECRET, previous=OLD_SECRET)
    _deliver(committed_database, sender, message_id)
    assert len(sender.calls) == 1 and _row(committed_database, message_id).status == "sent"


def test_healthz_of_a_process_on_a_retired_key_is_503(
        committed_database: Database, rotate: Callable[..., None]) -> None:
    _rotated_elsewhere(committed_database, rotate)
    body, healthy = check_health(lambda: _uow(committed_database), "db")
    assert (healthy, body["status"], body["audit_key"]) == (False, "degraded", "unknown")
    rotate(NEW_SECRET, previous=OLD_SECRET)
    body, healthy = check_health(lambda: _uow(committed_database), "db")
    assert (healthy, body["status"], body["audit_key"]) == (True, "ok", "current")


def test_a_running_worker_rotated_away_from_stops_with_why(
        committed_database: Database, rotate: Callable[..., None],
        smtp_sink: tuple[SmtpSink, int], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """The worker started on the current key; another host then rotated it. The first message
    due after that is not sent, the worker says so at ERROR and stops, ``sagwa worker`` with
    ``error (conflict)`` and exit status 1 (a service manager restarts it, and the start's
    check says the same)."""
    sink, port = smtp_sink
    rotate(OLD_SECRET)
    message_id = _queue(committed_database, "retired-key-2",
                        not_before=utc_now() + timedelta(seconds=3))
    errors: list[BaseException] = []
    started = threading.Event()

    def run() -> None:
        try:
            asyncio.run(run_worker_async(
                _settings(committed_database, port, tmp_path),
                WorkerOptions(concurrency=1, queues=("messages",), heartbeat_every=0.5),
                install_signal_handlers=False, on_started=lambda _: started.set()))
        except BaseException as exc:  # noqa: BLE001 - asserted on the test's thread
            errors.append(exc)

    worker = threading.Thread(target=run, name="retired-key-worker")
    with caplog.at_level(logging.ERROR, logger="sagwa.jobs.worker"):
        worker.start()
        assert started.wait(30)
        with committed_database.engine.begin() as conn:  # another host, restarted on NEW
            AuditRepository(conn, key=chain_key(NEW_SECRET)).append(
                AuditEvent("host-b", "test.rotated", "test", "1"), utc_now())
        worker.join(timeout=60)
    assert not worker.is_alive(), "the worker went on"
    [why] = errors
    assert isinstance(why, Conflict) and why.details["reason"] == "audit_key_unknown"
    assert sink.messages() == []
    assert _row(committed_database, message_id).status == "pending"
    [said] = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert said.startswith("delivery stopped: the database's audit log was written with key")
    assert said.endswith("restart this worker with the current key")
