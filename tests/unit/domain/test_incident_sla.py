"""Service-level figures for the incident report: notice SLA, timings, case figures."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sagwa.domain.contact_hours import ContactSchedule
from sagwa.domain.sla import (
    CaseRecord,
    IncidentTimeline,
    case_figures,
    incident_timings,
    notice_due_at,
    notice_overdue,
)

KST = ZoneInfo("Asia/Seoul")
DECLARED = datetime(2008, 6, 12, 17, 30, tzinfo=KST)
SCHEDULE = ContactSchedule.from_mapping(
    {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": None, "sun": None}
)


def test_notice_is_due_an_hour_after_declaration_by_default() -> None:
    assert notice_due_at(DECLARED) == datetime(2008, 6, 12, 18, 30, tzinfo=KST)
    assert notice_due_at(DECLARED, timedelta(minutes=15)) == DECLARED + timedelta(minutes=15)


def test_notice_overdue_when_missing_after_the_sla_or_published_late() -> None:
    due = notice_due_at(DECLARED)
    assert not notice_overdue(DECLARED, due)
    assert notice_overdue(DECLARED, due + timedelta(seconds=1))
    # 2008: the notice came two days later.
    assert notice_overdue(DECLARED, due, published_at=DECLARED + timedelta(days=2))
    assert not notice_overdue(
        DECLARED, DECLARED + timedelta(days=9), published_at=DECLARED + timedelta(minutes=40)
    )


def test_timings_run_from_detection_or_declaration() -> None:
    timeline = IncidentTimeline(
        declared_at=DECLARED,
        detected_at=DECLARED - timedelta(minutes=10),
        paused_at=DECLARED,
        notice_published_at=DECLARED + timedelta(minutes=50),
    )
    timings = incident_timings(timeline)
    assert timings.time_to_pause == timedelta(minutes=10)
    assert timings.time_to_notice == timedelta(minutes=60)
    assert timings.time_to_first_apology is None
    assert incident_timings(IncidentTimeline(DECLARED, paused_at=DECLARED)).time_to_pause == (
        timedelta(0)
    )


def test_case_figures_count_reach_answers_and_choices() -> None:
    friday_9 = datetime(2008, 6, 13, 9, 0, tzinfo=KST)
    thursday_night = datetime(2008, 6, 12, 22, 0, tzinfo=KST)
    records = [
        CaseRecord("a", first_contact_at=friday_9, answered_at=friday_9, choice="keep"),
        CaseRecord("b", first_contact_at=friday_9, answered_at=friday_9, choice="keep"),
        CaseRecord(
            "c",
            first_contact_at=thursday_night,
            answered_at=friday_9,
            choice="cancel_with_compensation",
        ),
        CaseRecord("d", first_contact_at=friday_9, defaulted=True),
        CaseRecord("e"),
    ]
    figures = case_figures(records, SCHEDULE)
    assert (figures.cases, figures.reached, figures.reached_within_hours) == (5, 4, 3)
    assert (figures.answered, figures.defaulted) == (3, 1)
    assert figures.by_choice == {"cancel_with_compensation": 1, "keep": 2}
    assert figures.share_reached_within_hours == 0.6
    assert figures.share_answered == 0.6


def test_no_cases_gives_no_shares() -> None:
    figures = case_figures([], SCHEDULE)
    assert figures.cases == 0 and figures.share_answered is None


def test_the_postmortem_figures_read_as_sentences_with_units_and_the_notice_sla() -> None:
    """No Python dict or bare fraction in the postmortem: one row per choice, shares as percent,
    the notice measured against its SLA (met, missed, or not published)."""
    from sagwa.services.desk_report import figure_rows

    rows = dict(figure_rows({"cases": 6, "minutes_to_notice": 95.0, "notice_sla_minutes": 60,
                             "share_answered": 0.1667,
                             "by_choice": {"keep": 1, "cancel_with_compensation": 3}}))
    assert rows["declared → public notice"] == "95 min (**SLA missed**)"
    assert rows["… share of cases"] == "16.7%"
    assert rows["… cancelled with compensation"] == "3" and rows["… kept the order"] == "1"
    assert not any("{" in value for value in rows.values())
    on_time = dict(figure_rows({"minutes_to_notice": 42.0, "notice_sla_minutes": 60}))
    assert on_time["declared → public notice"] == "42 min (within the SLA)"
    none = dict(figure_rows({"minutes_to_notice": None, "notice_sla_minutes": 60}))
    assert none["declared → public notice"] == "— (no notice published)"


def test_timeline_details_show_seoul_times_and_leave_out_empty_facts() -> None:
    from sagwa.services.desk_report import TimelineEntry

    entry = TimelineEntry(datetime(2008, 6, 12, 8, 30, tzinfo=ZoneInfo("UTC")), "op", "incident.planned",
                          "incident", "1", {"reason": None, "deadline": "2008-06-17T09:00:00+00:00",
                                            "status": "planned"})
    assert entry.detail == "deadline=2008-06-17 18:00, status=planned"


def test_the_choice_rows_under_answered_add_up_to_it() -> None:
    """"customers who answered 2" is followed by the answering choices only; a customer who
    asked for a person and has not chosen yet is a row of its own, not indented under it."""
    from sagwa.services.desk_report import figure_rows

    rows = figure_rows({"answered": 2, "share_answered": 0.5,
                        "by_choice": {"cancel_with_compensation": 2, "talk_to_person": 1}})
    assert rows == [("customers who answered", "2"), ("… share of cases", "50.0%"),
                    ("… cancelled with compensation", "2"),
                    ("customers who asked for a person (no choice yet)", "1")]
    under = [int(v) for k, v in rows[1:] if k.startswith("…") and v.isdigit()]
    assert sum(under) == 2
