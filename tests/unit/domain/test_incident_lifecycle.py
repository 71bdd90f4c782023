"""Declaring an incident, its state machine, and scoping it into one case per customer."""

import subprocess
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import (
    INCIDENT_TRANSITIONS,
    IncidentStatus,
    IncidentTrigger,
    OrderRecord,
    PauseListing,
    Responsibility,
    advance_incident,
    declare,
    declare_incident,
    open_draft,
)
from sagwa.domain.money import Money
from sagwa.errors import IllegalTransition, InvalidInput

KST = ZoneInfo("Asia/Seoul")
WRONG, CORRECT = Money(19_900, "KRW"), Money(199_000, "KRW")
START = datetime(2008, 6, 12, 11, 0, tzinfo=KST)
NOW = datetime(2008, 6, 12, 17, 30, tzinfo=KST)


def declared(**overrides: object):  # type: ignore[no-untyped-def]
    args: dict[str, object] = {
        "incident_id": "inc-1",
        "listing_ids": {101},
        "wrong_price": WRONG,
        "correct_price": CORRECT,
        "window_start": START,
        "now": NOW,
        "cause": "a zero dropped when the price was typed",
        "responsible": "seller",
        "declared_by": "operator:kim",
    }
    args.update(overrides)
    return declare(**args)  # type: ignore[arg-type]


def order(
    oid: int,
    customer: str,
    qty: int = 1,
    *,
    listing: int = 101,
    price: Money = WRONG,
    at: datetime | None = None,
) -> OrderRecord:
    return OrderRecord(
        oid, customer, listing, qty, price, at or START + timedelta(hours=1), "placed"
    )


def test_declaring_pauses_every_listing_at_once() -> None:
    result = declared(listing_ids={101, 102})
    assert result.incident.status == IncidentStatus.DECLARED
    assert result.incident.declared_at == NOW
    assert result.incident.window_end == NOW
    assert result.incident.responsible == Responsibility.SELLER
    assert [a.listing_id for a in result.actions] == [101, 102]
    assert all(isinstance(a, PauseListing) and a.incident_id == "inc-1" for a in result.actions)


