"""An outbox text delivered end to end through NHN Cloud SMS as configured
(``SAGWA_SMS_PROVIDER=nhn``): real PostgreSQL, ``deliver_message``, and a real HTTP server on
127.0.0.1 standing in for NHN (``sagwa.testing.sms_sink``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders import senders_for
from sagwa.config import Settings
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
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
    [request] = sink.requests()
    assert request.path.endswith("/sender/mms")  # a Korean apology is longer than 90 bytes
    assert request.body["body"] == BODY
    assert request.body["recipientList"] == [{"recipientNo": "01012345678"}]
    assert sink.key_counts() == {"incident:7:case:42:resolution:sms": 1}
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, None)


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
    assert SECRET not in row.last_error
