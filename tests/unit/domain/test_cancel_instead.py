"""Cancelling instead of paying the difference: only a discount choice still unpaid, only for
the cancellation the plan offered, once; the refund is what was paid, not the discounted price."""

from dataclasses import replace
from datetime import timedelta

import pytest
from test_incident_consent import NOW, WRONG, consent, lee_case, plan

from sagwa.domain.cancel_instead import as_placed, cancel_instead
from sagwa.domain.consent import EffectKind, OrderEffect, effects_of_choice, record_choice
from sagwa.domain.difference import DifferencePaid
from sagwa.domain.incidents import CaseStatus, CaseTrigger
from sagwa.domain.money import Money
from sagwa.errors import Conflict, IllegalTransition, InvalidInput

DISCOUNT, CANCEL = "buy_at_correct_price_discount", "cancel_with_compensation"
LATER = NOW + timedelta(days=4)
OWED = Money(418_000, "KRW")  # 3 units at 159,200 less the 59,700 paid  # after the deadline: a change of mind still counts


def _discounted():  # type: ignore[no-untyped-def]
    """Lee's case (2 + 1 units at 19,900) resolved by the discount, its orders repriced as
    the desk does (159,200 a unit: 20% off 199,000)."""
    chosen = record_choice(lee_case(), consent(DISCOUNT), plan()).with_trigger(CaseTrigger.RESOLVE)
    repriced = tuple(replace(o, unit_price=Money(159_200, "KRW")) for o in chosen.orders)
    return replace(chosen, orders=repriced)


def test_the_cancellation_replaces_an_unpaid_discount_and_stays_resolved() -> None:
    case = _discounted()
    wish = consent(CANCEL, at=LATER, channel="phone", by="agent:park")
    updated = cancel_instead(case, wish, plan(), paid=None, owed=OWED)
    assert updated.status is CaseStatus.RESOLVED and updated.consent == wish
    assert updated.orders == case.orders


def test_the_refund_is_at_the_price_paid_not_the_discounted_price() -> None:
    case = _discounted()
    wish = consent(CANCEL, at=LATER)
    placed = {1: (2, WRONG.amount_minor), 2: (1, WRONG.amount_minor)}
    paid_for = as_placed(cancel_instead(case, wish, plan(), paid=None, owed=OWED), placed)
    assert effects_of_choice(paid_for, wish, plan()) == [
        OrderEffect(1, EffectKind.CANCEL_AND_REFUND, 2, Money(39_800, "KRW")),
        OrderEffect(2, EffectKind.CANCEL_AND_REFUND, 1, Money(19_900, "KRW")),
    ]
    # an order missing from ``placed`` stands as it is
    assert as_placed(case, {}).orders == case.orders


def test_the_same_cancellation_again_is_the_case_unchanged() -> None:
    wish = consent(CANCEL, at=LATER)
    once = cancel_instead(_discounted(), wish, plan(), paid=None, owed=OWED)
    again = cancel_instead(once, consent(CANCEL, at=LATER + timedelta(hours=1)), plan(),
                           paid=None, owed=OWED, done_before=True)
    assert again is once


def test_a_case_that_chose_the_cancellation_first_is_not_cancelled_instead() -> None:
    cancelled = record_choice(lee_case(), consent(CANCEL), plan()).with_trigger(
        CaseTrigger.RESOLVE)
    with pytest.raises(IllegalTransition) as refused:
        cancel_instead(cancelled, consent(CANCEL, at=LATER), plan(), paid=None, owed=OWED)
    assert refused.value.details["reason"] == "not_a_discount_choice"
    assert "chose cancel_with_compensation" in refused.value.message


