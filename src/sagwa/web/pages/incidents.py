"""The operator's incident desk: the list, declaring, and one incident's page — declaring or
dismissing a draft (the tripwire's), affected customers, case-state progress, SLA clocks, the
plan editor, the cost split, the timeline, the public-notice editor whose message-check findings
update as the operator types, and closing. The routes and their forms are here, but for the
notice editor's (``incident_notice``) and the plan's (``incident_plan_form``); what the pages
show is ``incident_context``'s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.domain.incidents import (
    INCIDENT_HINTS,
    Incident,
    IncidentStatus,
    IncidentTrigger,
    incident_hint,
)
from sagwa.domain.particles import with_particle
from sagwa.errors import IllegalTransition, SagwaError
from sagwa.services import desk, desk_cases
from sagwa.services.actor_names import actor_names
from sagwa.services.apology_preview import apology_preview
from sagwa.services.desk_messages import format_when
from sagwa.services.desk_notify import notify
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_report import build_report
from sagwa.services.lookups import require
from sagwa.services.refunds import incident_refunds
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.web.access import PageAccess, page_access
from sagwa.web.deps import Uow, case_links
from sagwa.web.pages.access_shown import incident_cases
from sagwa.web.pages.error_texts import FormProblem, PageRoute, error_text
from sagwa.web.pages.forms import local_input, parse_int, parse_local_time, parse_won
from sagwa.web.pages.i18n import in_lang, lang_of
from sagwa.web.pages.incident_context import (
    detail_context,
    editor_context,
    list_context,
    plan_version_now,
)
from sagwa.web.pages.rendering import flash_in_lang, render
from sagwa.web.pages.session import Operator, csrf_protect
from sagwa.web.pages.timeline import timeline_rows

router = APIRouter(prefix="/ops/incidents", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)
Text = Annotated[str, Form(max_length=20000)]
Short = Annotated[str, Form(max_length=200)]
#: A notice title: its length is the notice service's to refuse (one limit for every channel).
Title = Annotated[str, Form()]


def policy_of(request: Request) -> DeskPolicy:
    policy: DeskPolicy = request.app.state.desk_policy
    return policy


def _page_context(request: Request, uow: Uow, incident_id: int,
                  offset: int = 0) -> dict[str, Any]:
    """The incident page's context: ``detail_context``, the refunds owed and, once it is
    planned, the apologies as notifying will send them (``apology_preview``)."""
    context = {**detail_context(uow, incident_id, policy_of(request), offset=offset),
               "refunds": incident_refunds(uow(), incident_id=incident_id)}
    if context["s"].status == IncidentStatus.PLANNED.value:
        preview = apology_preview(uow(), incident_id=incident_id, policy=policy_of(request),
                                  links=case_links(request))
        context |= {"preview": preview, "preview_problem": (
            error_text(preview.problem, lang_of(request)) if preview.problem else None),
            # read after the preview: its ``send_at`` is the moment it was made while the
            # centre is open (the page's ``now``, read before it, would call that "later")
            "preview_at_once": preview.send_at is not None and preview.send_at <= uow().now()}
    return context


def page_again(request: Request, uow: Uow, incident_id: int, exc: SagwaError,
                **extra: Any) -> Response:
    """The incident page again after a refused form, ``extra`` saying what was typed."""
    context = _page_context(request, uow, incident_id)
    cases, customers = incident_cases(context)
    page_access(request).viewed(cases=cases, customers=customers)
    # served at the form's address: the incident's own goes in the address bar, so a reload
    # shows the page and posts nothing again
    here = f"/ops/incidents/{incident_id}"
    return render(request, "incidents/detail.html",
                  {"notice_lang": "ko", **context, "address": here, **extra, "here": here},
                  status_code=exc.http_status)


def _implausible(exc: SagwaError) -> bool:
    """A correct price refused as implausible: the form offers to declare it as checked."""
    return exc.details.get("reason") == "correct_price_implausible"


@router.get("", response_class=HTMLResponse)
def incident_list(request: Request, account: Operator, uow: Uow) -> Response:
    return render(request, "incidents/list.html", list_context(uow(), policy_of(request)))


@router.post("")
def declare(request: Request, account: Operator, uow: Uow, listing_ids: Short = "",
            wrong_price: Short = "", correct_price: Short = "", window_start: Short = "",
            cause: Text = "", responsible: Short = "both",
            correct_price_confirmed: Short = "") -> Response:
    typed = {"listing_ids": listing_ids, "wrong_price": wrong_price, "window_start": window_start,
             "correct_price": correct_price, "cause": cause, "responsible": responsible,
             "correct_price_confirmed": correct_price_confirmed == "yes"}
    try:
        ids = [parse_int(p, "listing_ids") for p in listing_ids.replace(" ", ",").split(",") if p]
        start = parse_local_time(window_start, "window_start")
        if start is None:
            raise FormProblem("잘못된 가격이 나가기 시작한 시각을 입력해 주세요.",
                              "Enter when the wrong price went live.", field="window_start")
        row = desk.declare(uow(), listing_ids=[i for i in ids if i is not None],
                           wrong_price=parse_won(wrong_price, "wrong_price"),
                           correct_price=parse_won(correct_price, "correct_price"),
                           window_start=start, cause=cause.strip(), responsible=responsible,
                           actor=account.actor, links=case_links(request),
                           correct_price_confirmed=correct_price_confirmed == "yes")
    except SagwaError as exc:
        context = {**list_context(uow(), policy_of(request)), "typed": typed, "here": "/ops/incidents",
                   "address": "/ops/incidents", "problem": error_text(exc, lang_of(request)),
                   # a listing that does not exist is the listing field's mistake
                   "problem_field": exc.details.get("field") or (
                       "listing_ids" if exc.details.get("kind") == "listing" else None),
                   "confirm_correct_price": _implausible(exc) or typed["correct_price_confirmed"]}
        return render(request, "incidents/list.html", context, status_code=exc.http_status)
    incident_id = int(row.incident.incident_id)
    flash_in_lang(request, f"{with_particle(f'사고 #{incident_id}', '을(를)')} 선언하고 해당 상품 "
                           "판매를 멈췄습니다.",
                  f"Incident #{incident_id} declared; its listings are paused.")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


@router.get("/{incident_id}", response_class=HTMLResponse)
def incident_page(incident_id: int, request: Request, account: Operator, uow: Uow,
                  access: PageAccess, notice_lang: str = "ko", cases_from: int = 0,
                  noscript: bool = False) -> Response:
    """The incident's page. The notice editor and the timeline come by htmx once it is shown;
    ``noscript`` (the link a browser without JavaScript shows in their place) draws both in
    the page itself, so the notice can be read, written and published without JavaScript."""
    lang = "en" if notice_lang == "en" else "ko"
    context = _page_context(request, uow, incident_id, offset=max(0, cases_from))
    cases, customers = incident_cases(context)  # its cases' customers, by name
    access.viewed(cases=cases, customers=customers)
    if noscript:
        context |= without_script_parts(request, uow, incident_id)
        if not context["s"].dismissed:
            # not a dismissed draft (no notice is due: the page says so without an editor)
            context["editor"] = {**editor_context(uow, incident_id, policy_of(request), lang),
                                 "notice_problem": None}
    return render(request, "incidents/detail.html", {**context, "notice_lang": lang})


@router.get("/{incident_id}/timeline", response_class=HTMLResponse)
def timeline(incident_id: int, request: Request, account: Operator, uow: Uow) -> Response:
    """htmx fragment: the incident's timeline from the audit log, in the page's language."""
    return render(request, "incidents/_timeline.html",
                  {"rows": _timeline_rows(request, uow, incident_id)})


def without_script_parts(request: Request, uow: Uow, incident_id: int) -> dict[str, Any]:
    """What the incident page draws in itself for a browser without JavaScript (``noscript``):
    the timeline, which htmx would fetch."""
    return {"timeline_shown": _timeline_rows(request, uow, incident_id), "noscript": True}


def _timeline_rows(request: Request, uow: Uow, incident_id: int) -> list[Any]:
    report = build_report(uow(), incident_id=incident_id, policy=policy_of(request))
    with uow() as u:
        incident = require(u.incidents.get(incident_id), "incident", incident_id).incident
        reasons = u.reads.guard_reasons_ko(sorted(int(i) for i in incident.listing_ids))
        names = actor_names(u, {e.actor for e in report.timeline})
    return timeline_rows(report.timeline, lang_of(request), reasons_ko=reasons,
                         actor_names=names)


def _step(request: Request, incident_id: int, run: Callable[[], tuple[str, str]]) -> Response:
    """One of the action buttons: its outcome (or why it was refused) flashed on the page."""
    try:
        ko, en = run()
        flash_in_lang(request, ko, en)
    except SagwaError as exc:
        flash_in_lang(request, error_text(exc, "ko"), error_text(exc, "en"), "warn")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


@router.post("/{incident_id}/scope")
def scope(incident_id: int, request: Request, account: Operator, uow: Uow,
          access: PageAccess) -> Response:
    def run() -> tuple[str, str]:
        found = desk.scope(access.changing(uow(), incidents=[incident_id]),
                           incident_id=incident_id, actor=account.actor)
        with uow() as u:
            cases = sum(u.cases.status_counts(incident_id).values())
        return scoped_words(found["new_cases"], found["orders"], cases)

    return _step(request, incident_id, run)


def scoped_words(new_cases: int, orders: int, cases: int) -> tuple[str, str]:
    """The scope step's outcome: the customers and orders it found; scoped again (a double
    click, or to look for later orders) and finding none, that the ``cases`` found before
    stand — not "0 new cases, 0 orders" beside them."""
    if orders == 0 and cases:
        return ((f"범위 다시 확인: 잘못된 가격으로 새로 들어온 주문이 없습니다. 이미 찾은 고객 {cases}명은 "
                 "그대로입니다."),
                (f"Scoped again: no new orders at the wrong price; the {_n(cases, 'case')} "
                 f"already found {'stands' if cases == 1 else 'stand'}."))
    if orders == 0:
        return ("범위 확정: 잘못된 가격으로 주문한 고객이 없습니다.",
                "Scoped: nobody ordered at the wrong price.")
    return (f"범위 확정: 새 고객 {new_cases}명, 주문 {orders}건",
            f"Scoped: {_n(new_cases, 'new case')}, {_n(orders, 'order')}.")


def _n(count: int, noun: str) -> str:
    """``1 order``, ``2 orders``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


