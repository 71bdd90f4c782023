"""Reading what people type into page forms: won amounts, percents, Korea-time date-times.

Won amounts are read exactly or refused (:func:`parse_won`): a misplaced comma is a typing
mistake to show, never a separator to drop.

Full-width characters (``１９９００``, ``５０％``, as Korean input methods may type them) are read
as ASCII; numbers must then be written with the digits 0-9 — ``①``, ``²`` or ``١`` are refused
with the field's message (``str.isdigit()``, ``int()`` and ``float()`` would each accept some).
"""

from __future__ import annotations

import re
from datetime import datetime

from sagwa.domain.identifiers import fold_width, whole_number_in
from sagwa.domain.moments import SEOUL, out_of_range
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.web.pages.error_texts import FIELDS, FormProblem
from sagwa.web.pages.won_mistakes import won_problem
from sagwa.web.pages.won_units import read_won

_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def parse_won(text: str | None, field: str) -> Money:
    """A whole number of won as people type it -> Money(amount, "KRW"); every won field of the
    pages reads with it (a seller's new price, an incident's wrong and correct price).

    ``19900``, ``19,900`` (a comma every three digits, nothing else), with ``₩`` or ``KRW``
    before and ``원`` or ``KRW`` after, and Korean units read exactly (``won_units``):
    ``17만원`` (만 = 10,000), ``17만 5천원`` / ``17만5000원`` (천 = 1,000, one digit before it),
    ``1,200만원``, ``100억``, ``1억 2천만원`` (억 = 100,000,000). A misplaced comma (``185,00``,
    ``1,8500``) is refused, not dropped: it is how a dropped or extra zero looks. So is anything
    else (decimals, ``만원`` without a number, a remainder too big for its unit such as
    ``17만 12000``, an amount after 억 without its 만 such as ``1억 2천``)."""
    typed = fold_width(text or "").strip()
    body = _WON_AROUND.fullmatch(typed.replace("\uffe6", "₩"))
    digits = body.group("body").strip() if body else ""
    amount = read_won(digits)
    if amount is None:
        raise won_problem(typed, digits, field)
    return Money(amount, "KRW")


_WON_AROUND = re.compile(r"(?:₩|KRW)?\s*(?P<body>.*?)\s*(?:원|KRW)?", re.IGNORECASE)


def parse_int(text: str | None, field: str, *, optional: bool = False) -> int | None:
    """A whole number as :func:`~sagwa.domain.identifiers.whole_number_in` reads one (a comma
    between groups of three only: ``5,00`` is refused, not read as 500)."""
    typed = (text or "").strip()
    if not typed and optional:
        return None
    number = whole_number_in(typed)
    if number is None:
        ko, en = FIELDS.get(field, (field, field))
        if "," in typed:  # "5,00": a zero dropped or added, not a separator to drop
            raise FormProblem(f"{ko}: 쉼표는 세 자리마다만 넣을 수 있습니다(예: 5,000). 쉼표 없이 "
                              "5000처럼 입력해도 됩니다.",
                              f"Enter {en} as a whole number: a comma goes only between groups "
                              "of three digits (like 5,000), or leave the commas out.",
                              field=field)
        raise FormProblem(f"{ko}: 정수로 입력해 주세요.", f"Enter {en} as a whole number.",
                          field=field)
    return number


def parse_local_time(text: str | None, field: str) -> datetime | None:
    """An ISO date-time from ``<input type=datetime-local>``; no zone means Korea time."""
    if not text or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FormProblem(f"날짜와 시각을 다시 확인해 주세요 ('{text}').",
                          f"'{text}' is not a date and time.", field=field) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)
    if out_of_range(moment):
        raise FormProblem(f"1970년부터 2199년 사이의 날짜를 입력해 주세요 ('{text}').",
                          f"Enter a date from 1970 to 2199 ('{text}').", field=field)
    return moment


def parse_promotion(percent: str | None, starts: str | None, ends: str | None) -> Promotion | None:
    if not percent or not percent.strip():
        return None
    cleaned = fold_width(percent).strip().rstrip("%").strip()
    if re.fullmatch(r"[-−]\s*[0-9.]+", cleaned):
        raise FormProblem("할인율은 음수일 수 없습니다. 1에서 99.9 사이의 숫자로, 소수점 한 자리까지 입력해 "
                          "주세요(예: 10 또는 12.5).",
                          "The promotion percent cannot be negative: enter a number from 1 to "
                          "99.9 with at most one decimal place, like 10 or 12.5.",
                          field="promotion.percent")
    if not _DECIMAL.fullmatch(cleaned):  # float() would also take "١٠", "nan" and "1e1"
        raise FormProblem("할인율은 10처럼 숫자로 입력해 주세요.",
                          "Enter the promotion percent as a number, like 10.",
                          field="promotion.percent")
    value = float(cleaned)
    return Promotion(value, parse_local_time(starts, "promotion.starts_at"),
                     parse_local_time(ends, "promotion.ends_at"))


def local_input(moment: datetime | None) -> str:
    """A value for ``<input type=datetime-local>`` in Korea time."""
    return moment.astimezone(SEOUL).strftime("%Y-%m-%dT%H:%M") if moment else ""
