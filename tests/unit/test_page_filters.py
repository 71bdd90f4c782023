"""Filters the page templates can use."""

from __future__ import annotations

from sagwa.web.pages.rendering import make_templates


def test_pages_can_put_the_particle_that_fits_a_value() -> None:
    env = make_templates().env
    page = env.from_string('<p>{{ seller|josa("이(가)") }} {{ units|josa("을(를)") }}</p>')
    assert page.render(seller="카메라마당", units=3) == "<p>카메라마당이 3을</p>"
    assert page.render(seller="<b>사과나라", units=2) == "<p>&lt;b&gt;사과나라가 2를</p>"
