"""What the agent is told after logging a wrong number: the number's texts are withdrawn, and a
right number saved takes later calls and texts — and the texts this number kept from the
customer, where still owed (``desk_resend.resend_to_new_number``; an earlier flash said they
were not sent again, which was then true)."""

from __future__ import annotations

from sagwa.services.desk_cases import AttemptLogged
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.call_words import attempt_flash


def test_the_wrong_number_flash_says_what_a_right_number_does() -> None:
    ko, en = attempt_flash(7, "wrong_number", AttemptLogged(1, made_call=False, gave_up=False),
                           load_desk_policy())
    assert "이 번호 때문에 전하지 못한 안내 가운데 아직 필요한 것은 그 번호로 다시 보냅니다" in ko
    assert "거둬들인 문자는 다시 보내지 않으니" not in ko
    assert "later calls and texts go to it" in en
    assert "still owed are sent to it again" in en
