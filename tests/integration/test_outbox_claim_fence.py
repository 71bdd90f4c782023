"""A message whose lease vanished is not sent again while its worker may still be sending it.

A worker sends a message holding its lease (an advisory lock), and a database restart ends every
lease while the workers live on: ``sending`` with a free lease no longer means that the worker
died. A ``sending`` row is abandoned only once its lease is free and it was claimed more than
``SEND_WINDOW`` ago (``outbox.claimed_at``, by the database's clock); one claimed before claim
times were kept (NULL, migration 0024) is judged by its lease alone, as before. Meanwhile its
delivery job waits for the window's end (``Outcome.IN_DOUBT``, one WARNING), not every few
seconds. The window guards against a second send only: withdrawing and readdressing act on a
``sending`` row whose lease is free at once, whatever its claim time (one a live worker holds
is left alone), and the attempt after the window finds it withdrawn, or sends it to the
corrected address.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.outbox_repo import SEND_WINDOW
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.base import Envelope
from sagwa.adapters.senders.fake import FakeSender
from sagwa.services.delivery import Outcome, deliver_message, message_due_at
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork, utc_now
from sagwa.testing.wrong_price import scoped_incident

pytestmark = pytest.mark.integration


def _queue(db: Database, key: str) -> int:
    assert db.session_factory is not None
    with SqlAlchemyUnitOfWork(db.session_factory) as uow:
        message_id = enqueue_message(  # a confirmation goes out at any hour
            uow, idempotency_key=key, purpose="confirmation", channel="email",
            recipient="minji@example.com", locale="ko", subject="[사과] 안내",
            body="고객님, 안내드립니다.\n", not_before=uow.now() - timedelta(seconds=1))
        uow.commit()
    assert message_id is not None
    return message_id


def _row(db: Database, message_id: int) -> Any:
    with db.engine.connect() as conn:
        return conn.execute(select(outbox, func.now().label("db_now"))
                            .where(outbox.c.id == message_id)).one()


def _left_sending(db: Database, message_id: int, claimed: ColumnElement[Any] | None,
                  attempts: int = 1) -> None:
    """As a worker's claim left it: ``sending``, claimed at ``claimed`` (None: before 0024)."""
    with db.engine.begin() as conn:
        conn.execute(update(outbox).where(outbox.c.id == message_id)
                     .values(status="sending", attempts=attempts, claimed_at=claimed))


def _ago(delta: timedelta) -> ColumnElement[datetime]:
    return func.now() - delta


def _deliver(db: Database, sender: Any, message_id: int, **kwargs: Any) -> Outcome:
    assert db.session_factory is not None
    return deliver_message(db.session_factory, {"email": sender}, message_id, utc_now(),
                           **kwargs)


class LeaseLostMidSend:
    """A sender during whose send the lease's database session ends, as at a database restart,
    and another worker tries the same message meanwhile (``other``: what it got)."""

    def __init__(self, db: Database, message_id: int) -> None:
        self.db, self.message_id = db, message_id
        self.keys: list[str] = []
        self.second = FakeSender()
        self.other: Outcome | None = None

    def send(self, message: Envelope, *, idempotency_key: str) -> str:
        self.keys.append(idempotency_key)
        with self.db.engine.begin() as conn:
            ended = conn.execute(text(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = "
                "'advisory' AND classid = 23146 AND objid = :id AND objsubid = 2 AND granted"),
                {"id": self.message_id}).scalars().all()
        assert ended == [True], "the lease was not found"
        self.other = _deliver(self.db, self.second, self.message_id)
        return "sent-by-the-first"


def test_a_message_whose_lease_went_mid_send_is_not_sent_by_another_worker(
        committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-lease-lost")
    first = LeaseLostMidSend(committed_database, message_id)

    # the first worker's send ends, and so does its attempt, though its lease went under it
    assert _deliver(committed_database, first, message_id) == Outcome.SENT
    assert first.other == Outcome.IN_DOUBT  # sending, claimed just now: not the other's to send
    assert first.second.calls == [] and first.keys == ["k-lease-lost"]
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts) == ("sent", 1)


