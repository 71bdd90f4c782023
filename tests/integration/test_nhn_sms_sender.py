"""``NhnSmsSender`` against a real HTTP server on 127.0.0.1 (``sagwa.testing.sms_sink``) that
answers as NHN Cloud SMS does: what it sends, and how each answer — or none — is classified;
and ``send_again``, which asks NHN's list of sent texts before sending a text again."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.nhn_sms import NhnSmsSender
from sagwa.errors import DeliveryFailed
from sagwa.testing.ports import free_port
from sagwa.testing.sms_sink import Reply, SmsSink, nhn_refusal, running_sms_sink

pytestmark = pytest.mark.integration

APP_KEY, SECRET = "AppKey0123456789", "Sx9-never-in-a-log"
SHORT = "[사과 고객센터] 가격 오류를 사과드립니다. 답변: https://sagwa.example/c/1"
LONG = ("[사과 고객센터] 삼성 노트북 가격이 잘못 표시되어 진심으로 사과드립니다. 동의 없이 "
        "취소하지 않습니다. 주문 취소(전액 환불) 또는 할인 구매 중 원하시는 방법을 6월 20일 "
        "18:00(한국 시간)까지 알려 주세요: https://sagwa.example/c/AbCdEf 문의 1588-1234")


def _text(body: str, to: str = "010-1234-5678") -> Envelope:
    return Envelope(channel="sms", recipient=to, locale="ko", subject="", body=body)


@pytest.fixture
def sink() -> Iterator[SmsSink]:
    with running_sms_sink() as running:
        yield running


@pytest.fixture
def sender(sink: SmsSink) -> Iterator[NhnSmsSender]:
    sending = NhnSmsSender(app_key=APP_KEY, secret_key=SECRET, sender_no="15881234",
                           base_url=sink.base_url,
                           timeout=httpx.Timeout(0.5, connect=0.5, pool=0.5))
    yield sending
    sending.close()


def test_a_short_korean_text_goes_as_sms_with_the_secret_key_and_the_idempotency_key(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    provider_id = sender.send(_text(SHORT), idempotency_key="incident:7:case:42:resolution:sms")

    [request] = sink.requests()
    assert request.path == f"/sms/v3.0/appKeys/{APP_KEY}/sender/sms"
    assert request.headers["x-secret-key"] == SECRET
    assert request.headers["content-type"].startswith("application/json")
    assert request.body["body"] == SHORT and request.body["sendNo"] == "15881234"
    assert request.body["recipientList"] == [{"recipientNo": "01012345678"}]
    assert request.body["senderGroupingKey"] == "incident:7:case:42:resolution:sms"
    assert provider_id == "nhn:sink-1:1"


def test_a_long_korean_text_goes_as_lms_with_a_title(sink: SmsSink,
                                                     sender: NhnSmsSender) -> None:
    sender.send(_text(LONG), idempotency_key="k-long")
    [request] = sink.requests()
    assert request.path.endswith("/sender/mms")
    assert request.body["body"] == LONG and request.body["title"].startswith("[사과 고객센터]")


def test_a_server_error_is_temporary(sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(status=500, raw=b"Internal Server Error"))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is True and "HTTP 500" in failed.value.message


def test_a_bad_number_refused_with_400_is_permanent_with_nhns_words(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(status=400, payload=nhn_refusal(-2019, "RecipientNo is invalid.")))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is False
    assert "resultCode -2019: RecipientNo is invalid." in failed.value.message


def test_a_request_accepted_but_its_recipient_refused_is_permanent(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(recipient_code=-6001, recipient_message="Recipient Number is refused."))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is False
    assert "refused the recipient (resultCode -6001" in failed.value.message


def test_too_many_requests_is_temporary(sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(status=429, raw=b""))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is True


def test_a_server_that_does_not_answer_in_time_is_temporary(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(delay=3.0))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is True and "did not answer in time" in failed.value.message


def test_a_server_nobody_runs_is_temporary() -> None:
    sender = NhnSmsSender(app_key=APP_KEY, secret_key=SECRET, sender_no="15881234",
                          base_url=f"http://127.0.0.1:{free_port()}",
                          timeout=httpx.Timeout(0.5))
    with pytest.raises(DeliveryFailed) as failed:
        sender.send(_text(SHORT), idempotency_key="k")
    assert failed.value.temporary is True
    assert SECRET not in failed.value.message
    sender.close()


def test_the_secret_key_is_in_no_error_and_no_log_line(
        sink: SmsSink, sender: NhnSmsSender, caplog: pytest.LogCaptureFixture) -> None:
    """A provider that echoes what it got (here: the secret key, in its message) must not put
    the key in the outbox row's last_error, nor any logger in the log."""
    sink.replies.extend([
        Reply(status=401, payload=nhn_refusal(-1000, f"Invalid secret key {SECRET}")),
        Reply(status=502, raw=f"bad gateway {SECRET}".encode()),
        Reply(delay=3.0)])
    errors = []
    with caplog.at_level(logging.DEBUG):
        for _ in range(3):
            with pytest.raises(DeliveryFailed) as failed:
                sender.send(_text(SHORT), idempotency_key="k")
            errors.append(failed.value.message)
        sender.send(_text(SHORT), idempotency_key="k")
    assert errors and all(SECRET not in said for said in errors)
    assert "Invalid secret key ***" in errors[0]
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)


