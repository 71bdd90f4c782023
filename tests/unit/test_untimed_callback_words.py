"""What the agent is told after logging "asked us to call back" without a time
(``call_words.attempt_flash``): the case stays on the call list until someone calls back — but
only where it does: not for a customer with no phone number (nobody can call; the agent is told
to save the number they give), and not twice over a give-up already said (a review found the
flash saying "off the list" and "stays on the call list" at once)."""

from __future__ import annotations

from sagwa.services.desk_cases import AttemptLogged
from sagwa.services.desk_policy import load_desk_policy
from sagwa.web.pages.call_words import attempt_flash

POLICY = load_desk_policy()
ASKED = AttemptLogged(attempt_id=1, made_call=False, gave_up=False)


def test_with_a_phone_the_case_stays_on_the_call_list() -> None:
    ko, en = attempt_flash(7, "callback_requested", ASKED, POLICY)
    assert "통화 목록에 둡니다(최대 7일)" in ko
    assert "stays on the call list until someone calls back (up to 7 days)" in en


def test_without_a_phone_the_agent_is_told_to_save_the_number_not_that_it_is_listed() -> None:
    ko, en = attempt_flash(7, "callback_requested", ASKED, POLICY, has_phone=False)
    assert "stays on the call list" not in en and "통화 목록에 둡니다" not in ko
    assert "has no phone number, so nobody can call them back" in en
    assert "save it in the contact details" in en and "연락처에 저장해 주세요" in ko


def test_a_give_up_for_want_of_a_number_is_said_once() -> None:
    gave_up = AttemptLogged(attempt_id=1, made_call=False, gave_up=True, no_phone=True)
    ko, en = attempt_flash(7, "callback_requested", gave_up, POLICY, has_phone=False)
    assert "stays on the call list" not in en and "통화 목록에 둡니다" not in ko
    assert en.count("no phone number") == 1


def test_a_difference_owed_is_followed_up_on_its_own_list_not_said_here() -> None:
    ko, en = attempt_flash(7, "callback_requested", ASKED, POLICY, follows_up=True)
    assert "stays on the call list" not in en and "통화 목록에 둡니다" not in ko
