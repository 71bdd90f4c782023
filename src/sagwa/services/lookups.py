"""Turning a missing row into a NotFound that names what was missing, Korean first."""

from __future__ import annotations

from typing import TypeVar

from sagwa.errors import NotFound

T = TypeVar("T")

#: What each kind of row is called in Korean (a kind not named here keeps its English word).
KINDS_KO = {"incident": "사고", "customer": "고객", "seller": "판매자", "product": "상품",
            "listing": "판매 상품", "case": "가격 오류 건", "price change": "가격 변경", "order": "주문",
            "refund": "환불", "notice": "공지", "user": "계정"}


def require(item: T | None, kind: str, item_id: int | str) -> T:
    if item is None:
        noun = KINDS_KO.get(kind, kind)
        # a number is an id ("고객 99999번이"); a name is quoted ("계정 'kim'이(가)")
        which = (f"{item_id}번이" if isinstance(item_id, int) or str(item_id).isdigit()
                 else f"'{item_id}'이(가)")
        raise NotFound(f"{noun} {which} 없습니다 — {kind} {item_id} does not exist", kind=kind,
                       id=item_id, reason="unknown_id")
    return item
