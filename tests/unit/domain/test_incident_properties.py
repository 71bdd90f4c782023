"""Properties of the incident desk, and the 2008 timeline run the way it should have gone."""

from datetime import UTC, datetime, timedelta

from hypothesis import event, given, settings
from hypothesis import strategies as st
from incident_builders import CENTRE_HOURS, DECLARED, KST, WRONG, declare_2008

from sagwa.domain.compensation import compensation_due, split_for_plan
from sagwa.domain.consent import (
    CANCELLING,
    ConsentRecord,
    EffectKind,
    effects_of_choice,
    effects_of_default,
    record_choice,
)
from sagwa.domain.contact_hours import ContactSchedule, may_contact, next_contact_time
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan, make_plan
from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import (
    Case,
    CaseStatus,
    CaseTrigger,
    Declaration,
    IncidentStatus,
    IncidentTrigger,
    OrderRecord,
    advance_incident,
)
from sagwa.domain.money import Money
from sagwa.domain.sla import notice_due_at
from sagwa.errors import SagwaError

SCHEDULE = ContactSchedule.from_mapping(
    {**CENTRE_HOURS, "min_time_left_minutes": 120, "holidays_closed": True}
)
ALL = ["keep", "cancel_with_compensation", "buy_at_correct_price_discount", "talk_to_person"]


def declared_2008() -> Declaration:
    return declare_2008(incident_id="aladin-2008", cause="199,000 typed as 19,900")


def orders_2008() -> list[OrderRecord]:
    return [
        OrderRecord(1, "lee", 101, 2, WRONG, datetime(2008, 6, 12, 13, 0, tzinfo=KST), "placed"),
        OrderRecord(2, "lee", 101, 1, WRONG, datetime(2008, 6, 12, 14, 0, tzinfo=KST), "placed"),
        OrderRecord(3, "park", 101, 1, WRONG, datetime(2008, 6, 12, 15, 0, tzinfo=KST), "placed"),
    ]


def test_2008_timeline_resolved_with_consent() -> None:
    declaration = declared_2008()
    incident = declaration.incident
    assert [a.listing_id for a in declaration.actions] == [101]  # paused at once
    assert notice_due_at(incident.declared_at) == datetime(2008, 6, 12, 18, 30, tzinfo=KST)

    drafts = build_cases(orders_2008(), incident)
    incident = incident.with_status(IncidentTrigger.SCOPE)
    cases = {d.customer_id: open_case(d, case_id=f"aladin-2008/{d.customer_id}") for d in drafts}
    assert cases["lee"].exposure == Money(3 * 179_100, "KRW")

    # The operator plans at 17:45 Thursday; messages may not go out before Friday 09:00.
    planned_at = DECLARED + timedelta(minutes=15)
    send_at = next_contact_time(SCHEDULE, planned_at.astimezone(UTC))
    assert send_at == datetime(2008, 6, 13, 9, 0, tzinfo=KST)
    plan = make_plan(
        incident=incident,
        options=ALL,
        deadline=datetime(2008, 6, 17, 18, 0, tzinfo=KST),
        default="keep",
        seller_share_pct=50,
        platform_share_pct=50,
        now=planned_at,
        schedule=SCHEDULE,
        cancel_compensation=Money(10_000, "KRW"),
        discount_pct=30,
    )
    incident = incident.with_status(IncidentTrigger.PLAN).with_status(IncidentTrigger.NOTIFY)
    assert incident.status == IncidentStatus.NOTIFYING

    lee = cases["lee"].with_trigger(CaseTrigger.NOTIFY)
    said = ConsentRecord(
        lee.case_id,
        "lee",
        "cancel_with_compensation",
        "phone",
        send_at + timedelta(hours=1),
        "환불해 주세요, 포인트로 받을게요",
        "agent:park",
    )  # type: ignore[arg-type]
    lee = record_choice(lee, said, plan)
    effects = effects_of_choice(lee, said, plan)
    assert {e.kind for e in effects} == {EffectKind.CANCEL_AND_REFUND}
    points = compensation_due(lee, plan, said.choice)
    assert split_for_plan(points, plan) == (Money(5_000, "KRW"), Money(5_000, "KRW"))

    park = cases["park"].with_trigger(CaseTrigger.NOTIFY).with_trigger(CaseTrigger.DEADLINE_PASSED)
    assert [e.kind for e in effects_of_default(park, plan)] == [EffectKind.KEEP]
    assert advance_incident(incident.status, IncidentTrigger.CLOSE) == IncidentStatus.CLOSED


# --- no path cancels an order without a recorded matching choice ------------------------------

PLANNED_AT = datetime(2008, 6, 13, 9, 0, tzinfo=KST)
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=KST)


