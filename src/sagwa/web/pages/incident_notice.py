"""The public-notice editor on an operator's incident page: the editor itself (an htmx
fragment with the draft, or the latest version, and its message check), the check's findings
as the operator types, and publishing — a refused notice comes back in the editor as typed.
The rest of the incident page's forms are ``incidents``'."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sagwa.errors import SagwaError
from sagwa.services import notices
from sagwa.services.desk_messages import format_when
from sagwa.web.deps import Uow
from sagwa.web.pages.error_texts import PageRoute, error_text
from sagwa.web.pages.i18n import in_lang, lang_of
from sagwa.web.pages.incident_context import (
    draft_findings,
    editor_context,
    incident_draft_check,
    notice_version_in,
    shown_findings,
)
from sagwa.web.pages.incidents import (
    Short,
    Text,
    Title,
    page_again,
    policy_of,
    without_script_parts,
)
from sagwa.web.pages.rendering import flash_in_lang, render, sent_form_key
from sagwa.web.pages.session import Operator, csrf_protect

router = APIRouter(prefix="/ops/incidents", dependencies=[Depends(csrf_protect)],
                   include_in_schema=False, route_class=PageRoute)


@router.get("/{incident_id}/notice/editor", response_class=HTMLResponse)
def notice_editor(incident_id: int, request: Request, account: Operator, uow: Uow,
                  notice_lang: str = "ko") -> Response:
    """htmx fragment: the notice editor with the draft (or the latest version) and its check."""
    context = editor_context(uow, incident_id, policy_of(request),
                             "en" if notice_lang == "en" else "ko")
    return render(request, "incidents/_notice_editor.html", context)


@router.post("/{incident_id}/notice/check", response_class=HTMLResponse)
def check_notice(incident_id: int, request: Request, account: Operator, uow: Uow,
                 title: Title = "", body: Text = "", lang: Short = "ko") -> Response:
    """htmx partial: the message check's findings on the notice as it is typed (the names it
    quotes not judged, as publishing judges it)."""
    text = notices.notice_text(title.strip(), body.strip())
    result = notices.check_notice(uow(), incident_id=incident_id, text=text,
                                  lang="en" if lang == "en" else "ko",
                                  contact=request.app.state.desk_policy.contact)
    shown = shown_findings(result, text)
    return render(request, "incidents/_findings.html", {"result": result, "shown": shown,
                                                        "empty": not body.strip(),
                                                        "untitled": not title.strip()})


@router.post("/{incident_id}/notice")
def publish(incident_id: int, request: Request, account: Operator, uow: Uow, title: Title = "",
            body: Text = "", lang: Short = "ko", form_key: Short = "",
            notice_version: Annotated[str | None, Form(max_length=20)] = None,
            noscript: Short = "") -> Response:
    """Publish; a refused notice comes back in the editor as typed, with the check's findings.
    The form's own key (``form_key``) makes the form sent twice publish once; the version it
    was opened against (``notice_version``) keeps it from replacing, unseen, a version another
    operator published since (a form without it, from an older page, is not checked): the
    service refuses it under the incident's lock (``notices.check_notice_unchanged``)."""
    key = sent_form_key(form_key, account.actor)
    try:
        published = notices.publish_notice_once(uow(), incident_id=incident_id, lang=lang,
                                                title=title, body=body, actor=account.actor,
                                                idempotency_key=key,
                                                contact=request.app.state.desk_policy.contact,
                                                opened_against=_opened_against(notice_version))
    except SagwaError as exc:
        draft = {"lang": "en" if lang == "en" else "ko", "title": title, "body": body}
        said = error_text(exc, lang_of(request))
        if exc.code == "idempotency_key_reused":
            said = _FORM_SENT_AGAIN[0 if lang_of(request) == "ko" else 1]
        elif exc.details.get("reason") == "notice_changed":
            said = _notice_changed_words(exc, lang_of(request))
        check = incident_draft_check(uow, incident_id, draft,
                                     request.app.state.desk_policy.contact)
        with uow() as u:  # from now on the form is opened against the version there is
            opened = notice_version_in(u.cases.notices(incident_id), draft["lang"])
        editor = {"draft": draft, "notice_check": check, "opened_version": opened,
                  "notice_shown": draft_findings(draft, check), "notice_problem": said}
        # sent from the page drawn without JavaScript: drawn so again (page_again's extra),
        # and its address is that page's
        without_script = without_script_parts(request, uow, incident_id) if noscript else {}
        return page_again(request, uow, incident_id, exc, editor=editor, **without_script,
                          notice_lang=draft["lang"],
                          address=_page_address(incident_id, draft["lang"], bool(noscript)))
    version = published.notice.version
    if published.new:
        flash_in_lang(request, f"공지를 게시했습니다(제{version}판).",
                      f"Notice published (version {version}).")
    elif published.reconfirmed:
        flash_in_lang(request, f"게시된 공지(제{version}판)를 지금 방안에 비추어 그대로 유지하기로 확인했습니다. "
                      "'방안보다 먼저 쓴 공지' 경고를 지웠습니다.",
                      f"The published notice (version {version}) is confirmed as it stands "
                      "against the plan now; the 'written before the plan' warning is cleared.")
    else:
        flash_in_lang(request, f"이미 게시된 공지입니다(제{version}판). 새 판을 올리지 않았습니다.",
                      f"That notice is already published (version {version}); no new version "
                      "was added.")
    # the page as it stood (the Korean editor first), drawn whole when the form came from
    # such a page
    return RedirectResponse(_page_address(incident_id, "ko", bool(noscript)), status_code=303)


def _page_address(incident_id: int, lang: str, noscript: bool) -> str:
    """The incident page with the editor in ``lang``; drawn whole for a browser without
    JavaScript when the form came from such a page (its editor and timeline in it)."""
    query = [*(["notice_lang=en"] if lang == "en" else []), *(["noscript=true"] if noscript else [])]
    return f"/ops/incidents/{incident_id}" + (f"?{'&'.join(query)}" if query else "")


def _opened_against(notice_version: str | None) -> int | None:
    """The version the editor was opened against, as the service takes it: its form's
    ``notice_version`` ("none" before the first: 0), None for a form without one. Anything
    else was no version the page drew: 0, so any version published is newer than it."""
    if notice_version is None:
        return None
    return int(notice_version) if notice_version.isascii() and notice_version.isdigit() else 0


def _notice_changed_words(exc: SagwaError, lang: str) -> str:
    version = exc.details["version"]
    when = format_when(datetime.fromisoformat(exc.details["published_at"]), lang)
    return in_lang(lang, f"이 편집기를 연 뒤 다른 담당자가 공지 제{version}판을 게시했습니다({when}, 한국 시간). "
                         "아래는 입력하신 내용이며 게시하지 않았습니다. 공지 화면에서 제"
                         f"{version}판을 읽고 필요한 내용을 합친 뒤 다시 게시해 주세요.",
                   f"Another operator published version {version} of the notice after this "
                   f"editor was opened ({when}). What you typed is below, not published: read "
                   f"version {version} on the notice board, merge what is needed, then publish "
                   "again.")


#: The notice form sent again from an earlier page with other text (its key already published).
_FORM_SENT_AGAIN = (
    "이 양식으로는 이미 다른 내용의 공지를 게시했습니다(이전 화면에서 다시 보낸 양식). 아래 편집기에서 다시 게시해 주세요.",
    ("This form already published a notice with other text (it was sent again from an earlier "
    "page); publish it again from the editor below."))
