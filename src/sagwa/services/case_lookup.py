"""Finding a customer's case for an agent: the customer rang in, or is no longer on the call
list, and the agent has a case number, a phone number, a name or an email.

:func:`read_query` (pure) decides what the words typed are:

* ``6980`` — four digits alone, what a customer reads out as "my number ends in 6980": both
  the case with that number (if there is one) and the cases of customers whose phone's
  domestic digits end in them (``tables.phone_last4``). Four digits starting with 0 (``0980``)
  are no case number, so only a phone's end;
* ``*6980``, ``-6980``, ``…6980``, ``...6980`` — explicitly a phone's last four digits, and
  only that (other than four digits after such a mark is refused, saying to type four);
* ``주문 4003``, ``주문번호 4003``, ``order 4003``, ``order no. 4003`` — an order number (what
  the customer reads from their order): the case that order is in;
* ``#12`` or ``12`` — a case number (a bare number of up to 7 digits not starting with 0).
  After ``#`` any number is one: a number larger than any case's (``#9999…``, 19 digits or
  more) finds no case, and is not asked of the database;
* ``010-1234-5678``, ``01012345678``, ``+82 10 1234 5678``, ``0082 10 1234 5678`` — a phone
  number, its digits parted by spaces, dots, parentheses or dashes of any kind
  (``010–1234–5678``: :func:`~sagwa.domain.catalog.plain_phone_text`, as the contact form
  reads it), compared as its domestic digits (:func:`domestic_digits`; stored numbers are
  reduced the same way, by ``tables.domestic_phone_digits``);
* anything with an ``@`` — an email, any letter case: that email, or the start of one
  (``minsu.kim@``, ``minsu.kim@exa``). Text starting with the ``@`` (only a domain) is refused:
  many customers share a domain, and none is told apart by it;
* anything else — a name, Korean or English: exact, a prefix, or a prefix of one of its words;
  and, from :data:`EMAIL_START_MIN` characters (``minsu.kim``), the start of an email too.
  A name whose letters are all Hangul is also compared without its spaces
  (``CaseQuery.ignores_spaces``): Korean names are typed and stored with a space between family
  and given name or without one (``윤 곤열``, ``윤곤열``), and both are one name. A Latin name's
  spaces part its words, so ``alexkim`` does not find "Alex Kim" (nor ``al ex``): there a
  space typed or left out is no slip of the same kind.

:func:`find_cases` looks them up among every incident's cases, at most ``limit`` of them:
open incidents' first (nearest deadline first), then closed incidents' — a customer rings
about their refund, or to pay or cancel instead of paying a difference, after the incident
closed. Those still owing the discount's difference come first among them, then the latest.
Where two kinds of match are looked up at once, every case of the stronger kind comes first,
each kind in that order: the case with the number typed, then the phones ending in it; the
exact email's cases, then those of emails starting with it; names (exact names first within
each part), then emails starting with the name typed.
Each found case says whether its incident is closed (``FoundCase.closed``: it takes no choice
any more; its page offers only what the desk still takes on it), and a case cancelled instead
of paying the difference says which discount it replaced (``LookupResult.instead``, read for
all the cases found at once), and one whose apology has not gone out yet (held for contact
hours) says when it is due (``LookupResult.apologies_due``): "notified" is the status from the
moment the apology is queued.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sagwa.adapters.db.case_lookup_reads import FoundCase
from sagwa.domain.cancel_instead import CANCEL, ReplacedDiscount
from sagwa.domain.catalog import domestic_digits, plain_phone_text
from sagwa.domain.identifiers import fold_width
from sagwa.domain.incident_plan import IncidentPlan
from sagwa.errors import InvalidInput
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MAX_QUERY = 100
LIMIT = 20
#: How many of a phone number's last digits a customer reads out (``tables.phone_last4``).
TAIL_DIGITS = 4
#: A name typed at least this long also finds the emails that start with it.
EMAIL_START_MIN = 3
#: ``#`` and any number of digits (however large: ``find_cases`` finds no case beyond
#: :data:`MAX_CASE_NUMBER`), or up to 7 digits alone, not starting with 0.
_CASE_NUMBER = re.compile(r"#\s*([0-9]+)|([1-9][0-9]{0,6})")
#: The largest case number there can be (``cases.id`` is a PostgreSQL bigint).
MAX_CASE_NUMBER = 2**63 - 1
#: A phone number's characters, once read plain (``plain_phone_text``): ASCII digits only, as
#: stored numbers have (``٠١٠…`` is then a name nobody has, not a number without digits).
_PHONE = re.compile(r"\+?[0-9\s\-().]+")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
#: ``주문 4003``, ``주문번호: 4003``, ``order #4003``, ``Order no. 4003`` (a CS walk: the customer
#: read out their order number and nothing found it).
_ORDER_NUMBER = re.compile(r"(?:주문\s*(?:번호)?|order(?:\s*(?:no\.?|number))?)\s*[#:]?\s*([0-9]+)",
                           re.IGNORECASE)
#: ``*6980``, ``***-6980``, ``-6980``, ``…6980``, ``⋯6980``, ``...6980``: "ends in".
_TAIL_MARKED = re.compile(r"(?:\*+|\.{2,}|[…⋯]+|-)[\s\-]*([0-9]+)")


class LookupBy(StrEnum):
    CASE_NUMBER = "case_number"
    PHONE = "phone"
    #: a phone number's last four digits, typed as such (``*6980``)
    PHONE_TAIL = "phone_tail"
    #: four digits alone (``6980``): the case with that number, then the phones ending in them
    CASE_NUMBER_OR_PHONE_TAIL = "case_number_or_phone_tail"
    EMAIL = "email"
    NAME = "name"
    #: ``주문 4003``, ``order 4003``: the case the order is in
    ORDER_NUMBER = "order_number"


@dataclass(frozen=True)
class CaseQuery:
    """What an agent typed, read: how to look it up and the value to look up."""

    by: LookupBy
    value: str

    @property
    def ignores_spaces(self) -> bool:
        """A name whose letters are all Hangul (``윤 곤열``): compared without its spaces too
        (the module docstring)."""
        letters = [ch for ch in self.value if ch.isalpha()]
        return self.by is LookupBy.NAME and bool(letters) and all(map(_is_hangul, letters))

    @property
    def finds_email_start(self) -> bool:
        """A name long enough to be looked up as an email's start too (:data:`EMAIL_START_MIN`)."""
        return self.by is LookupBy.NAME and len(self.value) >= EMAIL_START_MIN


