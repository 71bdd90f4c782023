"""The apology a seller's customers got about a pricing incident, as the seller's incident page
shows it: the desk's own wording (:mod:`sagwa.services.desk_wordings`, the templates in
``message_templates/``), for the seller's listings, with placeholders where each customer's
name, order and link go — so the seller reads what their customers were told, including what it
says about who entered the wrong price, and no customer's personal data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sagwa.domain.incident_plan import IncidentPlan
from sagwa.domain.incidents import Incident
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import (
    customer_values,
    incident_facts,
    resolution_texts,
    shared_values,
)
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

#: What stands where a customer's own name and link go (never a real customer's).
NAME_PLACE = {"ko": "(고객 이름)", "en": "(customer's name)"}
LINK_PLACE = {"ko": "(고객마다 다른 링크)", "en": "(each customer's own link)"}


@dataclass(frozen=True)
class SellerApology:
    """The apology email in one language: its subject and body."""

    lang: str
    subject: str
    body: str


def seller_apology(uow: SqlAlchemyUnitOfWork, inc: Incident, plan: IncidentPlan,
                   listing_ids: Iterable[int], policy: DeskPolicy,
                   lang: str) -> SellerApology:
    """Inside the caller's unit of work: the apology email in ``lang`` as a customer who ordered
    one unit at the wrong price from ``listing_ids`` (the seller's own listings) got it — the
    customer's name and link left as placeholders."""
    facts = incident_facts(uow, inc, listing_ids)
    shared = shared_values(facts, plan, policy, lang)
    values = customer_values(shared, plan, lang, NAME_PLACE[lang], 1, inc.wrong_price,
                             LINK_PLACE[lang])
    subject, body = resolution_texts(values, lang)["email"]
    return SellerApology(lang, subject, body)
