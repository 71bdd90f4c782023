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
