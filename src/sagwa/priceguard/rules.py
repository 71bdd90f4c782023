"""The price guard's policy as a typed value: :class:`PriceRules`, loaded from TOML.

``load_rules()`` reads the packaged ``rules.toml``; ``load_rules(path)`` reads an operator's
copy. Nothing else in the guard holds a threshold.

Every table and key of the file is checked against :data:`TABLES` (as the desk policy is): an
unknown table (``[threshold]``), an unknown key (``hold_scroe``, a seller's ``ceilng``), a key
outside any table, or a value of the wrong kind or range (``floor = "5"``, a negative floor, a
floor above the ceiling, ``hold_score = "high"``) is refused with one
:class:`~sagwa.errors.InvalidInput` line naming the file, the table and the key and saying
what is expected — a setting is never silently ignored. An operator's file changes the
packaged rules key by key: what it leaves out keeps its packaged value (a file holding only
``hold_score = 0.6`` keeps the packaged category limits and the penny price per currency), a
table it gives is merged into the packaged one entry by entry (``[promotion.category_max_depth_pct]
toys = 40.0`` adds a category and keeps the others; to lift a packaged category's limit, give it
the default depth), and a list it gives (``fx_rates``, ``pack_sizes``, a currency's list of
``fx_rates_by_currency``) replaces the packaged one.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from sagwa.domain.money import CURRENCY_EXPONENTS, check_currency
from sagwa.errors import InvalidInput


@dataclass(frozen=True)
class SellerLimits:
    """Hard floor/ceiling for one seller's prices, in major units (``None`` = no limit), of
    ``currency`` when given (the limits then leave the seller's prices in other currencies
    alone), else of each change's own currency."""

    floor_major: float | None = None
    ceiling_major: float | None = None
    currency: str | None = None

    def applies_to(self, currency: str) -> bool:
        return self.currency is None or self.currency == currency


