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


def test_a_time_on_an_english_page_says_it_is_korea_time() -> None:
    """A walkthrough's finding: English pages showed "2008-06-12 14:00" with no zone, which a
    reader abroad takes for their own time. Korean pages need none; text that already says
    "Korea time" asks for none."""
    from datetime import UTC, datetime

    env = make_templates().env
    at = datetime(2008, 6, 12, 5, tzinfo=UTC)
    page = env.from_string("{{ at | seoul }}|{{ at | seoul(zone=False) }}|{{ none | seoul }}")
    assert page.render(at=at, none=None, lang="en") == "2008-06-12 14:00 KST|2008-06-12 14:00|—"
    assert page.render(at=at, none=None, lang="ko") == "2008-06-12 14:00|2008-06-12 14:00|—"
    assert page.render(at=at.isoformat(), none=None, lang="en").startswith("2008-06-12 14:00 KST|")
    # words in another language than the page's (an agent's script in the customer's
    # language, templates/cs/_no_choice.html): that language decides
    script = env.from_string('{{ at | seoul(lang="ko") }}|{{ at | seoul(lang="en") }}')
    assert script.render(at=at, lang="en") == "2008-06-12 14:00|2008-06-12 14:00 KST"
    assert script.render(at=at, lang="ko") == "2008-06-12 14:00|2008-06-12 14:00 KST"


def test_a_korean_time_can_say_korea_time_as_the_korean_sentences_do() -> None:
    """A walkthrough's finding: the seller's price-change table and the review card showed
    Korean times with no zone beside promotion windows saying "한국 시간". Where asked
    (``korean_zone``), a Korean time says so; an English one says KST either way."""
    from datetime import UTC, datetime

    env = make_templates().env
    at = datetime(2008, 6, 12, 5, tzinfo=UTC)
    page = env.from_string("{{ at | seoul(korean_zone=True) }}|{{ at | seoul }}")
    assert page.render(at=at, lang="ko") == "2008-06-12 14:00(한국 시간)|2008-06-12 14:00"
    assert page.render(at=at, lang="en") == "2008-06-12 14:00 KST|2008-06-12 14:00 KST"
    inside = env.from_string("{{ at | seoul(zone=False, korean_zone=True) }}")
    assert inside.render(at=at, lang="ko") == "2008-06-12 14:00"  # the words around say it
