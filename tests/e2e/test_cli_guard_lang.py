"""``sagwa guard check --lang ko`` writes the reasons in Korean; the verdicts do not change."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from guard_cli_files import changes_text, run, write

pytestmark = pytest.mark.e2e

HISTORY = """listing_id,product_id,seller_id,price,observed_at,currency
L1,P1,S1,199000,2008-06-01,KRW
L2,P1,S2,189000,2008-06-01,KRW
L3,P1,S3,195000,2008-06-01,KRW
L4,P1,S4,205000,2008-06-01,KRW
"""
CHANGES = ["ipod,L1,P1,S1,199000,19900,2008-06-13T15:00:00,90,KRW",
           "rise,L2,P1,S2,189000,192000,2008-06-13T15:00:00,,KRW"]


def verdicts(tmp_path: Path, *lang: str) -> list[dict]:
    out = tmp_path / f"v{'-'.join(lang)}.csv"
    result = run("check", "--history", write(tmp_path / "h.csv", HISTORY),
                 "--changes", write(tmp_path / "c.csv", changes_text(CHANGES)),
                 "--out", out, *lang)
    assert result.exit_code == 0, result.output
    return pl.read_csv(out).to_dicts()


def test_korean_reasons_with_the_same_verdicts(tmp_path: Path) -> None:
    english, korean = verdicts(tmp_path), verdicts(tmp_path, "--lang", "ko")
    assert [(r["change_id"], r["verdict"], r["score"], r["error_type"]) for r in english] == [
        (r["change_id"], r["verdict"], r["score"], r["error_type"]) for r in korean]
    held = {r["change_id"]: r["reason"] for r in korean}
    assert held["ipod"].startswith("선언된 할인 폭 90%는 검토자 승인이 필요합니다"), held
    assert held["ipod"].endswith("할인율을 거꾸로 입력한 것(10% 할인을 의도하고 가격의 10%를 받음)으로 보입니다.")
    assert held["rise"] == "참고 가격과 비교해 정상 범위"
    assert english[0]["reason"].startswith("declared promotion of 90% needs a reviewer's approval")


def test_a_language_other_than_en_or_ko_is_refused_before_anything_is_written(
        tmp_path: Path) -> None:
    out = tmp_path / "v.csv"
    result = run("check", "--history", write(tmp_path / "h.csv", HISTORY),
                 "--changes", write(tmp_path / "c.csv", changes_text(CHANGES)),
                 "--out", out, "--lang", "fr")
    assert result.exit_code == 2, result.output
    assert "--lang" in result.output and "use en or ko" in result.output
    assert not out.exists()
