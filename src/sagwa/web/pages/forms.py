"""Reading what people type into page forms: won amounts, percents, Korea-time date-times.

Full-width characters (``１９９００``, ``５０％``, as Korean input methods may type them) are read
as ASCII; numbers must then be written with the digits 0-9 — ``①``, ``²`` or ``١`` are refused
with the field's message (``str.isdigit()``, ``int()`` and ``float()`` would each accept some).
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from sagwa.domain.identifiers import fold_width, is_ascii_digits
from sagwa.domain.money import Money
from sagwa.domain.pricing import Promotion
from sagwa.web.pages.error_texts import FIELDS, FormProblem

SEOUL = ZoneInfo("Asia/Seoul")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def parse_won(text: str | None, field: str) -> Money:
    """``19,900`` / ``19900원`` / ``19900`` -> Money(19900, "KRW")."""
    cleaned = fold_width(text or "").replace(",", "").replace("원", "").replace("KRW", "").strip()
    if not is_ascii_digits(cleaned):
        ko, en = FIELDS.get(field, ("금액", "the amount"))
        raise FormProblem(f"{ko}: 19900처럼 원 단위 숫자로 입력해 주세요.",
                          f"Enter {en} as a whole number of won, like 19900.", field=field)
    return Money(int(cleaned), "KRW")


def parse_int(text: str | None, field: str, *, optional: bool = False) -> int | None:
    # ASCII commas only: a full-width one may separate ids ("3，4"), so it is refused, not dropped
    cleaned = fold_width((text or "").replace(",", "")).strip()
    if not cleaned and optional:
        return None
    if not _INTEGER.fullmatch(cleaned):
        ko, en = FIELDS.get(field, (field, field))
        raise FormProblem(f"{ko}: 정수로 입력해 주세요.", f"Enter {en} as a whole number.",
                          field=field)
    return int(cleaned)


def parse_local_time(text: str | None, field: str) -> datetime | None:
    """An ISO date-time from ``<input type=datetime-local>``; no zone means Korea time."""
    if not text or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise FormProblem(f"날짜와 시각을 다시 확인해 주세요 ('{text}').",
                          f"'{text}' is not a date and time.", field=field) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=SEOUL)


def parse_promotion(percent: str | None, starts: str | None, ends: str | None) -> Promotion | None:
    if not percent or not percent.strip():
        return None
    cleaned = fold_width(percent).strip().rstrip("%").strip()
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
