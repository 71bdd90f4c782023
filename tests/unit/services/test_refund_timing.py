"""When a refund arrives: the desk policy's ``[refund] timing_ko`` / ``timing_en`` (both or
neither; a sentence of at most 300 characters; without them a built-in sentence), said right
after a refund is promised in the confirmation of a cancellation — a customer-experience review
found "결제하신 19,900원은 전액 환불해 드립니다" with no word of when or how — and never where
nothing is refunded. Every wording passes the message check."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from test_desk_messages import CONTACT, chosen, confirmation, plan

from sagwa.errors import InvalidInput
from sagwa.services.desk_policy import DEFAULT_REFUND_TIMING, load_desk_policy

SHIPPED = resources.files("sagwa").joinpath("desk.toml").read_text("utf-8")
KO = next(line for line in SHIPPED.splitlines() if line.startswith("timing_ko = "))
EN = next(line for line in SHIPPED.splitlines() if line.startswith("timing_en = "))
TIMING = {"ko": "영업일 기준 3~5일 안에", "en": "within 3–5 business days"}


def _load(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "desk.toml"
    path.write_text(text, encoding="utf-8")
    return load_desk_policy(path)


def test_the_shipped_policy_says_when_a_refund_arrives() -> None:
    contact = load_desk_policy().contact
    assert (contact.refund_timing_ko, contact.refund_timing_en) == DEFAULT_REFUND_TIMING
    assert TIMING["ko"] in contact.refund_timing_ko and TIMING["en"] in contact.refund_timing_en


def test_a_policy_without_the_table_gets_the_built_in_sentence(tmp_path: Path) -> None:
    contact = _load(tmp_path, SHIPPED.replace("[refund]", "").replace(KO, "").replace(EN, "")).contact
    assert (contact.refund_timing_ko, contact.refund_timing_en) == DEFAULT_REFUND_TIMING


def test_an_operator_s_own_sentence_is_used(tmp_path: Path) -> None:
    text = SHIPPED.replace(KO, 'timing_ko = "카드 결제는 7일 안에 취소됩니다."').replace(
        EN, 'timing_en = "Card payments are cancelled within 7 days."')
    contact = _load(tmp_path, text).contact
    assert contact.refund_timing_ko == "카드 결제는 7일 안에 취소됩니다."
    assert contact.refund_timing_en == "Card payments are cancelled within 7 days."


@pytest.mark.parametrize(("left", "missing"), [("ko", "en"), ("en", "ko")])
def test_one_language_alone_is_refused_naming_the_other(tmp_path: Path, left: str,
                                                       missing: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, SHIPPED.replace(EN if left == "ko" else KO, ""))
    assert (refused.value.details["table"], refused.value.details["key"],
            refused.value.details["reason"]) == ("refund", f"timing_{missing}",
                                                 "policy_key_missing")


@pytest.mark.parametrize("bad", ['""', '"   "', "3", "true", '"' + "가" * 301 + '"'])
def test_an_empty_wrong_or_too_long_sentence_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, SHIPPED.replace(KO, f"timing_ko = {bad}"))
    assert (refused.value.details["key"], refused.value.details["reason"]) == (
        "timing_ko", "policy_value_invalid")


def test_an_unknown_key_in_the_table_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        _load(tmp_path, SHIPPED.replace(KO, KO + "\ntiming_kr = \"x\""))
    assert refused.value.details["reason"] == "policy_key_unknown"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_cancellation_confirmation_says_when_the_refund_arrives(lang: str) -> None:
    the_plan = plan()
    text = confirmation(chosen("cancel_with_compensation", the_plan), the_plan, lang)
    refunded = "전액 환불해 드립니다." if lang == "ko" else "will be refunded in full."
    timing = CONTACT.refund_timing_ko if lang == "ko" else CONTACT.refund_timing_en
    assert refunded in text and timing in text.split(refunded, 1)[1]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_keep_over_the_cap_says_when_the_rest_is_refunded(lang: str) -> None:
    the_plan = plan(keep_max_units=2)
    text = confirmation(chosen("keep", the_plan), the_plan, lang)  # 3 units: one refunded
    assert TIMING[lang] in text


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("choice", ["keep", "buy_at_correct_price_discount", "talk_to_person"])
def test_nothing_refunded_says_nothing_about_refunds(lang: str, choice: str) -> None:
    the_plan = plan()
    assert TIMING[lang] not in confirmation(chosen(choice, the_plan), the_plan, lang)
