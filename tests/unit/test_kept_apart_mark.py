"""A customer whose erasure request waits for the law is marked on the staff pages, beside their
name, in the page's language: "삭제 요청 · 법정 보존 중 (…까지)" — kept apart, to be used only for
what the law keeps it for. Pages without the marks (or customers without a request) show
nothing; the marks are read once per page, and only when a page asks."""

from __future__ import annotations

from datetime import datetime

from sagwa.domain.moments import SEOUL
from sagwa.services.customer_erasure import ErasureMarks
from sagwa.web.pages.kept_apart import PageMarks
from sagwa.web.pages.rendering import make_templates

MARKS = ErasureMarks(by_customer={7: datetime(2031, 11, 22, tzinfo=SEOUL), 8: None},
                     by_case={70: datetime(2031, 11, 22, tzinfo=SEOUL)})


def _render(source: str, lang: str, marks: PageMarks | None) -> str:
    page = make_templates().env.from_string(source)
    return page.render(lang=lang, erasure_marks=marks)


def test_a_customer_kept_by_law_is_marked_korean_first_with_the_last_day() -> None:
    marks = PageMarks(lambda: MARKS)
    said = _render("{{ kept_apart(customer=7) }}", "ko", marks)
    assert "삭제 요청 · 법정 보존 중 (2031-11-21까지)" in said and "data-kept-apart" in said
    assert "badge" in said and "<script" not in said
    said = _render("{{ kept_apart(case=70) }}", "en", marks)
    assert "Erasure requested · kept by law until 2031-11-21" in said


def test_an_open_matter_is_marked_without_a_date() -> None:
    said = _render("{{ kept_apart(customer=8) }}", "ko", PageMarks(lambda: MARKS))
    assert "삭제 요청 · 처리 중인 일로 보존 중" in said


def test_no_request_or_no_marks_show_nothing_and_marks_are_read_once() -> None:
    reads = []

    def load() -> ErasureMarks:
        reads.append(1)
        return MARKS

    marks = PageMarks(load)
    assert _render("[{{ kept_apart(customer=9) }}{{ kept_apart(case=71) }}]", "ko",
                   marks) == "[]"
    assert reads == [1]
    assert _render("[{{ kept_apart(customer=7) }}]", "ko", None) == "[]"
    unread = PageMarks(load)
    _render("[{{ 1 }}]", "ko", unread)
    assert reads == [1]
