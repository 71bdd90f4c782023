"""Who sells and buys what: sellers, products and customers, validated on creation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from sagwa.domain.identifiers import normalise_gtin, normalise_isbn
from sagwa.domain.money import Money, check_price
from sagwa.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9\- ]{6,18}[0-9]$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9\-]{1,39}$")
LOCALES = ("ko", "en")


def require_text(value: str, field: str, *, max_len: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{field} must not be empty", field=field, reason="text_missing")
    if len(text) > max_len:
        raise InvalidInput(f"{field} is longer than {max_len} characters", field=field,
                           reason="text_too_long")
    return text


def check_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _EMAIL.match(value.strip()):
        raise InvalidInput(f"{value!r} is not an email address", field="email",
                           reason="email_not_an_address")
    return value.strip().lower()


def domestic_digits(phone: str) -> str:
    """``+82 10-1234-5678`` -> ``01012345678``: the digits, Korea's +82 (and a 0 after it)
    turned back into the leading 0 — one number however it is written (the agents' lookup;
    ``tables.domestic_phone_digits`` reduces stored numbers the same way, in SQL)."""
    return re.sub(r"^820?", "0", re.sub(r"\D", "", phone))


def check_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _PHONE.match(value.strip()):
        raise InvalidInput(f"{value!r} is not a phone number", field="phone",
                           reason="phone_not_a_number")
    return value.strip()


@dataclass(frozen=True)
class SellerDraft:
    code: str
    name: str
    contact_email: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        if not _CODE.match(self.code or ""):
            raise InvalidInput(
                f"seller code {self.code!r} must be 2-40 lowercase letters, digits or hyphens",
                field="code", reason="seller_code_malformed",
            )
        object.__setattr__(self, "name", require_text(self.name, "name"))
        object.__setattr__(self, "contact_email", check_email(self.contact_email))
        object.__setattr__(self, "phone", check_phone(self.phone))


@dataclass(frozen=True)
class ProductDraft:
    title: str
    category: str
    brand: str | None = None
    title_en: str | None = None
    list_price: Money | None = None
    gtin: str | None = None
    isbn: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", require_text(self.title, "title", max_len=300))
        object.__setattr__(self, "category", require_text(self.category, "category", max_len=80))
        if self.list_price is not None:
            check_price(self.list_price)
        if self.isbn:
            object.__setattr__(self, "isbn", normalise_isbn(self.isbn))
        if self.gtin:
            object.__setattr__(self, "gtin", normalise_gtin(self.gtin))
        elif self.isbn:
            object.__setattr__(self, "gtin", self.isbn)


@dataclass(frozen=True)
class CustomerDraft:
    name: str
    email: str | None = None
    phone: str | None = None
    locale: str = "ko"

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", require_text(self.name, "name"))
        object.__setattr__(self, "email", check_email(self.email))
        object.__setattr__(self, "phone", check_phone(self.phone))
        if self.locale not in LOCALES:
            raise InvalidInput(f"locale must be one of {LOCALES}, got {self.locale!r}",
                               field="locale", reason="locale_unknown")
        if self.email is None and self.phone is None:
            raise InvalidInput("a customer needs an email or a phone number", field="email",
                               reason="customer_contact_required")


@dataclass(frozen=True)
class Seller:
    id: int
    code: str
    name: str
    contact_email: str | None
    phone: str | None


@dataclass(frozen=True)
class Product:
    id: int
    sku: str | None
    title: str
    title_en: str | None
    brand: str | None
    category: str
    list_price: Money | None
    gtin: str | None
    isbn: str | None


@dataclass(frozen=True)
class Customer:
    id: int
    name: str
    email: str | None
    phone: str | None
    locale: str


class Keep(Enum):
    """A contact detail left as it is (``change_contact``): not given, unlike ``None``, which
    removes it."""

    KEEP = "keep"


KEEP = Keep.KEEP
#: How one contact detail changed (``ContactChange``).
ADDED, CHANGED, REMOVED = "added", "changed", "removed"


@dataclass(frozen=True)
class ContactChange:
    """A customer's email and phone after a correction, and how each changed (:data:`ADDED`,
    :data:`CHANGED`, :data:`REMOVED`, or None when it is the same)."""

    email: str | None
    phone: str | None
    email_change: str | None
    phone_change: str | None

    @property
    def how(self) -> dict[str, str]:
        """The details that changed and how: ``{"phone": "added"}``; empty when none did."""
        return {name: how for name, how in (("email", self.email_change),
                                            ("phone", self.phone_change)) if how}


def _how(before: str | None, after: str | None) -> str | None:
    if before == after:
        return None
    return ADDED if before is None else REMOVED if after is None else CHANGED


def change_contact(customer: Customer, *, email: str | None | Keep = KEEP,
                   phone: str | None | Keep = KEEP) -> ContactChange:
    """``customer``'s contact details with ``email`` and ``phone`` corrected (checked as at
    registration; None or blank removes one, :data:`KEEP` leaves it). A customer keeps at least
    one way to reach them: removing the last is refused."""
    new_email = customer.email if email is KEEP else check_email(email)
    new_phone = customer.phone if phone is KEEP else check_phone(phone)
    if new_email is None and new_phone is None:
        removed = "email" if customer.email is not None else "phone"
        raise InvalidInput(f"customer {customer.id} needs an email or a phone number: removing "
                           f"the {removed} would leave no way to reach them",
                           field=removed, reason="customer_contact_required")
    if new_phone is not None and customer.phone is not None \
            and domestic_digits(new_phone) == domestic_digits(customer.phone):
        new_phone = customer.phone  # the same number written another way: not a new one
    return ContactChange(new_email, new_phone, _how(customer.email, new_email),
                         _how(customer.phone, new_phone))