def test_a_sending_row_is_claimed_again_only_once_the_window_has_passed(
        committed_database: Database) -> None:
    inside = _queue(committed_database, "k-inside")
    past = _queue(committed_database, "k-past")
    _left_sending(committed_database, inside, _ago(SEND_WINDOW - timedelta(minutes=1)))
    _left_sending(committed_database, past, _ago(SEND_WINDOW + timedelta(seconds=1)))
    fake = FakeSender()

    assert _deliver(committed_database, fake, inside) == Outcome.IN_DOUBT
    assert _deliver(committed_database, fake, past) == Outcome.SENT
    assert fake.keys == {"k-past": 1}
    kept, again = _row(committed_database, inside), _row(committed_database, past)
    assert (kept.status, kept.attempts) == ("sending", 1)
    assert (again.status, again.attempts) == ("sent", 2)
    assert again.db_now - again.claimed_at < timedelta(minutes=1)  # claimed anew


def test_a_row_claimed_before_claim_times_were_kept_is_judged_by_its_lease_as_before(
        committed_database: Database) -> None:
    message_id = _queue(committed_database, "k-before-0024")
    _left_sending(committed_database, message_id, None)
    fake = FakeSender()
    with committed_database.engine.connect() as holder:  # a live worker's lease
        holder.execute(select(func.pg_advisory_xact_lock(0x5A6A, message_id)))
        assert _deliver(committed_database, fake, message_id) == Outcome.BUSY
        holder.rollback()

    assert _deliver(committed_database, fake, message_id) == Outcome.SENT
    row = _row(committed_database, message_id)
    assert (row.status, row.attempts, fake.keys) == ("sent", 2, {"k-before-0024": 1})
    assert row.claimed_at is not None  # claimed now: fenced from here on


def test_a_message_in_doubt_is_not_given_up_on_under_its_worker(
        committed_database: Database) -> None:
    """Out of attempts: one left by a dead worker fails for good, one whose worker may be
    sending it still is left to that worker."""
    in_doubt = _queue(committed_database, "k-last-in-doubt")
    left = _queue(committed_database, "k-last-left")
    _left_sending(committed_database, in_doubt, func.now(), attempts=1)
    _left_sending(committed_database, left, _ago(SEND_WINDOW * 2), attempts=1)
    fake = FakeSender()

    assert _deliver(committed_database, fake, in_doubt, max_attempts=1) == Outcome.IN_DOUBT
    assert _deliver(committed_database, fake, left, max_attempts=1) == Outcome.FAILED
    assert _row(committed_database, in_doubt).status == "sending"
    assert _row(committed_database, left).status == "failed"
    assert fake.calls == []


@pytest.fixture
def one_of_each(uow: Callable[[], SqlAlchemyUnitOfWork]) -> tuple[int, int, dict[str, int]]:
    """A case's confirmations: pending; in doubt (sending, claimed just now, lease free);
    abandoned (claimed longer ago than the window); from before 0024 (no claim time); leased
    (claimed just now: a test may hold its lease, as its live worker would)."""
    made = scoped_incident(uow)
    ids: dict[str, int] = {}
    with uow() as u:
        for name in ("pending", "in_doubt", "abandoned", "before_0024", "leased"):
            ids[name] = int(enqueue_message(
                u, idempotency_key=f"k-{name}", purpose="confirmation", channel="sms",
                recipient="010-1234-5678", locale="ko", subject="", body="안내드립니다.",
                not_before=u.now(), incident_id=made.incident_id, case_id=made.case_id,
                customer_id=made.customer_id) or 0)
        for name, claimed in (("in_doubt", func.now()), ("leased", func.now()),
                              ("abandoned", _ago(SEND_WINDOW + timedelta(seconds=1))),
                              ("before_0024", None)):
            u.conn.execute(update(outbox).where(outbox.c.id == ids[name])
                           .values(status="sending", attempts=1, claimed_at=claimed))
        u.commit()
    return made.case_id, made.customer_id, ids


def _statuses(uow: Callable[[], SqlAlchemyUnitOfWork], ids: dict[str, int]) -> dict[str, str]:
    with uow() as u:
        rows = u.conn.execute(select(outbox.c.id, outbox.c.status, outbox.c.recipient)
                              .where(outbox.c.id.in_(list(ids.values()))))
        by_id = {r.id: f"{r.status} {r.recipient}" for r in rows}
    return {name: by_id[i] for name, i in ids.items()}


