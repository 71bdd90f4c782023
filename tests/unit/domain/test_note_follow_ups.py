"""A call note that asks for a follow-up: what it must say, when it is due, the order the
team's list reads in, and the notes an agent sees first."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.note_follow_ups import (
    MAX_FOLLOW_UP_AHEAD,
    MAX_OUTCOME,
    NoteFollowUp,
    check_follow_up,
    check_follow_up_outcome,
    list_order,
    notes_newest_first,
)
from sagwa.errors import InvalidInput

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)


def _reason(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as refused:
        call()
    return str(refused.value.details["reason"])


def test_a_follow_up_without_a_note_says_nothing_to_the_next_agent_and_is_refused() -> None:
    for note in (None, "", "   "):
        assert _reason(lambda n=note: check_follow_up(note=n, due_at=None, now=NOW)) \
            == "follow_up_needs_note"
    check_follow_up(note="환불이 안 들어왔다고 함: 재무팀 확인 후 연락", due_at=None, now=NOW)


def test_a_follow_up_time_must_be_ahead_zoned_and_within_two_weeks() -> None:
    note = "재무팀 확인 후 연락"
    assert _reason(lambda: check_follow_up(note=note, due_at=NOW, now=NOW)) \
        == "follow_up_time_past"
    assert _reason(lambda: check_follow_up(note=note, due_at=NOW.replace(tzinfo=None)
                                           + timedelta(hours=1), now=NOW)) \
        == "follow_up_time_without_zone"
    too_far = NOW + MAX_FOLLOW_UP_AHEAD + timedelta(minutes=1)
    assert _reason(lambda: check_follow_up(note=note, due_at=too_far, now=NOW)) \
        == "follow_up_time_too_far"
    check_follow_up(note=note, due_at=NOW + MAX_FOLLOW_UP_AHEAD, now=NOW)


def test_a_resolution_must_say_what_was_done_and_is_kept_stripped() -> None:
    assert _reason(lambda: check_follow_up_outcome("  ")) == "follow_up_outcome_required"
    assert _reason(lambda: check_follow_up_outcome("가" * (MAX_OUTCOME + 1))) \
        == "follow_up_outcome_too_long"
    assert check_follow_up_outcome("  환불 확인, 고객께 전화로 안내함 ") == "환불 확인, 고객께 전화로 안내함"


def _f(n: int, asked: datetime, due: datetime | None = None,
       resolved: datetime | None = None) -> NoteFollowUp:
    return NoteFollowUp(n, 1, n, "note", "agent:kim", asked, due, resolved,
                        "agent:lee" if resolved else None, "done" if resolved else None)


def test_a_follow_up_is_due_from_its_time_or_at_once_and_not_once_resolved() -> None:
    untimed, later = _f(1, NOW - timedelta(hours=1)), _f(2, NOW, NOW + timedelta(hours=2))
    assert untimed.due(NOW) and not untimed.waits(NOW)
    assert later.waits(NOW) and not later.due(NOW)
    assert later.due(NOW + timedelta(hours=2))
    done = _f(3, NOW - timedelta(days=1), resolved=NOW)
    assert not done.open and not done.due(NOW) and not done.waits(NOW)


def test_the_list_puts_the_longest_due_first_then_those_waiting_soonest_first() -> None:
    asked_long_ago = _f(1, NOW - timedelta(days=1))
    due_an_hour_ago = _f(2, NOW - timedelta(days=2), NOW - timedelta(hours=1))
    asked_just_now = _f(3, NOW - timedelta(minutes=1))
    tomorrow = _f(4, NOW - timedelta(days=3), NOW + timedelta(days=1))
    in_an_hour = _f(5, NOW - timedelta(minutes=5), NOW + timedelta(hours=1))
    ordered = sorted([in_an_hour, asked_just_now, tomorrow, due_an_hour_ago, asked_long_ago],
                     key=lambda f: list_order(f, NOW))
    assert [f.follow_up_id for f in ordered] == [1, 2, 3, 5, 4]


def test_notes_come_newest_first_and_calls_without_a_note_are_left_out() -> None:
    a = SimpleNamespace(id=1, attempted_at=NOW - timedelta(hours=2), note="첫 통화: 부재")
    b = SimpleNamespace(id=2, attempted_at=NOW - timedelta(hours=1), note=None)
    c = SimpleNamespace(id=3, attempted_at=NOW, note="환불 문의")
    d = SimpleNamespace(id=4, attempted_at=NOW, note="  ")
    e = SimpleNamespace(id=5, attempted_at=NOW, note="같은 분 다른 상담원")  # same minute, later
    assert [x.id for x in notes_newest_first([a, b, c, d, e])] == [5, 3, 1]
