"""What notifying an incident will send, read before it is sent: the apology as one real
customer of the incident gets it — the email (subject and body) and the text message — in each
language its customers read (Korean first), and how many customers and messages the notify
step queues. Sends nothing and writes nothing.

The messages are rendered by the notify step's own code (``desk_notify.apology_messages``, its
wordings checked as notifying checks them: ``desk_wordings.checked_wordings`` over every case
it would tell), less the texts it would withhold (``wrong_numbers``). The operator reads the
text, not the customer's contact details: the address and number are masked
(``domain.masking``) and the case link's token too (``masking.mask_case_link``: the link opens
the customer's page to whoever holds it). For the operator's incident page; FastAPI-free, so
``sagwa incident notify --preview`` prints the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sagwa.adapters.db.incident_repo import CaseRow
from sagwa.domain.catalog import Customer
from sagwa.domain.incidents import CaseStatus, Incident, IncidentTrigger, advance_incident
from sagwa.domain.masking import mask_case_link, mask_email, mask_phone
from sagwa.errors import SagwaError
from sagwa.services.desk_cases import current_plan
from sagwa.services.desk_notify import (
    LinkMaker,
    apology_channels,
    apology_messages,
    require_time_to_answer,
)
from sagwa.services.desk_policy import DeskPolicy
from sagwa.services.desk_wordings import checked_wordings
from sagwa.services.lookups import require
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork
from sagwa.services.wrong_numbers import without_wrong_numbers


@dataclass(frozen=True)
class ShownMessage:
    """One message as the preview shows it: its ``recipient`` masked, its link's token too."""

    channel: str
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class ShownCustomer:
    """The customer whose messages are shown for ``lang``, and those messages."""

    lang: str
    case_id: int
    name: str
    messages: tuple[ShownMessage, ...]


@dataclass(frozen=True)
class ApologyPreview:
    """``customers`` told and ``messages`` queued by notifying now, from ``send_at``; one
    customer's messages per language (``shown``). ``problem``: why notifying would be refused
    (a wording the message check refuses, a deadline too close, no plan): nothing is shown."""

    incident_id: int
    customers: int
    messages: int
    send_at: datetime | None = None
    shown: tuple[ShownCustomer, ...] = ()
    problem: SagwaError | None = None


@dataclass(frozen=True)
class _MaskedLinks(LinkMaker):
    """The customers' links as the notify step makes them, their token masked."""

    def for_case(self, case_id: int, customer_id: int, expires_at: datetime) -> str:
        link = super().for_case(case_id, customer_id, expires_at)
        base = self.page("")
        return base + mask_case_link(link.removeprefix(base))


def apology_preview(uow: SqlAlchemyUnitOfWork, *, incident_id: int, policy: DeskPolicy,
                    links: LinkMaker) -> ApologyPreview:
    """The preview of notifying incident ``incident_id`` now (with the links ``links`` makes)."""
    with uow:
        inc = require(uow.incidents.get(incident_id), "incident", incident_id).incident
        rows = uow.cases.for_incident(incident_id, statuses={CaseStatus.OPEN})
        people = uow.catalog.customers_by_ids([int(r.case.customer_id) for r in rows])
        customers, messages = len(rows), _messages_queued(uow, rows, people)
        try:
            send_at, shown = _rendered(uow, inc, rows, people, policy, links)
        except SagwaError as exc:
            return ApologyPreview(incident_id, customers, messages, problem=exc)
        return ApologyPreview(incident_id, customers, messages, send_at, shown)


def _rendered(uow: SqlAlchemyUnitOfWork, inc: Incident, rows: Sequence[CaseRow],
              people: dict[int, Customer], policy: DeskPolicy,
              links: LinkMaker) -> tuple[datetime, tuple[ShownCustomer, ...]]:
    """When notifying sends, and one customer's messages per language as it renders them; or
    the refusal it would meet, raised: in its order — the incident's status, the plan, the
    time left to answer, the wording of every case it tells."""
    advance_incident(inc.status, IncidentTrigger.NOTIFY)
    plan = current_plan(uow, int(inc.incident_id))
    send_at = require_time_to_answer(plan, policy, uow.now())
    checked_wordings(uow, inc, [r.case for r in rows], plan, policy)
    masked = _MaskedLinks(links.secret, links.base_url)
    shown = []
    for lang, row in _one_per_language(rows, people):
        person = people[int(row.case.customer_id)]
        messages = apology_messages(uow, case=row.case, person=person, plan=plan,
                                    policy=policy, links=masked, send_at=send_at)
        shown.append(_shown(uow, lang, row, person, messages))
    return send_at, tuple(shown)


@dataclass(frozen=True)
class _Address:
    """One apology notifying would queue, by its address only (counted, not rendered)."""

    channel: str
    recipient: str
    case_id: int
    customer_id: int


def _messages_queued(uow: SqlAlchemyUnitOfWork, rows: Sequence[CaseRow],
                     people: dict[int, Customer]) -> int:
    """How many apologies notifying queues for ``rows`` — on the channels notifying uses
    (``desk_notify.apology_channels``), less the texts it withholds
    (``wrong_numbers.without_wrong_numbers``) — without rendering any of them."""
    addresses = [_Address(channel, recipient, int(row.case.case_id), int(row.case.customer_id))
                 for row in rows
                 for channel, recipient in apology_channels(people[int(row.case.customer_id)])]
    return len(without_wrong_numbers(uow, addresses))


def _one_per_language(rows: Sequence[CaseRow],
                      people: dict[int, Customer]) -> list[tuple[str, CaseRow]]:
    """One case for each language the customers read, Korean first: the first whose customer
    has both an email address and a phone number (both messages shown), else the first."""
    chosen: dict[str, CaseRow] = {}
    for row in rows:
        person = people[int(row.case.customer_id)]
        kept = chosen.get(person.locale)
        if kept is None or (_both(person) and not _both(people[int(kept.case.customer_id)])):
            chosen[person.locale] = row
    return sorted(chosen.items(), key=lambda item: (item[0] != "ko", item[0]))


def _both(person: Customer) -> bool:
    return bool(person.email) and bool(person.phone)


def _shown(uow: SqlAlchemyUnitOfWork, lang: str, row: CaseRow, person: Customer,
           messages: list[Any]) -> ShownCustomer:
    """The customer's messages as notifying queues them (less a text withheld), masked."""
    queued = without_wrong_numbers(uow, messages)
    return ShownCustomer(lang, int(row.case.case_id), person.name, tuple(
        ShownMessage(m.channel, (mask_email(m.recipient) if m.channel == "email"
                                 else mask_phone(m.recipient)) or "", m.subject, m.body)
        for m in queued))

