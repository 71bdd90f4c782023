"""Product identifiers: GTIN (EAN-13, UPC-A, GTIN-8/14) and ISBN-10/13, with check digits."""

from __future__ import annotations

from sagwa.errors import InvalidInput


def _digits(value: str, field: str) -> str:
    cleaned = value.replace("-", "").replace(" ", "")
    if not cleaned.isdigit():
        raise InvalidInput(f"{field} {value!r} must contain only digits and hyphens", field=field)
    return cleaned


def gtin_check_digit(body: str) -> int:
    """GS1 check digit for the digits before it (weights 3,1,3,... from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(value: str) -> str:
    """Return the GTIN as digits, or raise with what is wrong (length or check digit)."""
    digits = _digits(value, "gtin")
    if len(digits) not in (8, 12, 13, 14):
        raise InvalidInput(f"gtin {value!r} must have 8, 12, 13 or 14 digits", field="gtin")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise InvalidInput(f"gtin {value!r} has a wrong check digit", field="gtin")
    return digits


def normalise_isbn(value: str) -> str:
    """Return an ISBN-13 as digits (ISBN-10 is converted), or raise with what is wrong."""
    cleaned = value.replace("-", "").replace(" ", "").upper()
    if len(cleaned) == 10:
        body, check = cleaned[:9], cleaned[9]
        if not body.isdigit() or not (check.isdigit() or check == "X"):
            raise InvalidInput(f"isbn {value!r} is not a valid ISBN-10", field="isbn")
        total = sum((10 - i) * int(d) for i, d in enumerate(body))
        expected = (11 - total % 11) % 11
        if (10 if check == "X" else int(check)) != expected:
            raise InvalidInput(f"isbn {value!r} has a wrong check digit", field="isbn")
        core = "978" + body
        return core + str(gtin_check_digit(core))
    digits = _digits(cleaned, "isbn")
    if len(digits) != 13 or digits[:3] not in ("978", "979"):
        raise InvalidInput(f"isbn {value!r} must be 13 digits starting 978 or 979", field="isbn")
    if gtin_check_digit(digits[:-1]) != int(digits[-1]):
        raise InvalidInput(f"isbn {value!r} has a wrong check digit", field="isbn")
    return digits
