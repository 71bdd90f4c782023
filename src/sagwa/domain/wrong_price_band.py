"""The prices that repeat an incident's wrong price on its listing.

After an incident, its wrong price is not set on that listing again (``incident_prices``). The
exact amount alone is too narrow a rule: a walkthrough had a reviewer approve 19,910 KRW after
an incident at 19,900 (the correct price 185,000), while the public notice promised the wrong
price could not be set again. A price is the wrong price again when it lies within a tenth of
the way from the wrong price to the correct one (as a ratio), and never more than 10% either
side of it: 18,091 to 21,890 KRW for 19,900 against 185,000 (a price 9.3 times off), but only
about 2% either side of 150,000 against a correct 185,000 (146,887 to 153,179), so a small slip
blocks only prices next to it. The correct price is always outside the band. Without a correct
price (a draft) only the exact amount counts. The band stands as long as the rule does (after
the incident closes too); there is no override: a seller picks a price outside it.

What is refused is the band and, after a gross mistake (the wrong price at most half the
correct one, or at least twice it: :data:`GROSS`), everything past it away from the correct
price (:meth:`WrongPriceBand.blocks`): after 10,000 KRW sold for a correct 100,000, 9,000 is the
same mistake made worse, so every price up to the top of the band (11,000) is refused; after a
price set ten times too high, every price from the bottom of the band up. After a small slip
(150,000 for 185,000) only the band is: the product may well sell for 140,000 next season, and
the rule has no end, though an operator may narrow a closed incident's block to its band
(:meth:`WrongPriceBand.band_only`; ``incident_prices.narrow_price_block``). It is refused on every
listing of the incident's product (``incident_prices``), since the public notice promises the
wrong price is blocked for the product, not for one seller's listing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sagwa.domain.money import Money

#: How far the band reaches towards the correct price: this share of the way, in log terms.
SHARE_OF_THE_GAP = 0.1
#: And never more than this either side of the wrong price (10%, in log terms).
WIDEST = math.log(1.1)
#: A wrong price at most 1/GROSS or at least GROSS times the correct one is a gross mistake:
#: every price past its band (away from the correct price) repeats it, made worse.
GROSS = 2.0


@dataclass(frozen=True)
class WrongPriceBand:
    """The prices, in ``wrong``'s currency, from ``low_minor`` to ``high_minor`` (both
    included), that repeat ``wrong``."""

    wrong: Money
    low_minor: int
    high_minor: int
    #: The incident's correct price: which side of the band is the mistake made worse.
    correct: Money | None = None

    def __contains__(self, price: object) -> bool:
        return (isinstance(price, Money) and price.currency == self.wrong.currency
                and self.low_minor <= price.amount_minor <= self.high_minor)

    @property
    def low(self) -> Money:
        return Money(self.low_minor, self.wrong.currency)

    @property
    def high(self) -> Money:
        return Money(self.high_minor, self.wrong.currency)

    @property
    def too_low(self) -> bool | None:
        """True when the wrong price was at most half the correct one, False when at least
        twice it (:data:`GROSS`), None otherwise or when that is not known (no correct price,
        another currency): then only the band counts."""
        if (self.correct is None or self.correct.currency != self.wrong.currency
                or self.correct == self.wrong or self.correct.amount_minor <= 0
                or self.wrong.amount_minor <= 0):
            return None
        if self.correct.amount_minor >= GROSS * self.wrong.amount_minor:
            return True
        if self.wrong.amount_minor >= GROSS * self.correct.amount_minor:
            return False
        return None

    @property
    def refused_low(self) -> Money | None:
        """The lowest price refused, or None when every lower price is (a wrong price too low)."""
        return None if self.too_low is True else self.low

    @property
    def refused_high(self) -> Money | None:
        """The highest price refused, or None when every higher price is (a price too high)."""
        return None if self.too_low is False else self.high

    def blocks(self, price: Money) -> bool:
        """Whether ``price`` repeats the mistake: in the band, or past it away from the correct
        price (see the module)."""
        if not isinstance(price, Money) or price.currency != self.wrong.currency:
            return False
        low, high = self.refused_low, self.refused_high
        return ((low is None or price.amount_minor >= low.amount_minor)
                and (high is None or price.amount_minor <= high.amount_minor))

    def band_only(self) -> WrongPriceBand:
        """The same band, refusing only the prices in it: nothing past it counts any more
        (an operator narrowed a closed incident's block)."""
        return replace(self, correct=None)

    @property
    def exact(self) -> bool:
        """Whether only the wrong price itself is in the band."""
        return self.low_minor == self.high_minor


def wrong_price_band(wrong: Money, correct: Money | None) -> WrongPriceBand:
    """The band of prices that repeat ``wrong``, given the ``correct`` price (see the module)."""
    exact = WrongPriceBand(wrong, wrong.amount_minor, wrong.amount_minor, correct)
    if (correct is None or correct.currency != wrong.currency or wrong.amount_minor <= 0
            or correct.amount_minor <= 0 or correct == wrong):
        return exact
    gap = abs(math.log(correct.amount_minor / wrong.amount_minor))
    reach = min(WIDEST, SHARE_OF_THE_GAP * gap)
    low = math.ceil(wrong.amount_minor * math.exp(-reach) - 1e-9)
    high = math.floor(wrong.amount_minor * math.exp(reach) + 1e-9)
    return WrongPriceBand(wrong, min(low, wrong.amount_minor), max(high, wrong.amount_minor),
                          correct)
