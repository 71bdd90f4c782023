"""Cancelling instead of paying the difference, on real PostgreSQL: a customer who took the
discount and has not paid may cancel with compensation instead, with their consent — the
orders are cancelled, what they paid (not the discounted price) is refunded, the compensation is
booked with the sellers' share, the reminder is withdrawn, they are confirmed, and the sellers
of a closed incident are told not to send. Once; never after the payment, never for another
choice, and nothing is written when it is refused."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from test_desk import LINKS, POLICY, publish_notice, shop  # noqa: F401
from test_desk_difference import OPTIONS, _answered, _reminders, _status

from sagwa.adapters.db.tables import ledger_postings, outbox, sellers
from sagwa.domain.money import Money
from sagwa.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from sagwa.services import desk, desk_cases
from sagwa.services.desk_cancel_instead import (
    CANCELLED_INSTEAD_ACTION,
    cancel_instead_of_paying,
)
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_money import figures_of_cases
from sagwa.services.desk_report import build_report
from sagwa.services.seller_notices import SELLER_PURPOSE

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture
def chosen(shop):
    """A 20%-off option (10,000 points for cancelling, sellers pay 60%); customers 1 and 3
    (2 units each at 19,900) take the discount, customer 2 keeps."""
    return _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2], 2: "keep"})


def _instead(uow, case_id: int, **kw):  # type: ignore[no-untyped-def]
    args = {"channel": "phone", "evidence": "고객: 차액은 못 내겠어요, 취소해 주세요",
            "taken_by": "agent:park", "policy": POLICY, "links": LINKS} | kw
    return cancel_instead_of_paying(uow(), case_id=case_id, **args)


def _messages(uow, case_id: int, purpose: str) -> list:
    with uow() as u:
        return u.conn.execute(select(outbox).where(outbox.c.case_id == case_id,
                                                   outbox.c.purpose == purpose)
                              .order_by(outbox.c.id)).all()


def test_cancelling_instead_refunds_what_was_paid_and_books_the_compensation(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    case_id = cases[people[1]]
    clock.now += timedelta(days=1)
    done = _instead(uow, case_id)
    # 2 units paid at 19,900: the refund is what was paid, not the discounted 159,200 a unit
    assert done.changed and done.refund == Money(39_800, "KRW")
    assert done.compensation_points == 10_000 and done.confirmation == "email"
    assert done.as_dict() == {"case_id": case_id, "changed": True,
                              "refund": {"amount_minor": 39_800, "currency": "KRW"},
                              "compensation_points": 10_000, "confirmation": "email",
                              "sellers_told": 0}  # open incident: the closing email tells them
    with uow() as u:
        row = u.cases.get(case_id)
        figures = figures_of_cases(u, [row])[case_id]
        orders = [u.market.order(int(o.order_id)) for o in row.case.orders]
        legs = u.conn.execute(select(ledger_postings).where(
            ledger_postings.c.entry_id == row.compensation_entry_id)).all()
        entries = [r.event for r in u.audit.for_entity("case", str(case_id))]
    assert row.case.consent.choice.value == "cancel_with_compensation"
    assert row.case.consent.channel.value == "phone"
    assert row.case.status.value == "resolved"
    assert {o.status.value for o in orders} == {"cancelled"}
    assert (figures.units_kept, figures.refunded) == (0, Money(39_800, "KRW"))
    assert legs and sum(leg.amount_minor for leg in legs if leg.amount_minor > 0) == 10_000
    [step] = [e for e in entries if e.action == CANCELLED_INSTEAD_ACTION]
    assert step.before == {"choice": "buy_at_correct_price_discount", "difference_paid": False,
                           "difference": {"amount_minor": 278_600, "currency": "KRW"}}
    assert step.after["choice"] == "cancel_with_compensation"
    assert step.after["refund"] == {"amount_minor": 39_800, "currency": "KRW"}
    # the compensation's ledger entry and who pays it (sellers 60%), as points.credited says
    assert (step.after["entry_id"], step.after["seller_points"],
            step.after["platform_points"]) == (row.compensation_entry_id, 6_000, 4_000)
    # the customer's words stay on the case; the record keeps a digest of them
    assert "차액은 못 내겠어요" in row.case.consent.evidence
    assert "차액은 못 내겠어요" not in str(step.after)
    assert step.after["evidence_chars"] == len(row.case.consent.evidence)
    # the discount choice stays on the record it replaced
    assert [e.after["choice"] for e in entries if e.action == "case.choice_recorded"] == [
        "buy_at_correct_price_discount"]
    # the reminder of the difference is withdrawn; the other customer's still waits
    assert [r[0] for r in _reminders(uow, case_id)] == ["withdrawn"]
    assert [r[0] for r in _reminders(uow, cases[people[3]])] == ["pending"]
    [confirmation] = _messages(uow, case_id, "cancelled_instead")
    assert (confirmation.status, confirmation.channel) == ("pending", "email")
    assert confirmation.subject == "[사과 고객센터] 요청하신 대로 주문을 취소했습니다"
    assert "6월 13일(금) 오전 10시(한국 시간)에 정상가에서 할인된 가격으로 사시기로 하셨습니다." in confirmation.body
    assert "결제하신 39,800원은 전액 환불해 드립니다" in confirmation.body
    assert "10,000포인트(10,000원 상당)는 이미 적립되었습니다" in confirmation.body
    assert "차액 278,600원은 내지 않으셔도 됩니다" in confirmation.body
    # the discount's confirmation, not sent yet, would ask them to pay: withdrawn
    assert [m.status for m in _messages(uow, case_id, "confirmation")] == ["withdrawn"]
    assert _status(uow, iid)["differences_unpaid"] == 1
    report = build_report(uow(), incident_id=iid, policy=POLICY)
    assert report.figures["differences_unpaid"] == 1
    assert report.figures["cancelled_instead"] == 1
    assert report.figures["by_choice"]["cancel_with_compensation"] == 1
    assert any(e.action == CANCELLED_INSTEAD_ACTION for e in report.timeline)


def test_the_same_request_again_changes_nothing(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    case_id = cases[people[1]]
    assert _instead(uow, case_id).changed
    again = _instead(uow, case_id, channel="web", taken_by="customer", evidence="clicked again")
    # nothing booked this time; the points the case was booked are said all the same
    assert not again.changed and again.compensation_points == 10_000
    assert again.refund == Money(39_800, "KRW")
    with uow() as u:
        entries = [r.event.action for r in u.audit.for_entity("case", str(case_id))]
        row = u.cases.get(case_id)
    assert entries.count(CANCELLED_INSTEAD_ACTION) == 1
    assert row.case.consent.channel.value == "phone"  # the first consent stands
    assert len(_messages(uow, case_id, "cancelled_instead")) == 1


def test_refused_after_the_payment_for_another_choice_and_for_no_choice(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    paid = cases[people[3]]
    record_difference_paid(uow(), case_id=paid, actor="agent:park", note="transfer 0613",
                           policy=POLICY)
    for case_id, error, reason in (
            (paid, Conflict, "difference_already_paid"),
            (cases[people[2]], IllegalTransition, "not_a_discount_choice"),  # kept
            (cases[people[4]], IllegalTransition, "not_a_discount_choice")):  # not answered
        with uow() as u:
            before = u.cases.get(case_id)
        with pytest.raises(error) as refused:
            _instead(uow, case_id)
        assert refused.value.details["reason"] == reason
        with uow() as u:
            after = u.cases.get(case_id)
            statuses = {u.market.order(int(o.order_id)).status.value for o in after.case.orders}
        assert after.case == before.case and after.compensation_entry_id is None
        assert "cancelled" not in statuses


def test_consent_needs_the_customers_words(chosen) -> None:
    uow, _clock, iid, cases, people = chosen
    with pytest.raises(InvalidInput) as refused:
        _instead(uow, cases[people[1]], evidence="  ")
    assert refused.value.details["reason"] == "evidence_required"
    with pytest.raises(InvalidInput) as refused:
        _instead(uow, cases[people[1]], taken_by="customer")  # by phone: an agent took it
    assert refused.value.details["reason"] == "phone_choice_needs_agent"
    assert _status(uow, iid)["differences_unpaid"] == 2


def test_after_closing_the_sellers_are_told_not_to_send(chosen, shop) -> None:
    uow, clock, iid, cases, people = chosen
    seller_id = shop[4]
    with uow() as u:
        u.conn.execute(sellers.update().where(sellers.c.id == seller_id)
                       .values(contact_email="ops@haneul.example"))
        u.commit()
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    clock.now += timedelta(days=2)
    done = _instead(uow, cases[people[1]])
    assert done.changed and done.sellers_told == 1
    with uow() as u:
        [mail] = u.conn.execute(select(outbox).where(
            outbox.c.purpose == SELLER_PURPOSE,
            outbox.c.idempotency_key.like("%:cancelled_instead:%"))).all()
    assert mail.recipient == "ops@haneul.example"
    assert mail.subject.startswith(f"[사과 고객센터] 가격 오류 사고 {iid}번: 차액 대신 취소된 주문을 보내지 마세요")
    ko, en = mail.body.split("— English —")
    assert "보내지 마세요(모두 2개)" in ko and "애플 아이팟 나노 3세대 4GB" in ko
    assert "please do not send them (2 items in all)" in en
    # the seller pays 60% of the 10,000 points: their closing email could not say it
    assert "판매자 부담분 6,000포인트가 부과됩니다" in ko
    assert "your share, 6,000 points, is charged to you" in en
    assert _status(uow, iid)["differences_unpaid"] == 1


def test_the_reminder_says_the_customer_may_cancel_instead_and_what_it_gives(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    [(_state, channel, _to, _due, _subject, body)] = _reminders(uow, cases[people[1]])
    assert channel == "email"
    assert ("차액을 결제하는 대신 주문 취소를 원하시면 고객센터로 말씀해 주세요. 결제하신 39,800원은 "
            "전액 환불해 드립니다. 사과의 뜻으로 10,000포인트(10,000원 상당)도 드립니다.") in body


def test_an_english_text_reminder_says_it_short(shop) -> None:
    from sagwa.adapters.db.tables import customers

    uow, _clock, _listing_id, people, _ = shop
    with uow() as u:  # Alex Kim (English, 1 unit) has no email: the reminder goes by text
        u.conn.execute(customers.update().where(customers.c.id == people[0]).values(email=None))
        u.commit()
    uow, _clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2]})
    [(_s, channel, _to, _due, _subject, body)] = _reminders(uow, cases[people[0]])
    assert channel == "sms" and "Rather cancel? Tell us: full refund + 10,000 points." in body


def test_without_a_cancellation_in_the_plan_the_reminder_offers_none(shop) -> None:
    from test_desk import _planned

    from sagwa.services.desk_notify import notify

    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, options=["keep", OPTIONS[2]], discount_pct=20,
                   cancel_compensation=None)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    clock.now = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)
    with uow() as u:
        case_id = next(int(r.case.case_id) for r in u.cases.for_incident(iid)
                       if int(r.case.customer_id) == people[1])
    desk_cases.record_choice(uow(), case_id=case_id, choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    [(_s, _channel, _to, _due, _subject, body)] = _reminders(uow, case_id)
    assert "동의 없이 주문을 취소하지 않습니다." in body and "취소를 원하시면" not in body
    with pytest.raises(InvalidInput) as refused:
        _instead(uow, case_id)
    assert refused.value.details["reason"] == "option_not_offered"


def test_a_payment_recorded_after_cancelling_instead_is_refused_to_be_given_back(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    _instead(uow, cases[people[1]])
    clock.now += timedelta(hours=1)
    with pytest.raises(Conflict) as refused:
        record_difference_paid(uow(), case_id=cases[people[1]], actor="agent:kim",
                               note="transfer 0614", policy=POLICY)
    assert refused.value.details == {"case_id": cases[people[1]], "reason": "cancelled_instead"}
    assert "must be given back" in refused.value.message
    assert "(Korea time)" in refused.value.message


def test_the_seller_page_shows_the_cancelled_order_at_the_price_paid(chosen, shop) -> None:
    from sagwa.domain.seller_orders import OrderInstruction
    from sagwa.services.seller_incidents import seller_view

    uow, _clock, iid, cases, people = chosen
    _instead(uow, cases[people[1]])
    with uow() as u:
        view = seller_view(u, seller_id=shop[4], incident_id=iid, policy=POLICY)
        mine = {int(o.order_id) for o in u.cases.get(cases[people[1]]).case.orders}
        discounted = {int(o.order_id) for o in u.cases.get(cases[people[3]]).case.orders}
    shown = {o.order_id: o for o in view.orders}
    for order_id in mine:  # cancelled: at the 19,900 paid and refunded, never the 159,200
        assert shown[order_id].instruction is OrderInstruction.DO_NOT_SEND
        assert shown[order_id].unit_price == Money(19_900, "KRW")
    for order_id in discounted:  # still held for its difference, at the discounted price
        assert shown[order_id].unit_price == Money(159_200, "KRW")


def test_a_reminder_queued_with_links_points_to_the_customers_page(shop) -> None:
    from sagwa.services.case_links import open_case_token

    uow, _clock, _iid, cases, people = _answered(shop, 20, {})
    desk_cases.record_choice(uow(), case_id=cases[people[1]], choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY,
                             links=LINKS)
    [(_s, _channel, _to, due, _subject, body)] = _reminders(uow, cases[people[1]])
    link = body.split("고객님 화면에서 직접 하실 수도 있습니다: ")[1].split()[0]
    assert link.startswith(f"{LINKS.base_url}/c/")
    token = link.rsplit("/", 1)[1]
    # valid for two weeks after the reminder is due
    assert open_case_token(LINKS.secret, token, now=due + timedelta(days=13)) == (
        cases[people[1]], people[1])
    with pytest.raises(Forbidden):  # expired
        open_case_token(LINKS.secret, token, now=due + timedelta(days=15))


def test_a_confirmation_waiting_for_a_removed_address_goes_by_text(chosen) -> None:
    from sagwa.services.customer_contact import change_customer_contact

    uow, _clock, _iid, cases, people = chosen
    case_id = cases[people[1]]
    _instead(uow, case_id)
    [waiting] = _messages(uow, case_id, "cancelled_instead")
    assert (waiting.channel, waiting.status) == ("email", "pending")
    done = change_customer_contact(uow(), customer_id=people[1], actor="agent:park",
                                   policy=POLICY, links=LINKS, email=None)
    assert done.messages_resent >= 1
    sent = {m.channel: m for m in _messages(uow, case_id, "cancelled_instead")}
    assert sent["email"].status == "withdrawn"
    text = sent["sms"]
    assert text.status == "pending" and text.idempotency_key.endswith(":to_sms")
    assert "요청하신 대로 차액 대신 주문을 취소했고, 결제하신 39,800원은 전액 환불해 드립니다." in text.body
    assert "보상 10,000포인트는 적립되었습니다." in text.body
