"""An incident timeline's case steps name their cases, so an operator can open them."""

from __future__ import annotations

from datetime import UTC, datetime

from sagwa.services.desk_report import TimelineEntry
from sagwa.web.pages.timeline import timeline_rows

AT = datetime(2026, 12, 5, 14, 29, tzinfo=UTC)


def test_a_case_step_names_its_case_numbers() -> None:
    """Before: a row said only "고객 1명", with no case number or link."""
    entry = TimelineEntry(AT, "agent:agent", "customer.contact_changed", "case", case_count=1,
                       records=1, case_ids=("12",))
    [row] = timeline_rows([entry], "ko")
    assert row.subject == "고객 1명 · #12"
    assert row.case_ids == (12,)
    [row] = timeline_rows([entry], "en")
    assert row.subject == "1 case · #12"


def test_many_cases_are_counted_not_listed() -> None:
    entry = TimelineEntry(AT, "sagwa:deadline", "case.defaulted", "case", case_count=9,
                       records=9, case_ids=tuple(str(i) for i in range(1, 10)))
    [row] = timeline_rows([entry], "ko")
    assert row.subject == "고객 9명" and row.case_ids == ()


def test_a_step_without_case_numbers_reads_as_before() -> None:
    entry = TimelineEntry(AT, "agent:agent", "case.contact_attempted", "case", case_count=1,
                          records=1)
    [row] = timeline_rows([entry], "ko")
    assert row.subject == "고객 1명" and row.case_ids == ()


def test_a_grouped_steps_cases_come_in_number_order_from_the_report() -> None:
    """The page lists ``case_ids`` as ``desk_report`` gives them (it no longer sorts them
    again): 9 before 10, as numbers, not as text."""
    from types import SimpleNamespace

    from sagwa.services.desk_report import _timeline

    records = [SimpleNamespace(occurred_at=AT, actor="op", action="case.notified",
                               entity_type="case", entity_id=case_id, after={})
               for case_id in ("10", "9", "100")]
    [entry] = _timeline(records)
    assert entry.case_ids == ("9", "10", "100")
    [row] = timeline_rows([entry], "en")
    assert row.case_ids == (9, 10, 100) and row.subject == "3 cases · #9, #10, #100"


def test_the_deadline_step_says_until_when_replies_that_came_in_time_are_recorded() -> None:
    """``incident.defaulted`` records the reply window it fixed (``desk_cases.apply_deadline``):
    the page and the plain-text timeline say it in Korea time."""
    from types import SimpleNamespace

    from sagwa.services.desk_report import _timeline

    records = [SimpleNamespace(occurred_at=AT, actor="sagwa:deadline",
                               action="incident.defaulted", entity_type="incident",
                               entity_id="3", after={"cases": 4, "messages": 4, "never_told": 0,
                                                     "replies_until": "2026-12-09T18:00:00+09:00"})]
    [entry] = _timeline(records)
    assert entry.detail == "cases=4, messages=4, replies_until=2026-12-09 18:00"
    [ko] = timeline_rows([entry], "ko")
    [en] = timeline_rows([entry], "en")
    assert ko.detail.endswith("기한까지 온 답장 기록 마감 2026-12-09 18:00")
    assert "replies that came in time recorded until" in en.detail
