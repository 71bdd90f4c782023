"""The agent records a choice the customer sent by replying to our email or text, with when the
reply reached us (``desk_cases.record_choice``'s ``said_at``): a reply that came by the answer
deadline counts though recorded after it — the next morning, after the deadline's default —
until the close of the contact centre's next open day (``IncidentPlan.replies_recorded_by``;
then the default stands and the seller may send). Before, only the JSON API took a reply's
time: on the case page an agent could record a choice only as given on the phone, now.

On the case page (``cs/_reply_form.html``, while ``CallCard.takes_reply``), as the phone choice:
two presses. The first is checked as the desk will check it and shows what it will do and when
the reply came (``cs/confirm_reply.html``); only the second (``confirmed=yes``) records it, and
the customer is sent the confirmation of their choice as for any other."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from sagwa.domain.cancel_instead import replaceable_by_cancel
from sagwa.domain.incident_plan import CustomerOption
from sagwa.errors import SagwaError
from sagwa.services.desk_cases import current_plan, record_choice
from sagwa.web.access import PageAccess, page_access
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.access_shown import card_cases
from sagwa.web.pages.choice_check import reply_choice_refusal
from sagwa.web.pages.contact_centre import MAX_WORDS, case_context, not_recorded, refused_form
from sagwa.web.pages.error_texts import FormProblem, PageRoute
from sagwa.web.pages.forms import local_input, parse_local_time
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.labels import label
from sagwa.web.pages.rendering import flash_in_lang, render, seoul
from sagwa.web.pages.session import Agent, csrf_protect

router = APIRouter(prefix="/cs", dependencies=[Depends(csrf_protect)], include_in_schema=False,
                   route_class=PageRoute)

#: The channels a reply comes by, as the form names them (Korean, English).
REPLY_CHANNELS = {"email": ("메일 답장", "a reply to our email"),
                  "sms": ("문자 답장", "a reply to our text")}


@router.post("/cases/{case_id}/reply")
def reply_choice(case_id: int, request: Request, account: Agent, uow: Uow,
                 access: PageAccess, channel: Annotated[str, Form(max_length=10)] = "",
                 choice: Annotated[str, Form(max_length=60)] = "",
                 words: Annotated[str, Form()] = "",  # its limit: MAX_WORDS, beside the field
                 received_at: Annotated[str, Form(max_length=40)] = "",
                 confirmed: Annotated[str, Form(max_length=10)] = "",
                 not_recording: Annotated[str, Form(max_length=10)] = "") -> Response:
    """A choice the customer sent by email or text: how it came, the choice, their words as
    written, and when it reached us (``datetime-local``, Korea time). The first press shows
    what it will do; the second (``confirmed=yes``) records it; its "No" (``not_recording``)
    records nothing and puts what was typed back in the form."""
    typed = {"reply_channel": channel, "reply_choice": choice, "reply_words": words,
             "reply_received_at": received_at}
    if not_recording:
        return not_recorded(request, uow, case_id, "reply", typed)
    try:
        said_at = _checked(channel, choice, words, received_at, uow().now())
        if confirmed != "yes":
            return _confirm_step(request, uow, case_id, account.actor, channel, choice,
                                 words.strip(), said_at)
        recorded = record_choice(access.changing(uow(), cases=[case_id]), case_id=case_id,
                                 choice=choice, channel=channel, evidence=words.strip(),
                                 taken_by=account.actor, policy=request.app.state.desk_policy,
                                 links=case_links(request), said_at=said_at)
    except SagwaError as exc:
        return refused_form(request, uow, case_id, "reply", typed, exc, "case")
    with uow() as read:  # the choice named for its plan (a cancellation without points)
        plan = current_plan(read, int(recorded.case.incident_id))
    ko, en = label("choice", choice, "ko", plan), label("choice", choice, "en", plan)
    came_ko, came_en = REPLY_CHANNELS[channel]
    if recorded.changed:
        flash_in_lang(request, f"#{case_id} 고객 선택 기록({came_ko}, {seoul(said_at)} 받음): {ko}",
                      f"#{case_id} choice recorded ({came_en}, received "
                      f"{seoul(said_at, lang='en')}): {en}.")
    else:  # sent again (a double click, Back and confirm): the service recorded nothing
        flash_in_lang(request, f"#{case_id} 고객의 선택은 이미 기록되어 있습니다: {ko}. 바뀐 것은 없습니다.",
                      f"#{case_id}: the customer's choice was already recorded: {en}; nothing "
                      "was changed.")
    return RedirectResponse(f"/cs/cases/{case_id}", status_code=303)


def _checked(channel: str, choice: str, words: str, received_at: str,
             now: datetime) -> datetime:
    """The form's problems beside their fields, or when the reply reached us."""
    if channel not in REPLY_CHANNELS:
        raise FormProblem("답장이 온 경로(메일 또는 문자)를 고르세요.",
                          "Choose how the reply came: email or text.", field="channel")
    if not choice:
        raise FormProblem("답장에서 고객이 고른 방법을 고르세요.",
                          "Choose what the customer chose in their reply.", field="choice")
    if not words.strip():
        raise FormProblem("고객의 답장을 그대로 옮겨 적어 주세요.",
                          "Copy the customer's reply, in their words.", field="words")
    if len(words) > MAX_WORDS:
        raise FormProblem(f"고객의 답장은 {MAX_WORDS:,}자까지 적을 수 있습니다. 고객이 고른 방법이 드러나는 "
                          "부분만 옮겨 적어 주세요.",
                          f"At most {MAX_WORDS:,} characters: copy the part of the reply that "
                          "says what the customer chose.", field="words")
    said_at = parse_local_time(received_at, "received_at")
    if said_at is None:
        raise FormProblem("답장을 받은 날짜와 시각(한국 시간)을 적어 주세요. 메일이나 문자에 찍힌 받은 시각입니다.",
                          "Enter when the reply reached us (Korea time), as the email or text "
                          "shows it.", field="received_at")
    if said_at > now:
        raise FormProblem(f"받은 시각이 지금보다 뒤입니다({seoul(said_at)}). 메일이나 문자에 찍힌 시각을 "
                          "확인해 주세요.",
                          f"{seoul(said_at, lang='en')} is later than now: check the time the "
                          "email or text shows.", field="received_at")
    return said_at


