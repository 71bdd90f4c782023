"""Won amounts typed with 억 (100,000,000) on the seller's price form: ``100억``, ``1억 2천만원``,
``2억 17만 5천원`` read exactly (``2천만`` after 억 too), as :func:`sagwa.web.pages.forms.parse_won` reads 만 and 천.

What follows the 억 is read by ``parse_won`` itself and must be less than one 억 and name its
만 (``1억 2천`` is 1억 2천만 to most people and 100,002,000 to a parser); anything unclear
(``1.5억``, ``0억``, ``1억 10000만``, ``1억 2천``, ``1억 5000원``) is refused with ``parse_won``'s own message for
the whole text, never guessed. (``parse_won`` itself could call this: the form parser lives
outside the seller pages.)
"""

from __future__ import annotations

import re

from sagwa.domain.identifiers import fold_width
from sagwa.domain.money import Money
from sagwa.web.pages.forms import parse_won

EOK = 100_000_000
_EOK = re.compile(r"(?P<sign>₩|KRW)?\s*(?P<eok>[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+)\s*억"
                  r"\s*(?P<rest>.*?)\s*", re.IGNORECASE)
_NOTHING_MORE = ("", "원", "krw")
#: ``2천만`` (20,000,000) and ``2천 500만``, as a number of 만 (``parse_won`` reads 천 only
#: below 만: ``5천원``, ``17만 5천원``)
_CHEON_MAN = re.compile(r"(?P<cheon>[1-9])\s*천\s*(?P<man>[0-9]{1,3})?\s*만")


def parse_seller_won(text: str | None, field: str) -> Money:
    """``parse_won``, with 억 read too (one run of digits before it, more than zero)."""
    typed = fold_width(text or "").strip().replace("\uffe6", "₩")
    if "억" not in typed:
        return parse_won(text, field)
    found = _EOK.fullmatch(typed)
    eok = int(found["eok"].replace(",", "")) if found else 0
    if found is None or eok == 0:
        return parse_won(text, field)  # refused, with the field's own message
    rest = found["rest"]
    below = 0 if rest.lower() in _NOTHING_MORE else _below_eok(rest, field)
    if below is None:
        return parse_won(text, field)
    return Money(eok * EOK + below, "KRW")


def _below_eok(rest: str, field: str) -> int | None:
    """What follows the 억, read by ``parse_won``; None when it is not less than one 억."""
    if rest.startswith(("₩", "KRW", "krw")):
        return None
    if "만" not in rest:  # "1억 2천" says 1억 2천만 to most, 100,002,000 to parse_won: ask
        return None
    cheon_man = _CHEON_MAN.match(rest)
    if cheon_man is not None:
        man = int(cheon_man["cheon"]) * 1_000 + int(cheon_man["man"] or 0)
        rest = f"{man}만{rest[cheon_man.end():]}"
    amount = parse_won(rest, field).amount_minor
    return amount if amount < EOK else None
