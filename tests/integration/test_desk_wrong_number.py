"""A number an agent marked wrong on a call attempt, on real PostgreSQL: no text message with
the customer's case link goes to it any more (``domain.wrong_numbers``) — those waiting are
withdrawn when the attempt is logged, later ones are not queued — until the number is
changed."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import select, text, update
from test_desk import LINKS, POLICY, shop  # noqa: F401
from test_desk_call_attempts import _notified

from sagwa.adapters.db.tables import outbox
from sagwa.adapters.senders.fake import FakeSender
from sagwa.domain.wrong_numbers import number_key, number_key_secret
from sagwa.services import desk_cases
from sagwa.services.customer_contact import change_customer_contact
from sagwa.services.delivery import Outcome, deliver_message
from sagwa.services.desk_notify import apology_messages, remind_unanswered
from sagwa.services.wrong_numbers import WITHHELD_WHY, texts_withheld_to, without_wrong_numbers


def _waiting(uow, case_id: int) -> list[tuple[str, str, str]]:
    with uow() as u:
        return [(r.purpose, r.channel, r.recipient) for r in u.conn.execute(
            select(outbox).where(outbox.c.case_id == case_id, outbox.c.status == "pending")
            .order_by(outbox.c.id))]


def _case_of(uow, iid: int, customer_id: int) -> int:
    with uow() as u:
        return int(u.cases.case_for_customer(iid, customer_id))


def _wrong_number(uow, case_id: int) -> None:
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone",
                                   outcome="wrong_number", agent="agent:park", policy=POLICY)


def _reminder_text_made_pending(uow, case_id: int, due: datetime) -> int:
    """The case's reminder by text (withdrawn by the wrong-number mark) made pending again,
    due at ``due``, as ``sagwa messages retry-failed`` re-queues a failed one: its id."""
    with uow() as u:
        [text_id] = u.conn.execute(select(outbox.c.id).where(
            outbox.c.case_id == case_id, outbox.c.channel == "sms",
            outbox.c.purpose == "reminder")).scalars()
        u.conn.execute(update(outbox).where(outbox.c.id == text_id).values(
            status="pending", last_error=None, not_before=due))
        u.commit()
    return int(text_id)


def test_a_wrong_number_withdraws_the_texts_waiting_for_it(shop) -> None:
    """Before the mend a reminder with the case link, queued for the incident, still went by
    text to the number the agent had just marked "잘못된 번호": only the outcome was kept."""
    uow, _clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    assert ("reminder", "sms", "010-1234-0001") in _waiting(uow, case_id)
    _wrong_number(uow, case_id)
    assert _waiting(uow, case_id) == [("reminder", "email", "c1@example.com")]
    with uow() as u:
        [attempted] = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                       if r.event.action == "case.contact_attempted"]
    # the number tried, as a digest (not the number again on the audit log), and what it did
    with uow() as u:
        secret = number_key_secret(u.audit.key.key)
    assert attempted["number_key"] == number_key("01012340001", secret)
    assert attempted["texts_withheld"] == 1
    assert "010-1234-0001" not in str(attempted)


def test_no_later_text_is_queued_to_the_marked_number_until_it_changes(shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    _wrong_number(uow, case_id)
    with uow() as u:
        row = u.cases.get(case_id)
        person = u.catalog.customer(customer)
        built = apology_messages(u, case=row.case, person=person, plan=desk_cases.current_plan(
            u, iid), policy=POLICY, links=LINKS, send_at=u.now(), reminder=True)
        assert [m.channel for m in built] == ["email", "sms"]
        assert [m.channel for m in without_wrong_numbers(u, built)] == ["email"]
        assert texts_withheld_to(u, case_id=case_id, channel="sms", recipient="+82 10-1234-0001")
        assert not texts_withheld_to(u, case_id=case_id, channel="email",
                                     recipient="c1@example.com")
        # another customer's case, and the same customer's other number, are not marked
        other = _case_of(uow, iid, shop[3][2])
        assert not texts_withheld_to(u, case_id=other, channel="sms", recipient="010-1234-0002")
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            phone="010-9999-0001")
    with uow() as u:
        person = u.catalog.customer(customer)
        built = apology_messages(u, case=u.cases.get(case_id).case, person=person,
                                 plan=desk_cases.current_plan(u, iid), policy=POLICY,
                                 links=LINKS, send_at=u.now(), reminder=True)
        assert [m.channel for m in without_wrong_numbers(u, built)] == ["email", "sms"]


def test_other_outcomes_keep_no_number_and_withhold_nothing(shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome="no_answer",
                                   agent="agent:park", policy=POLICY)
    assert ("reminder", "sms", "010-1234-0001") in _waiting(uow, case_id)
    with uow() as u:
        [attempted] = [r.event.after for r in u.audit.for_entity("case", str(case_id))
                       if r.event.action == "case.contact_attempted"]
    assert "number_key" not in attempted


def test_a_reminder_after_the_mark_queues_no_text_to_the_wrong_number(shop) -> None:
    """The tester's path: the number marked wrong first, the incident's reminder job after.
    Every message goes through the outbox's queueing, which now drops such texts."""
    uow, _clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    _wrong_number(uow, case_id)
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    waiting = _waiting(uow, case_id)
    assert ("reminder", "email", "c1@example.com") in waiting
    assert not [w for w in waiting if w[1] == "sms"]


