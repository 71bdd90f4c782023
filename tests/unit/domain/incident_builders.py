"""The 2008 wrong-price incident in the domain's own terms, for the incident unit tests: listing
101 shown at 19,900 KRW instead of 199,000 KRW from 11:00 on Thursday 12 June 2008, declared at
17:30 by ``operator:kim``, planned at 09:00 the next morning (Friday) with a deadline of Tuesday
17 June 18:00.

``declare_2008`` declares it, ``plan_2008`` makes its plan and ``one_order_case`` opens the case
of one customer's single order; each takes what a test changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.incident_plan import IncidentPlan, make_plan
from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import Case, Declaration, Incident, OrderRecord, declare
from sagwa.domain.money import Money

KST = ZoneInfo("Asia/Seoul")
WRONG, CORRECT = Money(19_900, "KRW"), Money(199_000, "KRW")
WINDOW_START = datetime(2008, 6, 12, 11, 0, tzinfo=KST)
DECLARED = datetime(2008, 6, 12, 17, 30, tzinfo=KST)  # Thursday
NOW = datetime(2008, 6, 13, 9, 0, tzinfo=KST)  # Friday: the plan is made
DEADLINE = datetime(2008, 6, 17, 18, 0, tzinfo=KST)  # Tuesday
#: The customer centre's hours: weekdays 09:00-18:00, Saturday 10:00-14:00, closed on Sunday.
CENTRE_HOURS: dict[str, str | None] = {
    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), "09:00-18:00"),
    "sat": "10:00-14:00",
    "sun": None,
}


def declare_2008(
    *, incident_id: str = "inc-1", cause: str = "typo", responsible: str = "both"
) -> Declaration:
    """The 2008 incident declared (with what must happen at once: the listing paused)."""
    return declare(incident_id=incident_id, listing_ids={101}, wrong_price=WRONG,
                   correct_price=CORRECT, window_start=WINDOW_START, now=DECLARED, cause=cause,
                   responsible=responsible, declared_by="operator:kim")


def plan_2008(
    incident: Incident, schedule: ContactSchedule, /, **fields: object
) -> IncidentPlan:
    """``make_plan`` for ``incident`` decided at ``NOW`` with ``schedule`` as contact hours: keep
    the order by default, 5,000 KRW for a cancellation, the seller paying 70% and the platform
    30%, the deadline ``DEADLINE``; ``fields`` (``options`` among them) add to or replace any of
    these, the incident and schedule too."""
    args: dict[str, object] = {
        "incident": incident,
        "deadline": DEADLINE,
        "default": "keep",
        "seller_share_pct": 70,
        "platform_share_pct": 30,
        "now": NOW,
        "schedule": schedule,
        "cancel_compensation": Money(5_000, "KRW"),
        **fields,
    }
    return make_plan(**args)  # type: ignore[arg-type]


def one_order_case(incident: Incident, units: int) -> Case:
    """Case ``c1``: customer ``lee``'s one order of ``units`` at the wrong price, placed an hour
    before the declaration."""
    orders = [OrderRecord(1, "lee", 101, units, WRONG, DECLARED - timedelta(hours=1), "placed")]
    return open_case(build_cases(orders, incident)[0], case_id="c1")
