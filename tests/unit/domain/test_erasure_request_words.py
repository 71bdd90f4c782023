"""A refused erasure request: when it will be carried out, the mark the staff pages show, and
the answer staff send the customer within 10 days (reasons, until when, how to object)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sagwa.domain.erasure_requests import (
    answer_by,
    answer_overdue,
    answer_words,
    asked_at_of,
    done_words,
    erase_from,
    kept_until_day,
    mark_words,
)
from sagwa.domain.moments import SEOUL
from sagwa.domain.retention import Hold, Kept
from sagwa.errors import InvalidInput

PAID = Hold(Kept.PAYMENTS, datetime(2013, 6, 17, tzinfo=SEOUL))
CASES = Hold(Kept.DISPUTES, datetime(2011, 6, 19, tzinfo=SEOUL))
POINTS = Hold(Kept.POINTS_HELD, None)
ASKED = datetime(2008, 6, 20, 15, 0, tzinfo=SEOUL)


def test_it_is_carried_out_when_the_last_hold_ends_and_not_while_a_matter_is_open() -> None:
    assert erase_from([CASES, PAID]) == PAID.until
    assert erase_from([CASES, POINTS]) is None


def test_the_last_day_kept_is_the_day_before_it_may_go() -> None:
    assert kept_until_day(datetime(2013, 6, 17, tzinfo=SEOUL)) == date(2013, 6, 16)


def test_the_mark_says_korean_first_until_when_the_law_keeps_it() -> None:
    assert mark_words(PAID.until) == ("삭제 요청 · 법정 보존 중 (2013-06-16까지)",
                                      "Erasure requested · kept by law until 2013-06-16")
    assert mark_words(None)[0] == "삭제 요청 · 처리 중인 일로 보존 중"


def test_the_answer_is_due_within_ten_days_of_the_request() -> None:
    assert answer_by(ASKED) == date(2008, 6, 30)


def test_the_answer_names_each_law_until_when_the_erasure_and_how_to_object() -> None:
    said = answer_words([CASES, PAID], asked_at=ASKED)
    ko, en = said["ko"], said["en"]
    assert "2008-06-20에 요청하신" in ko
    assert "소비자 불만·분쟁 처리에 관한 기록(가격 오류 건): 2011-06-18까지" in ko
    assert "전자상거래법 시행령 제6조 제1항 제3호" in ko and "2013-06-16까지" in ko
    assert "2013-06-17에 다시 요청하지 않으셔도 삭제합니다" in ko
    assert "제36조 제1항 단서" in ko and "위 목적 외에는 이용하지 않습니다" in ko
    assert "분리하여 보관" not in ko  # sagwa marks the data; it does not move it apart
    assert "개인정보 보호책임자" in ko and "118" in ko and "1833-6972" in ko
    assert "until 2013-06-16" in en and "deleted on 2013-06-17" in en
    # the English letter names the laws in English, and the proviso
    assert "Electronic Commerce, Article 6(1)(iii): 5 years" in en and "전자상거래법" not in en
    assert "the proviso to Article 36(1)" in en
    assert "privacy officer" in en and "118" in en and "1833-6972" in en


def test_an_open_matter_is_answered_without_a_date() -> None:
    said = answer_words([POINTS], asked_at=ASKED)
    # what ends it, where that is the customer's to do: points do not expire
    assert "사용하지 않은 포인트: 모두 사용하시거나 포기하겠다고 알려 주실 때까지" in said["ko"]
    assert "points not yet used: until they are used, or you tell us you give them up" in said["en"]
    assert "처리 중인 일이 끝나고 법정 보존 기간이 지나면" in said["ko"]
    assert "once the open matter is settled" in said["en"]


def test_the_answer_names_the_privacy_officer_when_the_policy_does() -> None:
    said = answer_words([PAID], asked_at=ASKED,
                        officer=("홍길동", "privacy@example.co.kr"))
    assert "개인정보 보호책임자(홍길동, privacy@example.co.kr)에게" in said["ko"]
    assert "privacy officer (홍길동, privacy@example.co.kr), or" in said["en"]
    unnamed = answer_words([PAID], asked_at=ASKED)
    assert "개인정보 보호책임자에게" in unnamed["ko"] and "privacy officer, or" in unnamed["en"]


def test_an_open_matter_is_not_called_a_law_that_keeps_the_data() -> None:
    said = answer_words([POINTS], asked_at=ASKED)
    ko, en = said["ko"], said["en"]
    assert "제36조 제1항 단서" not in ko and "must be kept by law" not in en
    assert "아직 처리 중" in ko and "제21조 제1항" in ko
    assert "still being settled" in en and "Article 21(1)" in en
    both = answer_words([PAID, POINTS], asked_at=ASKED)["ko"]
    law, matters = both.index("제36조 제1항 단서"), both.index("아직 처리 중")
    assert law < both.index("대금 결제에 관한 기록") < matters < both.index("사용하지 않은 포인트")


def test_the_day_a_customer_asked_starts_at_midnight_in_korea_and_today_is_now() -> None:
    now = datetime(2026, 12, 7, 0, 30, tzinfo=SEOUL)  # 2026-12-06 15:30 UTC: already the 7th
    assert asked_at_of(None, now) == now
    assert asked_at_of(date(2026, 12, 7), now) == now
    assert asked_at_of(date(2026, 11, 20), now) == datetime(2026, 11, 20, tzinfo=SEOUL)
    with pytest.raises(InvalidInput) as later:
        asked_at_of(date(2026, 12, 8), now)
    assert later.value.details["today"] == "2026-12-07"
    assert "2026-12-07" in later.value.message


def test_an_answer_is_overdue_only_after_its_tenth_day() -> None:
    asked = datetime(2026, 11, 20, 18, 0, tzinfo=SEOUL)
    assert answer_by(asked) == date(2026, 11, 30)
    assert not answer_overdue(asked, datetime(2026, 11, 30, 23, 59, tzinfo=SEOUL))
    assert answer_overdue(asked, datetime(2026, 12, 1, 0, 0, tzinfo=SEOUL))


def test_a_case_still_open_is_a_price_error_case_not_an_incident() -> None:
    """Customers know it as a price error: "사고" is the desk's word."""
    open_case = Hold(Kept.OPEN_CASES, None)
    said = answer_words([open_case], asked_at=ASKED)
    assert "- 처리 중인 가격 오류 건: 처리가 끝날 때까지" in said["ko"] and "사고" not in said["ko"]
    assert "- price-error cases still being settled: until settled" in said["en"]


def test_the_letter_of_a_request_carried_out_says_what_the_change_log_still_holds() -> None:
    """Not "deleted" where the chained log keeps contact details masked, or old notes."""
    done = datetime(2026, 12, 7, 10, 0, tzinfo=SEOUL)
    plain = done_words(asked_at=ASKED, erased_at=done)
    assert "변경 이력" not in plain["ko"] and "change log" not in plain["en"]
    both = done_words(asked_at=ASKED, erased_at=done, masked_contacts=True, old_notes=True)
    assert "연락처가 일부를 가린 형태(예: 010-****-1234)로 남아 있습니다" in both["ko"]
    assert "또한 2026년 12월 6일 전에 적은 상담 내용 일부가" in both["ko"]
    assert "partly masked" in both["en"] and "notes written before 6 December 2026" in both["en"]
    notes = done_words(asked_at=ASKED, erased_at=done, old_notes=True)
    assert "다만 2026년 12월 6일 전에" in notes["ko"] and "masked" not in notes["en"]
