"""What the single check says of a change it allows (English, Korean).

A cut that the declared promotion gives reads as that promotion, named after the price it is
taken off (of the current, usual and list prices, the one it fits best); one near what the
promotion gives but not on it (see :data:`SAID_MATCH_LOG`) says how far off it is and the cut it
really makes; a rise under a declared promotion says it is a rise and which price the promotion
is taken off. A big move (see :data:`BIG_CUT_RATIO`, :data:`BIG_RISE_RATIO`) says how far it
goes and why it still passes; an ordinary move, or one with no reference price, is left to
``explain.format_reasons`` (``within_range``: "within range of ...", or "no reference price").
Rendering only: the verdict is the core's (``scalar.judge``), and the batch's CSV/JSON keeps its
short fixed text for allowed rows (``explain.render_reasons``, which other tools read).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

from sagwa.domain.particles import (
    Pieces,
    join_with_particles,
    split_at_particles,
    with_particle,
)
from sagwa.priceguard.explain import (
    declared_pct,
    gap_text,
    money_texts,
    percent_text,
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
#: A new price "matches" its declared promotion only this close (log) to the price the promotion
#: gives: every legitimate declared promotion of the dev set lands within 0.04 of it (a seller
#: rounding 30% off 14,000 to 9,900 is 0.01 away). Further off, within ``promo_match_log``, the
#: sentence says how far off it is: 470,000 is no "match" for 30% off 599,000 (419,300).
SAID_MATCH_LOG = 0.04

_TEXTS = {
    "en": {
        "promotion": "new price {new} matches the declared promotion of {pct}% ({where}: {ref})",
        "promotion_off": "new price {new} is {off} what the declared promotion of {pct}% gives "
        "({where}: {ref}); the cut from {from_where} ({from}) is {cut}%",
        "promotion_off_alone": "new price {new} is {off} what the declared promotion of {pct}% "
        "gives ({where}: {ref})",
        "promotion_rise": "new price {new} is {rise}; the declared promotion of {pct}% is taken "
        "off {base_where} ({base}), which gives {ref}",
        "promotion_rise_alone": "new price {new} is {rise}, though a promotion of {pct}% is "
        "declared",
        "cut": "new price {new} is {gap} {where} ({ref}); allowed: it matches no known error "
        "shape and is within this category's limits",
        "rise": "new price {new} is {gap} {where} ({ref}); allowed: it matches no known error "
        "shape and is within the price guard's limits for a rise",
    },
    "ko": {
        "promotion": "새 가격 {new}은(는) 선언된 {pct}% 할인과 맞습니다({where} {ref}).",
        "promotion_off": "새 가격 {new}은(는) 선언된 {pct}% 할인이 주는 가격({where} {ref})보다 "
        "{off}. {from_where}({from})에서 {cut}% 내린 가격입니다.",
        "promotion_off_alone": "새 가격 {new}은(는) 선언된 {pct}% 할인이 주는 가격({where} {ref})"
        "보다 {off}.",
        "promotion_rise": "새 가격 {new}은(는) {rise}. 선언된 {pct}% 할인은 {base_where}({base}) "
        "기준입니다({where} {ref}).",
        "promotion_rise_alone": "새 가격 {new}은(는) {rise}. {pct}% 할인이 선언되었지만 가격이 "
        "내리지 않았습니다.",
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

    ``bases``: (reference kind, price) a declared promotion may be taken off, the price the
    change moves from first (the current price, the listing's recent median, the list price);
    the one whose promotion price the new price is closest to, within ``match_log``
    (``PriceRules.promo_match_log``: the core's own "the promotion explains the drop"), is named.
    """
    promo = _Promotion.of(new, promotion_pct, bases, match_log)
    if promo is not None:
        return promo.sentences(currency, n_peers)
    if not (math.isfinite(ref) and ref > 0 and math.isfinite(new)):
        return None
    key = "cut" if new <= ref * BIG_CUT_RATIO else "rise" if new >= ref * BIG_RISE_RATIO else ""
    if not key:
        return None
    return _both(key, new, ref, currency, lambda lang: {
        "gap": gap_text(new, float(shown_minor(ref)), lang),
        "where": reference_words(lang, ref_kind, n_peers=n_peers, down=new < ref)})


