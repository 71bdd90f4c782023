"""Wrong passwords on ``/login`` counted in PostgreSQL (``services/login_throttle.py``): every
web process and every restart sees the same count; guesses sent at once are judged one by one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import login_failures
from sagwa.services import login_throttle
from sagwa.services.login_throttle import LoginThrottle
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def _throttle(factory: sessionmaker[Session], clock: ManualClock,
              secret: str = "secret") -> LoginThrottle:
    return LoginThrottle(secret, lambda: SqlAlchemyUnitOfWork(factory, clock))


def _rows(factory: sessionmaker[Session]) -> list[tuple[bytes, datetime]]:
    with SqlAlchemyUnitOfWork(factory) as uow:
        return [(bytes(s), at) for s, at in uow.conn.execute(
            select(login_failures.c.subject, login_failures.c.failed_at))]


def test_the_fifth_wrong_password_locks_the_name_as_typed_and_the_wait_doubles(
        session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(NOW)
    throttle = _throttle(session_factory, clock)
    for _ in range(5):
        assert throttle.wait("Admin", "10.0.0.9") is None
        wait, counted = throttle.attempt("Admin", "10.0.0.9")
        assert wait is None and counted
    assert throttle.wait(" admin ", "10.0.0.9") == timedelta(minutes=1)
    assert throttle.attempt("ADMIN", "10.0.0.9") == (timedelta(minutes=1), None)  # not counted
    clock.advance(timedelta(minutes=1))
    assert throttle.wait("admin", "10.0.0.9") is None
    throttle.attempt("admin", "10.0.0.9")
    assert throttle.wait("admin", "10.0.0.9") == timedelta(minutes=2)  # doubled
    throttle.succeeded("ADMIN", "10.0.0.9")
    assert throttle.wait("admin", "10.0.0.9") is None


def test_a_stranger_guessing_a_name_elsewhere_does_not_lock_its_owner_out(
        session_factory: sessionmaker[Session]) -> None:
    throttle = _throttle(session_factory, ManualClock(NOW))
    for _ in range(6):
        throttle.attempt("admin", "203.0.113.7")
    assert throttle.wait("admin", "203.0.113.7") is not None
    assert throttle.wait("admin", "10.0.0.9") is None  # the owner, at the office


def test_two_web_processes_count_the_same_failures_and_a_restart_forgets_none(
        session_factory: sessionmaker[Session]) -> None:
    """Counted in each process's memory, N processes behind a load balancer let a guesser
    try N times as often, and a restart forgot every failure."""
    clock = ManualClock(NOW)
    first, second = _throttle(session_factory, clock), _throttle(session_factory, clock)
    for n in range(5):
        wait, _ = (first if n % 2 else second).attempt("admin", "203.0.113.7")
        assert wait is None
    assert first.wait("admin", "203.0.113.7") == timedelta(minutes=1)
    assert second.attempt("admin", "203.0.113.7")[0] == timedelta(minutes=1)
    restarted = _throttle(session_factory, clock)
    assert restarted.wait("admin", "203.0.113.7") == timedelta(minutes=1)


def test_a_right_password_takes_its_own_attempt_back_from_the_address(
        session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(NOW)
    throttle = _throttle(session_factory, clock)
    for n in range(19):
        throttle.attempt(f"name-{n}", "10.0.0.1")
    wait, counted = throttle.attempt("seller", "10.0.0.1")  # the 20th attempt from the address
    assert wait is None
    throttle.succeeded("seller", "10.0.0.1", counted)
    assert throttle.wait("someone-else", "10.0.0.1") is None  # 19 failures: not yet locked
    throttle.attempt("name-x", "10.0.0.1")
    assert throttle.wait("someone-else", "10.0.0.1") == timedelta(minutes=1)


def test_no_name_is_kept_as_typed_and_failures_older_than_a_day_are_forgotten(
        session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch) -> None:
    clock = ManualClock(NOW)
    throttle = _throttle(session_factory, clock)
    throttle.attempt("my-password-123", "10.0.0.1")
    throttle.attempt("someone", "10.0.0.3")
    rows = _rows(session_factory)
    assert len(rows) == 4 and all(len(subject) == 32 for subject, _ in rows)
    assert not any(b"my-password" in subject for subject, _ in rows)
    clock.advance(timedelta(days=1, minutes=1))
    monkeypatch.setattr(login_throttle, "PURGE_CHANCE", 0.0)
    throttle.attempt("my-password-123", "10.0.0.1")  # its own old rows go under its lock
    assert len(_rows(session_factory)) == 4  # 2 new, and the other subjects' 2 old ones
    monkeypatch.setattr(login_throttle, "PURGE_CHANCE", 1.0)  # now and then, everyone's
    throttle.attempt("another", "10.0.0.2")
    assert {at for _, at in _rows(session_factory)} == {clock.now}  # every day-old row went


def test_a_different_secret_counts_different_subjects(
        session_factory: sessionmaker[Session]) -> None:
    clock = ManualClock(NOW)
    for _ in range(5):
        _throttle(session_factory, clock, "one").attempt("admin", "10.0.0.9")
    assert _throttle(session_factory, clock, "one").wait("admin", "10.0.0.9") is not None
    assert _throttle(session_factory, clock, "two").wait("admin", "10.0.0.9") is None


def test_guesses_sent_at_once_to_several_processes_are_let_through_one_by_one(
        committed_database: Database) -> None:
    """Forty guesses sent together, spread over four "processes" (throttles of their own on
    one database, each attempt in its own transaction): five are let through, not forty."""
    factory = committed_database.session_factory
    assert factory is not None
    clock = ManualClock(NOW)
    throttles = [_throttle(factory, clock) for _ in range(4)]
    let_through: list[object] = []
    start = threading.Barrier(40)

    def guess(throttle: LoginThrottle) -> Callable[[], None]:
        def run() -> None:
            start.wait()
            wait, counted = throttle.attempt("admin", "203.0.113.7")
            if wait is None:
                let_through.append(counted)
        return run

    threads = [threading.Thread(target=guess(throttles[n % 4])) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(let_through) == 5
    with SqlAlchemyUnitOfWork(factory) as uow:
        assert uow.conn.execute(select(func.count()).select_from(login_failures)
                                ).scalar_one() == 10  # 5 for the name, 5 for the address
