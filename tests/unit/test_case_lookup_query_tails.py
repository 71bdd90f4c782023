"""How the agents' case lookup reads a phone number's last four digits ("my number ends in
6980") and the start of an email (``sagwa.services.case_lookup.read_query``)."""

from __future__ import annotations

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.case_lookup import CaseQuery, LookupBy, read_query

BOTH = LookupBy.CASE_NUMBER_OR_PHONE_TAIL


@pytest.mark.parametrize(("typed", "expected"), [
    ("6980", CaseQuery(BOTH, "6980")),
    (" 6980 ", CaseQuery(BOTH, "6980")),
    ("1000", CaseQuery(BOTH, "1000")),
    ("６９８０", CaseQuery(BOTH, "6980")),  # full-width digits, as typed on a Korean keyboard
    ("0980", CaseQuery(LookupBy.PHONE_TAIL, "0980")),  # no case number starts with 0
    ("０９８０", CaseQuery(LookupBy.PHONE_TAIL, "0980")),
])  # fmt: skip
def test_four_digits_alone_are_a_case_number_and_a_phones_end(typed: str,
                                                               expected: CaseQuery) -> None:
    assert read_query(typed) == expected


@pytest.mark.parametrize("typed", ["*6980", "***-6980", "* 6980", "-6980", "- 6980", "…6980",
                                   "⋯6980", "...6980", "..6980", "…… 6980", "＊６９８０"])
def test_digits_marked_as_a_numbers_end_are_only_a_phones_end(typed: str) -> None:
    assert read_query(typed) == CaseQuery(LookupBy.PHONE_TAIL, "6980")


@pytest.mark.parametrize(("typed", "expected"), [
    ("698", CaseQuery(LookupBy.CASE_NUMBER, "698")),
    ("69801", CaseQuery(LookupBy.CASE_NUMBER, "69801")),
    ("６９８", CaseQuery(LookupBy.CASE_NUMBER, "698")),
    ("#6980", CaseQuery(LookupBy.CASE_NUMBER, "6980")),  # the way to ask for the case alone
    ("# 6980", CaseQuery(LookupBy.CASE_NUMBER, "6980")),
    ("#0980", CaseQuery(LookupBy.CASE_NUMBER, "980")),
    ("010-5555-6980", CaseQuery(LookupBy.PHONE, "01055556980")),
    ("5555-6980", CaseQuery(LookupBy.PHONE, "55556980")),
    ("098", CaseQuery(LookupBy.PHONE, "098")),  # as before: a leading 0 is no case number
    ("6980a", CaseQuery(LookupBy.NAME, "6980a")),
])  # fmt: skip
def test_other_numbers_are_read_as_before(typed: str, expected: CaseQuery) -> None:
    assert read_query(typed) == expected


@pytest.mark.parametrize(("typed", "count"), [("*698", 3), ("-69801", 5), ("…1", 1),
                                              ("...12345678", 8)])
def test_a_marked_end_of_other_than_four_digits_is_refused_saying_how_many(typed: str,
                                                                           count: int) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_query(typed)
    assert caught.value.details == {"field": "q", "reason": "lookup_phone_tail_digits",
                                    "digits": count}


@pytest.mark.parametrize(("typed", "value"), [
    ("minsu.kim@", "minsu.kim@"), ("Minsu.Kim@Exa", "minsu.kim@exa"),
    ("minsu.kim@example.com", "minsu.kim@example.com"), ("100%_off@", "100%_off@")])
def test_text_with_an_at_sign_is_an_email_or_its_start(typed: str, value: str) -> None:
    assert read_query(typed) == CaseQuery(LookupBy.EMAIL, value)


@pytest.mark.parametrize("typed", ["@example.com", "@", " @naver.com"])
def test_a_domain_alone_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_query(typed)
    assert caught.value.details == {"field": "q", "reason": "lookup_email_domain_only"}


@pytest.mark.parametrize(("typed", "finds_email_start"), [
    ("minsu.kim", True), ("kim", True), ("김민준", True), ("ki", False), ("이서", False)])
def test_a_name_of_three_characters_or_more_also_finds_an_emails_start(
        typed: str, finds_email_start: bool) -> None:
    query = read_query(typed)
    assert query.by is LookupBy.NAME
    assert query.finds_email_start is finds_email_start


@pytest.mark.parametrize("typed", ["6980", "*6980", "#12", "010-1234-5678", "kim@"])
def test_only_a_name_is_looked_up_as_an_emails_start(typed: str) -> None:
    assert read_query(typed).finds_email_start is False
