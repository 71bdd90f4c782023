"""The resolution plan an operator picks for an incident, and the rules a plan must satisfy.

A plan offers customers at least two of four options, names the deadline for answering, what
happens to a customer who never answers, and who pays (seller/platform split). The rules:

* at least two distinct options; each option's terms given (compensation for
  ``cancel_with_compensation``, the discount for ``buy_at_correct_price_discount``) and no terms
  for options not offered;
* the default is ``keep`` or ``follow_up_call`` — **never a silent cancellation**: a plan whose
  default cancels is refused with :class:`~sagwa.errors.SilentCancellationRefused`; ``keep``
  only when ``keep`` is offered (``default_not_offered``): a customer who stays silent must not
  end up with a better deal than any answer could get them (their order at the wrong price).
  ``follow_up_call`` needs no option offered: a call is not an outcome but the question asked
  again by phone, answered with one of the options offered, the order held until then;
* a discount is a whole percent from 1 to 99: 0 % would offer "0 % off" (``zero_discount``);
* the deadline is after ``now``, no more than ``max_deadline_ahead`` after it (the desk policy's
  ``[sla] max_deadline_days``, 14 days by default, at most 90: until customers answer, their
  paid orders are neither shipped nor refunded; ``deadline_too_far`` with
  ``details["max_deadline_days"]``), and leaves at least ``min_contact_time`` (24 h by default) of *contact-centre* hours, so a
  customer who wants a person can get one;
* amounts are non-negative; the compensation is in points (KRW, whatever the incident's
  currency); shares are whole percents summing to 100;
  the compensation is no more than the ledger books in one entry (it is booked as one entry when
  the customer confirms, and a plan cannot be changed once customers are notified).

Every problem found is reported at once: ``details["problems"]`` (field -> English sentence) and
``details["problem_reasons"]`` (field -> stable sub-code, e.g. ``too_few_options``).

Late choices (after the deadline) are refused unless ``accept_late_choices`` is set, or unless the
default was ``follow_up_call`` — a follow-up call exists to get an answer, so its answer counts —
or unless the customer asked in time to talk to a person (``consent.record_choice``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple, NoReturn

from sagwa.domain.contact_hours import (
    ContactSchedule,
    contact_time_before,
    contact_time_between,
    last_closing_before,
    next_contact_time,
    replies_recorded_by,
    require_aware,
    within_hours,
)
from sagwa.domain.incidents import UNANSWERED, Case, CaseStatus, Id, Incident, Responsibility
from sagwa.domain.ledger import MAX_POINTS_PER_ENTRY, POINTS_CURRENCY
from sagwa.domain.money import Money
from sagwa.errors import InvalidInput, SilentCancellationRefused

DEFAULT_MIN_CONTACT_TIME = timedelta(hours=24)
#: The latest deadline a plan may set, after ``now``, unless the desk policy says otherwise
#: (``[sla] max_deadline_days``): until customers answer, their paid orders are neither shipped
#: nor refunded (전자상거래법 제15조 expects supply or a refund within days of payment).
DEFAULT_MAX_DEADLINE_AHEAD = timedelta(days=14)
#: The most a desk policy may set: customers answer within weeks, not months (and the contact
#: hours up to the deadline are counted day by day).
MAX_DEADLINE_AHEAD = timedelta(days=90)
#: The least discount a plan may offer: customers read "0% off the correct price" otherwise.
MIN_DISCOUNT_PCT = 1


class CustomerOption(StrEnum):
    KEEP = "keep"
    CANCEL_WITH_COMPENSATION = "cancel_with_compensation"
    BUY_AT_CORRECT_PRICE_DISCOUNT = "buy_at_correct_price_discount"
    TALK_TO_PERSON = "talk_to_person"


class DefaultAction(StrEnum):
    KEEP = "keep"
    FOLLOW_UP_CALL = "follow_up_call"


@dataclass(frozen=True)
class IncidentPlan:
    """A validated plan; build it with :func:`make_plan`."""

    incident_id: Id
    options: frozenset[CustomerOption]
    deadline: datetime
    default: DefaultAction
    seller_share_pct: int
    platform_share_pct: int
    decided_at: datetime
    correct_price: Money
    cancel_compensation: Money | None = None
    discount_pct: int | None = None
    keep_max_units: int | None = None
    accept_late_choices: bool = False
    #: until when a reply that reached us by the deadline may be recorded, as fixed when the
    #: deadline's default was applied (None before: :meth:`replies_recorded_by` computes it)
    replies_until: datetime | None = None

    @property
    def currency(self) -> str:
        return self.correct_price.currency

    def replies_recorded_by(self, schedule: ContactSchedule) -> datetime:
        """Until when a reply by email or text that reached us by the deadline may still be
        recorded as in time: the window fixed when the default was applied, else the one the
        contact centre's hours give now (``contact_hours.replies_recorded_by``) — so the hours
        changed later cannot reopen a window that has closed."""
        if self.replies_until is not None:
            return self.replies_until
        return replies_recorded_by(schedule, self.deadline)

    def offers(self, option: CustomerOption | str) -> bool:
        return option in self.options


class Problem(NamedTuple):
    """One field's problem: a stable sub-code for programs and a sentence for people."""

    reason: str
    sentence: str


