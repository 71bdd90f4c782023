"""Service-level figures for an incident report: pure functions over simple records.

* the public-notice SLA: a notice is due ``sla`` (60 minutes by default) after declaration, in
  every language it must be in (:func:`required_notice_at`);
* incident timings measured from detection (the tripwire firing or the first report; the
  declaration when nothing earlier is known): time to pause, to public notice, to first apology;
* case figures: customers reached, reached within contact hours, answered, defaulted, and the
  count of each choice.

Shares are floats in [0, 1], or ``None`` when there is nothing to divide by.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sagwa.domain.contact_hours import ContactSchedule, may_contact, require_aware

DEFAULT_NOTICE_SLA = timedelta(minutes=60)


def notice_due_at(declared_at: datetime, sla: timedelta = DEFAULT_NOTICE_SLA) -> datetime:
    """When the public notice must be up at the latest."""
    return require_aware(declared_at, "declared_at") + sla


def notice_overdue(
    declared_at: datetime,
    now: datetime,
    *,
    published_at: datetime | None = None,
    sla: timedelta = DEFAULT_NOTICE_SLA,
) -> bool:
    """True if the notice missed its SLA: unpublished after the due time, or published late."""
    due = notice_due_at(declared_at, sla)
    if published_at is not None:
        return require_aware(published_at, "published_at") > due
    return require_aware(now, "now") > due


#: The public board's own language: an incident's notice must be in it whoever its customers are.
BOARD_LANGUAGE = "ko"


def notice_languages(read: Iterable[str]) -> list[str]:
    """The languages an incident's public notice must be in, given those its customers read
    (``read``): Korean, and each of those — what closing asks for."""
    return sorted({BOARD_LANGUAGE, *read})


def notice_languages_missing(first_by_language: Mapping[str, datetime],
                             required: Iterable[str]) -> list[str]:
    """Those of ``required`` with no notice published yet (``first_by_language``: language ->
    its first notice)."""
    return [lang for lang in required if lang not in first_by_language]


def required_notice_at(first_by_language: Mapping[str, datetime],
                       required: Iterable[str]) -> datetime | None:
    """When the public notice was up in every language it must be in (``required``: Korean and
    each language the incident's customers read, the languages closing asks for): the latest of
    those languages' first notices, None while one of them has none. The notice SLA is met or
    missed at this moment — a notice in another language first does not meet it (a QA tester's
    report said "0 min, within the SLA" with only the English notice on time and the Korean one
    late)."""
    firsts = [first_by_language.get(lang) for lang in set(required)]
    if not firsts or any(at is None for at in firsts):
        return None
    return max(at for at in firsts if at is not None)


@dataclass(frozen=True)
class IncidentTimeline:
    """The moments the report measures; ``None`` for what has not happened (yet)."""

    declared_at: datetime
    detected_at: datetime | None = None
    paused_at: datetime | None = None
    notice_published_at: datetime | None = None
    first_apology_at: datetime | None = None


@dataclass(frozen=True)
class IncidentTimings:
    time_to_pause: timedelta | None
    time_to_notice: timedelta | None
    time_to_first_apology: timedelta | None


def incident_timings(timeline: IncidentTimeline) -> IncidentTimings:
    """Durations from detection (or declaration) to pause, notice and first apology."""
    start = timeline.detected_at or timeline.declared_at

    def since(moment: datetime | None) -> timedelta | None:
        return None if moment is None else moment - start

    return IncidentTimings(
        time_to_pause=since(timeline.paused_at),
        time_to_notice=since(timeline.notice_published_at),
        time_to_first_apology=since(timeline.first_apology_at),
    )


@dataclass(frozen=True)
class CaseRecord:
    """One customer's case as the report sees it."""

    case_id: object
    first_contact_at: datetime | None = None
    answered_at: datetime | None = None
    choice: str | None = None
    defaulted: bool = False


@dataclass(frozen=True)
class CaseFigures:
    cases: int
    reached: int
    reached_within_hours: int
    answered: int
    defaulted: int
    by_choice: dict[str, int]
    share_reached_within_hours: float | None
    share_answered: float | None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def case_figures(records: Iterable[CaseRecord], schedule: ContactSchedule) -> CaseFigures:
    """Counts and shares over the cases of one incident.

    "Reached within contact hours": the first message went out while contact was allowed
    (``may_contact``); its share is over all cases, since an unreached customer was not reached
    within hours either.
    """
    rows = list(records)
    reached = [r for r in rows if r.first_contact_at is not None]
    within = sum(
        1
        for r in reached
        if r.first_contact_at is not None and may_contact(schedule, r.first_contact_at)
    )
    answered = sum(1 for r in rows if r.answered_at is not None)
    choices = Counter(r.choice for r in rows if r.choice is not None)
    return CaseFigures(
        cases=len(rows),
        reached=len(reached),
        reached_within_hours=within,
        answered=answered,
        defaulted=sum(1 for r in rows if r.defaulted),
        by_choice=dict(sorted(choices.items())),
        share_reached_within_hours=_share(within, len(rows)),
        share_answered=_share(answered, len(rows)),
    )


def minutes_between(later: datetime | None, earlier: datetime | None) -> float | None:
    """Minutes from ``earlier`` to ``later`` (one decimal), or None if either is unknown."""
    if later is None or earlier is None:
        return None
    return round((later - earlier).total_seconds() / 60, 1)