def make_variant(cap: int | None, default: str, late: bool) -> IncidentPlan:
    return make_plan(
        incident=declared_2008().incident,
        options=ALL,
        deadline=DEADLINE,
        default=default,
        seller_share_pct=50,
        platform_share_pct=50,
        now=PLANNED_AT,
        schedule=SCHEDULE,
        cancel_compensation=Money(10_000, "KRW"),
        discount_pct=30,
        keep_max_units=cap,
        accept_late_choices=late,
    )


consents = st.builds(
    lambda case_idx, who, choice, channel, hours: (case_idx, who, choice, channel, hours),
    st.integers(0, 1),
    st.sampled_from(["own", "other"]),
    st.sampled_from(ALL),
    st.sampled_from(["web", "email", "sms", "phone"]),
    st.integers(-10, 150),
)
operations = st.one_of(
    st.tuples(st.just("trigger"), st.integers(0, 1), st.sampled_from(list(CaseTrigger))),
    st.tuples(st.just("choose"), consents),
    st.tuples(
        st.just("effects"),
        st.integers(0, 1),
        st.sampled_from(["recorded", "recorded", "fresh", "none"]),
        consents,
    ),
    st.tuples(st.just("choose"), consents),
    st.tuples(st.just("default"), st.integers(0, 1)),
)


def build_consent(cases: list[Case], spec: tuple) -> ConsentRecord:  # type: ignore[type-arg]
    case_idx, who, choice, channel, hours = spec
    target = cases[case_idx] if who == "own" else cases[1 - case_idx]
    return ConsentRecord(
        target.case_id,
        target.customer_id,
        choice,
        channel,  # type: ignore[arg-type]
        PLANNED_AT + timedelta(hours=hours),
        f"said: {choice}",
        "agent:7" if channel == "phone" else "customer",
    )


@settings(max_examples=300, deadline=None)
@given(
    ops=st.lists(operations, min_size=2, max_size=25),
    cap=st.sampled_from([None, 1, 2]),
    default=st.sampled_from(["keep", "follow_up_call"]),
    late=st.booleans(),
)
def test_no_path_cancels_an_order_without_a_recorded_matching_choice(
    ops: list,
    cap: int | None,
    default: str,
    late: bool,  # type: ignore[type-arg]
) -> None:
    plan = make_variant(cap, default, late)
    drafts = build_cases(orders_2008(), declared_2008().incident)
    cases = [open_case(d, case_id=f"c-{d.customer_id}") for d in drafts]
    accepted: list[list[ConsentRecord]] = [[], []]
    for op in ops:
        try:
            if op[0] == "trigger" and op[2] != CaseTrigger.CHOOSE:
                cases[op[1]] = cases[op[1]].with_trigger(op[2])
            elif op[0] == "choose":
                consent = build_consent(cases, op[1])
                idx = op[1][0]
                updated = record_choice(cases[idx], consent, plan)
                if updated is not cases[idx]:
                    accepted[idx].append(consent)
                cases[idx] = updated
            elif op[0] == "effects":
                idx, kind, spec = op[1], op[2], op[3]
                case = cases[idx]
                given_consent = {"recorded": case.consent, "none": None}.get(
                    kind, build_consent(cases, spec)
                )
                check_choice_effects(case, given_consent, plan, accepted[idx])
            elif op[0] == "default":
                effects = effects_of_default(cases[op[1]], plan)
                assert not any(e.kind in CANCELLING for e in effects)
        except SagwaError as refused:
            event(f"refused: {refused.code}")
        check_invariants(cases, accepted)
    for idx, case in enumerate(cases):  # finally, act on whatever each case holds
        try:
            check_choice_effects(case, case.consent, plan, accepted[idx])
        except SagwaError as refused:
            event(f"final: refused {refused.code}")


def check_choice_effects(
    case: Case, consent: ConsentRecord | None, plan: IncidentPlan, accepted: list[ConsentRecord]
) -> None:
    effects = effects_of_choice(case, consent, plan)
    if any(e.kind in CANCELLING for e in effects):
        event("cancelling effects produced")
        assert consent is not None and consent == case.consent
        assert accepted and accepted[-1] == consent
        assert consent.case_id == case.case_id
        assert consent.choice in (CustomerOption.CANCEL_WITH_COMPENSATION, CustomerOption.KEEP)
        assert {e.order_id for e in effects} <= set(case.order_ids)


def check_invariants(cases: list[Case], accepted: list[list[ConsentRecord]]) -> None:
    for idx, case in enumerate(cases):
        if case.status == CaseStatus.CHOSEN:
            assert case.consent is not None
            assert case.consent.choice != CustomerOption.TALK_TO_PERSON
        if case.consent is not None:
            assert case.consent.case_id == case.case_id
            assert case.consent == accepted[idx][-1]


@settings(max_examples=200, deadline=None)
@given(
    when=st.datetimes(
        min_value=datetime(2008, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(KST)
    )
)
def test_any_declaration_time_schedules_inside_hours_never_earlier(when: datetime) -> None:
    send_at = next_contact_time(SCHEDULE, when)
    assert send_at >= when and may_contact(SCHEDULE, send_at)
