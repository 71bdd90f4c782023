"""Rendering pages: one Jinja environment, the values every page needs, the language cookie."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import josa
from sagwa.services.customer_erasure import erasure_marks
from sagwa.services.desk_messages import format_when
from sagwa.services.idempotency import IdempotencyKey
from sagwa.services.tripwire import cause_in
from sagwa.web.compiled_templates import COMPILED
from sagwa.web.pages.i18n import COOKIE, chooser, lang_of, requested_lang
from sagwa.web.pages.kept_apart import PageMarks, kept_apart_in_page
from sagwa.web.pages.labels import actor_filter, label_filter
from sagwa.web.pages.session import HOME, csrf_token, current_account, flash, take_flash

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def seoul(moment: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M", *, lang: str = "ko",
          korean_zone: bool = False) -> str:
    """A moment in Korea time: ``2008-06-12 14:00``. In English it says so (``… 14:00 KST``): a
    reader abroad would otherwise take it for their own time. A Korean page mostly needs no
    zone; with ``korean_zone`` it says it too (``2008-06-12 14:00(한국 시간)``, as the Korean
    sentences that name a time write it), where the time stands beside others that say
    "한국 시간" (a price change's time next to its promotion's window)."""
    if moment is None:
        return "—"
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    try:
        said = moment.astimezone(SEOUL).strftime(fmt)
    except OverflowError:  # past year 9999 in Korea time (stored before times were bounded)
        return moment.isoformat(timespec="minutes")
    if lang == "en":
        return f"{said} KST"
    return f"{said}(한국 시간)" if korean_zone else said


@pass_context
def seoul_in_page(page: Context, moment: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M",
                  *, zone: bool = True, lang: str | None = None,
                  korean_zone: bool = False) -> str:
    """``{{ c.proposed_at | seoul }}`` in the page's language; ``seoul(lang=cl)`` inside words
    in another language (an agent's script in the customer's); ``seoul(zone=False)`` where the
    text around it already says "Korea time"; ``seoul(korean_zone=True)`` where a Korean page
    names the zone too."""
    if not zone:
        return seoul(moment, fmt)
    return seoul(moment, fmt, lang=lang or page.get("lang", "ko"), korean_zone=korean_zone)


@pass_context
def person_in_page(page: Context, name: str | None) -> str:
    """``{{ q.customer_name | person }}``: a customer's name, or, once their personal data was
    erased (the name left blank: ``services/customer_erasure.py``), that it was."""
    if name:
        return name
    return "(personal data erased)" if page.get("lang") == "en" else "(개인정보 파기됨)"


def as_sentence(text: str | None) -> str:
    """A guard reason as a page shows it: a sentence. The stored and API reasons are clauses
    (``new price 180,000 KRW is within range …``, other tools read them as they are); a page
    starts one with a capital and ends it with a full stop. Korean reasons already are. The
    seller's flashes say the reasons through it too."""
    text = (text or "").strip()
    if not text:
        return ""
    if text[0].isascii() and text[0].islower():
        text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def percent(value: float) -> str:
    """``20%``, ``12.5%``: one decimal at most, none when it is whole (the history said "20.0%"
    beside reasons that said "20%")."""
    rounded = round(float(value), 1)
    return f"{rounded:g}%" if rounded != int(rounded) else f"{int(rounded)}%"


def form_key() -> str:
    """A new key for a form that records something, so that sending it twice records it once
    (an idempotency key; new each time the form is drawn)."""
    return uuid4().hex


def sent_form_key(form_key: str, actor: str) -> IdempotencyKey | None:
    """The key a form came back with (:func:`form_key`), as ``actor``'s own; None without one."""
    return IdempotencyKey(form_key, owner=actor) if form_key.strip() else None


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.bytecode_cache = COMPILED  # a page compiled once per process, not per app
    templates.env.filters["seoul"] = seoul_in_page  # {{ c.proposed_at|seoul }}: … 14:00 (KST)
    templates.env.filters["person"] = person_in_page  # {{ q.customer_name|person }}
    templates.env.filters["sentence"] = as_sentence  # {{ opinion.reason_en|sentence }}
    templates.env.filters["josa"] = josa  # {{ name|josa("이(가)") }}: 카메라마당이, 사과나라가
    templates.env.filters["label"] = label_filter  # {{ c.status|label("case") }}: 안내 발송
    templates.env.filters["pct"] = percent  # {{ c.promotion_pct|pct }}: 20%, 12.5%
    # {{ amount|money_in(cl) }}: in the customer's language where the page's is another
    templates.env.filters["money_in"] = lambda money, lang: format_money(money, lang=lang)
    # {{ at|when_in(lang) }}: 6월 16일(월) 오후 6시 — as the customer's messages write a moment
    templates.env.filters["when_in"] = format_when
    templates.env.filters["actor"] = actor_filter  # {{ a.agent|actor }}: 상담원 choi, 고객
    templates.env.globals["Money"] = Money
    templates.env.globals["form_key"] = form_key  # <input type=hidden name=form_key …>
    templates.env.globals["cause_in"] = cause_in  # {{ cause_in(lang, i.cause, evidence) }}
    # {{ kept_apart(customer=q.customer_id) }}: "삭제 요청 · 법정 보존 중 (…까지)" or nothing
    templates.env.globals["kept_apart"] = kept_apart_in_page
    return templates


def flash_in_lang(request: Request, ko: str, en: str, kind: str = "ok", *,
                  lang: str | None = None) -> None:
    """Flash the message in the page's language only (``lang`` overrides the request's)."""
    flash(request, ko if (lang or lang_of(request)) == "ko" else en, kind)


def switch_url(request: Request, lang: str, here: str | None = None) -> str:
    """This page's address in ``lang``. A page re-rendered after a form post switches on
    ``here`` (its own address), since the post's address answers only posts."""
    if here or request.method != "GET":
        return f"{here or request.url.path}?lang={lang}"
    url = request.url.include_query_params(lang=lang)
    return f"{url.path}?{url.query}"


def render(request: Request, template: str, context: dict[str, Any], *,
           status_code: int = 200, lang: str | None = None) -> HTMLResponse:
    """Render ``template`` with the page's language, account, CSRF token and flash message."""
    templates: Jinja2Templates = request.app.state.page_templates
    language = lang or lang_of(request)
    account = current_account(request)
    values = {"lang": language, "t": chooser(language), "account": account,
              "home": HOME[account.role] if account is not None else "/",
              "csrf": csrf_token(request), "flash": take_flash(request),
              "erasure_marks": PageMarks(lambda: erasure_marks(request.app.state.uow_factory())),
              "money": lambda m: format_money(m, lang=language),
              "switch_lang": switch_url(request, "en" if language == "ko" else "ko",
                                        context.get("here")), **context}
    response = templates.TemplateResponse(request, template, values, status_code=status_code)
    if (asked := requested_lang(request)) is not None:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="lax")
    return response
