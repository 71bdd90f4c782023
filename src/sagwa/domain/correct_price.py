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
product sells at) is refused; each
customer's difference would be a won, and the apology and notice would say the price "should
have been 2,631원". Half: a deeper discount than the references' is a promotion the seller
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
    seen = {lang: _seen(references, correct.currency, lang) for lang in ("ko", "en")}
    # the low side is held against what the listings sold at only: a list price may be a
    # maker's, far above any price the product sells at
    sold = [p for r in references for p in r.prices_before if p > wrong.amount_minor]
    if sold and correct.amount_minor * MAX_TIMES_REFERENCE < min(sold):
        lowest = Money(min(sold), correct.currency)
        raise InvalidInput(
            f"the correct price {format_money(correct)} is less than 1/{MAX_TIMES_REFERENCE} of "
            f"{format_money(lowest)}, the lowest price the listings sold at before the wrong "
            f"price ({seen['en']}); check the correct price (a zero left out?), and if it is "
            "right, declare it with correct_price_confirmed",
            field="correct_price", reason="correct_price_implausible", factor=MAX_TIMES_REFERENCE,
            lowest=lowest.as_dict(),
            prices_seen={str(r.listing_id): list(r.prices_before) for r in references},
            list_prices={str(r.listing_id): r.list_price for r in references},
            correct_ko=format_money(correct, lang="ko"), correct_en=format_money(correct),
            lowest_ko=format_money(lowest, lang="ko"), lowest_en=format_money(lowest),
            seen_ko=seen["ko"], seen_en=seen["en"])
    if correct.amount_minor <= MAX_TIMES_REFERENCE * max(known):
        return
    highest = Money(max(known), correct.currency)
    raise InvalidInput(
        f"the correct price {format_money(correct)} is more than {MAX_TIMES_REFERENCE} times "
        f"{format_money(highest)}, the highest of the listings' prices before the wrong price "
        f"and their products' list prices ({seen['en']}); check the correct price (a zero too "
        "many?), and if it is right, declare it with correct_price_confirmed",
        field="correct_price", reason="correct_price_implausible", factor=MAX_TIMES_REFERENCE,
        highest=highest.as_dict(),
        prices_seen={str(r.listing_id): list(r.prices_before) for r in references},
        list_prices={str(r.listing_id): r.list_price for r in references},
        correct_ko=format_money(correct, lang="ko"), correct_en=format_money(correct),
        highest_ko=format_money(highest, lang="ko"), highest_en=format_money(highest),
        seen_ko=seen["ko"], seen_en=seen["en"])


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