def _second_case(uow, iid: int, customer_id: int) -> int:
    """The customer's case in another incident (a copy of this one's, straight in the tables:
    these tests are about the number, not how the incident came)."""
    with uow() as u:
        cols = ("status, wrong_price_minor, correct_price_minor, currency, window_start, "
                "window_end, cause, responsible, opened_by, opened_at, declared_by, declared_at")
        other = u.conn.execute(text(f"INSERT INTO incidents ({cols}) SELECT {cols} FROM "
                                    "incidents WHERE id = :iid RETURNING id"), {"iid": iid}).scalar()
        case_cols = "customer_id, status, exposure_minor, currency, updated_at"
        second = u.conn.execute(text(
            f"INSERT INTO cases (incident_id, {case_cols}) SELECT :other, {case_cols} FROM cases "
            "WHERE incident_id = :iid AND customer_id = :cid RETURNING id"),
            {"other": other, "iid": iid, "cid": customer_id}).scalar()
        u.commit()
    return int(second)


def test_a_number_marked_on_one_case_gets_no_text_of_the_customers_other_case(shop) -> None:
    """Before the mend the mark was looked up on the same case only: the customer's case in
    their next incident queued a text with its case link to the stranger again."""
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    other = _second_case(uow, iid, customer)
    _wrong_number(uow, case_id)
    with uow() as u:
        person = u.catalog.customer(customer)
        built = apology_messages(u, case=u.cases.get(case_id).case, person=person,
                                 plan=desk_cases.current_plan(u, iid), policy=POLICY,
                                 links=LINKS, send_at=u.now(), reminder=True)
        # the same texts for the other case (told by its case, or by its customer)
        for of in ({"customer_id": None}, {"customer_id": customer}):
            others = [replace(m, case_id=other, **of) for m in built]
            assert [m.channel for m in others] == ["email", "sms"]
            assert [m.channel for m in without_wrong_numbers(u, others)] == ["email"]
        assert texts_withheld_to(u, case_id=other, channel="sms", recipient="010-1234-0001")


def test_a_text_to_a_marked_number_is_withdrawn_when_it_is_about_to_go(shop,
                                                                    session_factory) -> None:
    """Before the mend nothing checked at sending: a text to the marked number made pending
    again (``sagwa messages retry-failed`` re-queues a failed one with no check) went to the
    stranger."""
    uow, clock, iid, _case_ids = _notified(shop)
    case_id = _case_of(uow, iid, shop[3][1])
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    _wrong_number(uow, case_id)
    text_id = _reminder_text_made_pending(uow, case_id, clock.now)
    sms = FakeSender()
    assert deliver_message(session_factory, {"email": FakeSender(), "sms": sms}, text_id,
                           clock.now) is Outcome.WITHDRAWN
    assert sms.calls == []
    with uow() as u:
        row = u.conn.execute(select(outbox).where(outbox.c.id == text_id)).one()
    assert (row.status, row.last_error) == ("withdrawn", WITHHELD_WHY)


