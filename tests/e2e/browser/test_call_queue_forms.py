"""The call list's card: the choice form comes before the call log, and a call is logged only
with an outcome the agent picked (no outcome is preselected: "reached" ends the call owed)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from test_pages_access import csrf_of, log_in
from world import World

pytestmark = pytest.mark.e2e


def _card(html: str, case_id: int) -> str:
    found = re.search(rf'<article class="card" id="case-{case_id}">(.*?)</article>', html,
                      re.DOTALL)
    assert found, f"no card for case {case_id}"
    return found.group(1)


def test_the_choice_comes_first_and_no_outcome_is_preselected(client: TestClient,
                                                               world: World) -> None:
    log_in(client, "agent")
    card = _card(client.get("/cs/queue").text, world.cases["이서연"])
    assert card.index("/choice") < card.index("/attempt")
    outcome = re.search(r'<select id="outcome-\d+" name="outcome" required>(.*?)</select>', card,
                        re.DOTALL)
    assert outcome and outcome.group(1).startswith('<option value="">')
    assert " selected" not in outcome.group(1)
    assert "먼저 ‘선택 기록’을 눌러 주세요" in card


def test_a_call_without_an_outcome_is_refused_and_nothing_is_logged(client: TestClient,
                                                                    world: World) -> None:
    log_in(client, "agent")
    case_id = world.cases["이서연"]
    page = client.get("/cs/queue").text
    answer = client.post(f"/cs/cases/{case_id}/attempt",
                         data={"outcome": "", "note": "", "csrf_token": csrf_of(page)})
    assert answer.status_code == 422, answer.text[:300]
    assert 'data-outcome="' not in _card(answer.text, case_id)
