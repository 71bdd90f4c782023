"""Finding a customer's case for an agent: the customer rang in, or is no longer on the call
list, and the agent has a case number, a phone number, a name or an email.

:func:`read_query` (pure) decides what the words typed are:

* ``#12`` or ``12`` — a case number (a bare number of up to 7 digits not starting with 0);
* ``010-1234-5678``, ``01012345678``, ``+82 10 1234 5678`` — a phone number, compared as its
  domestic digits (:func:`domestic_digits`; stored numbers are reduced the same way, by
  ``tables.domestic_phone_digits``);
* anything with an ``@`` — an email (exact, any letter case);
* anything else — a name, Korean or English: exact, a prefix, or a prefix of one of its words.

:func:`find_cases` looks them up among every incident's cases, at most ``limit`` of them:
open incidents' first (nearest deadline first), then closed incidents' — a customer rings
about their refund, or to pay or cancel instead of paying a difference, after the incident
closed. Those still owing the discount's difference come first among them, then the latest.
Each found case says whether its incident is closed (``FoundCase.closed``: it takes no choice
any more; its page offers only what the desk still takes on it), and a case cancelled instead
of paying the difference says which discount it replaced (``LookupResult.instead``, read for
all the cases found at once).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sagwa.adapters.db.case_lookup_reads import FoundCase
from sagwa.domain.cancel_instead import CANCEL, ReplacedDiscount
from sagwa.domain.catalog import domestic_digits
from sagwa.domain.identifiers import fold_width
from sagwa.errors import InvalidInput
from sagwa.services.desk_cancel_instead import replaced_discounts
from sagwa.services.unit_of_work import SqlAlchemyUnitOfWork

MAX_QUERY = 100
LIMIT = 20
_CASE_NUMBER = re.compile(r"#\s*(\d{1,18})|([1-9]\d{0,6})")
_PHONE = re.compile(r"\+?[\d\s\-().]+")


class LookupBy(StrEnum):
    CASE_NUMBER = "case_number"
    PHONE = "phone"
    EMAIL = "email"
    NAME = "name"


@dataclass(frozen=True)
class CaseQuery:
    """What an agent typed, read: how to look it up and the value to look up."""

    by: LookupBy
    value: str


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


def read_query(typed: str) -> CaseQuery:
    """What ``typed`` asks for; InvalidInput (field ``q``) when it is empty or too long."""
    # full-width digits and signs (０１０-１２３４, ＃１２) read as the ASCII ones, as every form does
    text = " ".join(fold_width(unicodedata.normalize("NFC", typed)).split())
    if not text:
        raise InvalidInput("type a case number, phone number, name or email", field="q",
                           reason="lookup_empty")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"a lookup is at most {MAX_QUERY} characters", field="q",
                           reason="lookup_too_long")
    if number := _CASE_NUMBER.fullmatch(text):
        return CaseQuery(LookupBy.CASE_NUMBER, str(int(number.group(1) or number.group(2))))
    if _PHONE.fullmatch(text) and any(c.isdigit() for c in text):
        return CaseQuery(LookupBy.PHONE, domestic_digits(text))
    if "@" in text:
        return CaseQuery(LookupBy.EMAIL, text.lower())
    return CaseQuery(LookupBy.NAME, text)


def find_cases(uow: SqlAlchemyUnitOfWork, *, typed: str, limit: int = LIMIT) -> LookupResult:
    """The cases matching what the agent typed (:func:`read_query`), open incidents' first,
    then closed ones' (the module docstring)."""
    query = read_query(typed)
    with uow:
        if query.by is LookupBy.CASE_NUMBER:
            found = uow.reads.cases_by_number(int(query.value))
        elif query.by is LookupBy.PHONE:
            found = uow.reads.cases_by_phone(query.value, limit=limit + 1)
        elif query.by is LookupBy.EMAIL:
            found = uow.reads.cases_by_email(query.value, limit=limit + 1)
        else:
            found = uow.reads.cases_by_name(query.value, limit=limit + 1)
        shown = found[:limit]
        owing_now = _owing(uow, [f.case_id for f in shown if f.took_discount_unpaid])
        instead = replaced_discounts(uow, [f.case_id for f in shown if f.choice == CANCEL.value])
    return LookupResult(query, shown, len(found) > limit, owing_now, instead)


def _owing(uow: SqlAlchemyUnitOfWork, case_ids: list[int]) -> frozenset[int]:
    """Of ``case_ids`` (took the discount, not recorded as paid), those whose discount left a
    difference to pay (``desk_difference.owing``). The cases are read in one query."""
    from sagwa.services.desk_difference import owing  # the desk's own rule

    return frozenset(owing(uow, uow.cases.by_ids(case_ids)))