def test_queueing_reads_the_marks_in_a_fixed_number_of_queries(shop) -> None:
    """Before the mend each queueing loaded every contact attempt (notes and all) of every
    case in the batch into Python, then read the audit log once per marked case; now who is
    marked is found in SQL, and the marks of all of them in one audit read — and a batch with
    no text reads nothing."""
    from sqlalchemy import event

    uow, _clock, iid, _case_ids = _notified(shop)
    marked = shop[3][1:4]
    for customer in marked:
        _wrong_number(uow, _case_of(uow, iid, customer))
    with uow() as u:
        plan = desk_cases.current_plan(u, iid)
        built = [m for customer in shop[3]
                 for m in apology_messages(u, case=u.cases.get(_case_of(uow, iid, customer)).case,
                                           person=u.catalog.customer(customer), plan=plan,
                                           policy=POLICY, links=LINKS, send_at=u.now(),
                                           reminder=True)]
        statements: list[str] = []
        event.listen(u.conn, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        kept = without_wrong_numbers(u, built)
        read = len(statements)
        without_wrong_numbers(u, [m for m in built if m.channel == "email"])
        assert len(statements) == read  # the emails alone: nothing read
    assert len([m for m in kept if m.channel == "sms"]) == len(shop[3]) - len(marked)
    assert read <= 3


def _texts(uow, case_id: int) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    with uow() as u:
        return [(r.purpose, r.recipient, r.status, r.idempotency_key) for r in u.conn.execute(
            select(outbox).where(outbox.c.case_id == case_id, outbox.c.channel == "sms")
            .order_by(outbox.c.id))]


def test_the_right_number_saved_gets_the_texts_the_wrong_one_kept_from_them(shop) -> None:
    """A CS walk: the reminder withdrawn with a wrong number stayed unsent once the right
    number was saved, and the apology that had gone to the stranger's phone was never sent to
    the customer's. Both go to the right number now; saving it again sends nothing more."""
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    _wrong_number(uow, case_id)
    assert {(p, s) for p, _, s, _ in _texts(uow, case_id)} == {("resolution", "sent"),
                                                              ("reminder", "withdrawn")}
    done = change_customer_contact(uow(), customer_id=customer, actor="agent:park",
                                   policy=POLICY, phone="010-9999-0001", links=LINKS)
    # the apology again, which asks what its reminder would: not both at once (a review)
    assert done.texts_to_new_number == 1
    again = [(p, s, k) for p, r, s, k in _texts(uow, case_id) if r == "010-9999-0001"]
    assert [(p, s) for p, s, _ in again] == [("resolution", "pending")]
    assert all(k.endswith(":to_new_number") for _, _, k in again)
    with uow() as u:
        [changed] = [r.event.after for r in u.audit.for_entity("customer", str(customer))
                     if r.event.action == "customer.contact_changed"]
    assert changed["texts_to_new_number"] == ["resolution"]
    # written another way, the same number: nothing more
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            phone="01099990001", links=LINKS)
    assert len([t for t in _texts(uow, case_id) if t[1] == "010-9999-0001"]) == 1


def test_a_text_held_back_after_the_mark_goes_to_the_right_number(shop) -> None:
    """A review: texts queued after the mark were dropped, never written, and so never sent
    once the right number came. They are kept as withdrawn and go to the right number."""
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    _wrong_number(uow, case_id)
    remind_unanswered(uow(), incident_id=iid, actor="sagwa:reminder", policy=POLICY,
                      links=LINKS)
    [(_, held_to, status, _)] = [t for t in _texts(uow, case_id) if t[0] == "reminder"]
    assert (held_to, status) == ("010-1234-0001", "withdrawn")
    with uow() as u:
        [why] = u.conn.execute(select(outbox.c.last_error).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "reminder",
            outbox.c.channel == "sms")).scalars()
    assert why == WITHHELD_WHY
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            phone="010-9999-0001", links=LINKS)
    # the apology it had been sent before the mark goes again; its reminder then does not
    assert [p for p, r, s, _ in _texts(uow, case_id)
            if r == "010-9999-0001" and s == "pending"] == ["resolution"]


def test_a_number_typed_on_the_customers_own_page_is_sent_nothing_again(shop) -> None:
    """A review: whoever holds the case link may type a number there; the texts of every open
    case would have followed it."""
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    _wrong_number(uow, case_id)
    change_customer_contact(uow(), customer_id=customer, actor="agent:park", policy=POLICY,
                            phone=None, links=LINKS)
    done = change_customer_contact(uow(), customer_id=customer, actor="customer",
                                   policy=POLICY, phone="010-5555-0001", links=LINKS,
                                   only_a_new_phone=True)
    assert done.texts_to_new_number == 0
    assert [t for t in _texts(uow, case_id) if t[1] == "010-5555-0001"] == []


def test_a_new_number_without_a_wrong_one_sends_nothing_again(shop) -> None:
    """A number changed for another reason (the customer has a new phone): the texts that
    went to the old one reached them, and are not sent twice."""
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    done = change_customer_contact(uow(), customer_id=customer, actor="agent:park",
                                   policy=POLICY, phone="010-9999-0001", links=LINKS)
    assert done.texts_to_new_number == 0
    assert [t for t in _texts(uow, case_id) if t[1] == "010-9999-0001"] == []


def test_the_apology_is_not_sent_to_the_new_number_once_the_customer_answered(shop) -> None:
    uow, _clock, iid, _case_ids = _notified(shop)
    customer = shop[3][1]
    case_id = _case_of(uow, iid, customer)
    _wrong_number(uow, case_id)
    desk_cases.record_choice(uow(), case_id=case_id, choice="keep", channel="phone",
                             evidence="고객이 전화로 유지 선택", taken_by="agent:park",
                             policy=POLICY)
    done = change_customer_contact(uow(), customer_id=customer, actor="agent:park",
                                   policy=POLICY, phone="010-9999-0001", links=LINKS)
    assert done.texts_to_new_number == 0