@dataclass(frozen=True)
class PriceRules:
    """Thresholds and policy for :func:`sagwa.priceguard.check_prices`."""

    down_ratio: float = 0.25
    up_ratio: float = 3.5
    hold_score: float = 0.53
    promo_match_log: float = 0.12
    promo_slack: float = 0.8
    promo_mismatch_log: float = 0.15
    shape_tolerance_log: float = 0.08
    shape_boost: float = 1.25
    recent_window: int = 8
    streak_min_moves: int = 6
    streak_max_gap_hours: float = 72.0
    peer_range_weight: float = 2.0
    peer_range_min_sellers: int = 3
    peer_range_margin_down: float = 3.0
    peer_range_margin_up: float = 1.25
    default_max_depth_pct: float = 80.0
    round_pct_step: float = 5.0
    category_max_depth_pct: Mapping[str, float] = field(default_factory=dict)
    category_list_floor_pct: Mapping[str, float] = field(default_factory=dict)
    category_list_ceiling_pct: Mapping[str, float] = field(default_factory=dict)
    penny_max_major: Mapping[str, float] = field(default_factory=lambda: {"default": 0.01})
    #: Exchange rates a seller may confuse, for a listing in a currency
    #: ``fx_rates_by_currency`` does not name (rates against the US dollar).
    fx_rates: tuple[float, ...] = (7.2, 7.8, 31.5, 83.0, 150.0, 1350.0)
    #: A currency's own rates (units of the other currency per unit of it, or the other way):
    #: a KRW price mistyped in dollars is 1/1,350 of it, and no KRW price is 1/7.2 of one by a
    #: currency mix-up.
    fx_rates_by_currency: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    pack_sizes: tuple[int, ...] = (6, 12, 18, 24, 30, 36, 48)
    sellers: Mapping[str, SellerLimits] = field(default_factory=dict)
    #: Derived: sorted natural logs of ``fx_rates`` / ``pack_sizes`` (computed once, used per check).
    fx_logs: tuple[float, ...] = field(init=False, repr=False, compare=False)
    pack_logs: tuple[float, ...] = field(init=False, repr=False, compare=False)
    #: Derived: the sorted log FX rates of each set, ``fx_logs`` first (set 0), then those of
    #: ``fx_rates_by_currency`` in currency order; :meth:`fx_set` is a currency's set.
    fx_log_sets: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)
    _fx_set_by_currency: Mapping[str, int] = field(init=False, repr=False, compare=False)
    #: Derived: per FX set, the sorted logs of every error shape's ratio a change is checked
    #: against (10, 100, 1,000, the pack sizes and that set's FX rates), merged once here.
    shape_log_sets: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)
    #: Derived: the category tables keyed by :func:`category_key` (``" Books"`` is ``books``).
    _depth_by_key: Mapping[str, float] = field(init=False, repr=False, compare=False)
    _floor_by_key: Mapping[str, float] = field(init=False, repr=False, compare=False)
    _ceiling_by_key: Mapping[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fx_logs", tuple(sorted(math.log(r) for r in self.fx_rates)))
        object.__setattr__(self, "pack_logs", tuple(sorted(math.log(p) for p in self.pack_sizes)))
        own = sorted(self.fx_rates_by_currency)
        object.__setattr__(self, "fx_log_sets", (self.fx_logs, *(
            tuple(sorted(math.log(r) for r in self.fx_rates_by_currency[c])) for c in own)))
        tens = tuple(n * math.log(10.0) for n in (1, 2, 3))  # as recognisers.POWERS_OF_TEN
        object.__setattr__(self, "shape_log_sets", tuple(
            tuple(sorted((*tens, *self.pack_logs, *fx))) for fx in self.fx_log_sets))
        object.__setattr__(self, "_fx_set_by_currency",
                           MappingProxyType({c: i + 1 for i, c in enumerate(own)}))
        for name, table in (("_depth_by_key", self.category_max_depth_pct),
                            ("_floor_by_key", self.category_list_floor_pct),
                            ("_ceiling_by_key", self.category_list_ceiling_pct)):
            keyed = {category_key(c): v for c, v in table.items()}
            object.__setattr__(self, name, MappingProxyType(keyed))
        if not 0.0 < self.down_ratio < 1.0 or self.up_ratio <= 1.0:
            raise InvalidInput("need 0 < down_ratio < 1 < up_ratio", field="thresholds",
                               reason="ratios_out_of_order")
        if not self.promo_mismatch_log > self.promo_match_log:
            raise InvalidInput(
                "promo_mismatch_log must be larger than promo_match_log",
                field="promo_mismatch_log", reason="promo_logs_out_of_order",
            )
        if not 0.0 < self.hold_score < 1.0:
            raise InvalidInput("hold_score must lie strictly between 0 and 1", field="hold_score",
                               reason="hold_score_out_of_range")

    def fx_set(self, currency: str) -> int:
        """The index in :attr:`fx_log_sets` of the rates a listing in ``currency`` is checked
        against (0: ``fx_rates``)."""
        return self._fx_set_by_currency.get(currency, 0)

    @property
    def log_down(self) -> float:
        return math.log(1.0 / self.down_ratio)

    @property
    def z_policy(self) -> float:
        """The least z a policy rule (a too-deep promotion, a seller's floor or ceiling, a penny
        price, a promotion mismatch) gives: the z at which the score reaches ``hold_score``
        (a hair above, against rounding), so a policy rule holds whatever the threshold."""
        return self.hold_score / (1.0 - self.hold_score) * (1.0 + 1e-9)

    @property
    def streak_max_gap_seconds(self) -> float:
        return self.streak_max_gap_hours * 3600.0

    @property
    def log_up(self) -> float:
        return math.log(self.up_ratio)

    @property
    def log_peer_margin_down(self) -> float:
        return math.log(self.peer_range_margin_down)

    @property
    def log_peer_margin_up(self) -> float:
        return math.log(self.peer_range_margin_up)

    def max_depth_pct(self, category: str | None) -> float:
        """Deepest declared promotion (percent) allowed without a reviewer in ``category``.

        Categories are compared by :func:`category_key` (case and surrounding spaces ignored)
        and may be paths (``electronics/mp3``): the most specific configured prefix wins.
        """
        found = most_specific(self._depth_by_key, category)
        return self.default_max_depth_pct if found is None else found

    def list_floor_pct(self, category: str | None) -> float:
        """The least share (percent) of the list price ``category`` may be sold at, promotion
        or not (Korea's fixed book price law: books at most 10% off, 90); NaN where no law
        or policy sets one. Compared and falling back to parents as for promotion depths."""
        found = most_specific(self._floor_by_key, category)
        return math.nan if found is None else found

    def list_ceiling_pct(self, category: str | None) -> float:
        """The most share (percent) of the list price ``category`` may be sold at (Korea's
        fixed book price law: a new book never above its list price, 100); NaN where no law or
        policy sets one. Compared and falling back to parents as for promotion depths."""
        found = most_specific(self._ceiling_by_key, category)
        return math.nan if found is None else found

    def has_category(self, category: str | None) -> bool:
        """Whether ``category`` (or a parent of it) is one the rules name, in any category
        table; one that is not gets the default limits."""
        return any(most_specific(t, category) is not None
                   for t in (self._depth_by_key, self._floor_by_key, self._ceiling_by_key))

    def penny_major(self, currency: str) -> float:
        return self.penny_max_major.get(currency, self.penny_max_major.get("default", 0.01))

    def seller_limits(self, seller_id: str | None, currency: str | None = None) -> SellerLimits:
        """The seller's limits for a price in ``currency`` (none for another currency than
        the limits name; ``currency`` None: the limits as written)."""
        if seller_id is None:
            return _NO_LIMITS
        limits = self.sellers.get(seller_id, _NO_LIMITS)
        return limits if currency is None or limits.applies_to(currency) else _NO_LIMITS


_NO_LIMITS = SellerLimits()
_V = TypeVar("_V")


def category_key(category: str | None) -> str:
    """A category as the rules compare it: case-folded, each path part without surrounding
    spaces (``" ELECTRONICS / MP3 "`` is ``electronics/mp3``); ``""`` for none."""
    if not category:
        return ""
    return "/".join(part.strip() for part in category.casefold().split("/")).strip("/")


def most_specific(table: Mapping[str, _V], category: str | None) -> _V | None:
    """The value of ``category``'s most specific configured prefix in ``table`` (keyed by
    :func:`category_key`), or None."""
    key = category_key(category)
    while key:
        if key in table:
            return table[key]
        key = key.rpartition("/")[0]
    return None


PACKAGED = "sagwa/priceguard/rules.toml (packaged)"


def load_rules(path: str | Path | None = None) -> PriceRules:
    """Read the packaged ``rules.toml``, changed by ``path`` (an operator's TOML) when given:
    key by key, what the operator's file leaves out keeps its packaged value (module docstring)."""
    packaged = _parse(
        resources.files("sagwa.priceguard").joinpath("rules.toml").read_text("utf-8"), PACKAGED)
    if path is None:
        return rules_from_mapping(packaged, file=PACKAGED)
    name = str(path)
    return rules_from_mapping(_overlay(packaged, _parse(_read_rules_file(Path(path)), name)),
                              file=name)


def _parse(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"price rules {name} are not valid TOML: {exc}", field="rules",
                           reason="rules_file_not_toml") from exc


def _overlay(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``base`` with ``over``'s settings in place of its own: tables merged key by key (both
    tables), anything else (a number, a list) replaced."""
    out = dict(base)
    for key, value in over.items():
        mine = out.get(key)
        both_tables = isinstance(value, Mapping) and isinstance(mine, Mapping)
        out[key] = _overlay(mine, value) if both_tables else value
    return out


def _read_rules_file(path: Path) -> str:
    if path.is_dir():
        raise InvalidInput(f"price rules {path} is a directory, not a TOML file", field="rules",
                           reason="file_is_directory")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"price rules {path} do not exist", field="rules",
                           reason="file_missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            f"cannot read price rules {path}: {exc}", field="rules",
            reason="file_not_utf8" if isinstance(exc, UnicodeDecodeError) else "file_unreadable",
        ) from None


# --- value checks: each returns the value to use or raises _BadValue saying what is wrong ---


class _BadValue(Exception):
    """A setting's value is not of its kind; the message completes "[table] key ..."."""


Check = Callable[[object], Any]


def _number(expected: str, ok: Callable[[float], bool]) -> Check:
    """A TOML number (not a string, not a boolean), finite, for which ``ok`` holds."""

    def check(value: object) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not ok(float(value))
        ):
            raise _BadValue(f"must be {expected}{_unquoted(value)} (got {value!r})")
        return float(value)

    return check


