"""``sagwa incident status`` and ``list`` say who still owes the discount's difference and what
they owe in all: a case that took the discount and has not paid counts as resolved, but its
items are held — the table must not leave it at a plain "resolved"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from rich.console import Console

from sagwa.cli.incident_format import (
    format_cases_by_status,
    format_differences_unpaid,
    format_incident_table,
    format_owed,
    format_status,
)
from sagwa.services.desk_status import IncidentStatusView

KRW = "KRW"


def _view(**owed: object) -> IncidentStatusView:
    return IncidentStatusView(
        incident_id=7, status="closed", listings=[1],
        wrong_price={"amount_minor": 19_900, "currency": KRW},
        correct_price={"amount_minor": 199_000, "currency": KRW}, responsible="seller",
        cause="typo", opened_at=datetime(2008, 6, 12, 8, tzinfo=UTC), declared_at=None,
        notice_due_at=None, first_notice_at=None, first_pause_at=None,
        first_message_sent_at=None, cases_by_status={"resolved": 5, "defaulted": 1},
        **owed)  # type: ignore[arg-type]


def test_the_resolved_count_says_how_many_still_owe_a_difference() -> None:
    assert format_cases_by_status({"resolved": 5, "defaulted": 1}, 2) == (
        "resolved: 5 (2 still owe a difference)\ndefaulted: 1")
    assert format_cases_by_status({"resolved": 5}, 1) == "resolved: 5 (1 still owes a difference)"
    assert format_cases_by_status({"resolved": 5}, 0) == "resolved: 5"
    assert format_cases_by_status({}, 0) == "—"


def test_the_differences_unpaid_row_gives_the_total_owed_in_won() -> None:
    total = {"amount_minor": 557_200, "currency": KRW}
    assert format_differences_unpaid(2, total) == (
        "2 cases owe 557,200 KRW in all (items held until it is paid)")
    assert format_differences_unpaid(1, {"amount_minor": 278_600, "currency": KRW}).startswith(
        "1 case owes 278,600 KRW in all")
    assert format_differences_unpaid(0, {"amount_minor": 0, "currency": KRW}) == "0"


def test_the_status_table_shows_the_count_and_the_total_in_their_rows() -> None:
    rows = dict(format_status(_view(differences_unpaid=2, differences_unpaid_total={
        "amount_minor": 557_200, "currency": KRW})))
    assert rows["cases by status"] == "resolved: 5 (2 still owe a difference)\ndefaulted: 1"
    assert rows["differences unpaid"].startswith("2 cases owe 557,200 KRW in all")
    assert "differences unpaid total" not in rows  # said in the row above, not a dict of its own
    quiet = dict(format_status(_view()))
    assert (quiet["cases by status"], quiet["differences unpaid"]) == (
        "resolved: 5\ndefaulted: 1", "0")


def _summary(**owed: object) -> dict[str, object]:
    return {"id": 3, "status": "closed", "listings": [1], "listing_details": [],
            "wrong_price": {"amount_minor": 19_900, "currency": KRW},
            "correct_price": {"amount_minor": 199_000, "currency": KRW},
            "declared_at": "2008-06-12T08:30:00+00:00", "cases": 6, "answered": 5, **owed}


def test_a_closed_incident_in_the_list_shows_the_differences_still_owed() -> None:
    owing = _summary(differences_unpaid=2,
                     differences_unpaid_total={"amount_minor": 557_200, "currency": KRW})
    assert format_owed(owing) == "557,200 KRW\n2 cases"
    assert format_owed(_summary(differences_unpaid=1, differences_unpaid_total={
        "amount_minor": 278_600, "currency": KRW})) == "278,600 KRW\n1 case"
    assert format_owed(_summary(differences_unpaid=0, differences_unpaid_total={
        "amount_minor": 0, "currency": KRW})) == "—"
    console = Console(width=200, record=True)
    console.print(format_incident_table([owing]))
    shown = " ".join(re.sub("[\u2500-\u257f]", " ", console.export_text()).split())
    assert "differences unpaid" in shown
    assert shown.endswith("3 closed 1 19,900 KRW → 199,000 KRW 2008-06-12 17:30 KST 6 5 "
                          "557,200 KRW 2 cases")


def test_points_in_a_result_table_are_grouped_and_ids_are_not(capsys) -> None:  # type: ignore[no-untyped-def]
    from sagwa.cli.incident_format import print_result

    print_result({"case_id": 12345, "compensation_points": 5000, "changed": True}, "table", "t")
    shown = capsys.readouterr().out
    assert "5,000" in shown and "12345" in shown and "12,345" not in shown
    assert "True" in shown
