"""Who sells and buys what: sellers, products and customers, validated on creation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from sagwa.domain.identifiers import fold_width, normalise_gtin, normalise_isbn
from sagwa.domain.money import Money, check_price
from sagwa.errors import Conflict, InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: How a phone number may be written: digits in groups parted by one space, hyphen or dot, an
#: optional leading ``+`` with the country code, and an area code in parentheses
#: (``010-1234-5678``, ``(02) 123-4567``, ``+82 10 1234 5678``, ``+1 (415) 555-0100``).
_PHONE_SHAPE = re.compile(r"\+?(?:\d{1,4} ?)?(?:\(\d{1,4}\) ?)?\d+(?:(?: ?[.\-] ?| )\d+)*",
                          re.ASCII)
#: The longest number written out that is read at all (15 digits, their separators and more).
_PHONE_MAX_CHARS = 30
#: A Korean number dialled at home: a 0 and an area or mobile code (not 00, the international
#: prefix), 9 digits (02-123-4567) to 11 (010-1234-5678); or a 050x safe number (안심번호), 12
#: digits (0504-1234-5678), which marketplaces and delivery apps hand out instead of the real one.
_DOMESTIC = re.compile(r"0[1-9]\d{7,9}|050\d{9}", re.ASCII)
#: A nationwide business number (대표번호), eight digits: 1588-1234, 1544-0000.
_NATIONWIDE = re.compile(r"1[5-9]\d{6}", re.ASCII)
#: An international number after its ``+`` (E.164): a country code not starting with 0, and 8
#: to 15 digits in all.
_INTERNATIONAL = re.compile(r"[1-9]\d{7,14}", re.ASCII)
_CODE = re.compile(r"^[a-z0-9][a-z0-9\-]{1,39}$")
LOCALES = ("ko", "en")


#: Characters that change the direction text is shown in (embeddings, overrides, isolates):
#: "\u202egpj.exe" shows as "exe.jpg". Never needed in a name or title; refused everywhere.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
#: Letters that show as nothing (Hangul fillers, the braille blank): a name made of them is
#: as empty as one made of spaces.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(value: str | None) -> bool:
    """Whether ``value`` shows anything: not only spaces, control or format characters
    (zero-width space U+200B, joiners, the byte-order mark) and letters that show as nothing."""
    return any(not (unicodedata.category(ch)[0] in "CZ" or ch in _BLANK_LETTERS)
               for ch in value or "")


def check_text_characters(text: str, field: str, *, single_line: bool = True) -> str:
    """``text``, or InvalidInput (``text_control_character``, with the ``character`` as
    ``U+XXXX``) when it holds a character that changes how it reads where it is shown: a
    direction override or embedding, or — in a single-line field (a title or a name, which go
    into emails' subjects and texts) — a line break, a tab or another control character."""
    for ch in text:
        line_break = unicodedata.category(ch) in ("Cc", "Zl", "Zp")
        if ch in BIDI_CONTROLS or (single_line and line_break):
            kind = ("a character that changes the direction text is shown in"
                    if ch in BIDI_CONTROLS else "a line break or another control character")
            raise InvalidInput(f"{field} contains {kind} (U+{ord(ch):04X}); write it on one line "
                               "as it should read", field=field, reason="text_control_character",
                               character=f"U+{ord(ch):04X}")
    return text


def require_text(value: str, field: str, *, max_len: int = 200) -> str:
    """A required single-line text (a name, a title), stripped: InvalidInput when it shows
    nothing (``text_missing``: spaces or zero-width characters only), is longer than
    ``max_len`` (``text_too_long``) or holds a control character (:func:`check_text_characters`)."""
    text = (value or "").strip()
    if not has_visible_text(text):
        raise InvalidInput(f"{field} must not be empty", field=field, reason="text_missing")
    if len(text) > max_len:
        raise InvalidInput(f"{field} is longer than {max_len} characters", field=field,
                           reason="text_too_long")
    return check_text_characters(text, field)


def optional_text(value: str | None, field: str, *, max_len: int = 200) -> str | None:
    """An optional single-line text (a brand, an English title): None when it shows nothing,
    else as :func:`require_text`."""
    if value is None or not has_visible_text(value):
        return None
    return require_text(value, field, max_len=max_len)


def check_email(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if not _EMAIL.match(value.strip()):
        raise InvalidInput(f"{value!r} is not an email address", field="email",
                           reason="email_not_an_address")
    return value.strip().lower()


#: Korea's country code after the international prefix as dialled from abroad: ``+82`` or
#: ``00 82`` (a 0 kept after it, as in "+82 010-…", goes too). Only 00: a carrier's own prefixes
#: (001, 002, 00700, …) are not read, as which are in use is not known here.
_KOREA_CODE = re.compile(r"^(?:00)?820?")
#: Korea's code after the international prefix 00 (``0082 10-…``, as dialled from abroad):
#: read as ``+82``, so that no stored number starts with 00 (``domestic_digits``' index).
_KOREA_FROM_ABROAD = re.compile(r"^00[ -]?(?=82)")
#: The minus sign, which word processors put for a hyphen; it is a math symbol, not a dash.
_MINUS_SIGN = "\u2212"


def plain_phone_text(value: str) -> str:
    """``value`` as a phone number is read, in plain characters: full-width digits and signs
    (``０１０－１２３４``, as Korean input methods type them) as the ASCII ones, a dash of any
    kind (the en and em dash, the hyphen U+2010, the minus sign, …: input methods and word
    processors put them between the digits) as ``-``, runs of spaces of any kind (a no-break
    one, copied from a web page) as one, stripped, and invisible format characters left out
    (the direction marks a phone's contacts app copies around a number, a zero-width space:
    the number shows without them). Other characters stay as they are: a ``①`` or a ``١`` is
    no digit anyone dials."""
    dashed = "".join("-" if ch == _MINUS_SIGN or kind == "Pd" else ch
                     for ch in fold_width(value)
                     if (kind := unicodedata.category(ch)) != "Cf")
    return " ".join(dashed.split())


def domestic_digits(phone: str) -> str:
    """``+82 10-1234-5678`` -> ``01012345678``: the digits (0-9; full-width ones read as
    them), Korea's +82 or 00 82 (and a 0 after it) turned back into the leading 0 — one number
    however it is written (the agents' lookup). ``tables.domestic_phone_digits`` reduces stored
    numbers the same way in SQL, without the 00: no number :func:`check_phone` stores starts
    with 00, and the expression is that of two indexes."""
    return _KOREA_CODE.sub("0", re.sub(r"[^0-9]", "", fold_width(phone)))


def check_phone(value: str | None) -> str | None:
    """``value`` in plain characters (:func:`plain_phone_text`: ``０１０–1234–5678`` is kept as
    ``010-1234-5678``), or None when blank; InvalidInput (``phone_not_a_number``) unless it
    is a number someone could call: a Korean one from its 0 (9 to 11 digits, 12 for a 050x safe
    number) or a nationwide business number (8 digits, 1588-…), or one from ``+`` and its
    country code (8 to 15 digits; Korea's after the prefix 00, ``0082 10-…``, kept as
    ``+82``), written as :data:`_PHONE_SHAPE` allows (ASCII digits only), and not one digit
    over and over (``0000-0000``, ``010-0000-0000``)."""
    if value is None or not value.strip():
        return None
    text = _KOREA_FROM_ABROAD.sub("+", plain_phone_text(value), count=1)
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+"):
        callable_ = _INTERNATIONAL.fullmatch(digits)
    else:
        callable_ = _DOMESTIC.fullmatch(digits) or _NATIONWIDE.fullmatch(digits)
    if (len(text) > _PHONE_MAX_CHARS or not _PHONE_SHAPE.fullmatch(text) or not callable_
            or len(set(digits.lstrip("0"))) <= 1
            # a placeholder after a real prefix: 010-0000-0000, 010-1111-1111
            or (not text.startswith("+") and len(set(digits[3:])) <= 1)):
        raise InvalidInput(f"{value!r} is not a phone number anyone could call: a Korean number "
                           "from its 0 (9 to 11 digits, like 010-1234-5678 or 02-123-4567; 12 "
                           "for a 050x safe number) or one from + and its country code (8 to 15 "
                           "digits, like +1 415 555 0100)", field="phone",
                           reason="phone_not_a_number")
    return text


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
        object.__setattr__(self, "brand", optional_text(self.brand, "brand", max_len=100))
        object.__setattr__(self, "title_en", optional_text(self.title_en, "title_en",
                                                           max_len=300))
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
    erased_at: datetime | None = None  # personal data erased (name, email, phone blank)

    @property
    def written_to(self) -> tuple[str, str | None]:
        """The one channel a message to the customer goes by, and its address: email, or a
        text to a customer with a phone and no address (the address None without either)."""
        return ("email", self.email) if self.email else ("sms", self.phone)


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


def _same_detail(name: str, one: str | None, other: str | None) -> bool:
    """Two values of a contact detail name the same address or number (a number written
    another way is the same one; an address's case does not matter)."""
    if not one or not other:
        return not one and not other
    if name == "phone":
        return domestic_digits(one) == domestic_digits(other)
    return one.strip().lower() == other.strip().lower()


def check_unchanged_since(customer: Customer, *, shown: dict[str, str | None],
                          typed: dict[str, str | None | Keep]) -> None:
    """Refuse (Conflict ``contact_changed_meanwhile``) a correction made on a form that showed
    ``shown`` (``{"phone": "010-…"}``; None: none) when someone changed one of those details
    since and this one ``typed`` another value over it (KEEP: left as shown) — saving it would
    silently undo their change. The details say which changed (``changed``) and what is stored
    now (``phone_now``, ``email_now``; absent: none)."""
    stored = {"email": customer.email, "phone": customer.phone}
    changed = []
    for name, was in shown.items():
        value = typed.get(name, KEEP)
        if isinstance(value, Keep) or _same_detail(name, was, stored[name]):
            continue  # left as shown (someone else's change stays), or nobody changed it
        if not _same_detail(name, value, stored[name]):  # typed as stored now: no harm
            changed.append(name)
    if changed:
        raise Conflict(f"customer {customer.id}'s {' and '.join(changed)} changed since the form "
                       "was opened; nothing was saved", field=changed[0],
                       reason="contact_changed_meanwhile", changed=changed,
                       **{f"{name}_now": value for name, value in stored.items() if value})


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
