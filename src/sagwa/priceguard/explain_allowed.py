"""What the single check says of a change it allows (English, Korean).

A cut that the declared promotion gives reads as that promotion; a big move (see
:data:`BIG_CUT_RATIO`, :data:`BIG_RISE_RATIO`) says how far it goes and why it still passes; an
ordinary move, or one with no reference price, is left to ``explain.format_reasons``
(``within_range``: "within range of ...", or "no reference price"). Rendering only: the verdict
is the core's (``scalar.judge``), and the batch's CSV/JSON keeps its short fixed text for
allowed rows (``explain.render_reasons``, which other tools read).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from sagwa.domain.particles import Pieces, join_with_particles, split_at_particles
from sagwa.priceguard.explain import (
    declared_pct,
    gap_text,
    money_texts,
    reference_words,
    shown_minor,
)

#: A cut to this share of its reference or less (20% or more below) is said as a cut. Most
#: declared promotions start at 20%, so a buyer reads such a price as a sale; on the dev set
#: about one allowed change without a promotion in seven is that deep (13.6%; the median is
#: 1.06 times its reference), so "within range" still says what the bulk of changes are.
BIG_CUT_RATIO = 0.8
#: A rise to this multiple of its reference or more is said as a rise. Rises run wider than
#: cuts (the end of a promotion puts back the 20-67% it took off: 1.25 to 3 times), and the
#: guard lets one alone go to about 4.1 times (``up_ratio``); from 1.5 times, a third of a
#: price and more, it is as many allowed changes as the cuts above (15.3% on the dev set).
BIG_RISE_RATIO = 1.5

_TEXTS = {
    "en": {
        "promotion": "new price {new} matches the declared promotion of {pct}% ({where}: {ref})",
        "cut": "new price {new} is {gap} {where} ({ref}); allowed: it matches no known error "
        "shape and is within this category's limits",
        "rise": "new price {new} is {gap} {where} ({ref}); allowed: it matches no known error "
        "shape and is within the price guard's limits for a rise",
    },
    "ko": {
        "promotion": "새 가격 {new}은(는) 선언된 {pct}% 할인과 맞습니다({where} {ref}).",
        "cut": "새 가격 {new}은(는) {where}({ref})보다 {gap}. 알려진 오류 형태에 해당하지 않고 "
        "이 분류의 한도 안이므로 허용됩니다.",
        "rise": "새 가격 {new}은(는) {where}({ref})의 {gap}. 알려진 오류 형태에 해당하지 않고 "
        "가격 검사의 인상 한도 안이므로 허용됩니다.",
    },
}
#: The price a declared promotion gives, named after the price it is taken off.
_OFF = {"en": "{where} less {pct}%", "ko": "{where}에서 {pct}% 할인한 가격"}

_PIECES: dict[tuple[str, str], Pieces] = {
    (lang, key): split_at_particles(text) if lang == "ko" else ((text, None),)
    for lang, texts in _TEXTS.items()
    for key, text in texts.items()
}


def format_allowed_reasons(
    *,
    new: float,
    ref: float,
    ref_kind: str,
    currency: str,
    n_peers: int,
    promotion_pct: float,
    bases: tuple[tuple[str, float], ...],
    match_log: float,
) -> tuple[str, str] | None:
    """English and Korean for an allowed change, or None for an ordinary move (one within
    range of its reference, or with none: ``format_reasons`` says those as before).

    ``bases``: (reference kind, price) a declared promotion may be taken off, in the order the
    core tries them (the current price, the listing's recent median, the list price); the
    first the new price matches within ``match_log`` (``PriceRules.promo_match_log``: the core's
    own "the promotion explains the drop") is named.
    """
    # only a cut is said as a promotion: a rise that a percent off some other base happens to
    # give (20% off the list price, from a current price half of it) is a rise
    current = bases[0][1] if bases else math.nan
    promoted = (_promotion_base(new, promotion_pct, bases, match_log)
                if not new >= current else None)
    if promoted is not None:
        kind, base = promoted
        pct = declared_pct(promotion_pct)
        given = base * (1.0 - promotion_pct / 100.0)  # the price the promotion gives
        return _both("promotion", new, given, currency, lambda lang: {
            "pct": pct, "where": _OFF[lang].format(
                pct=pct, where=reference_words(lang, kind, n_peers=n_peers, down=True))})
    if not (math.isfinite(ref) and ref > 0 and math.isfinite(new)):
        return None
    key = "cut" if new <= ref * BIG_CUT_RATIO else "rise" if new >= ref * BIG_RISE_RATIO else ""
    if not key:
        return None
    return _both(key, new, ref, currency, lambda lang: {
        "gap": gap_text(new, float(shown_minor(ref)), lang),
        "where": reference_words(lang, ref_kind, n_peers=n_peers, down=new < ref)})


def _promotion_base(new: float, pct: float, bases: tuple[tuple[str, float], ...],
                    match_log: float) -> tuple[str, float] | None:
    """The first base whose declared promotion the new price matches, or None."""
    if not (0.0 < pct < 100.0 and new > 0):
        return None
    expected = math.log1p(-pct / 100.0)
    for kind, base in bases:
        if base > 0 and math.isfinite(base) and abs(math.log(new / base) - expected) < match_log:
            return kind, base
    return None


def _both(key: str, new: float, ref: float, currency: str,
          words: Callable[[str], dict[str, str]]) -> tuple[str, str]:
    """Sentence ``key`` in English and in Korean, with the amounts and ``words(lang)``."""
    en_new, ko_new = money_texts(new, currency)
    en_ref, ko_ref = money_texts(ref, currency)
    en = _PIECES["en", key][0][0].format_map({"new": en_new, "ref": en_ref, **words("en")})
    ko = join_with_particles(_PIECES["ko", key], {"new": ko_new, "ref": ko_ref, **words("ko")})
    return en, ko
