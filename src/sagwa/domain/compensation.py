"""Who pays what: compensation per case, the cost of each resolution, and the seller/platform split.

Two different amounts:

* :func:`compensation_due` — what the *customer* receives as compensation points (points are
  KRW, ``ledger.POINTS_CURRENCY``, whatever the incident's currency) for the option they chose. Only
  ``cancel_with_compensation`` carries points; the other options are remedies in themselves.
* :func:`resolution_cost` — what the resolution costs the seller and platform together: the price
  difference they give up by honouring units, the discount, and the points.

:func:`split_compensation` divides an amount between seller and platform in exact integers.
Rounding: the seller's share is rounded *down* to the minor unit and the platform takes the
remainder, so the two always add up to the total and the platform absorbs any fraction (at most
one minor unit).

:func:`allocate_by_weight` divides the sellers' share among the sellers of one case (a customer
who ordered from two sellers of the same incident) in proportion to each seller's order value,
in whole minor units that add up exactly to the share (``money.allocate_by_weight``: largest
remainder, ties to the lower seller id, so the same case always splits the same way).
"""

from __future__ import annotations

from sagwa.domain.consent import discounted_unit_price
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan, default_outcome
from sagwa.domain.incidents import Case, CaseStatus
from sagwa.domain.ledger import POINTS_CURRENCY
from sagwa.domain.money import Money, allocate_by_weight
from sagwa.errors import InvalidInput

__all__ = ["allocate_by_weight", "compensation_due", "default_cost", "may_still_cancel",
           "resolution_cost", "split_compensation", "split_for_plan"]

#: Cases that may still end cancelled with the plan's points: not answered (or asked for a
#: person), and defaulted ones — a late answer the plan takes, or the answer on a call owed,
#: may still cancel. Settled cases may not, but for a discount whose difference is unpaid
#: (:func:`may_still_cancel`: cancelled instead, ``cancel_instead``).
_UNSETTLED = frozenset({CaseStatus.OPEN, CaseStatus.NOTIFIED, CaseStatus.ESCALATED,
                        CaseStatus.DEFAULTED})


def may_still_cancel(status: CaseStatus | str, *, difference_owed: bool = False,
                     incident_closed: bool = False) -> bool:
    """Whether a case in ``status`` may still be compensated for a cancellation — what the
    most the plan's points can still cost counts (``most`` on the incident and seller pages,
    which shrank with nobody's answer before: a tester found "if every customer cancels, at
    most 25,000" still said after customers had kept their orders). An upper bound: a
    defaulted case counts though its customer may never answer. Once the incident is closed
    no choice is recorded: only an unpaid difference may still be cancelled instead."""
    if incident_closed:
        return difference_owed
    return CaseStatus(status) in _UNSETTLED or difference_owed


def split_compensation(total: Money, seller_share_pct: int) -> tuple[Money, Money]:
    """(seller, platform) parts of ``total``; seller rounded down, platform takes the rest."""
    if isinstance(seller_share_pct, bool) or not isinstance(seller_share_pct, int):
        raise InvalidInput(
            f"seller share must be a whole percent, got {seller_share_pct!r}",
            field="seller_share_pct", reason="share_not_whole_percent",
        )
    if not 0 <= seller_share_pct <= 100:
        raise InvalidInput(
            f"seller share must be 0 to 100, got {seller_share_pct}", field="seller_share_pct",
            reason="share_out_of_range"
        )
    if total.amount_minor < 0:
        raise InvalidInput(f"cannot split a negative amount ({total})", field="total",
                           reason="amount_negative")
    seller = Money(total.amount_minor * seller_share_pct // 100, total.currency)
    return seller, total - seller


def _option(plan: IncidentPlan, choice: CustomerOption | str) -> CustomerOption:
    try:
        option = CustomerOption(choice)
    except ValueError:
        raise InvalidInput(f"unknown option {choice!r}", field="choice",
                           reason="option_unknown") from None
    if not plan.offers(option):
        raise InvalidInput(f"{option.value} was not offered in this plan", field="choice",
                           reason="option_not_offered")
    return option


def compensation_due(case: Case, plan: IncidentPlan, choice: CustomerOption | str) -> Money:
    """Points owed to the customer of ``case`` for ``choice`` (zero for all but cancellation).

    The plan's compensation is per case (per customer), however many orders the case holds.
    """
    if case.incident_id != plan.incident_id:
        raise InvalidInput("the plan belongs to another incident", field="plan",
                           reason="plan_of_other_incident")
    option = _option(plan, choice)
    if option == CustomerOption.CANCEL_WITH_COMPENSATION and plan.cancel_compensation is not None:
        return plan.cancel_compensation
    return Money(0, POINTS_CURRENCY)


def _honoured_cost(case: Case, plan: IncidentPlan, max_units: int | None) -> Money:
    """Σ (correct − paid) over the units kept at the price paid, earliest orders first."""
    left = case.units if max_units is None else max_units
    cost = Money(0, plan.currency)
    for order in case.orders:
        kept = min(order.quantity, left)
        left -= kept
        cost += (plan.correct_price - order.unit_price).times(kept)
    return cost


def _discount_cost(case: Case, plan: IncidentPlan) -> Money:
    new = discounted_unit_price(plan.correct_price, plan.discount_pct or 0)
    cost = Money(0, plan.currency)
    for order in case.orders:
        cost += (plan.correct_price - max(new, order.unit_price)).times(order.quantity)
    return cost


def resolution_cost(case: Case, plan: IncidentPlan, choice: CustomerOption | str) -> Money:
    """What resolving ``case`` with ``choice`` costs seller and platform together.

    ``talk_to_person`` costs nothing yet: the call ends in another choice.
    """
    option = _option(plan, choice)
    if option == CustomerOption.KEEP:
        return _honoured_cost(case, plan, plan.keep_max_units)
    if option == CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        return _discount_cost(case, plan)
    return compensation_due(case, plan, option)


def default_cost(case: Case, plan: IncidentPlan) -> Money:
    """What the default costs for an unanswered case: every unit honoured, or nothing yet."""
    if default_outcome(case, plan) == DefaultAction.KEEP:
        return _honoured_cost(case, plan, None)
    return Money(0, plan.currency)


def split_for_plan(amount: Money, plan: IncidentPlan) -> tuple[Money, Money]:
    """(seller, platform) parts of ``amount`` under the plan's split."""
    return split_compensation(amount, plan.seller_share_pct)