class _Promotion(NamedTuple):
    """A declared promotion on a change: the price it moves from, and the base the percent
    fits best (None: none within ``match_log``)."""

    new: float
    pct: float
    start: tuple[str, float]  # the price the change moves from (bases[0])
    base: tuple[str, float] | None
    match_log: float
    rise: bool  # not below the price it moves from (none known: no rise)

    @classmethod
    def of(cls, new: float, pct: float, bases: tuple[tuple[str, float], ...],
           match_log: float) -> _Promotion | None:
        """The promotion to say, or None: none declared, or a cut it does not explain."""
        if not (0.0 < pct < 100.0 and new > 0 and bases):
            return None
        start = bases[0]
        rise = start[1] > 0 and new >= start[1]  # NaN or 0: no price to move from
        # only a base above the new price can give it as a discount on a rise
        fits = [(kind, base) for kind, base in bases
                if base > 0 and math.isfinite(base) and (base > new or not rise)]
        off = [abs(_gap(new, pct, base)) for _, base in fits]
        best = fits[off.index(min(off))] if off and min(off) < match_log else None
        if best is None and not rise:
            return None
        return cls(new, pct, start, best, match_log, rise)

    def sentences(self, currency: str, n_peers: int) -> tuple[str, str]:
        new, pct = self.new, self.pct
        text = declared_pct(pct)
        start_kind, start = self.start

        def where(lang: str, kind: str) -> str:
            return reference_words(lang, kind, n_peers=n_peers, down=True)

        if self.base is None:  # a rise no base gives
            return _both("promotion_rise_alone", new, math.nan, currency, lambda lang: {
                "pct": text, **_rise(lang, new, start, currency, where(lang, start_kind))})
        kind, base = self.base
        given = base * (1.0 - pct / 100.0)  # the price the promotion gives
        if self.rise:
            return _both("promotion_rise", new, given, currency, lambda lang: {
                "pct": text, "base_where": where(lang, kind),
                "where": _OFF[lang].format(pct=text, where=where(lang, kind)),
                "base": money_texts(base, currency)[lang == "ko"],
                **_rise(lang, new, start, currency, where(lang, start_kind))})
        named = {"pct": text}
        if abs(_gap(new, pct, base)) < min(SAID_MATCH_LOG, self.match_log):
            return _both("promotion", new, given, currency, lambda lang: {
                **named, "where": _OFF[lang].format(pct=text, where=where(lang, kind))})
        moved = start > 0 and math.isfinite(start)  # else no cut to say
        key = "promotion_off" if moved else "promotion_off_alone"
        cut = percent_text(100.0 * (1.0 - new / start), 1) if moved else ""
        return _both(key, new, given, currency, lambda lang: {
            **named, "where": _OFF[lang].format(pct=text, where=where(lang, kind)),
            "off": _off_text(lang, new, given), "from_where": where(lang, start_kind),
            "from": money_texts(start, currency)[lang == "ko"], "cut": cut})


def _gap(new: float, pct: float, base: float) -> float:
    """How far (log) ``new`` is from ``pct``% off ``base``."""
    return math.log(new / base) - math.log1p(-pct / 100.0)


def _off_text(lang: str, new: float, given: float) -> str:
    """"12.1% above" / "12.1% 높습니다": how far ``new`` is from ``given``."""
    above = new > given
    pct = percent_text(100.0 * abs(new / given - 1.0), 1)
    if lang == "ko":
        return f"{pct}% {'높습니다' if above else '낮습니다'}"
    return f"{pct}% {'above' if above else 'below'}"


def _rise(lang: str, new: float, start: float, currency: str, where: str) -> dict[str, str]:
    """How the new price rises from the price it moves from: "2.2% above the current price
    (185,000 KRW): a rise", "1.6 times ..." from :data:`BIG_RISE_RATIO`, or not at all."""
    shown = money_texts(start, currency)[lang == "ko"]
    ratio = new / start
    if ratio >= BIG_RISE_RATIO:
        times = f"{_times(ratio)}"
        rise = (f"{where}({shown})의 {times}배로 오른 가격입니다" if lang == "ko"
                else f"{times} times {where} ({shown}): a rise")
    elif ratio > 1.0:
        pct = percent_text(100.0 * (ratio - 1.0), 1)
        rise = (f"{where}({shown})보다 {pct}% 오른 가격입니다" if lang == "ko"
                else f"{pct}% above {where} ({shown}): a rise")
    else:
        said = f"{where}({shown})"
        rise = (f"{with_particle(said, '과(와)')} 같아 내리지 않았습니다" if lang == "ko"
                else f"the same as {where} ({shown}): no cut")
    return {"rise": rise}


def _times(ratio: float) -> str:
    """A multiple as :func:`explain.gap_text` writes it ("1.6")."""
    return gap_text(ratio, 1.0, "en").removesuffix(" times")


def _both(key: str, new: float, ref: float, currency: str,
          words: Callable[[str], dict[str, str]]) -> tuple[str, str]:
    """Sentence ``key`` in English and in Korean, with the amounts and ``words(lang)``."""
    en_new, ko_new = money_texts(new, currency)
    en_ref, ko_ref = money_texts(ref, currency)
    en = _PIECES["en", key][0][0].format_map({"new": en_new, "ref": en_ref, **words("en")})
    ko = join_with_particles(_PIECES["ko", key], {"new": ko_new, "ref": ko_ref, **words("ko")})
    return en, ko
