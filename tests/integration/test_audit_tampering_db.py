"""Tampering with the audit log and the outbox as a database superuser, on real PostgreSQL.

Before: with ``session_replication_role=replica`` a record was changed and every later hash
recomputed with the public ``chain_hash``, and ``audit verify`` said intact; deleting the last
record passed too; ``UPDATE outbox SET sent_at = sent_at - interval '14 hours'`` went through,
and no message was on the audit log at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError

from sagwa.adapters.anchor_file import read_anchors
from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import audit_log
from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.audit import AuditEvent, chain_hash
from sagwa.errors import DeliveryFailed
from sagwa.services import audit, catalog
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now

pytestmark = pytest.mark.integration


def _uow(db: Database) -> Callable[[], SqlAlchemyUnitOfWork]:
    assert db.session_factory is not None
    factory = db.session_factory
    return lambda: SqlAlchemyUnitOfWork(factory)


def _sellers(db: Database, n: int = 5) -> None:
    for i in range(n):
        catalog.register_seller(_uow(db)(), code=f"s{i}", name=f"판매자{i}", actor="t")


def _rechain_unkeyed(conn: Connection, from_seq: int) -> None:
    """What the tester did: change record ``from_seq`` and recompute every later hash with the
    public SHA-256 function (marking them unkeyed, so that they would check as plain)."""
    conn.execute(text("SET LOCAL session_replication_role = replica"))
    conn.execute(text("UPDATE audit_log SET after = jsonb_set(after, '{name}', '\"변조\"') "
                      "WHERE seq = :s"), {"s": from_seq})
    rows = conn.execute(select(audit_log).where(audit_log.c.seq >= from_seq - 1)
                        .order_by(audit_log.c.seq)).all()
    prev = rows[0].hash if from_seq > 1 else "0" * 64
    for row in rows[1 if from_seq > 1 else 0:]:
        event = AuditEvent(row.actor, row.action, row.entity_type, row.entity_id, row.before,
                           row.after)
        digest = chain_hash(prev, row.seq, row.occurred_at, event)
        marker = ", chain = NULL" if "chain" in audit_log.c else ""
        conn.execute(text(f"UPDATE audit_log SET prev_hash = :p, hash = :h{marker} WHERE seq = :s"),
                     {"p": prev, "h": digest, "s": row.seq})
        prev = digest


def test_a_record_rechained_with_the_public_function_fails_verify(
        committed_database: Database) -> None:
    _sellers(committed_database)
    with committed_database.engine.begin() as conn:
        _rechain_unkeyed(conn, 3)
    verdict = audit.verify_audit_log(_uow(committed_database)())
    assert not verdict.ok
    assert verdict.first_bad_seq == 3


def test_a_log_rechained_from_its_first_record_fails_verify_with_an_anchor(
        committed_database: Database, tmp_path: Path) -> None:
    _sellers(committed_database)
    path = tmp_path / "audit-anchors.jsonl"
    audit.anchor_audit_log(_uow(committed_database)(), path=path)
    with committed_database.engine.begin() as conn:
        _rechain_unkeyed(conn, 1)
    verdict = audit.verify_audit_log(_uow(committed_database)(), anchors=read_anchors(path))
    assert not verdict.ok
    assert verdict.anchor_failed is not None and verdict.anchor_failed["line"] == 1


def test_deleting_the_last_record_fails_verify_with_an_anchor(
        committed_database: Database, tmp_path: Path) -> None:
    _sellers(committed_database)
    path = tmp_path / "audit-anchors.jsonl"
    written = audit.anchor_audit_log(_uow(committed_database)(), path=path)
    assert written is not None and written.seq == 5
    assert audit.verify_audit_log(_uow(committed_database)(), anchors=read_anchors(path)).ok
    with committed_database.engine.begin() as conn:
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    assert audit.verify_audit_log(_uow(committed_database)()).ok  # the chain alone cannot tell
    verdict = audit.verify_audit_log(_uow(committed_database)(), anchors=read_anchors(path))
    assert not verdict.ok and verdict.first_bad_seq == 5
    assert verdict.anchor_failed == {"line": 1, "seq": 5,
                                     "at": written.at.isoformat(timespec="seconds")}
    assert "no longer in the log" in (verdict.reason or "")


def _queue(uow: Callable[[], SqlAlchemyUnitOfWork], recipient: str = "minji@example.com",
           channel: str = "email") -> int:
    with uow() as u:
        message_id = enqueue_message(
            u, idempotency_key=f"t:{channel}:{recipient}", purpose="confirmation",
            channel=channel, recipient=recipient, locale="ko", subject="[사과] 확인",
            body="고객님, 선택하신 내용을 확인했습니다.", not_before=u.now() - timedelta(seconds=1),
            incident_id=None)
        u.commit()
    assert message_id is not None
    return message_id


def test_a_sent_message_is_on_the_audit_log_masked(committed_database: Database) -> None:
    uow = _uow(committed_database)
    message_id = _queue(uow, recipient="010-2690-6373", channel="sms")
    now = utc_now()
    assert committed_database.session_factory is not None
    outcome = deliver_message(committed_database.session_factory, {"sms": FakeSender()},
                              message_id, now)
    assert outcome is Outcome.SENT
    with uow() as u:
        [record] = u.audit.for_entity("message", str(message_id))
    assert record.event.action == "message.sent"
    after = record.event.after or {}
    assert after["recipient"] == "010-****-6373" and after["outbox_id"] == message_id
    assert after["purpose"] == "confirmation" and after["channel"] == "sms"
    assert after["sent_at"] == now.isoformat()
    assert audit.verify_audit_log(uow()).ok


def test_a_message_failed_for_good_is_on_the_audit_log(committed_database: Database) -> None:
    uow = _uow(committed_database)
    message_id = _queue(uow)
    assert committed_database.session_factory is not None
    sender = FakeSender([DeliveryFailed("550 no such user", temporary=False)])
    outcome = deliver_message(committed_database.session_factory, {"email": sender},
                              message_id, utc_now())
    assert outcome is Outcome.FAILED
    with uow() as u:
        [record] = u.audit.for_entity("message", str(message_id))
    assert record.event.action == "message.failed"
    assert (record.event.after or {})["recipient"] == "mi****@example.com"
    assert (record.event.after or {})["error"] == "550 no such user"


def test_a_sent_outbox_row_cannot_be_changed_or_deleted(committed_database: Database) -> None:
    uow = _uow(committed_database)
    message_id = _queue(uow)
    assert committed_database.session_factory is not None
    deliver_message(committed_database.session_factory, {"email": FakeSender()}, message_id,
                    utc_now())
    for statement in ("UPDATE outbox SET sent_at = sent_at - interval '14 hours' WHERE id = :i",
                      "UPDATE outbox SET body = 'x' WHERE id = :i",
                      "UPDATE outbox SET provider_id = 'another' WHERE id = :i",
                      "UPDATE outbox SET status = 'failed' WHERE id = :i",
                      "DELETE FROM outbox WHERE id = :i"):
        with committed_database.engine.begin() as conn, pytest.raises(DBAPIError,
                                                                      match="was sent"):
            conn.execute(text(statement), {"i": message_id})
