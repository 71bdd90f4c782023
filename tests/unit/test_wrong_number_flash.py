"""What the agent is told after logging a wrong number: the number's texts are withdrawn, and a
right number saved takes later calls and new texts — not the texts withdrawn now (a CS walk read
"그 번호로 다시 전화하고 문자를 보냅니다" and saw the withdrawn apology never sent)."""

from __future__ import annotations

from sagwa.services.desk_cases import AttemptLogged
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.call_words import attempt_flash


def test_the_wrong_number_flash_promises_no_resend() -> None:
    ko, en = attempt_flash(7, "wrong_number", AttemptLogged(1, made_call=False, gave_up=False),
                           load_desk_policy())
    assert "거둬들인 문자는 다시 보내지 않으니, 그 안내는 통화로 전해 주세요" in ko
    assert "다시 전화하고 문자를 보냅니다" not in ko
    assert "later calls and new texts go to it" in en
    assert "The texts withdrawn now are not sent again" in en