def test_a_text_for_email_is_refused(sender: NhnSmsSender) -> None:
    email = Envelope(channel="email", recipient="a@example.com", locale="ko", subject="s",
                     body="b")
    with pytest.raises(DeliveryFailed) as refused:
        sender.send(email, idempotency_key="k")
    assert refused.value.temporary is False


KEY = "incident:7:case:42:resolution:sms"


def _queued() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=1)


def test_a_text_whose_reply_never_came_is_not_sent_again_when_nhn_lists_it(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(delay=3.0))  # taken, the reply past the client's read timeout
    with pytest.raises(DeliveryFailed) as lost:
        sender.send(_text(SHORT), idempotency_key=KEY)
    assert lost.value.temporary is True

    provider_id = sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued())

    assert provider_id == "nhn:sink-1:1"
    assert len(sink.requests()) == 1
    [lookup] = sink.lookups()
    assert lookup.path == f"/sms/v3.0/appKeys/{APP_KEY}/sender/sms"
    assert lookup.headers["x-secret-key"] == SECRET
    assert lookup.query["senderGroupingKey"] == KEY
    assert {"startRequestDate", "endRequestDate"} <= lookup.query.keys()


def test_a_long_text_is_looked_up_among_long_ones(sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(drop=True))
    with pytest.raises(DeliveryFailed):
        sender.send(_text(LONG), idempotency_key=KEY)
    assert sender.send_again(_text(LONG), idempotency_key=KEY, since=_queued()) == "nhn:sink-1:1"
    assert [lookup.path for lookup in sink.lookups()] == [
        f"/sms/v3.0/appKeys/{APP_KEY}/sender/mms"]
    assert len(sink.requests()) == 1


def test_a_connection_lost_before_nhn_kept_the_text_sends_it_again(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(drop=True, reached=False))
    with pytest.raises(DeliveryFailed) as lost:
        sender.send(_text(SHORT), idempotency_key=KEY)
    assert lost.value.temporary is True

    assert sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued()) == "nhn:sink-2:1"
    assert sink.key_counts() == {KEY: 2} and len(sink.lookups()) == 1


def test_an_earlier_attempt_the_phone_never_got_is_sent_again(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    sink.replies.append(Reply(drop=True, carrier_result="2003"))  # taken; the phone was off
    with pytest.raises(DeliveryFailed):
        sender.send(_text(SHORT), idempotency_key=KEY)
    assert sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued()) == "nhn:sink-2:1"
    assert sink.key_counts() == {KEY: 2}


def test_a_text_never_sent_before_goes_out_after_the_lookup(
        sink: SmsSink, sender: NhnSmsSender) -> None:
    assert sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued()) == "nhn:sink-1:1"
    assert len(sink.lookups()) == 1 and sink.key_counts() == {KEY: 1}


@pytest.mark.parametrize("answer", [Reply(delay=3.0), Reply(drop=True),
                                    Reply(status=503, raw=b"Service Unavailable")])
def test_a_lookup_without_an_answer_sends_nothing_and_is_temporary(
        sink: SmsSink, sender: NhnSmsSender, answer: Reply) -> None:
    sink.lookup_replies.append(answer)
    with pytest.raises(DeliveryFailed) as failed:
        sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued())
    assert failed.value.temporary is True
    assert "earlier attempt" in failed.value.message
    assert sink.requests() == [] and len(sink.lookups()) == 1


def test_the_lookup_puts_the_keys_in_no_error_and_no_log_line(
        sink: SmsSink, sender: NhnSmsSender, caplog: pytest.LogCaptureFixture) -> None:
    sink.lookup_replies.extend([
        Reply(status=401, payload=nhn_refusal(-1000, f"Invalid secret key {SECRET}")),
        Reply(status=502, raw=f"bad gateway {SECRET} {APP_KEY}".encode())])
    sink.replies.append(Reply(drop=True))
    errors = []
    with caplog.at_level(logging.DEBUG):
        for _ in range(2):
            with pytest.raises(DeliveryFailed) as failed:
                sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued())
            errors.append(failed.value.message)
        with pytest.raises(DeliveryFailed):
            sender.send(_text(SHORT), idempotency_key=KEY)
        found = sender.send_again(_text(SHORT), idempotency_key=KEY, since=_queued())
    assert all(SECRET not in said and APP_KEY not in said for said in errors)
    assert "Invalid secret key ***" in errors[0]
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)
    mine = [r.getMessage() for r in caplog.records if r.name == "sagwa.adapters.senders.nhn_sms"]
    assert mine == [(f"NHN Cloud SMS had taken an earlier attempt of this text ({found}): "
                     "not sent again")]
    assert all(lookup.headers["x-secret-key"] == SECRET for lookup in sink.lookups())
