"""How the agents' case lookup reads what was typed (``sagwa.services.case_lookup``)."""

from __future__ import annotations

import unicodedata

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.case_lookup import MAX_QUERY, CaseQuery, LookupBy, domestic_digits, read_query


@pytest.mark.parametrize(("typed", "expected"), [
    ("#12", CaseQuery(LookupBy.CASE_NUMBER, "12")),
    ("12", CaseQuery(LookupBy.CASE_NUMBER, "12")),
    ("  # 12 ", CaseQuery(LookupBy.CASE_NUMBER, "12")),
    ("#0012", CaseQuery(LookupBy.CASE_NUMBER, "12")),
    # an order number the customer reads out (a CS walk), with the word that says so
    ("주문 4003", CaseQuery(LookupBy.ORDER_NUMBER, "4003")),
    ("주문번호: 4003", CaseQuery(LookupBy.ORDER_NUMBER, "4003")),
    ("주문４００３", CaseQuery(LookupBy.ORDER_NUMBER, "4003")),
    ("Order no. 4003", CaseQuery(LookupBy.ORDER_NUMBER, "4003")),
    ("order #0012", CaseQuery(LookupBy.ORDER_NUMBER, "12")),
    ("order", CaseQuery(LookupBy.NAME, "order")),  # a word alone is a name, as before
    ("010-1234-5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("01012345678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("+82 10-1234-5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("+82 (0)10 1234 5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("821012345678", CaseQuery(LookupBy.PHONE, "01012345678")),
    # 00, the international prefix, before Korea's 82 (QA: "0082 10 6576 7871" found nothing)
    ("0082 10 6576 7871", CaseQuery(LookupBy.PHONE, "01065767871")),
    ("00 82 10-6576-7871", CaseQuery(LookupBy.PHONE, "01065767871")),
    ("0082 010 6576 7871", CaseQuery(LookupBy.PHONE, "01065767871")),
    # dashes of any kind part the digits, as on the contact form (QA)
    ("010–5555–6666", CaseQuery(LookupBy.PHONE, "01055556666")),
    ("010—5555—6666", CaseQuery(LookupBy.PHONE, "01055556666")),
    ("010−5555−6666", CaseQuery(LookupBy.PHONE, "01055556666")),
    ("–6980", CaseQuery(LookupBy.PHONE_TAIL, "6980")),
    ("٠١٠١٢٣٤٥٦٧٨", CaseQuery(LookupBy.NAME, "٠١٠١٢٣٤٥٦٧٨")),  # no digits a phone stores
    ("02-123-4567", CaseQuery(LookupBy.PHONE, "021234567")),
    ("12345678", CaseQuery(LookupBy.PHONE, "12345678")),  # 8 digits: no case number
    ("Name@Example.COM", CaseQuery(LookupBy.EMAIL, "name@example.com")),
    ("이서연", CaseQuery(LookupBy.NAME, "이서연")),
    ("  Alex   Kim ", CaseQuery(LookupBy.NAME, "Alex Kim")),
    ("#abc", CaseQuery(LookupBy.NAME, "#abc")),
    ("100%", CaseQuery(LookupBy.NAME, "100%")),
])  # fmt: skip
def test_what_was_typed_is_read_as_a_number_phone_email_or_name(typed: str,
                                                                expected: CaseQuery) -> None:
    assert read_query(typed) == expected


def test_a_name_typed_in_decomposed_hangul_is_the_same_name() -> None:
    assert read_query(unicodedata.normalize("NFD", "이서연")) == CaseQuery(LookupBy.NAME, "이서연")


def test_a_case_number_never_overflows_the_database() -> None:
    assert int(read_query("#" + "9" * 18).value) < 2**63


@pytest.mark.parametrize("digits", [19, 20, 40])
def test_a_hash_and_a_number_too_large_for_a_case_is_still_a_case_number(digits: int) -> None:
    """QA: "#" and 19 digits was looked up as a name ("찾은 기준: 이름 ‘#9999…’"); "#" says
    case number, and one that large is a number no case has (``find_cases`` finds none)."""
    assert read_query("#" + "9" * digits) == CaseQuery(LookupBy.CASE_NUMBER, "9" * digits)
    assert read_query("# 0" + "9" * digits).value == "9" * digits


@pytest.mark.parametrize(("typed", "ignored"), [
    ("윤 곤열", True), ("윤곤열", True), ("윤  곤 열", True),
    ("Alex Kim", False), ("alexkim", False), ("김 Alex", False), ("#abc", False)])
def test_spaces_inside_a_korean_name_are_ignored_but_not_in_other_names(typed: str,
                                                                       ignored: bool) -> None:
    """Korean names are typed with and without a space between family and given name (윤 곤열,
    윤곤열): both are one name. In a Latin name a space parts words: "alexkim" is no "Alex Kim"."""
    query = read_query(typed)
    assert query.by is LookupBy.NAME and query.ignores_spaces is ignored


@pytest.mark.parametrize("typed", ["", "  \t ", "가" * (MAX_QUERY + 1)])
def test_an_empty_or_too_long_lookup_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_query(typed)
    assert caught.value.details["field"] == "q"


def test_domestic_digits_matches_the_ways_a_korean_number_is_written() -> None:
    forms = ["010-1234-5678", "01012345678", "+82 10-1234-5678", "+82-10-1234-5678",
             "+82 010 1234 5678", "(010) 1234.5678"]
    assert {domestic_digits(f) for f in forms} == {"01012345678"}


def test_domestic_digits_read_00_82_as_korea_and_full_width_digits_as_digits() -> None:
    forms = ["0082 10 1234 5678", "00 82 10-1234-5678", "0082-010-1234-5678",
             "００８２ １０ １２３４ ５６７８", "０１０-１２３４-５６７８"]
    assert {domestic_digits(f) for f in forms} == {"01012345678"}
    # a carrier's international prefix (001, 00700, ...) is not read: which are in use is not
    # known here, and a number must not be guessed
    assert domestic_digits("001 82 10 1234 5678") == "001821012345678"


def test_full_width_digits_read_as_a_phone_or_a_case_number() -> None:
    from sagwa.services.case_lookup import LookupBy, read_query

    assert read_query("０１０-１２３４-００００").value == "01012340000"
    assert read_query("＃１２").by is LookupBy.CASE_NUMBER
