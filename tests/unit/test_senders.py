"""The log senders (demo SMS and email providers) write each idempotency key once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sagwa.adapters.senders import senders_for
from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.fake import FakeSender
from sagwa.adapters.senders.mail_log import MailLogSender
from sagwa.adapters.senders.sms_log import SmsLogSender
from sagwa.adapters.senders.smtp import IDEMPOTENCY_HEADER, SmtpSender, build_email
from sagwa.config import Settings
from sagwa.errors import DeliveryFailed

SMS = Envelope(channel="sms", recipient="010-1234-5678", locale="ko", subject="",
               body="[사과] 가격 오류로 불편을 드려 죄송합니다. 선택: https://sagwa.example/c/1")
EMAIL = Envelope(channel="email", recipient="minji@example.com", locale="ko",
                 subject="[사과] 가격 오류 안내", body="진심으로 사과드립니다.")


def _lines(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_sms_log_writes_one_json_line_with_the_key(tmp_path: Path) -> None:
    sender = SmsLogSender(tmp_path / "sms.log")
    provider_id = sender.send(SMS, idempotency_key="case:1:sms")

    [line] = _lines(tmp_path / "sms.log")
    assert line["idempotency_key"] == "case:1:sms"
    assert line["id"] == provider_id
    assert (line["recipient"], line["body"]) == (SMS.recipient, SMS.body)


def test_a_retry_with_the_same_key_writes_nothing_and_returns_the_first_id(
        tmp_path: Path) -> None:
    sender = SmsLogSender(tmp_path / "sms.log")
    first = sender.send(SMS, idempotency_key="case:1:sms")
    again = sender.send(SMS, idempotency_key="case:1:sms")
    other = sender.send(SMS, idempotency_key="case:2:sms")

    assert first == again != other
    assert [line["idempotency_key"] for line in _lines(tmp_path / "sms.log")] == [
        "case:1:sms", "case:2:sms"]


def test_dedupe_holds_across_senders_sharing_the_file(tmp_path: Path) -> None:
    """Two worker processes (here: two sender objects) on one log file."""
    path = tmp_path / "mail.log"
    one, two = MailLogSender(path), MailLogSender(path)
    one.send(EMAIL, idempotency_key="k1")
    two.send(EMAIL, idempotency_key="k1")
    two.send(EMAIL, idempotency_key="k2")
    one.send(EMAIL, idempotency_key="k2")
    # a fresh process reads what is already there
    MailLogSender(path).send(EMAIL, idempotency_key="k1")

    assert [line["idempotency_key"] for line in _lines(path)] == ["k1", "k2"]


def test_a_torn_last_line_does_not_hide_later_messages(tmp_path: Path) -> None:
    path = tmp_path / "sms.log"
    path.write_text('{"idempotency_key": "half-writ', encoding="utf-8")
    SmsLogSender(path).send(SMS, idempotency_key="k1")
    assert "k1" in path.read_text(encoding="utf-8")


def test_a_sender_refuses_the_other_channel(tmp_path: Path) -> None:
    with pytest.raises(DeliveryFailed) as refused:
        SmsLogSender(tmp_path / "sms.log").send(EMAIL, idempotency_key="k")
    assert refused.value.temporary is False


def test_senders_follow_the_settings(tmp_path: Path) -> None:
    logged = senders_for(Settings(email_provider="log", mail_log_path=tmp_path / "m.log",
                                  sms_log_path=tmp_path / "s.log"))
    smtp = senders_for(Settings(email_provider="smtp", smtp_port=2525))
    assert isinstance(logged["email"], MailLogSender)
    assert isinstance(logged["sms"], SmsLogSender) and isinstance(smtp["sms"], SmsLogSender)
    assert isinstance(smtp["email"], SmtpSender) and smtp["email"].port == 2525


def test_email_headers_carry_the_key_and_a_stable_message_id() -> None:
    first = build_email(EMAIL, "case:1:email", "사과 <help@sagwa.example>", "sagwa.example")
    again = build_email(EMAIL, "case:1:email", "사과 <help@sagwa.example>", "sagwa.example")
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"].endswith("@sagwa.example>")
    assert first[IDEMPOTENCY_HEADER] == "case:1:email"
    assert first.as_bytes().isascii()  # encoded for any SMTP server, Korean included


def test_the_fake_sender_fails_on_demand_then_records() -> None:
    fake = FakeSender([DeliveryFailed("down", temporary=True)])
    with pytest.raises(DeliveryFailed):
        fake.send(EMAIL, idempotency_key="k")
    fake.send(EMAIL, idempotency_key="k")
    assert fake.keys == {"k": 1}


def test_texts_said_not_sent_fail_for_good_instead_of_being_marked_sent(tmp_path: Path) -> None:
    """A reviewer: ``SAGWA_SMS_LOG_ONLY=true`` (which production requires) only quieted the
    refusal; texts were still written to the log and marked sent, so a customer with only a
    phone counted as told. Now every text fails for good, as an undeliverable one does (its
    case goes to the agents), and nothing is written."""
    senders = senders_for(Settings(sms_log_only=True, sms_log_path=tmp_path / "s.log"))
    text = Envelope(channel="sms", recipient="010-1234-5678", locale="ko", subject="",
                    body="안내")
    with pytest.raises(DeliveryFailed) as refused:
        senders["sms"].send(text, idempotency_key="case:1:sms")
    assert refused.value.temporary is False
    assert "SAGWA_SMS_LOG_ONLY" in refused.value.message
    assert not (tmp_path / "s.log").exists()
