"""Where the pages, the CLI and the postmortem name an incident's cancellation, a plan that gives
no points for it (0) has it named a full refund only — "주문 취소(전액 환불)" / "cancel the order
(full refund)" — never "…and compensation points"; a plan with points keeps that name."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from test_desk_messages import plan

from sagwa.cli.incident_format import format_plan, format_status
from sagwa.domain.money import Money
from sagwa.services.desk_report import figure_rows
from sagwa.services.desk_status import IncidentStatusView
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import TEMPLATES, make_templates

CANCEL = "cancel_with_compensation"
FREE = plan(cancel_compensation=Money(0, "KRW"))


def test_a_page_names_an_incidents_cancellation_for_its_plan() -> None:
    page = make_templates().env.from_string('{{ choice | label("choice", plan) }}')
    assert page.render(choice=CANCEL, plan=FREE, lang="ko") == "주문 취소(전액 환불)"
    assert page.render(choice=CANCEL, plan=FREE, lang="en") == "cancel the order (full refund)"
    assert page.render(choice=CANCEL, plan=plan(), lang="en") == (
        "cancel the order (full refund and compensation points)")
    assert page.render(choice=CANCEL, plan=None, lang="ko") == "주문 취소(전액 환불과 보상 포인트)"
    assert label("choice", "keep", "en", FREE) == "keep the order"
    assert label("choice", "not_an_option", "en", FREE) == "not_an_option"


def test_every_template_naming_a_choice_names_it_for_the_plan() -> None:
    """A choice shown without its plan would call a 0-point cancellation "compensation points".
    Only the discount a case cancelled instead of paying is named without one: its name is the
    same under every plan."""
    plan_less = {Path("cs/_cancelled_instead.html")}
    found = {path.relative_to(TEMPLATES) for path in TEMPLATES.rglob("*.html")
             if re.search(r"""label\(\s*["']choice["']\s*\)""", path.read_text())}
    assert found <= plan_less


def _view(choices: dict[str, int], points: int | None) -> IncidentStatusView:
    return IncidentStatusView(
        incident_id=7, status="notifying", listings=[1],
        wrong_price={"amount_minor": 19_900, "currency": "KRW"},
        correct_price={"amount_minor": 199_000, "currency": "KRW"}, responsible="seller",
        cause="typo", opened_at=datetime(2008, 6, 12, 8, tzinfo=UTC), declared_at=None,
        notice_due_at=None, first_notice_at=None, first_pause_at=None,
        first_message_sent_at=None, choices=choices,
        plan={"options": ["keep", CANCEL], "deadline": "2008-06-17T18:00:00+09:00",
              "default": "keep", "seller_share_pct": 60, "platform_share_pct": 40,
              "cancel_compensation": points, "discount_pct": None, "keep_max_units": None})


def test_the_cli_status_names_the_cancellation_for_the_plan() -> None:
    rows = dict(format_status(_view({CANCEL: 2, "keep": 1}, 0)))
    assert "cancel the order (full refund): 2" in rows["choices"]
    assert "compensation: none (cancelling gives a full refund only)" in rows["plan"]
    assert "compensation points" not in rows["choices"] and "0 points" not in rows["plan"]
    given = dict(format_status(_view({CANCEL: 2}, 5_000)))
    assert "cancel the order (full refund and compensation points): 2" in given["choices"]
    assert "compensation: 5,000 points" in format_plan(_view({}, 5_000).plan)


def test_the_postmortem_does_not_call_a_cancellation_without_points_compensated() -> None:
    figures = {"answered": 3, "by_choice": {CANCEL: 2, "keep": 1}}
    free = dict(figure_rows(figures, cancel_points=0))
    assert free["… cancelled for a full refund"] == "2"
    assert not any("compensation" in name for name in free)
    assert dict(figure_rows(figures, cancel_points=5_000))["… cancelled with compensation"] == "2"