def _unquoted(value: object) -> str:
    return ", without quotes" if isinstance(value, str) else ""


def _whole(expected: str, least: int) -> Check:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise _BadValue(f"must be {expected}{_unquoted(value)} (got {value!r})")
        return value

    return check


def _list_of(item: Check, expected: str) -> Check:
    def check(value: object) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise _BadValue(f"must be a list of {expected}, like [6, 12] (got {value!r})")
        try:
            return tuple(item(x) for x in value)
        except _BadValue:
            raise _BadValue(f"must be a list of {expected} (got {value!r})") from None

    return check


def _table_value(example: str) -> Check:
    def check(value: object) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise _BadValue(f"must be a table like {example} (got {value!r})")
        return value

    return check


_FRACTION = _number("a number between 0 and 1, both excluded", lambda v: 0.0 < v < 1.0)
_POSITIVE = _number("a number above 0", lambda v: v > 0.0)
_NOT_NEGATIVE = _number("a number, 0 or more", lambda v: v >= 0.0)
_AT_LEAST_ONE = _number("a number, 1 or more", lambda v: v >= 1.0)
_PERCENT = _number("a percentage from 0 to 100", lambda v: 0.0 <= v <= 100.0)

#: table -> key -> check. Every table and key may be left out (the default is then used).
TABLES: dict[str, dict[str, Check]] = {
    "thresholds": {
        "down_ratio": _FRACTION,
        "up_ratio": _number("a number above 1", lambda v: v > 1.0),
        "hold_score": _FRACTION,
        "promo_match_log": _POSITIVE,
        "promo_slack": _POSITIVE,
        "promo_mismatch_log": _POSITIVE,
        "shape_tolerance_log": _NOT_NEGATIVE,
        "shape_boost": _POSITIVE,
        "recent_window": _whole("a whole number, 1 or more", 1),
        "streak_min_moves": _whole("a whole number, 2 or more", 2),
        "streak_max_gap_hours": _POSITIVE,
        "peer_range_weight": _NOT_NEGATIVE,
        "peer_range_min_sellers": _whole("a whole number, 1 or more", 1),
        "peer_range_margin_down": _AT_LEAST_ONE,
        "peer_range_margin_up": _AT_LEAST_ONE,
    },
    "promotion": {
        "default_max_depth_pct": _PERCENT,
        "round_pct_step": _POSITIVE,
        "category_max_depth_pct": _table_value("{ electronics = 60.0 }"),
        "category_list_floor_pct": _table_value("{ books = 90.0 }"),
        "category_list_ceiling_pct": _table_value("{ books = 100.0 }"),
    },
    "penny": {"max_major": _table_value("{ default = 0.01, KRW = 1.0 }")},
    "shapes": {
        "fx_rates": _list_of(_POSITIVE, "numbers above 0"),
        "fx_rates_by_currency": _table_value("{ KRW = [195.0, 1350.0] }"),
        "pack_sizes": _list_of(_whole("a whole number, 2 or more", 2), "whole numbers, 2 or more"),
    },
    "sellers": {},  # seller id -> {floor, ceiling}: checked by _sellers
}
def _currency_code(value: object) -> str:
    """A currency sagwa knows, as its code (``krw`` is KRW)."""
    try:
        return check_currency(value.strip().upper() if isinstance(value, str) else value)
    except InvalidInput as exc:
        raise _BadValue(f"must be a currency code, one of {exc.details['known']} "
                        f"(got {value!r})") from None


