"""How the order tripwire says what it saw, in English and Korean. Pure.

Each function returns ``(English, Korean)``; ``tripwire.assess_order_velocity`` joins them into
its reasons, which the pause and the draft incident keep as their evidence and cause. The
English is one line of clauses joined by semicolons, what the count was compared with in short
sentences; the Korean is written as full sentences (a copy edit found "…예상; …허용: …" read as a
machine translation in the seller's email), the price change its own sentence rather than
brackets nested in brackets; the numbers the same in both. Numbers
are said as people read them: "fewer than 0.1" rather than "0.0", odds rather than ``3.0e-22``,
seconds under a minute, and where a number is a floor of the system's rather than the
listing's own, it says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sagwa.domain.particles import with_particle

if TYPE_CHECKING:
    from sagwa.priceguard.tripwire import NormalRate, VelocityRules

SINCE = {"price_change": ("the price change", "가격 변경"),
         "first_sale": ("the listing went on sale", "판매 시작"),
         "resumed": ("the listing went back on sale", "판매 재개"),
         "left_clearance": ("the price went below what an operator had cleared",
                            "운영자가 확인한 가격 아래로 가격 인하")}


#: The counts that start after the watch's start: the price change is said as what came before.
_AFTER_WATCH = ("resumed", "left_clearance")


def opening(*, observed: int, customers: int | None, hours: float, since: str,
            change: tuple[str, str] | None, first_sale: bool) -> tuple[str, str]:
    """"5 orders from 1 customer in 13 min since the price change (17,700 KRW → 16,000 KRW,
    2026-12-05 14:03 KST)": the count, how many customers placed it (when known: one customer
    placing five orders is not five buyers), how long it took, and since what (``since``, a
    key of :data:`SINCE`), with the price change the watch is about (``change``, from
    ``tripwire_price.PriceContext.change_words``; ``first_sale``: the watch began with the
    listing's first sale). A count under an hour also says its pace an hour ("9초 동안 … 5건을
    주문했습니다(시간당 약 2,000건의 속도)"): every rate it is compared with is an hourly one, and
    "10 an hour allowed" beside "5 orders in 9 seconds" read as if the seller was stopped at 5."""
    since_en, since_ko = SINCE[since]
    since_ko, lead_ko = f"{since_ko} 후", ""
    if change is not None:
        inner_en, inner_ko = change
        lead_ko = change_sentence_ko(inner_ko, first_sale=first_sale)
        if since not in _AFTER_WATCH:  # the lead sentence says what the count is since
            since_en, since_ko = f"{since_en} ({inner_en})", "그 뒤"
        elif first_sale:
            since_en += f" (first on sale: {inner_en})"
        else:
            since_en += f" (after the price change {inner_en})"
    span_en, span_ko = span(hours)
    who_en = f" from {customers} customer{'s' if customers != 1 else ''}" if customers else ""
    who_ko = f"고객 {customers}명이 " if customers else ""
    orders_en = f"{observed} order{'s' if observed != 1 else ''}"
    # a sentence with its verb: "고객 5명이 5건을 주문했습니다", not "고객 5명이 주문 5건"
    placed_ko = (f"{who_ko}{observed}건을 주문했습니다" if customers
                 else f"주문 {observed}건이 들어왔습니다")
    pace_en, pace_ko = pace(observed, hours)
    return (f"{orders_en}{who_en} in {span_en} since {since_en}{pace_en}",
            f"{lead_ko}{since_ko} {span_ko} {placed_ko}{pace_ko}")


def change_sentence_ko(change_ko: str, *, first_sale: bool) -> str:
    """"12월 6일(일) 오전 11시 47분(한국 시간)에 가격을 199,000원 → 19,900원으로 바꿨습니다. ": the
    price change the watch is about (``tripwire_price.PriceContext.change_words``' Korean,
    "{prices}, {when}(한국 시간)" with "; 지금 {price}" when a nudge moved it since) as a sentence
    of its own: inside the count's brackets its date's own brackets nested (a reviewer found
    "가격 변경(199,000원 → 19,900원, 12월 6일(일) 오전 11시 47분(한국 시간)) 후" hard to read).
    ``first_sale``: the watch began with the listing's first sale, at that price."""
    prices, _, rest = change_ko.partition(", ")
    when, _, now = rest.partition("; 지금 ")
    to = with_particle(prices, "(으)로")
    said = (f"{when}에 {to} 판매를 시작했습니다." if first_sale
            else f"{when}에 가격을 {to} 바꿨습니다.")
    return f"{said} 지금 가격은 {now}입니다. " if now else f"{said} "


def pace(observed: int, hours: float) -> tuple[str, str]:
    """", a pace of about 2,000 orders an hour" / "(시간당 약 2,000건의 속도)" for ``observed``
    orders in ``hours`` under one (nothing for a longer count, or a single order, whose count
    already reads as a rate, nor for orders "under a second" apart, whose pace is no number
    anyone reads): two significant figures from a hundred, whole numbers from ten."""
    if hours >= 1 or hours * 3600 < 1 or observed < 2:
        return "", ""
    rate = observed / hours
    if rate >= 100:
        said = f"{round(rate, -len(str(round(rate))) + 2):,.0f}"
    elif rate >= 10:
        said = f"{rate:,.0f}"
    else:
        said = _plain(rate)
    return f", a pace of about {said} orders an hour", f"(시간당 약 {said}건의 속도)"


def compared_with(normal: NormalRate, *, rate: float, usual: float, hours: float,
                  rules: VelocityRules) -> tuple[str, str]:
    """What the count was compared with (``usual`` orders in ``hours`` at ``rate`` an hour, or
    at the listing's rates by hour of the day)."""
    history = f"{rules.min_history_hours:g}"
    exp_en, exp_ko = expected_count(usual)
    if normal.basis == "other_sellers":
        many = normal.sellers > 1
        among_en = f"the busiest of {normal.sellers}" if many else "1 seller"
        among_ko = f"{normal.sellers}곳 중 최대" if many else "1곳"
        sold_en, sold_ko = hourly_rate(normal.sellers_per_hour)
        others_en = (f"other sellers of this product sold {sold_en} ({among_en} on sale for "
                     f"{history} h or more)")
        others_ko = f"같은 상품의 다른 판매자는 {sold_ko} 판매했습니다({history}시간 이상 판매한 {among_ko})."
        if rate > normal.sellers_per_hour + 0.005:  # the launch rate or its own was higher
            en = (f"{others_en}; this listing is measured against the higher of the rate assumed "
                  f"for a new listing and its own so far, {rate:.2f}/h: {exp_en} expected")
            ko = (f"{others_ko} 이 상품은 새 상품 기본값과 지금까지의 판매 속도 중 높은 쪽인 "
                  f"시간당 {rate:.2f}건을 기준으로 하며, {_expected_ko(exp_ko)}")
        else:
            en = f"{others_en}, so {exp_en} expected at {rate:.2f}/h"
            ko = f"{others_ko} 시간당 {rate:.2f}건이면 {_expected_ko(exp_ko)}"
    elif normal.basis in ("own_short", "launch"):
        launch = normal.basis == "launch"
        assumed_en = "the rate assumed for a new listing" if launch else "its own rate so far"
        assumed_ko = (f"새로 판매를 시작한 상품의 기본값인 시간당 {rate:.2f}건" if launch
                      else f"지금까지의 판매 속도인 시간당 {rate:.2f}건")
        en = (f"no other seller of this product had {history} h on sale to compare with, so "
              f"{exp_en} expected at {assumed_en}, {rate:.2f}/h")
        ko = (f"{history}시간 이상 판매한 다른 판매자가 없어 {assumed_ko}을 기준으로 했습니다. "
              f"이 속도라면 {_expected_ko(exp_ko)}")
    elif normal.by_hour and abs(usual - rate * hours) > 0.05 * rate * hours:  # hours of the day
        average = usual / hours
        en = f"{exp_en} expected at its usual rate for these hours of the day, {average:.2f}/h"
        ko = f"이 시간대의 평소 판매 속도인 시간당 {average:.2f}건이면 {_expected_ko(exp_ko)}"
    elif normal.per_hour < rules.min_rate_per_hour:  # the floor, not the listing's own rate
        en = (f"its usual rate is at most {rate:.2f}/h, the floor used for listings that rarely "
              f"sell. At that rate, {exp_en} were expected")
        ko = (f"이 상품은 드물게 팔려 평소 판매 속도를 최저 기준인 시간당 {rate:.2f}건 이하로 잡았습니다. "
              f"이 속도라면 {_expected_ko(exp_ko)}")
    else:
        en = f"{exp_en} expected at the usual {rate:.2f}/h"
        ko = f"평소 판매 속도인 시간당 {rate:.2f}건이면 {_expected_ko(exp_ko)}"
    return en, ko


def _expected_ko(count_ko: str) -> str:
    """"이 시간 동안 예상되는 주문은 0.1건 미만입니다.": what the count was measured against, as
    a sentence (it was a clipped "0.1건 미만 예상")."""
    return f"이 시간 동안 예상되는 주문은 {count_ko}입니다."


def chance_ko(odds_ko: str) -> str:
    """" 우연히 이만큼 주문될 확률은 10억분의 1 미만입니다.": the chance, its own sentence."""
    return f" 우연히 이만큼 주문될 확률은 {odds_ko}입니다."


def promotion(normal: NormalRate, *, expected: float, usual: float, hours: float,
              floored: bool, rules: VelocityRules) -> tuple[str, str]:
    """What a declared promotion allows: ``promotion_lift`` times the usual rate — or, for a
    promotion that needed no reviewer (``floored``), at least ``promotion_min_per_hour``, which
    it says, with what the lift alone would have allowed — and the orders that makes in the
    count's ``hours`` ("still fewer than 0.1 … in so short a time" where that reads as the usual
    count does: the rate said beside it is what the promotion allows more)."""
    pct, times = f"{normal.promotion_pct:g}%", f"{rules.promotion_lift:g}"
    allowed_en, allowed_ko = expected_count(expected)
    in_time_en = "orders were expected in this time"
    made_in_time_ko = f"이 속도라면 이 시간 동안 {allowed_ko}입니다."
    if (allowed_en, allowed_ko) == expected_count(usual):
        allowed_en, in_time_en = (f"still {allowed_en}",
                                  "orders were expected in so short a time")
        made_in_time_ko = f"이 속도로도 이렇게 짧은 시간에는 여전히 {allowed_ko}입니다."
    if floored:
        floor = f"{rules.promotion_min_per_hour:g}"
        lifted = rules.promotion_lift * usual / hours
        # the allowance is a rate, said as one and as what it makes in the count's time: "10
        # an hour allowed" beside "5 orders in 9 seconds" read as a limit of 10 orders
        span_en, span_ko = span(hours)
        made_en, made_ko = expected_count(expected)
        en = (f". During the declared {pct} promotion, which needed no reviewer, orders are "
              f"allowed at up to {floor} an hour. Any such promotion is allowed that much, as it "
              f"is announced to customers and any listing may draw them. {times} times the usual "
              f"rate would be {lifted:.2f}/h. At up to {floor} an hour, {made_en} orders were "
              f"expected in {span_en}")
        ko = (f" 판매자가 선언해 검토 없이 적용된 {pct} 할인 행사 기간에는 시간당 {floor}건까지 주문을 "
              f"허용합니다. 이런 할인은 고객에게 알려져 어느 상품이든 그만큼은 팔릴 수 있어 최소한 "
              f"이만큼은 허용하며, 평소의 {times}배라면 시간당 {lifted:.2f}건입니다. 이 속도로는 "
              f"{_within(span_ko)} {made_ko}입니다.")
        return en, ko
    lifted = expected / hours
    en = (f". During the declared {pct} promotion, up to {times} times the usual rate is "
          f"allowed, {lifted:.2f}/h. At that rate, {allowed_en} {in_time_en}")
    ko = (f" 선언된 {pct} 할인 기간에는 평소의 {times}배인 시간당 {lifted:.2f}건까지 허용합니다. "
          f"{made_in_time_ko}")
    return en, ko


def _within(span_ko: str) -> str:
    """A span as "이 속도로는 …" takes it: "9초 동안" as it is, "1초도 안 되어" as "1초 안에"."""
    return "1초 안에" if span_ko == "1초도 안 되어" else span_ko


def units(*, units: int, beyond_one: int, expected_units: float, per_order: float,
          known: bool, chance: float) -> tuple[str, str]:
    """"; between them they took 400 units (300 besides the biggest order) where about 0.2
    were expected at one an order …": what the orders took, not a "but" the count before it
    (often just as unlikely) does not set up."""
    usual_en, usual_ko = ((f"the usual {per_order_words(per_order)} an order",
                           f"평소 주문당 {_plain(per_order)}개면") if known else
                          ("one an order (this listing has no usual yet)",
                           "아직 평소 수량이 없어 주문당 1개로 치면"))
    exp_en, exp_ko = expected_count(expected_units, unit_ko="개")
    odds_en, odds_ko = odds(chance)
    en = (f"; between them they took {units:,} units ({beyond_one:,} besides the biggest "
          f"order) where {exp_en} were expected at {usual_en} (chance {odds_en})")
    ko = (f" 주문 수량은 모두 {units:,}개(가장 큰 주문을 빼도 {beyond_one:,}개)입니다. {usual_ko} "
          f"예상되는 수량은 {exp_ko}이고, 우연히 이만큼 주문될 확률은 {odds_ko}입니다.")
    return en, ko


def per_order_words(per_order: float) -> str:
    """Units an order in English: "1 unit", "1.3 units" (no needless ".0")."""
    said = _plain(per_order)
    return f"{said} unit{'' if said == '1' else 's'}"


def _plain(value: float) -> str:
    """One decimal without a needless ".0": "1", "1.3"."""
    return f"{value:.1f}".removesuffix(".0")


#: The references a price can be far below (``PriceContext.references``), as the reasons name
#: them.
REFERENCES = {"own": ("its price before", "이전 가격"),
              "list": ("the list price", "정가"),
              "others": ("the other sellers' prices", "다른 판매자 가격"),
              "promotion": ("its declared promotion's price", "선언된 할인 가격")}


def bulk(*, units: int, expected_units: float, per_order: float, known: bool, chance: float,
         references: tuple[str, ...] = (), orders: int = 2) -> tuple[str, str]:
    """"; that one order took 100 units at half or less of its price before and the list
    price, a likely mistake, where fewer than 0.1 were expected …" (with more ``orders``,
    "between them they took"): a few very large orders at a price far below where it usually
    is, naming only the ``references`` that were known (keys of :data:`REFERENCES`). No "but":
    the count of orders before it is often just as unlikely, so there is nothing to contrast."""
    usual_en, usual_ko = ((f"the usual {per_order_words(per_order)} an order",
                           f"평소 주문당 {_plain(per_order)}개")
                          if known else ("one unit an order", "주문당 1개"))
    exp_en, exp_ko = expected_count(expected_units, unit_ko="개")
    odds_en, odds_ko = odds(chance)
    names = [REFERENCES[r] for r in references if r in REFERENCES]
    of_en = _and([en for en, _ in names]) or "its references"
    of_ko = "·".join(ko for _, ko in names) or "기준 가격"
    took_en, took_ko = (("that one order took", "주문 한 건에") if orders == 1
                        else ("between them they took", f"주문 {orders:,}건에 모두"))
    en = (f"; {took_en} {units:,} units at half or less of {of_en}, a likely mistake, "
          f"where {exp_en} were expected at {usual_en} (chance {odds_en})")
    ko = (f" {took_ko} {of_ko}의 절반 이하인 가격으로 {units:,}개가 주문되어 가격 오류로 보입니다. "
          f"{usual_ko}면 예상되는 수량은 {exp_ko}이고, 우연히 이만큼 주문될 확률은 {odds_ko}입니다.")
    return en, ko


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 2 else items)


