"""Delivery's finishing step while the database is gone (``delivery_outcome.finish_retrying``), and the
window in which a worker whose lease vanished may still be sending (``outbox_repo.SEND_WINDOW``).

A database restart drops every connection, the lease's included, while a worker may be in the
middle of a send. The send went, so the worker keeps trying to record it until the database is
back — but only until ``FINISH_WAIT`` after its attempt began, a minute short of the window
after which another worker may claim the message again; each try after the first asks the
database first, for no longer than the time left. Time here is a fake clock that only the
pauses and the probes move: no test depends on how fast the machine is."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import psycopg.errors
import pytest
from sqlalchemy.exc import OperationalError

from sagwa.adapters.db.outbox_repo import LONGEST_SEND, SEND_WINDOW
from sagwa.adapters.senders import senders_for
from sagwa.config import Settings
from sagwa.services.delivery_outcome import FINISH_WAIT, finish_retrying


def _gone() -> OperationalError:
    return OperationalError("UPDATE outbox ...", {}, psycopg.errors.AdminShutdown(
        "terminating connection due to administrator command"))


def test_the_outcome_is_recorded_once_the_database_is_back(caplog) -> None:  # type: ignore[no-untyped-def]
    tries: list[int] = []

    def step() -> None:
        tries.append(1)
        if len(tries) < 3:
            raise _gone()

    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        finish_retrying(step, message_id=7, database_back_by=time.monotonic() + 60)
    assert len(tries) == 3
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2, said  # one when it starts waiting, one when it is recorded
    assert "message 7" in said[0] and "database went away" in said[0]
    assert "recorded once the database was back" in said[1]


class FakeTime:
    """A monotonic clock that only ``sleep`` (and a probe that takes its whole timeout) moves."""

    def __init__(self) -> None:
        self.now = 0.0
        self.asked: list[tuple[float, float]] = []  # (when, timeout given) per probe

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def silent(self, timeout: float) -> bool:
        """A probe of a black-holed database: no answer, after the whole timeout."""
        self.asked.append((self.now, timeout))
        self.now += timeout
        return False


def test_a_database_gone_past_the_attempts_deadline_is_not_waited_for() -> None:
    tries: list[float] = []
    fake = FakeTime()

    def lost() -> None:
        tries.append(fake.now)
        raise _gone()

    with pytest.raises(OperationalError):
        finish_retrying(lost, message_id=7, database_back_by=0.25, clock=fake.clock,
                        sleep=fake.sleep)
    assert tries == [0.0, pytest.approx(0.1)]  # at once, after 0.1 s; 0.2 s more would pass it
    with pytest.raises(OperationalError):
        finish_retrying(lost, message_id=7, database_back_by=fake.now, clock=fake.clock,
                        sleep=fake.sleep)
    assert len(tries) == 3


def test_a_database_that_does_not_answer_is_asked_for_no_longer_than_the_time_left() -> None:
    """Each try after the first is a probe bounded by the time left (a black-holed database
    would otherwise hold a connection attempt for about 2 min); the step, which may block as
    long, runs only once the database answered."""
    tries: list[float] = []
    fake = FakeTime()

    def lost() -> None:
        tries.append(fake.now)
        raise _gone()

    with pytest.raises(OperationalError):
        finish_retrying(lost, message_id=7, database_back_by=60.0, answers=fake.silent,
                        clock=fake.clock, sleep=fake.sleep)
    assert tries == [0.0]
    assert fake.asked and all(at + timeout <= 60.0 for at, timeout in fake.asked)
    assert fake.now <= 60.0


def test_the_step_runs_again_once_the_database_answers() -> None:
    tries: list[float] = []
    fake = FakeTime()
    answers = iter([False, False, True])

    def step() -> None:
        tries.append(fake.now)
        if len(tries) == 1:
            raise _gone()

    finish_retrying(step, message_id=7, database_back_by=60.0,
                    answers=lambda timeout: fake.silent(timeout) or next(answers),
                    clock=fake.clock, sleep=fake.sleep)
    assert len(tries) == 2 and len(fake.asked) == 3


def test_the_window_outlasts_the_longest_email_and_the_wait_to_record_it(
        tmp_path: Path) -> None:
    """12 blocking SMTP steps at the sender's socket timeout (``LONGEST_SEND``): a change of
    the timeout must move the window too."""
    smtp = senders_for(Settings(database_url=None, data_dir=tmp_path, environment="test",
                                email_provider="smtp"))["email"]
    assert 12 * smtp.timeout <= LONGEST_SEND.total_seconds()  # type: ignore[attr-defined]
    assert LONGEST_SEND < FINISH_WAIT < SEND_WINDOW
