"""``sagwa messages retry-failed``: messages that failed for good go out again, once, with their
own idempotency key, inside contact hours — and only those that are still right to send."""

# ruff: noqa: F811  (the test takes test_delivery_contact_hours' ``notified`` fixture by name)
from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from test_delivery import _deliver, _queue, _row
from test_delivery_contact_hours import (  # noqa: F401  (the fixture, by name)
    HOURS,
    SATURDAY_2AM,
    SATURDAY_OPENING,
    SEOUL,
    notified,
)
from test_delivery_contact_hours import _deliver as _deliver_in_hours
from test_delivery_contact_hours import _row as _row_of
from typer.testing import CliRunner

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import audit_log, cases, outbox
from sagwa.adapters.senders.fake import FakeSender
from sagwa.cli.main import app
from sagwa.config import get_settings
from sagwa.errors import DeliveryFailed
from sagwa.services.delivery import Outcome
from sagwa.services.failed_messages import REQUEUED_ACTION, retry_failed
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork

pytestmark = pytest.mark.integration

FRIDAY_10AM = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
BOUNCED = DeliveryFailed("SMTP 550: 'mailbox unavailable'", temporary=False)


def test_a_failed_apology_goes_again_at_the_next_opening_once_with_its_key(notified) -> None:
    session_factory, _, [message_id, _] = notified
    assert _deliver_in_hours(session_factory, FakeSender([BOUNCED]), message_id,
                             FRIDAY_10AM) == Outcome.FAILED
    key = _row_of(session_factory, message_id).idempotency_key

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, ManualClock(SATURDAY_2AM))

    dry = retry_failed(uow(), actor="cli", contact_hours=HOURS, dry_run=True)
    assert (dry.as_dict()["requeued"], _row_of(session_factory, message_id).status) == (
        1, "failed")

    report = retry_failed(uow(), actor="cli", contact_hours=HOURS).as_dict()

    assert (report["requeued"], report["skipped"]) == (1, 0)
    assert report["messages"][0]["not_before"] == SATURDAY_OPENING.isoformat()
    row = _row_of(session_factory, message_id)
    assert (row.status, row.attempts, row.not_before) == ("pending", 0, SATURDAY_OPENING)
    with session_factory() as session:
        job_at = session.execute(text(
            "SELECT scheduled_at FROM procrastinate_jobs WHERE status = 'todo' "
            "AND (args->>'message_id')::bigint = :id ORDER BY id DESC LIMIT 1"),
            {"id": message_id}).scalar_one()  # the new job (the first one was never run)
        audited = session.execute(select(audit_log.c.entity_id).where(
            audit_log.c.action == REQUEUED_ACTION)).scalars().all()
    assert job_at == SATURDAY_OPENING and audited == [str(message_id)]
    sender = FakeSender()
    assert _deliver_in_hours(session_factory, sender, message_id,
                             SATURDAY_OPENING) == Outcome.SENT
    assert sender.keys == {key: 1}
    assert retry_failed(uow(), actor="cli", contact_hours=HOURS).as_dict()["requeued"] == 0


def test_the_command_requeues_only_failed_messages_and_prints_counts(
        committed_database: Database, tmp_path: Path) -> None:
    failed = _queue(committed_database, "k-bounced")
    sent = _queue(committed_database, "k-fine")
    assert _deliver(committed_database, FakeSender([BOUNCED]), failed) == Outcome.FAILED
    assert _deliver(committed_database, FakeSender(), sent) == Outcome.SENT
    get_settings.cache_clear()
    env = {"SAGWA_DATABASE_URL": committed_database.engine.url.render_as_string(
               hide_password=False),
           # the suite's key: the deliveries above keyed their audit records with it, and a
           # process holding another key refuses to write after them (audit_key_unknown)
           "SAGWA_SECRET_KEY": os.environ["SAGWA_SECRET_KEY"], "SAGWA_DATA_DIR": str(tmp_path)}

    result = CliRunner().invoke(app, ["messages", "retry-failed"], env=env)

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["requeued"], report["skipped"], report["dry_run"]) == (1, 0, False)
    assert [m["id"] for m in report["messages"]] == [failed]
    assert (_row(committed_database, failed).status, _row(committed_database, sent).status) == (
        "pending", "sent")
    get_settings.cache_clear()


