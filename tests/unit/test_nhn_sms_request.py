"""The NHN Cloud SMS request and the reading of its reply, as pure functions: short (SMS) or
long (LMS) by the text's length in EUC-KR, numbers as digits, and each reply sorted into
sent, worth another try, or failed for good; the look-up of an earlier attempt (NHN's list of
sent texts by ``senderGroupingKey``) and the reading of its reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.nhn_sms import (
    LMS_MAX_BYTES,
    SMS_MAX_BYTES,
    NhnRequest,
    build_request,
    euc_kr_bytes,
    lookup_params,
    read_lookup,
    read_reply,
    sendable,
)
from sagwa.errors import DeliveryFailed


def _text(body: str, *, subject: str = "", to: str = "010-1234-5678") -> Envelope:
    return Envelope(channel="sms", recipient=to, locale="ko", subject=subject, body=body)


def _build(message: Envelope, key: str = "incident:7:case:42:resolution:sms") -> NhnRequest:
    return build_request(message, app_key="APPKEY", sender_no="15881234", idempotency_key=key)


def test_hangul_counts_two_bytes_and_ascii_one() -> None:
    assert euc_kr_bytes("사과 ok") == 2 + 2 + 1 + 2


def test_a_text_of_90_bytes_goes_short_and_one_more_goes_long() -> None:
    short = _build(_text("가" * 45))
    long = _build(_text("가" * 45 + "!"))
    assert short.path == "/sms/v3.0/appKeys/APPKEY/sender/sms"
    assert long.path == "/sms/v3.0/appKeys/APPKEY/sender/mms"
    assert "title" not in short.body
    assert short.body == {"body": "가" * 45, "sendNo": "15881234",
                          "recipientList": [{"recipientNo": "01012345678"}],
                          "senderGroupingKey": "incident:7:case:42:resolution:sms"}


def test_a_long_text_is_titled_from_its_subject_or_first_line_within_40_bytes() -> None:
    body = "[사과 고객센터] 노트북 가격이 잘못 표시되어 진심으로 사과드립니다. " * 3
    assert euc_kr_bytes(body) > SMS_MAX_BYTES
    titled = _build(_text(body))
    assert titled.body["title"] == "[사과 고객센터] 노트북 가격이 잘못 표시"
    assert euc_kr_bytes(titled.body["title"]) <= 40
    assert _build(_text(body, subject="가격 오류 안내")).body["title"] == "가격 오류 안내"


def test_a_text_too_long_even_for_lms_fails_for_good_before_anything_is_sent() -> None:
    with pytest.raises(DeliveryFailed) as refused:
        _build(_text("가" * (LMS_MAX_BYTES // 2) + "!"))
    assert refused.value.temporary is False
    assert "2,001 bytes" in refused.value.message and "2,000" in refused.value.message


@pytest.mark.parametrize(("written", "sent"), [
    ("사과드립니다 🍎", "사과드립니다 "),               # an emoji in a product's name: left out
    ("3–5영업일 — 확인", "3-5영업일 - 확인"),            # dashes EUC-KR lacks
    ("₩19,900", "\uffe619,900"),                     # the won sign as EUC-KR has it
    ("Café ｱｲ", "Cafe アイ")])                       # compatibility forms
def test_characters_euc_kr_lacks_are_sent_as_it_can_send_them(written: str, sent: str) -> None:
    assert _build(_text(written)).body["body"] == sent


def test_sendable_changes_nothing_euc_kr_has() -> None:
    text = "[사과] 주문하신 ‘아이팟’ 가격 오류… 고객센터 1544-0000 · 09:00~18:00"
    assert sendable(text) == text


@pytest.mark.parametrize(("written", "field", "sent"), [
    ("010-1234-5678", "recipientNo", "01012345678"),
    ("+82 10 1234 5678", "recipientNo", "01012345678"),
    ("(02) 123-4567", "recipientNo", "021234567"),
    ("+1 415-555-0100", "internationalRecipientNo", "14155550100"),
])
def test_numbers_go_as_digits(written: str, field: str, sent: str) -> None:
    assert _build(_text("안내", to=written)).body["recipientList"] == [{field: sent}]


def test_a_recipient_that_is_no_phone_number_fails_for_good() -> None:
    with pytest.raises(DeliveryFailed) as refused:
        _build(_text("안내", to="minji@example.com"))
    assert refused.value.temporary is False and "minji" not in refused.value.message


def test_a_long_text_abroad_fails_for_good_as_nhn_sends_lms_in_korea_only() -> None:
    with pytest.raises(DeliveryFailed) as refused:
        _build(_text("가" * 60, to="+1 415-555-0100"))
    assert refused.value.temporary is False and "outside Korea" in refused.value.message


def test_a_key_longer_than_nhn_keeps_is_sent_as_its_hash() -> None:
    key = "incident:7:seller:3:" + "x" * 120
    grouping = _build(_text("안내"), key).body["senderGroupingKey"]
    assert len(grouping) <= 100 and grouping.startswith("sha256:")
    assert grouping == _build(_text("안내"), key).body["senderGroupingKey"]


def _reply(header: dict[str, object], results: list[dict[str, object]] | None = None) -> bytes:
    data = {"requestId": "20260101000000abc", "statusCode": "2",
            "sendResultList": results if results is not None else [
                {"recipientNo": "01012345678", "resultCode": 0, "resultMessage": "SUCCESS",
                 "recipientSeq": 1}]}
    return json.dumps({"header": header, "body": {"data": data}}).encode()


OK = {"isSuccessful": True, "resultCode": 0, "resultMessage": "SUCCESS"}


def test_a_reply_accepting_the_recipient_is_sent() -> None:
    assert read_reply(200, _reply(OK)) == "nhn:20260101000000abc:1"


@pytest.mark.parametrize(("status", "content", "temporary", "said"), [
    (500, b"<html>oops</html>", True, "HTTP 500"),
    (503, _reply({"isSuccessful": False, "resultCode": -9999,
                  "resultMessage": "System error."}), True, "System error."),
    (429, b"", True, "HTTP 429"),
    (400, _reply({"isSuccessful": False, "resultCode": -2019,
                  "resultMessage": "RecipientNo is invalid."}), False, "resultCode -2019"),
    (404, b"not found", False, "HTTP 404"),
    (200, _reply({"isSuccessful": False, "resultCode": -2021,
                  "resultMessage": "System error. Failed insert queue."}), True, "queue"),
    (200, _reply({"isSuccessful": False, "resultCode": -2313,
                  "resultMessage": "This sendno is blocked."}), False, "sendno is blocked"),
    (200, _reply(OK, [{"recipientNo": "01012345678", "resultCode": -2019,
                       "resultMessage": "RecipientNo is invalid."}]), False,
     "refused the recipient (resultCode -2019: RecipientNo is invalid.)"),
    (200, _reply(OK, []), False, "no result for the recipient"),
    (200, b"<html>captive portal</html>", False, "not NHN's JSON"),
])
def test_replies_are_sorted_into_temporary_and_permanent_failures(
        status: int, content: bytes, temporary: bool, said: str) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        read_reply(status, content)
    assert failed.value.temporary is temporary
    assert said in failed.value.message


def test_a_provider_message_naming_a_number_is_masked() -> None:
    with pytest.raises(DeliveryFailed) as failed:
        read_reply(200, _reply(OK, [{"recipientNo": "01012345678", "resultCode": -6001,
                                     "resultMessage": "Recipient 010-1234-5678 is refused."}]))
    assert "1234" not in failed.value.message and "5678" in failed.value.message


def test_the_lookup_asks_for_the_key_from_a_day_before_it_was_queued_in_korea_time() -> None:
    queued = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert lookup_params("case:42:sms", since=queued, now=queued + timedelta(hours=2)) == {
        "senderGroupingKey": "case:42:sms", "startRequestDate": "2026-02-28 09:00:00",
        "endRequestDate": "2026-03-01 12:00:00", "pageSize": "100"}


def test_the_lookup_window_stays_within_the_month_nhn_searches() -> None:
    now = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    for since in (now - timedelta(days=60), None):
        params = lookup_params("k", since=since, now=now)
        start, end = (datetime.strptime(params[f"{side}RequestDate"], "%Y-%m-%d %H:%M:%S")
                      for side in ("start", "end"))
        assert end - start == timedelta(days=27)  # NHN refuses more than a month (-4000)


RECIPIENT = {"recipientNo": "01012345678"}


def _listed(*entries: dict[str, object], header: dict[str, object] | None = None) -> bytes:
    return json.dumps({"header": header or OK, "body": {
        "pageNum": 1, "pageSize": 100, "totalCount": len(entries), "data": list(entries)}}).encode()


def _entry(**fields: object) -> dict[str, object]:
    return {"requestId": "20260301090000abc", "requestDate": "2026-03-01 09:00:00.0",
            "recipientNo": "01012345678", "countryCode": "82", "msgStatus": "3",
            "resultCode": "1000", "recipientSeq": 1, "senderGroupingKey": "k", **fields}


@pytest.mark.parametrize("entry", [
    _entry(),                                                   # delivered
    _entry(msgStatus="1", resultCode=None),                     # requested, no result yet
    _entry(msgStatus="2", resultCode=""),                       # being sent
    _entry(recipientNo="1012345678"),                           # the number without its 0
    _entry(senderGroupingKey=None)])                            # the key not repeated
def test_an_earlier_attempt_nhn_took_is_its_provider_id(entry: dict[str, object]) -> None:
    assert read_lookup(200, _listed(entry), grouping_key="k",
                       recipient=RECIPIENT) == "nhn:20260301090000abc:1"


@pytest.mark.parametrize("entries", [
    (),                                                          # NHN never got it
    (_entry(msgStatus="0", resultCode="2003"),),                 # the phone was off
    (_entry(msgStatus="3", resultCode="3006"),),                 # refused by the carrier
    (_entry(msgStatus="5", resultCode=None),),                   # a duplicate NHN failed
    (_entry(recipientNo="01099998888"),),                        # to the number before it
    #                                                              was corrected
    (_entry(senderGroupingKey="other"),)])                       # another text's key
def test_no_earlier_attempt_that_reached_the_customer_means_none(
        entries: tuple[dict[str, object], ...]) -> None:
    assert read_lookup(200, _listed(*entries), grouping_key="k", recipient=RECIPIENT) is None


def test_a_later_attempt_that_went_counts_after_one_that_failed() -> None:
    listed = _listed(_entry(msgStatus="0", resultCode="2003"),
                     _entry(requestId="20260301100000def", recipientSeq=1))
    assert read_lookup(200, listed, grouping_key="k",
                       recipient=RECIPIENT) == "nhn:20260301100000def:1"


def test_a_number_abroad_matches_with_its_country_code() -> None:
    listed = _listed(_entry(recipientNo="4155550100", countryCode="1"))
    assert read_lookup(200, listed, grouping_key="k",
                       recipient={"internationalRecipientNo": "14155550100"}) is not None
    assert read_lookup(200, listed, grouping_key="k",
                       recipient={"internationalRecipientNo": "14155550199"}) is None


@pytest.mark.parametrize(("status", "content", "temporary", "said"), [
    (503, b"", True, "HTTP 503"),
    (429, b"", True, "HTTP 429"),
    (200, b"<html>captive portal</html>", True, "not NHN's"),
    (200, json.dumps({"header": OK, "body": {"data": {"requestId": "x"}}}).encode(), True,
     "not NHN's"),
    (200, _listed(header={"isSuccessful": False, "resultCode": -9999,
                          "resultMessage": "System error."}), True, "System error."),
    (400, _listed(header={"isSuccessful": False, "resultCode": -4000,
                          "resultMessage": "Search is possible within one month."}), False,
     "resultCode -4000"),
])
def test_a_lookup_that_tells_nothing_is_a_failure_never_a_none(
        status: int, content: bytes, temporary: bool, said: str) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        read_lookup(status, content, grouping_key="k", recipient=RECIPIENT)
    assert failed.value.temporary is temporary
    assert said in failed.value.message


@pytest.mark.parametrize(("listed_as", "found"), [
    ("010****5678", True), ("010-****-5678", True), ("010****9999", False)])
def test_a_number_nhn_lists_masked_is_matched_by_its_shown_digits(listed_as: str,
                                                                  found: bool) -> None:
    """A review's doubt: a list that masks numbers ("010****5678") matched nothing, so a text
    NHN took was sent again; the shown digits must agree, the masked ones may be any."""
    listed = _listed(_entry(recipientNo=listed_as))
    said = read_lookup(200, listed, grouping_key="k", recipient={"recipientNo": "01012345678"})
    assert (said is not None) is found


def test_an_empty_list_written_as_null_is_no_earlier_attempt() -> None:
    content = json.dumps({"header": OK, "body": {"pageNum": 1, "pageSize": 100,
                                                 "totalCount": 0, "data": None}}).encode()
    assert read_lookup(200, content, grouping_key="k", recipient=RECIPIENT) is None
