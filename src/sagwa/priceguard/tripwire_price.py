"""Where a watched listing is priced, and whether a rush there could be the rush on a wrong
price. Pure.

The tripwire is for wrong (low) prices the guard missed: a tenth, an inverted percentage, a
pack's price for a unit, a mistyped digit (the 2008 iPod nano: 90% under). A listing is judged
against its own usual price (the price before the move that began the watch) and its references
(the product's list price, the other sellers' median): a price *meaningfully* below all of them
could be a mistake (:func:`priced_like_a_mistake`); a price near any of them, or above, is
demand or competition, and nothing is paused. A price *far* below them — half or less — is a
likely mistake: there a few very large orders are enough to pause the listing
(:meth:`PriceContext.far_below`, used by ``tripwire.assess_order_velocity``).

:class:`PriceContext` also says, in the tripwire's reasons, which price change the watch is
about: old → new, and when, in Korea time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sagwa.domain.pricing import kst_minute
from sagwa.domain.time_words import format_when
from sagwa.priceguard.explain import money_texts

#: Other sellers within this share of a listing's price are taken to ask the same price.
COPIED_PRICE = 0.02
#: How far under a reference a price must be before a surge at it can be the rush on a wrong
#: price: a price a few percent under the market is competition — the cheapest seller draws
#: its buyers — not a mistake anyone rushes (a tester's listing moved 2% under the other sellers,
#: drew five orders in a minute and was paused as a "wrong price"). 5% keeps a cut of a tenth
#: watched. Measured from the listing's own price before the watch too: a raise, or a seller's
#: 3% step, is not a mistake, whatever the list price says.
COMPETITIVE_MARGIN = 0.05
#: A price at most this share of every reference is far below them: a likely mistake (the
#: mistakes above are all at half or less; no routine sale is), where one buyer taking dozens
#: of units is the rush itself.
FAR_BELOW = 0.5


def priced_like_a_mistake(*, price_minor: int, list_price_minor: int | None,
                          other_prices_minor: Sequence[int], own_price_minor: int | None = None,
                          list_discount: float = 0.0) -> bool:
    """Whether a surge at this price can be the rush on a wrong price that the tripwire is for:
    the price is more than :data:`COMPETITIVE_MARGIN` (5%) under the listing's own usual price
    (``own_price_minor``, when known: the price before the move that began the watch) *and*
    more than that under the higher of its references — the product's list price less the
    discount its category routinely sells at (``list_discount``: 10% for Korean books), and
    the median of the other sellers' live prices. With no reference, it cannot be ruled out.

    Other sellers at (within 2% of) this very price are left out of their median: a second
    seller copying a wrong price must not vouch for the first, nor a stale low list price alone
    for a price under the market."""
    margin = 1 - COMPETITIVE_MARGIN
    if own_price_minor is not None and price_minor >= margin * own_price_minor:
        return False
    known = _market(price_minor, list_price_minor, other_prices_minor, list_discount)
    return not known or price_minor < margin * max(known)


def _market(price_minor: int, list_price_minor: int | None, other_prices_minor: Sequence[int],
            list_discount: float) -> list[float]:
    """The references known: the list price less its routine discount, and the median of the
    other sellers not at (within 2% of) this very price."""
    others = [p for p in other_prices_minor if abs(p - price_minor) > COPIED_PRICE * price_minor]
    listed = list_price_minor * (1 - list_discount) if list_price_minor else None
    return [p for p in (listed, median(others) if others else None) if p]


@dataclass(frozen=True)
class PriceContext:
    """The price a watch is about and what it is judged against, in minor units of
    ``currency``: the listing's ``price`` now; the move that began the watch (``before`` → ``to``,
    live at ``since``), or for a first sale ``since`` alone (``before`` None); the product's
    ``list_price`` and the share its category routinely sells under it (``list_discount``);
    the other sellers' live prices (``others``)."""

    price: int
    currency: str
    since: datetime | None = None
    before: int | None = None
    to: int | None = None
    list_price: int | None = None
    list_discount: float = 0.0
    others: tuple[int, ...] = ()
    # the listing's own usual price, when lower than ``before``: the lowest it held on sale in
    # the day on sale before the watch (:func:`lowest_held`); a raise undone is not a cut
    usual: int | None = None

    @property
    def own(self) -> int | None:
        """The listing's own price to judge a cut from: the lower of ``before`` and ``usual``."""
        known = [p for p in (self.before, self.usual) if p is not None]
        return min(known) if known else None

    def like_a_mistake(self) -> bool:
        """:func:`priced_like_a_mistake` of this price, against its own price (:attr:`own`)."""
        return priced_like_a_mistake(price_minor=self.price, list_price_minor=self.list_price,
                                     other_prices_minor=self.others, own_price_minor=self.own,
                                     list_discount=self.list_discount)

    def references(self, promotion_pct: float | None = None) -> dict[str, float]:
        """The references known, by name: ``own`` (:attr:`own`), ``list`` (the list price less
        its routine discount), ``others`` (the other sellers' median, copies left out), and
        ``promotion`` — the price a declared promotion of ``promotion_pct`` off ``before`` sets,
        given only while one that needed no reviewer runs (the guard found that cut ordinary)."""
        others = [p for p in self.others if abs(p - self.price) > COPIED_PRICE * self.price]
        found = {"own": self.own,
                 "list": (self.list_price * (1 - self.list_discount) if self.list_price
                          else None),
                 "others": median(others) if others else None,
                 "promotion": (self.before * (1 - promotion_pct / 100.0)
                               if promotion_pct is not None and self.before else None)}
        return {name: float(p) for name, p in found.items() if p}

    def far_below(self, promotion_pct: float | None = None) -> bool:
        """Whether the price is at most :data:`FAR_BELOW` (half) of every reference known
        (:meth:`references`: its own price, the list price less its routine discount, the other
        sellers' median, and the price of a running promotion that needed no reviewer,
        ``promotion_pct``) — with at least one known: a likely mistake. A price at its
        ordinary promotion's price is the promotion, not a mistake, however deep."""
        known = self.references(promotion_pct).values()
        return bool(known) and self.price <= FAR_BELOW * min(known)

    def change_words(self) -> tuple[str, str] | None:
        """The price change the watch is about (English, Korean), for the reasons to put in
        brackets; None when nothing says when: "527,000 KRW → 52,700 KRW, 2026-12-05 14:03
        KST" / "527,000원 → 52,700원, 12월 5일(토) 오후 2시 3분(한국 시간)" (as the seller's emails
        write a moment); a first sale "52,700 KRW, …"; with the price now when a nudge moved it
        since ("…; 52,690 KRW now")."""
        if self.since is None:
            return None
        when = kst_minute(self.since)
        set_to = self.to if self.to is not None else self.price
        to_en, to_ko = money_texts(set_to, self.currency)
        if self.before is not None:
            was_en, was_ko = money_texts(self.before, self.currency)
            to_en, to_ko = f"{was_en} → {to_en}", f"{was_ko} → {to_ko}"
        en, ko = f"{to_en}, {when} KST", f"{to_ko}, {format_when(self.since, 'ko')}(한국 시간)"
        if set_to != self.price:
            now_en, now_ko = money_texts(self.price, self.currency)
            en, ko = f"{en}; {now_en} now", f"{ko}; 지금 {now_ko}"
        return en, ko
