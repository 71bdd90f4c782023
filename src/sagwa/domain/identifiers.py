"""Product identifiers: GTIN (EAN-13, UPC-A, GTIN-8/14) and ISBN-10/13, with check digits;
and whole numbers as people type them (:func:`whole_number_in`).

Full-width characters (``４００６３８１３３３９３１``, as Korean and Japanese input methods type
them) are read as their ASCII forms, so one product has one stored identifier; any other digit
(``①``, ``²``, ``١``) is refused, as ``str.isdigit()`` would let it through to ``int()``.
"""

from __future__ import annotations

import re
import unicodedata

from sagwa.errors import InvalidInput

_ASCII_DIGITS = re.compile(r"[0-9]+")
_IDEOGRAPHIC_SPACE = "\u3000"


def fold_width(text: str) -> str:
    """Full-width ASCII forms (U+FF01-FF5E) and the ideographic space to plain ASCII.

    NFKC only for those: NFKC of the whole text would also turn ``①`` and ``²`` into digits.
    """
    return "".join(
        unicodedata.normalize("NFKC", c)
        if "\uff01" <= c <= "\uff5e" or c == _IDEOGRAPHIC_SPACE
        else c
        for c in text
    )


def is_ascii_digits(text: str) -> bool:
    """True for one or more of 0-9 and nothing else (unlike ``str.isdigit()``)."""
    return _ASCII_DIGITS.fullmatch(text) is not None


def whole_number_in(text: str) -> int | None:
    """``text`` as a whole number people type, or None: an optional sign, the digits 0-9
    (full-width ones read as them: :func:`fold_width`) and ASCII commas between groups of three
    only (``1,000``, ``12,345,678``). A comma anywhere else (``5,00``, ``1,8500``) is a slip —
    a dropped or an extra zero — not a separator to drop; a full-width comma (``3，4``) may
    separate two numbers. The page forms and the CLI read whole numbers with it."""
    if "\uff0c" in text:
        return None
    cleaned = fold_width(text).strip()
    sign, digits = (cleaned[0], cleaned[1:]) if cleaned[:1] in ("+", "-") else ("", cleaned)
    if _GROUPED.fullmatch(digits):
        digits = digits.replace(",", "")
    return int(sign + digits) if is_ascii_digits(digits) else None


_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")  # "0,500": a slip too


def _digits(value: str, field: str) -> str:
    cleaned = fold_width(value).replace("-", "").replace(" ", "")
    if not is_ascii_digits(cleaned):
        raise InvalidInput(
            f"{field} {value!r} must contain only digits (0-9) and hyphens", field=field,
            reason="identifier_not_digits"
        )
    return cleaned


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(value: str) -> str:
    """Return the GTIN as digits, or raise with what is wrong (length or check digit)."""
    digits = _digits(value, "gtin")
    if len(digits) not in (8, 12, 13, 14):
        raise InvalidInput(f"gtin {value!r} must have 8, 12, 13 or 14 digits", field="gtin",
                           reason="gtin_length")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise InvalidInput(f"gtin {value!r} has a wrong check digit", field="gtin",
                           reason="check_digit_wrong")
    return digits


def normalise_isbn(value: str) -> str:
    """Return an ISBN-13 as digits (ISBN-10 is converted), or raise with what is wrong."""
    cleaned = fold_width(value).replace("-", "").replace(" ", "").upper()
    if len(cleaned) == 10:
        body, check = cleaned[:9], cleaned[9]
        if not is_ascii_digits(body) or not (is_ascii_digits(check) or check == "X"):
            raise InvalidInput(f"isbn {value!r} is not a valid ISBN-10", field="isbn",
                               reason="isbn10_malformed")
        total = sum((10 - i) * int(d) for i, d in enumerate(body))
        expected = (11 - total % 11) % 11
        if (10 if check == "X" else int(check)) != expected:
            raise InvalidInput(f"isbn {value!r} has a wrong check digit", field="isbn",
                               reason="check_digit_wrong")
        core = "978" + body
        return core + str(gtin_check_digit(core))
    digits = _digits(cleaned, "isbn")
    if len(digits) != 13 or digits[:3] not in ("978", "979"):
        raise InvalidInput(f"isbn {value!r} must be 13 digits starting 978 or 979", field="isbn",
                           reason="isbn13_malformed")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise InvalidInput(f"isbn {value!r} has a wrong check digit", field="isbn",
                           reason="check_digit_wrong")
    return digits
