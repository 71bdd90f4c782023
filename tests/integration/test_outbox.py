"""Queueing messages: the outbox row and its delivery job commit or roll back together."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.errors import InvalidInput
from sagwa.services.outbox import (
    DELIVER_TASK,
    MESSAGE_QUEUE,
    OutgoingMessage,
    enqueue_message,
    enqueue_messages,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration

SEND_AT = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _uow(db: Database) -> SqlAlchemyUnitOfWork:
    assert db.session_factory is not None
    return SqlAlchemyUnitOfWork(db.session_factory)


def _outgoing(key: str, **overrides: object) -> OutgoingMessage:
    return OutgoingMessage(**_message(key, **overrides))  # type: ignore[arg-type]


def _message(key: str, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "idempotency_key": key, "purpose": "resolution", "channel": "email",
        "recipient": "minji@example.com", "locale": "ko", "subject": "[사과] 가격 오류 안내",
        "body": "고객님, 진심으로 사과드립니다.", "not_before": SEND_AT}
    return {**values, **overrides}


def _jobs(db: Database) -> list[dict[str, object]]:
    with db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT queue_name, task_name, args, scheduled_at, status::text AS status "
            "FROM procrastinate_jobs ORDER BY id")).mappings().all()
    return [dict(r) for r in rows]


def _outbox_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(outbox)) or 0)


def test_enqueue_writes_the_row_and_a_job_scheduled_at_not_before(
        committed_database: Database) -> None:
    with _uow(committed_database) as uow:
        message_id = enqueue_message(uow, **_message("incident:1:case:1:resolution:email"))
        uow.commit()

    assert message_id is not None
    with committed_database.engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.id == message_id)).one()
    assert (row.status, row.attempts, row.subject) == ("pending", 0, "[사과] 가격 오류 안내")
    assert _jobs(committed_database) == [{
        "queue_name": MESSAGE_QUEUE, "task_name": DELIVER_TASK,
        "args": {"message_id": message_id}, "scheduled_at": SEND_AT, "status": "todo"}]


def test_rollback_removes_both_the_row_and_the_job(committed_database: Database) -> None:
    with _uow(committed_database) as uow:
        assert enqueue_message(uow, **_message("k-rolled-back")) is not None
        assert enqueue_messages(uow, [_outgoing(f"k-{i}")
                                      for i in range(3)]) == 3
        uow.rollback()

    assert _outbox_count(committed_database) == 0
    assert _jobs(committed_database) == []


def test_an_error_in_the_same_transaction_discards_the_message(
        committed_database: Database) -> None:
    with pytest.raises(RuntimeError), _uow(committed_database) as uow:
        enqueue_message(uow, **_message("k-then-boom"))
        raise RuntimeError("the state change failed after queueing")

    assert _outbox_count(committed_database) == 0
    assert _jobs(committed_database) == []


def test_a_duplicate_key_queues_nothing_more(committed_database: Database) -> None:
    with _uow(committed_database) as uow:
        first = enqueue_message(uow, **_message("same-key"))
        uow.commit()
    with _uow(committed_database) as uow:
        again = enqueue_message(uow, **_message("same-key", body="a second wording"))
        in_bulk = enqueue_messages(uow, [_outgoing("same-key")])
        uow.commit()

    assert first is not None and again is None and in_bulk == 0
    assert _outbox_count(committed_database) == 1
    assert len(_jobs(committed_database)) == 1


def test_bulk_enqueue_queues_each_new_key_once_with_one_job_each(
        committed_database: Database) -> None:
    later = SEND_AT + timedelta(hours=2)
    batch = [_outgoing(f"bulk-{i}", not_before=later if i % 2 else SEND_AT,
                       channel="sms" if i % 3 == 0 else "email")
             for i in range(12_000)]
    with _uow(committed_database) as uow:
        assert enqueue_messages(uow, batch[:100]) == 100
        uow.commit()
    with _uow(committed_database) as uow:
        # spans several chunks, repeats a key within the batch and 100 already queued
        assert enqueue_messages(uow, batch + batch[:10]) == 11_900
        uow.commit()

    jobs = _jobs(committed_database)
    assert _outbox_count(committed_database) == len(jobs) == 12_000
    with committed_database.engine.connect() as conn:
        mismatched = conn.scalar(text(
            "SELECT count(*) FROM outbox o JOIN procrastinate_jobs j "
            "ON (j.args->>'message_id')::bigint = o.id WHERE j.scheduled_at <> o.not_before"))
        distinct_ids = conn.scalar(text(
            "SELECT count(DISTINCT (args->>'message_id')::bigint) FROM procrastinate_jobs"))
    assert mismatched == 0 and distinct_ids == 12_000


@pytest.mark.parametrize("overrides", [
    {"channel": "fax"},
    {"not_before": datetime(2026, 11, 25, 10, 0)},
    {"recipient": ""},
])
def test_invalid_messages_are_refused(committed_database: Database,
                                      overrides: dict[str, object]) -> None:
    with pytest.raises(InvalidInput), _uow(committed_database) as uow:
        enqueue_message(uow, **_message("bad", **overrides))
    assert _jobs(committed_database) == []
