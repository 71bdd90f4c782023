"""The discount choice's difference on real PostgreSQL: a customer who buys at the discounted
correct price owes the difference (sagwa takes no payment); staff record it as paid, once, with
the payment's reference; the incident's status and report count who still owes one, and a case
that owes none is refused with what it is instead."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apologies_sent import apologies_sent
from sqlalchemy import select, update
from test_desk import LINKS, POLICY, _planned, publish_notice, shop  # noqa: F401

from sagwa.adapters.db.tables import customers, outbox, products
from sagwa.domain.money import Money
from sagwa.errors import Conflict, InvalidInput, NotFound
from sagwa.replay.figures import scenario_figures
from sagwa.services import desk, desk_cases
from sagwa.services.desk_difference import (
    PAID_ACTION,
    RECEIPT_PURPOSE,
    REMINDER_PURPOSE,
    record_difference_paid,
)
from sagwa.services.desk_notify import notify
from sagwa.services.desk_report import build_report
from sagwa.services.desk_status import incident_status

SEOUL = ZoneInfo("Asia/Seoul")
OPTIONS = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount"]


def _answered(shop, discount_pct: int, answers: dict[int, str],  # type: ignore[no-untyped-def]
              **plan: object):
    """Notified with a ``discount_pct`` option (and ``plan``'s terms: ``options`` …), apologies
    sent; customer n answers ``answers[n]`` the next morning."""
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, **{"options": OPTIONS, **plan},
                   discount_pct=discount_pct)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        cases = {int(r.case.customer_id): int(r.case.case_id) for r in u.cases.for_incident(iid)}
    for n, choice in answers.items():
        desk_cases.record_choice(uow(), case_id=cases[people[n]], choice=choice, channel="web",
                                 evidence=f"clicked {choice}", taken_by="customer",
                                 policy=POLICY)
    return uow, clock, iid, cases, people


@pytest.fixture
def chosen(shop):
    """A 20%-off option; customers 1 and 3 (2 units each) take the discount, customer 2 keeps;
    the rest have not answered."""
    return _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2], 2: "keep"})


def _status(uow, iid: int) -> dict:
    return incident_status(uow(), incident_id=iid, policy=POLICY).as_dict()


def test_the_difference_is_owed_until_recorded_as_paid_once(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    assert _status(uow, iid)["differences_unpaid"] == 2
    one, two = cases[people[1]], cases[people[3]]
    clock.now += timedelta(hours=2)
    first = record_difference_paid(uow(), case_id=two, actor="agent:park",
                                   note="  bank transfer, receipt 0613-42  ")
    # 199,000 × 0.8 = 159,200 a unit, 19,900 paid: 139,300 more for each of the 2 units
    assert first.difference == Money(278_600, "KRW") and first.changed
    assert (first.paid.at, first.paid.by, first.paid.note) == (
        clock.now, "agent:park", "bank transfer, receipt 0613-42")
    assert _status(uow, iid)["differences_unpaid"] == 1
    again = record_difference_paid(uow(), case_id=two, actor="agent:kim", note="paid")
    assert not again.changed and again.paid == first.paid  # the first record stands
    # ... and says the note given this time was not recorded, with the one on record
    assert first.note_recorded and not again.note_recorded
    assert again.as_dict()["note_recorded"] is False
    assert again.as_dict()["note"] == "bank transfer, receipt 0613-42"
    same = record_difference_paid(uow(), case_id=two, actor="agent:kim",
                                  note="bank transfer, receipt 0613-42 ")
    assert not same.changed and same.note_recorded  # the same note: it is the one on record
    assert not record_difference_paid(uow(), case_id=two, actor="agent:kim", note=" ").changed
    with uow() as u:
        paid = [r.event for r in u.audit.for_entity("case", str(two)) if r.event.action == PAID_ACTION]
        row = u.cases.get(two)
    assert len(paid) == 1 and paid[0].after["difference"] == {"amount_minor": 278_600,
                                                              "currency": "KRW"}
    assert row.difference_paid == first.paid
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    assert report.figures["differences_unpaid"] == 1
    [step] = [e for e in report.timeline if e.action == PAID_ACTION]  # what, not only who
    assert step.facts["difference"] == Money(278_600, "KRW")
    assert (step.entity, step.detail) == ("1 case", "difference=278,600 KRW")
    assert record_difference_paid(uow(), case_id=one, actor="agent:park",
                                  note="cash at the counter").difference == Money(278_600, "KRW")
    assert _status(uow, iid)["differences_unpaid"] == 0


def test_a_case_that_owes_no_difference_is_refused_with_what_it_is(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    for person, words in ((people[2], "chose keep, not to buy at the discounted"),
                          (people[4], "has not chosen yet")):
        with pytest.raises(Conflict) as refused:
            record_difference_paid(uow(), case_id=cases[person], actor="agent:park",
                                   note="receipt 1")
        assert refused.value.details["reason"] == "no_difference_owed"
        assert words in refused.value.message
        with uow() as u:
            assert u.cases.get(cases[person]).difference_paid is None
    with pytest.raises(NotFound):
        record_difference_paid(uow(), case_id=999_999, actor="agent:park", note="receipt 1")


@pytest.mark.parametrize(("note", "reason"), [("", "payment_note_required"),
                                              ("   ", "payment_note_required"),
                                              ("..  --", "payment_note_too_short"),
                                              ("1 --", "payment_note_too_short"),
                                              ("ok", "payment_note_too_short"),
                                              ("x" * 501, "payment_note_too_long")])
def test_the_payment_needs_its_reference(chosen, note: str, reason: str) -> None:
    uow, _clock, iid, cases, people = chosen
    with pytest.raises(InvalidInput) as refused:
        record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park", note=note)
    assert refused.value.details["reason"] == reason
    assert _status(uow, iid)["differences_unpaid"] == 2  # nothing was written


def test_a_discount_no_higher_than_the_price_paid_leaves_nothing_to_pay(shop) -> None:
    """95% off 199,000 is 9,950, below the 19,900 paid: the order keeps its price."""
    uow, _clock, iid, cases, people = _answered(shop, 95, {1: OPTIONS[2]})
    case_id = cases[people[1]]
    assert _status(uow, iid)["differences_unpaid"] == 0
    with pytest.raises(Conflict) as refused:
        record_difference_paid(uow(), case_id=case_id, actor="agent:park", note="receipt")
    assert "not above the price they paid" in refused.value.message


def test_a_payment_after_the_incident_closed_is_still_recorded(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    closed = desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    assert closed.incident.status.value == "closed"  # an unpaid difference does not hold it open
    assert _status(uow, iid)["differences_unpaid"] == 2
    clock.now += timedelta(days=3)
    assert record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                  note="transfer 0620").changed
    assert _status(uow, iid)["differences_unpaid"] == 1


def _receipts(uow, case_id: int) -> list[tuple[str, str, str, str, str]]:
    with uow() as u:
        return [(r.channel, r.recipient, r.locale, r.subject, r.body) for r in u.conn.execute(
            select(outbox.c.channel, outbox.c.recipient, outbox.c.locale, outbox.c.subject,
                   outbox.c.body).where(outbox.c.case_id == case_id,
                                        outbox.c.purpose == RECEIPT_PURPOSE))]


def test_recording_the_payment_sends_the_customer_a_receipt_once(shop) -> None:
    """Alex Kim (English, 1 unit) by email; 고객1 (Korean, 2 units, no email) by text. A second
    record sends nothing more; the receipt never quotes staff's payment note."""
    uow, clock, _listing_id, people, _ = shop
    with uow() as u:
        u.conn.execute(customers.update().where(customers.c.id == people[1]).values(email=None))
        u.commit()
    uow, clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2], 1: OPTIONS[2],
                                                          3: OPTIONS[2]})
    alex, ko = cases[people[0]], cases[people[1]]
    assert _receipts(uow, alex) == [] and _receipts(uow, ko) == []
    clock.now = datetime(2008, 6, 14, 11, 5, tzinfo=SEOUL)
    record_difference_paid(uow(), case_id=alex, actor="agent:park", note="receipt 0614-7 (internal)",
                           policy=POLICY)
    record_difference_paid(uow(), case_id=alex, actor="agent:kim", note="again", policy=POLICY)
    record_difference_paid(uow(), case_id=ko, actor="agent:park", note="receipt 0614-8",
                           policy=POLICY)
    [(channel, to, lang, subject, body)] = _receipts(uow, alex)
    assert (channel, to, lang, subject) == ("email", "c0@example.com", "en",
                                            "[sagwa] We received the difference")
    # 159,200 - 19,900 = 139,300 KRW for his one unit
    assert "Dear Alex Kim" in body and "received the difference of 139,300 KRW" in body
    assert "sending your 1 item." in body and "June 14 at 11:05 am" in body
    assert "0614-7" not in body and "internal" not in body
    [(channel, to, lang, subject, body)] = _receipts(uow, ko)
    assert (channel, to, lang, subject) == ("sms", "010-1234-0001", "ko", "")
    assert "차액 278,600원을 받았습니다" in body and "보내 드립니다" in body
    assert "0614-8" not in body
    record_difference_paid(uow(), case_id=cases[people[3]], actor="agent:park", note="r-0614",
                           policy=POLICY)
    [(channel, _, lang, subject, body)] = _receipts(uow, cases[people[3]])
    assert (channel, lang, subject) == ("email", "ko", "[사과 고객센터] 차액을 받았습니다")
    assert "고객3 고객님" in body and "상품 2개를 보내 드립니다" in body


