"""A confirmation promised "상담원이 말씀하신 내용을 기록해 담당자에게 전달해 드립니다" / "one of
our staff will note what you tell them and pass it on", but a logged note is passed on to no
one. It now says what does happen, as the agent's call script does: what the customer says is
noted, and we contact them again if anything needs following up. Each wording passes the
message check."""

from __future__ import annotations

import pytest
from test_desk_messages import chosen, confirmation, plan

PASSED_ON = {"ko": "담당자에게 전달", "en": "pass it on"}
NOTED = {"ko": "말씀하신 내용은 기록해 두고, 필요하면 저희가 다시 연락드리겠습니다.",
         "en": "we will note what you tell us and contact you again if anything needs "
               "following up."}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("choice", ["keep", "cancel_with_compensation",
                                    "buy_at_correct_price_discount"])
def test_a_confirmation_promises_only_what_happens(lang: str, choice: str) -> None:
    the_plan = plan()
    text = confirmation(chosen(choice, the_plan), the_plan, lang)  # passes the check
    assert PASSED_ON[lang] not in text
    assert NOTED[lang] in text
