"""The customer's call-time select (``web.pages.call_time_offer``): it starts on the time the
call waits for — picked on the page, or named to an agent on a call — so that saving it
unchanged keeps that time; a named time not on the hour, or outside the hours a page may pick,
is offered all the same, marked as the one they told us; times after the answer deadline of a
customer still choosing are marked, and the deadline is said when the time is after it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.moments import SEOUL
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.call_time_offer import call_time_offer

POLICY = load_desk_policy()  # weekdays 09-18, Saturdays 10-14, Korea time
NOW = datetime(2026, 12, 7, 11, 10, tzinfo=SEOUL)  # a Monday morning
TUESDAY_THREE = datetime(2026, 12, 8, 15, 0, tzinfo=SEOUL)


def _options(offer) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {value: f"{day} {words}" for day, times in offer.days for value, words in times}


def test_the_select_starts_on_a_time_named_on_a_call() -> None:
    """Found by QA: it started on "as soon as you can", and saving it cleared the time agreed
    with the agent."""
    offer = call_time_offer(POLICY, NOW, None, "ko", named=TUESDAY_THREE)
    assert offer.selected == TUESDAY_THREE.isoformat()
    options = _options(offer)
    assert list(options).count(TUESDAY_THREE.isoformat()) == 1  # one of the slots, not twice
    assert options[TUESDAY_THREE.isoformat()] == "12월 8일(화) 오후 3시 (통화 중에 말씀하신 시간)"
    english = call_time_offer(POLICY, NOW, None, "en", named=TUESDAY_THREE)
    assert _options(english)[TUESDAY_THREE.isoformat()].endswith(
        "3 pm (the time you told us on the phone)")


def test_a_named_time_off_the_hour_or_outside_the_hours_is_offered_too() -> None:
    for named in (TUESDAY_THREE + timedelta(minutes=30),  # 15:30: not on the hour
                  TUESDAY_THREE.replace(hour=20)):  # the centre is closed: the customer said so
        offer = call_time_offer(POLICY, NOW, None, "ko", named=named.astimezone(SEOUL))
        assert offer.selected == named.isoformat()
        assert named.isoformat() in _options(offer)
        values = [v for _, times in offer.days for v, _ in times]
        assert values == sorted(values)


def test_a_picked_time_outranks_a_named_one_and_a_passed_one_selects_nothing() -> None:
    picked = TUESDAY_THREE + timedelta(hours=1)
    assert call_time_offer(POLICY, NOW, picked, "ko",
                           named=TUESDAY_THREE).selected == picked.isoformat()
    passed = call_time_offer(POLICY, NOW, None, "ko", named=NOW - timedelta(hours=1))
    assert passed.selected == "" and passed.named is None


def test_times_after_a_deadline_still_ahead_are_marked_and_the_deadline_said() -> None:
    """Found by QA: a time after the deadline read as any other, beside "if we do not hear
    from you by then, your order is kept"."""
    deadline = datetime(2026, 12, 10, 18, 0, tzinfo=SEOUL)
    friday_ten = datetime(2026, 12, 11, 10, 0, tzinfo=SEOUL)
    offer = call_time_offer(POLICY, NOW, friday_ten, "ko", deadline=deadline)
    options = _options(offer)
    assert options[friday_ten.isoformat()].endswith("오전 10시 (답변 기한 뒤)")
    assert not options[TUESDAY_THREE.isoformat()].endswith("(답변 기한 뒤)")
    assert offer.deadline_words == "12월 10일(목) 오후 6시"
    before = call_time_offer(POLICY, NOW, TUESDAY_THREE, "ko", deadline=deadline)
    assert before.deadline_words is None
    later = call_time_offer(POLICY, deadline + timedelta(hours=1), friday_ten, "en",
                            deadline=deadline)  # the deadline passed: nothing to mark
    assert later.deadline_words is None
    assert not any("deadline" in words for _, times in later.days for _, words in times)
