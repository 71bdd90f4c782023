"""Whether the correct price given when declaring an incident is believable.

The correct price flows into the apology, the discount offered and the differences customers
owe, so a slip of the keyboard (1,850,000 KRW for a listing that sold at 185,000 KRW) must not
get that far. It is held against every *reference* the incident's listings have: the prices each
had before the window (the wrong price went live at its start) and its product's list price.
Only references above the wrong price count (a listing created at the wrong price has it as
its first price, which says nothing about the right one). A correct price more than
:data:`MAX_TIMES_REFERENCE` times the highest reference is refused, naming them all; with no
reference at all there is nothing to hold it against, and it stands.

Why twice: the price guard itself holds a rise to twice the price or more for a reviewer, so a
correct price above twice everything the listings sold at and their list price is not a price
they could have been selling at, while the typical slip (a zero too many) is ten times.

The other way too: a correct price below half the lowest price the listings *sold at* before
(2,631 KRW declared for a listing that sold at 26,300 before its wrong price of 2,630 — a zero
left out; a list price is not held against it, as a maker's may be far above any price the
product sells at) is refused; each customer's difference would be a won, and the apology and
notice would say the price "should have been 2,631원". Half: a deeper discount than the references' is a promotion the seller
declares, not the price that was meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sagwa.domain.money import Money, format_money
from sagwa.errors import InvalidInput

#: A correct price above this many times the highest reference is refused, and one below the
#: lowest reference divided by it.
MAX_TIMES_REFERENCE = 2


@dataclass(frozen=True)
class PriceReference:
    """What one listing of the incident says the price should be about (minor units): the
    prices it had before the window, in the order they were live, and its product's list price
    (None: none, or in another currency)."""

    listing_id: int
    prices_before: tuple[int, ...]
    list_price: int | None = None


def check_correct_price_plausible(correct: Money, wrong: Money,
                                  references: Sequence[PriceReference]) -> None:
    """Refuse (``correct_price_implausible``) a correct price more than
    :data:`MAX_TIMES_REFERENCE` times the highest reference above the wrong price, or less than
    the lowest price the listings sold at above it divided by it (``details["lowest"]`` then,
    not ``highest``)."""
    known = [p for r in references for p in (*r.prices_before, r.list_price or 0)
             if p > wrong.amount_minor]
    if not known:
        return
    # the low side is held against what the listings sold at only: a list price may be a
    # maker's, far above any price the product sells at
    sold = [p for r in references for p in r.prices_before if p > wrong.amount_minor]
    if sold and correct.amount_minor * MAX_TIMES_REFERENCE < min(sold):
        raise _implausible(correct, references, "lowest", min(sold),
                           reason="correct_price_implausible", compared=(
            f"less than 1/{MAX_TIMES_REFERENCE} of {{bound}}, the lowest price the listings sold "
            "at before the wrong price ({seen}); check the correct price (a zero left out?)"))
    if correct.amount_minor > MAX_TIMES_REFERENCE * max(known):
        raise _implausible(correct, references, "highest", max(known),
                           reason="correct_price_implausible", compared=(
            f"more than {MAX_TIMES_REFERENCE} times {{bound}}, the highest of the listings' "
            "prices before the wrong price and their products' list prices ({seen}); check the "
            "correct price (a zero too many?)"))


def _implausible(correct: Money, references: Sequence[PriceReference], side: str, bound: int,
                 *, reason: str, compared: str) -> InvalidInput:
    """The refusal (``reason``) of ``correct`` against ``bound`` (minor units), the ``side``
    ("lowest" or "highest") reference it broke, ``compared`` saying how (``{bound}`` and
    ``{seen}`` filled in): the details name every reference, in both languages."""
    limit = Money(bound, correct.currency)
    seen = {lang: _seen(references, correct.currency, lang) for lang in ("ko", "en")}
    said = compared.format(bound=format_money(limit), seen=seen["en"])
    return InvalidInput(
        f"the correct price {format_money(correct)} is {said}, and if it is right, declare it "
        "with correct_price_confirmed",
        field="correct_price", reason=reason, factor=MAX_TIMES_REFERENCE,
        prices_seen={str(r.listing_id): list(r.prices_before) for r in references},
        list_prices={str(r.listing_id): r.list_price for r in references},
        correct_ko=format_money(correct, lang="ko"), correct_en=format_money(correct),
        seen_ko=seen["ko"], seen_en=seen["en"], **{
            side: limit.as_dict(), f"{side}_ko": format_money(limit, lang="ko"),
            f"{side}_en": format_money(limit)})


def _seen(references: Sequence[PriceReference], currency: str, lang: str) -> str:
    """``listing 403: 185,000 KRW, list price 199,000 KRW`` for each listing (Korean: ``403번
    185,000원, 정가 199,000원``)."""
    def money(minor: int) -> str:
        return format_money(Money(minor, currency), lang=lang)

    said = []
    for r in references:
        before = " → ".join(money(p) for p in r.prices_before)
        listed = ("" if r.list_price is None else
                  f", {'정가' if lang == 'ko' else 'list price'} {money(r.list_price)}")
        said.append(f"{r.listing_id}번 {before}{listed}" if lang == "ko"
                    else f"listing {r.listing_id}: {before}{listed}")
    return "; ".join(said)
