"""The agents' list of differences to follow up, on real PostgreSQL: a difference still unpaid
``follow_up_after_days`` after the choice is listed (not before), the longest due first; a
contact logged since the choice restarts the wait; a payment or cancelling instead takes the
case off; a closed incident's cases stay on it; a discount that left nothing to pay is never
listed; the policy may keep no list; and the reads do not grow with the list."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from apologies_sent import apologies_sent
from test_desk import LINKS, POLICY, publish_notice, shop  # noqa: F401
from test_desk_difference import OPTIONS, SEOUL, _answered, _planned

from sagwa.domain.difference_follow_up import follow_up_due
from sagwa.domain.money import format_money
from sagwa.services import desk, desk_cases
from sagwa.services.desk_cancel_instead import cancel_instead_of_paying
from sagwa.services.desk_difference import record_difference_paid
from sagwa.services.desk_notify import notify
from sagwa.services.desk_status import incident_status
from sagwa.services.difference_follow_ups import cadence_of, follow_ups_due
from sagwa.testing.statements import statements
from sagwa.web.pages.contact_centre import case_context, queue_context
from sagwa.web.pages.i18n import chooser
from sagwa.web.pages.rendering import make_templates

CHOSEN_AT = datetime(2008, 6, 13, 10, 0, tzinfo=SEOUL)  # _answered's morning
WEEK = timedelta(days=7)


@pytest.fixture
def chosen(shop):
    """20% off: customers 1 and 3 (2 units each, 278,600 KRW to pay each) take the discount,
    customer 2 keeps; the rest have not answered."""
    return _answered(shop, 20, {1: OPTIONS[2], 3: OPTIONS[2], 2: "keep"})


def _listed(uow, policy=POLICY, limit: int = 20) -> list[int]:
    return [f.owing.case_id for f in follow_ups_due(uow(), policy, limit=limit).items]


def test_listed_a_week_after_the_choice_and_not_before(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    assert POLICY.difference_follow_up_after == WEEK
    one, three = cases[people[1]], cases[people[3]]
    clock.now = CHOSEN_AT + WEEK - timedelta(minutes=1)
    assert _listed(uow) == []
    clock.now = CHOSEN_AT + WEEK
    listed = follow_ups_due(uow(), POLICY)
    assert [f.owing.case_id for f in listed.items] == [one, three] and not listed.more
    first = listed.items[0]
    assert first.difference.amount_minor == 278_600 and first.days_waiting == 7
    assert first.due_at == CHOSEN_AT + WEEK and first.owing.contacts == 0
    assert first.product_ko == "애플 아이팟 나노 3세대 4GB"
    assert first.product_en == "Apple iPod nano 3rd gen 4GB"
    # the reminder of day 3 is on the record, queued for the customer's channel
    assert first.reminder is not None and first.reminder.channel == "email"
    as_json = first.as_dict()
    assert as_json["difference"] == {"amount_minor": 278_600, "currency": "KRW"}
    assert as_json["last_contact"] is None and as_json["incident_status"] == "notifying"


def _call(uow, clock, case_id: int, outcome: str, later: timedelta) -> datetime:
    clock.now += later
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome=outcome,
                                   agent="agent:park", policy=POLICY)
    return clock.now


def _due(uow, case_id: int):  # type: ignore[no-untyped-def]
    return {f.owing.case_id: f for f in follow_ups_due(uow(), POLICY).items}.get(case_id)


def test_a_call_that_reached_the_customer_rests_a_week(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]
    clock.now = CHOSEN_AT + WEEK
    called = _call(uow, clock, one, "reached", timedelta(hours=1))
    assert _listed(uow) == [three]  # one was just told: not again tomorrow
    clock.now = called + WEEK - timedelta(minutes=1)
    assert _listed(uow) == [three]
    clock.now = called + WEEK
    again = _due(uow, one)
    assert again.owing.contacts == 1 and again.due_at == called + WEEK
    assert (again.owing.last_channel, again.owing.last_outcome) == ("phone", "reached")


def test_missed_calls_come_back_after_the_spacing_until_a_round_is_over(chosen) -> None:
    """No answer is not a conversation: the case comes back two hours later, as the call list
    tries again the same day — until three tries in a row have missed; then a week later."""
    uow, clock, _iid, cases, people = chosen
    one = cases[people[1]]
    spacing, tries = POLICY.min_call_spacing, POLICY.max_call_attempts
    assert tries == 3
    clock.now = CHOSEN_AT + WEEK
    for n, outcome in enumerate(("no_answer", "busy"), start=1):
        called = _call(uow, clock, one, outcome, timedelta(minutes=5 if n == 1 else 0))
        assert _due(uow, one) is None
        clock.now = called + spacing
        due = _due(uow, one)
        assert due.due_at == called + spacing and due.owing.missed_in_a_row == n
    third = _call(uow, clock, one, "voicemail", timedelta(0))
    clock.now = third + spacing
    assert _due(uow, one) is None  # the round is over: it rests
    clock.now = third + WEEK
    assert _due(uow, one).due_at == third + WEEK
    # a new round: the next miss comes back after the spacing again
    fourth = _call(uow, clock, one, "no_answer", timedelta(0))
    clock.now = fourth + spacing
    assert _due(uow, one).owing.missed_in_a_row == 4


def test_the_sql_rule_is_the_domains(chosen) -> None:
    """The due time the list reads in SQL is what ``follow_up_due`` says for the same contacts."""
    uow, clock, _iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]
    clock.now = CHOSEN_AT + WEEK
    _call(uow, clock, one, "no_answer", timedelta(minutes=1))
    _call(uow, clock, three, "callback_requested", timedelta(minutes=1))
    clock.now += 3 * WEEK
    cadence = cadence_of(POLICY)
    for f in follow_ups_due(uow(), POLICY).items:
        assert f.due_at == follow_up_due(f.owing.chosen_at, f.owing.since_choice, cadence)


def test_a_customer_who_asked_to_be_called_back_returns_after_the_call_spacing(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    one = cases[people[1]]
    clock.now = called = CHOSEN_AT + WEEK + timedelta(hours=1)
    desk_cases.log_contact_attempt(uow(), case_id=one, channel="phone",
                                   outcome="callback_requested", agent="agent:park",
                                   policy=POLICY)
    clock.now = called + POLICY.min_call_spacing - timedelta(minutes=1)
    assert one not in _listed(uow)
    clock.now = called + POLICY.min_call_spacing
    [due] = [f for f in follow_ups_due(uow(), POLICY).items if f.owing.case_id == one]
    assert due.due_at == called + POLICY.min_call_spacing
    assert due.owing.last_outcome == "callback_requested"


def test_a_contact_before_the_choice_does_not_count(shop) -> None:
    uow, clock, listing_id, people, _ = shop
    iid = _planned(uow, clock, listing_id, options=OPTIONS, discount_pct=20)
    notify(uow(), incident_id=iid, actor="operator:lee", policy=POLICY, links=LINKS)
    apologies_sent(uow)
    with uow() as u:
        case_id = {int(r.case.customer_id): int(r.case.case_id)
                   for r in u.cases.for_incident(iid)}[people[1]]
    clock.now = datetime(2008, 6, 13, 9, 0, tzinfo=SEOUL)
    desk_cases.log_contact_attempt(uow(), case_id=case_id, channel="phone", outcome="reached",
                                   agent="agent:park", policy=POLICY)
    clock.now = CHOSEN_AT
    desk_cases.record_choice(uow(), case_id=case_id, choice=OPTIONS[2], channel="web",
                             evidence="clicked", taken_by="customer", policy=POLICY)
    clock.now = CHOSEN_AT + WEEK
    [listed] = follow_ups_due(uow(), POLICY).items
    assert listed.owing.contacts == 0 and listed.due_at == CHOSEN_AT + WEEK


def test_paid_or_cancelled_instead_leaves_the_list_and_a_closed_incident_stays(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]
    publish_notice(uow, iid)
    clock.now = datetime(2008, 6, 17, 18, 2, tzinfo=SEOUL)
    desk_cases.apply_deadline(uow(), incident_id=iid, actor="sagwa:deadline", policy=POLICY)
    desk.close(uow(), incident_id=iid, actor="operator:lee", reason="done")
    clock.now = CHOSEN_AT + WEEK
    listed = follow_ups_due(uow(), POLICY).items
    assert [f.owing.case_id for f in listed] == [one, three]
    assert {f.owing.incident_status for f in listed} == {"closed"}
    record_difference_paid(uow(), case_id=one, actor="agent:park", note="transfer 0620",
                           policy=POLICY)
    assert _listed(uow) == [three]
    cancel_instead_of_paying(uow(), case_id=three, channel="phone",
                             evidence="고객이 차액 대신 취소를 원함", taken_by="agent:park",
                             policy=POLICY)
    assert _listed(uow) == []


def test_a_discount_that_left_nothing_to_pay_is_never_listed(shop) -> None:
    """A discount below what was paid reprices nothing upwards: nothing is owed."""
    uow, clock, _iid, _cases, _people = _answered(shop, 95, {1: OPTIONS[2]})
    clock.now = CHOSEN_AT + 5 * WEEK
    assert _listed(uow) == []


def test_a_policy_without_the_list_lists_nothing(chosen) -> None:
    uow, clock, *_ = chosen
    clock.now = CHOSEN_AT + 5 * WEEK
    none = follow_ups_due(uow(), replace(POLICY, difference_follow_up_after=None))
    assert (none.items, none.enabled) == ([], False)


def test_the_limit_and_more(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    clock.now = CHOSEN_AT + WEEK
    first = follow_ups_due(uow(), POLICY, limit=1)
    assert [f.owing.case_id for f in first.items] == [cases[people[1]]] and first.more


def test_the_reads_do_not_grow_with_the_list(chosen, session_factory) -> None:
    uow, clock, *_ = chosen
    clock.now = CHOSEN_AT + WEEK

    def reads(limit: int) -> int:
        with statements(session_factory.kw["bind"]) as seen:
            assert len(follow_ups_due(uow(), POLICY, limit=limit).items) == limit
        return len(seen)

    assert reads(2) == reads(1)


def _queue_page(uow, lang: str, policy=POLICY) -> str:
    values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token", "flash": None,
              "switch_lang": "", "money": lambda m: format_money(m, lang=lang),
              **queue_context(uow(), policy)}
    return make_templates().env.get_template("cs/queue.html").render(values)


def test_the_call_queue_page_lists_them_in_both_languages(chosen) -> None:
    uow, clock, _iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]
    first = _queue_page(uow, "ko")
    assert 'data-count="0"' in first and 'id="follow-ups-jump"' not in first
    clock.now = CHOSEN_AT + WEEK + timedelta(hours=1)
    desk_cases.log_contact_attempt(uow(), case_id=three, channel="phone",
                                   outcome="callback_requested", agent="agent:park",
                                   policy=POLICY)
    clock.now = CHOSEN_AT + 2 * WEEK + timedelta(hours=2)
    korean, english = _queue_page(uow, "ko"), _queue_page(uow, "en")
    assert 'id="follow-up-list"' in korean and 'data-count="2"' in korean
    # the jump link at the top of the page, above the call list
    assert korean.index('href="#follow-ups"') < korean.index('id="follow-ups"')
    assert "차액 결제를 기다리는 고객 2명 ↓" in korean
    # who asked to be called back comes first, marked
    assert korean.index(f'data-case="{three}"') < korean.index(f'data-case="{one}"')
    assert "data-callback" in korean and "asked us to call back" in english
    assert f'<a href="/cs/cases/{one}">#{one}</a>' in korean
    assert "차액 결제를 기다리는 고객" in korean and "278,600원" in korean
    assert "14일 지남" in korean and "고객 동의 없이 주문을 취소하지 않습니다" in korean
    assert "선택 후 1회" in korean and "선택 후 연락 없음" in korean
    # the plan offers a cancellation: both may cancel instead
    assert korean.count('data-may-cancel="yes"') == 2 and "취소 가능" in korean
    assert "Differences still unpaid" in english and "278,600 KRW" in english
    assert "14 days ago" in english and "none since the choice" in english
    assert "1 since the choice" in english
    assert "never cancelled without their consent" in english
    assert "다시 전화해 달라고 하면, 받지 않으면 2시간 뒤" not in korean  # the words, below
    assert "받지 않으면 2시간 뒤 다시 오릅니다(연달아 3번 받지 않으면 7일 뒤)" in korean
    assert "did not answer, 2 h later (after 3 unanswered tries in a row, 7 days later)" in english


def test_without_a_cancellation_in_the_plan_nobody_is_offered_it(shop) -> None:
    """A plan of keep or the discount only: the list does not tell the agent to offer
    cancelling instead, which the desk would refuse."""
    uow, clock, _iid, _cases, _people = _answered(
        shop, 20, {1: OPTIONS[2]}, options=["keep", "buy_at_correct_price_discount"],
        cancel_compensation=None)
    clock.now = CHOSEN_AT + WEEK
    [listed] = follow_ups_due(uow(), POLICY).items
    assert listed.may_cancel_instead is False and listed.as_dict()["may_cancel_instead"] is False
    page = _queue_page(uow, "ko")
    assert 'data-may-cancel="no"' in page and "data-may-cancel-instead" not in page


def test_the_page_says_when_the_policy_keeps_no_list(chosen) -> None:
    uow, clock, *_ = chosen
    clock.now = CHOSEN_AT + 5 * WEEK
    page = _queue_page(uow, "en", replace(POLICY, difference_follow_up_after=None))
    assert 'id="follow-ups-off"' in page and 'id="follow-up-list"' not in page


def test_the_incident_status_counts_those_due_and_the_cancellations_instead(chosen) -> None:
    uow, clock, iid, cases, people = chosen
    one, three = cases[people[1]], cases[people[3]]

    def counts() -> tuple[int, int]:
        status = incident_status(uow(), incident_id=iid, policy=POLICY)
        return status.differences_to_follow_up, status.cancelled_instead

    assert counts() == (0, 0)  # owed, not yet due
    clock.now = CHOSEN_AT + WEEK
    assert counts() == (2, 0)
    desk_cases.log_contact_attempt(uow(), case_id=one, channel="phone", outcome="no_answer",
                                   agent="agent:park", policy=POLICY)
    assert counts() == (1, 0)
    cancel_instead_of_paying(uow(), case_id=three, channel="phone",
                             evidence="고객이 차액 대신 취소를 원함", taken_by="agent:park",
                             policy=POLICY)
    assert counts() == (0, 1)


def test_a_policy_without_the_list_counts_none_due(chosen) -> None:
    uow, clock, iid, *_ = chosen
    clock.now = CHOSEN_AT + WEEK
    without = replace(POLICY, difference_follow_up_after=None)
    status = incident_status(uow(), incident_id=iid, policy=without)
    assert (status.differences_unpaid, status.differences_to_follow_up) == (2, 0)


def _case_page(uow, case_id: int, lang: str, policy=POLICY) -> str:
    values = {"lang": lang, "t": chooser(lang), "account": None, "csrf": "token", "flash": None,
              "switch_lang": "", "money": lambda m: format_money(m, lang=lang),
              **case_context(uow(), policy, case_id)}
    return make_templates().env.get_template("cs/case.html").render(values)


def test_without_a_payment_instruction_the_case_page_says_to_ask(chosen) -> None:
    uow, _clock, _iid, cases, people = chosen
    one = cases[people[1]]
    assert "data-how-to-pay>" in _case_page(uow, one, "ko")
    silent = replace(POLICY, how_to_pay=None)
    page = _case_page(uow, one, "ko", silent)
    assert "data-how-to-pay-missing" in page and "팀장에게 안내할 방법을 확인해 주세요" in page
    assert "결제 방법은 이렇습니다" not in page
