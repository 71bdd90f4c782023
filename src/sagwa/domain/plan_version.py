"""Which plan a plan form was opened against, so a form that has gone stale cannot overwrite a
plan saved after it was opened.

Two operators on one incident's page: one saves a plan, the other — whose page was drawn before
that — saves theirs, and the first plan is gone without either of them being told (a QA
tester's finding). The page's form carries :func:`plan_version` of the plan it showed; saving
checks it against the plan saved now (:func:`check_plan_unchanged`) and refuses a save against
an older one with 409 ``plan_changed``.

The version is a digest of the plan's terms (its options, deadline, default, points, discount,
cap, shares, late answers), not of when it was saved: the same plan sent again, or a plan
changed and changed back, is the plan the operator saw.
"""

from __future__ import annotations

import hashlib
import json

from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.moments import SEOUL
from sagwa.errors import Conflict

#: The version of "no plan yet": a form opened before any plan was saved.
NO_PLAN = "none"


def plan_record(plan: IncidentPlan) -> dict[str, object]:
    """``plan``'s terms as the audit log records them (``incident.planned``), the deadline in
    Korea time: what an operator decided, not when."""
    return {"options": sorted(o.value for o in plan.options),
            "deadline": plan.deadline.astimezone(SEOUL).isoformat(),
            "default": plan.default.value, "seller_share_pct": plan.seller_share_pct,
            "platform_share_pct": plan.platform_share_pct,
            "cancel_compensation": (plan.cancel_compensation.as_dict()
                                    if plan.cancel_compensation else None),
            "discount_pct": plan.discount_pct, "keep_max_units": plan.keep_max_units,
            "accept_late_choices": plan.accept_late_choices}


def plan_version(plan: IncidentPlan | None) -> str:
    """A short digest of ``plan``'s terms (:func:`plan_record`; :data:`NO_PLAN` for none)."""
    if plan is None:
        return NO_PLAN
    text = json.dumps(plan_record(plan), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_plan_unchanged(plan: IncidentPlan | None, opened_against: str | None, *,
                         incident_id: int) -> None:
    """Refuse (409 ``plan_changed``, ``details["stale"]``) a save from a form opened against
    another plan than ``plan``, the one saved now; ``opened_against`` None (a caller sending
    a whole plan on purpose: the API, the CLI) is not checked."""
    if opened_against is None or opened_against == plan_version(plan):
        return
    now = "no plan is saved" if plan is None else "another plan was saved"
    raise Conflict(f"incident {incident_id}'s plan changed since this form was opened ({now} "
                   "now); nothing was saved: check the plan as it stands and save again",
                   reason="plan_changed", stale=True, incident_id=incident_id,
                   plan_version=plan_version(plan))
