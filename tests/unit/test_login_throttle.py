"""The wait ``/login`` imposes after wrong passwords (``domain/login_waits.py``); the counting
itself, in PostgreSQL, is tested in ``tests/integration/test_login_throttle_db.py``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.domain.login_waits import ThrottleRules, longest_wait, minutes, wait_after

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
RULES = ThrottleRules()


def failures(count: int, every: timedelta = timedelta(seconds=10)) -> list[datetime]:
    return [NOW - every * n for n in range(count)]


def test_four_failures_in_the_window_leave_the_name_free() -> None:
    assert wait_after(failures(4), NOW, 5, RULES) is None


def test_the_fifth_failure_locks_for_a_minute_and_each_further_one_doubles_it() -> None:
    waits = [wait_after(failures(n), NOW, 5, RULES) for n in (5, 6, 7, 8)]
    assert [minutes(w) for w in waits if w is not None] == [1, 2, 4, 8]


def test_the_wait_stops_growing_at_an_hour() -> None:
    assert wait_after(failures(40), NOW, 5, RULES) == timedelta(hours=1)


def test_failures_spread_past_the_window_lock_nothing() -> None:
    assert wait_after(failures(10, every=timedelta(minutes=4)), NOW, 5, RULES) is None


def test_the_wait_runs_from_the_latest_failure() -> None:
    assert wait_after(failures(5), NOW + timedelta(minutes=1), 5, RULES) is None
    assert minutes(timedelta(seconds=1)) == 1


def test_the_longest_wait_of_the_subjects_is_the_one_said() -> None:
    found = {b"name": failures(6), b"address": failures(3), b"quiet": []}
    allowed = {b"name": 5, b"address": 20, b"quiet": 5}
    assert longest_wait(found, allowed, NOW, RULES) == timedelta(minutes=2)
    assert longest_wait({b"address": failures(3)}, allowed, NOW, RULES) is None
