"""``POST /api/messages/check`` over HTTP: the three kinds, and a clear 422 naming the field for
an unknown kind or language (the notice editor and other tools call it)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

RECEIPT = ("고객님, 가격 오류로 불편을 드려 죄송합니다. 고르신 할인 구매의 차액 20,000원을 받았습니다. "
           "주문하신 상품을 보내 드립니다. 문의 1544-0000")


@pytest.mark.parametrize(("kind", "ok", "codes"), [
    ("follow_up", True, set()),
    ("resolution", False, {"missing-deadline"}),
])
def test_a_receipt_passes_as_a_follow_up_not_as_a_resolution(client: TestClient, kind: str,
                                                             ok: bool, codes: set[str]) -> None:
    answer = client.post("/api/messages/check", json={"text": RECEIPT, "kind": kind,
                                                      "lang": "ko"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    errors = {f["code"] for f in body["findings"] if f["severity"] == "error"}
    assert body["ok"] is ok and codes <= errors


@pytest.mark.parametrize(("field", "value"), [("kind", "apology"), ("lang", "ja")])
def test_an_unknown_kind_or_language_is_a_422_naming_the_field(client: TestClient, field: str,
                                                               value: str) -> None:
    body = {"text": "죄송합니다.", "kind": "notice", "lang": "ko", field: value}
    answer = client.post("/api/messages/check", json=body)
    assert answer.status_code == 422
    assert field in answer.text
