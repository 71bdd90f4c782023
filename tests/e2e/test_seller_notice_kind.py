"""The ``seller_notice`` kind from the outside: ``POST /api/messages/check`` and ``sagwa
messages lint --kind seller_notice`` take it (appended to the kinds; the others answer as
before), and an unknown kind's message lists it last."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sagwa.cli.messages import app

pytestmark = pytest.mark.e2e
THREAT = "주문을 직접 취소하시면 불이익을 받으실 수 있습니다. 궁금한 점은 이 메일에 답장해 주세요."
FACT = "판매하신 상품의 가격이 잘못 표시되어 판매를 멈췄습니다. 궁금한 점은 이 메일에 답장해 주세요."


@pytest.mark.parametrize(("text", "ok", "codes"), [(THREAT, False, {"threat"}), (FACT, True, set())])
def test_the_api_checks_a_seller_notice(client: TestClient, text: str, ok: bool,
                                        codes: set[str]) -> None:
    answer = client.post("/api/messages/check",
                         json={"text": text, "kind": "seller_notice", "lang": "ko"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is ok
    assert {f["code"] for f in body["findings"] if f["severity"] == "error"} == codes


def test_the_cli_lints_a_seller_notice_and_names_it_among_the_kinds() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["lint", "-", "--kind", "seller_notice", "--lang", "ko",
                                 "--format", "json"], input=THREAT)
    assert result.exit_code == 0
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["threat"]
    unknown = runner.invoke(app, ["lint", "-", "--kind", "seller", "--lang", "ko"], input=FACT)
    assert unknown.exit_code == 2
    assert "resolution, notice, follow_up, seller_notice" in unknown.output