Problems = dict[str, Problem]


def _parse_options(
    raw: Iterable[CustomerOption | str], problems: Problems
) -> frozenset[CustomerOption]:
    valid = ", ".join(o.value for o in CustomerOption)
    parsed: set[CustomerOption] = set()
    for item in raw:
        try:
            parsed.add(CustomerOption(item))
        except ValueError:
            problems["options"] = Problem(
                "unknown_option", f"unknown option {item!r}; choose from {valid}"
            )
    if "options" not in problems and len(parsed) < 2:
        problems["options"] = Problem(
            "too_few_options", f"offer at least two different options (from {valid})"
        )
    return frozenset(parsed)


def _parse_default(raw: DefaultAction | str) -> DefaultAction:
    try:
        return DefaultAction(raw)
    except ValueError:
        pass
    if "cancel" in str(raw).lower():
        raise SilentCancellationRefused(
            f"default {raw!r} refused: a customer who does not answer must never be cancelled "
            "silently; use 'keep' or 'follow_up_call'",
            field="default", reason="default_cancels",
        )
    raise InvalidInput(f"default must be 'keep' or 'follow_up_call', got {raw!r}", field="default",
                       reason="default_unknown")


def _check_terms(
    options: frozenset[CustomerOption],
    currency: str,
    cancel_compensation: Money | None,
    discount_pct: int | None,
    keep_max_units: int | None,
    problems: Problems,
) -> None:
    terms = {
        "cancel_compensation": (CustomerOption.CANCEL_WITH_COMPENSATION, cancel_compensation),
        "discount_pct": (CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, discount_pct),
    }
    for name, (option, value) in terms.items():
        if option in options and value is None:
            problems[name] = Problem(
                "terms_missing", f"{option.value} is offered, so {name} must be given"
            )
        elif option not in options and value is not None:
            problems[name] = Problem(
                "terms_not_offered", f"{name} given but {option.value} is not offered"
            )
    if keep_max_units is not None and CustomerOption.KEEP not in options:
        problems["keep_max_units"] = Problem(
            "terms_not_offered", "keep_max_units given but keep is not offered"
        )
    if cancel_compensation is not None:
        if cancel_compensation.currency != POINTS_CURRENCY:
            # points, whatever the incident's currency: they are booked as points (1 point =
            # 1 KRW), so $5 would have been booked as 500 points (a review found it)
            problems["cancel_compensation"] = Problem(
                "wrong_currency",
                f"compensation is in points (1 point = 1 {POINTS_CURRENCY}), not {cancel_compensation.currency}",
            )
        elif cancel_compensation.amount_minor < 0:
            problems["cancel_compensation"] = Problem(
                "negative_amount", "compensation cannot be negative"
            )
        elif cancel_compensation.amount_minor > MAX_POINTS_PER_ENTRY:
            problems["cancel_compensation"] = Problem(
                "above_ledger_limit",
                f"{cancel_compensation.amount_minor:,} points is more than the ledger books "
                f"in one entry ({MAX_POINTS_PER_ENTRY:,}); offer less",
            )
    if discount_pct is not None and "discount_pct" not in problems:  # not "not offered"
        _check_discount(discount_pct, problems)
    if keep_max_units is not None and (
        isinstance(keep_max_units, bool)
        or not isinstance(keep_max_units, int)
        or keep_max_units < 1
    ):
        problems["keep_max_units"] = Problem(
            "out_of_range", f"keep_max_units must be at least 1, got {keep_max_units!r}"
        )


def _check_discount(discount_pct: int, problems: Problems) -> None:
    if isinstance(discount_pct, bool) or not isinstance(discount_pct, int) or not (
            0 <= discount_pct < 100):
        problems["discount_pct"] = Problem(
            "out_of_range", f"discount must be a whole percent from 1 to 99, got {discount_pct!r}")
    elif discount_pct < MIN_DISCOUNT_PCT:  # customers would read "0% off the correct price"
        problems["discount_pct"] = Problem(
            "zero_discount", f"a {discount_pct}% discount is no discount; offer at least "
            f"{MIN_DISCOUNT_PCT}% off the correct price, or do not offer "
            f"{CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT.value}")