@router.post("/{incident_id}/notify")
def send_apologies(incident_id: int, request: Request, account: Operator, uow: Uow,
                   access: PageAccess, confirmed: Short = "",
                   plan_version: Short = "") -> Response:
    """Notify, once the operator has read the apologies as they go (``_apology_preview.html``)
    and ticked the box saying so: the page's form sends ``confirmed`` and the ``plan_version``
    previewed. The API and the CLI notify without it."""
    def run() -> tuple[str, str]:
        _require_read(uow(), incident_id, confirmed, plan_version)
        summary = notify(access.changing(uow(), incidents=[incident_id]),
                         incident_id=incident_id, actor=account.actor,
                         policy=policy_of(request), links=case_links(request),
                         previewed_plan=plan_version)
        return queued_words(summary.cases, summary.send_at)

    return _step(request, incident_id, run)


def _require_read(uow: SqlAlchemyUnitOfWork, incident_id: int, confirmed: str,
                  plan_version: str) -> None:
    """Refused (nothing sent) unless the box saying the messages were read is ticked, and the
    plan they were read under (``plan_version``: a form without it was not the preview's) is
    still the plan."""
    if confirmed != "yes":
        raise FormProblem("위 메시지를 확인했다는 칸에 체크해야 보낼 수 있습니다. 아무것도 보내지 않았습니다.",
                          "Tick the box saying you have read the messages above to send them; "
                          "nothing was sent.", field="confirmed")
    if plan_version != plan_version_now(uow, incident_id):  # (again under the lock: notify)
        raise FormProblem("미리보기를 연 뒤 방안이 바뀌었습니다. 바뀐 방안으로 만든 메시지를 다시 확인하고 "
                          "보내 주세요. 아무것도 보내지 않았습니다.",
                          "The plan changed after the messages were previewed: read them again "
                          "as they are now, then send; nothing was sent.", field="plan_version")


