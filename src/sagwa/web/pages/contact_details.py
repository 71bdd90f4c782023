"""The agent corrects a customer's email or phone number from the case page (a customer who
rang in with a number the desk never had, or an address that is no longer theirs):
``services.customer_contact`` stores it and says what it changed, which the agent is told."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.catalog import KEEP, Keep
from sagwa.errors import SagwaError
from sagwa.services.customer_contact import (
    ContactChanged,
    change_customer_contact,
    customer_of_case,
)
from sagwa.services.desk_policy import DeskPolicy
from sagwa.web.access import PageAccess
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.contact_centre import refused_form
from sagwa.web.pages.error_texts import FormProblem, PageRoute
from sagwa.web.pages.rendering import flash_in_lang
from sagwa.web.pages.session import Agent, csrf_protect

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)

#: The longest note the contact form takes (why the details changed).
MAX_NOTE = 500
_DETAIL = {"email": ("이메일", "email"), "phone": ("전화번호", "phone number")}
_HOW = {"added": ("추가", "added"), "changed": ("변경", "changed"), "removed": ("삭제", "removed")}


def contact_flash(case_id: int, done: ContactChanged) -> tuple[str, str]:
    """What the agent is told after saving (Korean, English): which details changed, to what
    (to read back to the customer: a typo shows), and what that did — messages sent to the new address or number, or withdrawn and how many of those
    go by the other channel instead (``desk_resend``), calls owed again,
    calls given up for want of a number."""
    if not done.changed:
        return (f"#{case_id} 고객 연락처가 이미 그대로입니다. 바뀐 것은 없습니다.",
                f"#{case_id}: the customer's details were already these; nothing changed.")
    now = {"email": done.customer.email, "phone": done.customer.phone}
    ko = f"#{case_id} 고객 연락처를 고쳤습니다: " + ", ".join(
        f"{_DETAIL[d][0]} {_HOW[how][0]}" + (f" ({now[d]})" if now[d] else "")
        for d, how in done.changed.items()) + "."
    en = f"#{case_id}: the customer's contact details are corrected: " + ", ".join(
        f"{_DETAIL[d][1]} {_HOW[how][1]}" + (f" ({now[d]})" if now[d] else "")
        for d, how in done.changed.items()) + "."
    ko += " 고객께 저장한 번호·주소를 한 번 더 읽어 확인해 주세요."
    en += " Read what was saved back to the customer to check it."
    if done.messages_readdressed:
        ko += f" 보내지 않은 메시지 {done.messages_readdressed}통은 새 주소·번호로 보냅니다."
        en += f" {done.messages_readdressed} message(s) not yet sent go to the new address or number."
    if done.messages_withdrawn:
        ko += f" 지운 주소·번호로 보낼 메시지 {done.messages_withdrawn}통은 그리로 보내지 않습니다."
        en += f" {done.messages_withdrawn} message(s) will not go to the removed one."
        if done.messages_resent:
            ko += f" 그중 {done.messages_resent}통은 남은 연락처(문자 또는 메일)로 다시 보냅니다."
            en += (f" {done.messages_resent} of them go instead by the customer's other channel "
                   "(text or email).")
        if not done.messages_resent:  # none of them: not "the other N" (a CS walk read two)
            them_ko, them_en = (("그 메시지는", "It is") if done.messages_withdrawn == 1
                                else ("그 메시지들은", "They are"))
            ko += (f" {them_ko} 다른 방법으로도 보내지 않습니다(이미 다른 연락처로 갔거나 더는 "
                   "필요 없는 안내입니다).")
            en += (f" {them_en} not sent another way either (a copy went by the other channel, "
                   "or it is no longer owed).")
        elif done.messages_resent < done.messages_withdrawn:
            ko += (f" 나머지 {done.messages_withdrawn - done.messages_resent}통은 다른 방법으로 "
                   "보내지 않습니다(이미 다른 연락처로 갔거나 더는 필요 없는 안내입니다).")
            en += (f" The other {done.messages_withdrawn - done.messages_resent} are not sent "
                   "another way (their copy went by the other channel, or they are no longer "
                   "owed).")
    if done.texts_to_new_number:
        ko += (f" 전 번호가 잘못되어 전하지 못한 문자 {done.texts_to_new_number}통을 새 번호로 "
               "다시 보냅니다.")
        en += (f" {done.texts_to_new_number} text message(s) the wrong number kept from the "
               "customer go to the new number now.")
    if done.escalated:
        ko += " 사과 안내를 전할 다른 방법이 없어 이 고객을 ‘전화드릴 고객’ 목록에 올렸습니다."
        en += (" With no other way left to send the apology, the customer is now on the call "
               "list.")
    if done.calls_resumed:
        ko += " 전화가 닿지 않아 목록에서 뺐던 고객을 새 번호로 다시 ‘전화드릴 고객’ 목록에 올렸습니다. 통화 시도는 지금부터 셉니다."
        en += (" The customer the desk had given up calling is back on the call list with the "
               "new number; attempts count from now.")
    if done.attempts_restarted:
        ko += " 전화드릴 고객 목록에 있는 이 고객의 통화 시도는 새 번호로 지금부터 다시 셉니다."
        en += " The customer's call attempts count afresh from now, with the new number."
    if done.calls_given_up:
        ko += " 전화번호가 없어 더는 전화드릴 수 없으므로 ‘연락 안 됨’으로 기록하고 목록에서 뺐습니다."
        en += (" With no phone number the customer can no longer be called: recorded as could "
               "not be reached, off the call list.")
        if done.messages_queued:
            ko += " 고객에게 전화번호가 없다는 안내와 연락 방법을 메일로 보냅니다."
            en += " They are emailed that we have no number for them, and how to reach us."
    return ko, en


def _typed(value: str, shown: str) -> str | None | Keep:
    """A field as the agent left it: unchanged from what the page showed (kept), emptied
    (removed) or typed."""
    if value.strip() == shown.strip():
        return KEEP
    return value.strip() or None


@router.post("/cases/{case_id}/contact")
def correct_contact(case_id: int, request: Request, account: Agent, uow: Uow,
                    access: PageAccess, phone: Annotated[str, Form(max_length=40)] = "",
                    email: Annotated[str, Form(max_length=320)] = "",
                    phone_was: Annotated[str, Form(max_length=40)] = "",
                    email_was: Annotated[str, Form(max_length=320)] = "",
                    note: Annotated[str, Form(max_length=MAX_NOTE)] = "",
                    confirm_remove_phone: Annotated[str, Form(max_length=10)] = "") -> Response:
    """Save the customer's phone number and email as typed (a field left empty removes it);
    a field left as the page showed it (``*_was``) is kept as it is stored now, and one typed
    over a value someone changed since the page showed it is refused
    (``contact_changed_meanwhile``): nothing is saved, the form comes back as typed. Removing
    the number of a customer owed a call takes the box ticked (``confirm_remove_phone``): it
    gives up that call. ``note``: why, kept on the audit log."""
    policy = request.app.state.desk_policy
    try:
        phone_now = _typed(phone, phone_was)
        if phone_now is None and confirm_remove_phone != "yes":
            _check_no_call_owed(uow, case_id, policy)
        customer_id = customer_of_case(uow(), case_id)
        done = change_customer_contact(
            access.changing(uow(), cases=[case_id], customers=[customer_id]),
            customer_id=customer_id, actor=account.actor,
            policy=policy, email=_typed(email, email_was),
            phone=phone_now, links=case_links(request),
            shown={"phone": phone_was.strip() or None, "email": email_was.strip() or None},
            note=note.strip() or None)
    except SagwaError as exc:
        # the form again as sent, with what its page showed first (``*_was``), so that sending
        # it again still keeps a field left as it was — not what is stored now
        return refused_form(request, uow, case_id, "contact",
                            {"phone": phone, "email": email, "contact_note": note,
                             **_shown_after(exc, phone_was=phone_was, email_was=email_was)},
                            exc, "case")
    flash_in_lang(request, *contact_flash(case_id, done))
    return RedirectResponse(f"/cs/cases/{case_id}#contact", status_code=303)


def _check_no_call_owed(uow: Uow, case_id: int, policy: DeskPolicy) -> None:
    """Refuse removing the number of a customer owed a call (on the call list: they asked to
    talk to a person, or to be called back) unless the agent ticked the box that says so:
    without a number the call is given up at once (``customer_contact``)."""
    with uow() as reading:
        owed = reading.reads.owed_call(case_id, min_spacing=policy.min_call_spacing)
    if owed is not None:
        raise FormProblem(
            "이 고객은 전화를 기다리는 고객입니다. 번호를 지우면 드리기로 한 전화를 포기하고 ‘연락 안 됨’으로 "
            "기록합니다. 번호가 틀렸다면 맞는 번호를 적어 주세요. 그래도 지우려면 아래 확인 칸에 체크하고 다시 "
            "저장해 주세요.",
            "This customer is waiting for our call. Removing the number gives that call up and "
            "records them as could not be reached. If the number is wrong, type the right one; "
            "to remove it anyway, tick the box below and save again.", field="phone")


def _shown_after(exc: SagwaError, **shown: str) -> dict[str, str]:
    """``*_was`` for the refused form: what its page showed first — except a detail this agent
    typed over one changed meanwhile (``contact_changed_meanwhile``): the refusal told them
    what is stored now, so sending their value again is a decision, and saves it."""
    if exc.details.get("reason") != "contact_changed_meanwhile":
        return shown
    return {**shown, **{f"{name}_was": str(exc.details.get(f"{name}_now", ""))
                        for name in exc.details.get("changed", [])}}