def recent(*, seen: int, due: float, chance: float, recent_hours: float) -> tuple[str, str]:
    """"; but 12 of them in the last 1 h where about 0.5 were expected …"."""
    r_en, r_ko = odds(chance)
    due_en, due_ko = expected_count(due)
    hours = f"{recent_hours:g}"
    en = f"; but {seen} of them in the last {hours} h where {due_en} were expected (chance {r_en})"
    ko = (f" 그러나 최근 {hours}시간에만 {seen}건이 주문되었습니다. 이 시간 동안 예상되는 주문은 "
          f"{due_ko}이고, 우연히 이만큼 주문될 확률은 {r_ko}입니다.")
    return en, ko


def hourly_rate(per_hour: float) -> tuple[str, str]:
    """Orders an hour: "about 0.25 an hour", or "under 0.01 an hour" rather than "about 0.00"
    for sellers who sold next to nothing."""
    if per_hour < 0.005:
        return "under 0.01 an hour", "시간당 0.01건 미만"
    return f"about {per_hour:.2f} an hour", f"시간당 약 {per_hour:.2f}건"


def expected_count(expected: float, *, unit_ko: str = "건") -> tuple[str, str]:
    """An expected number of orders (or units, ``unit_ko="개"``): "about 1.4", or "fewer than
    0.1" rather than "about 0.0" for a quiet listing."""
    if expected < 0.05:
        return "fewer than 0.1", f"0.1{unit_ko} 미만"
    return f"about {expected:.1f}", f"약 {expected:.1f}{unit_ko}"


