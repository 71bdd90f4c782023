"""Delivery's connections give up on a database that does not answer within
``CONNECT_TIMEOUT_SECONDS`` (libpq would wait about 2 minutes), so a send's outcome is recorded
or given up in time: here against a port that takes the connection and never says a word."""

from __future__ import annotations

import socket
import time

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from sagwa.jobs import runtime


def test_a_silent_database_is_given_up_on_within_the_connect_timeout(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert runtime.delivery_connect_args()["connect_timeout"] == runtime.CONNECT_TIMEOUT_SECONDS
    monkeypatch.setattr(runtime, "CONNECT_TIMEOUT_SECONDS", 2)  # libpq's least
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nothing ever answers
        port = silent.getsockname()[1]
        engine = create_engine(f"postgresql+psycopg://sagwa@127.0.0.1:{port}/sagwa",
                               connect_args=runtime.delivery_connect_args())
        started = time.monotonic()
        with pytest.raises(OperationalError):
            engine.connect()
        engine.dispose()
    assert time.monotonic() - started < 10
