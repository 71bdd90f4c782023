"""The cause sentence (apology, reminder, notice, agent script) names who entered the wrong price
only as the record shows: a seller's account → the seller; a platform staff account → "저희
담당자가" / "our staff"; unknown, or listings entered by different sides → the passive "가격이 …
잘못 입력되어" / "the price was entered wrongly". It never contradicts the declared ``responsible``
(a clash reads as unknown), and every wording passes the message check."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_desk_messages import CONTACT, INCIDENT, facts, plan

from sagwa.domain.audit import actor_parts
from sagwa.domain.incidents import Responsibility
from sagwa.domain.price_entry import PriceEntry, across, as_declared, entry_of_role
from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_wordings import wording_samples

SELLER, PLATFORM, UNKNOWN = PriceEntry.SELLER, PriceEntry.PLATFORM, PriceEntry.UNKNOWN
R = Responsibility
SELLER_BLAMED = {"ko": "판매자 카메라마당이", "en": "The seller 카메라마당 entered"}
STAFF = {"ko": "저희 담당자가 '미러리스 카메라(2세대)'의 가격을 170,000원이 아닌 17,000원으로 잘못 입력했습니다.",
         "en": "Our staff entered the price of 'Mirrorless camera (2nd gen)' as 17,000 KRW instead of 170,000 KRW."}
NEUTRAL = {"ko": "'미러리스 카메라(2세대)'의 가격이 170,000원이 아닌 17,000원으로 잘못 입력되어",
           "en": "The price of 'Mirrorless camera (2nd gen)' was entered wrongly as 17,000 KRW"}
PLATFORM_ERROR = {"ko": "저희 플랫폼의 오류로", "en": "Because of an error on our platform"}
#: How every cause but the platform-error one opens: the platform taking responsibility before
#: any fact about who typed what (a customer-experience review: the seller was named first).
OURS = {"ko": "이번 가격 오류는 저희의 책임입니다. ", "en": "This pricing error is our responsibility. "}


def cause(entered_by: PriceEntry, who: Responsibility, lang: str) -> str:
    return dm.cause(facts(who=who, entered_by=entered_by), lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("who", [R.BOTH, R.PLATFORM])
def test_a_price_a_platform_account_entered_is_ours_and_never_the_sellers(
        lang: str, who: Responsibility) -> None:
    text = cause(PLATFORM, who, lang)
    assert text.startswith(OURS[lang] + STAFF[lang])
    assert "카메라마당" not in text and "판매자" not in text and "seller" not in text.lower()


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("who", [R.BOTH, R.SELLER])
def test_a_price_the_sellers_account_entered_names_the_seller(lang: str,
                                                             who: Responsibility) -> None:
    text = cause(SELLER, who, lang)
    assert text.startswith(OURS[lang] + SELLER_BLAMED[lang])


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("who", [R.BOTH, R.SELLER])
def test_an_unknown_or_mixed_entry_names_no_one(lang: str, who: Responsibility) -> None:
    text = cause(UNKNOWN, who, lang)
    assert text.startswith(OURS[lang] + NEUTRAL[lang])
    assert "카메라마당" not in text and "담당자" not in text and "staff" not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_staff_entry_on_an_incident_declared_the_sellers_reads_as_unknown(lang: str) -> None:
    text = cause(PLATFORM, R.SELLER, lang)
    assert text.startswith(OURS[lang] + NEUTRAL[lang])
    assert "담당자" not in text and "staff" not in text and "카메라마당" not in text


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("entered_by", [SELLER, UNKNOWN])
def test_an_incident_declared_the_platforms_never_blames_the_seller(
        lang: str, entered_by: PriceEntry) -> None:
    text = cause(entered_by, R.PLATFORM, lang)
    assert text.startswith(PLATFORM_ERROR[lang]) and "카메라마당" not in text


COMBINATIONS = [(e, r) for e in PriceEntry for r in (R.SELLER, R.PLATFORM, R.BOTH)]
#: "Failed to correct it" in both languages, as the Korean always said: the English once said
#: "did not catch the mistake", which the notice's "our automatic check held this price"
#: contradicts.
FAILED_TO_CORRECT = {"ko": "저희 플랫폼은 이 오류를 바로잡지 못했습니다.", "en": "our platform failed to correct it."}
APPROVED = {"ko": "저희 자동 검증은 이 가격을 보류했지만 저희 담당자가 승인했습니다.",
            "en": "Our automatic check held this price, but a reviewer approved it."}


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("entered_by", [SELLER, UNKNOWN])
def test_the_english_says_what_the_korean_says_about_the_platform(lang: str,
                                                                  entered_by: PriceEntry) -> None:
    text = cause(entered_by, R.BOTH, lang)
    assert text.endswith(FAILED_TO_CORRECT[lang])
    assert "catch" not in text and APPROVED[lang] not in text


@pytest.mark.parametrize(("entered_by", "who"), COMBINATIONS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_price_a_reviewer_approved_is_said_plainly(entered_by: PriceEntry, who: Responsibility,
                                                     lang: str) -> None:
    approved = replace(facts(who=who, entered_by=entered_by), approved_by_reviewer=True)
    text = dm.cause(approved, lang)
    assert text.endswith(" " + APPROVED[lang]) and "catch" not in text
    for sample_lang, sample in wording_samples(approved, plan(), load_desk_policy()):
        if sample_lang == lang:
            result = check_message(sample, kind="resolution", lang=lang)
            assert result.ok, (sample, result.as_dict()["findings"])


@pytest.mark.parametrize(("entered_by", "who"), COMBINATIONS)
def test_every_apology_reminder_and_default_wording_passes_the_check(
        entered_by: PriceEntry, who: Responsibility) -> None:
    the_facts = facts(who=who, entered_by=entered_by)
    the_plan = plan(keep_max_units=2)
    samples = wording_samples(the_facts, the_plan, load_desk_policy())
    for lang, text in samples:
        result = check_message(text, kind="resolution", lang=lang)
        assert result.ok, (text, result.as_dict()["findings"])
    emails = [text for lang, text in samples if dm.cause(the_facts, lang) in text]
    assert len(emails) >= 4  # the apology and its reminder, within and above the cap, ko and en


@pytest.mark.parametrize(("entered_by", "who"), COMBINATIONS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_notice_wording_passes_the_check(entered_by: PriceEntry, who: Responsibility,
                                                lang: str) -> None:
    the_facts = facts(who=who, entered_by=entered_by)
    text = dm.render("notice", lang, product=the_facts.product_ko, customers=42,
                     options_phrase=dm.options_phrase(plan(), lang), wrong_date="2008년 6월 12일",
                     cause_ko=dm.cause(the_facts, "ko"), cause_en=dm.cause(the_facts, "en"),
                     approved_by_reviewer=True, paused_by_tripwire=False,
                     **dm.contact_values(CONTACT, lang))
    result = check_message(text, kind="notice", lang=lang)
    assert result.ok, (text, result.as_dict()["findings"])


@pytest.mark.parametrize(("actor", "parts"), [
    ("seller:haneul", ("seller", "haneul")), ("api:admin", ("api", "admin")),
    ("admin:kim via cli (os user root)", ("admin", "kim")), ("cli (os user root)", ("", "cli (os user root)")),
    ("system:tripwire", ("system", "tripwire")), ("t", ("", "t")),
])  # fmt: skip
def test_an_audit_name_splits_into_its_prefix_and_account(actor: str,
                                                          parts: tuple[str, str]) -> None:
    assert actor_parts(actor) == parts


def test_roles_map_to_the_side_that_entered_the_price() -> None:
    assert entry_of_role("seller") is SELLER
    assert {entry_of_role(r) for r in ("admin", "reviewer", "agent")} == {PLATFORM}
    assert {entry_of_role(r) for r in ("system", "seed", "", None)} == {UNKNOWN}


def test_listings_entered_by_different_sides_are_unknown() -> None:
    assert across([SELLER, SELLER]) is SELLER and across([PLATFORM]) is PLATFORM
    assert across([SELLER, PLATFORM]) is UNKNOWN and across([SELLER, UNKNOWN]) is UNKNOWN
    assert across([]) is UNKNOWN


def test_an_entry_that_contradicts_the_declared_responsibility_is_unknown() -> None:
    assert as_declared(PLATFORM, R.SELLER) is UNKNOWN
    assert as_declared(SELLER, "platform") is UNKNOWN
    assert as_declared(PLATFORM, R.BOTH) is PLATFORM and as_declared(SELLER, None) is SELLER
    assert as_declared(PLATFORM, replace(INCIDENT, responsible=R.PLATFORM).responsible) is PLATFORM
