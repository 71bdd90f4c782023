"""Who entered an incident's wrong price, as the customer messages and the public notice say it.

A message names who typed the wrong price only when the record says so: a seller's account
(``seller:…`` on the pages, ``api:<seller user>`` through the API) → the seller; a platform
staff account (``admin:``/``reviewer:``/``agent:`` or ``api:<staff user>``) → "our staff";
anything else (a script, the CLI without an account, a system job) or listings entered by
different sides → :attr:`PriceEntry.UNKNOWN`, worded in the passive ("the price was entered
wrongly"). Blaming the seller in public for a platform's entry is what the 2008 seller and
platform did to each other; this module keeps the wording to what is known.

An entry never contradicts the incident's declared ``responsible``: a seller's entry on an
incident declared the platform's, or a staff entry on one declared the seller's, is worded as
unknown (:func:`as_declared`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sagwa.domain.incidents import Responsibility


class PriceEntry(StrEnum):
    SELLER = "seller"      # a seller's own account entered the price
    PLATFORM = "platform"  # a platform staff account entered it
    UNKNOWN = "unknown"    # no account says who, or the listings disagree


#: Account roles (``services.accounts.Role`` values) and the side each one is on.
ROLE_ENTRY = {"seller": PriceEntry.SELLER, "admin": PriceEntry.PLATFORM,
              "reviewer": PriceEntry.PLATFORM, "agent": PriceEntry.PLATFORM}


def entry_of_role(role: str | None) -> PriceEntry:
    return ROLE_ENTRY.get(role or "", PriceEntry.UNKNOWN)


def across(entries: Iterable[PriceEntry]) -> PriceEntry:
    """One side for several listings: the side every listing agrees on, else unknown."""
    sides = set(entries)
    return sides.pop() if len(sides) == 1 else PriceEntry.UNKNOWN


def as_declared(entry: PriceEntry, responsible: Responsibility | str | None) -> PriceEntry:
    """``entry`` unless it contradicts the incident's declared responsibility (then unknown)."""
    clashes = {(PriceEntry.SELLER, Responsibility.PLATFORM),
               (PriceEntry.PLATFORM, Responsibility.SELLER)}
    declared = Responsibility(responsible) if responsible else Responsibility.BOTH
    return PriceEntry.UNKNOWN if (entry, declared) in clashes else entry
