"""The price guard's policy as a typed value: :class:`PriceRules`, loaded from TOML.

``load_rules()`` reads the packaged ``rules.toml``; ``load_rules(path)`` reads an operator's
copy. Nothing else in the guard holds a threshold.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from sagwa.errors import InvalidInput


@dataclass(frozen=True)
class SellerLimits:
    """Hard floor/ceiling for one seller's prices, in major units (``None`` = no limit)."""

    floor_major: float | None = None
    ceiling_major: float | None = None


@dataclass(frozen=True)
class PriceRules:
    """Thresholds and policy for :func:`sagwa.priceguard.check_prices`."""

    down_ratio: float = 0.25
    up_ratio: float = 3.5
    hold_score: float = 0.53
    promo_match_log: float = 0.12
    promo_slack: float = 0.8
    promo_mismatch_log: float = 0.25
    shape_tolerance_log: float = 0.08
    shape_boost: float = 1.25
    recent_window: int = 8
    peer_range_weight: float = 2.0
    peer_range_min_sellers: int = 3
    peer_range_margin_down: float = 3.0
    peer_range_margin_up: float = 1.25
    default_max_depth_pct: float = 80.0
    round_pct_step: float = 5.0
    category_max_depth_pct: Mapping[str, float] = field(default_factory=dict)
    penny_max_major: Mapping[str, float] = field(default_factory=lambda: {"default": 0.01})
    fx_rates: tuple[float, ...] = (7.2, 7.8, 31.5, 83.0, 150.0, 1350.0)
    pack_sizes: tuple[int, ...] = (6, 12, 18, 24, 30, 36, 48)
    sellers: Mapping[str, SellerLimits] = field(default_factory=dict)
    #: Derived: sorted natural logs of ``fx_rates`` / ``pack_sizes`` (computed once, used per check).
    fx_logs: tuple[float, ...] = field(init=False, repr=False, compare=False)
    pack_logs: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fx_logs", tuple(sorted(math.log(r) for r in self.fx_rates)))
        object.__setattr__(self, "pack_logs", tuple(sorted(math.log(p) for p in self.pack_sizes)))
        if not 0.0 < self.down_ratio < 1.0 or self.up_ratio <= 1.0:
            raise InvalidInput("need 0 < down_ratio < 1 < up_ratio", field="thresholds")
        if not self.promo_mismatch_log > self.promo_match_log:
            raise InvalidInput(
                "promo_mismatch_log must be larger than promo_match_log", field="promo_mismatch_log"
            )
        if not 0.0 < self.hold_score < 1.0:
            raise InvalidInput("hold_score must lie strictly between 0 and 1", field="hold_score")

    @property
    def log_down(self) -> float:
        return math.log(1.0 / self.down_ratio)

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

        Categories may be paths (``electronics/mp3``): the most specific configured prefix wins.
        """
        while category:
            if category in self.category_max_depth_pct:
                return self.category_max_depth_pct[category]
            category = category.rpartition("/")[0]
        return self.default_max_depth_pct

    def penny_major(self, currency: str) -> float:
        return self.penny_max_major.get(currency, self.penny_max_major.get("default", 0.01))

    def seller_limits(self, seller_id: str | None) -> SellerLimits:
        if seller_id is None:
            return _NO_LIMITS
        return self.sellers.get(seller_id, _NO_LIMITS)


_NO_LIMITS = SellerLimits()


def load_rules(path: str | Path | None = None) -> PriceRules:
    """Read rules from ``path`` (an operator's TOML) or from the packaged ``rules.toml``."""
    if path is None:
        name = "the packaged rules.toml"
        text = resources.files("sagwa.priceguard").joinpath("rules.toml").read_text("utf-8")
    else:
        name = str(path)
        text = _read_rules_file(Path(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"price rules {name} are not valid TOML: {exc}", field="rules") from exc
    try:
        return rules_from_mapping(data)
    except InvalidInput as exc:
        raise InvalidInput(f"price rules {name}: {exc.message}", field="rules") from exc


def _read_rules_file(path: Path) -> str:
    if path.is_dir():
        raise InvalidInput(f"price rules {path} is a directory, not a TOML file", field="rules")
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput(f"price rules {path} do not exist", field="rules") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"cannot read price rules {path}: {exc}", field="rules") from None


def rules_from_mapping(data: Mapping[str, Any]) -> PriceRules:
    """Build :class:`PriceRules` from the parsed TOML layout (see ``rules.toml``).

    A key :class:`PriceRules` lacks or a value of the wrong kind raises :class:`InvalidInput`.
    """
    try:
        return _rules(data)
    except TypeError as exc:
        raise InvalidInput(f"unknown key or wrong value: {exc}", field="rules") from exc
    except (ValueError, AttributeError) as exc:
        raise InvalidInput(f"wrong value: {exc}", field="rules") from exc


def _rules(data: Mapping[str, Any]) -> PriceRules:
    thresholds = dict(data.get("thresholds", {}))
    promotion = dict(data.get("promotion", {}))
    categories = promotion.pop("category_max_depth_pct", {})
    shapes = data.get("shapes", {})
    sellers = {
        str(seller): SellerLimits(limits.get("floor"), limits.get("ceiling"))
        for seller, limits in data.get("sellers", {}).items()
    }
    return PriceRules(
        **thresholds,
        **promotion,
        category_max_depth_pct=MappingProxyType({str(k): float(v) for k, v in categories.items()}),
        penny_max_major=MappingProxyType(
            dict(data.get("penny", {}).get("max_major", {"default": 0.01}))
        ),
        fx_rates=tuple(float(x) for x in shapes.get("fx_rates", PriceRules.fx_rates)),
        pack_sizes=tuple(int(x) for x in shapes.get("pack_sizes", PriceRules.pack_sizes)),
        sellers=MappingProxyType(sellers),
    )
