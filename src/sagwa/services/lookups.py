"""Turning a missing row into a NotFound that names what was missing."""

from __future__ import annotations

from typing import TypeVar

from sagwa.errors import NotFound

T = TypeVar("T")


def require(item: T | None, kind: str, item_id: int | str) -> T:
    if item is None:
        raise NotFound(f"{kind} {item_id} does not exist", kind=kind, id=item_id,
                       reason="unknown_id")
    return item