def test_a_failed_apology_stays_failed_once_the_address_changed_or_an_agent_called(
        notified) -> None:
    """From a review: the stored row went out as it was — to an email the customer had since
    disowned, or after an agent had called them."""
    from test_delivery_contact_hours import POLICY

    from sagwa.adapters.db.tables import customers
    from sagwa.services import desk_cases

    session_factory, _, [email_id, text_id] = notified
    for message_id in (email_id, text_id):
        assert _deliver_in_hours(session_factory, FakeSender([BOUNCED]), message_id,
                                 FRIDAY_10AM) == Outcome.FAILED

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, ManualClock(SATURDAY_2AM))

    with session_factory() as session:
        session.execute(update(customers).values(email="minji.new@example.com"))
        session.commit()
    report = retry_failed(uow(), actor="cli", contact_hours=HOURS, dry_run=True).as_dict()
    assert (report["requeued"], report["skipped_by_reason"]) == (1, {"recipient_changed": 1})
    with session_factory() as session:
        case_id = session.execute(select(cases.c.id)).scalar_one()
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="no_answer", agent="agent:park", policy=POLICY)
    report = retry_failed(uow(), actor="cli", contact_hours=HOURS).as_dict()
    assert report["requeued"] == 0
    assert report["skipped_by_reason"] == {"recipient_changed": 1, "case_moved_on": 1}


def _failed_confirmation_text(notified) -> tuple[Callable[[], SqlAlchemyUnitOfWork], int, int]:
    """``notified``'s text failed for good on Friday and made a confirmation (which no later
    call makes pointless): units of work at Saturday 02:00, the text's id and its case's id."""
    session_factory, _, [_, text_id] = notified
    assert _deliver_in_hours(session_factory, FakeSender([BOUNCED]), text_id,
                             FRIDAY_10AM) == Outcome.FAILED
    with session_factory() as session:
        session.execute(update(outbox).where(outbox.c.id == text_id)
                        .values(purpose="confirmation"))
        case_id = session.execute(select(cases.c.id)).scalar_one()
        session.commit()

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, ManualClock(SATURDAY_2AM))

    return uow, text_id, int(case_id)


def test_a_failed_text_to_a_number_marked_wrong_is_not_sent_again(notified) -> None:
    """From a review: ``retry-failed`` re-queued a failed text (here a confirmation, which no
    later call makes pointless) to a number an agent had since marked wrong; only delivery's
    own check kept it from the stranger, and the report counted it as re-queued."""
    from test_delivery_contact_hours import POLICY

    from sagwa.services import desk_cases

    session_factory = notified[0]
    uow, text_id, case_id = _failed_confirmation_text(notified)
    before = retry_failed(uow(), actor="cli", contact_hours=HOURS, dry_run=True).as_dict()
    assert before["requeued"] == 1  # not yet marked: it would go again
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="wrong_number", agent="agent:park", policy=POLICY)
    report = retry_failed(uow(), actor="cli", contact_hours=HOURS).as_dict()
    assert report["requeued"] == 0
    assert report["skipped_by_reason"] == {"wrong_number": 1}
    assert _row_of(session_factory, text_id).status == "failed"


def test_texts_not_sent_by_configuration_are_neither_paged_on_nor_retried(
        committed_database: Database) -> None:
    """An ops walk: with ``SAGWA_SMS_LOG_ONLY=true`` (production allows it) every text fails for
    good, so ``/healthz``'s ``outbox_failed`` rose with each notification — the alert deploy.md
    recommends was useless — and ``retry-failed`` re-queued texts that can only fail again."""
    from sagwa.adapters.senders.no_sms import NoSmsSender
    from sagwa.services.delivery import deliver_message
    from sagwa.services.health import check_health
    from sagwa.services.unit_of_work import utc_now

    assert committed_database.session_factory is not None
    text_id = _queue(committed_database, "k-text", channel="sms", recipient="010-2345-6789")
    email_id = _queue(committed_database, "k-email-bounced")
    assert deliver_message(committed_database.session_factory, {"sms": NoSmsSender()}, text_id,
                           utc_now()) == Outcome.FAILED
    assert _deliver(committed_database, FakeSender([BOUNCED]), email_id) == Outcome.FAILED

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(committed_database.session_factory)  # type: ignore[arg-type]

    body, _ = check_health(uow, "db")
    assert body["outbox_failed"] == 1  # the bounced email, not the text never meant to go

    from test_delivery_contact_hours import HOURS as hours
    report = retry_failed(uow(), actor="cli", contact_hours=hours, dry_run=True,
                          texts_not_sent=True).as_dict()
    assert [m["id"] for m in report["messages"]] == [email_id]
    assert report["skipped_by_reason"] == {"texts_not_sent": 1}
    # an SMS provider configured since: the texts go again
    report = retry_failed(uow(), actor="cli", contact_hours=hours, dry_run=True).as_dict()
    assert sorted(m["id"] for m in report["messages"]) == sorted([text_id, email_id])
