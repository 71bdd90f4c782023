"""In real Chromium: the log-a-call form's call-back time goes with "asked us to call back"
only — the field is disabled (and not sent) for any other outcome and until one is picked, so a
time typed and left behind is not logged nor refused; picking the call-back outcome enables it
and the time is kept (a walkthrough found the field open for every outcome)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from browsing import login
from sqlalchemy import select
from world import PASSWORD

from sagwa.adapters.db.tables import contact_attempts
from sagwa.domain.moments import SEOUL

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.timeout(120)]


def _attempts(site, case_id: int) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    with site.database.session_factory() as session:
        return [(r.outcome, r.callback_at) for r in session.execute(
            select(contact_attempts).where(contact_attempts.c.case_id == case_id)
            .order_by(contact_attempts.c.id))]


def test_the_time_field_opens_only_for_a_call_back_request(page, site) -> None:  # type: ignore[no-untyped-def]
    case_id = site.world.cases["이서연"]  # on the call list: she asked for a person
    login(page, "agent", PASSWORD)
    page.wait_for_url("**/cs/queue")
    page.goto(f"/cs/cases/{case_id}")
    outcome, field = page.locator(f"#outcome-{case_id}"), page.locator(f"#callback-{case_id}")
    assert field.is_disabled()  # no outcome picked yet
    outcome.select_option("callback_requested")
    assert field.is_enabled()
    day = (datetime.now(UTC) + timedelta(days=2)).astimezone(SEOUL)
    at = day.replace(hour=10, minute=0, second=0, microsecond=0)
    field.fill(at.strftime("%Y-%m-%dT%H:%M"))
    outcome.select_option("no_answer")  # changed their mind: the time is left behind
    assert field.is_disabled() and field.input_value() == at.strftime("%Y-%m-%dT%H:%M")
    field.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".finding.error").count() == 0  # not refused: the time was not sent
    assert _attempts(site, case_id) == [("no_answer", None)]
    page.locator(f"#outcome-{case_id}").select_option("callback_requested")
    page.locator(f"#callback-{case_id}").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.locator(f"#callback-{case_id}").locator("xpath=ancestor::form") \
        .locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert _attempts(site, case_id)[-1] == ("callback_requested", at)
    # on the queue too, card by card
    page.goto("/cs/queue")
    selects = page.locator('select[name="outcome"]')
    assert selects.count() >= 1
    for i in range(selects.count()):
        form = selects.nth(i).locator("xpath=ancestor::form")
        assert form.locator('input[name="callback_at"]').is_disabled()
