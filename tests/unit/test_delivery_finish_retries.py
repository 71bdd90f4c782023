"""Delivery's finishing step after a deadlock (``delivery_outcome.finish_retrying``).

The finishing transaction (the outbox row's outcome, its audit record, an apology's case) takes
the outbox row, the case row and the audit log's lock; a desk step takes the audit lock and
then case rows. PostgreSQL breaks such a cycle by aborting one of them. Before the mend the
aborted one could be delivery's, after the email or text had gone: the message stayed
``sending`` and was sent again."""

from __future__ import annotations

import logging

import psycopg.errors
import pytest
from sqlalchemy.exc import OperationalError

from sagwa.services.delivery_outcome import FINISH_TRIES, finish_retrying


def _aborted(error: Exception) -> OperationalError:
    return OperationalError("UPDATE outbox ...", {}, error)


def test_a_deadlock_in_the_finishing_step_is_tried_again(caplog) -> None:
    tries: list[int] = []

    def step() -> None:
        tries.append(1)
        if len(tries) == 1:
            raise _aborted(psycopg.errors.DeadlockDetected("deadlock detected"))
        if len(tries) == 2:
            raise _aborted(psycopg.errors.SerializationFailure("could not serialize"))

    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        finish_retrying(step, message_id=7)
    assert len(tries) == 3
    warned = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warned) == 2 and "message 7" in warned[0].getMessage()


def test_other_database_errors_and_a_lasting_deadlock_are_not_hidden() -> None:
    def lost() -> None:
        raise _aborted(psycopg.errors.AdminShutdown("terminating connection"))

    with pytest.raises(OperationalError):
        finish_retrying(lost, message_id=7)
    tries: list[int] = []

    def always() -> None:
        tries.append(1)
        raise _aborted(psycopg.errors.DeadlockDetected("deadlock detected"))

    with pytest.raises(OperationalError):
        finish_retrying(always, message_id=7)
    assert len(tries) == FINISH_TRIES
