"""Korean by default, English on request: ``?lang=en`` (remembered in a cookie) or the cookie.

Templates say both words in place — ``{{ t("가격", "price") }}`` — so a page reads in one pass
and the two languages cannot drift apart into separate files.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

LANGS = ("ko", "en")
COOKIE = "sagwa_lang"


def requested_lang(request: Request) -> str | None:
    """The language asked for in the query string, if any (to be remembered)."""
    asked = request.query_params.get("lang")
    return asked if asked in LANGS else None


def lang_of(request: Request, fallback: str = "ko") -> str:
    cookie = request.cookies.get(COOKIE)
    return requested_lang(request) or (cookie if cookie in LANGS else None) or fallback


def in_lang(lang: str, ko: str, en: str) -> str:
    """``ko`` or ``en``, whichever is ``lang``'s (Korean unless it is English)."""
    return ko if lang == "ko" else en


def chooser(lang: str) -> Callable[[str, str], str]:
    """``t(ko, en)``: the text in the page's language."""

    def t(ko: str, en: str) -> str:
        return ko if lang == "ko" else en

    return t
