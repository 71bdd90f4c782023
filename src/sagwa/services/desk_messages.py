"""Customer messages and notices of the incident desk: rendered from templates, then checked.

Nothing leaves here without passing the message check: :func:`checked` raises
:class:`~sagwa.errors.MessageRefused` with the findings when a draft fails it. What it judges is
the wording, not the names filled in (products, sellers, the customer): those are checked as
stand-ins (:mod:`sagwa.services.name_stand_ins`).

A particle after a value is written with the ``josa`` filter, which picks the form that fits the
value: ``{{ seller_name|josa("이(가)") }}`` gives 카메라마당이 / 하늘디지털이 / 사과마켓이, and
``{{ paid|josa("은(는)") }}`` gives 19,900원은 (see :mod:`sagwa.domain.particles`).

Here: rendering and the check, dates and times, the facts of an incident and its cause, the
options offered and what happens without an answer, short product names, contact details.
What customers are told once their case is settled (the confirmation, the note after the
default) is :mod:`sagwa.services.desk_outcome_wording`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sagwa.config import mail_from_at_start
from sagwa.domain.consent import (
    CANCELLING,
    ConsentRecord,
    EffectKind,
    OrderEffect,
    discounted_unit_price,
    effects_of_choice,
)
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.incidents import Case, Incident
from sagwa.domain.ledger import POINTS_CURRENCY
from sagwa.domain.moments import SEOUL
from sagwa.domain.money import Money, format_money
from sagwa.domain.particles import josa, with_particle
from sagwa.domain.price_entry import PriceEntry
from sagwa.domain.time_words import day_words, format_when, hour_words  # noqa: F401  (dm.*)
from sagwa.errors import MessageRefused
from sagwa.messagecheck import CheckResult, check_message
from sagwa.services import desk_cause
from sagwa.services.desk_policy import ContactDetails
from sagwa.services.short_names import shorten_name  # noqa: F401  (dm.shorten_name)

TEMPLATES = Path(__file__).parent / "message_templates"
#: What signs customers' messages when the sender's address has no display name.
CENTRE_NAME = "사과 고객센터"


def tags(mail_from: str) -> dict[str, str]:
    """How customers' subject lines and text messages are signed, by language: with the name
    the customer centre sends mail under, the display name of ``mail_from`` (``SAGWA_MAIL_FROM``;
    :data:`CENTRE_NAME` without one) — by default "[사과 고객센터]", not "[사과]" alone, which a
    Korean reader takes for the word "apology" before "… 사과드립니다". English signs "[sagwa]"
    unless the name is written in Latin letters (a Korean name means nothing to its reader)."""
    name = " ".join(parseaddr(mail_from)[0].split()) or CENTRE_NAME
    return {"ko": f"[{name}]", "en": f"[{name}]" if name.isascii() else "[sagwa]"}


#: The signature of this process (subjects are written with it at import: the sender it
#: started with). Templates write it as ``{{ tag }}`` (:func:`render` fills in the language's).
TAG = tags(mail_from_at_start())
OPTION_ORDER = (CustomerOption.KEEP, CustomerOption.CANCEL_WITH_COMPENSATION,
                CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, CustomerOption.TALK_TO_PERSON)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), undefined=StrictUndefined,
                      auto_reload=False,
                      autoescape=False, keep_trailing_newline=False, trim_blocks=False)
    env.filters["josa"] = josa
    return env


def render(name: str, lang: str, **values: object) -> str:
    return _env().get_template(f"{name}_{lang}.txt").render(tag=TAG[lang], **values).strip()


def subject(text: str, lang: str) -> str:
    """A customer's email subject: ``text`` signed with :data:`TAG`."""
    return f"{TAG[lang]} {text}"


def check(text: str, *, kind: str, lang: str) -> CheckResult:
    """The message check's result on ``text`` (cached: :func:`_check`)."""
    return _check(text, kind, lang)


@lru_cache(maxsize=2048)
def _check(text: str, kind: str, lang: str) -> CheckResult:
    """The message check is a pure function of the text (its rules are fixed per process): a
    wording checked again — the same sample at notify, reminder and deadline, or one wording
    for many customers — costs a dictionary lookup instead of ~20 ms of Korean analysis."""
    return check_message(text, kind=kind, lang=lang)


