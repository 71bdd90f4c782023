"""The agents' lookup marks a case whose call waits for a time — named on a call, or picked
by the customer on their page — with that time, whether the case is owed a call or only on the
queue for the call-back; the call queue's own rule decides which cases (a case whose call-back
has gone stale, or whose customer has chosen since, is not marked)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from test_pages_access import log_in
from world import POLICY, World

from sagwa.services import desk_cases
from sagwa.services.customer_call_time import set_call_time
from sagwa.services.desk_messages import format_when
from sagwa.testing.deadlines import open_hour_after

pytestmark = pytest.mark.e2e


def _row(client: TestClient, case_id: int, lang: str = "en") -> str:
    answer = client.get("/cs/cases", params={"q": f"#{case_id}", "lang": lang})
    assert answer.status_code == 200, answer.text[:500]
    found = re.search(rf'<tr data-case="{case_id}">.*?</tr>', answer.text, re.DOTALL)
    assert found, answer.text[:2000]
    return unescape(found.group(0))


def _call_time(row: str) -> datetime | None:
    found = re.search(r'data-call-time="([^"]+)"', row)
    return datetime.fromisoformat(found.group(1)) if found else None


def _in_two_days_at(hour: int) -> datetime:
    """``hour``:00 two days ahead or later, when the centre is open (a customer's pick at a
    closed hour — Sunday, a holiday, Saturday afternoon — is refused)."""
    return open_hour_after(datetime.now(UTC) + timedelta(days=1), hour)


def test_a_time_named_on_a_call_or_picked_on_the_page_is_shown(client: TestClient,
                                                               world: World) -> None:
    log_in(client, "agent")
    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    asked = world.cases["이서연"]  # asked for a person: owed a call
    assert "data-call-time" not in _row(client, asked)
    named = _in_two_days_at(15)
    desk_cases.log_call_attempt(uow(), case_id=asked, channel="phone",
                                outcome="callback_requested", agent="agent:park",
                                policy=POLICY, callback_at=named)
    row = _row(client, asked)
    assert "data-on-call-list" in row
    assert _call_time(row) == named
    assert f"call on {format_when(named, 'en')}" in row
    assert f"전화할 시간: {format_when(named, 'ko')}" in _row(client, asked, "ko")
    picked = _in_two_days_at(11)  # then, on her page, another time: that one
    set_call_time(uow(), case_id=asked, call_at=picked, policy=POLICY)
    assert _call_time(_row(client, asked)) == picked


def test_a_call_back_on_a_case_owed_no_call_is_shown_until_the_customer_chooses(
        client: TestClient, world: World) -> None:
    log_in(client, "agent")
    uow = client.app.state.uow_factory  # type: ignore[attr-defined]
    told = world.cases["김민준"]  # told, not answered yet: owed no call
    named = _in_two_days_at(10)
    desk_cases.log_call_attempt(uow(), case_id=told, channel="phone",
                                outcome="callback_requested", agent="agent:park",
                                policy=POLICY, callback_at=named)
    row = _row(client, told)
    assert "data-on-call-list" not in row  # no call owed: on the queue for the call-back only
    assert _call_time(row) == named
    desk_cases.record_choice(uow(), case_id=told, choice="keep", channel="web",
                             evidence="pressed", taken_by="customer", policy=POLICY)
    assert "data-call-time" not in _row(client, told)  # chose since asking: nothing to call
