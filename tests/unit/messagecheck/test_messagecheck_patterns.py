"""Dates, times, durations, phone numbers, emails, URLs and money are recognised exactly."""

from __future__ import annotations

import pytest

from sagwa.messagecheck.patterns import find_entities


def kinds_and_text(text: str) -> list[tuple[str, str]]:
    return [(e.kind, text[e.start : e.end]) for e in find_entities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6월 16일 오후 6시까지", [("DATE", "6월 16일"), ("TIME", "오후 6시")]),
        ("12/3까지 회신", [("DATE", "12/3")]),
        ("by Friday, December 5", [("DATE", "Friday, December 5")]),
        ("before 6 p.m. KST on Dec 3", [("TIME", "6 p.m. KST"), ("DATE", "Dec 3")]),
        ("2026년 6월 16일(화)", [("DATE", "2026년 6월 16일(화)")]),
        ("the 5th of March, 2026", [("DATE", "the 5th of March, 2026")]),
        ("오늘 자정까지", [("DATE", "오늘"), ("TIME", "자정")]),
        ("within 48 hours", [("DURATION", "48 hours")]),
        ("7일 이내", [("DURATION", "7일")]),
        ("18:30까지", [("TIME", "18:30")]),
    ],
)
def test_dates_times_and_durations_are_recognised(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds_and_text(text) == expected


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("고객센터 1544-0000", "1544-0000"),
        ("문의 02-123-4567", "02-123-4567"),
        ("010-9876-5432로", "010-9876-5432"),
        ("call (555) 201-3344", "(555) 201-3344"),
        ("call 1-800-555-0142", "1-800-555-0142"),
        ("ring +44 20 7946 0958", "+44 20 7946 0958"),
        ("on 0800 123 4567", "0800 123 4567"),
        ("Enquiries: 1300 555 821", "1300 555 821"),
    ],
)
def test_phone_numbers_are_recognised(text: str, found: str) -> None:
    assert ("PHONE", found) in kinds_and_text(text)


def test_email_and_url_do_not_swallow_korean_particles_or_final_dots() -> None:
    text = "help@shop.example로 메일 주시거나 https://help.sagwa.kr/notice/12.를 보세요 www.sagwa.kr."
    assert kinds_and_text(text) == [
        ("EMAIL", "help@shop.example"),
        ("URL", "https://help.sagwa.kr/notice/12"),
        ("URL", "www.sagwa.kr"),
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [("$3.99", "$3.99"), ("39,900원", "39,900원"), ("3만 9천원", "3만 9천원"), ("€120", "€120"),
     ("₩129,000", "₩129,000"), ("AU$290", "AU$290"), ("25 USD", "25 USD"), ("AUD 89", "AUD 89"),
     ("EUR 1,200.50", "EUR 1,200.50")],
)
def test_money_is_recognised(text: str, found: str) -> None:
    assert kinds_and_text(text) == [("MONEY", found)]


@pytest.mark.parametrize(
    "text",
    ["version 2.3.1", "you may choose", "사과 10kg", "a 90% discount", "2 pieces", "AUDIT 2025"],
)
def test_ordinary_words_and_numbers_are_not_entities(text: str) -> None:
    assert find_entities(text) == ()


def test_a_date_is_not_taken_for_a_phone_number() -> None:
    assert kinds_and_text("2026-06-16") == [("DATE", "2026-06-16")]
