"""The email confirming the discount, as queued on real PostgreSQL: it says how to pay the
difference in the desk policy's words (``[difference] how_to_pay_*``, the words an agent reads
out) and that the discount may still become a cancellation until it is paid — and a policy
sentence that fails the message check is left out of it, never the customer's choice."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from test_desk import POLICY, shop  # noqa: F401
from test_desk_difference import OPTIONS, _answered

from sagwa.adapters.db.tables import outbox
from sagwa.services import desk_cases


def _confirmation(uow, case_id: int) -> str:  # type: ignore[no-untyped-def]
    with uow() as u:
        return str(u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "confirmation",
            outbox.c.channel == "email")).scalar_one())


def test_the_discount_email_says_how_to_pay_and_that_it_may_still_become_a_cancellation(
        shop) -> None:
    uow, _clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2], 1: OPTIONS[2]})
    english = _confirmation(uow, cases[people[0]])  # Alex Kim: 1 unit
    assert f"How to pay it: {POLICY.how_to_pay_in('en')} We send the item once it is paid" \
        in english
    assert "Until the difference is paid, you can still cancel your order instead" in english
    assert "A confirmed choice cannot be changed" not in english
    korean = _confirmation(uow, cases[people[1]])
    assert f"차액 결제 방법: {POLICY.how_to_pay_in('ko')}" in korean
    assert "차액을 결제하시기 전까지는 주문 취소로 바꾸실 수 있습니다." in korean


THREAT = "Pay within 3 days or we will take legal action against you."


def _discount_under_a_threatening_policy(shop):  # type: ignore[no-untyped-def]
    """The first customer chose the discount under a policy whose English how-to-pay sentence
    fails the message check (a threat): the unit of work and their case."""
    uow, _clock, _iid, cases, people = _answered(shop, 20, {})
    policy = replace(POLICY, how_to_pay=("3일 안에 결제해 주세요.", THREAT))
    case_id = cases[people[0]]
    desk_cases.record_choice(uow(), case_id=case_id, choice=OPTIONS[2], channel="web",
                             evidence="clicked the discount", taken_by="customer",
                             policy=policy)
    return uow, case_id


def test_a_policy_sentence_failing_the_message_check_is_left_out_not_the_choice(shop) -> None:
    uow, case_id = _discount_under_a_threatening_policy(shop)
    english = _confirmation(uow, case_id)
    assert THREAT not in english
    assert "Please contact us to arrange paying the difference." in english
    with uow() as u:
        assert u.cases.get(case_id).case.consent.choice.value == OPTIONS[2]


def _reminder(uow, case_id: int) -> str:  # type: ignore[no-untyped-def]
    with uow() as u:
        return str(u.conn.execute(select(outbox.c.body).where(
            outbox.c.case_id == case_id, outbox.c.purpose == "difference_reminder",
            outbox.c.channel == "email")).scalar_one())


def test_the_reminder_of_an_unpaid_difference_says_how_to_pay_too(shop) -> None:
    """The reminder a few days later said only "contact us: we will tell you how" while the
    confirmation said how: it says the policy's words now, in the customer's language."""
    uow, _clock, _iid, cases, people = _answered(shop, 20, {0: OPTIONS[2], 1: OPTIONS[2]})
    english = _reminder(uow, cases[people[0]])
    assert f"How to pay it: {POLICY.how_to_pay_in('en')} We will send your" in english
    assert "we will tell you how" not in english
    korean = _reminder(uow, cases[people[1]])
    assert f"결제 방법: {POLICY.how_to_pay_in('ko')} 결제가 확인되면" in korean


def test_a_reminder_whose_policy_sentence_fails_the_check_says_to_ask_us(shop) -> None:
    uow, case_id = _discount_under_a_threatening_policy(shop)
    english = _reminder(uow, case_id)
    assert THREAT not in english
    assert "To pay it, please contact us: we will tell you how" in english