SELLER_KEYS: dict[str, Check] = {
    "floor": _number("a price in major units, 0 or more", lambda v: v >= 0.0),
    "ceiling": _number("a price in major units above 0", lambda v: v > 0.0),
    "currency": _currency_code,
}
_PENNY_KEYS = ("default", *CURRENCY_EXPONENTS)


def _invalid(
    file: str, table: str | None, key: str | None, problem: str, *, reason: str
) -> InvalidInput:
    """The refusal of one table or key of a rules file; ``reason`` is its stable sub-code."""
    where = "".join(part for part in (f" [{table}]" if table else "", f" {key}" if key else ""))
    return InvalidInput(
        f"price rules {file}:{where} {problem}", field="rules", file=file, table=table, key=key,
        reason=reason,
    )


def _table(
    data: Mapping[str, Any], table: str, spec: Mapping[str, Check], file: str
) -> dict[str, Any]:
    """The table's values, checked: no unknown key, every value of its kind."""
    raw = data.get(table, {})
    if not isinstance(raw, dict):
        raise _invalid(file, table, None, f"must be a table (got {raw!r})",
                       reason="rules_file_not_a_table")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in spec:
            known = ", ".join(spec) or "none"
            raise _invalid(file, table, key, f"is not a known setting; known: {known}",
                           reason="rules_file_unknown_key")
        try:
            out[key] = spec[key](value)
        except _BadValue as exc:
            raise _invalid(file, table, key, str(exc), reason="rules_file_value_invalid") from None
    return out


def _named(raw: Mapping[str, Any], table: str, check: Check, file: str) -> dict[str, Any]:
    """A table of ``name = value`` (categories, currencies), every value checked."""
    return _table({table: raw}, table, {str(name): check for name in raw}, file)


