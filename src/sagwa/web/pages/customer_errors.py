"""The customer's error pages (``/c/...``): whatever is refused — an altered or expired link, a
form that has gone stale, a case not ready yet, an address that is no page — the customer reads
it in their own language and always sees how to reach a person (the desk's phone, email and
hours, as the case page shows them), never the staff pages' "go back · home".

The language is the one the customer's page was in — ``?lang=`` (the case page's forms carry
it) or the language cookie — else the case's own (its customer's locale, read from the link even
after it has expired: the signature is still checked), else Korean: the rule the case page
itself follows (``lang_of(request, fallback=locale)``).

:class:`CustomerRoute` (the customer router's route class) turns every error a customer route
lets through into this page; ``web/errors.py`` sends the other errors under ``/c/`` (no such
page) here too.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from sagwa.errors import Forbidden, SagwaError
from sagwa.services.case_links import open_case_token
from sagwa.web.pages.case_facts import contact
from sagwa.web.pages.error_texts import error_text, validation_text
from sagwa.web.pages.i18n import LANGS, lang_of
from sagwa.web.pages.rendering import render

#: Reads a link's ids whatever its expiry (the signature still decides): only to choose the
#: language of the page that refuses it, never to open the case.
_BEFORE_ANY_EXPIRY = datetime(1970, 1, 2, tzinfo=UTC)
_LINK_REASONS = frozenset({"link_expired", "link_invalid"})
#: ``case_facts.load_case``'s refusal: the link's case is not there for its customer.
_CASE_NOT_THERE = "unknown_id"

#: (status or reason) -> (Korean heading, English heading)
_HEADINGS: dict[int | str, tuple[str, str]] = {
    "link": ("링크를 열 수 없습니다", "This link cannot be opened"),
    "form_expired": ("화면이 오래되어 처리하지 못했습니다", "This page had expired"),
    403: ("열 수 없는 페이지입니다", "This page cannot be opened"),
    404: ("페이지를 찾을 수 없습니다", "We could not find this page"),
    405: ("페이지를 찾을 수 없습니다", "We could not find this page"),
    409: ("지금은 처리할 수 없습니다", "This cannot be done now"),
    422: ("입력을 확인해 주세요", "Please check what you sent"),
}
_DEFAULT_HEADING = ("문제가 생겼습니다", "Something went wrong")

#: What a customer is told when we have no sentence of our own (an address that is no page),
#: and for a stale form: nothing happened, and the way back.
_SENTENCES: dict[int | str, tuple[str, str]] = {
    "form_expired": (
        ("화면이 오래되어 보내신 내용을 받지 못했습니다. 아무것도 바뀌지 않았습니다. 아래 ‘내 주문 안내 "
         "페이지 다시 열기’를 눌러 다시 해 주세요."),
        ("This page had expired, so we did not take what you sent and nothing has changed. "
         "Open your case page again below and try again.")),
    404: ("이 주소에는 페이지가 없습니다. 받으신 메시지의 링크를 다시 눌러 주세요.",
          "There is no page at this address; please open the link in your message again."),
    405: ("이 주소에는 페이지가 없습니다. 받으신 메시지의 링크를 다시 눌러 주세요.",
          "There is no page at this address; please open the link in your message again."),
    # the link is good but its case is not there (not this customer's, or gone): the staff's
    # "please check the address" asks what a link's reader cannot do
    _CASE_NOT_THERE: (
        ("이 링크로 고객님의 주문 안내를 찾지 못했습니다. 죄송합니다. 아래 고객센터로 연락 주시면 상담원이 도와 "
         "드립니다."),
        ("We could not find your case from this link; we are sorry. Please contact us below "
         "and one of our staff will help you.")),
}
#: A customer's form fields as said to them: the staff's names (``error_sentences.FIELDS``)
#: speak of "the customer" ("고객의 선택이 너무 깁니다" on the customer's own page). The option
#: they pressed and the confirm step's "yes" are what they sent; the rest, what they typed.
_CUSTOMER_FIELDS: dict[str, tuple[str, str]] = {
    "choice": ("보내신 내용", "what you sent"), "confirmed": ("보내신 내용", "what you sent"),
    "phone": ("입력하신 전화번호", "the phone number you entered"),
    "call_at": ("입력하신 시간", "the time you entered"),
}
_DEFAULT_SENTENCE = ("요청을 처리하지 못했습니다. 아래 연락처로 연락 주시면 상담원이 도와 드립니다.",
                     ("We could not do this; please contact us below and one of our staff will "
                      "help you."))


def _token(request: Request) -> str | None:
    """The link token of a ``/c/<token>...`` address."""
    parts = request.url.path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "c" and parts[2] else None


def _case_locale(request: Request, token: str | None) -> tuple[str | None, bool]:
    """(the language of the link's customer, whether the link is still good to open)."""
    if token is None:
        return None, False
    secrets = request.app.state.settings.accepted_secrets
    try:
        _case_id, customer_id = open_case_token(secrets, token, now=_BEFORE_ANY_EXPIRY)
    except Forbidden:
        return None, False
    try:
        open_case_token(secrets, token)
        usable = True
    except Forbidden:
        usable = False
    with request.app.state.uow_factory() as uow:
        person = uow.catalog.customer(customer_id)
    locale = person.locale if person is not None and person.locale in LANGS else None
    return locale, usable


def customer_lang(request: Request) -> str:
    """The language of a customer's page: see the module docstring."""
    locale, _ = _case_locale(request, _token(request))
    return lang_of(request, fallback=locale or "ko")


def customer_error(request: Request, status: int, *, exc: SagwaError | None = None,
                   message: str | None = None, recorded: dict[str, str] | None = None,
                   applied: list[str] | None = None) -> Response:
    """The customer's error page for ``exc`` (or a bare ``status``): in their language, with
    the way back to their case page while the link still opens it, and the desk's contact.
    ``recorded``: the choice on record behind an expired link (``customer_expired``), shown
    read-only; ``applied``: for a customer who never answered, what was done without them
    (the case page's sentences); ``message`` then says why nothing can be chosen here."""
    token = _token(request)
    locale, usable = _case_locale(request, token)
    lang = lang_of(request, fallback=locale or "ko")
    reason = str(exc.details.get("reason") or "") if exc is not None else ""
    key: int | str = "link" if reason in _LINK_REASONS else (reason or status)
    ko, en = _HEADINGS.get(key) or _HEADINGS.get(status) or _DEFAULT_HEADING
    said = _SENTENCES.get(reason) if reason else None
    if (recorded is not None or applied) and message is not None:
        text = message
    elif said is not None:
        text = said[0] if lang == "ko" else said[1]
    elif message is not None:
        text = message
    elif exc is not None:
        text = error_text(exc, lang)
    else:
        found = _SENTENCES.get(status, _DEFAULT_SENTENCE)
        text = found[0] if lang == "ko" else found[1]
    # no way back to a case page that is not there: it would open this page again
    case_url = f"/c/{token}" if usable and reason != _CASE_NOT_THERE else None
    return render(request, "customer/error.html", {
        "status": status, "heading": ko if lang == "ko" else en, "message": text,
        "link_refused": key == "link", "case_url": case_url, "recorded": recorded,
        "applied": applied,
        "here": case_url or request.url.path, "contact": contact(request.app.state.desk_policy,
                                                                   lang),
        # a refused form's answer stands at the case page's address: a reload posts nothing
        **({"address": case_url} if case_url and request.method == "POST" else {})},
        lang=lang, status_code=status)


def customer_validation_text(errors: Sequence[Any], lang: str) -> str:
    """A customer's form refused, as ``validation_text`` says it, with their fields named as
    said to them (:data:`_CUSTOMER_FIELDS`): "보내신 내용이 너무 깁니다." / "What you sent is too
    long." (a name ``FIELDS`` does not hold is said as it is)."""
    said: list[Any] = []
    for err in errors:
        loc = tuple(err.get("loc", ("",)))
        words = _CUSTOMER_FIELDS.get(str(loc[-1]))
        said.append({**err, "loc": (*loc[:-1], words[0] if lang == "ko" else words[1])}
                    if words else err)
    return validation_text(said, lang)


class CustomerRoute(APIRoute):
    """The customer router's route class: an error leaves a customer route as the customer's
    error page (:func:`customer_error`), not the staff error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def as_customer_page(request: Request) -> Response:
            try:
                return await handler(request)
            except SagwaError as exc:
                return customer_error(request, exc.http_status, exc=exc)
            except RequestValidationError as exc:
                return customer_error(request, 422, message=customer_validation_text(
                    exc.errors(), customer_lang(request)))

        return as_customer_page
