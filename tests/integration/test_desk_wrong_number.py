"""A number an agent marked wrong on a call attempt, on real PostgreSQL: no text message with
the customer's case link goes to it any more (``domain.wrong_numbers``) — those waiting are
withdrawn when the attempt is logged, later ones are not queued — until the number is
changed."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from sqlalchemy import select
from test_desk import LINKS, POLICY, shop  # noqa: F401
from test_desk_call_attempts import _notified

from sagwa.adapters.db.tables import outbox
from sagwa.domain.wrong_numbers import number_key
from sagwa.services import desk_cases
from sagwa.services.customer_contact import change_customer_contact
from sagwa.services.desk_notify import apology_messages, remind_unanswered
from sagwa.services.wrong_numbers import texts_withheld_to, without_wrong_numbers


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
    assert attempted["number_key"] == number_key("01012340001")
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