def checked(text: str, *, kind: str, lang: str,
            stand_ins: Mapping[str, str] | None = None) -> str:
    """The text itself if it passes the message check; else MessageRefused with the findings.
    ``stand_ins`` (what the text quotes -> what the check reads instead, replaced in that
    order): names checked as their stand-ins (:mod:`sagwa.services.name_stand_ins`)."""
    read = text
    for name, stand_in in (stand_ins or {}).items():
        read = read.replace(name, stand_in)
    result = _check(read, kind, lang)
    if not result.ok:
        raise refusal(result.as_dict()["findings"], kind=kind, lang=lang)
    return text


def refusal(findings: list[dict[str, object]], *, kind: str, lang: str) -> MessageRefused:
    """The refusal of a ``kind`` in ``lang`` with these ``findings`` (``Finding.as_dict``)."""
    codes = ", ".join(sorted({str(f["code"]) for f in findings if f["severity"] == "error"}))
    return MessageRefused(f"the {kind} ({lang}) failed the message check: {codes}",
                          findings=findings, reason="message_check_failed")


def format_date(moment: datetime, lang: str) -> str:
    """``2026년 12월 6일(일)`` / ``Sunday, December 6, 2026``: a day as :func:`day_words` says it
    (the deadline's format), with its year."""
    local = moment.astimezone(SEOUL)
    if lang == "ko":
        return f"{local.year}년 {day_words(local, lang)}"
    return f"{day_words(local, lang)}, {local.year}"


def ordered_when(placed: Sequence[datetime], lang: str) -> str:
    """When a customer's orders were placed (Korea time), as the phrase that ends a clause:
    ``2026년 12월 5일(토)에`` / ``on Saturday, December 5, 2026``; orders on several days, the
    first and the last: ``…부터 …까지`` / ``between … and …``. A customer's messages and pages
    name the days they ordered, not the day the wrong price went live (weeks before, for some)."""
    days = sorted(placed)
    first, last = format_date(days[0], lang), format_date(days[-1], lang)
    if first == last:
        return f"{first}에" if lang == "ko" else f"on {first}"
    return f"{first}부터 {last}까지" if lang == "ko" else f"between {first} and {last}"


@dataclass(frozen=True)
class IncidentFacts:
    """What a message about an incident says: the product, the prices, who erred.

    A customer's messages are built from the listings of that customer's own orders
    (:func:`facts_for_listings`), so a customer of one seller is never told another seller
    erred; ``other_sellers`` names the rest when those orders came from several sellers.
    """

    incident: Incident
    product_ko: str
    product_en: str
    seller_name: str
    correct_price: Money
    other_sellers: tuple[str, ...] = ()
    #: Whose account entered the wrong price (``services.price_entry.who_entered``): the
    #: wording names the seller, "our staff" or no one (unknown, or listings that disagree).
    entered_by: PriceEntry = PriceEntry.UNKNOWN
    #: Whether the guard held the wrong price and a reviewer approved (or released) it on
    #: these listings (``desk_wordings.how_approved``): the cause then says so, as the public
    #: notice does, rather than anything that contradicts it.
    approved_by_reviewer: bool = False
    #: The list price (정가) of a product the fixed book price law covers (the price guard's
    #: ``LIST_PRICE_LAWS``), when every such product of these listings has one and the same:
    #: the messages then name the correct price by it (:func:`correct_price_word`).
    fixed_list_price: Money | None = None


@dataclass(frozen=True)
class ListingNames:
    """What a message names about one listing: its product (Korean, English) and its seller."""

    product_ko: str
    product_en: str
    seller_name: str


def facts_for_listings(incident: Incident, correct_price: Money,
                       listings: Sequence[ListingNames]) -> IncidentFacts:
    """The facts for orders from ``listings`` (in listing order): every distinct product and
    seller among them, each named once, the first first."""
    if not listings:
        raise ValueError("facts need at least one listing")

    def distinct(values: Iterable[str]) -> list[str]:
        return list(dict.fromkeys(values))

    sellers = distinct(n.seller_name for n in listings)
    return IncidentFacts(incident, ", ".join(distinct(n.product_ko for n in listings)),
                         ", ".join(distinct(n.product_en for n in listings)), sellers[0],
                         correct_price, tuple(sellers[1:]))


#: What the Korean messages call the correct price by default: the regular price.
REGULAR_PRICE_WORD = "정상가"