def queued_words(cases: int, send_at: datetime) -> tuple[str, str]:
    """The notify step's outcome: apologies to so many customers (an email and a text each,
    where a customer has both: the message count is not the customers'), queued for when."""
    ko, en = format_when(send_at, "ko"), format_when(send_at, "en")
    people = "customer" if cases == 1 else "customers"
    korean = (f"고객 {cases}명에게 보낼 사과 안내(이메일과 문자가 모두 있는 고객에게는 둘 다)를 "
              f"{ko}(한국 시간)에 보내도록 예약했습니다.")
    return korean, (f"Apologies to {cases} {people} (an email and a text each, where they "
                    f"have both) queued for {en}.")


@router.post("/{incident_id}/escalate")
def escalate(incident_id: int, request: Request, account: Operator, uow: Uow,
             access: PageAccess) -> Response:
    def run() -> tuple[str, str]:
        moved = desk_cases.escalate_unanswered(
            access.changing(uow(), incidents=[incident_id]), incident_id=incident_id,
            actor=account.actor)
        return (f"답하지 않은 고객 {moved}명을 상담 대기열에 올렸습니다.",
                f"{_n(moved, 'case')} put on the call list.")

    return _step(request, incident_id, run)


@router.post("/{incident_id}/declare")
def declare_draft(incident_id: int, request: Request, account: Operator, uow: Uow,
                  wrong_price: Short = "", correct_price: Short = "", window_start: Short = "",
                  cause: Text = "", responsible: Short = "both",
                  correct_price_confirmed: Short = "") -> Response:
    """Declare a draft (the tripwire's, say) with the same service as the API and the CLI."""
    typed = {"wrong_price": wrong_price, "correct_price": correct_price,
             "window_start": window_start, "cause": cause, "responsible": responsible,
             "correct_price_confirmed": correct_price_confirmed == "yes"}
    try:
        draft = _incident_in(uow(), incident_id, "draft", IncidentTrigger.DECLARE)
        # the field shows whole minutes: unchanged, it means the draft's own start to the second
        start = (draft.window_start if window_start == local_input(draft.window_start)
                 else parse_local_time(window_start, "window_start"))
        if start is None:
            raise FormProblem("잘못된 가격이 나가기 시작한 시각을 입력해 주세요.",
                              "Enter when the wrong price went live.", field="window_start")
        desk.declare(uow(), listing_ids=sorted(int(i) for i in draft.listing_ids),
                     wrong_price=parse_won(wrong_price, "wrong_price"),
                     correct_price=parse_won(correct_price, "correct_price"), window_start=start,
                     cause=cause.strip(), responsible=responsible, actor=account.actor,
                     incident_id=incident_id, links=case_links(request),
                     correct_price_confirmed=correct_price_confirmed == "yes")
    except IllegalTransition as exc:
        return _moved_on(request, incident_id, exc)
    except SagwaError as exc:
        return page_again(request, uow, incident_id, exc, declare_form=typed,
                          declare_problem=error_text(exc, lang_of(request)),
                          declare_field=exc.details.get("field"),
                          confirm_correct_price=(_implausible(exc)
                                                  or typed["correct_price_confirmed"]))
    flash_in_lang(request, f"{with_particle(f'사고 #{incident_id}', '을(를)')} 선언하고 해당 상품 "
                           "판매를 멈췄습니다.",
                  f"Incident #{incident_id} declared; its listings are paused.")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