def odds(p: float) -> tuple[str, str]:
    """A probability as people read it: "about 1 in 12,000", "less than 1 in a billion", or a
    percentage when it is not small — not ``3.0e-22``."""
    if p < 1e-9:
        return "less than 1 in a billion", "10억분의 1 미만"
    if p < 0.01:
        n = round(1 / p, -len(str(round(1 / p))) + 2)  # two significant figures
        return f"about 1 in {n:,.0f}", f"약 {korean_number(round(n))}분의 1"
    return f"{p:.0%}", f"{p:.0%}"


def korean_number(n: int) -> str:
    """A whole number as Korean readers say large ones, in 억 and 만: "280만", "1만 2,000",
    "1억 5,000만"; under 10,000 as digits ("3,500")."""
    eok, rest = divmod(n, 100_000_000)
    man, ones = divmod(rest, 10_000)
    parts = [f"{eok:,}억" if eok else "", f"{man:,}만" if man else "", f"{ones:,}" if ones else ""]
    return " ".join(part for part in parts if part) or "0"


def span(hours: float) -> tuple[str, str]:
    """How long the orders came in (Korean with its "동안"): "1.5 h", whole minutes under an
    hour, whole seconds under a minute, "under a second" below that. Orders that all came
    within a second of a price change once read "5 orders in 1 min" (under a minute was
    rounded up to one), a rush a minute long rather than one bought in a second."""
    if hours >= 1:
        return f"{hours:.1f} h", f"{hours:.1f}시간 동안"
    seconds = hours * 3600.0
    if seconds < 1:
        return "under a second", "1초도 안 되어"
    if (whole := round(seconds)) < 60:
        return f"{whole} second{'s' if whole > 1 else ''}", f"{whole}초 동안"
    minutes = round(hours * 60)
    return f"{minutes} min", f"{minutes}분 동안"


