"""Delivery checks contact hours again: a late worker never asks a customer to act at night.

The 2008 iPod incident on real PostgreSQL: the apology is queued for Friday 13 June 2008 09:00
KST (the next opening after the 17:30 declaration) and the plan's deadline is Tuesday 17 June
18:00. The packaged desk policy opens weekdays 09:00-18:00 and Saturdays 10:00-14:00, with at
least two hours left before closing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sagwa.adapters.db.database import Database
from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.fake import FakeSender
from sagwa.config import Settings
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.money import Money
from sagwa.jobs.runtime import DeliveryRuntime
from sagwa.services import catalog, desk, orders
from sagwa.services.delivery import (
    PAST_DEADLINE,
    Outcome,
    contact_opening,
    deliver_message,
    message_due_at,
)
from sagwa.services.desk_notify import LinkMaker, notify
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.outbox import enqueue_message
from sagwa.services.unit_of_work import ManualClock, SqlAlchemyUnitOfWork
from sagwa.testing.wrong_price import ipod_listed_at_wrong_price

pytestmark = pytest.mark.integration

SEOUL = ZoneInfo("Asia/Seoul")
POLICY = load_desk_policy()
HOURS = POLICY.schedule
LINKS = LinkMaker("test-secret-key-0123456789", "http://127.0.0.1:8000")
WRONG, RIGHT = Money(19_900, "KRW"), Money(199_000, "KRW")
SATURDAY_2AM = datetime(2008, 6, 14, 2, 0, tzinfo=SEOUL)
SATURDAY_OPENING = datetime(2008, 6, 14, 10, 0, tzinfo=SEOUL)
MONDAY_OPENING = datetime(2008, 6, 16, 9, 0, tzinfo=SEOUL)


@pytest.fixture
def notified(session_factory):
    """One customer's iPod order, the incident planned and the apology queued (email + SMS)."""
    clock = ManualClock(datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL))

    def uow() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory, clock)

    listing_id = ipod_listed_at_wrong_price(uow).listing_id
    person = catalog.register_customer(uow(), name="김민지", email="minji@example.com",
                                       phone="010-1234-0001", locale="ko", actor="t")
    clock.now += timedelta(minutes=7)
    orders.place_order(uow(), customer_id=person.id, listing_id=listing_id, quantity=1,
                       actor="t", velocity=None)
    clock.now = datetime(2008, 6, 12, 17, 30, tzinfo=SEOUL)
    incident_id = int(desk.declare(
        uow(), listing_ids=[listing_id], wrong_price=WRONG, correct_price=RIGHT,
        window_start=datetime(2008, 6, 12, 14, 0, tzinfo=SEOUL),
        cause="90% event typed as the price", responsible="both",
        actor="operator:lee").incident.incident_id)
    desk.scope(uow(), incident_id=incident_id, actor="operator:lee")
    desk.plan(uow(), incident_id=incident_id,
              options=["keep", "cancel_with_compensation", "talk_to_person"],
              deadline=datetime(2008, 6, 17, 18, 0, tzinfo=SEOUL), default="keep",
              seller_share_pct=60, platform_share_pct=40, actor="operator:lee", policy=POLICY,
              cancel_compensation=Money(10_000, "KRW"))
    summary = notify(uow(), incident_id=incident_id, actor="operator:lee", policy=POLICY,
                     links=LINKS)
    assert summary.send_at == datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    with session_factory() as session:
        ids = list(session.execute(select(outbox.c.id).where(
            outbox.c.purpose == "resolution").order_by(outbox.c.id)).scalars())
    assert len(ids) == 2
    return session_factory, uow, ids


def _deliver(session_factory, sender: FakeSender, message_id: int, now: datetime) -> Outcome:
    return deliver_message(session_factory, {"email": sender, "sms": sender}, message_id, now,
                           contact_hours=HOURS)


def _row(session_factory, message_id: int):
    with session_factory() as session:
        return session.execute(select(outbox).where(outbox.c.id == message_id)).one()