def test_no_receipt_without_an_address_or_a_phone(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    with uow() as u:
        u.conn.execute(customers.update().where(customers.c.id == people[3])
                       .values(email=None, phone=None))
        u.commit()
    recorded = record_difference_paid(uow(), case_id=cases[people[3]], actor="agent:park",
                                      note="cash", policy=POLICY)
    assert recorded.changed and recorded.receipt is None and _receipts(uow, cases[people[3]]) == []
    assert record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                  note="cash", policy=POLICY).as_dict()["receipt"] == "email"


def test_a_text_receipt_with_a_shortened_name_reads_right_and_the_replay_counts_it_clean(
        shop) -> None:
    """From a review: a shortened product name ('…') was followed by a full stop ('….'), and
    the replay's figures counted every sent receipt as failing the check (as a resolution it
    has no options or deadline)."""
    uow, clock, listing_id, people, _ = shop
    with uow() as u:  # Alex Kim (English) has no email: the receipt goes by text
        u.conn.execute(customers.update().where(customers.c.id == people[0]).values(email=None))
        u.conn.execute(update(products).values(
            title_en="Apple iPod nano (3rd generation) 4GB silver with dock and earphones"))
        u.commit()
    uow, clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2]})
    clock.now = datetime(2008, 6, 14, 11, 5, tzinfo=SEOUL)
    record_difference_paid(uow(), case_id=cases[people[0]], actor="agent:park", note="r1-0614",
                           policy=POLICY)
    [(channel, _to, lang, _subject, body)] = _receipts(uow, cases[people[0]])
    assert (channel, lang) == ("sms", "en") and "…." not in body and "… at the" in body
    assert "sending your item." in body  # one unit
    with uow() as u:
        before = scenario_figures(u.conn, listing_id=listing_id, wrong_price_minor=19_900,
                                  schedule=POLICY.schedule)["messages_failing_check"]
        u.conn.execute(update(outbox).where(outbox.c.purpose == RECEIPT_PURPOSE)
                       .values(status="sent", sent_at=clock.now))
        after = scenario_figures(u.conn, listing_id=listing_id, wrong_price_minor=19_900,
                                 schedule=POLICY.schedule)["messages_failing_check"]
        u.rollback()
    assert after == before