def test_tripwire_draft_pauses_nothing_until_declared() -> None:
    draft = open_draft(
        incident_id="inc-2",
        listing_ids=[101],
        wrong_price=WRONG,
        window_start=START,
        now=NOW,
        cause="velocity tripwire: 40 orders in 10 minutes",
    )
    assert draft.status == IncidentStatus.DRAFT and draft.opened_by == "tripwire"
    with pytest.raises(InvalidInput, match="correct price"):
        declare_incident(draft, now=NOW, responsible="platform")
    result = declare_incident(draft, now=NOW, responsible="both", correct_price=CORRECT)
    assert result.incident.status == IncidentStatus.DECLARED and len(result.actions) == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"listing_ids": set()}, "listing_ids"),
        ({"correct_price": Money(19_900, "KRW")}, "wrong_price"),
        ({"correct_price": Money(199_000, "USD")}, "correct_price"),
        ({"responsible": "customer"}, "responsible"),
        ({"cause": "  "}, "cause"),
        ({"window_start": NOW + timedelta(minutes=1)}, "window_start"),
        ({"window_end": START - timedelta(minutes=1)}, "window_end"),
        ({"now": datetime(2008, 6, 12, 17, 30)}, "now"),
    ],
)
def test_declaration_refuses_bad_input_naming_the_field(overrides: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        declared(**overrides)
    assert info.value.details["field"] == field


def test_a_drafts_start_moved_into_the_future_is_said_of_the_start() -> None:
    """A tester declared a draft with a start a year ahead and was sent to --window-end, an
    option they had not given."""
    from dataclasses import replace

    draft = open_draft(incident_id="inc-3", listing_ids=[101], wrong_price=WRONG,
                       window_start=START, now=NOW, cause="tripwire")
    moved = replace(draft, window_start=NOW + timedelta(days=365))
    with pytest.raises(InvalidInput) as info:
        declare_incident(moved, now=NOW, responsible="seller", correct_price=CORRECT)
    assert (info.value.details["field"], info.value.details["reason"]) == (
        "window_start", "window_start_future")


def test_declaring_twice_is_an_illegal_transition() -> None:
    incident = declared().incident
    with pytest.raises(IllegalTransition, match="declared cannot declare"):
        declare_incident(incident, now=NOW, responsible="seller")


def test_incident_happy_path_and_refused_jumps() -> None:
    status = IncidentStatus.DRAFT
    for trigger in ("declare", "scope", "scope", "plan", "plan", "notify", "close"):
        status = advance_incident(status, IncidentTrigger(trigger))
    assert status == IncidentStatus.CLOSED
    with pytest.raises(IllegalTransition):
        advance_incident(IncidentStatus.DECLARED, IncidentTrigger.PLAN)
    with pytest.raises(IllegalTransition):
        advance_incident(IncidentStatus.SCOPED, IncidentTrigger.NOTIFY)
    with pytest.raises(IllegalTransition):
        advance_incident(IncidentStatus.NOTIFYING, IncidentTrigger.SCOPE)


def test_closed_is_terminal() -> None:
    assert not [key for key in INCIDENT_TRANSITIONS if key[0] == IncidentStatus.CLOSED]


@pytest.mark.parametrize(("status", "trigger", "hint", "words"), [
    ("draft", "scope", "declare_first", "declare it first"),
    ("declared", "plan", "scope_first", "scope it first"),
    ("declared", "close", "scope_first", "scope it first"),
    ("scoped", "notify", "plan_first", "plan it first"),
    ("planned", "close", "notify_first", "notify its customers first"),
    ("notifying", "plan", "plan_fixed", "the plan is fixed once its customers are told"),
    ("notifying", "notify", "already_notifying", "told already"),
    ("planned", "scope", "scoped_before_plan", "scoped before the plan is made"),
    ("scoped", "declare", "already_declared", "declared already"),
    ("declared", "dismiss", "not_a_draft", "only a draft can be dismissed"),
    ("closed", "close", "already_closed", "closed already"),
    ("closed", "plan", "already_closed", "closed already"),
])  # fmt: skip
def test_a_step_out_of_order_says_what_to_do_first_or_why_it_is_too_late(
        status: str, trigger: str, hint: str, words: str) -> None:
    """QA met "an incident that is declared cannot plan" and nothing more: the refusal keeps its
    code, reason and status, and now says the step to take first, or why it is too late."""
    with pytest.raises(IllegalTransition) as refused:
        advance_incident(IncidentStatus(status), IncidentTrigger(trigger))
    exc = refused.value
    assert (exc.code, exc.details["reason"], exc.details["status"]) == (
        "illegal_transition", "incident_status", status)
    assert exc.details["hint"] == hint
    assert exc.message.startswith(f"an incident that is {status} cannot {trigger}: ")
    assert words in exc.message


def test_every_refused_step_has_a_hint_the_pages_can_say() -> None:
    from sagwa.domain.incidents import INCIDENT_HINTS, incident_hint
    from sagwa.web.pages.labels import INCIDENT_HINT

    refused = {incident_hint(s, t) for s in IncidentStatus for t in IncidentTrigger
               if (s, t) not in INCIDENT_TRANSITIONS}
    assert refused == set(INCIDENT_HINTS) == set(INCIDENT_HINT)


def test_build_cases_one_per_customer_with_exposure() -> None:
    incident = declared(listing_ids={101, 102}).incident
    orders = [
        order(1, "lee", 2),
        order(2, "park", 1),
        order(3, "lee", 1, listing=102),
        order(4, "choi", 1, listing=999),  # another listing
        order(5, "park", 1, price=CORRECT),  # paid the right price
        order(6, "jung", 1, at=START - timedelta(seconds=1)),  # before the window
        order(7, "han", 1, at=NOW + timedelta(seconds=1)),  # after the pause
        order(8, "kang", 1, at=NOW),  # at the very second of the pause
    ]
    cases = build_cases(orders, incident)
    assert [c.customer_id for c in cases] == ["kang", "lee", "park"]
    lee = cases[1]
    assert [o.order_id for o in lee.orders] == [1, 3]
    assert lee.units == 3
    assert lee.exposure == Money((199_000 - 19_900) * 3, "KRW")
    assert cases[2].exposure == Money(179_100, "KRW")


def test_coupon_order_on_the_wrong_price_is_in_scope_with_its_paid_price() -> None:
    incident = declared().incident
    (case,) = build_cases([order(1, "lee", 1, price=Money(17_900, "KRW"))], incident)
    assert case.exposure == Money(199_000 - 17_900, "KRW")


def test_cancelled_orders_are_still_in_scope() -> None:
    incident = declared().incident
    cancelled = OrderRecord(1, "lee", 101, 1, WRONG, START + timedelta(hours=1), "cancelled")
    assert len(build_cases([cancelled], incident)) == 1


def test_only_declared_incidents_can_be_scoped() -> None:
    draft = open_draft(
        incident_id="d",
        listing_ids=[101],
        wrong_price=WRONG,
        window_start=START,
        now=NOW,
        cause="x",
    )
    with pytest.raises(InvalidInput, match="declared"):
        build_cases([order(1, "lee")], draft)


def test_open_case_starts_open_without_consent() -> None:
    (draft,) = build_cases([order(1, "lee")], declared().incident)
    case = open_case(draft, case_id="inc-1/lee")
    assert case.status == "open" and case.consent is None and case.order_ids == (1,)


def test_incident_desk_modules_import_no_framework_or_adapter() -> None:
    modules = [
        "incidents",
        "incident_scope",
        "incident_plan",
        "consent",
        "contact_hours",
        "compensation",
        "sla",
    ]
    code = (
        "import sys\n"
        + "".join(f"import sagwa.domain.{m}\n" for m in modules)
        + "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'fastapi')"
        " or m.startswith('sagwa.adapters')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(("status", "owed", "closed", "may"), [
    ("notified", False, False, True), ("escalated", False, False, True),
    ("defaulted", False, False, True), ("resolved", False, False, False),
    ("resolved", True, False, True), ("defaulted", False, True, False),
    ("notified", False, True, False), ("resolved", True, True, True)])
def test_who_may_still_cancel_counts_towards_the_most_the_points_cost(
        status: str, owed: bool, closed: bool, may: bool) -> None:
    from sagwa.domain.compensation import may_still_cancel

    assert may_still_cancel(status, difference_owed=owed, incident_closed=closed) is may
