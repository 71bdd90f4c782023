"""What an agent is told of a refusal is the agents' own sentence for every reason its code
takes (a review found the late-choice sentence lost when the raise gained its reason, so the
agent was told "please contact us")."""

from __future__ import annotations

import pytest

from sagwa.errors import Conflict, LateChoiceRefused
from sagwa.web.pages.contact_centre import AGENT_TEXTS, agent_text


def test_a_late_choice_is_explained_to_the_agent_not_the_customer() -> None:
    refused = LateChoiceRefused("the choice came after the deadline", case_id="3",
                                reason="choice_after_deadline")
    assert agent_text(refused, "en").startswith("The deadline has passed and this incident's "
                                                "plan takes no late choices")
    assert "please contact us" not in agent_text(refused, "en")
    assert agent_text(refused, "ko").startswith("답변 기한이 지났고")


@pytest.mark.parametrize(("code", "reason"), sorted(AGENT_TEXTS, key=str))
def test_every_agent_text_is_reached_by_its_code_and_reason(code: str, reason: str | None) -> None:
    error = Conflict("refused", reason=reason) if reason else Conflict("refused")
    error.code = code  # the lookup is by code and reason only
    assert agent_text(error, "en") == AGENT_TEXTS[(code, reason)][1]
