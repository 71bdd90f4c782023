"""What the call script says aloud to a customer, without the desk's internal words."""

from __future__ import annotations

from sagwa.services.desk_cause import APPROVED
from sagwa.web.pages.call_card import spoken_cause


def test_the_script_says_an_approved_hold_plainly() -> None:
    """Before: the agent read "저희 자동 검증은 이 가격을 보류했지만 저희 담당자가 승인했습니다"
    to the customer — the desk's name for its guard, not words a customer knows."""
    cause = f"판매자가 가격을 잘못 입력했습니다. {APPROVED['ko']}"
    said = spoken_cause(cause, "ko")
    assert "자동 검증" not in said and said.startswith("판매자가 가격을 잘못 입력했습니다. ")
    # The same fact as the written messages: held, then approved by a person (the customer's
    # email and the notice say so; a tester heard the softer "we did not catch it" on the phone).
    assert "승인했습니다" in said and "걸러내지 못했" not in said
    english = spoken_cause(f"The seller typed it wrong. {APPROVED['en']}", "en")
    assert "automatic check" not in english and "did not catch" not in english
    assert "approved it" in english


def test_a_cause_without_the_approval_is_said_as_it_is() -> None:
    assert spoken_cause("판매자가 가격을 잘못 입력했습니다.", "ko") == "판매자가 가격을 잘못 입력했습니다."