@dataclass(frozen=True)
class LookupResult:
    """The cases found (at most the limit) and whether there were more."""

    query: CaseQuery
    found: list[FoundCase]
    more: bool
    #: Of ``found``, the cases still owing the discount's difference (items held until paid).
    owing: frozenset[int] = frozenset()
    #: Of ``found``, the cases cancelled instead of paying it: case id -> the discount replaced.
    instead: Mapping[int, ReplacedDiscount] = field(default_factory=dict)
    #: The plans of the incidents of ``found`` cases with a choice: incident id -> plan, to name
    #: the choice as the plan offered it (a cancellation without points: ``choice_label``).
    plans: Mapping[int, IncidentPlan] = field(default_factory=dict)
    #: Of ``found``, the cases on the call queue whose call waits for a time the customer
    #: named on a call or picked on their page: case id -> that time.
    call_times: Mapping[int, datetime] = field(default_factory=dict)
    #: Of ``found``, the cases whose apology has not gone out yet: case id -> when it is due
    #: (held for contact hours; ``OutboxRepository.apologies_due``).
    apologies_due: Mapping[int, datetime] = field(default_factory=dict)


def read_query(typed: str) -> CaseQuery:
    """What ``typed`` asks for; InvalidInput (field ``q``) when it is empty or too long."""
    # full-width digits and signs (０１０-１２３４, ＃１２) read as the ASCII ones, as every form does
    text = " ".join(fold_width(unicodedata.normalize("NFC", typed)).split())
    if not text:
        raise InvalidInput("type a case number, order number, phone number, name or email",
                           field="q",
                           reason="lookup_empty")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"a lookup is at most {MAX_QUERY} characters", field="q",
                           reason="lookup_too_long")
    if tail := _read_tail(plain_phone_text(text)):  # "–6980" (an en dash) marks an end too
        return tail
    if order := _ORDER_NUMBER.fullmatch(text):
        return CaseQuery(LookupBy.ORDER_NUMBER, str(int(order.group(1))))
    if number := _CASE_NUMBER.fullmatch(text):
        return CaseQuery(LookupBy.CASE_NUMBER, str(int(number.group(1) or number.group(2))))
    if _PHONE.fullmatch(phone := plain_phone_text(text)) and any(c.isdigit() for c in phone):
        return CaseQuery(LookupBy.PHONE, domestic_digits(phone))
    if "@" in text:
        if text.startswith("@"):
            raise InvalidInput("type the start of the email, before the @: a domain alone "
                               "does not tell customers apart", field="q",
                               reason="lookup_email_domain_only")
        return CaseQuery(LookupBy.EMAIL, text.lower())
    return CaseQuery(LookupBy.NAME, text)


