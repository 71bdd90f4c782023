"""What each open incident on the operators' list needs attention for: how many customers
answered, the answer deadline, the public notice against its SLA, the calls still owed and the
differences still unpaid (and due an agent's follow-up now).

Each count is the one ``desk_status.incident_status`` gives the incident's own page and
``sagwa incident status`` — by the same rule, read for every listed incident at once: a fixed
number of grouped queries (``IncidentListReads``) however many incidents are listed. A closed
incident needs nothing more — except money still owed: the discount's differences unpaid (and
due a follow-up now) outlive closing, and are counted for it too (``Attention.closed``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sagwa.domain.case_figures import case_figures
from sagwa.domain.difference import difference_of
from sagwa.domain.incidents import Incident, IncidentStatus
from sagwa.domain.sla import (
    notice_due_at,
    notice_languages_missing,
    notice_overdue,
    required_notice_at,
)
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_status import answered_count
from sagwa.services.difference_follow_ups import cadence_of
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class Attention:
    """One open incident's figures on the list, each as its status has it
    (``IncidentStatusView``: ``answered`` is :func:`answered_count` of its choices)."""

    incident_id: int
    cases: int = 0
    answered: int = 0
    #: The plan's answer deadline (None: no plan yet), and whether it has passed (strictly
    #: after it, as ``incident_plan.deadline_passed`` says).
    deadline: datetime | None = None
    past_deadline: bool = False
    #: When the public notice is due (None until declared) and when the first was published.
    notice_due_at: datetime | None = None
    first_notice_at: datetime | None = None
    #: The notice missed its SLA: not up in every language it must be in past its due time,
    #: or up in all of them after it (``required_notice_at``).
    notice_late: bool = False
    #: When the notice was up in every language it must be in (Korean, and each its customers
    #: read: ``sla.required_notice_at``), and the languages it still lacks.
    required_notice_at: datetime | None = None
    notice_languages_missing: tuple[str, ...] = ()
    calls_owed: int = 0
    differences_unpaid: int = 0
    differences_to_follow_up: int = 0
    cancelled_instead: int = 0
    #: A closed incident with differences still unpaid: only those two counts are given.
    closed: bool = False

    @property
    def notice(self) -> str:
        """The notice in a word: "not_due" (not declared), "published", "published_late",
        "overdue" (unpublished past its due time) or "due" (unpublished, still in time) —
        published meaning in every language it must be in (one in English only is still due)."""
        if self.notice_due_at is None:
            return "not_due"
        if self.required_notice_at is not None:
            return "published_late" if self.notice_late else "published"
        return "overdue" if self.notice_late else "due"


def notice_late(declared_at: datetime | None, notice_at: datetime | None,
                now: datetime, policy: DeskPolicy) -> bool:
    """The public notice missed the policy's SLA (``sla.notice_overdue``), ``notice_at`` being
    when it was up in every language it must be in (``sla.required_notice_at``); never before
    the incident is declared (no notice is due)."""
    if declared_at is None:
        return False
    return notice_overdue(declared_at, now, published_at=notice_at, sla=policy.notice_sla)


def attention_of(uow: SqlAlchemyUnitOfWork, incidents: Iterable[Incident],
                 policy: DeskPolicy) -> dict[int, Attention]:
    """Inside an open unit of work: incident id -> its :class:`Attention`, for those of
    ``incidents`` not closed, and for closed ones still owed a difference (``closed``)."""
    listed = {int(i.incident_id): i for i in incidents}
    open_ = {iid: i for iid, i in listed.items() if i.status is not IncidentStatus.CLOSED}
    ids = sorted(open_)
    now = uow.now()
    choices = uow.reads.choices_by_incident(ids)
    calls = uow.reads.calls_owed_by_incident(ids)
    deadlines = uow.reads.plan_deadlines(ids)
    notices = uow.reads.first_notices_by_language(ids)
    languages = uow.reads.notice_languages_required_by_incident(ids)
    instead = uow.reads.cancelled_instead_by_incident(ids)
    unpaid, due = _differences(uow, listed, policy, now)
    out: dict[int, Attention] = {
        iid: Attention(iid, differences_unpaid=unpaid[iid],
                       differences_to_follow_up=due.get(iid, 0), closed=True)
        for iid in listed if iid not in open_ and unpaid.get(iid)}
    for iid, inc in open_.items():
        counts, deadline, firsts = choices.get(iid, {}), deadlines.get(iid), notices.get(iid, {})
        required = required_notice_at(firsts, languages[iid])
        out[iid] = Attention(
            iid, cases=sum(counts.values()), answered=answered_count(counts), deadline=deadline,
            past_deadline=deadline is not None and now > deadline,
            notice_due_at=(notice_due_at(inc.declared_at, policy.notice_sla)
                           if inc.declared_at else None),
            first_notice_at=min(firsts.values(), default=None), required_notice_at=required,
            notice_languages_missing=tuple(notice_languages_missing(firsts, languages[iid])),
            notice_late=notice_late(inc.declared_at, required, now, policy),
            calls_owed=calls.get(iid, 0), differences_unpaid=unpaid.get(iid, 0),
            differences_to_follow_up=due.get(iid, 0), cancelled_instead=instead.get(iid, 0))
    return out


def _differences(uow: SqlAlchemyUnitOfWork, incidents: dict[int, Incident], policy: DeskPolicy,
                 now: datetime) -> tuple[Counter[int], Counter[int]]:
    """Incident id -> customers owing a difference above zero not recorded as paid
    (``desk_difference.differences_owed``), and -> those of them due a follow-up now
    (``difference_follow_ups.due_in_incident``) at ``now``."""
    owing = uow.reads.owing_a_difference_in(sorted(incidents))
    if not owing:
        return Counter(), Counter()
    placed = uow.reads.orders_as_placed(owing)
    owed: dict[int, int] = {}  # case id -> incident id
    for row in uow.cases.by_ids(owing):
        case, iid = row.case, int(row.case.incident_id)
        inc = incidents[iid]
        # priced as ``desk_money.figures_of_cases`` prices a case: at the incident's correct
        # price (its wrong one without it), here from the incidents at hand, not read again
        figures = case_figures(case, placed.get(int(case.case_id), {}),
                               inc.correct_price or inc.wrong_price)
        if difference_of(case, figures).amount_minor > 0:
            owed[int(case.case_id)] = iid
    cadence = cadence_of(policy)
    if cadence is None:
        return Counter(owed.values()), Counter()
    # every incident's due cases in one read, counted for the owing ones of those listed
    due = uow.reads.differences_to_follow_up(due_by=now, cadence=cadence, limit=None)
    return Counter(owed.values()), Counter(owed[o.case_id] for o in due if o.case_id in owed)
