"""Migration 0024 adds ``outbox.claimed_at`` on a database with messages in every state: none of
them changes, each has no claim time (a ``sending`` one is then judged by its lease alone, as
before), a claim from then on records one, and a downgrade drops the column and keeps the rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine

from sagwa.adapters.db.migrate import alembic_config, current_revision, head_revision
from sagwa.adapters.db.outbox_repo import OutboxRepository

pytestmark = pytest.mark.integration
QUEUED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
STATUSES = ("pending", "sending", "sent", "failed", "withdrawn")


def _alembic(engine: Engine, action: str, revision: str) -> None:
    getattr(command, action)(alembic_config(engine.url.render_as_string(hide_password=False)),
                             revision)


def _messages_as_0023_kept_them(engine: Engine) -> None:
    with engine.begin() as conn:
        for status in STATUSES:
            conn.execute(text(
                "INSERT INTO outbox (idempotency_key, purpose, channel, recipient, locale, "
                "subject, body, not_before, status, attempts, created_at, sent_at) VALUES "
                "(:key, 'seller_notice', 'email', 'shop@example.com', 'ko', '안내', '본문', "
                ":at, :status, :attempts, :at, :sent_at)"),
                {"key": f"k-{status}", "at": QUEUED, "status": status,
                 "attempts": 0 if status == "pending" else 1,
                 "sent_at": QUEUED if status == "sent" else None})


def _rows(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT idempotency_key, status, attempts, sent_at FROM outbox ORDER BY id"))]


def _claim_times(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT status, claimed_at FROM outbox")).all())


def test_0024_up_down_up_keeps_every_message_and_claims_the_old_sending_one_as_before(
        scratch) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(scratch.create(migrate=False))
    try:
        _alembic(engine, "upgrade", "0023")
        _messages_as_0023_kept_them(engine)
        before = _rows(engine)

        _alembic(engine, "upgrade", "0024")
        assert _rows(engine) == before
        assert set(_claim_times(engine).values()) == {None}
        with engine.begin() as conn:  # the message a worker left sending before 0024
            repo = OutboxRepository(conn)
            sending_id = conn.execute(text(
                "SELECT id FROM outbox WHERE status = 'sending'")).scalar_one()
            assert repo.try_lease(sending_id)  # its lease is free: abandoned, as before
            assert repo.claim(sending_id, now=datetime.now(UTC), max_attempts=5) is not None
        assert _claim_times(engine)["sending"] is not None

        _alembic(engine, "downgrade", "0023")
        assert "claimed_at" not in {c["name"] for c in inspect(engine).get_columns("outbox")}
        assert [r[:2] for r in _rows(engine)] == [r[:2] for r in before]

        _alembic(engine, "upgrade", "head")
        assert current_revision(engine) == head_revision()
        assert set(_claim_times(engine).values()) == {None}
        assert [r[:2] for r in _rows(engine)] == [r[:2] for r in before]
    finally:
        engine.dispose()
