"""Price guard: catch pricing errors before customers see them. Pure — NumPy/Polars only.

Every proposed price change gets ``allow`` or ``hold``, a score in 0..1 (higher = more likely an
error), the likely error type and a reason in English and Korean. The guard compares the new
price with the *median* of its references — the current price, the listing's recent median,
the median of other sellers, the list price — so a price returning to its usual level after a
promotion passes while a dropped zero does not; recognisers then name the error's shape
(×10ⁿ, FX rate, pack size, inverted percentage, typed-in discount, placeholder price).

API
---
``PriceRules`` / ``load_rules(path=None)``
    Frozen thresholds and policy (promotion depth per category, penny ceilings, FX rates,
    pack sizes, per-seller floors/ceilings), read from the packaged ``rules.toml`` by default.
``ChangeEvidence`` → ``check_one(evidence, rules) -> Verdict``
    One change, plain floats, tens of microseconds. ``Verdict`` holds ``verdict``, ``score``,
    ``error_type`` ('none' when allowed), ``reason_code``, ``reason_en``, ``reason_ko``, ``facts``.
``PriceColumns`` → ``check_prices(columns, rules) -> GuardResult``
    Columnar batch: arrays in, arrays out (``hold``, ``score``, ``error_code``,
    ``reason_code``, ``ref_kind``, ``ref_price``). Same verdicts as ``check_one``.
``format_reason(...)`` / ``render_reasons(result, columns, currencies, n_peers=...)``
    Sentences from codes and numbers (``explain.py``); codes in ``vocabulary.py``. An allowed
    change's sentence in ``check_one`` names a matching declared promotion or states a big
    move (``explain_allowed.py``); the batch keeps one short text for allowed rows.
``EvidenceState``
    Streaming per-listing evidence (recent prices, other sellers' latest) for batch runs.
``assess_order_velocity(order_times=..., changed_at=..., now=..., baseline_per_hour=...)``
    Tripwire after a change: Poisson upper tail with a minimum count → ``VelocityAssessment``.
"""

from sagwa.priceguard.checks import GuardResult, PriceColumns, check_prices
from sagwa.priceguard.explain import format_reason, render_reasons
from sagwa.priceguard.rules import PriceRules, SellerLimits, load_rules
from sagwa.priceguard.single import ChangeEvidence, Verdict, check_one
from sagwa.priceguard.state import EvidenceState
from sagwa.priceguard.tripwire import VelocityAssessment, VelocityRules, assess_order_velocity
from sagwa.priceguard.vocabulary import ERROR_TYPES, REASON_CODES, REF_KINDS

__all__ = [
    "ERROR_TYPES",
    "REASON_CODES",
    "REF_KINDS",
    "ChangeEvidence",
    "EvidenceState",
    "GuardResult",
    "PriceColumns",
    "PriceRules",
    "SellerLimits",
    "VelocityAssessment",
    "VelocityRules",
    "Verdict",
    "assess_order_velocity",
    "check_one",
    "check_prices",
    "format_reason",
    "load_rules",
    "render_reasons",
]
