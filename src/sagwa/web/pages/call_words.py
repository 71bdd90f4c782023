"""How the contact centre's pages word calls: the call spacing as people say it, and what an
agent is told after logging a call (``contact_centre.attempt``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sagwa.domain.call_attempts import (
    BEFORE_CALLBACK,
    CALLBACK_KEPT,
    CALLBACK_REQUESTED,
    OUTSIDE_HOURS,
)
from sagwa.domain.wrong_numbers import WRONG_NUMBER
from sagwa.services.desk_cases import AttemptLogged
from sagwa.services.desk_messages import format_when
from sagwa.services.desk_policy import DeskPolicy
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import seoul


def spacing_words(spacing: timedelta, lang: str) -> str:
    """The policy's ``min_call_spacing`` as people say it: 2시간 / 1시간 30분 / 45분."""
    hours, minutes = divmod(int(spacing.total_seconds() // 60), 60)
    if lang == "ko":
        return " ".join(p for p in (f"{hours}시간" if hours else "",
                                    f"{minutes}분" if minutes or not hours else "") if p)
    return " ".join(p for p in (f"{hours} h" if hours else "",
                                f"{minutes} min" if minutes or not hours else "") if p)


def overdue_words(late: timedelta, lang: str) -> str:
    """How long ago the time promised to the customer passed, in whole hours (in days from two
    days on): 약속 시간 5시간 지남 / 5 hours past the time promised."""
    hours = int(late.total_seconds() // 3600)
    if hours >= 48:
        days = hours // 24
        return f"약속 시간 {days}일 지남" if lang == "ko" else f"{days} days past the time promised"
    if lang == "ko":
        return f"약속 시간 {hours}시간 지남"
    return f"{hours} hour{'' if hours == 1 else 's'} past the time promised"


def attempt_flash(case_id: int, outcome: str, logged: AttemptLogged,
                  policy: DeskPolicy, *, follows_up: bool = False,
                  has_phone: bool = True) -> tuple[str, str]:
    """What the agent is told after logging a call (Korean, English): the outcome, and what it
    did to the call owed — made, given up (and whether the customer is sent the message saying
    so), or not counted towards the tries as it came too soon after the last counted one
    (``AttemptLogged``; times in Korea time); and when the customer asked to be called back
    (:func:`callback_words`; ``follows_up``: the case owes the discount's difference; without
    a time, where the case waits for the call back — nowhere, for a customer with no phone
    number on file: ``has_phone``); for a wrong number, that no text goes to it any more and to
    save the right one. The form sent again (``logged.repeat``) says the call was already
    logged and nothing new was, then what the first one did."""
    ko, en = logged_words(case_id, outcome, repeat=logged.repeat)
    if outcome == WRONG_NUMBER and has_phone:  # desk_cases marked it (domain.wrong_numbers)
        # what a new number does: the texts withdrawn now, or sent to this number, go to it
        # where still owed (``desk_resend.resend_to_new_number``)
        ko += (" 이 번호를 잘못된 번호로 표시했습니다. 기다리던 문자는 거둬들이고, 이 번호로는 더 이상 "
               "문자를 보내지 않습니다. 고객의 맞는 번호를 알게 되면 연락처에 저장해 주세요. 그 뒤의 "
               "전화와 문자는 그 번호로 가고, 이 번호 때문에 전하지 못한 안내 가운데 아직 필요한 것은 "
               "그 번호로 다시 보냅니다.")
        en += (" The number is marked wrong: no text message goes to this number any more "
               "(those waiting are withdrawn). Once you know the customer's right number, save "
               "it in the contact details: later calls and texts go to it, and the texts this "
               "number kept from the customer that are still owed are sent to it again.")
    tries = policy.max_call_attempts
    since_ko, since_en = (("새 번호로", "at the new number") if logged.at_new_number
                          else ("기한 뒤", "since the deadline"))
    if logged.gave_up and logged.no_phone:
        ko += (" 이 고객은 전화번호가 없어 다시 전화드릴 수 없으므로 ‘연락 안 됨’으로 다시 기록하고 "
               "목록에서 뺐습니다. 번호를 알려 주시면 연락처에 저장해 주세요. 다시 목록에 오릅니다.")
        en += (" This customer has no phone number, so nobody can call them back: recorded "
               "again as could not be reached, off the list. If they give you a number, save "
               "it in the contact details: they go back on the list.")
    elif logged.gave_up:
        ko += (f" {since_ko} {tries}번 시도해도 연결되지 않아 ‘연락 안 됨’으로 기록하고 목록에서 "
               "뺐습니다. 주문은 기본 처리대로 둡니다.")
        en += (f" After {tries} tries {since_en} the customer is recorded as could not "
               "be reached and leaves the list; the orders stay as the default left them.")
        if logged.message_queued:
            ko += " 고객에게는 전화로 연락드리지 못했다는 안내 메시지를 연락 가능 시간에 보냅니다."
            en += (" The customer is sent a message saying we could not reach them by phone "
                   "(within contact hours).")
    elif logged.too_soon:
        spacing_ko, spacing_en = (spacing_words(policy.min_call_spacing, lang)
                                  for lang in ("ko", "en"))
        when = seoul(logged.counts_from)
        ko += (f" 다만 이 통화는 {since_ko} 시도 횟수(최대 {tries}회)에 넣지 않았습니다. 횟수에 넣은 "
               f"마지막 통화 뒤 아직 {spacing_ko}이 지나지 않았기 때문입니다. {when}(한국 시간)"
               "부터 거는 전화는 다시 횟수에 넣습니다.")
        en += (f" Not counted towards the {tries} tries: less than {spacing_en} after the last "
               f"counted one; calls count again from {when} (Korea time).")
    elif logged.not_counted == OUTSIDE_HOURS and logged.counts_again_at is not None:
        opens = seoul(logged.counts_again_at)
        ko += (f" 다만 연락 가능 시간 밖의 통화라 {since_ko} 시도 횟수(최대 {tries}회)에 넣지 "
               f"않았습니다. 지금은 고객께 전화하지 마세요. 다음 연락 가능 시간은 {opens}(한국 "
               "시간)입니다.")
        en += (f" Not counted towards the {tries} tries: the contact centre is closed, and "
               f"customers are not to be called now. It opens again at {opens} (Korea time).")
    elif logged.not_counted == BEFORE_CALLBACK and logged.counts_again_at is not None:
        asked = (format_when(logged.counts_again_at, "ko"),
                 format_when(logged.counts_again_at, "en"))
        ko += (f" 고객이 다시 전화해 달라고 한 시간({asked[0]}) 전의 통화라 시도 횟수에 넣지 "
               "않았습니다. 그 시간에 전화해 주세요.")
        en += (f" This call came before the time the customer asked to be called back at "
               f"({asked[1]}): not counted towards the tries. Call them then.")
    elif logged.made_call:
        ko += " 약속한 전화를 마쳤습니다. 고객이 방법을 골랐다면 이 화면에서 기록해 주세요."
        en += " The call owed is made. If the customer chose, record their choice on this page."
    if logged.before_call_time is not None:
        ko += (f" 고객이 고른 통화 시간({format_when(logged.before_call_time, 'ko')}) 전의 통화라 시도 "
               "횟수에 넣지 않았습니다. 고객에게는 그 전에는 전화하지 않는다고 안내했습니다.")
        en += (" This call came before the time the customer picked "
               f"({format_when(logged.before_call_time, 'en')}): not counted towards the "
               "tries. They were told we would not call before then.")
    if logged.callback_at is not None:
        cb_ko, cb_en = callback_words(logged, follows_up=follows_up)
        ko, en = f"{ko} {cb_ko}", f"{en} {cb_en}"
    elif outcome == CALLBACK_REQUESTED and logged.gave_up:
        pass  # given up at once for want of a number: said above
    elif outcome == CALLBACK_REQUESTED and not has_phone:
        ko += (" 이 고객은 전화번호가 없어 다시 전화드릴 수 없습니다. 번호를 알려 주시면 연락처에 "
               "저장해 주세요. 그래야 통화 목록에 오릅니다.")
        en += (" This customer has no phone number, so nobody can call them back: if they "
               "give you one, save it in the contact details — then the case goes on the "
               "call list.")
    elif outcome == CALLBACK_REQUESTED and not follows_up:
        days = CALLBACK_KEPT.days
        ko += (" 고객이 시간을 정하지 않았으므로 다시 전화할 때까지 통화 목록에 둡니다"
               f"(최대 {days}일).")
        en += (" The customer named no time, so the case stays on the call list until someone "
               f"calls back (up to {days} days).")
    return ko, en


def logged_words(case_id: int, outcome: str, *, repeat: bool) -> tuple[str, str]:
    """The flash's first sentence (Korean, English): the call is logged — or, for the same
    form sent again (a double click, Back and send), that it already was and nothing new was
    logged (as a choice sent twice says it was already recorded)."""
    said_ko, said_en = (label("outcome", outcome, lang) for lang in ("ko", "en"))
    if repeat:
        ko = (f"#{case_id} 이 통화는 이미 기록되어 있습니다: {said_ko}. 같은 양식이 다시 전송되어 새로 "
              "기록한 것은 없습니다.")
        en = (f"#{case_id}: this call was already logged: {said_en}; the same form was sent "
              "again, so nothing new was logged.")
        return ko, en
    return f"#{case_id} 통화 기록: {said_ko}.", f"#{case_id} call logged: {said_en}."


def callback_words(logged: AttemptLogged, *, follows_up: bool = False) -> tuple[str, str]:
    """When the customer asked to be called back (Korean, English; Korea time) and where the
    case comes back then: the call list (``call_list_sql.callback_pending``), or, for a case
    owing the discount's difference (``follows_up``), the list of differences to follow up
    (:func:`follow_up_flash` says so). And what the agent should know: the contact centre is
    closed then (the customer's time is kept all the same), or the time is after the answer
    deadline of a case still waiting for the customer's choice."""
    assert logged.callback_at is not None
    when_ko, when_en = (format_when(logged.callback_at, lang) for lang in ("ko", "en"))
    ko = f"고객이 정한 {when_ko}(한국 시간)에 다시 전화해 주세요."
    en = f"Call the customer back at the time they named: {when_en}."
    if not follows_up:
        ko += " 그때 통화 목록 맨 위에 올라오고, 그 전에는 목록 아래쪽에 있습니다."
        en += (" The case goes to the top of the call list then, and stays below the others "
               "until then.")
    if logged.callback_in_hours is False:
        ko += " 이 시간은 고객센터 운영 시간이 아닙니다. 그 시간에 전화할 사람을 정해 두세요."
        en += (" That is outside the contact centre's hours: make sure someone is there to "
               "call.")
    if logged.callback_after_deadline:
        ko += (" 이 시간은 답변 기한 뒤입니다. 그때는 고객이 더 이상 고를 수 없고 기본 처리가 적용되어 "
               "있으니, 가능하면 기한 전으로 다시 정해 주세요.")
        en += (" That is after the answer deadline: by then the customer can no longer choose "
               "and the default has applied, so agree on a time before it if you can.")
    return ko, en


def follow_up_flash(due_at: datetime, lang: str) -> str:
    """What an agent is told after logging a contact on a case owing the discount's difference:
    when it comes back to the list of differences to follow up (Korea time)."""
    if lang == "ko":
        return (f" 차액이 아직 결제되지 않아 {seoul(due_at)}(한국 시간)에 ‘차액 결제를 기다리는 "
                "고객’ 목록에 다시 오릅니다.")
    return (f" The difference is still unpaid: the case comes back to the list of unpaid "
            f"differences on {seoul(due_at, lang='en')}.")
