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
