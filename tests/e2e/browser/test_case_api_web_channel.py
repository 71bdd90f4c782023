"""A choice sent by staff over the API with the channel "web": refused, as "web" is the
customer's own click on their page."""

from __future__ import annotations

import pytest
from world import World

pytestmark = pytest.mark.e2e


def test_an_agent_cannot_send_a_choice_as_the_customers_web_click(
        client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    """Before the mend POST /api/cases/3/choice with an agent token and {"choice": "keep",
    "channel": "web", "evidence": "clicked"} answered 200 with "choice_channel": "web", and the
    case page showed it as the customer's own click."""
    agent, case_id = client_for("agent"), world.cases["김민준"]
    answer = agent.post(f"/api/cases/{case_id}/choice", json={
        "choice": "keep", "channel": "web", "evidence": "clicked"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["details"]["reason"] == "web_channel_is_the_customers"
    assert agent.get(f"/api/cases/{case_id}").json()["choice"] is None


def test_a_reply_is_sent_with_when_it_reached_us_and_a_call_is_refused_one(
        client_for, world: World) -> None:  # type: ignore[no-untyped-def]
    """``said_at``: when a reply by email or text reached us (it counts for the deadline when
    it came); a time on a phone choice, or without its zone, is refused, and nothing is
    recorded."""
    from datetime import UTC, datetime, timedelta

    agent, case_id = client_for("agent"), world.cases["김민준"]
    refused = agent.post(f"/api/cases/{case_id}/choice", json={
        "choice": "keep", "channel": "phone", "evidence": "고객이 전화로 유지",
        "said_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat()})
    assert refused.status_code == 422, refused.text
    assert refused.json()["details"]["reason"] == "said_at_not_a_reply"
    zoneless = agent.post(f"/api/cases/{case_id}/choice", json={
        "choice": "keep", "channel": "email", "evidence": "답장: 그냥 받을게요",
        "said_at": "2026-12-01T10:00:00"})
    assert zoneless.status_code == 422, zoneless.text
    assert agent.get(f"/api/cases/{case_id}").json()["choice"] is None
    answer = agent.post(f"/api/cases/{case_id}/choice", json={
        "choice": "keep", "channel": "email", "evidence": "답장: 그냥 받을게요",
        "said_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat()})
    assert answer.status_code == 200, answer.text
    assert answer.json()["choice"] == "keep"
