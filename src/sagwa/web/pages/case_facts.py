"""What the customer page and the call script both say about one case: the apology's facts,
the options with their amounts, the deadline and how to reach a person — and, before a choice
is confirmed, exactly what it will do (:meth:`CaseFacts.preview`) — and, once a choice took
effect, what the customer paid as ordered and which units were kept or refunded
(:attr:`CaseFacts.figures`) and what finance has paid of the refunds
(:attr:`CaseFacts.refunds_paid`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.adapters.db.outbox_repo import LatestMessage
from sagwa.domain.cancel_instead import refusal
from sagwa.domain.case_figures import CaseFigures, case_figures
from sagwa.domain.catalog import Customer
from sagwa.domain.compensation import compensation_due
from sagwa.domain.consent import (
    CANCELLING,
    ConsentRecord,
    EffectKind,
    OrderEffect,
    effects_of_choice,
)
from sagwa.domain.difference import difference_of
from sagwa.domain.incident_plan import CustomerOption, IncidentPlan
from sagwa.domain.money import Money, format_money
from sagwa.domain.orders import OrderStatus
from sagwa.domain.refunds import Refund
from sagwa.errors import NotFound, SagwaError
from sagwa.services import desk_messages as dm
from sagwa.services.desk_difference import difference_reminders, reminder_after_payment
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import case_facts, incident_facts
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class RefundsPaid:
    """What finance has marked paid of a case's refunds (``domain.refunds``): the amount paid,
    the amount still owed, and when the latest payment was made."""

    paid: Money
    owed: Money
    last_paid_at: datetime

    @property
    def in_full(self) -> bool:
        return self.owed.amount_minor == 0


@dataclass(frozen=True)
class CaseFacts:
    row: CaseRow
    customer: Customer
    plan: IncidentPlan
    facts: dm.IncidentFacts
    #: What the customer paid for the case's orders as placed — before a choice lowered,
    #: cancelled or repriced any of them (``figures.paid``).
    paid: Money
    #: Units ordered, kept and refunded and the money on each side (``domain.case_figures``).
    figures: CaseFigures
    #: The reminder of the difference (``desk_difference``): its latest copy, for the agent's
    #: card; None when none was queued, or the choice left nothing to pay.
    difference_reminder: LatestMessage | None = None
    #: The case's refunds as recorded (``RefundRepository.for_case``), paid or owed: loaded
    #: only for a case that refunded something, () for the rest.
    refunds: tuple[Refund, ...] = ()

    @property
    def refunds_paid(self) -> RefundsPaid | None:
        """What finance has marked paid of :attr:`refunds`; None while none of them is."""
        paid_at = [at for r in self.refunds if (at := r.paid_at) is not None]
        if not paid_at:
            return None
        zero = Money(0, self.paid.currency)
        return RefundsPaid(sum((r.amount for r in self.refunds if r.paid_at is not None), zero),
                           sum((r.amount for r in self.refunds if r.paid_at is None), zero),
                           max(paid_at))

    @property
    def units(self) -> int:
        """Units the customer ordered (the ones ``paid`` is for)."""
        return self.figures.units_ordered

    @property
    def order_total_now(self) -> Money:
        """The orders still standing at their unit price now (after a discount, the new total)."""
        return sum((o.unit_price.times(o.quantity) for o in self.row.case.orders
                    if o.status != OrderStatus.CANCELLED.value), Money(0, self.paid.currency))

    @property
    def difference(self) -> Money:
        """What the discount choice left the customer to pay on top of ``paid`` (zero for any
        other outcome: ``domain.difference``); ``row.difference_paid`` says if it was paid."""
        return difference_of(self.row.case, self.figures)

    @property
    def owes_difference(self) -> bool:
        """The discount left a difference that is not recorded as paid: the items are held
        (the operator's "처리 완료, 차액 결제 대기(상품 발송 보류)")."""
        return self.difference.amount_minor > 0 and self.row.difference_paid is None

    @property
    def reminder_after_payment(self) -> str | None:
        """Once the difference is recorded as paid, what became of its reminder: "withdrawn"
        (the payment came first), "sent_before" (it went before the payment was recorded),
        "sent_after" (a worker was sending it as the payment was recorded); None otherwise
        (``desk_difference.reminder_after_payment``, as the case API says it)."""
        return reminder_after_payment(self.difference_reminder, self.row.difference_paid)

    @property
    def cancel_instead_refusal(self) -> SagwaError | None:
        """Why the customer may not cancel instead of paying the difference, as the desk
        refuses it (``cancel_instead.refusal``); None when they may."""
        return refusal(self.row.case, self.plan, paid=self.row.difference_paid,
                       owed=self.difference)

    @property
    def may_cancel_instead(self) -> bool:
        """Whether the customer may still cancel instead of paying the difference
        (``desk_cancel_instead``)."""
        return self.cancel_instead_refusal is None

    @property
    def cancel_points(self) -> int:
        """The plan's compensation for cancelling, in points (0 without one)."""
        return dm.cancel_points(self.plan)

    def product(self, lang: str) -> str:
        return self.facts.product_ko if lang == "ko" else self.facts.product_en

    @property
    def over_cap(self) -> dm.OverCap | None:
        """What keeping means for this customer when they hold more units than the plan's keep
        cap (units sent, amount refunded); ``None`` within it."""
        return dm.over_cap(self.row.case, self.plan)

    def options(self, lang: str) -> list[tuple[str, str]]:
        """(option value, the sentence with its amounts) for each option the plan offers —
        for this customer: above the keep cap, keeping says the units sent and the refund;
        without a phone number on file, talking to a person means calling us."""
        offered = [o for o in dm.OPTION_ORDER if self.plan.offers(o)]
        return [(o.value, line) for o, line in
                zip(offered, dm.option_lines(self.plan, self.paid, lang, self.over_cap,
                                             can_call=self.customer.phone is not None,
                                             units=self.units, price_word=self.price_word),
                    strict=True)]

    @property
    def price_word(self) -> str:
        """What the Korean wording calls the correct price: 정상가, a book's 정가 or 판매가
        (``desk_messages.correct_price_word``), as the messages to this customer call it."""
        return dm.correct_price_word(self.facts)

    def if_unanswered(self, lang: str) -> str:
        """What happens to this customer without an answer, to follow "if we do not hear from
        you, …": their own default (a call above the keep cap), as the apology said it."""
        return dm.default_sentence(self.plan, lang, self.over_cap,
                                   can_call=self.customer.phone is not None)

    def cause(self, lang: str) -> str:
        return dm.cause(self.facts, lang)

    def deadline(self, lang: str) -> str:
        return dm.format_when(self.plan.deadline, lang)

    def wrong_date(self, lang: str) -> str:
        return dm.format_date(self.facts.incident.window_start, lang)

    def ordered_when(self, lang: str) -> str:
        """When this customer ordered at the wrong price, as their apology says it
        (``desk_messages.ordered_when``: "12월 5일(토)에", "on …", a range over several days);
        the day the price went wrong for a case without orders."""
        placed = [o.placed_at for o in self.row.case.orders] or [self.facts.incident.window_start]
        return dm.ordered_when(placed, lang)

    def paid_text(self, lang: str) -> str:
        return format_money(self.paid, lang=lang)

    def offers(self, choice: str) -> bool:
        return choice in {o.value for o in self.plan.options}

    def preview(self, choice: str, lang: str, now: datetime, *,
                staff: bool = False) -> list[tuple[str, str]]:
        """What confirming ``choice`` (an offered option) will do, as (what, how) lines —
        read from the same order effects and compensation that recording the choice applies.
        ``staff``: worded for the agent recording it ("the customer's order", "they paid"),
        not to the customer ("your order", "you paid": a CS walk read the customer's voice
        on the agent's page)."""
        option = CustomerOption(choice)
        points = compensation_due(self.row.case, self.plan, option).amount_minor
        return _preview_lines(option, self._effects(option, now), points, self.paid, lang,
                              staff=staff)

    def owed_after(self, choice: str, now: datetime) -> Money:
        """What confirming ``choice`` would leave to pay on top of what was paid (the
        discount's difference; zero for the rest), from the effects :meth:`preview` reads."""
        effects = self._effects(CustomerOption(choice), now)
        return _sum(effects, frozenset({EffectKind.REPRICE}), self.paid.currency)

    def refunds_on(self, choice: str, now: datetime) -> bool:
        """Whether confirming ``choice`` refunds anything (a cancellation; keeping units beyond
        the plan's limit), from the effects :meth:`preview` reads."""
        effects = self._effects(CustomerOption(choice), now)
        return _sum(effects, CANCELLING, self.paid.currency).amount_minor > 0

    def _effects(self, option: CustomerOption, now: datetime) -> list[OrderEffect]:
        case = self.row.case
        consent = ConsentRecord(case.case_id, case.customer_id, option, "web", now,
                                "preview before the customer confirms", "customer")
        return effects_of_choice(replace(case, consent=consent), consent, self.plan)


def _sum(effects: list[OrderEffect], kinds: frozenset[EffectKind], currency: str) -> Money:
    return sum((e.amount for e in effects if e.kind in kinds and e.amount), Money(0, currency))


#: The preview's words said to the customer, or (``staff``) to the agent recording the choice
#: about the customer: (Korean, English) each.
_VOICES: dict[bool, dict[str, tuple[str, str]]] = {
    False: {"order": ("주문", "Your order"), "paid": ("결제하신 {0} 전액", "the full {0} you paid"),
            "send": ("결제하신 {0} 그대로 상품 {1}개를 보내 드립니다.", "We send you {1} {2} for the {0} you paid."),
            "items": ("상품", "Your {2}"),
            "after_difference": ("차액 결제가 확인되면 보내 드립니다(고객센터에서 결제)",
                                 "sent once the difference is paid (through our customer centre)"),
            "call": ("상담원이 전화드립니다", "one of our staff will call you")},
    True: {"order": ("고객 주문", "The customer's order"),
           "paid": ("고객이 결제한 {0} 전액", "the full {0} they paid"),
           "send": ("고객이 결제한 {0} 그대로 상품 {1}개를 보냅니다.", "{1} {2} sent to them for the {0} they paid."),
           "items": ("상품", "Their {2}"),
           "after_difference": ("고객이 차액을 결제한 것이 확인되면 보냅니다(고객센터에서 결제)",
                                "sent once they have paid the difference (customer centre)"),
           "call": ("상담원이 고객에게 전화합니다", "one of our staff calls them")},
}


def _preview_lines(option: CustomerOption, effects: list[OrderEffect], points: int,
                   paid: Money, lang: str, *, staff: bool = False) -> list[tuple[str, str]]:
    """(what, how) lines of what ``option`` does, for a case whose orders were ``paid`` for:
    said to the customer, or (``staff``) to the agent recording it."""
    voice = _VOICES[staff]

    def t(ko: str, en: str) -> str:
        return ko if lang == "ko" else en

    def said(key: str, *values: object) -> str:
        return t(*voice[key]).format(*values)

    currency = paid.currency
    refunded = _sum(effects, CANCELLING, currency)
    refund = format_money(refunded, lang=lang)
    if option is CustomerOption.CANCEL_WITH_COMPENSATION:
        lines = [(said("order"), t("취소됩니다", "cancelled")),
                 (t("환불", "Refund"), said("paid", refund))]
        if points:  # a plan may offer the cancellation with no points: say none
            lines.append((t("보상 포인트", "Compensation"), t(f"{points:,}포인트", f"{points:,} points")))
        return lines
    if option is CustomerOption.KEEP:
        kept = sum(e.quantity for e in effects if e.kind is EffectKind.KEEP)
        # named as the cancellation's refund is: the amount, not "the price you paid"
        kept_paid = format_money(paid - refunded, lang=lang)
        lines = [(said("order"), said("send", kept_paid, kept,
                                      "item" if kept == 1 else "items"))]
        dropped = sum(e.quantity for e in effects if e.kind in CANCELLING)
        if dropped:
            them = "the item" if dropped == 1 else "the items"
            lines.append((t("환불", "Refund"), t(f"수량 제한을 넘는 상품의 {refund}",
                                               f"{refund} for {them} beyond the limit")))
        return lines
    if option is CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT:
        unit = next((e.new_unit_price for e in effects if e.new_unit_price), None)
        extra = format_money(_sum(effects, frozenset({EffectKind.REPRICE}), currency), lang=lang)
        lines = [(t("1개당 가격", "Price each"), format_money(unit, lang=lang) if unit else "—"),
                 # nothing collects the difference automatically: say so, promise no process
                 (t("차액(자동 결제되지 않음)", "Difference (not charged automatically)"), extra)]
        repriced = sum(e.quantity for e in effects if e.kind is EffectKind.REPRICE)
        if repriced:
            lines.append((said("items", "", "", "item" if repriced == 1 else "items"),
                          said("after_difference")))
        return lines
    return [(t("다음 단계", "Next"), said("call"))]


Known = dict[int, tuple[IncidentPlan, dm.IncidentFacts]]
#: Case id -> order id -> (quantity, unit price) as placed (``reads.orders_as_placed``).
Placed = dict[int, dict[int, tuple[int, int]]]


def incident_terms(uow: SqlAlchemyUnitOfWork, incident_id: int,
                   known: Known) -> tuple[IncidentPlan, dm.IncidentFacts]:
    """The incident's plan and facts, looked up once per page (``known`` caches them)."""
    if incident_id not in known:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        plan = uow.incidents.plan(incident_id, inc.correct_price) if inc.correct_price else None
        if plan is None:
            raise NotFound("this case is not ready yet", reason="case_not_ready")
        known[incident_id] = (plan, incident_facts(uow, inc))
    return known[incident_id]


def facts_for(uow: SqlAlchemyUnitOfWork, row: CaseRow, person: Customer,
              known: Known, placed: Placed | None = None) -> CaseFacts:
    """The case's facts; ``placed``: its orders as placed, read already for a page of cases
    (``reads.orders_as_placed``), else read here."""
    plan, facts = incident_terms(uow, int(row.case.incident_id), known)
    own = {int(o.listing_id) for o in row.case.orders}
    if own and own != {int(i) for i in facts.incident.listing_ids}:
        # an incident over several listings: this customer hears of their own sellers only
        facts = case_facts(uow, facts.incident, row.case)
    case_id = int(row.case.case_id)
    if placed is None:
        placed = uow.reads.orders_as_placed([case_id])
    figures = case_figures(row.case, placed.get(case_id, {}), plan.correct_price)
    # only a case that refunded something has refunds to read (list pages load many cases)
    refunds = tuple(uow.refunds.for_case(case_id)) if figures.refunded.amount_minor else ()
    found = CaseFacts(row, person, plan, facts, figures.paid, figures, refunds=refunds)
    # paid or not: the reminder is only of a difference owed (as the case API reads it)
    return replace(found, difference_reminder=difference_reminders(
        uow, {case_id: found.difference}).get(case_id))


def load_case(uow: SqlAlchemyUnitOfWork, case_id: int, *, customer_id: int | None = None,
              known: Known | None = None) -> CaseFacts:
    """Inside an open unit of work; NotFound unless the case (of that customer) has a plan."""
    row = uow.cases.get(case_id)
    if row is None or (customer_id is not None and int(row.case.customer_id) != customer_id):
        raise NotFound("this case was not found", reason="unknown_id")
    person = require(uow.catalog.customer(int(row.case.customer_id)), "customer",
                     row.case.customer_id)
    return facts_for(uow, row, person, known if known is not None else {})


def contact(policy: DeskPolicy, lang: str) -> dict[str, str]:
    return dm.contact_values(policy.contact, lang)
