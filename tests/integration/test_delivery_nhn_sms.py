"""An outbox text delivered end to end through NHN Cloud SMS as configured
(``SAGWA_SMS_PROVIDER=nhn``): real PostgreSQL, ``deliver_message``, and a real HTTP server on
127.0.0.1 standing in for NHN (``sagwa.testing.sms_sink``). A text whose reply was lost is
looked up at NHN before it is tried again — by the same worker, another one taking over a
stale claim, or after it was queued again — and sent once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.outbox_repo import SEND_WINDOW, OutboxRepository
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.base import Envelope
from sagwa.config import Settings
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import DELIVER_TASK, MESSAGE_QUEUE, enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.sms_sink import Reply, SmsSink, nhn_refusal, running_sms_sink

pytestmark = pytest.mark.integration

SECRET = "Sx9-kept-out-of-rows"
BODY = ("[사과 고객센터] 노트북 가격이 잘못 표시되어 진심으로 사과드립니다. 동의 없이 취소하지 "
        "않습니다. 원하시는 방법을 알려 주세요: https://sagwa.example/c/AbCd")


@pytest.fixture
def sink() -> Iterator[SmsSink]:
    with running_sms_sink() as running:
        yield running


def _senders(sink: SmsSink, tmp_path: Path) -> dict[str, Any]:
    settings = Settings(sms_provider="nhn", nhn_sms_app_key="AppKey0123456789",
                        nhn_sms_secret_key=SECRET, sms_sender="1588-1234",
                        nhn_sms_base_url=sink.base_url, email_provider="log",
                        mail_log_path=tmp_path / "mail.log", data_dir=tmp_path / "data",
                        environment="test")
    return dict(senders_for(settings))


def _queue(db: Database, key: str) -> int:
    assert db.session_factory is not None
    with SqlAlchemyUnitOfWork(db.session_factory) as uow:
        message_id = enqueue_message(
            uow, idempotency_key=key, purpose="confirmation", channel="sms",
            recipient="010-1234-5678", locale="ko", subject="", body=BODY,
            not_before=uow.now() - timedelta(seconds=1), incident_id=None)
        uow.commit()
    assert message_id is not None
    return message_id


def _row(db: Database, message_id: int) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(select(outbox).where(outbox.c.id == message_id)).one()


def test_an_outbox_text_reaches_nhn_once_and_is_marked_sent(
        committed_database: Database, sink: SmsSink, tmp_path: Path) -> None:
    senders = _senders(sink, tmp_path)
    message_id = _queue(committed_database, "incident:7:case:42:resolution:sms")
    assert committed_database.session_factory is not None
    try:
        outcome = deliver_message(committed_database.session_factory, senders, message_id,
                                  utc_now())
        again = deliver_message(committed_database.session_factory, senders, message_id,
                                utc_now())
    finally:
        senders["sms"].close()

    assert (outcome, again) == (Outcome.SENT, Outcome.ALREADY_DONE)
    assert sink.lookups() == []  # a first attempt asks NHN nothing
    [request] = sink.requests()
    assert request.path.endswith("/sender/mms")  # a Korean apology is longer than 90 bytes
    assert request.body["body"] == BODY
    assert request.body["recipientList"] == [{"recipientNo": "01012345678"}]
    assert sink.key_counts() == {"incident:7:case:42:resolution:sms": 1}
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)
    assert row.provider_id == "nhn:sink-1:1"  # NHN's requestId (and recipientSeq) for it


def test_a_number_nhn_refuses_fails_for_good_with_its_reason_and_no_secret(
        committed_database: Database, sink: SmsSink, tmp_path: Path) -> None:
    senders = _senders(sink, tmp_path)
    sink.replies.append(Reply(status=400, payload=nhn_refusal(
        -2019, f"RecipientNo is invalid. key={SECRET}")))
    message_id = _queue(committed_database, "k-refused")
    assert committed_database.session_factory is not None
    try:
        outcome = deliver_message(committed_database.session_factory, senders, message_id,
                                  utc_now())
    finally:
        senders["sms"].close()

    assert outcome == Outcome.FAILED
    row = _row(committed_database, message_id)
    assert row.status == "failed" and "RecipientNo is invalid." in row.last_error
    assert row.provider_id is None
    assert SECRET not in row.last_error


KEY = "incident:7:case:42:resolution:sms"


def _deliver(db: Database, senders: dict[str, Any], message_id: int,
             **kwargs: Any) -> Outcome:
    assert db.session_factory is not None
    return deliver_message(db.session_factory, senders, message_id, utc_now(), **kwargs)


@pytest.fixture
def senders(sink: SmsSink, tmp_path: Path) -> Iterator[dict[str, Any]]:
    sending = _senders(sink, tmp_path)
    yield sending
    sending["sms"].close()


def test_a_text_whose_reply_was_lost_is_delivered_once(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any]) -> None:
    sink.replies.append(Reply(drop=True))  # NHN took it; the connection dropped before the reply
    message_id = _queue(committed_database, KEY)

    first = _deliver(committed_database, senders, message_id)
    assert first == Outcome.RETRY
    assert _row(committed_database, message_id).status == "pending"
    second = _deliver(committed_database, senders, message_id)

    assert second == Outcome.SENT
    assert sink.key_counts() == {KEY: 1}
    [lookup] = sink.lookups()
    assert lookup.query["senderGroupingKey"] == KEY and lookup.headers["x-secret-key"] == SECRET
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)
    assert row.provider_id == "nhn:sink-1:1"  # the earlier attempt's requestId, looked up


def test_a_lost_reply_nhn_did_not_take_is_sent_again(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any]) -> None:
    sink.replies.append(Reply(drop=True, reached=False))
    message_id = _queue(committed_database, KEY)

    outcomes = [_deliver(committed_database, senders, message_id) for _ in range(2)]

    assert outcomes == [Outcome.RETRY, Outcome.SENT]
    assert sink.key_counts() == {KEY: 2} and len(sink.lookups()) == 1
    assert sink.listed(KEY) == ["sink-2"]  # the one NHN took
    row = _row(committed_database, message_id)
    assert (row.status, row.provider_id) == ("sent", "nhn:sink-2:1")


def test_a_failed_lookup_leaves_the_text_for_a_later_try_and_sends_nothing(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any]) -> None:
    sink.replies.append(Reply(drop=True))
    sink.lookup_replies.append(Reply(status=503, raw=b"Service Unavailable"))
    message_id = _queue(committed_database, KEY)

    outcomes = [_deliver(committed_database, senders, message_id) for _ in range(2)]
    assert outcomes == [Outcome.RETRY, Outcome.RETRY]
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("pending", 2)
    assert "earlier attempt" in row.last_error and SECRET not in row.last_error
    assert sink.key_counts() == {KEY: 1}

    assert _deliver(committed_database, senders, message_id) == Outcome.SENT
    assert sink.key_counts() == {KEY: 1} and len(sink.lookups()) == 2


def test_a_lookup_failing_until_the_attempts_run_out_fails_the_text_unsent(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any]) -> None:
    """Never sent blind: a text NHN may have taken fails for good (its case goes to the agents)
    rather than risk a second one."""
    sink.replies.append(Reply(drop=True))
    sink.lookup_replies.append(Reply(status=503, raw=b""))
    message_id = _queue(committed_database, KEY)

    outcomes = [_deliver(committed_database, senders, message_id, max_attempts=2)
                for _ in range(2)]

    assert outcomes == [Outcome.RETRY, Outcome.FAILED]
    assert sink.key_counts() == {KEY: 1}
    assert _row(committed_database, message_id).status == "failed"


def test_a_stale_claim_taken_over_by_another_worker_is_looked_up_first(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any],
        tmp_path: Path) -> None:
    """Worker A claimed the text and sent it, then died before recording it: the row stays
    ``sending``. Worker B — another process, a sender of its own — claims it once
    ``SEND_WINDOW`` has passed, finds it at NHN and records it sent without a second text."""
    message_id = _queue(committed_database, KEY)
    with committed_database.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == message_id).values(
            status="sending", attempts=1,
            claimed_at=func.now() - SEND_WINDOW - timedelta(minutes=1)))
    row = _row(committed_database, message_id)
    senders["sms"].send(Envelope(channel="sms", recipient=row.recipient, locale="ko",
                                 subject="", body=row.body), idempotency_key=KEY)  # worker A

    worker_b = _senders(sink, tmp_path)
    try:
        outcome = _deliver(committed_database, worker_b, message_id)
    finally:
        worker_b["sms"].close()

    assert outcome == Outcome.SENT
    assert sink.key_counts() == {KEY: 1} and len(sink.lookups()) == 1
    row = _row(committed_database, message_id)
    assert (row.attempts, row.provider_id) == (2, "nhn:sink-1:1")  # worker A's text


def test_a_failed_text_queued_again_is_looked_up_first(
        committed_database: Database, sink: SmsSink, senders: dict[str, Any]) -> None:
    """``sagwa messages retry-failed`` puts its attempts back to 0; its earlier attempt may have
    gone all the same."""
    sink.replies.append(Reply(drop=True))
    message_id = _queue(committed_database, KEY)
    assert _deliver(committed_database, senders, message_id, max_attempts=1) == Outcome.FAILED
    assert committed_database.session_factory is not None
    with committed_database.session_factory() as session:
        assert OutboxRepository(session.connection()).requeue_failed(
            message_id, not_before=utc_now() - timedelta(seconds=1), queue=MESSAGE_QUEUE,
            task=DELIVER_TASK)
        session.commit()

    assert _deliver(committed_database, senders, message_id) == Outcome.SENT
    assert sink.key_counts() == {KEY: 1} and len(sink.lookups()) == 1
