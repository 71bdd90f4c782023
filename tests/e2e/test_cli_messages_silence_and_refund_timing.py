"""``sagwa messages lint`` on the notice a legal review published unchecked: it cancelled on
silence in other words ("주문이 무효가 됩니다") and refused the orders of customers said to have
known the price was wrong. The check passed it with no finding at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sagwa.cli.messages import app

pytestmark = pytest.mark.e2e
runner = CliRunner()
NOTICE = (
    "[사과문] 아이팟 나노 가격 오류에 대해 사과드립니다\n"
    "12월 6일 '애플 아이팟 나노 3세대 8GB 블랙'의 가격이 228,000원이 아닌 22,800원으로 잘못 표시되어 "
    "진심으로 사과드립니다. 판매자가 가격을 잘못 입력했습니다. 해당 고객님께는 개별적으로 연락드려 "
    "주문 유지 또는 주문 취소 중에서 고르시도록 안내하고 있습니다. 기한 내 선택하지 않으시면 주문이 "
    "무효가 됩니다. 고객님께서 잘못된 가격인 줄 알면서 주문하셨다면 주문을 유지할 수 없습니다. "
    "재발 방지를 위해 가격 검증을 강화하겠습니다. 문의: 고객센터 1544-0000\n"
)
CONFIRMATION_TAIL = "환불은 다음 달 정산일에 일괄 처리됩니다."


def lint(path: Path, kind: str) -> dict[str, object]:
    result = runner.invoke(app, ["lint", str(path), "--kind", kind, "--lang", "ko",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    body: dict[str, object] = json.loads(result.stdout)
    return body


def test_the_reviewers_notice_fails_with_cancellation_and_blame(tmp_path: Path) -> None:
    path = tmp_path / "notice_bad.txt"
    path.write_text(NOTICE, encoding="utf-8")
    body = lint(path, "notice")
    assert body["ok"] is False
    found = [(f["code"], NOTICE[f["span"][0]:f["span"][1]])  # type: ignore[index]
             for f in body["findings"]]  # type: ignore[attr-defined]
    assert ("fait-accompli", "선택하지 않으시면 주문이 무효") in found
    assert {code for code, _ in found} == {"fait-accompli", "blame-shift"}
    assert any(code == "blame-shift" and "알면서 주문하셨다면" in where for code, where in found)


def test_a_refund_put_off_to_the_next_settlement_fails(tmp_path: Path) -> None:
    path = tmp_path / "confirmation.txt"
    path.write_text(
        "고객님, 가격 오류로 불편을 드려 진심으로 사과드립니다. 저희가 가격을 잘못 입력해 59,700원이 아닌 "
        "5,970원으로 표시되었습니다. 주문 유지 또는 주문 취소 중에서 골라 주세요. 12월 8일 오후 "
        f"6시까지 알려 주세요. 문의: 고객센터 1544-0000.\n{CONFIRMATION_TAIL}", encoding="utf-8")
    body = lint(path, "resolution")
    assert body["ok"] is False
    assert [f["code"] for f in body["findings"]] == ["refund-timing"]  # type: ignore[attr-defined]