def correct_price_word(facts: IncidentFacts) -> str:
    """What the Korean messages call the correct price: ``정상가``, but for a book under the
    fixed book price law the reference price is its 정가 — ``정가`` where the correct price is
    the list price, else ``판매가`` (the price it sells at, below its 정가): "정상가" for a book
    sold under its 정가 misstates the reference price (a legal review found "정상가 13,500원"
    for a book of 정가 15,000원)."""
    return price_word(facts.correct_price, facts.fixed_list_price)


def price_word(correct_price: Money, fixed_list_price: Money | None) -> str:
    """:func:`correct_price_word` from the two prices it reads: the correct price and the one
    list price a fixed-price law covers (None: no such law, the word is 정상가)."""
    if fixed_list_price is None:
        return REGULAR_PRICE_WORD
    return "정가" if correct_price == fixed_list_price else "판매가"


def seller_names(facts: IncidentFacts, lang: str) -> str:
    """``하늘디지털`` / ``하늘디지털과 다른가게`` / ``A, B and C`` — the sellers who erred."""
    names = [facts.seller_name, *facts.other_sellers]
    if len(names) == 1:
        return names[0]
    if lang == "ko":
        return f"{', '.join(names[:-2] + [with_particle(names[-2], '과(와)')])} {names[-1]}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def cause(facts: IncidentFacts, lang: str) -> str:
    """How the wrong price came about, naming who entered it only as the record shows
    (:mod:`sagwa.services.desk_cause`)."""
    return desk_cause.cause(facts, seller_names(facts, lang), lang)


@dataclass(frozen=True)
class OverCap:
    """What "keep" means for a customer who holds more units than the plan's keep cap: the
    first ``kept`` of the ``ordered`` units are sent at the price paid and ``refund`` is paid
    back for the rest. Left unanswered, such a case gets a follow-up call, not a keep
    (``incident_plan.default_outcome``): cutting units needs the customer's consent."""

    ordered: int
    kept: int
    refund: Money


def over_cap(case: Case, plan: IncidentPlan) -> OverCap | None:
    """The keep terms of ``case`` when it holds more units than the plan lets a customer keep;
    ``None`` within the cap (or without one). Read from the order effects a keep would have, so
    the units and the refund are the ones recording that choice applies."""
    cap = plan.keep_max_units
    if cap is None or case.units <= cap or not plan.offers(CustomerOption.KEEP):
        return None
    trial = ConsentRecord(case.case_id, case.customer_id, CustomerOption.KEEP, "web",
                          plan.decided_at, "what keeping would do (message wording)")
    effects = effects_of_choice(replace(case, consent=trial), trial, plan)
    kept = sum(e.quantity for e in effects if e.kind is EffectKind.KEEP)
    refund = effects_total([e for e in effects if e.kind in CANCELLING], plan.currency)
    return OverCap(case.units, kept, refund)


def option_lines(plan: IncidentPlan, paid: Money, lang: str,
                 over: OverCap | None = None, *, can_call: bool = True,
                 units: int | None = None, refund_timing: str = "",
                 price_word: str = REGULAR_PRICE_WORD) -> list[str]:
    """One sentence per option the plan offers, with its amounts; ``over`` (a customer above
    the keep cap) makes the keep line say the units sent and the amount refunded. Without
    ``can_call`` (no phone number on file) talking to a person means calling us: nobody can
    call them. With ``units`` (the customer's, for the ``paid`` they paid) the discount line
    says the difference they would owe, that nothing charges it, and that the items wait for
    it — what a customer must hear before choosing it, by phone as on the page. A keep line that
    promises a refund (``over``) says when it arrives: ``refund_timing`` (``contact_values``).
    ``price_word``: what the Korean lines call the correct price (:func:`correct_price_word`)."""
    ko = lang == "ko"
    lines = []
    for option in OPTION_ORDER:
        if not plan.offers(option):
            continue
        if option is CustomerOption.KEEP:
            lines.append(_keep_line(plan, paid, lang, over)
                         + (f" {refund_timing}" if over is not None and refund_timing else ""))
        elif option is CustomerOption.CANCEL_WITH_COMPENSATION:
            lines.append(_cancel_line(plan, lang))
        elif option is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
            lines.append(_discount_line(plan, lang, price_word) + (
                "" if units is None else " " + _difference_owed(plan, paid, units, lang)))
        elif can_call:
            lines.append("상담원과 통화: 저희가 직접 전화드리겠습니다." if ko
                         else "Talk to a person: we will call you.")
        else:
            lines.append("상담원과 통화: 저희에게 고객님의 전화번호가 없으니 고객센터로 전화 주세요." if ko
                         else "Talk to a person: we have no phone number for you, so please "
                              "call us.")
    return lines


