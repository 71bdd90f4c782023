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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sagwa.domain.money import Money

#: How far the band reaches towards the correct price: this share of the way, in log terms.
SHARE_OF_THE_GAP = 0.1
#: And never more than this either side of the wrong price (10%, in log terms).
WIDEST = math.log(1.1)


@dataclass(frozen=True)
class WrongPriceBand:
    """The prices, in ``wrong``'s currency, from ``low_minor`` to ``high_minor`` (both
    included), that repeat ``wrong``."""

    wrong: Money
    low_minor: int
    high_minor: int

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
    def exact(self) -> bool:
        """Whether only the wrong price itself is in the band."""
        return self.low_minor == self.high_minor


def wrong_price_band(wrong: Money, correct: Money | None) -> WrongPriceBand:
    """The band of prices that repeat ``wrong``, given the ``correct`` price (see the module)."""
    exact = WrongPriceBand(wrong, wrong.amount_minor, wrong.amount_minor)
    if (correct is None or correct.currency != wrong.currency or wrong.amount_minor <= 0
            or correct.amount_minor <= 0 or correct == wrong):
        return exact
    gap = abs(math.log(correct.amount_minor / wrong.amount_minor))
    reach = min(WIDEST, SHARE_OF_THE_GAP * gap)
    low = math.ceil(wrong.amount_minor * math.exp(-reach) - 1e-9)
    high = math.floor(wrong.amount_minor * math.exp(reach) + 1e-9)
    return WrongPriceBand(wrong, min(low, wrong.amount_minor), max(high, wrong.amount_minor))
