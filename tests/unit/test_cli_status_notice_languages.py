"""``sagwa incident status`` says when the notice was up in every language it must be in (the
moment its SLA is measured at) and which languages it still lacks, beside the first notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sagwa.cli.incident_format import format_status
from sagwa.services.desk_status import IncidentStatusView

DECLARED = datetime(2008, 6, 12, 8, 30, tzinfo=UTC)


def _view(**notice: object) -> IncidentStatusView:
    return IncidentStatusView(
        incident_id=7, status="scoped", listings=[1],
        wrong_price={"amount_minor": 19_900, "currency": "KRW"},
        correct_price={"amount_minor": 199_000, "currency": "KRW"}, responsible="seller",
        cause="typo", opened_at=DECLARED, declared_at=DECLARED,
        notice_due_at=DECLARED + timedelta(hours=1), first_notice_at=DECLARED,
        first_pause_at=None, first_message_sent_at=None, **notice)  # type: ignore[arg-type]


def test_an_english_notice_alone_leaves_the_korean_one_missing() -> None:
    labels = [label for label, _ in format_status(_view(notice_languages_missing=["ko"]))]
    at = labels.index("first notice at")
    assert labels[at + 1:at + 3] == ["required notice at", "notice languages missing"]
    rows = dict(format_status(_view(notice_languages_missing=["ko"])))
    assert rows["first notice at"] == "2008-06-12 17:30 KST (0 min after declaring)"
    assert (rows["required notice at"], rows["notice languages missing"]) == ("—", "Korean")


def test_the_notice_in_every_language_is_timed_from_the_declaration() -> None:
    rows = dict(format_status(_view(required_notice_at=DECLARED + timedelta(minutes=90))))
    assert rows["required notice at"] == "2008-06-12 19:00 KST (1 h 30 min after declaring)"
    assert rows["notice languages missing"] == "none"