def _reminders(uow, case_id: int) -> list[tuple[str, str, str, datetime, str, str]]:
    with uow() as u:
        return [tuple(r) for r in u.conn.execute(
            select(outbox.c.status, outbox.c.channel, outbox.c.recipient, outbox.c.not_before,
                   outbox.c.subject, outbox.c.body)
            .where(outbox.c.case_id == case_id, outbox.c.purpose == REMINDER_PURPOSE)
            .order_by(outbox.c.id))]


def test_a_difference_still_unpaid_is_recalled_once_three_days_after_the_choice(chosen) -> None:
    """Customers 1 and 3 took the discount at 10:00 on Friday the 13th: each has one reminder
    waiting for Monday 10:00 (Korean, by email), saying what is owed, how to pay and that the
    order is not cancelled without their consent; customer 2 kept their order and has none."""
    uow, _clock, _iid, cases, people = chosen
    chose_at = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    for person in (people[1], people[3]):
        [(status, channel, _to, due, subject, body)] = _reminders(uow, cases[person])
        assert (status, channel, due) == ("pending", "email", chose_at + timedelta(days=3))
        assert subject == "[사과 고객센터] 차액이 아직 결제되지 않았습니다"
        assert "차액 278,600원은 아직 결제되지 않았습니다" in body
        assert "6월 13일(금) 오전 10시(한국 시간)에 정상가에서 할인된 가격으로" in body
        assert "동의 없이 주문을 취소하지 않습니다" in body and "1544-0000" in body
    assert _reminders(uow, cases[people[2]]) == []
    # the same choice again (a double click) queues nothing more
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice=OPTIONS[2], channel="web",
                             evidence="clicked again", taken_by="customer", policy=POLICY)
    assert len(_reminders(uow, cases[people[1]])) == 1


