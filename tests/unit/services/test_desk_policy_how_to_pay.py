"""The desk policy's ``[difference] how_to_pay_ko`` / ``how_to_pay_en``: how a customer pays
the discount's difference, as an agent tells them. Both languages or neither; a sentence or two
(at most 500 characters); the shipped policy gives one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
KO = next(line for line in SHIPPED.splitlines() if line.startswith("how_to_pay_ko = "))
EN = next(line for line in SHIPPED.splitlines() if line.startswith("how_to_pay_en = "))


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return load_desk_policy(path)


def test_the_shipped_policy_says_how_to_pay_in_both_languages() -> None:
    policy = load_desk_policy()
    # what the customer can do at once (a customer walk waited for a link nobody sent)
    assert policy.how_to_pay_in("ko").startswith("고객센터로 전화 주시면 상담원이 카드 결제 링크를")
    assert policy.how_to_pay_in("en").startswith("Call the customer centre and our agent texts")
    hash(policy)  # still a value: policies are compared and kept


def test_neither_is_allowed_and_the_page_then_says_so(tmp_path: Path) -> None:
    policy = _load(tmp_path, SHIPPED.replace(KO, "").replace(EN, ""))
    assert policy.how_to_pay is None and policy.how_to_pay_in("ko") is None


@pytest.mark.parametrize(("left", "missing"), [("ko", "en"), ("en", "ko")])
def test_one_language_alone_is_refused_naming_the_other(tmp_path: Path, left: str,
                                                       missing: str) -> None:
    text = SHIPPED.replace(EN if left == "ko" else KO, "")
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, text)
    assert refused.value.details["key"] == f"how_to_pay_{missing}"
    assert refused.value.details["reason"] == "policy_key_missing"
    assert f"[difference] how_to_pay_{missing} is missing: how_to_pay_{left} is set" in (
        refused.value.message)


@pytest.mark.parametrize("bad", ['""', '"   "', "3", '"' + "가" * 501 + '"'])
def test_an_empty_or_too_long_instruction_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, SHIPPED.replace(KO, f"how_to_pay_ko = {bad}"))
    assert (refused.value.details["key"], refused.value.details["reason"]) == (
        "how_to_pay_ko", "policy_value_invalid")
