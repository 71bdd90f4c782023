"""The sentence that says how the wrong price came about, in the apology, its reminder, the
public notice and the agent's call script (all through ``desk_messages.cause``).

It opens with the platform taking responsibility, then gives the facts: a customer burned by a
seller and a platform blaming each other must never read the platform pointing at the seller.
It names who entered the price only as far as the record shows (``IncidentFacts.entered_by``,
:mod:`sagwa.domain.price_entry`) and never against the incident's declared ``responsible`` (an
entry that clashes with it — the seller's on an incident declared the platform's, staff's on one
declared the seller's — is worded as unknown):

- entered by the seller's account: "이번 가격 오류는 저희의 책임입니다. 판매자 X가 '…'의 가격을 …
  잘못 입력했고, 저희 플랫폼은 이 오류를 바로잡지 못했습니다." / "This pricing error is our
  responsibility. The seller X entered the price … and our platform failed to correct it."
- entered by a platform staff account: "이번 가격 오류는 저희의 책임입니다. 저희 담당자가 '…'의
  가격을 … 잘못 입력했습니다." / "… Our staff entered the price …"
- unknown, or listings entered by different sides: "… '…'의 가격이 … 잘못 입력되어 있었고, 저희
  플랫폼은 …" / "… The price of '…' was entered wrongly as …"; on an incident declared the
  platform's: "저희 플랫폼의 오류로 … 잘못 표시되었습니다." / "Because of an error on our platform …"

Where the guard held the wrong price and a reviewer approved it
(``IncidentFacts.approved_by_reviewer``), it says so plainly, as the public notice does: "저희
자동 검증은 이 가격을 보류했지만 저희 담당자가 승인했습니다." / "Our automatic check held this
price, but a reviewer approved it." — never that the platform did not catch it.

The public notice (:func:`public_cause`) stays on the board for good and is read by anyone: it
says "the seller" without their name (a sole proprietor's name is personal data, and a public
finding of fault is a defamation risk) unless the desk policy opts in (``[notice]
name_seller``); and where the seller's account entered the price but the error is not the
seller's alone — the incident was declared both sides', or a reviewer approved the price — it
puts it on both: "'…'의 가격이 … 잘못
입력되었고, 판매자와 저희 플랫폼 모두 이 오류를 바로잡지 못했습니다." / "… and neither the seller
nor our platform corrected it." The approval itself is said in the notice's own paragraph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sagwa.domain.incidents import Responsibility
from sagwa.domain.money import format_money
from sagwa.domain.particles import with_particle
from sagwa.domain.price_entry import PriceEntry, as_declared

if TYPE_CHECKING:
    from sagwa.services.desk_messages import IncidentFacts

OURS = {"ko": "이번 가격 오류는 저희의 책임입니다.", "en": "This pricing error is our responsibility."}
#: Said after the facts when a reviewer approved the price the guard held (as the notice says it).
APPROVED = {"ko": "저희 자동 검증은 이 가격을 보류했지만 저희 담당자가 승인했습니다.",
            "en": "Our automatic check held this price, but a reviewer approved it."}


def cause(facts: IncidentFacts, sellers: str, lang: str) -> str:
    """How the wrong price came about, in ``lang``; ``sellers`` names the sellers of ``facts``
    (``desk_messages.seller_names``)."""
    text = _said(facts, lang, sellers=sellers, shared=False)
    return f"{text} {APPROVED[lang]}" if facts.approved_by_reviewer else text


def public_cause(facts: IncidentFacts, lang: str, *, sellers: str | None = None) -> str:
    """How the wrong price came about, as the public notice says it: "the seller" unnamed
    unless ``sellers`` (the desk policy's opt-in) names them, and the error put on both sides
    where it is not the seller's alone (declared ``both``, or a reviewer approved the price).
    The approval is left to the notice's prevention paragraph."""
    declared = Responsibility(facts.incident.responsible or Responsibility.BOTH)
    shared = declared is Responsibility.BOTH or facts.approved_by_reviewer
    return _said(facts, lang, sellers=sellers, shared=shared)


def _said(facts: IncidentFacts, lang: str, *, sellers: str | None, shared: bool) -> str:
    inc = facts.incident
    declared = Responsibility(inc.responsible or Responsibility.BOTH)
    entry = as_declared(facts.entered_by, declared)
    product = facts.product_ko if lang == "ko" else facts.product_en
    wrong = format_money(inc.wrong_price, lang=lang)
    right = format_money(facts.correct_price, lang=lang)
    if lang == "ko":
        return _korean(entry, declared, product, wrong, right, sellers, shared=shared)
    return _english(entry, declared, product, wrong, right, sellers,
                    several=bool(facts.other_sellers), shared=shared)


def _korean(entry: PriceEntry, declared: Responsibility, product: str, wrong: str, right: str,
            sellers: str | None, *, shared: bool) -> str:
    right, wrong = with_particle(right, "이(가)"), with_particle(wrong, "(으)로")
    if entry is PriceEntry.PLATFORM:
        return (OURS["ko"] + f" 저희 담당자가 '{product}'의 가격을 {right} 아닌 {wrong} 잘못 "
                "입력했습니다.")
    if declared is Responsibility.PLATFORM:
        return f"저희 플랫폼의 오류로 '{product}'의 가격이 {right} 아닌 {wrong} 잘못 표시되었습니다."
    seller = f"판매자 {sellers}" if sellers else "판매자"
    if entry is PriceEntry.SELLER and shared:
        return (OURS["ko"] + f" '{product}'의 가격이 {right} 아닌 {wrong} 잘못 입력되었고, "
                f"{with_particle(seller, '과(와)')} 저희 플랫폼 모두 이 오류를 바로잡지 못했습니다.")
    caught = "저희 플랫폼은 이 오류를 바로잡지 못했습니다."
    if entry is PriceEntry.SELLER:
        return (OURS["ko"] + f" {with_particle(seller, '이(가)')} '{product}'의 가격을 "
                f"{right} 아닌 {wrong} 잘못 입력했고, {caught}")
    return OURS["ko"] + f" '{product}'의 가격이 {right} 아닌 {wrong} 잘못 입력되어 있었고, {caught}"


def _english(entry: PriceEntry, declared: Responsibility, product: str, wrong: str, right: str,
             sellers: str | None, *, several: bool, shared: bool) -> str:
    if entry is PriceEntry.PLATFORM:
        return (OURS["en"] + f" Our staff entered the price of '{product}' as {wrong} instead "
                f"of {right}.")
    if declared is Responsibility.PLATFORM:
        return (f"Because of an error on our platform, '{product}' was shown at {wrong} "
                f"instead of {right}.")
    seller = f"{'sellers' if several else 'seller'}{f' {sellers}' if sellers else ''}"
    if entry is PriceEntry.SELLER and shared:
        return (OURS["en"] + f" The price of '{product}' was entered wrongly as {wrong} instead "
                f"of {right}, and neither the {seller} nor our platform corrected it.")
    caught = "and our platform failed to correct it."
    if entry is PriceEntry.SELLER:
        return (OURS["en"] + f" The {seller} entered the price of '{product}' as "
                f"{wrong} instead of {right}, {caught}")
    return (OURS["en"] + f" The price of '{product}' was entered wrongly as {wrong} instead of "
            f"{right}, {caught}")
