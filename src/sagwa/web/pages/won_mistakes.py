"""Why a typed won amount could not be read (``forms.parse_won``), said precisely and with the
way to write it: a misplaced comma, a minus sign, a dot or spaces between groups of digits
(``185.000``, ``185 000``: written ``185000`` or ``185,000``), another currency (``$149``), a
decimal (``19900.5``), a decimal before 만/천 (``18.5만``), an amount after 억 without its 만
(``1억 2천``: 120,000,000 or 100,002,000?) or a remainder too big for its unit (``17만 12000``:
182,000?). Anything else gets the field's plain request for a
whole number of won, like 19,900.

A suggested amount is only ever what was typed, regrouped (``185.000`` -> 185,000) or read
exactly (``18.5만`` -> 185,000, ``1억 2천`` -> 1억 2천만 or 100,002,000); nothing is converted or
rounded."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from sagwa.web.pages.error_texts import FIELDS, FormProblem
from sagwa.web.pages.won_units import EOK, read_won, remainder_too_big, split_eok

_DIGITS_AND_COMMAS = re.compile(r"[0-9][0-9,]*[0-9]")
_NEGATIVE = re.compile(r"[-−]\s*[0-9][0-9,]*")
_DOT_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:\s[0-9]{3})+")
_SPACED_DIGITS = re.compile(r"[0-9][0-9,\s]*[0-9]")
_DECIMAL = re.compile(r"[0-9][0-9,]*\.[0-9]+")
_DECIMAL_UNIT = re.compile(r"(?P<number>[0-9]+\.[0-9]+)\s*(?P<unit>[만천])")
#: Currencies people write as words or codes (``₩`` and ``KRW`` are won, read by the caller).
_CURRENCY_WORDS = re.compile(r"US\$|USD|EUR|JPY|CNY|RMB|GBP|달러|불|엔|유로|위안|파운드|元|円",
                             re.IGNORECASE)
_UNITS = {"만": 10_000, "천": 1_000}
#: A check's refusal, in Korean and English; None: not this mistake.
Said = tuple[str, str] | None


def won_problem(typed: str, digits: str, field: str) -> FormProblem:
    """The refusal of ``typed`` (``digits``: what is left of it without ``₩``/``원``/``KRW``)
    for the form field ``field``, as precise as what was typed allows."""
    ko, en = FIELDS.get(field, ("금액", "the amount"))
    for check in (_currency, _negative, _eok_without_man, _remainder, _commas, _dots,
                  _spaces, _decimal_unit, _decimal):
        said = check(typed, digits, ko, en)
        if said is not None:
            return FormProblem(*said, field=field)
    return FormProblem(f"{ko}: 19,900처럼 원 단위 숫자로 입력해 주세요.",
                       f"Enter {en} as a whole number of won, like 19,900.", field=field)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ways(amount: int) -> tuple[str, str]:
    """``185000 또는 185,000`` / ``185000 or 185,000``."""
    return f"{amount} 또는 {amount:,}", f"{amount} or {amount:,}"


def _currency(typed: str, digits: str, ko: str, en: str) -> Said:
    signs = [c for c in typed if unicodedata.category(c) == "Sc" and c not in "₩\uffe6"]
    word = _CURRENCY_WORDS.search(typed)
    shown = signs[0] if signs else (word.group(0) if word else None)
    if shown is None:
        return None
    said_ko = (f"{ko}: 원(KRW) 금액만 입력할 수 있습니다('{typed}'). '{shown}' 없이 원으로 바꾼 "
               "금액을 185000 또는 185,000처럼 숫자로 입력해 주세요.")
    said_en = (f"Enter {en} in won (KRW), not in another currency ('{typed}'): write the "
               f"amount in won without '{shown}', like 185000 or 185,000.")
    return said_ko, said_en


def _negative(typed: str, digits: str, ko: str, en: str) -> Said:
    if not _NEGATIVE.fullmatch(digits):
        return None
    return (f"{ko}: 음수는 쓸 수 없습니다. 0보다 큰 금액을 19,900처럼 입력해 주세요.",
            f"{_capital(en)} cannot be negative: enter an amount above zero, like 19,900.")


def _eok_without_man(typed: str, digits: str, ko: str, en: str) -> Said:
    """``1억 2천``: an amount after 억 that names no 만, said back both ways it can be meant
    (1억 2천만, or 100,002,000) and never read as either."""
    parts = split_eok(digits)
    if parts is None or not parts[1] or "만" in parts[1]:
        return None
    eok, rest = parts
    below = read_won(rest)
    if below is None or not 0 < below < 10_000:  # as a number of 만, less than one 억
        return None
    as_man, as_won = eok * EOK + below * 10_000, eok * EOK + below
    with_man = f"{eok:,}억 {rest}만"
    way_ko, way_en = _ways(as_won)
    said_ko = (f"{ko}: 억 뒤의 금액에 '만'이 없습니다('{typed}'). {as_man:,}원이라면 "
               f"'{with_man}'처럼 만을 붙이고, {as_won:,}원이라면 {way_ko}처럼 입력해 주세요.")
    said_en = (f"The amount after 억 in {en} has no 만 ('{typed}'): for {as_man:,} won, write "
               f"'{with_man}'; for {as_won:,} won, write {way_en}.")
    return said_ko, said_en


def _remainder(typed: str, digits: str, ko: str, en: str) -> Said:
    """``17만 12000``: a remainder as big as its unit or bigger, said back with the amount the
    parts add up to (if that is what was meant) — never read as it."""
    found = remainder_too_big(digits)
    if found is None:
        return None
    unit, limit, rest, total = found
    way_ko, way_en = _ways(total)
    units = _in_units(total)
    if units:
        way_ko = f"{units}, {way_ko}"
    said_ko = (f"{ko}: '{unit}' 뒤의 {rest:,}은(는) {unit}({limit:,})보다 작아야 합니다('{typed}'). "
               f"{total:,}원이라면 {way_ko}처럼 입력해 주세요.")
    said_en = (f"In {en}, the {rest:,} after {unit} must be less than {unit} ({limit:,}) "
               f"('{typed}'): for {total:,} won, write {way_en}.")
    return said_ko, said_en


def _commas(typed: str, digits: str, ko: str, en: str) -> Said:
    if "," not in digits or not _DIGITS_AND_COMMAS.fullmatch(digits):
        return None
    said_ko = (f"{ko}: 쉼표 위치가 맞지 않습니다('{typed}'). 19,900처럼 세 자리마다 쉼표를 넣거나 "
               "19900처럼 쉼표 없이 입력해 주세요.")
    said_en = (f"The commas in {en} are misplaced ('{typed}'): write 19,900, with a comma "
               "every three digits, or 19900 without commas.")
    return said_ko, said_en


def _dots(typed: str, digits: str, ko: str, en: str) -> Said:
    """``185.000``: a dot between thousands, as many countries write them."""
    if not _DOT_GROUPS.fullmatch(digits):
        return None
    amount = int(digits.replace(".", ""))
    way_ko, way_en = _ways(amount)
    return (f"{ko}: 원 금액에는 점(.)을 쓰지 않습니다('{typed}'). {amount:,}원이라면 {way_ko}처럼 입력해 주세요.",
            f"{_capital(en)} cannot have a dot ('{typed}'): for {amount:,} won, write {way_en}.")


def _spaces(typed: str, digits: str, ko: str, en: str) -> Said:
    """``185 000``: spaces between thousands (or anywhere between digits)."""
    if not _SPACED_DIGITS.fullmatch(digits) or not re.search(r"\s", digits):
        return None
    spaced_ko = f"{ko}: 숫자 사이에 빈칸이 있습니다('{typed}')."
    spaced_en = f"{_capital(en)} cannot have spaces between its digits ('{typed}')"
    if not _SPACE_GROUPS.fullmatch(digits):
        return (f"{spaced_ko} 19,900처럼 빈칸 없이 입력해 주세요.",
                f"{spaced_en}: write it without spaces, like 19,900.")
    amount = int(re.sub(r"\s", "", digits))
    way_ko, way_en = _ways(amount)
    return (f"{spaced_ko} {amount:,}원이라면 {way_ko}처럼 빈칸 없이 입력해 주세요.",
            f"{spaced_en}: for {amount:,} won, write {way_en}.")


def _decimal_unit(typed: str, digits: str, ko: str, en: str) -> Said:
    """``18.5만``: a decimal before 만 or 천, said back as the whole number it means."""
    found = _DECIMAL_UNIT.fullmatch(digits)
    if found is None:
        return None
    unit_ko = f"{ko}: 만·천 앞에는 소수점을 쓸 수 없습니다('{typed}')."
    unit_en = f"{_capital(en)} cannot have a decimal before 만 or 천 ('{typed}')"
    exact = Decimal(found["number"]) * _UNITS[found["unit"]]
    if exact != exact.to_integral_value():
        return (f"{unit_ko} 원 단위 정수로 19,900처럼 입력해 주세요.",
                f"{unit_en}: enter it as a whole number of won, like 19,900.")
    amount = int(exact)
    way_ko, way_en = _ways(amount)
    units = _in_units(amount)
    if units:
        way_ko = f"{amount}, {amount:,} 또는 {units}"
    return (f"{unit_ko} {amount:,}원이라면 {way_ko}처럼 입력해 주세요.",
            f"{unit_en}: for {amount:,} won, write {way_en}.")


def _in_units(amount: int) -> str | None:
    """``18만 5천`` for 185,000 (as ``parse_won`` reads it); None when thousands do not say it."""
    man, rest = divmod(amount, 10_000)
    if rest % 1_000:
        return None
    parts = ([f"{man:,}만"] if man else []) + ([f"{rest // 1_000}천"] if rest else [])
    return " ".join(parts) or None


def _decimal(typed: str, digits: str, ko: str, en: str) -> Said:
    if not _DECIMAL.fullmatch(digits):
        return None
    said_ko = f"{ko}: 원 금액에는 소수점이 없습니다('{typed}'). 19,900처럼 원 단위 정수로 입력해 주세요."
    said_en = (f"{_capital(en)} cannot have a decimal point ('{typed}'): enter it as a whole "
               "number of won, like 19,900.")
    return said_ko, said_en
