"""Every variant of the messages after the deadline to a customer owed a call — never told; we
could not reach you (told or not, wrote or not, asked for a person or not, with a case link or
without) — for plans with two to four options, a keep cap and a call default, one or three
units, Korean and English, email and text: no finding at all from the message check (a review
found 84 variants over the sentence length with four options or a cap)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import timedelta

import pytest
from test_desk_messages import DECLARED, INCIDENT, WRONG, facts, plan

from sagwa.domain.incident_scope import build_cases, open_case
from sagwa.domain.incidents import CaseStatus, OrderRecord
from sagwa.messagecheck import check_message
from sagwa.services import desk_messages as dm
from sagwa.services.desk_policy import load_desk_policy
from sagwa.services.desk_wordings import order_values, shared_values

POLICY = load_desk_policy()
LINK = "https://sagwa.example/c/" + "eyJjIjoxMTYsInUiOjExNiwieCI6MTIxNDk3NDgwMH0" * 2
PLANS = {"four options": {}, "keep cap 2": {"keep_max_units": 2},
         "two options": {"options": ["keep", "talk_to_person"], "cancel_compensation": None,
                         "discount_pct": None},
         "call default, cap 1": {"keep_max_units": 1, "default": "follow_up_call"}}


def _case(quantities: tuple[int, ...], *, told: bool):  # type: ignore[no-untyped-def]
    orders = [OrderRecord(i + 1, "lee", 101, n, WRONG, DECLARED - timedelta(hours=3 - i),
                          "placed") for i, n in enumerate(quantities)]
    return replace(open_case(build_cases(orders, INCIDENT)[0], case_id="c-lee"), told=told,
                   status=CaseStatus.DEFAULTED)


def _variants():  # type: ignore[no-untyped-def]
    """(purpose, values, channels): a customer with no phone number (never called) is written
    to by email only, as they have no number to text either."""
    yield "never_told", {}, ("email", "sms")
    for told, wrote, asked in itertools.product((True, False), repeat=3):
        if not (told and wrote):
            yield "unreachable", {"told": told, "wrote": wrote, "asked": asked, "attempts": 3,
                                  "no_phone": False}, ("email", "sms")
            yield "unreachable", {"told": told, "wrote": wrote, "asked": asked, "attempts": 0,
                                  "no_phone": True}, ("email",)


@pytest.mark.parametrize("plan_name", list(PLANS))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_variant_passes_with_no_finding(plan_name: str, lang: str) -> None:
    terms = plan(**PLANS[plan_name])
    shared = shared_values(facts(), terms, POLICY, lang)
    checked = 0
    for quantities in ((1,), (2, 1)):
        for purpose, extra, channels in _variants():
            told = bool(extra.get("told"))
            case = _case(quantities, told=told)
            for link in ("",) if told else (LINK, ""):
                values = {**shared, **order_values(case, terms, "KRW", lang), **extra,
                          "customer_name": "홍길동" if lang == "ko" else "Alex Kim", "link": link}
                for channel in channels:
                    body = dm.render(f"{purpose}_{channel}", lang, **values)
                    found = check_message(body, kind="resolution", lang=lang).findings
                    assert found == (), (purpose, channel, extra, bool(link),
                                         [(f.code, body[f.span[0]:f.span[1]] if f.span else "")
                                          for f in found])
                    checked += 1
    # 2 quantities x (never told 4 + told 4 + not told 16 + no phone: told 2 + not told 8)
    assert checked == 68


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_phone_says_so_and_never_that_we_called(lang: str) -> None:
    terms = plan()
    values = {**shared_values(facts(), terms, POLICY, lang),
              **order_values(_case((1,), told=True), terms, "KRW", lang), "told": True,
              "wrote": False, "asked": True, "attempts": 0, "no_phone": True,
              "customer_name": "홍길동", "link": ""}
    body = dm.render("unreachable_email", lang, **values)
    assert ("전화번호가 없어" if lang == "ko" else "we have no phone number for you") in body
    assert ("번 전화드렸지만" if lang == "ko" else "called you") not in body
    # told, not asked: the apology never promised them a call (it said we would write)
    quiet = dm.render("unreachable_email", lang, **{**values, "asked": False})
    assert ("전화 대신 메일로 안내드립니다" if lang == "ko"
            else "As we have no phone number for you, we are writing to you instead.") in quiet
    assert ("안내드린 대로" if lang == "ko" else "as we said we would") not in quiet
    assert "reply to this email with a number" not in body


@pytest.mark.parametrize("plan_name", list(PLANS))
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_apology_to_a_customer_with_no_phone_promises_no_call(plan_name: str,
                                                                   lang: str) -> None:
    """Its options and its default (a call for the call default, or above the keep cap) say to
    call us, never that we will call; and it passes the check with no finding."""
    from sagwa.domain.money import Money
    from sagwa.services.desk_wordings import customer_values, resolution_texts

    terms = plan(**PLANS[plan_name])
    shared = shared_values(facts(), terms, POLICY, lang)
    for quantities in ((1,), (2, 1)):
        case = _case(quantities, told=True)
        paid = Money(WRONG.amount_minor * case.units, "KRW")
        values = customer_values(shared, terms, lang, "홍길동", case.units, paid, LINK,
                                 dm.over_cap(case, terms), can_call=False)
        for reminder in (False, True):
            _subject, body = resolution_texts(values, lang, reminder)["email"]
            assert ("전화드리겠습니다" not in body and "전화드려" not in body) if lang == "ko" \
                else "will call you" not in body, body
            assert check_message(body, kind="resolution", lang=lang).findings == (), (
                [(f.code, body[f.span[0]:f.span[1]] if f.span else "")
                 for f in check_message(body, kind="resolution", lang=lang).findings])