def test_the_apology_is_not_sent_at_2am_on_saturday_but_at_the_next_opening(notified) -> None:
    session_factory, _, [message_id, _] = notified
    sender = FakeSender()

    assert _deliver(session_factory, sender, message_id, SATURDAY_2AM) == Outcome.NOT_DUE

    assert sender.calls == []
    row = _row(session_factory, message_id)
    assert (row.status, row.attempts, row.not_before) == ("pending", 0, SATURDAY_OPENING)
    assert message_due_at(session_factory, message_id) == SATURDAY_OPENING  # the job's retry_at
    assert _deliver(session_factory, sender, message_id, SATURDAY_OPENING) == Outcome.SENT
    assert (_row(session_factory, message_id).status, len(sender.calls)) == ("sent", 1)


def test_too_little_time_before_closing_waits_for_monday_morning(notified) -> None:
    session_factory, _, [_, message_id] = notified
    sender = FakeSender()
    saturday_half_past_noon = datetime(2008, 6, 14, 12, 30, tzinfo=SEOUL)

    assert _deliver(session_factory, sender, message_id, saturday_half_past_noon) == \
        Outcome.NOT_DUE

    assert sender.calls == []
    assert _row(session_factory, message_id).not_before == MONDAY_OPENING


def test_a_retry_after_a_failure_is_held_too_and_keeps_its_attempts(notified) -> None:
    session_factory, _, [message_id, _] = notified
    friday_evening = datetime(2008, 6, 13, 16, 30, tzinfo=SEOUL)  # 1.5 h before closing
    sender = FakeSender()
    with session_factory() as session:  # as if the first attempt on Friday morning failed
        session.execute(outbox.update().where(outbox.c.id == message_id).values(attempts=1))
        session.commit()

    assert _deliver(session_factory, sender, message_id, friday_evening) == Outcome.NOT_DUE

    row = _row(session_factory, message_id)
    assert (row.status, row.attempts, row.not_before) == ("pending", 1, SATURDAY_OPENING)


def test_an_apology_still_waiting_after_the_deadline_is_withdrawn_not_sent(notified) -> None:
    session_factory, _, [message_id, _] = notified
    sender = FakeSender()
    wednesday_morning = datetime(2008, 6, 18, 10, 0, tzinfo=SEOUL)

    assert _deliver(session_factory, sender, message_id, wednesday_morning) == Outcome.WITHDRAWN

    assert sender.calls == []
    row = _row(session_factory, message_id)
    assert (row.status, row.attempts, row.last_error) == ("withdrawn", 0, PAST_DEADLINE)
    assert _deliver(session_factory, sender, message_id, wednesday_morning) == \
        Outcome.ALREADY_DONE


def test_a_confirmation_of_a_choice_goes_out_at_night(notified) -> None:
    session_factory, uow, _ = notified
    with uow() as u:
        message_id = enqueue_message(
            u, idempotency_key="incident:1:case:1:confirmation:keep", purpose="confirmation",
            channel="email", recipient="minji@example.com", locale="ko",
            subject="[사과] 선택하신 내용을 확인해 드립니다", body="선택하신 내용을 확인해 드립니다.",
            not_before=SATURDAY_2AM - timedelta(minutes=1))
        u.commit()
    assert message_id is not None
    sender = FakeSender()

    assert _deliver(session_factory, sender, message_id, SATURDAY_2AM) == Outcome.SENT
    assert len(sender.calls) == 1


def test_the_reminder_of_an_unpaid_difference_waits_for_the_contact_centre(notified) -> None:
    """It asks the customer to call the centre to pay: not at 2 am, at the next opening."""
    session_factory, uow, _ = notified
    with uow() as u:
        message_id = enqueue_message(
            u, idempotency_key="incident:1:case:1:difference_reminder",
            purpose="difference_reminder", channel="email", recipient="minji@example.com",
            locale="ko", subject="[사과] 차액이 아직 결제되지 않았습니다",
            body="차액이 아직 결제되지 않았습니다.", not_before=SATURDAY_2AM - timedelta(minutes=1))
        u.commit()
    assert message_id is not None
    sender = FakeSender()
    assert _deliver(session_factory, sender, message_id, SATURDAY_2AM) == Outcome.NOT_DUE
    assert sender.calls == [] and _row(session_factory, message_id).not_before == SATURDAY_OPENING
    assert _deliver(session_factory, sender, message_id, SATURDAY_OPENING) == Outcome.SENT
    assert contact_opening(HOURS, "difference_reminder", SATURDAY_2AM) == SATURDAY_OPENING


