"""Metric families (``services.metrics``) in Prometheus's text exposition format 0.0.4: a
``# HELP`` and a ``# TYPE`` line per family, then one line per sample, label values escaped
(backslash, double quote, newline) and values as Prometheus reads them."""

from __future__ import annotations

import math
from collections.abc import Iterable

from sagwa.services.metrics import Family

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def exposition(families: Iterable[Family]) -> str:
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for labels, value in family.samples:
            shown = ",".join(f'{key}="{_label(text)}"' for key, text in labels)
            lines.append(f"{family.name}{{{shown}}} {_value(value)}" if shown
                         else f"{family.name} {_value(value)}")
    return "\n".join(lines) + "\n"


def _help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if value == int(value) and abs(value) < 2**53 else repr(value)
