"""When a reviewer who overrules the price guard must write down why: the price they let through
is half or less, or twice or more, of the price it is compared with (:data:`BIG_MOVE`).

One rule for both of a reviewer's decisions:

- approving a held price change compares the new price with the live one it replaces
  (``sagwa.services.price_review.approval_needs_reason``);
- releasing a listing held at its publication compares its first price with the reference the
  guard judged it against (:func:`first_price_reference`: the product's list price, else the
  other sellers' median) — :func:`check_release_reason`.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sagwa.domain.money import Money
from sagwa.domain.reasons import check_meaningful_reason, is_blank
from sagwa.errors import InvalidInput

#: A decision needs a reason when the price is at most 1/BIG_MOVE of its comparison, or at
#: least BIG_MOVE times it.
BIG_MOVE = 2.0


def is_big_move(compared_minor: int, price_minor: int) -> bool:
    """Whether ``price_minor`` is half or less, or twice or more, of ``compared_minor``."""
    return price_minor * BIG_MOVE <= compared_minor or price_minor >= compared_minor * BIG_MOVE


@dataclass(frozen=True)
class PriceReference:
    """What a first price (a listing that was never on sale) is compared with."""

    amount_minor: int
    kind: Literal["list_price", "other_sellers"]

    def as_dict(self, currency: str) -> dict[str, object]:
        return {"amount_minor": self.amount_minor, "currency": currency, "kind": self.kind}


def first_price_reference(list_price_minor: int | None,
                          other_prices_minor: Sequence[int]) -> PriceReference | None:
    """The product's list price (in the listing's currency), else the other sellers' median
    (rounded to a whole minor unit), else None: the guard has nothing to compare it with."""
    if list_price_minor:
        return PriceReference(list_price_minor, "list_price")
    if other_prices_minor:
        return PriceReference(round(statistics.median(other_prices_minor)), "other_sellers")
    return None


def release_needs_reason(price: Money, reference: PriceReference | None) -> bool:
    """Whether releasing a listing held at publication at ``price`` needs a reason.

    With no reference at all (no list price in the listing's currency, no other seller) it does:
    the guard then held the first price on other grounds (a placeholder price such as 100 won,
    the seller's floor or ceiling), the reviewer's card has nothing to check it against, and the
    release rests on the reviewer's word alone — so the audit log says what it rested on. Such
    holds are rare, and asking for a reason once too often costs less than a wrong price on
    sale."""
    return reference is None or is_big_move(reference.amount_minor, price.amount_minor)


def check_release_reason(listing_id: int, price: Money, reference: PriceReference | None,
                         reason: str | None) -> None:
    """Refuse a release that needs a reason (:func:`release_needs_reason`) and gives none (a
    blank one counts as none), saying what the price was compared with; or gives one that says
    too little (:func:`~sagwa.domain.reasons.check_meaningful_reason`)."""
    if not release_needs_reason(price, reference):
        return
    if reason is not None and not is_blank(reason):
        check_meaningful_reason(reason)
        return
    compared = ("nothing to compare it with (no list price, no other seller)" if reference is None
                else f"the {_KIND_EN[reference.kind]} "
                     f"{Money(reference.amount_minor, price.currency)}")
    raise InvalidInput(
        f"listing {listing_id} would go on sale at {price}, against {compared}; releasing a "
        "first price this far from its reference needs a reason (what was checked with the "
        "seller)", field="reason", reason="release_needs_reason",
        reference=None if reference is None else reference.as_dict(price.currency))


_KIND_EN = {"list_price": "list price", "other_sellers": "other sellers' median"}
