"""Filters the page templates can use."""

from __future__ import annotations

from sagwa.web.pages.rendering import make_templates


def test_pages_can_put_the_particle_that_fits_a_value() -> None:
    env = make_templates().env
    page = env.from_string('<p>{{ seller|josa("이(가)") }} {{ units|josa("을(를)") }}</p>')
    assert page.render(seller="카메라마당", units=3) == "<p>카메라마당이 3을</p>"
    assert page.render(seller="<b>사과나라", units=2) == "<p>&lt;b&gt;사과나라가 2를</p>"


def test_a_percent_shows_a_decimal_only_when_it_has_one() -> None:
    """A walkthrough's finding: the seller's history said "20.0%" beside reasons saying "20%"."""
    from sagwa.web.pages.rendering import percent

    assert [percent(v) for v in (20, 20.0, 12.5, 33.33, 99.9, 0.04)] == [
        "20%", "20%", "12.5%", "33.3%", "99.9%", "0%"]


def test_a_recorded_actor_reads_as_a_person_in_the_pages_language() -> None:
    """A walkthrough's finding: "(웹 · … · customer)" on a Korean page, "· agent:agent ·"."""
    from sagwa.web.pages.labels import actor_text

    assert actor_text("customer", "ko") == "고객" and actor_text("customer", "en") == "the customer"
    assert actor_text("agent:choi", "ko") == "상담원 choi"
    assert actor_text("agent:choi", "en") == "agent choi"
    assert actor_text("api:kim", "en") == "kim"
    assert actor_text("someone", "ko") == "someone"  # as recorded when not of a known shape
