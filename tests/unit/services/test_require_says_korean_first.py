"""A missing row is refused Korean first, as every other refusal of the CLI and the API (it was
English only): the kind in Korean, an id with 번, a name quoted; the English kept after it."""

from __future__ import annotations

import pytest

from sagwa.errors import NotFound
from sagwa.services.lookups import require


@pytest.mark.parametrize(("kind", "item_id", "said"), [
    ("customer", 99999, "고객 99999번이 없습니다 — customer 99999 does not exist"),
    ("price change", "12", "가격 변경 12번이 없습니다 — price change 12 does not exist"),
    ("user", "kim", "계정 'kim'이(가) 없습니다 — user kim does not exist"),
    ("widget", 3, "widget 3번이 없습니다 — widget 3 does not exist")])
def test_a_missing_row_is_named_in_korean_then_english(kind: str, item_id: int | str,
                                                       said: str) -> None:
    with pytest.raises(NotFound) as refused:
        require(None, kind, item_id)
    assert refused.value.message == said
    assert refused.value.details == {"kind": kind, "id": item_id, "reason": "unknown_id"}


def test_a_found_row_is_returned() -> None:
    assert require("row", "customer", 1) == "row"