def _keep_line(plan: IncidentPlan, paid: Money, lang: str, over: OverCap | None) -> str:
    ko, cap = lang == "ko", plan.keep_max_units
    if over is None:
        # Korean writes a parenthesis against the word it explains: "받으십니다(1인당 최대 1개)."
        capped = (f"(1인당 최대 {cap}개)" if ko else f" (up to {cap} per customer)") if cap else ""
        return (f"주문 유지: 결제하신 {format_money(paid, lang='ko')} 그대로 상품을 받으십니다{capped}."
                if ko else f"Keep the order: you receive what you ordered at the {format_money(paid)} you "
                f"paid{capped}.")
    rest, refund = over.ordered - over.kept, format_money(over.refund, lang=lang)
    if ko:
        return (f"주문 유지: 1인당 최대 {cap}개까지 유지하실 수 있어, 주문하신 {over.ordered}개 중 "
                f"{over.kept}개를 결제하신 가격 그대로 보내 드리고 나머지 {rest}개의 결제 금액 "
                f"{with_particle(refund, '은(는)')} 환불해 드립니다.")
    return (f"Keep the order: you can keep up to {cap} per customer, so we send {over.kept} of "
            f"your {over.ordered} items at the price you paid and refund the {refund} you paid "
            f"for the other {rest}.")


def cancel_points(plan: IncidentPlan) -> int:
    """The points the plan gives a customer who cancels (0 without any)."""
    return plan.cancel_compensation.amount_minor if plan.cancel_compensation else 0


def points_words(points: int, lang: str, *, worth: bool = False) -> str:
    """``5,000포인트`` / ``5,000 points`` (Korean writes the unit attached); with ``worth``,
    what they are worth: ``5,000포인트(5,000원 상당)`` / ``5,000 points (worth 5,000 KRW)`` —
    the ledger counts 1 point = 1 KRW (:mod:`sagwa.domain.ledger`). Nothing is said of where
    they can be spent or when they expire: sagwa's ledger knows neither."""
    value = format_money(Money(points, POINTS_CURRENCY), lang=lang)
    if lang == "ko":
        return f"{points:,}포인트" + (f"({value} 상당)" if worth else "")
    unit = "point" if points == 1 else "points"
    return f"{points:,} {unit}" + (f" (worth {value})" if worth else "")


def _cancel_line(plan: IncidentPlan, lang: str) -> str:
    """The cancellation with its points and their worth — or without any, when the plan gives
    none (0)."""
    pts = cancel_points(plan)
    if lang == "ko":
        return (f"주문 취소: 결제 금액 전액 환불과 함께 사과의 뜻으로 {points_words(pts, lang, worth=True)}를 "
                "드립니다." if pts else "주문 취소: 결제 금액을 전액 환불해 드립니다.")
    return (f"Cancel the order: a full refund plus {points_words(pts, lang, worth=True)} as an "
            "apology." if pts else "Cancel the order: a full refund.")


def _discount_line(plan: IncidentPlan, lang: str, price_word: str = REGULAR_PRICE_WORD) -> str:
    """The discount option, named as everywhere (:func:`choice_label`), with its price:
    136,000 KRW each (the correct price 170,000 KRW)."""
    correct = format_money(plan.correct_price, lang=lang)
    price = format_money(discounted_unit_price(plan.correct_price, plan.discount_pct or 0),
                         lang=lang)
    name = choice_label(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT, lang, plan,
                        price_word=price_word)
    if lang == "ko":
        return f"{name}: 1개당 {price}({price_word} {correct})입니다."
    return f"{name[:1].upper()}{name[1:]}: {price} each (the correct price is {correct})."