@pytest.mark.parametrize("choice", ["keep", "talk_to_person", DISCOUNT])
def test_only_the_cancellation_may_replace_the_discount(choice: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        cancel_instead(_discounted(), consent(choice, at=LATER), plan(), paid=None, owed=OWED)
    assert refused.value.details["reason"] == "only_cancel_replaces_discount"


def test_not_after_the_difference_was_paid() -> None:
    paid = DifferencePaid(LATER, "agent:park", "transfer 0617")
    with pytest.raises(Conflict) as refused:
        cancel_instead(_discounted(), consent(CANCEL, at=LATER), plan(), paid=paid, owed=OWED)
    assert refused.value.details == {"case_id": "c-lee", "reason": "difference_already_paid"}


def test_not_for_a_case_settled_otherwise_or_not_settled() -> None:
    kept = record_choice(lee_case(), consent("keep"), plan()).with_trigger(CaseTrigger.RESOLVE)
    chosen_not_applied = record_choice(lee_case(), consent(DISCOUNT), plan())
    for case in (lee_case(), kept, chosen_not_applied):
        with pytest.raises(IllegalTransition) as refused:
            cancel_instead(case, consent(CANCEL, at=LATER), plan(), paid=None, owed=OWED)
        assert refused.value.details["reason"] == "not_a_discount_choice"


def test_not_when_the_plan_offered_no_cancellation() -> None:
    without = plan(options=["keep", DISCOUNT], cancel_compensation=None)
    case = replace(_discounted(), consent=replace(consent(DISCOUNT), case_id="c-lee"))
    with pytest.raises(InvalidInput) as refused:
        cancel_instead(case, consent(CANCEL, at=LATER), without, paid=None, owed=OWED)
    assert refused.value.details["reason"] == "option_not_offered"


def test_the_consent_must_be_this_customers() -> None:
    with pytest.raises(IllegalTransition) as refused:
        cancel_instead(_discounted(), consent(CANCEL, at=LATER, case_id="c-kim"), plan(),
                       paid=None, owed=OWED)
    assert refused.value.details["reason"] == "consent_of_other_case"


def test_not_when_the_discount_left_nothing_to_pay() -> None:
    with pytest.raises(Conflict) as refused:
        cancel_instead(_discounted(), consent(CANCEL, at=LATER), plan(), paid=None,
                       owed=Money(0, "KRW"))
    assert refused.value.details["reason"] == "no_difference_owed"


def _entry(seq: int, action: str, *, before=None, after=None, actor="customer"):  # type: ignore[no-untyped-def]
    from sagwa.domain.audit import AuditEvent, AuditRecord

    return AuditRecord(seq, NOW + timedelta(hours=seq),
                       AuditEvent(actor, action, "case", "7", before, after), "0" * 64)


def test_the_discount_replaced_is_read_back_from_the_cases_audit_entries() -> None:
    from sagwa.domain.cancel_instead import ReplacedDiscount, replaced_discount
    from sagwa.domain.incident_plan import CustomerOption

    chose = _entry(1, "case.choice_recorded", after={"choice": DISCOUNT})
    cancelled = _entry(3, "case.cancelled_instead", actor="agent:park",
                       before={"choice": DISCOUNT, "difference_paid": False,
                               "difference": OWED.as_dict()},
                       after={"choice": CANCEL, "channel": "phone", "evidence": "취소해 주세요",
                              "refund": {"amount_minor": 59_700, "currency": "KRW"},
                              "compensation_points": 5_000, "sellers_told": 0})
    called = _entry(2, "case.contact_attempted", after={"outcome": "reached"})
    assert replaced_discount([chose, called, cancelled]) == ReplacedDiscount(
        cancelled.occurred_at, "agent:park", CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, OWED,
        Money(59_700, "KRW"), 5_000, chose.occurred_at)
    assert replaced_discount([cancelled]).discount_chosen_at is None  # no choice entry kept
    assert replaced_discount([chose, called]) is None  # never cancelled instead


def test_an_agents_note_of_the_request_says_as_much_as_a_reviewers_reason() -> None:
    # two letters pass the customer's own bar ("취소"), not an agent's note of a call
    wish = replace(consent(CANCEL, at=LATER, channel="phone", by="agent:park"), evidence="ok")
    with pytest.raises(InvalidInput) as refused:
        cancel_instead(_discounted(), wish, plan(), paid=None, owed=OWED)
    assert refused.value.details["reason"] == "evidence_too_short"
    said = replace(wish, evidence="취소해 주세요")
    assert cancel_instead(_discounted(), said, plan(), paid=None, owed=OWED).consent == said
