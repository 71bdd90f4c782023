"""No cancellation without consent: the case state machine, recorded choices and their effects."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from incident_builders import DEADLINE, DECLARED, NOW, WRONG, declare_2008, plan_2008

from sagwa.domain.consent import (
    ConsentRecord,
    EffectKind,
    OrderEffect,
    effects_of_choice,
    effects_of_default,
    record_choice,
)
from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import (
    TRANSITIONS,
    Case,
    CaseStatus,
    CaseTrigger,
    OrderRecord,
    advance,
)
from sagwa.domain.money import Money
from sagwa.errors import ConsentRequired, IllegalTransition, InvalidInput, LateChoiceRefused

SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)
INCIDENT = declare_2008(responsible="seller").incident
ALL = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount", "talk_to_person"]


def plan(**overrides: object) -> IncidentPlan:
    """Every option; the seller, to blame, pays all of a compensation; 20% off to buy."""
    fields = {"options": ALL, "seller_share_pct": 100, "platform_share_pct": 0, "discount_pct": 20}
    return plan_2008(INCIDENT, SCHEDULE, **{**fields, **overrides})


def lee_case(quantities: tuple[int, ...] = (2, 1)) -> Case:
    orders = [
        OrderRecord(i + 1, "lee", 101, q, WRONG, DECLARED - timedelta(hours=3 - i), "placed")
        for i, q in enumerate(quantities)
    ]
    return open_case(build_cases(orders, INCIDENT)[0], case_id="c-lee")


def consent(
    choice: str,
    *,
    at: datetime = NOW,
    channel: str = "web",
    by: str = "customer",
    case_id: str = "c-lee",
) -> ConsentRecord:
    evidence = "clicked: " + choice
    return ConsentRecord(case_id, "lee", choice, channel, at, evidence, by)  # type: ignore[arg-type]


def test_cancel_needs_the_recorded_consent() -> None:
    case, wish = lee_case(), consent("cancel_with_compensation")
    with pytest.raises(ConsentRequired):
        effects_of_choice(case, wish, plan())  # not recorded yet
    with pytest.raises(ConsentRequired):
        effects_of_choice(case, None, plan())
    chosen = record_choice(case, wish, plan())
    assert chosen.status == CaseStatus.CHOSEN
    assert effects_of_choice(chosen, wish, plan()) == [
        OrderEffect(1, EffectKind.CANCEL_AND_REFUND, 2, Money(39_800, "KRW")),
        OrderEffect(2, EffectKind.CANCEL_AND_REFUND, 1, Money(19_900, "KRW")),
    ]


def test_an_equal_looking_consent_that_was_not_recorded_is_refused() -> None:
    chosen = record_choice(lee_case(), consent("keep"), plan())
    with pytest.raises(ConsentRequired):
        effects_of_choice(chosen, consent("cancel_with_compensation"), plan())
    with pytest.raises(ConsentRequired):
        effects_of_choice(chosen, replace(consent("keep"), evidence="forged"), plan())


def test_consent_for_another_case_is_refused() -> None:
    with pytest.raises(ConsentRequired, match="not case c-lee"):
        record_choice(lee_case(), consent("keep", case_id="c-park"), plan())


def test_an_option_not_offered_is_refused() -> None:
    narrow = plan(options=["keep", "talk_to_person"], cancel_compensation=None, discount_pct=None)
    with pytest.raises(InvalidInput, match="was not offered"):
        record_choice(lee_case(), consent("cancel_with_compensation"), narrow)


def test_phone_consent_must_name_the_agent() -> None:
    with pytest.raises(InvalidInput, match="agent"):
        consent("keep", channel="phone")
    assert consent("keep", channel="phone", by="agent:park").by_agent
    with pytest.raises(InvalidInput, match="own words"):
        ConsentRecord("c-lee", "lee", "keep", "web", NOW, " ")  # type: ignore[arg-type]


def test_second_different_choice_is_illegal_and_same_choice_is_a_no_op() -> None:
    chosen = record_choice(lee_case(), consent("keep"), plan())
    assert (
        record_choice(chosen, consent("keep", channel="phone", by="agent:park"), plan()) is chosen
    )
    with pytest.raises(IllegalTransition, match="already recorded"):
        record_choice(
            chosen, consent("cancel_with_compensation", channel="phone", by="agent:park"), plan()
        )


def test_routine_triggers_after_a_choice_change_nothing() -> None:
    chosen = record_choice(lee_case(), consent("keep"), plan())
    for trigger in (CaseTrigger.NOTIFY, CaseTrigger.ESCALATE, CaseTrigger.DEADLINE_PASSED):
        assert chosen.with_trigger(trigger) == chosen
    resolved = chosen.with_trigger(CaseTrigger.RESOLVE)
    assert resolved.status == CaseStatus.RESOLVED
    with pytest.raises(IllegalTransition):
        record_choice(resolved, consent("cancel_with_compensation"), plan())


def test_choose_never_self_loops_and_resolved_is_final() -> None:
    assert all(not (t == CaseTrigger.CHOOSE and s == n) for (s, t), n in TRANSITIONS.items())
    assert {n for (s, _), n in TRANSITIONS.items() if s == CaseStatus.RESOLVED} == {
        CaseStatus.RESOLVED
    }
    with pytest.raises(IllegalTransition):
        advance(CaseStatus.OPEN, CaseTrigger.RESOLVE)


def test_talk_to_person_puts_the_case_on_the_call_list_and_a_later_choice_replaces_it() -> None:
    asked = record_choice(lee_case(), consent("talk_to_person"), plan())
    assert asked.status == CaseStatus.ESCALATED
    assert {e.kind for e in effects_of_choice(asked, asked.consent, plan())} == {
        EffectKind.HOLD_FOR_CALL
    }
    on_call = consent(
        "cancel_with_compensation",
        channel="phone",
        by="agent:park",
        at=DEADLINE + timedelta(hours=20),
    )
    chosen = record_choice(asked, on_call, plan())  # late, but the customer asked in time
    assert chosen.status == CaseStatus.CHOSEN and chosen.consent == on_call


def test_talk_to_person_after_a_final_choice_is_a_no_op() -> None:
    chosen = record_choice(lee_case(), consent("keep"), plan())
    assert record_choice(chosen, consent("talk_to_person"), plan()) is chosen


def test_late_choice_refused_by_default_accepted_when_the_plan_says_so() -> None:
    late = consent("cancel_with_compensation", at=DEADLINE + timedelta(minutes=5))
    defaulted = lee_case().with_trigger(CaseTrigger.DEADLINE_PASSED)
    with pytest.raises(LateChoiceRefused, match="after the deadline"):
        record_choice(defaulted, late, plan())
    lenient = plan(accept_late_choices=True)
    assert record_choice(defaulted, late, lenient).status == CaseStatus.CHOSEN


def test_choice_made_in_time_counts_even_if_the_deadline_job_ran_first() -> None:
    defaulted = lee_case().with_trigger(CaseTrigger.DEADLINE_PASSED)
    in_time = consent("cancel_with_compensation", at=DEADLINE)
    assert record_choice(defaulted, in_time, plan()).status == CaseStatus.CHOSEN


def test_keep_with_a_cap_keeps_the_earliest_units_and_refunds_the_rest() -> None:
    capped = plan(keep_max_units=1)
    chosen = record_choice(lee_case((2, 1)), consent("keep"), capped)
    assert effects_of_choice(chosen, chosen.consent, capped) == [
        OrderEffect(1, EffectKind.KEEP, 1),
        OrderEffect(1, EffectKind.REDUCE_AND_REFUND, 1, Money(19_900, "KRW")),
        OrderEffect(2, EffectKind.CANCEL_AND_REFUND, 1, Money(19_900, "KRW")),
    ]


def test_buy_at_correct_price_with_discount_charges_the_difference() -> None:
    chosen = record_choice(lee_case((1,)), consent("buy_at_correct_price_discount"), plan())
    (effect,) = effects_of_choice(chosen, chosen.consent, plan())
    assert effect.kind == EffectKind.REPRICE
    assert effect.new_unit_price == Money(159_200, "KRW")
    assert effect.amount == Money(159_200 - 19_900, "KRW")


def test_default_keeps_or_holds_and_never_cancels() -> None:
    defaulted = lee_case((3,)).with_trigger(CaseTrigger.DEADLINE_PASSED)
    assert effects_of_default(defaulted, plan()) == [OrderEffect(1, EffectKind.KEEP, 3)]
    held = effects_of_default(defaulted, plan(keep_max_units=2))
    assert held == [OrderEffect(1, EffectKind.HOLD_FOR_CALL, 3)]
    assert effects_of_default(defaulted, plan(default="follow_up_call"))[0].kind == "hold_for_call"


def test_default_applies_only_after_the_deadline() -> None:
    with pytest.raises(IllegalTransition, match="defaulted"):
        effects_of_default(lee_case(), plan())


def test_asking_for_a_person_again_keeps_the_first_in_time_request() -> None:
    asked = record_choice(lee_case(), consent("talk_to_person"), plan())
    again_late = consent("talk_to_person", at=DEADLINE + timedelta(hours=1))
    assert record_choice(asked, again_late, plan()) is asked
    on_call = consent("keep", channel="phone", by="agent:park", at=DEADLINE + timedelta(hours=30))
    assert record_choice(asked, on_call, plan()).status == CaseStatus.CHOSEN


def test_customer_click_and_agent_entry_race_second_is_refused_never_mixed() -> None:
    notified = lee_case().with_trigger(CaseTrigger.NOTIFY)
    click = consent("cancel_with_compensation")
    agent = consent("keep", channel="phone", by="agent:park")
    for first, second in ((click, agent), (agent, click)):
        chosen = record_choice(notified, first, plan())
        with pytest.raises(IllegalTransition):
            record_choice(chosen, second, plan())
        assert chosen.consent == first and chosen.status == CaseStatus.CHOSEN


def test_asking_for_a_person_after_resolution_changes_nothing() -> None:
    defaulted = lee_case().with_trigger(CaseTrigger.DEADLINE_PASSED)
    resolved = defaulted.with_trigger(CaseTrigger.RESOLVE)
    assert record_choice(resolved, consent("talk_to_person", at=NOW), plan()) is resolved


@pytest.mark.parametrize("words", ["-", ".", " . ", "ok", "네.", "x y z"])
@pytest.mark.parametrize(("channel", "by"), [("phone", "agent:park"), ("email", "agent:park"),
                                             ("sms", "customer"), ("email", "customer")])
def test_words_written_down_for_the_customer_must_say_something(
        words: str, channel: str, by: str) -> None:
    # an agent's "-" (or an email relayed as ".") cancelled orders; the bar is a reviewer's reason
    wish = replace(consent("cancel_with_compensation", channel=channel, by=by), evidence=words)
    with pytest.raises(InvalidInput) as refused:
        record_choice(lee_case(), wish, plan())
    assert refused.value.details["field"] == "evidence"
    assert refused.value.details["reason"] == "evidence_too_short"
    assert refused.value.details["minimum"] == 4


def test_real_words_and_a_click_on_the_customers_own_page_are_taken() -> None:
    agent = replace(consent("cancel_with_compensation", channel="phone", by="agent:park"),
                    evidence="취소해 주세요")
    assert record_choice(lee_case(), agent, plan()).status == CaseStatus.CHOSEN
    for said in ("취소", "stop", "yes ok"):  # a Hangul syllable weighs two letters
        quoted = replace(agent, evidence=said)
        assert record_choice(lee_case(), quoted, plan()).status == CaseStatus.CHOSEN, said
    click = replace(consent("keep"), evidence="-")  # recorded by the page, not written down
    assert record_choice(lee_case(), click, plan()).status == CaseStatus.CHOSEN


def test_a_recorded_consent_with_short_words_still_has_its_effects() -> None:
    # records made before the bar: reading them back never refuses
    wish = replace(consent("keep", channel="phone", by="agent:park"), evidence="네")
    on_file = replace(lee_case(), status=CaseStatus.CHOSEN, consent=wish)
    assert [e.kind for e in effects_of_choice(on_file, wish, plan())] == [EffectKind.KEEP] * 2


def test_the_same_final_choice_again_with_few_words_changes_nothing_rather_than_refusing() -> None:
    """From a review: the words were checked before a repeat was recognised, so an agent
    re-sending the choice on file with "-" got a 422 instead of the documented no-op."""
    first = replace(consent("keep", channel="phone", by="agent:park"), evidence="그냥 받을게요")
    chosen = record_choice(lee_case(), first, plan())
    resolved = chosen.with_trigger(CaseTrigger.RESOLVE)
    again = replace(first, evidence="-")
    assert record_choice(resolved, again, plan()) is resolved