def _read_tail(text: str) -> CaseQuery | None:
    """Four digits alone (a case number too, unless they start with 0), or digits marked as a
    phone's end (``*6980``): the lookup of a phone's last four; None for anything else;
    InvalidInput when the marked digits are not four."""
    if _FOUR_DIGITS.fullmatch(text):
        both = not text.startswith("0")  # case numbers never start with 0
        return CaseQuery(LookupBy.CASE_NUMBER_OR_PHONE_TAIL if both else LookupBy.PHONE_TAIL,
                         text)
    if (marked := _TAIL_MARKED.fullmatch(text)) is None:
        return None
    if len(digits := marked.group(1)) != TAIL_DIGITS:
        raise InvalidInput(f"the end of a phone number is its last {TAIL_DIGITS} digits "
                           f"(like *6980); {len(digits)} were typed", field="q",
                           reason="lookup_phone_tail_digits", digits=len(digits))
    return CaseQuery(LookupBy.PHONE_TAIL, digits)


def find_cases(uow: SqlAlchemyUnitOfWork, *, typed: str, limit: int = LIMIT,
               follow_ups: bool = True) -> LookupResult:
    """The cases matching what the agent typed (:func:`read_query`), open incidents' first,
    then closed ones' (the module docstring); ``follow_ups``: the desk policy keeps a list of
    differences to follow up (as for the call queue, ``call_list_reads.call_queue``)."""
    query = read_query(typed)
    with uow:
        found = _looked_up(uow, query, limit=limit + 1)
        shown = found[:limit]
        owing_now = _owing(uow, [f.case_id for f in shown if f.took_discount_unpaid])
        instead = replaced_discounts(uow, [f.case_id for f in shown if f.choice == CANCEL.value])
        plans = _plans(uow, {f.incident_id for f in shown if f.choice})
        times = uow.reads.calls_waiting_for_a_time([f.case_id for f in shown], now=uow.now(),
                                                   follow_ups=follow_ups)
        due = uow.outbox.apologies_due([f.case_id for f in shown])
    return LookupResult(query, shown, len(found) > limit, owing_now, instead, plans, times, due)


def _plans(uow: SqlAlchemyUnitOfWork, incident_ids: set[int]) -> dict[int, IncidentPlan]:
    """The plans of ``incident_ids`` (a case's choice needs one), read once per incident."""
    plans = {}
    for incident_id in sorted(incident_ids):
        found = uow.incidents.get(incident_id)
        price = found.incident.correct_price if found is not None else None
        plan = uow.incidents.plan(incident_id, price) if price is not None else None
        if plan is not None:
            plans[incident_id] = plan
    return plans


def _looked_up(uow: SqlAlchemyUnitOfWork, query: CaseQuery, *, limit: int) -> list[FoundCase]:
    """The cases ``query`` finds, at most ``limit`` of each kind it looks up (the module
    docstring's order); a case found both ways is listed once, as the case with that number."""
    reads, value = uow.reads, query.value
    if query.by is LookupBy.CASE_NUMBER:
        # a number beyond any case's is no case (the database would refuse it as too large)
        number = int(value)
        return reads.cases_by_number(number) if number <= MAX_CASE_NUMBER else []
    if query.by is LookupBy.ORDER_NUMBER:
        number = int(value)
        return reads.cases_by_order(number) if number <= MAX_CASE_NUMBER else []
    if query.by is LookupBy.PHONE:
        return reads.cases_by_phone(value, limit=limit)
    if query.by is LookupBy.PHONE_TAIL:
        return reads.cases_by_phone_tail(value, limit=limit)
    if query.by is LookupBy.CASE_NUMBER_OR_PHONE_TAIL:
        numbered = reads.cases_by_number(int(value))
        ids = {f.case_id for f in numbered}
        return numbered + [f for f in reads.cases_by_phone_tail(value, limit=limit)
                           if f.case_id not in ids]
    if query.by is LookupBy.EMAIL:
        return reads.cases_by_email(value, limit=limit)
    return reads.cases_by_name(value, limit=limit, email_start=query.finds_email_start,
                               ignore_spaces=query.ignores_spaces)


def _is_hangul(letter: str) -> bool:
    """A Hangul syllable or jamo (compatibility and extended jamo too)."""
    return unicodedata.name(letter, "").startswith("HANGUL")


def _owing(uow: SqlAlchemyUnitOfWork, case_ids: list[int]) -> frozenset[int]:
    """Of ``case_ids`` (took the discount, not recorded as paid), those whose discount left a
    difference to pay (``desk_difference.owing``). The cases are read in one query."""
    from sagwa.services.desk_difference import owing  # the desk's own rule

    return frozenset(owing(uow, uow.cases.by_ids(case_ids)))
