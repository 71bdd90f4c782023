"""A mail server that is down for a while delays messages instead of losing them, and every
failed attempt is logged: real PostgreSQL, a fake provider."""

from __future__ import annotations

import logging

import pytest
from test_delivery import _deliver, _queue, _row

from sagwa.adapters.db.database import Database
from sagwa.adapters.senders.fake import FakeSender
from sagwa.errors import DeliveryFailed
from sagwa.services.delivery import MAX_ATTEMPTS, Outcome

pytestmark = pytest.mark.integration

REFUSED = "SMTP connection to 127.0.0.1:1025 failed: [Errno 111] Connection refused"


def test_a_mail_server_down_for_ten_attempts_still_gets_the_email(
        committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-outage")
    fake = FakeSender([DeliveryFailed(REFUSED, temporary=True)] * 10)

    outcomes = [_deliver(committed_database, fake, message_id) for _ in range(11)]

    assert outcomes == [Outcome.RETRY] * 10 + [Outcome.SENT]
    assert _row(committed_database, message_id).status == "sent"
    assert fake.keys == {"k-outage": 1}


def test_each_failed_attempt_is_one_warning_line_and_the_last_an_error(
        committed_database: Database, caplog: pytest.LogCaptureFixture) -> None:
    message_id = _queue(committed_database, "k-logged")
    fake = FakeSender([DeliveryFailed(REFUSED, temporary=True),
                       DeliveryFailed("SMTP 550: 'no such user'", temporary=False)])

    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        _deliver(committed_database, fake, message_id)
        _deliver(committed_database, fake, message_id)

    warning, error = caplog.records
    assert warning.levelno == logging.WARNING and warning.exc_info is None
    assert warning.getMessage().startswith(
        f"message {message_id} (email): attempt 1/{MAX_ATTEMPTS} failed, next try at ")
    assert warning.getMessage().endswith(f": {REFUSED}")
    assert error.levelno == logging.ERROR and error.exc_info is None
    assert error.getMessage() == (f"message {message_id} (email): attempt 2/{MAX_ATTEMPTS} "
                                  "failed for good (permanent): SMTP 550: 'no such user'")
