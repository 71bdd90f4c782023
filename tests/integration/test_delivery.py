"""Delivering outbox messages: real SMTP (aiosmtpd), real PostgreSQL, real procrastinate jobs."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text, update

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.fake import FakeSender
from sagwa.adapters.senders.smtp import IDEMPOTENCY_HEADER, SmtpSender
from sagwa.config import Settings
from sagwa.errors import DeliveryFailed
from sagwa.jobs.worker import WorkerOptions, run_worker_async
from sagwa.services.delivery import MAX_ATTEMPTS, Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.ports import free_port
from sagwa.testing.smtp_sink import SmtpSink, running_smtp_sink

pytestmark = pytest.mark.integration

SUBJECT = "[사과] 삼성 노트북 가격 오류에 대해 진심으로 사과드립니다"
BODY = ("김민지 고객님, 6월 12일 159,000원에 주문하신 노트북의 가격이 잘못 표시되었습니다.\n"
        "주문 취소(전액 환불 + 보상 포인트 10,000점) 또는 30% 할인 구매 중에서 골라 주세요. 🍎\n")
FROM = "사과 고객센터 <help@sagwa.example>"


@pytest.fixture
def smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    with running_smtp_sink() as running:
        yield running


def _settings(db: Database, port: int, tmp_path: Path) -> Settings:
    return Settings(database_url=db.engine.url.render_as_string(hide_password=False),
                    email_provider="smtp", smtp_port=port, mail_from=FROM,
                    sms_log_path=tmp_path / "sms.log", mail_log_path=tmp_path / "mail.log",
                    data_dir=tmp_path / "data", environment="test")


def _queue(db: Database, key: str, *, not_before: datetime | None = None,
           channel: str = "email", recipient: str = "minji@example.com") -> int:
    assert db.session_factory is not None
    with SqlAlchemyUnitOfWork(db.session_factory) as uow:
        # a confirmation goes out at any hour (a request to choose waits for contact hours,
        # tests/integration/test_delivery_contact_hours.py); these tests are about delivery
        message_id = enqueue_message(
            uow, idempotency_key=key, purpose="confirmation", channel=channel,
            recipient=recipient, locale="ko", subject=SUBJECT, body=BODY,
            not_before=not_before or uow.now() - timedelta(seconds=1), incident_id=None)
        uow.commit()
    assert message_id is not None
    return message_id


def _row(db: Database, message_id: int) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(select(outbox).where(outbox.c.id == message_id)).one()


def _job(db: Database, message_id: int) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(text(
            "SELECT status::text AS status, scheduled_at, attempts FROM procrastinate_jobs "
            "WHERE (args->>'message_id')::bigint = :id"), {"id": message_id}).one()


def _deliver(db: Database, sender: object, message_id: int,
             now: datetime | None = None) -> Outcome:
    assert db.session_factory is not None
    return deliver_message(db.session_factory, {"email": sender},  # type: ignore[dict-item]
                           message_id, now or utc_now())


def _run_worker_once(settings: Settings) -> None:
    """Run a one-shot worker on its own thread and event loop: the test session may already
    have a loop running on the main thread (Playwright's sync API keeps one)."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(run_worker_async(settings, WorkerOptions(concurrency=2, one_shot=True),
                                         install_signal_handlers=False))
        except BaseException as exc:  # noqa: BLE001 - re-raised on the test's thread below
            errors.append(exc)

    thread = threading.Thread(target=run, name="one-shot-worker")
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the one-shot worker did not finish in 120 s"
    if errors:
        raise errors[0]


