"""The provider's id of a sent message, kept on its outbox row (``outbox.provider_id``) whatever
the provider returned: an id longer than the column is cut short and marked so, a NUL byte
(which PostgreSQL refuses in text) is dropped, and an empty one is no id — the message is
recorded ``sent`` all the same, never left ``sending`` to go out a second time."""

from __future__ import annotations

import logging

import pytest
from test_delivery import _deliver, _queue, _row

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import PROVIDER_ID_LENGTH
from sagwa.adapters.senders.base import Envelope
from sagwa.services.delivery import Outcome

pytestmark = pytest.mark.integration


class Answers:
    """A sender whose provider answers ``provider_id`` for every message."""

    def __init__(self, provider_id: str) -> None:
        self.provider_id = provider_id

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        return self.provider_id


def _sent_with(db: Database, provider_id: str) -> tuple[str, str | None]:
    """A message delivered by a sender answering ``provider_id``: (status, provider_id) of its
    row."""
    message_id = _queue(db, "k-odd-id")
    assert _deliver(db, Answers(provider_id), message_id) == Outcome.SENT
    row = _row(db, message_id)
    return row.status, row.provider_id


def test_an_id_longer_than_the_column_is_kept_cut_short_and_marked(
        committed_database: Database, caplog: pytest.LogCaptureFixture) -> None:
    long_id = "<" + "x" * 500 + "@smtp.example>"
    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        status, kept = _sent_with(committed_database, long_id)

    assert status == "sent" and kept is not None
    assert len(kept) == PROVIDER_ID_LENGTH
    assert kept == long_id[:PROVIDER_ID_LENGTH - 1] + "…"
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("does not fit" in line and long_id in line for line in said), said


def test_an_id_of_exactly_the_column_length_is_kept_whole(committed_database: Database) -> None:
    exact = "n" * PROVIDER_ID_LENGTH
    assert _sent_with(committed_database, exact) == ("sent", exact)


def test_a_nul_byte_in_an_id_is_dropped(committed_database: Database) -> None:
    assert _sent_with(committed_database, "nhn:req\x00-1:1") == ("sent", "nhn:req-1:1")


def test_an_empty_id_is_no_id(committed_database: Database) -> None:
    assert _sent_with(committed_database, "") == ("sent", None)