def test_recording_the_payment_first_withdraws_the_reminder(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    clock.now = datetime(2008, 6, 14, 11, 0, tzinfo=SEOUL)
    record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                           note="transfer 0614", policy=POLICY)
    assert [r[0] for r in _reminders(uow, cases[people[1]])] == ["withdrawn"]
    assert [r[0] for r in _reminders(uow, cases[people[3]])] == ["pending"]  # still owed


def test_an_english_customer_without_an_address_is_reminded_by_text(shop) -> None:
    uow, _clock, _listing_id, people, _ = shop
    with uow() as u:  # Alex Kim (English) has no email: the reminder goes by text
        u.conn.execute(customers.update().where(customers.c.id == people[0]).values(email=None))
        u.commit()
    uow, _clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2]})
    [(status, channel, to, _due, subject, body)] = _reminders(uow, cases[people[0]])
    assert (status, channel, subject) == ("pending", "sms", "")
    assert to is not None and "the difference of 139,300 KRW" in body
    assert "we will send your items" in body and "without your consent" in body
    assert "…." not in body  # a shortened name is not followed by a full stop


def test_no_reminder_when_nothing_is_owed_or_the_policy_sends_none(shop) -> None:
    """95% off leaves nothing to pay (the order keeps its price); a policy with
    ``reminder_after_days = 0`` sends no reminder of a difference that is owed."""
    from dataclasses import replace

    uow, _clock, _iid, cases, people = _answered(shop, 95, {1: OPTIONS[2]})
    assert _reminders(uow, cases[people[1]]) == []
    quiet = replace(POLICY, difference_reminder_after=None)
    desk_cases.record_choice(uow(), case_id=cases[people[3]], choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=quiet)
    assert _reminders(uow, cases[people[3]]) == []


def test_a_reminder_that_would_fall_at_night_is_due_at_the_next_opening(shop) -> None:
    """Chosen on Friday at 20:00: three days later is Monday 20:00, after the centre closes
    (weekdays 09:00-18:00), so the reminder is due on Tuesday at 09:00 — the time the agent's
    page gives."""
    uow, clock, _iid, cases, people = _answered(shop, 20, {})
    clock.now = datetime(2008, 6, 13, 20, 0, tzinfo=SEOUL)
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    [(status, _channel, _to, due, _subject, _body)] = _reminders(uow, cases[people[1]])
    assert (status, due) == ("pending", datetime(2008, 6, 17, 9, 0, tzinfo=SEOUL))


def _apology(uow, case_id: int) -> str:
    with uow() as u:
        return u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "resolution",
            outbox.c.channel == "email")).scalar_one()


def test_the_apology_says_what_the_discount_would_leave_each_customer_to_pay(shop) -> None:
    """Before choosing — by email, on the page or on the phone — a customer hears the
    difference the discount would leave them to pay, that nothing charges it, and that the
    items wait for it (a walkthrough found it said only after the choice, which is final)."""
    uow, _clock, _iid, cases, people = _answered(shop, 20, {})
    korean = _apology(uow, cases[people[1]])  # 2 units, 39,800 KRW paid
    assert ("정상가에서 20% 할인된 가격으로 구매: 1개당 159,200원(정상가 199,000원)입니다. "
            "결제하신 금액과의 차액 278,600원은 자동으로 결제되지 않아 고객센터를 통해 따로 결제해 "
            "주셔야 하며, 결제가 확인되면 상품을 보내 드립니다.") in korean
    english = _apology(uow, cases[people[0]])  # Alex Kim: 1 unit, 19,900 KRW paid
    assert ("The difference of 139,300 KRW from what you paid is not charged automatically: you "
            "pay it through our customer centre, and we send the item once it is paid.") in english


