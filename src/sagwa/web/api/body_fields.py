"""The fields a JSON body takes where a request sent one it does not (pydantic's
``extra_forbidden``): "promotion.pct: Extra inputs are not permitted" left the caller to find
``percent`` in /docs; the refusal now names the fields taken there ("promotion takes percent,
starts_at, ends_at"). Read from the matched route's body model, following the error's place
through nested models (optional, list and dict fields too)."""

from __future__ import annotations

import types
import typing
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.routing import APIRoute
from pydantic import BaseModel


def taken_fields(request: Request, loc: Sequence[Any]) -> list[str] | None:
    """The names (as sent: aliases) the body takes at the object holding ``loc``'s last part
    (``("body", "promotion", "pct")`` -> the promotion model's fields); None when the route
    has no body model or the place cannot be followed."""
    route = request.scope.get("route")
    field = getattr(route, "body_field", None) if isinstance(route, APIRoute) else None
    if field is None or tuple(loc[:1]) != ("body",):
        return None
    model = _model_in(field.field_info.annotation)
    for part in loc[1:-1]:
        if model is None:
            return None
        if isinstance(part, int):  # an item of a list: its model is already the item's
            continue
        inner = next((f for name, f in model.model_fields.items()
                      if (f.alias or name) == part), None)
        model = _model_in(inner.annotation) if inner is not None else None
    if model is None:
        return None
    return [f.alias or name for name, f in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model an annotation holds: itself, or inside ``X | None``, ``list[X]``,
    ``dict[str, X]`` and ``Annotated[X, ...]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return None
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _model_in(args[0])
    if origin is dict:
        return _model_in(args[1]) if len(args) == 2 else None
    if origin in (list, tuple, set, frozenset, typing.Union, types.UnionType):
        return next((m for m in map(_model_in, args) if m is not None), None)
    return None


def where_taken(loc: Sequence[Any]) -> str:
    """What holds ``loc``'s last part, as the message names it: ``promotion`` for
    ``("body", "promotion", "pct")``, "the body" at the top."""
    held = [str(p) for p in loc[1:-1]]
    return ".".join(held) if held else "the body"
