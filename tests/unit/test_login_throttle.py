"""The wait ``/login`` imposes after wrong passwords (``web/login_throttle.py``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sagwa.web import login_throttle
from sagwa.web.login_throttle import LoginThrottle, ThrottleRules, minutes, wait_after

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


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def test_the_throttle_locks_a_name_as_typed_whatever_its_case_and_lets_it_go_after_the_wait(
        ) -> None:
    clock = Clock()
    throttle = LoginThrottle("secret", clock)
    for _ in range(5):
        assert throttle.wait("Admin", "10.0.0.9") is None
        throttle.attempt("Admin", "10.0.0.9")
    assert throttle.wait(" admin ", "10.0.0.9") == timedelta(minutes=1)
    clock.now += timedelta(minutes=1)
    assert throttle.wait("admin", "10.0.0.9") is None
    throttle.attempt("admin", "10.0.0.9")
    assert throttle.wait("admin", "10.0.0.9") == timedelta(minutes=2)  # doubled
    throttle.succeeded("ADMIN", "10.0.0.9")
    assert throttle.wait("admin", "10.0.0.9") is None


def test_a_stranger_guessing_a_name_elsewhere_does_not_lock_its_owner_out() -> None:
    """From a review: failures counted per name from any address let anyone keep an admin
    out with a few requests an hour."""
    clock = Clock()
    throttle = LoginThrottle("secret", clock)
    for _ in range(6):
        throttle.attempt("admin", "203.0.113.7")
    assert throttle.wait("admin", "203.0.113.7") is not None
    assert throttle.wait("admin", "10.0.0.9") is None  # the owner, at the office


def test_guesses_sent_at_once_are_let_through_one_by_one() -> None:
    """From a review: the wait was checked, the password hashed, then the failure recorded, in
    three steps; forty guesses sent together all passed the check."""
    import threading

    clock = Clock()
    throttle = LoginThrottle("secret", clock)
    let_through: list[object] = []
    start = threading.Barrier(40)

    def guess() -> None:
        start.wait()
        wait, counted = throttle.attempt("admin", "203.0.113.7")
        if wait is None:
            let_through.append(counted)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(let_through) == 5
    # a right password takes its own attempt back and clears the name there
    clock.now += timedelta(hours=2)
    wait, counted = throttle.attempt("admin", "203.0.113.7")
    assert wait is None
    throttle.succeeded("admin", "203.0.113.7", counted)
    assert throttle.wait("admin", "203.0.113.7") is None


def test_the_throttle_keeps_no_name_as_typed_and_forgets_the_quietest_past_its_cap(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    throttle = LoginThrottle("secret", clock)
    monkeypatch.setattr(login_throttle, "MAX_SUBJECTS", 10)
    for n in range(6):
        clock.now += timedelta(seconds=1)
        throttle.attempt(f"my-password-{n}", "10.0.0.1")
    assert not any("my-password" in s for s in throttle._failures)
    assert len(throttle._failures) <= 10