def _confirm_step(request: Request, uow: Uow, case_id: int, actor: str, channel: str,
                  choice: str, words: str, said_at: datetime) -> Response:
    """What recording the reply will do, after the checks the desk will make."""
    unit = uow()
    context = case_context(unit, request.app.state.desk_policy, case_id)
    card, now = context["card"], unit.now()
    start = card.case.facts.incident.window_start
    if said_at < start:  # as the desk refuses it (said_at_before_incident): said here, first
        raise FormProblem(f"받은 시각이 잘못된 가격이 게시되기 전입니다({seoul(start)}부터 게시). 메일이나 "
                          "문자에 찍힌 날짜를 확인해 주세요.",
                          f"That is before the wrong price went live ({seoul(start, lang='en')}): "
                          "check the date the email or text shows.", field="received_at")
    refused = reply_choice_refusal(card, choice=choice, words=words, actor=actor, now=now,
                                   channel=channel, said_at=said_at)
    if refused is not None:
        raise refused
    page_access(request).viewed(cases=card_cases(context))
    case, lang = card.case, lang_of(request)
    option = CustomerOption(choice)
    return render(request, "cs/confirm_reply.html", {
        "may_cancel_later": replaceable_by_cancel(option, case.plan, case.owed_after(choice, now)),
        "asks_for_call": option is CustomerOption.TALK_TO_PERSON,
        **context, "choice": choice, "words": words, "channel": channel,
        "came_by": REPLY_CHANNELS[channel][0 if lang == "ko" else 1],
        "received": seoul(said_at, lang=lang), "received_value": local_input(said_at),
        "in_time": said_at <= case.plan.deadline,
        "choice_label": label("choice", choice, lang, case.plan, price_word=case.price_word),
        "terms": case.preview(choice, lang, now, staff=True)})
