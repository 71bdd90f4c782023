"""Customer messages and notices of the incident desk: rendered from templates, then checked.

Nothing leaves here without passing the message check: :func:`checked` raises
:class:`~sagwa.errors.MessageRefused` with the findings when a draft fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Incident, Responsibility
from sagwa.domain.money import Money, format_money
from sagwa.errors import MessageRefused
from sagwa.messagecheck import check_message
from sagwa.services.desk_policy import ContactDetails

TEMPLATES = Path(__file__).parent / "message_templates"
SEOUL = ZoneInfo("Asia/Seoul")
_KO_DAYS = "월화수목금토일"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                       auto_reload=False,
                       autoescape=False, keep_trailing_newline=False, trim_blocks=False)


def render(name: str, lang: str, **values: object) -> str:
    return _env().get_template(f"{name}_{lang}.txt").render(**values).strip()


def checked(text: str, *, kind: str, lang: str) -> str:
    """The text itself if it passes the message check; else MessageRefused with the findings."""
    result = check_message(text, kind=kind, lang=lang)
    if not result.ok:
        findings = result.as_dict()["findings"]
        codes = ", ".join(sorted({f["code"] for f in findings if f["severity"] == "error"}))
        raise MessageRefused(f"the {kind} ({lang}) failed the message check: {codes}",
                             findings=findings)
    return text


def format_when(moment: datetime, lang: str) -> str:
    """``6월 16일(월) 오후 6시`` / ``Monday, June 16 at 6 pm`` in Asia/Seoul."""
    local = moment.astimezone(SEOUL)
    hour12 = local.hour % 12 or 12
    minute_ko = f" {local.minute}분" if local.minute else ""
    minute_en = f":{local.minute:02d}" if local.minute else ""
    if lang == "ko":
        half = "오전" if local.hour < 12 else "오후"
        return (f"{local.month}월 {local.day}일({_KO_DAYS[local.weekday()]}) "
                f"{half} {hour12}시{minute_ko}")
    half = "am" if local.hour < 12 else "pm"
    return f"{local:%A, %B} {local.day} at {hour12}{minute_en} {half}"


def format_date(moment: datetime, lang: str) -> str:
    local = moment.astimezone(SEOUL)
    return f"{local.year}년 {local.month}월 {local.day}일" if lang == "ko" else f"{local:%B} {local.day}, {local.year}"


@dataclass(frozen=True)
class IncidentFacts:
    """What every message about one incident says: the product, the prices, who erred."""

    incident: Incident
    product_ko: str
    product_en: str
    seller_name: str
    correct_price: Money


def cause(facts: IncidentFacts, lang: str) -> str:
    inc = facts.incident
    wrong, right = (format_money(inc.wrong_price, lang=lang), format_money(facts.correct_price, lang=lang))
    product = facts.product_ko if lang == "ko" else facts.product_en
    who = inc.responsible or Responsibility.BOTH
    if lang == "ko":
        if who == Responsibility.PLATFORM:
            return f"저희 플랫폼의 오류로 '{product}'의 가격이 {right}이 아닌 {wrong}으로 잘못 표시되었습니다."
        return (f"판매자 {facts.seller_name}가 '{product}'의 가격을 {right}이 아닌 {wrong}으로 "
                f"잘못 입력했고, 저희 플랫폼은 이 오류를 바로잡지 못했습니다. 저희의 책임입니다.")
    if who == Responsibility.PLATFORM:
        return f"Because of an error on our platform, '{product}' was shown at {wrong} instead of {right}."
    return (f"The seller {facts.seller_name} entered the price of '{product}' as {wrong} instead of "
            f"{right}, and our platform did not catch the mistake. That is our responsibility.")


def option_lines(plan: IncidentPlan, paid: Money, lang: str) -> list[str]:
    ko = lang == "ko"
    lines = []
    order = (CustomerOption.KEEP, CustomerOption.CANCEL_WITH_COMPENSATION,
             CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CustomerOption.TALK_TO_PERSON)
    for option in order:
        if not plan.offers(option):
            continue
        if option is CustomerOption.KEEP:
            cap = plan.keep_max_units
            capped = (f" (1인당 최대 {cap}개)" if ko else f" (up to {cap} per customer)") if cap else ""
            lines.append(f"주문 유지: 결제하신 {format_money(paid, lang='ko')} 그대로 상품을 받으십니다{capped}."
                         if ko else f"Keep the order: you receive the item at the {format_money(paid)} you paid{capped}.")
        elif option is CustomerOption.CANCEL_WITH_COMPENSATION:
            pts = plan.cancel_compensation.amount_minor if plan.cancel_compensation else 0
            lines.append(f"주문 취소: 결제 금액 전액 환불과 함께 사과의 뜻으로 {pts:,} 포인트를 드립니다."
                         if ko else f"Cancel the order: a full refund plus {pts:,} points as an apology.")
        elif option is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
            pct = plan.discount_pct or 0
            lines.append(f"정상가에서 {pct}% 할인된 가격으로 구매하기." if ko
                         else f"Buy at the correct price with a {pct}% discount.")
        else:
            lines.append("상담원과 통화: 저희가 직접 전화드리겠습니다." if ko
                         else "Talk to a person: we will call you.")
    return lines


def default_sentence(plan: IncidentPlan, lang: str) -> str:
    if plan.default is DefaultAction.KEEP:
        return "주문은 그대로 유지됩니다." if lang == "ko" else "your order stays as it is."
    return ("상담원이 전화드려 직접 여쭙겠습니다." if lang == "ko"
            else "one of our staff will call you to ask.")


def contact_values(contact: ContactDetails, lang: str) -> dict[str, str]:
    return {"phone": contact.phone, "email": contact.email,
            "hours": contact.hours_ko if lang == "ko" else contact.hours_en}