@router.post("/{incident_id}/dismiss")
def dismiss(incident_id: int, request: Request, account: Operator, uow: Uow,
            reason: Short = "") -> Response:
    """A draft judged a false alarm: closed. Its listings stay paused (the service leaves them
    as they are); putting one back on sale is a separate, deliberate resume."""
    return _finish(request, uow, incident_id, reason, account.actor, dismissing=True)


@router.post("/{incident_id}/close")
def close(incident_id: int, request: Request, account: Operator, uow: Uow,
          reason: Short = "") -> Response:
    """Close a declared incident; the service refuses while answers or calls are owed."""
    return _finish(request, uow, incident_id, reason, account.actor, dismissing=False)


def _finish(request: Request, uow: Uow, incident_id: int, reason: str, actor: str, *,
            dismissing: bool) -> Response:
    action = "dismiss" if dismissing else "close"
    try:
        inc = _incident_in(uow(), incident_id, "draft" if dismissing else "declared",
                           IncidentTrigger.DISMISS if dismissing else IncidentTrigger.CLOSE)
        if not reason.strip():
            raise FormProblem("종료하는 이유를 입력해 주세요.", "Enter why it is being closed.",
                              field="reason")
        desk.close(page_access(request).changing(uow(), incidents=[incident_id]),
                   incident_id=incident_id, actor=actor, reason=reason.strip(),
                   policy=request.app.state.desk_policy, links=case_links(request))
    except IllegalTransition as exc:
        return _moved_on(request, incident_id, exc)
    except SagwaError as exc:
        said = error_text(exc, lang_of(request))
        if exc.details.get("reason") == "unanswered_cases":
            said = _still_open_words(exc, said, lang_of(request))
        return page_again(request, uow, incident_id, exc, closing={
            "action": action, "reason": reason, "problem": said})
    if dismissing:
        ids = ", ".join(str(i) for i in sorted(int(i) for i in inc.listing_ids))
        flash_in_lang(request, f"{with_particle(f'사고 #{incident_id}', '을(를)')} 오탐으로 "
                               f"종료했습니다. 상품 {ids}번은 판매 중지 상태 그대로이니, 다시 "
                               "팔려면 판매를 재개해 주세요. 가격이 바뀌기 전까지는 주문이 "
                               "몰려도 자동으로 멈추지 않습니다.",
                      f"Incident #{incident_id} dismissed as a false alarm. Listing {ids} is "
                      "still paused; resume it to sell it again. Until its price changes, the "
                      "order tripwire will not pause it again.")
    else:
        flash_in_lang(request, f"{with_particle(f'사고 #{incident_id}', '을(를)')} 종료했습니다.",
                      f"Incident #{incident_id} closed.")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