def test_a_discount_below_the_price_paid_says_nothing_more_is_owed(shop) -> None:
    uow, _clock, _iid, cases, people = _answered(shop, 95, {})
    assert "1개당 9,950원(정상가 199,000원)입니다. 이 경우 더 내실 금액은 없습니다." in _apology(
        uow, cases[people[1]])


def test_the_seller_is_told_to_send_the_orders_once_the_difference_is_paid(shop) -> None:
    """The seller held 고객1's order for the difference; when it is recorded as paid they are
    emailed to send it (Korean, then English, once); a seller without an address reads it on
    their page only."""
    from sagwa.adapters.db.tables import sellers
    from sagwa.services.seller_notices import SELLER_PURPOSE

    uow, _, _listing_id, _people, seller_id = shop
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email="ops@haneul.example"))
        u.commit()
    uow, _clock, iid, cases, people = _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2]})

    def paid_notices() -> list:
        with uow() as u:
            return u.conn.execute(select(outbox).where(
                outbox.c.purpose == SELLER_PURPOSE,
                outbox.c.idempotency_key.like("%:difference_paid:%")).order_by(outbox.c.id)).all()

    assert paid_notices() == []
    done = record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                  note="transfer 0614", policy=POLICY, links=LINKS)
    assert done.sellers_told == 1 and done.as_dict()["sellers_told"] == 1
    [mail] = paid_notices()
    assert (mail.recipient, mail.status, mail.channel) == ("ops@haneul.example", "pending", "email")
    assert mail.subject.startswith(f"[사과 고객센터] 가격 오류 사고 {iid}번: 차액이 결제된 주문을 보내 주세요")
    ko, en = mail.body.split("— English —")
    assert "하늘디지털 담당자님께" in ko and "보류하셨던 아래 주문을 이제 보내 주세요(모두 2개)" in ko
    assert "애플 아이팟 나노 3세대 4GB" in ko and "2개" in ko
    assert "Please send the orders below" in en and "2 items in all" in en
    assert f"{LINKS.base_url}/seller/incidents/{iid}" in en
    record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:kim", note="again 0614")
    assert len(paid_notices()) == 1  # recorded once, written once
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id).values(contact_email=None))
        u.commit()
    assert record_difference_paid(uow(), case_id=cases[people[3]], actor="agent:park",
                                  note="transfer 0615").sellers_told == 0
    assert len(paid_notices()) == 1


def test_a_reminder_that_cannot_be_built_does_not_stop_the_choice(
        shop, monkeypatch: pytest.MonkeyPatch) -> None:
    """A product title the message check refuses in the reminder (a review's example: "We will
    sue you - board game") must not roll back the customer's choice: it is recorded, and the
    audit entry names the reminder that was not queued."""
    from sagwa.errors import MessageRefused
    from sagwa.services import desk_difference

    def refused(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise MessageRefused("the follow_up (ko) failed the message check: threat",
                             findings=[], reason="message_check_failed")

    monkeypatch.setattr(desk_difference, "reminder_messages", refused)
    uow, _clock, _iid, cases, people = _answered(shop, 20, {1: OPTIONS[2]})
    case_id = cases[people[1]]
    with uow() as u:
        assert u.cases.get(case_id).case.consent.choice.value == OPTIONS[2]
        [entry] = [r.event for r in u.audit.for_entity("case", str(case_id))
                   if r.event.action == "case.choice_recorded"]
    assert entry.after["reminder_not_queued"] == "message_check_failed"
    assert _reminders(uow, case_id) == []


@pytest.mark.parametrize("note", ["현금", "이체", "ATM"])
def test_a_short_korean_payment_note_that_says_how_is_enough(chosen, note: str) -> None:
    uow, _clock, _iid, cases, people = chosen
    assert record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:park",
                                  note=note).paid.note == note