def _difference_owed(plan: IncidentPlan, paid: Money, units: int, lang: str) -> str:
    """What the discount leaves a customer with ``units`` who paid ``paid`` to pay: the
    difference, paid through the customer centre before the items go — or nothing, when the
    discounted price is no more than what they paid (the choice never lowers a price below
    what was paid: ``consent.effects_of_choice``)."""
    price = discounted_unit_price(plan.correct_price, plan.discount_pct or 0)
    owed = price.times(units) - paid
    if owed.amount_minor <= 0:
        return ("이 경우 더 내실 금액은 없습니다." if lang == "ko"
                else "You would pay nothing more.")
    extra = format_money(owed, lang=lang)
    if lang == "ko":
        return (f"결제하신 금액과의 차액 {with_particle(extra, '은(는)')} 자동으로 결제되지 않아 "
                "고객센터를 통해 따로 결제해 주셔야 하며, 결제가 확인되면 상품을 보내 드립니다.")
    items = "item" if units == 1 else "items"
    return (f"The difference of {extra} from what you paid is not charged automatically: you "
            f"pay it through our customer centre, and we send the {items} once it is paid.")


def options_phrase(plan: IncidentPlan, lang: str, over: OverCap | None = None, *,
                   price_word: str = REGULAR_PRICE_WORD,
                   without: CustomerOption | None = None) -> str:
    """The plan's options as one phrase for short texts (the SMS, the public notice):
    "주문 유지, 주문 취소(전액 환불과 보상 포인트) 또는 상담원과 통화" / "keep the order, cancel it
    for a full refund plus compensation points or talk to a person". There is none before a
    plan: a plan may offer any two options, so no option is certain until it is made (the
    notice then names none). For a customer over the keep cap (``over``) keeping says how many
    units are kept and that the rest is refunded. ``without``: an option left out (the one
    the customer just took: a request to talk to a person is acknowledged with the others)."""
    ko = lang == "ko"
    offered = tuple(o for o in OPTION_ORDER if plan.offers(o) and o is not without)
    pct = plan.discount_pct
    points = cancel_points(plan)

    def name(option: CustomerOption) -> str:
        """The option's short name, with the discount's size, and in English as part of a
        sentence ("cancel it for …" rather than the label "cancel the order (…)")."""
        if option is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT and not ko:
            return f"buy it at {pct}% off the correct price"
        if option is CustomerOption.CANCEL_WITH_COMPENSATION and not points:
            return "주문 취소(전액 환불)" if ko else "cancel it for a full refund"
        if option is CustomerOption.CANCEL_WITH_COMPENSATION and not ko:
            return "cancel it for a full refund plus compensation points"
        if option is CustomerOption.KEEP and over is not None:
            return (f"{over.kept}개만 유지하고 나머지 환불" if ko
                    else f"keep {over.kept} of your {over.ordered} items and get the rest refunded")
        return choice_label(option, lang, plan, price_word=price_word)

    parts = [name(o) for o in offered]
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} {'또는' if ko else 'or'} {parts[-1]}"


_CHOICE_LABELS = {
    CustomerOption.KEEP: ("주문 유지", "keep the order"),
    CustomerOption.CANCEL_WITH_COMPENSATION: ("주문 취소(전액 환불과 보상 포인트)",
                                              "cancel the order (full refund and compensation points)"),
    # "할인된 정상가" contradicts itself (정상가 is the undiscounted price): the discount is "off"
    # the correct price, with its size where the plan is known (:func:`choice_label`)
    CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT: ("정상가에서 할인된 가격으로 구매",
                                                   "buy at a discount off the correct price"),
    CustomerOption.TALK_TO_PERSON: ("상담원과 통화", "talk to a person"),
}


#: The cancellation's name where the plan gives no points for it (0): a full refund only.
_CANCEL_WITHOUT_POINTS = ("주문 취소(전액 환불)", "cancel the order (full refund)")


def choice_label(choice: CustomerOption | str, lang: str, plan: IncidentPlan | None = None, *,
                 points: int | None = None, price_word: str = REGULAR_PRICE_WORD) -> str:
    """The short name of an option: 주문 유지 / keep the order. Wherever the option is one of
    an incident's, pass its ``plan`` (or, where only the plan's figures are at hand, the
    ``points`` it gives for cancelling): a plan offering it without points (0) names the
    cancellation "주문 취소(전액 환불)" / "cancel the order (full refund)", never the
    compensation points; and names the discount with its size: "정상가에서 30% 할인된 가격으로
    구매" / "buy at 30% off the correct price". Without either (a list of option names, no
    incident), or for an option the plan does not offer (its form's other boxes), the generic
    name. ``price_word``: what the Korean names call the correct price (:func:`correct_price_word`:
    "정가에서 10% 할인된 가격으로 구매" for a book sold at its list price)."""
    option = CustomerOption(choice)
    pct = None
    if plan is not None:
        points = cancel_points(plan) if plan.offers(option) else None
        pct = plan.discount_pct if plan.offers(option) else None
    if option is CustomerOption.CANCEL_WITH_COMPENSATION and points == 0:
        ko, en = _CANCEL_WITHOUT_POINTS
    elif option is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT and pct:
        ko, en = f"{price_word}에서 {pct}% 할인된 가격으로 구매", f"buy at {pct}% off the correct price"
    else:
        ko, en = _CHOICE_LABELS[option]
        ko = ko.replace(REGULAR_PRICE_WORD, price_word)
    return ko if lang == "ko" else en


