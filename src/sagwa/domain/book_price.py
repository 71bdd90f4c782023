"""The fixed book price law (도서정가제) as an incident plan must keep it.

출판문화산업 진흥법 제22조 (④ sale at the list price, ⑤ at most 10% off it, 15% counting other
economic benefits) lets a new book sell at most 10% below its list price (정가). The
price guard holds a price change below that floor (``category_list_floor_pct``, e.g.
``books = 90.0`` in ``priceguard/rules.toml``); an incident plan offers customers prices too,
and those must keep the same floor (the same configured share, passed in as
:attr:`BookFloor.floor_pct`: one source of truth):

* ``keep`` sells at the wrong price paid (``Incident.wrong_price``, per unit): below the floor it
  is refused as an option, and above all as the **default** on silence, where the platform
  itself would complete the unlawful sale (reasons ``book_keep_default_below_floor``,
  ``book_keep_below_floor``);
* ``buy_at_correct_price_discount`` sells at the correct price less the discount
  (:func:`sagwa.domain.consent.discounted_unit_price`, as the messages compute it): below the
  floor it is refused, saying the deepest discount that keeps it (``book_discount_below_floor``).

A cancellation (with compensation points) sells nothing, so it is always lawful; it is what the
refusals suggest. The refusal is :class:`~sagwa.errors.BookPriceLawRefused`, with the floor, the
list price and the refused price in both languages in its details.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sagwa.domain.consent import discounted_unit_price
from sagwa.domain.incident_plan import CustomerOption, DefaultAction, IncidentPlan
from sagwa.domain.money import Money, format_money
from sagwa.errors import BookPriceLawRefused

#: The law an incident plan's refusal cites.
LAW_KO = "도서정가제(출판문화산업 진흥법 제22조)"
LAW_EN = "the fixed book price law (Publishing Industry Promotion Act, Article 22)"


@dataclass(frozen=True)
class BookFloor:
    """A book's list price (정가) and the least share of it the law lets it sell at."""

    list_price: Money
    #: Percent of the list price: the price guard's ``category_list_floor_pct`` for the category.
    floor_pct: float

    @property
    def floor(self) -> Money:
        """The least price one can type, as the guard shows it: 90% of 9,999 is 9,000 (rounded
        up to the minor unit, so the floor itself is lawful)."""
        exact = self.list_price.amount_minor * self.floor_pct / 100.0
        return Money(math.ceil(exact - 1e-6), self.list_price.currency)

    def allows(self, price: Money) -> bool:
        return price.amount_minor >= self.floor.amount_minor


def book_floor(list_price: Money | None, floor_pct: float, currency: str) -> BookFloor | None:
    """The floor of a product whose category has one (``floor_pct`` not NaN) and whose list
    price is known in the incident's ``currency``; None otherwise (nothing to keep)."""
    if list_price is None or list_price.currency != currency or not math.isfinite(floor_pct):
        return None
    return BookFloor(list_price, floor_pct)


def max_lawful_discount(correct: Money, book: BookFloor) -> int:
    """The deepest whole-percent discount off ``correct`` that stays at or above the floor (0:
    none does)."""
    pct = 0
    while pct < 99 and book.allows(discounted_unit_price(correct, pct + 1)):
        pct += 1
    return pct


def _figures(book: BookFloor, price: Money) -> dict[str, object]:
    return {"floor_pct": f"{book.floor_pct:g}",
            "floor_ko": format_money(book.floor, lang="ko"), "floor_en": format_money(book.floor),
            "list_price_ko": format_money(book.list_price, lang="ko"),
            "list_price_en": format_money(book.list_price),
            "price_ko": format_money(price, lang="ko"), "price_en": format_money(price)}


def check_book_price_law(plan: IncidentPlan, wrong_price: Money, book: BookFloor) -> None:
    """Refuse a plan that would sell the book below its floor (module docstring)."""
    keep_unlawful = plan.offers(CustomerOption.KEEP) and not book.allows(wrong_price)
    if keep_unlawful and plan.default is DefaultAction.KEEP:
        raise BookPriceLawRefused(
            f"default 'keep' refused: under {LAW_EN} this book may not sell below "
            f"{format_money(book.floor)} ({book.floor_pct:g}% of its list price "
            f"{format_money(book.list_price)}), and a customer who does not answer would keep "
            f"it at {format_money(wrong_price)}; make the default follow_up_call and offer "
            "cancel_with_compensation", field="default", reason="book_keep_default_below_floor",
            **_figures(book, wrong_price))
    if keep_unlawful:
        raise BookPriceLawRefused(
            f"option 'keep' refused: under {LAW_EN} this book may not sell below "
            f"{format_money(book.floor)} ({book.floor_pct:g}% of its list price "
            f"{format_money(book.list_price)}), and keeping sells it at "
            f"{format_money(wrong_price)}; offer cancel_with_compensation instead",
            field="options", reason="book_keep_below_floor", **_figures(book, wrong_price))
    if plan.discount_pct is not None and plan.offers(CustomerOption.BUY_AT_CORRECT_PRICE_DISCOUNT):
        _check_discount(plan, plan.discount_pct, book)


def _check_discount(plan: IncidentPlan, discount_pct: int, book: BookFloor) -> None:
    """The discounted price as the messages say it (``discounted_unit_price``) keeps the floor,
    or the refusal says the deepest discount that would."""
    price = discounted_unit_price(plan.correct_price, discount_pct)
    if book.allows(price):
        return
    deepest = max_lawful_discount(plan.correct_price, book)
    advice = (f"offer at most {deepest}% off" if deepest
              else "do not offer the discount; offer cancel_with_compensation")
    raise BookPriceLawRefused(
        f"a {discount_pct}% discount refused: under {LAW_EN} this book may not sell below "
        f"{format_money(book.floor)} ({book.floor_pct:g}% of its list price "
        f"{format_money(book.list_price)}), and the discount sells it at "
        f"{format_money(price)}; {advice}", field="discount_pct",
        reason="book_discount_below_floor", max_discount_pct=deepest or None,
        **_figures(book, price))
