"""Exact money: integer minor units plus an ISO 4217 currency code. Never a float.

KRW and JPY have no minor unit (exponent 0): 19,900 KRW is ``Money(19900, "KRW")``.
USD has cents: $39.99 is ``Money(3999, "USD")``.

:func:`allocate_by_weight` divides a whole amount among parties in proportion to weights, in
whole minor units that always add up to the amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sagwa.errors import InvalidInput

#: ISO 4217 code -> number of minor-unit digits, for the currencies sagwa accepts.
CURRENCY_EXPONENTS: dict[str, int] = {
    "KRW": 0,
    "JPY": 0,
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CNY": 2,
    "TWD": 2,
    "HKD": 2,
    "SGD": 2,
    "AUD": 2,
    "CAD": 2,
}

_SYMBOLS = {"KRW": "₩", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}

#: Largest amount (in major units) sagwa accepts for any single price: beyond it is a typo.
MAX_MAJOR_UNITS = 10_000_000_000


def check_currency(code: str) -> str:
    """Return ``code`` if sagwa knows it, else raise :class:`InvalidInput`."""
    if not isinstance(code, str) or code not in CURRENCY_EXPONENTS:
        known = ", ".join(sorted(CURRENCY_EXPONENTS))
        raise InvalidInput(f"unknown currency {code!r}; use one of {known}", field="currency",
                           reason="unknown_currency", currency=str(code)[:16], known=known)
    return code


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An exact amount in a currency's minor units."""

    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise InvalidInput(
                f"amount must be a whole number of minor units, got {self.amount_minor!r}",
                field="amount_minor", reason="amount_not_whole",
            )
        check_currency(self.currency)

    @classmethod
    def of(cls, major: str | int | Decimal, currency: str) -> Money:
        """Build from a major-unit amount given as text or Decimal (``"39.99"``, ``19900``)."""
        check_currency(currency)
        if isinstance(major, (float, bool)):
            raise InvalidInput(f"give amounts as text or Decimal, not {major!r}", field="amount",
                               reason="amount_not_text")
        exponent = CURRENCY_EXPONENTS[currency]
        try:
            value = Decimal(str(major).replace(",", "").strip())
            scaled = value.scaleb(exponent)
        except ArithmeticError:  # InvalidOperation, Overflow (e.g. "1e999999999")
            raise InvalidInput(f"{major!r} is not an amount", field="amount",
                               reason="amount_not_a_number") from None
        if not scaled.is_finite():
            raise InvalidInput(f"{major!r} is not an amount", field="amount",
                               reason="amount_not_a_number")
        if scaled != scaled.to_integral_value():
            raise InvalidInput(
                f"{major} has more decimals than {currency} allows ({exponent})", field="amount",
                reason="amount_too_many_decimals"
            )
        return cls(int(scaled), currency)

    @property
    def exponent(self) -> int:
        return CURRENCY_EXPONENTS[self.currency]

    @property
    def major(self) -> Decimal:
        return Decimal(self.amount_minor).scaleb(-self.exponent)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidInput(f"cannot combine {self.currency} with {other.currency}",
                               reason="currency_mismatch")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount_minor, self.currency)

    def times(self, quantity: int) -> Money:
        return Money(self.amount_minor * quantity, self.currency)

    def as_dict(self) -> dict[str, int | str]:
        return {"amount_minor": self.amount_minor, "currency": self.currency}

    @classmethod
    def from_dict(cls, stored: Mapping[str, Any]) -> Money:
        """The inverse of :meth:`as_dict`, for amounts read back from JSON columns and payloads
        (``amount_minor`` may arrive as text from a JSON path)."""
        try:
            minor, currency = stored["amount_minor"], stored["currency"]
        except (KeyError, TypeError):
            raise InvalidInput(f"an amount needs amount_minor and currency, got {stored!r}",
                               field="amount", reason="amount_not_a_number") from None
        if isinstance(minor, str) and minor.lstrip("-").isdigit():
            minor = int(minor)
        return cls(minor, str(currency))

    def is_positive(self) -> bool:
        return self.amount_minor > 0

    def __str__(self) -> str:
        return format_money(self)


def format_money(money: Money, *, lang: str = "en") -> str:
    """``19,900 KRW`` / ``19,900원``; ``$39.99``; ``USD 39.99`` for codes without a symbol."""
    major = money.major
    text = f"{major:,.{money.exponent}f}"
    if money.currency == "KRW":
        return f"{text}원" if lang == "ko" else f"{text} KRW"
    symbol = _SYMBOLS.get(money.currency)
    sign = "-" if major < 0 else ""
    if symbol:
        return f"{sign}{symbol}{text.lstrip('-')}"
    return f"{money.currency} {text}"


def check_price(money: Money) -> Money:
    """A price a listing may carry: positive and not absurdly large."""
    if money.amount_minor <= 0:
        raise InvalidInput(
            f"price must be positive, got {format_money(money)}",
            field="price",
            reason="price_not_positive",
        )
    limit = MAX_MAJOR_UNITS * 10**money.exponent
    if money.amount_minor > limit:
        ceiling = Money(limit, money.currency)
        raise InvalidInput(
            f"price {format_money(money)} is above the ceiling of {format_money(ceiling)}",
            field="price",
            reason="price_above_ceiling",
            ceiling_ko=format_money(ceiling, lang="ko"),
            ceiling_en=format_money(ceiling, lang="en"),
        )
    return money


def allocate_by_weight(total: int, weights: Mapping[int, int]) -> dict[int, int]:
    """``total`` (whole minor units, 0 or more) split over ``weights``' keys in proportion to
    their weights: each key gets the floor of its exact share, and the units left over (fewer
    than there are keys) go one each to the keys with the largest fractions, ties to the lower
    key. The parts always sum to ``total``. All weights zero: equal weights. Keys whose part is
    zero are kept (with 0)."""
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise InvalidInput(f"cannot allocate {total!r}: a whole amount of 0 or more is needed",
                           field="total", reason="allocation_total_invalid")
    if not weights:
        raise InvalidInput("cannot allocate an amount over no one", field="weights",
                           reason="allocation_without_weights")
    if any(w < 0 for w in weights.values()):
        raise InvalidInput("allocation weights cannot be negative", field="weights",
                           reason="allocation_weight_negative")
    if not any(weights.values()):
        weights = {key: 1 for key in weights}
    whole = sum(weights.values())
    parts = {key: total * w // whole for key, w in weights.items()}
    left = total - sum(parts.values())
    by_fraction = sorted(weights, key=lambda key: (-(total * weights[key] % whole), key))
    for key in by_fraction[:left]:
        parts[key] += 1
    return parts