def test_korean_email_round_trips_through_a_worker_and_smtp(
        committed_database: Database, smtp_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    sink, port = smtp_sink
    key = "incident:7:case:42:resolution:email"
    message_id = _queue(committed_database, key)

    _run_worker_once(_settings(committed_database, port, tmp_path))

    [received] = sink.messages()
    assert received["Subject"] == SUBJECT
    assert received.get_content() == BODY
    assert received["To"] == "minji@example.com"
    assert "사과 고객센터" in str(received["From"])
    assert received[IDEMPOTENCY_HEADER] == key
    assert received["Message-ID"].endswith("@sagwa.example>")
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.provider_id == received["Message-ID"]  # what SmtpSender returned for it
    assert row.sent_at is not None
    assert _job(committed_database, message_id).status == "succeeded"


def test_message_id_is_the_same_on_every_attempt_of_one_key(
        smtp_sink: tuple[SmtpSink, int]) -> None:
    sink, port = smtp_sink
    sender = SmtpSender("127.0.0.1", port, FROM)
    from sagwa.adapters.senders.base import Envelope

    envelope = Envelope(channel="email", recipient="a@example.com", locale="ko",
                        subject=SUBJECT, body=BODY)
    first = sender.send(envelope, idempotency_key="k-1")
    again = sender.send(envelope, idempotency_key="k-1")
    other = sender.send(envelope, idempotency_key="k-2")
    sender.close()
    assert first == again != other
    assert [m["Message-ID"] for m in sink.messages()] == [first, first, other]


def test_an_already_sent_message_is_not_sent_again(committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-once")
    fake = FakeSender()
    assert _deliver(committed_database, fake, message_id) == Outcome.SENT
    assert _deliver(committed_database, fake, message_id) == Outcome.ALREADY_DONE
    assert fake.keys == {"k-once": 1}


def test_a_temporary_failure_is_recorded_and_retried(committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-flaky")
    fake = FakeSender([DeliveryFailed("SMTP 451: try later", temporary=True)])

    assert _deliver(committed_database, fake, message_id) == Outcome.RETRY
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "SMTP 451: try later")
    assert row.provider_id is None

    assert _deliver(committed_database, fake, message_id) == Outcome.SENT
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert row.provider_id == "fake-1"  # the attempt that went
    assert fake.keys == {"k-flaky": 1}


def test_a_worker_reschedules_a_temporary_smtp_failure_with_backoff(
        committed_database: Database, smtp_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    sink, port = smtp_sink
    sink.refuse["k-451"] = [451]
    message_id = _queue(committed_database, "k-451")
    before = utc_now()

    _run_worker_once(_settings(committed_database, port, tmp_path))

    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("pending", 1)
    assert "451" in row.last_error
    job = _job(committed_database, message_id)
    assert job.status == "todo" and job.attempts == 1
    assert before + timedelta(seconds=9) <= job.scheduled_at <= utc_now() + timedelta(seconds=11)
    assert sink.count == 0


def test_a_permanent_failure_marks_the_message_failed(
        committed_database: Database, smtp_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    sink, port = smtp_sink
    sink.refuse["k-550"] = [550]
    message_id = _queue(committed_database, "k-550")

    _run_worker_once(_settings(committed_database, port, tmp_path))

    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "550" in row.last_error and row.provider_id is None
    assert _job(committed_database, message_id).status == "succeeded"  # nothing left to retry
    assert sink.count == 0


def test_a_message_failing_every_attempt_ends_failed(committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-always-down")
    fake = FakeSender([DeliveryFailed("connection refused", temporary=True)] * MAX_ATTEMPTS)
    outcomes = [_deliver(committed_database, fake, message_id) for _ in range(MAX_ATTEMPTS)]

    assert outcomes == [Outcome.RETRY] * (MAX_ATTEMPTS - 1) + [Outcome.FAILED]
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == (
        "failed", MAX_ATTEMPTS, "connection refused")
    assert _deliver(committed_database, fake, message_id) == Outcome.ALREADY_DONE


def test_a_message_not_yet_due_is_not_sent_and_its_job_waits_for_it(
        committed_database: Database, smtp_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    sink, port = smtp_sink
    due = (utc_now() + timedelta(hours=3)).replace(microsecond=0)
    message_id = _queue(committed_database, "k-tomorrow-morning", not_before=due)
    fake = FakeSender()

    assert _deliver(committed_database, fake, message_id) == Outcome.NOT_DUE
    assert fake.calls == []
    # the job itself is scheduled at not_before, so a worker does not even pick it up early
    with committed_database.engine.begin() as conn:
        conn.execute(text("UPDATE procrastinate_jobs SET scheduled_at = now() "
                          "WHERE (args->>'message_id')::bigint = :id"), {"id": message_id})
    _run_worker_once(_settings(committed_database, port, tmp_path))

    assert sink.count == 0
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("pending", 0)
    job = _job(committed_database, message_id)
    assert (job.status, job.scheduled_at) == ("todo", due)
    assert _deliver(committed_database, fake, message_id, now=due) == Outcome.SENT


def test_a_stale_sending_row_is_claimed_again_but_a_leased_one_is_busy(
        committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-crashed-mid-send")
    with committed_database.engine.begin() as conn:  # a worker claimed it, then died
        conn.execute(update(outbox).where(outbox.c.id == message_id)
                     .values(status="sending", attempts=1))
    fake = FakeSender()

    with committed_database.engine.connect() as holder:  # a live worker's lease
        holder.execute(select(func.pg_advisory_xact_lock(0x5A6A, message_id)))
        assert _deliver(committed_database, fake, message_id) == Outcome.BUSY
        holder.rollback()

    assert _deliver(committed_database, fake, message_id) == Outcome.SENT
    assert _row(committed_database, message_id).attempts == 2
    assert fake.keys == {"k-crashed-mid-send": 1}


def test_sms_goes_to_the_demo_log_once_per_key(committed_database: Database,
                                              tmp_path: Path) -> None:
    settings = Settings(sms_log_path=tmp_path / "sms.log", mail_log_path=tmp_path / "mail.log",
                        email_provider="log", environment="test")
    senders = senders_for(settings)
    message_id = _queue(committed_database, "k-sms", channel="sms", recipient="010-1234-5678")
    assert committed_database.session_factory is not None
    outcome = deliver_message(committed_database.session_factory, senders, message_id, utc_now())
    with committed_database.engine.begin() as conn:  # as if the mark 'sent' was lost
        # (a sent row refuses changes, migration 0021: only a database crash loses the mark)
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(update(outbox).where(outbox.c.id == message_id).values(status="pending"))
    again = deliver_message(committed_database.session_factory, senders, message_id, utc_now())

    assert outcome == again == Outcome.SENT
    lines = (tmp_path / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and "k-sms" in lines[0] and "사과" in lines[0]


def test_unreachable_smtp_is_a_temporary_failure() -> None:
    from sagwa.adapters.senders.base import Envelope

    port = free_port()  # nobody listens there
    envelope = Envelope(channel="email", recipient="a@example.com", locale="ko",
                        subject=SUBJECT, body=BODY)
    with pytest.raises(DeliveryFailed) as failed:
        SmtpSender("127.0.0.1", port, FROM, timeout=2).send(envelope, idempotency_key="k")
    assert failed.value.temporary is True


def test_a_background_worker_delivers_and_stops_on_request(
        committed_database: Database, smtp_sink: tuple[SmtpSink, int], tmp_path: Path) -> None:
    """What ``sagwa serve`` runs in-process: a worker thread with its own event loop."""
    import time

    from sagwa.jobs.worker import run_worker_in_background

    sink, port = smtp_sink
    handle = run_worker_in_background(_settings(committed_database, port, tmp_path))
    try:
        message_id = _queue(committed_database, "k-served")  # queued after the worker started
        deadline = time.monotonic() + 20
        while _row(committed_database, message_id).status != "sent":
            assert time.monotonic() < deadline, "the background worker sent nothing"
            time.sleep(0.05)
    finally:
        handle.stop(timeout=30)
    assert not handle.running
    assert sink.keys() == ["k-served"]


def test_a_connection_the_server_closed_is_reopened_and_the_email_sent_once() -> None:
    from aiosmtpd.controller import Controller

    from sagwa.adapters.senders.base import Envelope

    sink, port = SmtpSink(), free_port()
    envelope = Envelope(channel="email", recipient="minji@example.com", locale="ko",
                        subject=SUBJECT, body=BODY)
    sender = SmtpSender("127.0.0.1", port, FROM)
    first = Controller(sink, hostname="127.0.0.1", port=port)
    first.start()
    try:
        sender.send(envelope, idempotency_key="k-before")
    finally:
        first.stop()  # the server goes away with our idle connection open
    again = Controller(sink, hostname="127.0.0.1", port=port)
    again.start()
    try:
        sender.send(envelope, idempotency_key="k-after")  # the stale connection is replaced
    finally:
        sender.close()
        again.stop()
    assert sink.keys() == ["k-before", "k-after"]


def test_a_withdrawn_message_is_not_sent(committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-withdrawn")
    with committed_database.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == message_id).values(status="withdrawn"))
    sender = FakeSender()
    assert _deliver(committed_database, sender, message_id) is Outcome.ALREADY_DONE
    assert sender.calls == [] and _row(committed_database, message_id).status == "withdrawn"