def _sellers(data: Mapping[str, Any], file: str) -> dict[str, SellerLimits]:
    raw = data.get("sellers", {})
    if not isinstance(raw, dict):
        raise _invalid(file, "sellers", None, f"must be a table (got {raw!r})",
                       reason="rules_file_not_a_table")
    out = {}
    for seller in raw:
        table = f"sellers.{seller}"
        limits = _table({table: raw[seller]}, table, SELLER_KEYS, file)
        floor, ceiling = limits.get("floor"), limits.get("ceiling")
        if floor is not None and ceiling is not None and floor > ceiling:
            raise _invalid(file, table, "floor", f"({floor}) must not be above ceiling ({ceiling})",
                           reason="rules_file_floor_above_ceiling")
        out[str(seller)] = SellerLimits(floor, ceiling, limits.get("currency"))
    return out


def _fx_by_currency(raw: Mapping[str, Any], file: str) -> dict[str, tuple[float, ...]]:
    """``[shapes] fx_rates_by_currency``: a currency code sagwa knows (in capitals) -> its
    list of rates, each above 0."""
    table = "shapes.fx_rates_by_currency"
    for currency in raw:
        if currency not in CURRENCY_EXPONENTS:
            raise _invalid(file, table, currency,
                           "is not a currency code sagwa knows (in capitals: KRW, USD ...)",
                           reason="rules_file_unknown_key")
    return _named(raw, table, _list_of(_POSITIVE, "numbers above 0"), file)


def rules_from_mapping(
    data: Mapping[str, Any], *, file: str = "(given as a mapping)"
) -> PriceRules:
    """Build :class:`PriceRules` from the parsed TOML layout (see ``rules.toml``), every table
    and key checked; ``file`` names the source in the :class:`InvalidInput` it may raise."""
    for table, value in data.items():
        if table not in TABLES:
            known = ", ".join(f"[{t}]" for t in TABLES)
            if isinstance(value, dict):
                raise _invalid(file, table, None, f"is not a known table; known: {known}",
                               reason="rules_file_unknown_table")
            raise _invalid(file, None, table, f"is outside any table; settings go in {known}",
                           reason="rules_file_key_outside_table")
    thresholds = _table(data, "thresholds", TABLES["thresholds"], file)
    promotion = _table(data, "promotion", TABLES["promotion"], file)
    categories = _named(
        promotion.pop("category_max_depth_pct", {}),
        "promotion.category_max_depth_pct",
        _PERCENT,
        file,
    )
    floors = _named(
        promotion.pop("category_list_floor_pct", {}),
        "promotion.category_list_floor_pct",
        _PERCENT,
        file,
    )
    ceilings = _named(
        promotion.pop("category_list_ceiling_pct", {}),
        "promotion.category_list_ceiling_pct",
        _number("a percentage, 0 or more", lambda v: v >= 0.0),
        file,
    )
    penny = _table(data, "penny", TABLES["penny"], file).get("max_major", {"default": 0.01})
    for currency in penny:
        if currency not in _PENNY_KEYS:
            raise _invalid(
                file,
                "penny.max_major",
                currency,
                "is not default or a currency code sagwa knows (in capitals: KRW, USD ...)",
                reason="rules_file_unknown_key",
            )
    shapes = _table(data, "shapes", TABLES["shapes"], file)
    match = thresholds.get("promo_match_log", PriceRules.promo_match_log)
    if thresholds.get("promo_mismatch_log", PriceRules.promo_mismatch_log) <= match:
        raise _invalid(
            file,
            "thresholds",
            "promo_mismatch_log",
            f"must be larger than promo_match_log ({match})",
            reason="promo_logs_out_of_order",
        )
    return PriceRules(
        **thresholds,
        **promotion,
        category_max_depth_pct=MappingProxyType(categories),
        category_list_floor_pct=MappingProxyType(floors),
        category_list_ceiling_pct=MappingProxyType(ceilings),
        penny_max_major=MappingProxyType(_named(penny, "penny.max_major", _NOT_NEGATIVE, file)),
        fx_rates=shapes.get("fx_rates", PriceRules.fx_rates),
        fx_rates_by_currency=MappingProxyType(_fx_by_currency(
            shapes.get("fx_rates_by_currency", {}), file)),
        pack_sizes=shapes.get("pack_sizes", PriceRules.pack_sizes),
        sellers=MappingProxyType(_sellers(data, file)),
    )
