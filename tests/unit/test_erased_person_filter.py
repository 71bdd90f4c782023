"""A customer whose personal data was erased has a blank name: the pages say it was erased, in
the page's language, instead of showing nothing."""

from __future__ import annotations

from sagwa.web.pages.rendering import make_templates


def _render(name: str | None, lang: str) -> str:
    page = make_templates().env.from_string("#7 · {{ name | person }}")
    return page.render(name=name, lang=lang)


def test_a_name_is_shown_as_it_is() -> None:
    assert _render("윤곤열", "ko") == "#7 · 윤곤열"


def test_an_erased_customer_is_said_to_be_erased_in_the_pages_language() -> None:
    assert _render("", "ko") == "#7 · (개인정보 파기됨)"
    assert _render("", "en") == "#7 · (personal data erased)"
