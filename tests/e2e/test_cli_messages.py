"""``sagwa messages lint``: text and JSON output, stdin, and usage errors (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sagwa.cli.messages import app

pytestmark = pytest.mark.e2e
runner = CliRunner()
BAD_KO = "주문이 취소되었습니다. 양해 바랍니다."
GOOD_EN = (
    "We're sorry — a decimal slip showed this kettle at $3.99 instead of $39.99. Keep the order "
    "or cancel it for a refund plus a $5 credit; tell us by Dec 3 at help@shop.example."
)


def test_json_from_stdin_lists_findings_and_exits_zero() -> None:
    result = runner.invoke(
        app, ["lint", "-", "--kind", "resolution", "--lang", "ko", "--format", "json"], input=BAD_KO
    )
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["ok"] is False
    assert {f["code"] for f in body["findings"]} >= {"missing-apology", "fait-accompli"}
    assert all(set(f) >= {"code", "severity", "span", "message"} for f in body["findings"])


def test_good_message_from_a_file_is_ok(tmp_path: Path) -> None:
    path = tmp_path / "message.txt"
    path.write_text(GOOD_EN, encoding="utf-8")
    result = runner.invoke(
        app, ["lint", str(path), "--kind", "resolution", "--lang", "en", "--format", "json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "findings": []}


def test_text_format_is_readable_and_in_the_messages_language() -> None:
    result = runner.invoke(app, ["lint", "-", "--kind", "resolution", "--lang", "ko"], input=BAD_KO)
    assert result.exit_code == 0
    assert "fait-accompli" in result.stdout
    assert "제안" in result.stdout and "오류" in result.stdout
    ok = runner.invoke(app, ["lint", "-", "--kind", "resolution", "--lang", "en"], input=GOOD_EN)
    assert "No problems found" in ok.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["lint", "-", "--kind", "apology", "--lang", "ko"], "unknown kind"),
        (["lint", "-", "--kind", "notice", "--lang", "fr"], "unknown language"),
        (["lint", "-", "--kind", "notice", "--lang", "en", "--format", "xml"], "unknown format"),
        (["lint", "/no/such/file.txt", "--kind", "notice", "--lang", "en"], "cannot read"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(args: list[str], needle: str) -> None:
    result = runner.invoke(app, args, input="text")
    assert result.exit_code == 2
    assert needle in result.output
