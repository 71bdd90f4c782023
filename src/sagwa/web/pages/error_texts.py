"""What a page says when something is refused, in the page's language.

Services raise :class:`~sagwa.errors.SagwaError` with an English ``message`` and a stable
``code`` (plus ``details["field"]`` when one field is at fault, and ``details["reason"]``, a
stable sub-code, when code and field do not tell two situations apart); the JSON API passes them
on unchanged. Pages look the error up in :data:`RULES` — by code, field and reason, never by the
words of the message, which may change — and say the matching sentence instead. A refused plan's
``details["problems"]`` are said one by one with :data:`PLAN_RULES` (by field and
``details["problem_reasons"]``). An error no rule knows keeps the service's message.

Form parsing in the pages raises :class:`FormProblem`, which carries both languages itself.
:class:`PageRoute` (the page routers' route class) re-raises every error a page route lets
through in the page's language, so the one error handler in ``web/errors.py`` renders it.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import datetime
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from sagwa.domain.particles import with_particle
from sagwa.errors import InvalidInput, SagwaError
from sagwa.services.desk_messages import format_when
from sagwa.web.pages.error_sentences import FIELDS, PLAN_RULES, RULES, Rule
from sagwa.web.pages.i18n import lang_of
from sagwa.web.pages.labels import label


class FormProblem(InvalidInput):
    """A value typed into a page form that cannot be read; says so in both languages."""

    def __init__(self, ko: str, en: str, *, field: str) -> None:
        super().__init__(en, field=field)
        self.ko = ko
        self.en = en



def _field(details: Mapping[str, Any]) -> str | None:
    found = details.get("field") or details.get("kind")
    return str(found) if found is not None else None


def _reason(exc: SagwaError) -> str | None:
    found = exc.details.get("reason")
    return str(found) if found is not None else None


def _matches(rule: Rule, code: str, field: str | None, reason: str | None,
             details: Mapping[str, Any]) -> bool:
    return (rule.code == code and (rule.field is None or rule.field == field)
            and (rule.reason is None or rule.reason == reason)
            and all(details.get(name) is not None for name in rule.needs))


def _labelled(vocabulary: str, value: Any, lang: str) -> str:
    """A detail as words: a list of codes (``["ko", "en"]``) is its labels joined; a
    ``moment`` (an ISO 8601 time) as a page says a time ("3월 8일(월) 오전 9시")."""
    if vocabulary == "moment":
        return format_when(datetime.fromisoformat(str(value)), lang)
    if isinstance(value, list | tuple):
        return ", ".join(label(vocabulary, v, lang) for v in value)
    return label(vocabulary, value, lang)


def _say(rule: Rule, details: Mapping[str, Any], lang: str) -> str:
    values = {k: _labelled(rule.labels[k], v, lang) if rule.labels and k in rule.labels else v
              for k, v in details.items()}
    text = rule.ko if lang == "ko" else rule.en
    names = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return text.format(**{n: values.get(n, "—") for n in names})


def sentence(rules: Sequence[Rule], code: str, field: str | None, reason: str | None,
             details: Mapping[str, Any], lang: str) -> str | None:
    rule = next((r for r in rules if _matches(r, code, field, reason, details)), None)
    return _say(rule, details, lang) if rule else None


def error_text(exc: SagwaError, lang: str) -> str:
    """``exc`` said in ``lang``: its own words if it is a :class:`FormProblem`, a rule's
    sentence if one matches, else the service's message."""
    if isinstance(exc, FormProblem):
        return exc.ko if lang == "ko" else exc.en
    problems = exc.details.get("problems")
    if isinstance(problems, Mapping) and problems:
        reasons = exc.details.get("problem_reasons")
        reasons = reasons if isinstance(reasons, Mapping) else {}
        said = [sentence(PLAN_RULES, "plan", str(k), reasons.get(k), exc.details, lang)
                or f"{k}: {v}"
                for k, v in problems.items()]
        return " ".join(said)
    found = sentence(RULES, exc.code, _field(exc.details), _reason(exc), exc.details, lang)
    return found or exc.message


def validation_text(errors: Sequence[Any], lang: str) -> str:
    """FastAPI's form validation errors (a missing or too long field) as sentences."""
    said = []
    for err in list(errors)[:5]:
        name = str(err.get("loc", ("", ""))[-1])
        ko, en = FIELDS.get(name, (name, name))
        kind = str(err.get("type", ""))
        if kind in ("missing", "string_too_short"):
            said.append(f"{with_particle(ko, '을(를)')} 입력해 주세요." if lang == "ko"
                        else f"Please enter {en}.")
        elif kind == "string_too_long":
            said.append(f"{with_particle(ko, '이(가)')} 너무 깁니다." if lang == "ko"
                        else f"{en[:1].upper()}{en[1:]} is too long.")
        else:
            said.append(f"{with_particle(ko, '을(를)')} 확인해 주세요." if lang == "ko"
                        else f"Please check {en}.")
    return " ".join(said)


class PageError(SagwaError):
    """A page route's error re-said in the page's language: same code, status and details."""

    def __init__(self, original: SagwaError, message: str) -> None:
        super().__init__(message, **original.details)
        self.code = original.code
        self.http_status = original.http_status


class PageRoute(APIRoute):
    """The route class of the page routers: errors leave a page route in the page's language
    (the JSON API's routes keep the services' messages)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def in_page_language(request: Request) -> Response:
            try:
                return await handler(request)
            except PageError:
                raise
            except SagwaError as exc:
                raise PageError(exc, error_text(exc, lang_of(request))) from exc
            except RequestValidationError as exc:
                lang = lang_of(request)
                raise PageError(InvalidInput("invalid form"),
                                validation_text(exc.errors(), lang)) from exc

        return in_page_language