def _check_default(default: DefaultAction, options: frozenset[CustomerOption],
                   problems: Problems) -> None:
    """``keep`` as the default only with ``keep`` offered (see the module docstring)."""
    if default is DefaultAction.KEEP and CustomerOption.KEEP not in options:
        problems["default"] = Problem(
            "default_not_offered",
            "the default 'keep' is not one of the options offered: a customer who does not "
            "answer would keep the order at the wrong price, a better deal than any answer "
            "gets; offer keep too, or make the default follow_up_call")


def _days(span: timedelta) -> str:
    return f"{span.days} days" if span == timedelta(days=span.days) else str(span)


def _check_shares(seller: int, platform: int, problems: Problems) -> None:
    for name, value in (("seller_share_pct", seller), ("platform_share_pct", platform)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            problems[name] = Problem(
                "out_of_range", f"{name} must be a whole percent from 0 to 100, got {value!r}"
            )
    if (
        not problems.keys() & {"seller_share_pct", "platform_share_pct"}
        and seller + platform != 100
    ):
        problems["platform_share_pct"] = Problem(
            "shares_not_100", f"shares must sum to 100, got {seller} + {platform}"
        )


def _check_shares_follow_responsibility(responsible: Responsibility | None, seller: int,
                                        problems: Problems) -> None:
    """An incident that names the platform responsible charges its seller nothing: a seller
    walk saw a platform's own promotion error planned at 100% seller share, accepted without a
    word and mailed to the seller as such. (A seller responsible may still be helped: the
    platform may take any share.) Declaring the responsibility as ``both`` lets the seller
    share it."""
    if "seller_share_pct" in problems or "platform_share_pct" in problems:
        return
    if responsible is Responsibility.PLATFORM and seller > 0:
        problems["seller_share_pct"] = Problem(
            "share_against_responsibility",
            f"the incident names the platform responsible, so the seller's share must be 0, "
            f"got {seller}% (declare the responsibility as both if the seller shares it)")


def _check_deadline(
    deadline: datetime,
    now: datetime,
    schedule: ContactSchedule,
    min_contact_time: timedelta,
    max_ahead: timedelta,
    problems: Problems,
) -> None:
    if deadline <= now:
        problems["deadline"] = Problem("deadline_not_after_now", "the deadline must be after now")
        return
    if deadline - now > max_ahead:
        problems["deadline"] = Problem(
            "deadline_too_far", f"the deadline must be at most {_days(max_ahead)} after now "
            "(the desk policy's [sla] max_deadline_days): until customers answer, their paid "
            "orders are neither shipped nor refunded")
        return
    if not within_hours(schedule, deadline):
        # customers told "answer by 03:00 on Christmas Day" could not reach a person at the end
        local = deadline.astimezone(schedule.zone)
        before = last_closing_before(schedule, deadline)
        hint = (f"; the centre last closes before it at {before.astimezone(schedule.zone):%Y-%m-%d %H:%M}"
                if before is not None and before > now else "")
        problems["deadline"] = Problem(
            "deadline_outside_contact_hours",
            f"the deadline {local:%Y-%m-%d %H:%M} ({schedule.timezone}) falls when the contact "
            f"centre is closed, so a customer could not reach a person at the end; choose a time "
            f"within its hours{hint}")
        return
    _, available = answer_time_left(schedule, now, deadline)
    if available < min_contact_time:
        problems["deadline"] = Problem(
            "too_little_contact_time",
            f"the deadline leaves only {contact_hours(available)} of contact-centre hours after "
            f"customers can first be told; customers need at least "
            f"{contact_hours(min_contact_time)} of contact-centre hours to reach a person",
        )


def contact_hours(span: timedelta) -> str:
    """Contact-centre time as hours and minutes ("22 h 32 min", "24 h"): never "1 day", which
    reads as a calendar day when 24 contact-centre hours span about three working days."""
    minutes = int(span.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def answer_time_left(schedule: ContactSchedule, now: datetime,
                     deadline: datetime) -> tuple[datetime, timedelta]:
    """When customers can first be told (the next contact opening from ``now``) and how much
    contact-centre time that leaves them before ``deadline``: the one measure both the plan's
    validation and ``notify`` hold against the minimum answer time."""
    send_at = next_contact_time(schedule, now)
    return send_at, contact_time_between(schedule, send_at, deadline)


def _refuse(problems: Problems, max_ahead: timedelta) -> NoReturn:
    sentences = {field: p.sentence for field, p in problems.items()}
    summary = "; ".join(f"{k}: {v}" for k, v in sentences.items())
    too_far = problems.get("deadline", Problem("", "")).reason == "deadline_too_far"
    raise InvalidInput(
        f"plan refused — {summary}",
        problems=sentences,
        problem_reasons={field: p.reason for field, p in problems.items()}, reason="plan_problems",
        max_deadline_days=max_ahead.days if too_far else None,
    )


def make_plan(
    *,
    incident: Incident,
    options: Iterable[CustomerOption | str],
    deadline: datetime,
    default: DefaultAction | str,
    seller_share_pct: int,
    platform_share_pct: int,
    now: datetime,
    schedule: ContactSchedule,
    cancel_compensation: Money | None = None,
    discount_pct: int | None = None,
    keep_max_units: int | None = None,
    accept_late_choices: bool = False,
    min_contact_time: timedelta = DEFAULT_MIN_CONTACT_TIME,
    max_deadline_ahead: timedelta = DEFAULT_MAX_DEADLINE_AHEAD,
) -> IncidentPlan:
    """Validate an operator's choices into an :class:`IncidentPlan`, or say everything wrong."""
    require_aware(now, "now")
    require_aware(deadline, "deadline")
    if incident.correct_price is None or incident.declared_at is None:
        raise InvalidInput("only a declared incident can have a plan", field="incident",
                           reason="incident_not_declared")
    default_action = _parse_default(default)
    problems: Problems = {}
    chosen = _parse_options(options, problems)
    _check_terms(
        chosen, incident.currency, cancel_compensation, discount_pct, keep_max_units, problems
    )
    _check_default(default_action, chosen, problems)
    _check_shares(seller_share_pct, platform_share_pct, problems)
    _check_shares_follow_responsibility(incident.responsible, seller_share_pct, problems)
    _check_deadline(deadline, now, schedule, min_contact_time, max_deadline_ahead, problems)
    if problems:
        _refuse(problems, max_deadline_ahead)
    return IncidentPlan(
        incident_id=incident.incident_id,
        options=chosen,
        deadline=deadline,
        default=default_action,
        seller_share_pct=seller_share_pct,
        platform_share_pct=platform_share_pct,
        decided_at=now,
        correct_price=incident.correct_price,
        cancel_compensation=cancel_compensation,
        discount_pct=discount_pct,
        keep_max_units=keep_max_units,
        accept_late_choices=accept_late_choices,
    )


def deadline_passed(plan: IncidentPlan, now: datetime) -> bool:
    """True strictly after the deadline: an answer at the deadline itself is on time."""
    return require_aware(now, "now") > plan.deadline


def accepts_choice_at(plan: IncidentPlan, moment: datetime, case: Case | None = None) -> bool:
    """Whether a choice made at ``moment`` counts (see the module docstring on late choices);
    with ``case``, its own default decides (:func:`default_outcome`: a capped keep becomes a
    follow-up call, whose answer counts), and a customer never told (``Case.told`` false) is
    always heard: nobody asked them by the deadline — also before the deadline job has made
    their default a call."""
    if not deadline_passed(plan, moment):
        return True
    if case is not None and not case.told:
        return True
    default = plan.default if case is None else default_outcome(case, plan)
    return plan.accept_late_choices or default == DefaultAction.FOLLOW_UP_CALL


def default_outcome(case: Case, plan: IncidentPlan) -> DefaultAction:
    """What happens to a case nobody answered.

    A ``keep`` default with a unit cap would cancel the units beyond the cap without consent, so
    for a customer holding more units than the cap the default becomes a follow-up call. So does
    the default of a customer who was never told (``Case.told``: their apology never went out
    before the deadline): nobody asked them, so somebody calls them; until then their order
    stays as it is, and their answer counts whenever it comes.
    """
    if case.status == CaseStatus.DEFAULTED and not case.told:
        return DefaultAction.FOLLOW_UP_CALL
    if (
        plan.default == DefaultAction.KEEP
        and plan.keep_max_units is not None
        and case.units > plan.keep_max_units
    ):
        return DefaultAction.FOLLOW_UP_CALL
    return plan.default


def escalation_due(
    case: Case,
    plan: IncidentPlan,
    now: datetime,
    lead_time: timedelta,
    *,
    schedule: ContactSchedule | None = None,
) -> bool:
    """Should this unanswered case go on the call list now?

    Due when it is still unanswered and not yet escalated, the deadline has not passed, and no
    more than ``lead_time`` remains — counted in contact-centre hours when ``schedule`` is given
    (so a Monday 09:00 deadline escalates during Friday's hours), else in wall-clock time.
    """
    require_aware(now, "now")
    if case.status not in UNANSWERED or case.status == CaseStatus.ESCALATED:
        return False
    if now >= plan.deadline:
        return False
    if schedule is None:
        remaining = plan.deadline - now
    else:
        remaining = contact_time_between(schedule, now, plan.deadline)
    return remaining <= lead_time


def escalation_at(plan: IncidentPlan, lead_time: timedelta, schedule: ContactSchedule) -> datetime:
    """When to schedule the escalation job: ``lead_time`` of contact hours before the deadline.

    From that moment :func:`escalation_due` (with the same schedule) is true for unanswered cases.
    """
    return contact_time_before(schedule, plan.deadline, lead_time)
