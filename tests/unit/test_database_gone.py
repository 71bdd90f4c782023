"""``is_database_gone`` tells a database that cannot be reached (refused, dropped, shutting
down, no pooled connection) from a statement's own error, however deeply it is wrapped."""

from __future__ import annotations

import psycopg
import psycopg_pool
import pytest
from procrastinate import exceptions
from psycopg import errors
from sqlalchemy.exc import OperationalError

from sagwa.adapters.db.database import is_database_gone


def _wrapped(inner: BaseException) -> BaseException:
    try:
        try:
            raise inner
        except BaseException as exc:
            raise exceptions.ConnectorException() from exc
    except exceptions.ConnectorException as outer:
        return outer


@pytest.mark.parametrize("exc", [
    psycopg.OperationalError("connection failed: Connection refused"),
    errors.AdminShutdown("terminating connection due to administrator command"),
    errors.CannotConnectNow("the database system is starting up"),
    psycopg_pool.PoolTimeout("couldn't get a connection after 10.00 sec"),
    ConnectionRefusedError(111, "Connection refused"),
    OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection")),
])
def test_a_database_gone_is_told_as_such(exc: BaseException) -> None:
    assert is_database_gone(exc)
    assert is_database_gone(_wrapped(exc))


@pytest.mark.parametrize("exc", [
    errors.DeadlockDetected("deadlock detected"),
    errors.QueryCanceled("canceling statement due to statement timeout"),
    errors.RaiseException('Job was not found or not in "doing" or "todo" status'),
    errors.UniqueViolation("duplicate key"),
    ValueError("a bug"),
])
def test_a_statements_own_error_is_not(exc: BaseException) -> None:
    assert not is_database_gone(exc)
    assert not is_database_gone(_wrapped(exc))
