"""The public notice's cause sentence (``desk_cause.public_cause``): the notice is public and
stays up for good, so it says "the seller" without the name unless the desk policy opts in
(``[notice] name_seller``), and where the seller's account entered the price but the incident
was declared both sides' (or a reviewer approved it) it puts the error on both, not on the
seller alone. Every wording still passes the message check as a notice."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from test_desk_messages import CONTACT, facts, plan

from sagwa.domain.incidents import Responsibility
from sagwa.domain.price_entry import PriceEntry
from sagwa.messagecheck import check_message
from sagwa.services import desk_cause
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.notices import notice_cause

R, SELLER = Responsibility, PriceEntry.SELLER
SHARED = {"ko": "이번 가격 오류는 저희의 책임입니다. '미러리스 카메라(2세대)'의 가격이 170,000원이 아닌 "
                "17,000원으로 잘못 입력되었고, 판매자와 저희 플랫폼 모두 이 오류를 바로잡지 못했습니다.",
          "en": "This pricing error is our responsibility. The price of 'Mirrorless camera (2nd "
                "gen)' was entered wrongly as 17,000 KRW instead of 170,000 KRW, and neither the "
                "seller nor our platform corrected it."}
SELLERS_OWN = {"ko": "이번 가격 오류는 저희의 책임입니다. 판매자가 '미러리스 카메라(2세대)'의 가격을 "
                     "170,000원이 아닌 17,000원으로 잘못 입력했고, 저희 플랫폼은 이 오류를 바로잡지 못했습니다.",
               "en": "This pricing error is our responsibility. The seller entered the price of "
                     "'Mirrorless camera (2nd gen)' as 17,000 KRW instead of 170,000 KRW, and our "
                     "platform failed to correct it."}


def _notice(cause: dict[str, str], lang: str) -> str:
    return dm.render("notice", lang, product="미러리스 카메라(2세대)", customers=5,
                     options_phrase=dm.options_phrase(plan(), lang), wrong_date="2008년 6월 12일",
                     cause_ko=cause["ko"], cause_en=cause["en"], approved_by_reviewer=True,
                     paused_by_tripwire=False, **dm.contact_values(CONTACT, lang))


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("who", [R.BOTH, R.SELLER, R.PLATFORM])
@pytest.mark.parametrize("approved", [False, True])
def test_the_public_notice_never_names_the_seller_by_default(lang: str, who: Responsibility,
                                                             approved: bool) -> None:
    the_facts = replace(facts(who=who, entered_by=SELLER), approved_by_reviewer=approved)
    text = notice_cause(the_facts, lang, load_desk_policy())
    assert "카메라마당" not in text
    assert desk_cause.APPROVED[lang] not in text  # the notice's own paragraph says it


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_seller_entry_on_an_incident_of_both_sides_is_put_on_both(lang: str) -> None:
    assert desk_cause.public_cause(facts(who=R.BOTH, entered_by=SELLER), lang) == SHARED[lang]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_seller_entry_a_reviewer_approved_is_put_on_both(lang: str) -> None:
    approved = replace(facts(who=R.SELLER, entered_by=SELLER), approved_by_reviewer=True)
    assert desk_cause.public_cause(approved, lang) == SHARED[lang]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_incident_declared_the_sellers_says_the_seller_entered_it_unnamed(lang: str) -> None:
    assert desk_cause.public_cause(facts(who=R.SELLER, entered_by=SELLER), lang) == \
        SELLERS_OWN[lang]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_policy_can_opt_in_to_naming_the_seller(lang: str, tmp_path: Path) -> None:
    packaged = (Path(dm.__file__).parent.parent / "desk.toml").read_text(encoding="utf-8")
    opted = tmp_path / "desk.toml"
    opted.write_text(packaged.replace("name_seller = false", "name_seller = true"),
                     encoding="utf-8")
    policy = load_desk_policy(opted)
    assert policy.notice_names_seller and not load_desk_policy().notice_names_seller
    shared = notice_cause(facts(who=R.BOTH, entered_by=SELLER), lang, policy)
    own = notice_cause(facts(who=R.SELLER, entered_by=SELLER), lang, policy)
    assert shared == SHARED[lang].replace("판매자와", "판매자 카메라마당과").replace(
        "the seller nor", "the seller 카메라마당 nor")
    assert own == SELLERS_OWN[lang].replace("판매자가", "판매자 카메라마당이").replace(
        "The seller entered", "The seller 카메라마당 entered")


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("entered_by", list(PriceEntry))
@pytest.mark.parametrize("who", [R.BOTH, R.SELLER, R.PLATFORM])
@pytest.mark.parametrize("approved", [False, True])
def test_every_public_cause_passes_the_notice_check(lang: str, entered_by: PriceEntry,
                                                    who: Responsibility, approved: bool) -> None:
    the_facts = replace(facts(who=who, entered_by=entered_by), approved_by_reviewer=approved)
    for sellers in (None, "카메라마당"):
        cause = {lg: desk_cause.public_cause(the_facts, lg, sellers=sellers) for lg in ("ko", "en")}
        text = _notice(cause, lang)
        result = check_message(text, kind="notice", lang=lang)
        assert result.ok, (text, result.as_dict()["findings"])


def test_the_customers_own_messages_still_name_their_seller() -> None:
    assert "판매자 카메라마당이" in dm.cause(facts(who=R.BOTH, entered_by=SELLER), "ko")
    assert "The seller 카메라마당 entered" in dm.cause(facts(who=R.BOTH, entered_by=SELLER), "en")
