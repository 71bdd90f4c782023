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
    ("010-1234-5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("01012345678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("+82 10-1234-5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("+82 (0)10 1234 5678", CaseQuery(LookupBy.PHONE, "01012345678")),
    ("821012345678", CaseQuery(LookupBy.PHONE, "01012345678")),
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
    assert read_query("#" + "9" * 19).by is LookupBy.NAME  # not a number any table holds


@pytest.mark.parametrize("typed", ["", "  \t ", "가" * (MAX_QUERY + 1)])
def test_an_empty_or_too_long_lookup_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_query(typed)
    assert caught.value.details["field"] == "q"


def test_domestic_digits_matches_the_ways_a_korean_number_is_written() -> None:
    forms = ["010-1234-5678", "01012345678", "+82 10-1234-5678", "+82-10-1234-5678",
             "+82 010 1234 5678", "(010) 1234.5678"]
    assert {domestic_digits(f) for f in forms} == {"01012345678"}


def test_full_width_digits_read_as_a_phone_or_a_case_number() -> None:
    from sagwa.services.case_lookup import LookupBy, read_query

    assert read_query("０１０-１２３４-００００").value == "01012340000"
    assert read_query("＃１２").by is LookupBy.CASE_NUMBER
