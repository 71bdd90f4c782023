"""The message check judges a customer message's wording, not the names filled into it
(``services.name_stand_ins``): a product called "소송의 기술" / "The Lawyer", a seller called
"법무법인 서점", a customer called "Sue Kim" read as threats to it, yet their messages pass and go
out with those names; a threat anywhere else — in the wording, in an operator's notice — is
still refused. A name masked in a notice keeps its particle's grammar, and masking a name that
is also a word of the text ("사과" in 사과드립니다) refuses nothing by itself."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_desk_messages import CONTACT, CORRECT, INCIDENT, NOW, facts, plan

from sagwa.domain.price_entry import PriceEntry
from sagwa.errors import MessageRefused
from sagwa.services import desk_messages as dm
from sagwa.services.desk_wordings import with_names
from sagwa.services.name_stand_ins import (
    checked_quoting,
    render_checked,
    stand_in_facts,
)

THREATENING = dm.IncidentFacts(INCIDENT, "소송의 기술", "The Lawyer", "법무법인 서점", CORRECT,
                               entered_by=PriceEntry.SELLER)
SUE = "Sue Kim"
#: Threats as the platform's own words (the first by a value sagwa writes, the second added to
#: a notice by an operator).
THREAT = {"ko": "답하지 않으시면 법적 조치를 취하겠습니다.",
          "en": "If you do not answer, we will take legal action."}


def receipt(lang: str, channel: str, *, received: str | None = None,
            named: dm.IncidentFacts = THREATENING, name: str = SUE) -> str:
    """The receipt of a difference (a ``follow_up``), as ``desk_difference`` renders it."""
    values = {"difference": "139,300원" if lang == "ko" else "139,300 KRW", "units": 1,
              "received": received or dm.format_when(NOW, lang), **dm.contact_values(CONTACT, lang)}
    return render_checked(f"difference_received_{channel}", lang, kind="follow_up", facts=named,
                          customer_name=name, values=with_names(values, lang))


@pytest.mark.parametrize(("lang", "channel"), [("ko", "sms"), ("en", "email"), ("en", "sms")])
def test_names_that_read_as_threats_pass_and_are_sent_as_they_are(lang: str,
                                                                   channel: str) -> None:
    text = receipt(lang, channel)
    assert ("소송의 기술" if lang == "ko" else "The Lawyer") in text
    assert channel == "sms" or text.startswith(f"Dear {SUE},")
    with pytest.raises(MessageRefused, match="threat"):  # the names are what the check skips
        dm.checked(text, kind="follow_up", lang=lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_other_word_is_checked_as_it_is_sent(lang: str) -> None:
    when = f"{dm.format_when(NOW, lang)}. {THREAT[lang]}"
    with pytest.raises(MessageRefused, match="threat"):
        receipt(lang, "email", received=when)
    with pytest.raises(MessageRefused, match="threat"):
        receipt(lang, "email", received=when, named=facts(), name="이영희")


def test_the_stand_ins_keep_all_but_the_names() -> None:
    several = replace(THREATENING, other_sellers=("법원서점", "경찰마트"))
    checked = stand_in_facts(several)
    assert (checked.product_ko, checked.product_en) == ("상품", "the item")
    assert (checked.seller_name, checked.other_sellers) == ("X", ("X2", "X3"))
    assert replace(checked, product_ko="", product_en="", seller_name="", other_sellers=()) == \
        replace(several, product_ko="", product_en="", seller_name="", other_sellers=())
    assert dm.cause(checked, "ko").startswith("이번 가격 오류는 저희의 책임입니다. 판매자 X, X2와 X3이 "
                                              "'상품'의 가격을")
    assert dm.cause(checked, "en").startswith("This pricing error is our responsibility. The "
                                              "sellers X, X2 and X3 entered the price of "
                                              "'the item'")


def notice(lang: str, named: dm.IncidentFacts) -> str:
    """The notice as drafted (``notices.draft_notice``), before the operator edits it."""
    return dm.render("notice", lang, product=named.product_ko if lang == "ko" else named.product_en,
                     customers=6, options_phrase=dm.options_phrase(plan(), lang),
                     wrong_date=dm.format_date(INCIDENT.window_start, lang),
                     cause_ko=dm.cause(named, "ko"), cause_en=dm.cause(named, "en"),
                     approved_by_reviewer=False, paused_by_tripwire=False,
                     **dm.contact_values(CONTACT, lang))


def names_of(named: dm.IncidentFacts) -> list[str]:
    return [named.product_ko, named.product_en, named.seller_name]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_notice_naming_threats_passes_but_an_operators_threat_in_it_is_refused(
        lang: str) -> None:
    text = notice(lang, THREATENING)
    assert checked_quoting(text, kind="notice", lang=lang, names=names_of(THREATENING)) == text
    with pytest.raises(MessageRefused, match="threat"):
        dm.checked(text, kind="notice", lang=lang)
    added = f"{text}\n\n{THREAT[lang]}"
    with pytest.raises(MessageRefused, match="threat") as refused:
        checked_quoting(added, kind="notice", lang=lang, names=names_of(THREATENING))
    spans = [f["span"] for f in refused.value.details["findings"] if f["code"] == "threat"]
    assert any(added[start:end] in THREAT[lang] for start, end in spans)  # the text as written


def test_a_name_that_is_also_a_word_refuses_nothing() -> None:
    apple = dm.IncidentFacts(INCIDENT, "사과", "Apple", "사과", CORRECT, entered_by=PriceEntry.SELLER)
    text = notice("ko", apple)  # "사과드립니다" (we apologise) is not the product
    assert checked_quoting(text, kind="notice", lang="ko", names=names_of(apple)) == text


@pytest.mark.parametrize(("added", "refused"), [
    # a threat in the words of a title that is no more than the word: the writer's
    ("주문을 취소하지 않으시면 소송을 제기하겠습니다.", True),
    ("답하지 않으시면 소송하겠습니다.", True),
    # the title quoted, as the notice writes it: a name
    ("'소송'을 주문하신 분께 다시 한 번 사과드립니다.", False),
    ("『소송』을 주문하신 분께 다시 한 번 사과드립니다.", False),
])
def test_a_title_that_is_just_the_threat_word_counts_only_where_quoted(
        added: str, refused: bool) -> None:
    kafka = dm.IncidentFacts(INCIDENT, "소송", "The Trial", "문학서점", CORRECT,
                             entered_by=PriceEntry.SELLER)
    text = f"{notice('ko', kafka)}\n\n{added}"
    if refused:
        with pytest.raises(MessageRefused, match="threat"):
            checked_quoting(text, kind="notice", lang="ko", names=names_of(kafka))
    else:
        assert checked_quoting(text, kind="notice", lang="ko", names=names_of(kafka)) == text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_editors_preview_judges_a_notice_as_publishing_does(lang: str) -> None:
    """The notice editor shows the findings of publishing's check while the operator types
    (``notices.judge_notice``, the customers' data aside): a title that reads as a threat is
    not flagged there either, and the operator's own threat is."""
    from sagwa.services.notices import judge_notice, notice_text

    def check_draft(draft: dict[str, str], names: list[str]):  # type: ignore[no-untyped-def]
        return judge_notice(notice_text(draft["title"], draft["body"]), draft["lang"],
                            names=names)

    text = notice(lang, THREATENING)
    title, _, body = text.partition("\n\n")
    names = names_of(THREATENING)
    draft = {"lang": lang, "title": title, "body": body}
    assert check_draft(draft, names).ok
    assert not check_draft(draft, []).ok  # the names judged: what the preview used to show
    threatening = {**draft, "body": f"{body}\n\n{THREAT[lang]}"}
    assert "threat" in {f.code for f in check_draft(threatening, names).findings
                        if f.severity == "error"}
