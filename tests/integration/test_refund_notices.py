"""The customer is told when finance pays their refund, on real PostgreSQL
(``services.refund_notices``): one note per refund marked paid — alone or from a payments file
— with the order, the amount and the day, never finance's reference; held to the contact
centre's hours; none on a dry run, for refunds marked paid in bulk from before sagwa tracked
refunds, or to a customer with neither address nor phone; a note the message check refuses
does not stop the payment being recorded. A note waiting for an address the customer says is
not theirs goes by text instead."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from test_desk import LINKS, POLICY, shop  # noqa: F401
from test_refunds import _cancelled, _paid_records

from sagwa.adapters.db.tables import customers, outbox, refunds
from sagwa.domain.refunds import PaymentLine
from sagwa.services.customer_contact import change_customer_contact
from sagwa.services.refund_notices import PURPOSE, refund_of_key
from sagwa.services.refunds import mark_owed_paid_before, mark_refund_paid, mark_refunds_paid

SEOUL = ZoneInfo("Asia/Seoul")


def _notes(uow, case_id: int) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [dict(r._mapping) for r in u.conn.execute(
            select(outbox.c.idempotency_key, outbox.c.channel, outbox.c.recipient,
                   outbox.c.locale, outbox.c.subject, outbox.c.body, outbox.c.status,
                   outbox.c.not_before)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == PURPOSE)
            .order_by(outbox.c.id))]


def _refund_ids(uow, case_id: int) -> list[int]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [r.refund_id for r in u.refunds.for_case(case_id)]


def test_a_refund_marked_paid_tells_its_customer_the_order_amount_and_day(shop) -> None:
    """고객1 (Korean, email) cancelled two orders on Friday; finance marks one paid on Monday
    night (paid that afternoon): the note is due when the centre opens on Tuesday, says the
    order, 19,900원 and Monday — and never the bank reference."""
    uow, clock, _iid, case_id, _customer = _cancelled(shop)
    first, second = _refund_ids(uow, case_id)
    clock.now = datetime(2008, 6, 16, 22, 30, tzinfo=SEOUL)  # Monday night: the centre is shut
    with uow() as u:
        order_id = u.refunds.get(first).order_id
    mark_refund_paid(uow(), refund_id=first, reference="KB 0616-비밀-77", actor="admin:kim",
                     paid_at=datetime(2008, 6, 16, 14, 0, tzinfo=SEOUL), policy=POLICY)
    [note] = _notes(uow, case_id)
    assert (note["channel"], note["recipient"], note["locale"], note["status"]) == (
        "email", "c1@example.com", "ko", "pending")
    assert note["subject"].endswith("환불 금액을 지급했습니다")
    body = str(note["body"])
    assert body.startswith("고객1 고객님, 가격 오류로 불편을 드려 다시 한 번 죄송합니다.")
    assert (f"주문번호 {order_id}의 환불 금액 19,900원을 2008년 6월 16일(월)에 지급했습니다"
            in body)
    assert "0616" not in body and "비밀" not in body and "KB" not in body
    assert POLICY.contact.phone in body
    # held to the contact hours: due at Tuesday's opening, not at 22:30
    assert note["not_before"] == datetime(2008, 6, 17, 9, 0, tzinfo=SEOUL)
    assert refund_of_key(str(note["idempotency_key"])) == first
    [record] = _paid_records(uow, case_id)
    assert record.event.after["customer_told"] == "email"
    # the other refund is not told of until it is paid
    assert all(refund_of_key(str(n["idempotency_key"])) != second for n in _notes(uow, case_id))


def test_a_payments_file_tells_each_refund_once_and_a_dry_run_tells_none(shop) -> None:
    uow, clock, _iid, case_id, customer = _cancelled(shop)
    first, second = _refund_ids(uow, case_id)
    with uow() as u:  # an English customer with only a phone: told by text, in English
        u.conn.execute(update(customers).where(customers.c.id == customer)
                       .values(email=None, locale="en"))
        u.commit()
    clock.now = datetime(2008, 6, 17, 11, 0, tzinfo=SEOUL)
    lines = [PaymentLine(2, str(first), "KB-0616-1", "2008-06-16T15:00"),
             PaymentLine(3, str(second), "KB-0616-2", "")]
    dry = mark_refunds_paid(uow(), lines=lines, actor="admin:kim", dry_run=True, policy=POLICY)
    assert (dry.customers_told, _notes(uow, case_id)) == (0, [])
    done = mark_refunds_paid(uow(), lines=lines, actor="admin:kim", policy=POLICY)
    assert done.customers_told == 2 and done.as_dict()["customers_told"] == 2
    notes = _notes(uow, case_id)
    assert [refund_of_key(str(n["idempotency_key"])) for n in notes] == [first, second]
    assert {(n["channel"], n["locale"], n["subject"]) for n in notes} == {("sms", "en", "")}
    assert "was paid on Monday, June 16, 2008" in str(notes[0]["body"])
    assert "was paid on Tuesday, June 17, 2008" in str(notes[1]["body"])
    assert {n["not_before"] for n in notes} == {clock.now}  # the centre is open: at once
    assert {r.event.after["customer_told"] for r in _paid_records(uow, case_id)} == {"sms"}


def test_refunds_marked_paid_in_bulk_from_before_sagwa_tracked_them_tell_no_one(shop) -> None:
    """When finance paid them is not known: "paid today" would not be true."""
    uow, clock, _iid, case_id, _ = _cancelled(shop)
    with uow() as u:
        u.conn.execute(update(refunds).where(refunds.c.case_id == case_id)
                       .values(backfilled=True))
        u.commit()
    clock.now = datetime(2008, 6, 30, 10, 0, tzinfo=SEOUL)
    done = mark_owed_paid_before(uow(), before=datetime(2008, 6, 14).date(),
                                 reference="paid outside sagwa", actor="admin:kim")
    assert len(done.refunds) == 2 and done.customers_told == 0
    assert _notes(uow, case_id) == []
    assert all("customer_told" not in r.event.after for r in _paid_records(uow, case_id))


def test_a_customer_with_neither_address_nor_phone_is_not_told(shop) -> None:
    uow, _clock, _iid, case_id, customer = _cancelled(shop)
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer)
                       .values(email=None, phone=None))
        u.commit()
    first = _refund_ids(uow, case_id)[0]
    mark_refund_paid(uow(), refund_id=first, reference="KB-1", actor="admin:kim", policy=POLICY)
    assert _notes(uow, case_id) == []
    [record] = _paid_records(uow, case_id)
    assert record.event.after["customer_told"] is None


def test_a_note_the_message_check_refuses_does_not_stop_the_payment(shop) -> None:
    """The desk policy's contact hours worded as a threat: the note is refused by the message
    check, the payment is recorded all the same and its audit record says the note was not
    sent, and why."""
    uow, _clock, _iid, case_id, _ = _cancelled(shop)
    threat = replace(POLICY, contact=replace(
        POLICY.contact, hours_ko="평일 9시~18시. 연락이 없으면 법적 조치를 취하겠습니다"))
    first = _refund_ids(uow, case_id)[0]
    paid = mark_refund_paid(uow(), refund_id=first, reference="KB-1", actor="admin:kim",
                            policy=threat)
    assert paid.paid_at is not None
    assert _notes(uow, case_id) == []
    [record] = _paid_records(uow, case_id)
    assert record.event.after["customer_told"] is None
    assert record.event.after["customer_not_told"] == "message_check_failed"


def test_a_note_waiting_for_an_address_the_customer_disowns_goes_by_text(shop) -> None:
    uow, clock, _iid, case_id, customer = _cancelled(shop)
    first = _refund_ids(uow, case_id)[0]
    clock.now = datetime(2008, 6, 16, 22, 30, tzinfo=SEOUL)  # held until Tuesday's opening
    mark_refund_paid(uow(), refund_id=first, reference="KB-1", actor="admin:kim", policy=POLICY)
    done = change_customer_contact(uow(), customer_id=customer, actor="agent:park",
                                   policy=POLICY, links=LINKS, email=None)
    assert done.messages_resent >= 1
    notes = _notes(uow, case_id)
    assert [(n["channel"], n["status"]) for n in notes] == [("email", "withdrawn"),
                                                           ("sms", "pending")]
    assert refund_of_key(str(notes[1]["idempotency_key"]).removesuffix(":to_sms")) == first
    assert "19,900원을 2008년 6월 14일(토)에 지급했습니다" not in str(notes[1]["body"])
    assert "19,900원을 2008년 6월 16일(월)에 지급했습니다" in str(notes[1]["body"])


def test_a_note_held_from_a_wrong_number_is_not_told_and_goes_to_the_right_one(shop) -> None:
    """A review: a text-only customer whose number an agent marked wrong was counted as told
    ("sms") while the text was dropped. It is recorded as not told, kept as withdrawn, and sent
    once the right number is saved."""
    from sagwa.services import desk_cases

    uow, _clock, _iid, case_id, customer = _cancelled(shop)
    with uow() as u:
        u.conn.execute(update(customers).where(customers.c.id == customer).values(email=None))
        u.commit()
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="wrong_number", agent="agent:park", policy=POLICY)
    first = _refund_ids(uow, case_id)[0]
    done = mark_refunds_paid(uow(), lines=[PaymentLine(2, str(first), "KB-1", "")],
                             actor="admin:kim", policy=POLICY)
    assert done.customers_told == 0
    [record] = _paid_records(uow, case_id)
    assert (record.event.after["customer_told"], record.event.after["customer_not_told"]) == (
        None, "wrong_number")
    assert [(n["status"], n["channel"]) for n in _notes(uow, case_id)] == [("withdrawn", "sms")]
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            links=LINKS, phone="010-9999-0001")
    notes = _notes(uow, case_id)
    assert [(n["status"], n["recipient"]) for n in notes] == [
        ("withdrawn", "010-1234-0001"), ("pending", "010-9999-0001")]


def test_a_failed_note_is_retried_though_another_refunds_note_went(shop) -> None:
    """A review: "a copy was sent" compared case, purpose and channel only, so the note of a
    case's second refund was never retried once the first's had gone."""
    from sagwa.services.failed_messages import why_not_resend

    uow, clock, _iid, case_id, _ = _cancelled(shop)
    first, second = _refund_ids(uow, case_id)
    mark_refunds_paid(uow(), lines=[PaymentLine(2, str(first), "KB-1", ""),
                                    PaymentLine(3, str(second), "KB-2", "")],
                      actor="admin:kim", policy=POLICY)
    with uow() as u:
        for refund_id, status in ((first, "sent"), (second, "failed")):
            u.conn.execute(update(outbox).where(
                outbox.c.idempotency_key.like(f"%:{PURPOSE}:{refund_id}"))
                .values(status=status))
        u.commit()
        [failed] = u.outbox.failed_messages()
    assert failed.copy_sent is False
    assert why_not_resend(failed, clock.now) is None