def _still_open_words(exc: SagwaError, said: str, lang: str) -> str:
    """Closing refused for cases still open, with the refusal's counts (``desk.close``): those
    waiting for the customer's answer (the refusal's own sentence says so), and those on the
    call list waiting for an agent — a customer who asked to talk to a person did answer, so
    with only those left the refusal is not "customers have not answered yet"."""
    waiting = int(exc.details.get("waiting_for_answer", 0))
    calls = int(exc.details.get("waiting_for_agent", 0))
    if waiting:
        return said + " " + in_lang(lang, f"답을 기다리는 고객 {waiting}명, 상담 대기열에서 상담원을 "
                                          f"기다리는 고객 {calls}명입니다.",
                                    f"Waiting for an answer: {waiting}; on the call list, waiting "
                                    f"for an agent: {calls}.")
    return in_lang(lang, f"상담 대기열에서 상담원을 기다리는 고객 {calls}명의 건이 아직 끝나지 않아 종료할 수 "
                         "없습니다. 상담원이 통화해 고객의 선택을 기록하거나, 고객이 직접 고르거나, 답변 "
                         "기한이 지나 기본 조치가 적용되면 종료할 수 있습니다.",
                   f"It cannot be closed yet: {_n(calls, 'customer')} on the call list "
                   f"{'is' if calls == 1 else 'are'} waiting for an agent. It can be closed once "
                   "an agent records their choice on the phone, they choose themselves, or the "
                   "deadline passes and the plan's default applies.")


def _moved_on(request: Request, incident_id: int, exc: SagwaError) -> Response:
    """The incident moved on since the page was drawn: the page as it is now, saying so."""
    flash_in_lang(request, error_text(exc, "ko"), error_text(exc, "en"), "warn")
    return RedirectResponse(f"/ops/incidents/{incident_id}", status_code=303)


def _incident_in(uow: SqlAlchemyUnitOfWork, incident_id: int, state: str,
                 trigger: IncidentTrigger) -> Incident:
    """The incident, if it is still a draft (``state="draft"``) or past one ("declared"): a
    button pressed on a page that has gone stale must not declare, dismiss or close another
    kind of incident than the one the operator saw."""
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
    is_draft = inc.status is IncidentStatus.DRAFT
    if is_draft != (state == "draft") or inc.status is IncidentStatus.CLOSED:
        hint = incident_hint(inc.status, trigger)
        raise IllegalTransition(f"an incident that is {inc.status} cannot {trigger}: "
                                f"{INCIDENT_HINTS[hint]}", status=inc.status.value,
                                trigger=trigger.value, reason="incident_status", hint=hint)
    return inc