def test_withdrawing_takes_a_message_in_doubt_but_not_one_whose_lease_is_held(
        uow: Callable[[], SqlAlchemyUnitOfWork], database: Database,
        one_of_each) -> None:  # type: ignore[no-untyped-def]
    case_id, _, ids = one_of_each
    with database.engine.connect() as holder:  # a live worker's lease on the one claimed first
        holder.execute(select(func.pg_advisory_xact_lock(0x5A6A, ids["leased"])))
        with uow() as u:
            withdrawn = u.outbox.withdraw_pending([case_id], purposes=("confirmation",),
                                                  why="t")
            u.commit()
        holder.rollback()
    assert withdrawn == 4
    assert _statuses(uow, ids) == {
        "pending": "withdrawn 010-1234-5678", "in_doubt": "withdrawn 010-1234-5678",
        "abandoned": "withdrawn 010-1234-5678", "before_0024": "withdrawn 010-1234-5678",
        "leased": "sending 010-1234-5678"}


def test_a_corrected_or_removed_number_reaches_a_message_in_doubt(
        uow: Callable[[], SqlAlchemyUnitOfWork], one_of_each) -> None:  # type: ignore[no-untyped-def]
    _, customer_id, ids = one_of_each
    with uow() as u:
        readdressed = u.outbox.readdress_pending(customer_id, channel="sms",
                                                 recipient="010-9999-0000")
        u.commit()
    assert readdressed == 5  # the one "leased" too: no live worker holds it here
    assert _statuses(uow, ids)["in_doubt"] == "sending 010-9999-0000"
    with uow() as u:
        withdrawn = u.outbox.withdraw_pending_to(customer_id, channel="sms", why="t")
        u.commit()
    assert sorted(m.message_id for m in withdrawn) == sorted(ids.values())
    assert _statuses(uow, ids)["in_doubt"] == "withdrawn 010-9999-0000"


def _window_passed(uow: Callable[[], SqlAlchemyUnitOfWork], message_id: int) -> None:
    """As if ``SEND_WINDOW`` had passed since the message was claimed (its worker never came
    back)."""
    with uow() as u:
        u.conn.execute(update(outbox).where(outbox.c.id == message_id)
                       .values(claimed_at=_ago(SEND_WINDOW + timedelta(seconds=1))))
        u.commit()


def test_the_attempt_after_the_window_heeds_a_withdrawal_or_a_corrected_number(
        uow: Callable[[], SqlAlchemyUnitOfWork], session_factory: sessionmaker[Session],
        one_of_each) -> None:  # type: ignore[no-untyped-def]
    case_id, customer_id, ids = one_of_each
    with uow() as u:
        u.outbox.readdress_pending(customer_id, channel="sms", recipient="010-9999-0000")
        u.commit()
    _window_passed(uow, ids["in_doubt"])
    fake = FakeSender()

    assert deliver_message(session_factory, {"sms": fake}, ids["in_doubt"],
                           utc_now()) == Outcome.SENT
    assert [(m.recipient, key) for m, key in fake.calls] == [("010-9999-0000", "k-in_doubt")]

    with uow() as u:  # another message in doubt, withdrawn: its next attempt sends nothing
        u.outbox.withdraw_pending([case_id], purposes=("confirmation",), why="t")
        u.commit()
    _window_passed(uow, ids["leased"])
    assert deliver_message(session_factory, {"sms": fake}, ids["leased"],
                           utc_now()) == Outcome.ALREADY_DONE
    assert len(fake.calls) == 1


def test_a_message_in_doubt_waits_for_the_windows_end_with_one_warning(
        committed_database: Database, caplog: pytest.LogCaptureFixture) -> None:
    message_id = _queue(committed_database, "k-waits")
    _left_sending(committed_database, message_id, _ago(timedelta(minutes=3)))
    assert committed_database.session_factory is not None

    with caplog.at_level(logging.WARNING, logger="sagwa.services.delivery"):
        assert _deliver(committed_database, FakeSender(), message_id) == Outcome.IN_DOUBT
    due = message_due_at(committed_database.session_factory, message_id)

    row = _row(committed_database, message_id)
    assert due == row.claimed_at + SEND_WINDOW  # when the task runs it again
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert re.search(rf"message {message_id}: waits until \d\d:\d\d", line), line
    assert "may still be sending it" in line and "another worker holds" not in line