#: The trips that are about how many orders came (a surge); the others ("units", "bulk") are
#: about how much the orders took.
_SURGE = frozenset({"orders", "recent"})


def by_size(tripped_by: object) -> bool:
    """Whether a trip (its evidence's ``tripped_by``) was by how much the orders took — one
    order of 100 at a wrong price — rather than by how many came. A record without it (kept
    before it was) is taken as a surge, as it was then."""
    found = set(tripped_by) if isinstance(tripped_by, (list, tuple)) else set()
    return bool(found) and not found & _SURGE


def trip_summary(tripped_by: object, *, orders: object = None) -> tuple[str, str]:
    """What paused the listing, for a page's "sagwa paused the sale automatically: …" (English,
    then Korean ending in a connective: "주문이 평소보다 크게 몰려"): a surge of orders, or an
    order (``orders`` counted, from the evidence's ``observed``) far larger than usual."""
    if not by_size(tripped_by):
        return "orders came in far faster than usual", "주문이 평소보다 크게 몰려"
    if "bulk" not in tripped_by:  # type: ignore[operator]
        return ("its orders took far more units than usual",
                "주문 수량이 평소보다 훨씬 많아")
    if orders == 1:
        return ("one order far larger than usual came in at a price far below its references",
                "기준 가격보다 크게 낮은 가격에 평소보다 훨씬 많은 수량이 한 번에 주문되어")
    return ("a few orders far larger than usual came in at a price far below its references",
            "기준 가격보다 크게 낮은 가격에 평소보다 훨씬 많은 수량이 주문되어")
