"""A public notice names no customer. Notices stay on the public board with every earlier
version, so a customer's name, phone number or email typed into one ("윤곤열 고객님(010-…)께는
따로 연락드렸습니다") could never be taken back: publishing and the editor's check refuse it
(``customer-data``, an error), as they refuse any other finding.

Refused: the incident's customers' names (three letters or more, spaces ignored), their email
addresses, their phone numbers however written, and any Korean mobile number (010, 011,
016–019: a person's, never the contact centre's line). The contact centre's own phone and
email, which the drafted notice gives, are not anyone's private data and pass."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sagwa.domain.catalog import domestic_digits
from sagwa.messagecheck import Finding

CUSTOMER_DATA = "customer-data"

#: A run that may be a phone number: digits with the separators people type between them.
_PHONE_LIKE = re.compile(r"\+?[0-9０-９][0-9０-９\s\-‐‑‒–—―−.()（）]{6,}[0-9０-９]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MOBILE = re.compile(r"01[016789][0-9]{7,8}")
#: Names shorter than this (without spaces) are common words too ("이상", "Al").
_MIN_NAME = 3


@dataclass(frozen=True)
class Person:
    """What a notice must not say of one customer."""

    name: str
    phone: str | None
    email: str | None


def customer_data_findings(text: str, lang: str, people: Iterable[Person], *,
                           public_phone: str = "", public_email: str = "") -> tuple[Finding, ...]:
    """Errors for each place ``text`` names one of ``people`` (or gives a mobile number), in
    ``lang``; ``public_phone`` and ``public_email`` (the contact centre's) are allowed."""
    people = list(people)
    found: list[Finding] = []
    squeezed, where = _without_spaces(text)
    for person in people:
        name = "".join(person.name.split())
        if len(name) < _MIN_NAME:
            continue
        for hit in re.finditer(re.escape(name.casefold()), squeezed.casefold()):
            found.append(_finding(lang, "name", (where[hit.start()], where[hit.end() - 1] + 1)))
    emails = {p.email.casefold() for p in people if p.email} - {public_email.casefold()}
    for hit in _EMAIL.finditer(text):
        if hit.group().casefold() in emails:
            found.append(_finding(lang, "email", hit.span()))
    phones = {domestic_digits(p.phone) for p in people if p.phone}
    public = domestic_digits(public_phone) if public_phone else ""
    for hit in _PHONE_LIKE.finditer(text):
        digits = domestic_digits(hit.group())
        if digits and digits != public and (digits in phones or _MOBILE.fullmatch(digits)):
            found.append(_finding(lang, "phone", hit.span()))
    return tuple(sorted(found, key=lambda f: f.span or (0, 0)))


def _without_spaces(text: str) -> tuple[str, list[int]]:
    """``text`` without whitespace, and where each of its characters was in ``text``."""
    kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


_WHAT = {"name": ("고객의 이름이", "a customer's name"),
         "email": ("고객의 이메일 주소가", "a customer's email address"),
         "phone": ("개인 전화번호가", "a personal phone number")}


def _finding(lang: str, what: str, span: tuple[int, int]) -> Finding:
    ko, en = _WHAT[what]
    if lang == "ko":
        return Finding(CUSTOMER_DATA, "error", span,
                       f"공개 공지에 {ko} 들어 있습니다. 공지는 누구나 읽고 지난 판도 남으니, 고객을 "
                       "알아볼 수 있는 내용은 빼 주세요.",
                       "특정 고객 이야기는 공지가 아니라 그 고객에게 보내는 안내에 써 주세요.")
    return Finding(CUSTOMER_DATA, "error", span,
                   f"The public notice contains {en}. Anyone can read a notice and its earlier "
                   "versions stay up: leave out anything that identifies a customer.",
                   "Write about one customer in the message to that customer, not in the "
                   "notice.")
