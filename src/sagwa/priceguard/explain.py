"""Reasons a seller and a reviewer can read, rendered from codes and numbers (English, Korean).

Pure ``format_*`` functions: ``format_reason(...)`` builds one sentence; ``render_reasons``
renders a whole :class:`GuardResult` (full sentences for held changes, a short one for allowed).
Korean templates write a particle after a value in its double form (``{new}은(는)``); it is
resolved to the form that fits the value (``19,900원은``) by
:func:`sagwa.domain.particles.join_with_particles` (the templates are cut at their particles once,
at import).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from sagwa.domain.money import CURRENCY_EXPONENTS, Money, format_money
from sagwa.domain.particles import Pieces, join_with_particles, split_at_particles
from sagwa.priceguard.checks import GuardResult, PriceColumns
from sagwa.priceguard.recognisers import DISCOUNT_AMOUNT_LOG
from sagwa.priceguard.rules import category_key, most_specific
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES, REF_KINDS

_LOOKS_LIKE = {
    "en": {
        "decimal_slip": "a dropped zero or a slipped decimal point",
        "extra_zero": "an extra zero or a left-out decimal point",
        "digit_typo": "a mistyped digit",
        "currency": "a currency or exchange-rate mix-up",
        "percent_inverted": "an inverted percentage (meant {rest}% off, charged {rest}% of the price)",
        "inflated_promotion": "a promotion declared deeper than plausible",
        "discount_as_price": "a discount number typed into the price field",
        "unit_error": "a pack/unit mix-up",
        "penny": "a placeholder or penny price",
        "repricer_runaway": "a repricer running away, step by step",
    },
    "ko": {
        "decimal_slip": "0이 빠졌거나 소수점이 밀린 것",
        "extra_zero": "0이 더 붙었거나 소수점을 빠뜨린 것",
        "digit_typo": "숫자를 잘못 입력한 것",
        "currency": "통화·환율을 혼동한 것",
        "percent_inverted": "할인율을 거꾸로 입력한 것({rest}% 할인을 의도하고 가격의 {rest}%를 받음)",
        "inflated_promotion": "비현실적으로 깊게 선언된 할인",
        "discount_as_price": "할인율 숫자를 가격란에 입력한 것",
        "unit_error": "묶음·낱개 단위를 혼동한 것",
        "penny": "자리표시용·최저 단위 가격",
        "repricer_runaway": "자동 가격 조정이 조금씩 폭주한 것",
    },
}
#: The "looks like" of a price that disagrees with its declared promotion by being, within
#: rounding, the discount's amount (``recognisers.typed_discount_amount``): 55,500 for 30% off
#: 185,000 is no typed percent.
_LOOKS_LIKE_AMOUNT = {
    "en": "the discount's amount ({pct}% of the current price) typed into the price field",
    "ko": "할인 금액(현재 가격의 {pct}%)을 가격란에 입력한 것",
}
_REF = {
    "en": {
        "current": "the current price",
        "recent_median": "the listing's recent median",
        "other_sellers": "the median of {n} other sellers",
        "list_price": "the list price",
        "lowest_other_seller": "the lowest of {n} other sellers",
        "highest_other_seller": "the highest of {n} other sellers",
        "promotion_price": "the current price less {pct}%",
        "one_other_seller": "the one other seller's price",
        "other_sellers_uncounted": "the other sellers' median",
        "streak_start_down": "the price before this run of {moves} cuts in a row",
        "streak_start_up": "the price before this run of {moves} rises in a row",
    },
    "ko": {
        "current": "현재 가격",
        "recent_median": "이 판매 상품의 최근 판매가 중앙값",
        "other_sellers": "다른 판매자 {n}곳의 중앙값",
        "list_price": "정가",
        "lowest_other_seller": "다른 판매자 {n}곳 중 최저가",
        "highest_other_seller": "다른 판매자 {n}곳 중 최고가",
        "promotion_price": "현재 가격에서 {pct}% 할인한 가격",
        "one_other_seller": "다른 판매자 1곳의 가격",
        "other_sellers_uncounted": "다른 판매자들의 중앙값",
        "streak_start_down": "이번까지 {moves}번 연속 인하되기 전 가격",
        "streak_start_up": "이번까지 {moves}번 연속 인상되기 전 가격",
    },
}


_PEER_KINDS = frozenset({"other_sellers", "lowest_other_seller", "highest_other_seller"})

_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def money(minor: float, currency: str, lang: str) -> str:
    """Same text as :func:`sagwa.domain.money.format_money`, without Decimal (hot path)."""
    return money_texts(minor, currency)[lang == "ko"]


def shown_minor(minor: float) -> int:
    """A reference as a sentence shows it, in whole minor units: a half rounds up (a median
    of 62.5 cents reads $0.63, as people round), and the gap beside it is measured from it."""
    return math.floor(minor + 0.5)


def money_texts(minor: float, currency: str) -> tuple[str, str]:
    """:func:`money` in English and in Korean, formatted once."""
    if not math.isfinite(minor):
        return "?", "?"
    exponent = CURRENCY_EXPONENTS.get(currency)
    amount = shown_minor(minor)
    if exponent is None or amount < 0:
        value = Money(amount, currency)
        return format_money(value, lang="en"), format_money(value, lang="ko")
    whole, frac = divmod(amount, 10**exponent)
    text = f"{whole:,}" + (f".{frac:0{exponent}d}" if exponent else "")
    if currency == "KRW":
        return f"{text} KRW", f"{text}원"
    symbol = _SYMBOLS.get(currency)
    text = f"{symbol}{text}" if symbol else f"{currency} {text}"
    return text, text


_HEAD = {
    "en": {
        "within_range": "new price {new} is within range of {where} ({ref})",
        "far_below_references": "new price {new} is {gap} {where} ({ref})",
        "far_above_references": "new price {new} is {gap} {where} ({ref})",
        "below_all_other_sellers": "new price {new} is {gap} {where} ({ref})",
        "above_all_other_sellers": "new price {new} is {gap} {where} ({ref})",
        "penny_price": "new price {new} is a penny price, likely a placeholder ({where}: {ref})",
        "promotion_too_deep": "declared promotion of {pct}% needs a reviewer's approval "
        "({max_pct}% or deeper does; new price {new}, {where} {ref})",
        "below_seller_floor": "new price {new} is below the seller's floor of {limit}",
        "above_seller_ceiling": "new price {new} is above the seller's ceiling of {limit}",
        "promotion_mismatch": "new price {new} does not match the declared promotion of {pct}% "
        "({where}: {ref})",
        "undeclared_cut_too_deep": "new price {new} is {gap} {where} ({ref}); a cut of {max_pct}% "
        "or more needs a declared promotion and a reviewer's approval",
        "below_list_price_floor": "new price {new} is below {limit}, the least this category may "
        "be sold at ({share}% of {where} {ref})",
        "above_list_price_ceiling": "new price {new} is above {limit}, the most this category "
        "may be sold at ({share}% of {where} {ref})",
        "cut_too_deep_in_steps": "new price {new} is {gap} {where} ({ref}); a cut of {max_pct}% "
        "or more, in steps or on top of a running promotion, needs a reviewer's approval",
    },
    "ko": {
        "within_range": "새 가격 {new}은(는) {where}({ref})과(와) 비교해 정상 범위입니다",
        "far_below_references": "새 가격 {new}은(는) {where}({ref})보다 {gap}",
        "far_above_references": "새 가격 {new}은(는) {where}({ref})의 {gap}",
        "below_all_other_sellers": "새 가격 {new}은(는) {where}({ref})보다 {gap}",
        "above_all_other_sellers": "새 가격 {new}은(는) {where}({ref})의 {gap}",
        "penny_price": "새 가격 {new}은(는) 자리표시용으로 보이는 최저 단위 가격입니다"
        "({where} {ref})",
        "promotion_too_deep": "선언된 할인 폭 {pct}%은(는) 검토자 승인이 필요합니다"
        "({max_pct}% 이상은 승인 대상, 새 가격 {new}, {where} {ref})",
        "below_seller_floor": "새 가격 {new}은(는) 판매자 하한가 {limit}보다 낮습니다",
        "above_seller_ceiling": "새 가격 {new}은(는) 판매자 상한가 {limit}보다 높습니다",
        "promotion_mismatch": "새 가격 {new}은(는) 선언된 {pct}% 할인과 맞지 않습니다"
        "({where} {ref})",
        "undeclared_cut_too_deep": "새 가격 {new}은(는) {where}({ref})보다 {gap}. {max_pct}% 이상 "
        "할인은 할인 선언과 검토자 승인이 필요합니다",
        "below_list_price_floor": "새 가격 {new}은(는) 이 분류에서 허용되는 최저가 {limit}({where} "
        "{ref}의 {share}%)보다 낮습니다",
        "above_list_price_ceiling": "새 가격 {new}은(는) 이 분류에서 허용되는 최고가 {limit}({where} "
        "{ref}의 {share}%)보다 높습니다",
        "cut_too_deep_in_steps": "새 가격 {new}은(는) {where}({ref})보다 {gap}. 여러 번에 나누거나 "
        "진행 중인 할인 위에 더하더라도 {max_pct}% 이상 할인은 검토자 승인이 필요합니다",
    },
}
#: The same sentences for a change with no reference price (none known, or one of 0): they
#: name no reference and no gap, rather than "is  the highest" or "(the current price: ?)".
_HEAD_WITHOUT_REF = {
    "en": {
        **_HEAD["en"],
        "within_range": "new price {new} has no reference price to be compared with",
        "far_below_references": "new price {new} is far below its reference prices",
        "far_above_references": "new price {new} is far above its reference prices",
        "below_all_other_sellers": "new price {new} is far below every other seller's price",
        "above_all_other_sellers": "new price {new} is far above every other seller's price",
        "penny_price": "new price {new} is a penny price, likely a placeholder",
        "promotion_too_deep": "declared promotion of {pct}% needs a reviewer's approval "
        "({max_pct}% or deeper does; new price {new})",
        "promotion_mismatch": "new price {new} does not match the declared promotion of {pct}%",
        "undeclared_cut_too_deep": "a cut of {max_pct}% or more needs a declared promotion and "
        "a reviewer's approval (new price {new})",
        "below_list_price_floor": "new price {new} is below {limit}, the least this category "
        "may be sold at",
        "above_list_price_ceiling": "new price {new} is above {limit}, the most this category "
        "may be sold at",
        "cut_too_deep_in_steps": "a cut of {max_pct}% or more, in steps or on top of a running "
        "promotion, needs a reviewer's approval (new price {new})",
    },
    "ko": {
        **_HEAD["ko"],
        "within_range": "새 가격 {new}과(와) 비교할 참고 가격이 없습니다",
        "far_below_references": "새 가격 {new}은(는) 참고 가격보다 크게 낮습니다",
        "far_above_references": "새 가격 {new}은(는) 참고 가격보다 크게 높습니다",
        "below_all_other_sellers": "새 가격 {new}은(는) 다른 모든 판매자의 가격보다 크게 낮습니다",
        "above_all_other_sellers": "새 가격 {new}은(는) 다른 모든 판매자의 가격보다 크게 높습니다",
        "penny_price": "새 가격 {new}은(는) 자리표시용으로 보이는 최저 단위 가격입니다",
        "promotion_too_deep": "선언된 할인 폭 {pct}%은(는) 검토자 승인이 필요합니다"
        "({max_pct}% 이상은 승인 대상, 새 가격 {new})",
        "promotion_mismatch": "새 가격 {new}은(는) 선언된 {pct}% 할인과 맞지 않습니다",
        "undeclared_cut_too_deep": "{max_pct}% 이상 할인은 할인 선언과 검토자 승인이 필요합니다"
        "(새 가격 {new})",
        "below_list_price_floor": "새 가격 {new}은(는) 이 분류에서 허용되는 최저가 {limit}보다 "
        "낮습니다",
        "above_list_price_ceiling": "새 가격 {new}은(는) 이 분류에서 허용되는 최고가 {limit}보다 "
        "높습니다",
        "cut_too_deep_in_steps": "여러 번에 나누거나 진행 중인 할인 위에 더하더라도 {max_pct}% 이상 "
        "할인은 검토자 승인이 필요합니다(새 가격 {new})",
    },
}
#: The laws that set a category's share of the list price (``category_list_floor_pct``,
#: ``category_list_ceiling_pct``), by category (a path falls back to its parents, as the rules'
#: categories do): the law's name and its exemption, which the list-price reasons then say in
#: place of "this category". The one mapping of a category to a law.
#:
#: Seller and reviewer read the same reason, and nothing in sagwa edits a product's list price
#: once registered: the exemption says what is true for both — the list price on record may
#: not be the book's, and a reviewer may then approve the price, saying so in the reason.
LIST_PRICE_LAWS: dict[str, dict[str, tuple[str, str]]] = {
    "books": {
        "en": ("the fixed book price law",
               ("a used book is outside the law, and a publisher may set a new list price 12 "
                "months after publication: then the list price on record is not the book's, and "
                "a reviewer may approve the price with a reason that says so")),
        "ko": ("도서정가제", ("중고 도서는 이 법의 대상이 아니며, 출간 12개월이 지나 출판사가 정가를 새로 "
                          "정했다면(재정가) 등록된 정가는 이 책의 정가가 아닙니다. 그런 경우에는 검토자가 "
                          "그 사실을 사유에 적고 승인할 수 있습니다")),
    },
}
#: The list-price reasons as a law sets them: ``{law}`` and ``{exempt}`` from LIST_PRICE_LAWS,
#: after the price the law allows (``{limit}``: the least or most one can type).
_LAW_HEAD = {
    "en": {
        "below_list_price_floor": "new price {new} is below {limit}, the least {law} allows "
        "({share}% of {where} {ref}); a price of {limit} or more keeps to the law; {exempt}",
        "above_list_price_ceiling": "new price {new} is above {limit}, the most {law} allows "
        "({share}% of {where} {ref}); a price of {limit} or less keeps to the law; {exempt}",
    },
    "ko": {
        "below_list_price_floor": "새 가격 {new}은(는) {law} 최저가 {limit}({where} {ref}의 "
        "{share}%)보다 낮습니다. {limit} 이상으로 정하면 이 법에 맞습니다. {exempt}",
        "above_list_price_ceiling": "새 가격 {new}은(는) {law} 최고가 {limit}({where} {ref}의 "
        "{share}%)보다 높습니다. {limit} 이하로 정하면 이 법에 맞습니다. {exempt}",
    },
}
_LAWS_BY_KEY = {category_key(c): words for c, words in LIST_PRICE_LAWS.items()}
_BY_LAW = "@law"  # a sentence key's suffix: the reason as a law sets it
_TAIL = {"en": "; looks like {looks}", "ko": ". {looks}(으)로 보입니다."}


class _Sentence(NamedTuple):
    """One (language, reason, with a "looks like" tail or not) sentence, cut at its particles."""

    pieces: Pieces
    gap: bool
    limit: bool


def _sentences() -> dict[tuple[str, str, bool, bool], _Sentence]:
    """Keyed by (language, reason, with a "looks like" tail, with a reference price)."""
    table = {}
    for with_ref, head_table in ((True, _HEAD), (False, _HEAD_WITHOUT_REF)):
        for lang, heads in head_table.items():
            by_law = {f"{reason}{_BY_LAW}": head for reason, head in _LAW_HEAD[lang].items()}
            for reason, head in {**heads, **by_law}.items():
                for tail in (False, True):
                    text = head + (_TAIL[lang] if tail else "." if lang == "ko" else "")
                    table[lang, reason, tail, with_ref] = _Sentence(
                        split_at_particles(text) if lang == "ko" else ((text, None),),
                        "{gap}" in head,
                        "{limit}" in head,
                    )
    return table


_SENTENCES = _sentences()


def format_reason(
    *,
    reason: str,
    error_type: str,
    new: float,
    ref: float,
    ref_kind: str,
    currency: str,
    lang: str = "en",
    n_peers: int = 0,
    promotion_pct: float = math.nan,
    limit_minor: float = math.nan,
    max_depth_pct: float = math.nan,
    moves: int = 0,
    category: str | None = None,
) -> str:
    """One sentence: what the new price is compared with, how far off, and the likely error.

    ``max_depth_pct``: the promotion depth allowed without review (named when it is exceeded);
    ``moves``: the streak's moves, this change included (named with a streak's start);
    ``category``: the product's, which names the law behind a list-price reason (books: the
    fixed book price law, :data:`LIST_PRICE_LAWS`).
    """
    k = lang == "ko"
    amounts = (money_texts(new, currency)[k], money_texts(ref, currency)[k],
               money_texts(_limit_shown(reason, limit_minor), currency)[k]
               if _SENTENCES[lang, reason, False, True].limit else "")
    return _render(lang, reason, error_type, new, ref, ref_kind, n_peers, promotion_pct, amounts,
                   max_depth_pct, _share(reason, limit_minor, ref), moves,
                   law_of(reason, category))


def format_reasons(
    *,
    reason: str,
    error_type: str,
    new: float,
    ref: float,
    ref_kind: str,
    currency: str,
    n_peers: int = 0,
    promotion_pct: float = math.nan,
    limit_minor: float = math.nan,
    max_depth_pct: float = math.nan,
    moves: int = 0,
    category: str | None = None,
) -> tuple[str, str]:
    """:func:`format_reason` in English and in Korean, the amounts formatted once for both."""
    new_t, ref_t = money_texts(new, currency), money_texts(ref, currency)
    share = _share(reason, limit_minor, ref)
    limit_t = (money_texts(_limit_shown(reason, limit_minor), currency)
               if _SENTENCES["en", reason, False, True].limit else ("", ""))
    law = law_of(reason, category)
    return (
        _render("en", reason, error_type, new, ref, ref_kind, n_peers, promotion_pct,
                (new_t[0], ref_t[0], limit_t[0]), max_depth_pct, share, moves, law),
        _render("ko", reason, error_type, new, ref, ref_kind, n_peers, promotion_pct,
                (new_t[1], ref_t[1], limit_t[1]), max_depth_pct, share, moves, law),
    )


def law_of(reason: str, category: str | None) -> dict[str, tuple[str, str]] | None:
    """The words of the law behind a list-price reason for ``category`` (None: no law names
    it, or the reason is no list-price one)."""
    if reason not in _LAW_HEAD["en"]:
        return None
    return most_specific(_LAWS_BY_KEY, category)


#: (reason, error type) pairs whose "looks like" tail would only repeat the sentence's head.
_NO_TAIL = frozenset({("penny_price", "penny"), ("promotion_too_deep", "inflated_promotion")})


def _render(lang: str, reason: str, error_type: str, new: float, ref: float, ref_kind: str,
            n_peers: int, promotion_pct: float, amounts: tuple[str, str, str],
            max_depth_pct: float = math.nan, share: str = "", moves: int = 0,
            law: dict[str, tuple[str, str]] | None = None) -> str:
    looks = None if (reason, error_type) in _NO_TAIL else _LOOKS_LIKE[lang].get(error_type)
    if error_type == "discount_as_price" and _is_discount_amount(reason, new, ref, promotion_pct):
        looks = _LOOKS_LIKE_AMOUNT[lang]
    key = f"{reason}{_BY_LAW}" if law is not None else reason
    sentence = _SENTENCES[lang, key, bool(looks), _is_price(ref)]
    pct = declared_pct(promotion_pct)
    values = {
        "new": amounts[0],
        "ref": amounts[1],
        "where": reference_words(lang, ref_kind, n_peers=n_peers, down=new < ref, pct=pct,
                                 moves=moves),
        # said between the amounts the sentence shows (a median of 62.5 cents shows as $0.63)
        "gap": gap_text(new, float(shown_minor(ref)), lang) if sentence.gap else "",
        "pct": pct,
        "max_pct": f"{max_depth_pct:g}" if math.isfinite(max_depth_pct) else "?",
        "share": share,
        "limit": amounts[2],
    }
    if law is not None:
        values["law"], values["exempt"] = law[lang]
    if looks:
        rest = round(100 - promotion_pct) if math.isfinite(promotion_pct) else 0
        values["looks"] = looks.format(rest=rest, pct=pct) if "{" in looks else looks
    if lang == "ko":
        return join_with_particles(sentence.pieces, values)
    return sentence.pieces[0][0].format_map(values)


def _is_discount_amount(reason: str, new: float, ref: float, pct: float) -> bool:
    """A promotion mismatch whose new price is the discount's amount: ``ref`` is then the price
    the promotion gives, ``old × (1 - pct)``, and the amount ``old × pct``."""
    if reason != "promotion_mismatch" or not (0.0 < pct < 100.0 and new > 0 and ref > 0):
        return False
    return abs(math.log(new / (ref * pct / (100.0 - pct)))) < DISCOUNT_AMOUNT_LOG


def reference_words(lang: str, ref_kind: str, *, n_peers: int, down: bool, pct: str = "?",
                    moves: int = 0) -> str:
    """How a sentence names the price it compares with ("the median of 3 other sellers");
    ``down``: the new price is below it (a streak's start is then that of a run of cuts)."""
    if n_peers == 1 and ref_kind in _PEER_KINDS:  # median, lowest and highest of one price
        ref_kind = "one_other_seller"
    elif n_peers < 1 and ref_kind == "other_sellers":  # a caller that gave no count
        ref_kind = "other_sellers_uncounted"
    if ref_kind == "streak_start":  # a run of cuts or of rises
        ref_kind = "streak_start_down" if down else "streak_start_up"
    where = _REF[lang][ref_kind]
    return where.format(n=n_peers, pct=pct, moves=moves) if "{" in where else where


def limit_of(reason: str, floor: float, ceiling: float, list_floor: float,
             list_ceiling: float = math.nan) -> float:
    """The limit a reason names: the seller's floor or ceiling, or the category's least or most
    price."""
    if reason == "below_seller_floor":
        return floor
    if reason == "above_list_price_ceiling":
        return list_ceiling
    return list_floor if reason == "below_list_price_floor" else ceiling


def _limit_shown(reason: str, limit_minor: float) -> float:
    """A limit as a price one can type: a floor of 1,799.1 cents (90% of $19.99) is $18.00, the
    least price it allows (shown rounded, "$17.99" read as a price below itself), a ceiling
    the most."""
    if not math.isfinite(limit_minor):
        return limit_minor
    if reason in ("above_seller_ceiling", "above_list_price_ceiling"):
        return float(math.floor(limit_minor + 1e-6))
    return float(math.ceil(limit_minor - 1e-6))


def _share(reason: str, limit_minor: float, ref: float) -> str:
    """The least or most price as a percent of the list price, for the list-price reasons."""
    if reason not in _LAW_HEAD["en"] or not (ref > 0 and math.isfinite(limit_minor)):
        return ""
    return f"{100.0 * limit_minor / ref:g}"


def _is_price(ref: float) -> bool:
    """Whether ``ref`` is a reference price a sentence can name: known, and above 0."""
    return math.isfinite(ref) and ref > 0


def declared_pct(pct: float) -> str:
    """A declared percent as written ("25", "12.5"); one just under 100 never reads "100"."""
    if not math.isfinite(pct):
        return "?"
    text = f"{pct:.2f}".rstrip("0").rstrip(".")  # 25, 12.5, 12.35 (not 12.3457 nor 1e-05)
    if text == "0" and pct > 0:
        return "<0.01"
    return percent_text(pct, 1) if text == "100" and pct < 100 else text


def percent_text(pct: float, decimals: int = 0) -> str:
    """A percent with ``decimals`` places, never rounded up to 100 when it is less: from 99.5
    on it shows one decimal, cut down (90 KRW against 175,000 is 99.95% below, "99.9", as
    "100% below" would read as free). The reasons' gaps and the review cards' badges alike."""
    if 99.5 <= pct < 100:
        return f"{math.floor(pct * 10) / 10:.1f}"
    return f"{_half_up(pct, decimals):.{decimals}f}"


def _half_up(value: float, decimals: int) -> float:
    """``value`` to ``decimals`` places, a half rounding up (2.25 -> 2.3, as people round;
    Python's formatting rounds it to the even 2.2)."""
    scale = 10**decimals
    return math.floor(value * scale + 0.5 + 1e-9) / scale


def gap_text(new: float, ref: float, lang: str) -> str:
    """How far ``new`` is from ``ref`` ("90% below", "10.0 times", "1,147.1 times": grouped in
    thousands, as the amounts are). Only sentences with a reference price (:func:`_is_price`)
    name a gap: the others say none."""
    if new < ref:
        text = percent_text(100 * (1 - new / ref))
        return f"{text}% 낮습니다" if lang == "ko" else f"{text}% below"
    times = _half_up(new / ref, 1)
    return f"{times:,.1f}배입니다" if lang == "ko" else f"{times:,.1f} times"


def render_reasons(
    result: GuardResult,
    cols: PriceColumns,
    currency: Sequence[str],
    *,
    n_peers: npt.NDArray[np.int64],
    lang: str = "en",
    categories: Sequence[str | None] | None = None,
) -> list[str]:
    """A sentence per change; only held changes get the full comparison (keeps batches fast).
    ``categories``: each change's product category, which names the law behind a list-price
    reason (without them, the reasons say "this category")."""
    out = ["within range of its references" if lang == "en" else "참고 가격과 비교해 정상 범위"] * len(cols)
    for i in np.flatnonzero(result.hold).tolist():
        reason = REASON_CODES[result.reason_code[i]]
        limit = limit_of(reason, cols.floor[i], cols.ceiling[i], cols.list_floor[i],
                         cols.list_ceiling[i])
        out[i] = format_reason(
            reason=reason,
            error_type=ERROR_TYPES[result.error_code[i]],
            new=float(cols.new[i]),
            ref=float(result.ref_price[i]),
            ref_kind=REF_KINDS[result.ref_kind[i]],
            currency=currency[i],
            lang=lang,
            n_peers=int(n_peers[i]),
            promotion_pct=float(cols.promotion_pct[i]),
            limit_minor=float(limit),
            max_depth_pct=float(cols.max_depth_pct[i]),
            moves=int(cols.streak_moves[i]) + 1,
            category=None if categories is None else categories[i],
        )
    return out
