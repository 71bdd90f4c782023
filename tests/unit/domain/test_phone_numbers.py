"""A phone number on file is one someone could call (``catalog.check_phone``, for customers,
sellers and agents' corrections alike): a Korean number from its 0 with 9 to 11 digits, a
nationwide business number, or one from + and its country code (E.164: 8 to 15 digits), written
with single spaces, hyphens or dots and an area code in parentheses — not a fragment, a run of
separators or one digit over and over."""

from __future__ import annotations

import pytest

from sagwa.domain.catalog import Customer, change_contact, check_phone
from sagwa.errors import InvalidInput


@pytest.mark.parametrize("number", [
    "010-1234-5678", "01012345678", "010 1234 5678", "010.1234.5678", "(010) 7777 6980",
    "02-123-4567",  # Seoul, 9 digits
    "(02) 123-4567", "031-0100-1003", "070-0100-1008",
    "1588-0000",  # a nationwide business number
    "+82 10-1234-5678", "+82-10-1234-5678", "+82 10 2222 3333",
    "+1 (415) 555-0100", "+1 415 555 0100", "+44 20 7946 0958",
    "0504-1234-5678", "0507 1234 5678",  # 050x safe numbers (안심번호), 12 digits: a review
    "010 - 1234 - 5678",  # spaces around the hyphens, as some type it
])
def test_numbers_someone_could_call_are_kept_as_typed(number: str) -> None:
    assert check_phone(f"  {number} ") == number


@pytest.mark.parametrize("number", [
    "010-1234",  # a fragment: 7 digits
    "00000000", "0-0-0-0-0", "010--------1234",  # found by QA: all were stored
    "0000000000", "+11111111111", "011-111-1111",  # one digit over and over
    "010-0000-0000", "010-1111-1111",  # a placeholder after a real prefix (a walkthrough)
    "00-1234-5678",  # 00 is the international prefix, not an area code
    "4155550100",  # an American number without its +1: which country?
    "+0 123 456 789", "+1234567",  # no country code starts with 0; E.164 has 8 digits at least
    "+1234 5678 9012 3456",  # 16 digits: more than E.164 allows
    "02-1234-567890",  # 12 digits at home
    "0104-1234-5678",  # 12 digits that are no 050x safe number
    "010 -- 1234", "010-1234-5678-", "(02)) 123-4567", "010-1234-5678 ext 2",
    "call me",
    "010-١٢٣٤-5678", "٠١٠١٢٣٤٥٦٧٨",  # Arabic-Indic digits: no number a Korean phone dials
    "010-①②③④-5678", "０１０-ＡＢＣＤ-5678",  # circled digits, full-width letters
    "001 415 555 0100", "00700 1 415 555 0100",  # a carrier's prefix: not read
    "010––1234", "010 – – 1234",  # a run of dashes is no separator
])
def test_numbers_nobody_could_call_are_refused_saying_what_a_number_looks_like(
        number: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_phone(number)
    assert refused.value.details == {"field": "phone", "reason": "phone_not_a_number"}
    assert "010-1234-5678" in refused.value.message and "+1 415 555 0100" in refused.value.message


def test_a_blank_number_is_none() -> None:
    assert check_phone(None) is None and check_phone("  ") is None


@pytest.mark.parametrize(("typed", "stored"), [
    # QA: the agents' contact form refused what their lookup reads (full-width digits as a
    # Korean input method types them, a word processor's dashes)
    ("０１０-5555-6666", "010-5555-6666"),
    ("０１０－５５５５－６６６６", "010-5555-6666"),
    ("010–5555–6666", "010-5555-6666"),  # en dash
    ("010—5555—6666", "010-5555-6666"),  # em dash
    ("010‐5555‐6666", "010-5555-6666"),  # hyphen U+2010
    ("010−5555−6666", "010-5555-6666"),  # minus sign
    ("（０２）１２３－４５６７", "(02)123-4567"),
    ("＋８２ １０ ５５５５ ６６６６", "+82 10 5555 6666"),
    ("010\u00a05555\u30006666", "010 5555 6666"),  # a no-break space, an ideographic space
    ("010  5555   6666", "010 5555 6666"),  # runs of spaces, as the lookup reads them
    # pasted from a phone's contacts, which wrap a number in direction marks, or with a
    # zero-width space: an agent's form and the API read it as the customer's page did
    ("\u202a010-5555-6666\u202c", "010-5555-6666"),
    ("\u2066+82 10-5555-6666\u2069", "+82 10-5555-6666"),
    ("010-5555-6666\u200b", "010-5555-6666"),
    ("\ufeff010\u200e-5555-6666", "010-5555-6666"),
    # Korea's code after the international prefix 00, as dialled from abroad (the lookup reads
    # it): stored with its +, as every number from a country code is (none starts with 00)
    ("0082 10 5555 6666", "+82 10 5555 6666"),
    ("0082-10-5555-6666", "+82-10-5555-6666"),
    ("00 82 10-5555-6666", "+82 10-5555-6666"),
    ("００８２ １０－５５５５－６６６６", "+82 10-5555-6666"),
])
def test_a_number_typed_with_full_width_digits_or_any_dash_is_stored_in_plain_characters(
        typed: str, stored: str) -> None:
    assert check_phone(typed) == stored


def test_a_number_typed_in_full_width_is_the_same_number_as_the_one_on_file() -> None:
    customer = Customer(7, "윤곤열", None, "010-5555-6666", "ko")
    change = change_contact(customer, phone="０１０–５５５５–６６６６")
    assert change.phone == "010-5555-6666" and change.phone_change is None