def default_sentence(plan: IncidentPlan, lang: str, over: OverCap | None = None, *,
                     can_call: bool = True) -> str:
    """What happens to the customer who does not answer, to follow "if we do not hear from
    you, …": the plan's default — except that a keep default is a follow-up call for a customer
    over the keep cap (``over``; ``incident_plan.default_outcome``), and the sentence says why.
    Without ``can_call`` (no phone number on file) the call is not promised: nobody can make it
    (``call_attempts.NO_PHONE``: at the deadline they are written to instead)."""
    ko = lang == "ko"
    if plan.default is DefaultAction.KEEP:
        if over is None:
            return "주문은 그대로 유지됩니다." if ko else "your order stays as it is."
        cap = plan.keep_max_units
        if not can_call:
            # never "we cannot keep your order": it reads as refusing the contract (the check's
            # fait-accompli); the limit is why we must ask, and nothing changes meanwhile
            return (f"주문하신 {over.ordered}개가 1인당 한도({cap}개)보다 많아 원하시는 방법을 직접 "
                    "여쭤야 합니다. 저희에게 고객님의 전화번호가 없으니 고객센터로 전화 주세요. 그때까지 주문은 "
                    "바뀌지 않습니다." if ko
                    else f"we need to ask you: your {over.ordered} items are more than the limit "
                    f"of {cap} per customer. We have no phone number for you, so please call us. "
                    "Nothing changes until we have talked to you.")
        return (f"상담원이 전화드려 직접 여쭙겠습니다. 주문하신 {over.ordered}개가 1인당 한도({cap}개)보다 "
                "많아 원하시는 방법을 여쭤야 하기 때문입니다. 통화 전까지 주문은 바뀌지 않습니다." if ko
                else f"one of our staff will call you to ask: your {over.ordered} items are more "
                f"than the limit of {cap} per customer, so we need to ask what you would like. "
                "Nothing changes until we have talked to you.")
    if not can_call:
        return ("주문은 그대로 유지되고 메일로 다시 연락드립니다. 저희에게 고객님의 전화번호가 없으니 통화를 "
                "원하시면 고객센터로 전화 주세요." if ko
                else "your order stays as it is and we will write to you again. We have no phone "
                "number for you, so to talk to us, please call us.")
    return ("상담원이 전화드려 직접 여쭙겠습니다." if ko
            else "one of our staff will call you to ask.")


def default_short(plan: IncidentPlan, lang: str, over: OverCap | None = None) -> str:
    """:func:`default_sentence` as one sentence for the text message, which is all a customer
    without an email address is sent: the order kept, or — a call default, or a keep default
    for a customer over the keep cap — a call first, the order unchanged until then. (A text
    goes to a phone number: the call can be made.)"""
    ko = lang == "ko"
    if plan.default is DefaultAction.KEEP and over is None:
        return ("답이 없으시면 주문은 그대로 유지됩니다." if ko
                else "If we do not hear from you, your order stays as it is.")
    return ("답이 없으시면 상담원이 전화드려 여쭙고, 그때까지 주문은 바뀌지 않습니다." if ko
            else "If we do not hear from you, our staff will call you to ask; until then "
            "nothing changes.")


def contact_values(contact: ContactDetails, lang: str) -> dict[str, str]:
    """How to reach us, and ``refund_timing``: when and how a refund reaches the customer
    (``[refund] timing_ko/_en``), said where a message promises one."""
    ko = lang == "ko"
    return {"phone": contact.phone, "email": contact.email,
            "hours": contact.hours_ko if ko else contact.hours_en,
            "refund_timing": contact.refund_timing_ko if ko else contact.refund_timing_en}


def effects_total(effects: list[OrderEffect], currency: str) -> Money:
    """The amounts of ``effects`` added up: refunded, or still to pay for a new price."""
    return sum((e.amount for e in effects if e.amount), Money(0, currency))