def test_only_messages_asking_to_act_wait_for_the_contact_centre() -> None:
    assert contact_opening(HOURS, "resolution", SATURDAY_2AM) == SATURDAY_OPENING
    assert contact_opening(HOURS, "reminder", SATURDAY_2AM) == SATURDAY_OPENING
    assert contact_opening(HOURS, "defaulted", SATURDAY_2AM) == SATURDAY_OPENING  # unprompted
    assert contact_opening(HOURS, "confirmation", SATURDAY_2AM) is None
    assert contact_opening(HOURS, "resolution", SATURDAY_OPENING) is None
    assert contact_opening(None, "resolution", SATURDAY_2AM) is None


def test_a_worker_takes_its_contact_hours_from_the_configured_desk_policy(
        committed_database: Database, tmp_path: Path) -> None:
    packaged = (Path(__file__).parents[2] / "src/sagwa/desk.toml").read_text(encoding="utf-8")
    policy = tmp_path / "desk.toml"
    policy.write_text(packaged.replace('sat = "10:00-14:00"', 'sat = "08:00-20:00"'),
                      encoding="utf-8")
    settings = Settings(database_url=committed_database.engine.url.render_as_string(
        hide_password=False), desk_policy=policy, data_dir=tmp_path / "data",
        environment="test")

    runtime = DeliveryRuntime.from_settings(settings, threads=1)
    try:
        assert isinstance(runtime.contact_hours, ContactSchedule)
        assert runtime.contact_hours == load_desk_policy(policy).schedule
        assert contact_opening(runtime.contact_hours, "resolution", SATURDAY_2AM) == \
            datetime(2008, 6, 14, 8, 0, tzinfo=SEOUL)
    finally:
        runtime.close()


def test_a_message_left_sending_by_a_dead_worker_is_withdrawn_when_the_customer_answers(
        notified) -> None:
    """Held until the opening, it is pending again, so the customer's answer withdraws it."""
    from sagwa.services import desk_cases

    session_factory, uow, [message_id, _] = notified
    with session_factory() as session:  # a worker died while sending it on Friday morning
        session.execute(outbox.update().where(outbox.c.id == message_id)
                        .values(status="sending", attempts=1))
        session.commit()
    sender = FakeSender()
    assert _deliver(session_factory, sender, message_id, SATURDAY_2AM) == Outcome.NOT_DUE
    row = _row(session_factory, message_id)
    assert (row.status, row.attempts, row.not_before) == ("pending", 1, SATURDAY_OPENING)

    with uow() as u:
        case_id = int(u.cases.for_incident(int(row.incident_id))[0].case.case_id)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                             evidence="clicked: keep", taken_by="customer", policy=POLICY)

    assert _row(session_factory, message_id).status == "withdrawn"
    assert _deliver(session_factory, sender, message_id, SATURDAY_OPENING) == \
        Outcome.ALREADY_DONE
    assert sender.calls == []


def test_an_answer_withdraws_a_message_a_dead_worker_left_sending_but_not_one_being_sent(
        notified, database: Database) -> None:
    """In contact hours: the email's worker died mid-send (its lease is free), the SMS is being
    sent right now by a live worker on another connection (its lease is held). The customer
    answers: the email is withdrawn, the SMS goes out."""
    from sagwa.adapters.db.outbox_repo import OutboxRepository
    from sagwa.services import desk_cases

    session_factory, uow, [email_id, sms_id] = notified
    with session_factory() as session:
        session.execute(outbox.update().where(outbox.c.id.in_([email_id, sms_id]))
                        .values(status="sending", attempts=1))
        session.commit()
    with uow() as u:
        case_id = int(u.cases.for_incident(int(_row(session_factory, email_id).incident_id))[0]
                      .case.case_id)
    with database.engine.connect() as live_worker, live_worker.begin():
        assert OutboxRepository(live_worker).try_lease(sms_id)  # held until this block ends
        desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="web",
                                 evidence="clicked: keep", taken_by="customer", policy=POLICY)
    assert _row(session_factory, email_id).status == "withdrawn"
    assert _row(session_factory, sms_id).status == "sending"
