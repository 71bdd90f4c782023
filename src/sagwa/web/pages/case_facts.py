"""What the customer page and the call script both say about one case: the apology's facts,
the options with their amounts, the deadline and how to reach a person."""

from __future__ import annotations

from dataclasses import dataclass

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.catalog import Customer
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.money import Money, format_money
from sagwa.errors import NotFound
from sagwa.services import desk_messages as dm
from sagwa.services.desk_notify import incident_facts
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork


@dataclass(frozen=True)
class CaseFacts:
    row: CaseRow
    customer: Customer
    plan: IncidentPlan
    facts: dm.IncidentFacts
    paid: Money

    def product(self, lang: str) -> str:
        return self.facts.product_ko if lang == "ko" else self.facts.product_en

    def options(self, lang: str) -> list[tuple[str, str]]:
        """(option value, the sentence with its amounts) for each option the plan offers."""
        offered = [o for o in dm.OPTION_ORDER if self.plan.offers(o)]
        return [(o.value, line) for o, line in
                zip(offered, dm.option_lines(self.plan, self.paid, lang), strict=True)]

    def cause(self, lang: str) -> str:
        return dm.cause(self.facts, lang)

    def deadline(self, lang: str) -> str:
        return dm.format_when(self.plan.deadline, lang)

    def wrong_date(self, lang: str) -> str:
        return dm.format_date(self.facts.incident.window_start, lang)

    def paid_text(self, lang: str) -> str:
        return format_money(self.paid, lang=lang)


Known = dict[int, tuple[IncidentPlan, dm.IncidentFacts]]


def incident_terms(uow: SqlAlchemyUnitOfWork, incident_id: int,
                   known: Known) -> tuple[IncidentPlan, dm.IncidentFacts]:
    """The incident's plan and facts, looked up once per page (``known`` caches them)."""
    if incident_id not in known:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        plan = uow.incidents.plan(incident_id, inc.correct_price) if inc.correct_price else None
        if plan is None:
            raise NotFound("this case is not ready yet")
        known[incident_id] = (plan, incident_facts(uow, inc))
    return known[incident_id]


def facts_for(uow: SqlAlchemyUnitOfWork, row: CaseRow, person: Customer,
              known: Known) -> CaseFacts:
    plan, facts = incident_terms(uow, int(row.case.incident_id), known)
    paid = Money(sum(o.unit_price.amount_minor * o.quantity for o in row.case.orders),
                 facts.incident.wrong_price.currency)
    return CaseFacts(row, person, plan, facts, paid)


def load_case(uow: SqlAlchemyUnitOfWork, case_id: int, *, customer_id: int | None = None,
              known: Known | None = None) -> CaseFacts:
    """Inside an open unit of work; NotFound unless the case (of that customer) has a plan."""
    row = uow.cases.get(case_id)
    if row is None or (customer_id is not None and int(row.case.customer_id) != customer_id):
        raise NotFound("this case was not found")
    person = require(uow.catalog.customer(int(row.case.customer_id)), "customer",
                     row.case.customer_id)
    return facts_for(uow, row, person, known if known is not None else {})


def contact(policy: DeskPolicy, lang: str) -> dict[str, str]:
    return dm.contact_values(policy.contact, lang)
