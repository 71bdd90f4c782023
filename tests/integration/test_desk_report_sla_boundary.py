"""The postmortem and the incident page agree on the notice SLA at its edge (found by a review):
a notice 60 min 2 s after the declaration, against 60 minutes, is late on both — the report's
minutes are rounded for reading, met or missed is decided on the exact times."""

# ruff: noqa: F811  (the tests take test_desk's ``shop`` fixture, imported below, by name)
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from test_desk import POLICY, _declared, shop  # noqa: F401

from sagwa.services import notices
from sagwa.services.desk_report import build_report, figure_rows
from sagwa.services.desk_status import incident_status
from sagwa.web.pages.incident_context import _clocks

SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(("second", "late", "shown"), [
    (0, False, "60 min (within the SLA)"),      # declared 17:30:00, published 18:30:00
    (2, True, "60.0 min (**SLA missed**)"),      # 18:30:02
])
def test_a_notice_seconds_past_its_sla_is_late_on_the_page_and_in_the_report(
        shop, second: int, late: bool, shown: str) -> None:
    uow, clock, listing_id, _people, _ = shop
    incident_id = _declared(uow, clock, listing_id)
    clock.now = datetime(2008, 6, 12, 18, 30, second, tzinfo=SEOUL)
    title, body = notices.draft_notice(uow(), incident_id=incident_id, lang="ko", policy=POLICY)
    notices.publish_notice(uow(), incident_id=incident_id, lang="ko", title=title, body=body,
                           actor="operator:lee")
    status = incident_status(uow(), incident_id=incident_id, policy=POLICY)
    with uow() as u:
        start = u.incidents.get(incident_id).incident.window_start
    assert _clocks(status, start, POLICY, clock.now)["notice_late"] is late
    report = build_report(uow(), incident_id=incident_id, policy=POLICY)
    assert report.figures["notice_sla_met"] is (not late)
    assert ("declared → public notice", shown) in figure_rows(report.figures)
