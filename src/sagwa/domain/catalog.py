"""Who sells and buys what: sellers, products and customers, validated on creation."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(text) > max_len:
        raise InvalidInput(f"{field} is longer than {max_len} characters", field=field)
    return text


def check_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _EMAIL.match(value.strip()):
        raise InvalidInput(f"{value!r} is not an email address", field="email")
    return value.strip().lower()


def check_phone(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _PHONE.match(value.strip()):
        raise InvalidInput(f"{value!r} is not a phone number", field="phone")
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
                field="code",
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
            raise InvalidInput(f"locale must be one of {LOCALES}, got {self.locale!r}", field="locale")
        if self.email is None and self.phone is None:
            raise InvalidInput("a customer needs an email or a phone number", field="email")


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
