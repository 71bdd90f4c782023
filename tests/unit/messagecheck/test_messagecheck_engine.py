"""check_message: the public API, the issue's examples, negation scope and the rule files."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagwa.errors import InvalidInput
from sagwa.messagecheck import CheckResult, Finding, check_message, english
from sagwa.messagecheck.matcher import compile_pattern, find_matches
from sagwa.messagecheck.ruleset import parse_rules


def codes(text: str, kind: str, lang: str) -> set[str]:
    result = check_message(text, kind=kind, lang=lang)
    return {f.code for f in result.findings if f.severity == "error"}


def test_issue_example_korean_one_line_cancellation() -> None:
    assert codes("주문이 취소되었습니다. 양해 바랍니다.", "resolution", "ko") == {
        "missing-apology", "missing-explanation", "missing-options", "missing-contact",
        "missing-deadline", "fait-accompli",
    }


def test_issue_example_english_good_resolution_has_no_findings() -> None:
    text = (
        "We're sorry — a decimal slip showed this kettle at $3.99 instead of $39.99. Keep the "
        "order or cancel it for a refund plus a $5 credit; tell us by Dec 3 at help@shop.example."
    )
    result = check_message(text, kind="resolution", lang="en")
    assert result.ok
    assert result.findings == ()


def test_issue_example_english_notice_blaming_the_seller() -> None:
    text = "Due to the seller's error, prices were wrong. This was not our responsibility."
    assert codes(text, "notice", "en") == {
        "missing-apology", "missing-options", "missing-contact", "missing-prevention",
        "blame-shift",
    }


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("불이익은 전혀 없습니다.", "ko"),
        ("어떠한 불이익도 받지 않으십니다.", "ko"),
        ("법적 조치는 취하지 않습니다.", "ko"),
        ("There is no penalty of any kind.", "en"),
        ("Your account will not be suspended.", "en"),
        ("We won't take legal action against anyone.", "en"),
    ],
)
def test_negated_threats_are_not_threats(text: str, lang: str) -> None:
    assert "threat" not in codes(text, "notice", lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("재주문하시면 불이익을 받으실 수 있습니다.", "ko"),
        ("계정이 정지될 수 있습니다.", "ko"),
        ("Your account may be suspended.", "en"),
        ("We may take legal action.", "en"),
    ],
)
def test_threats_are_found_with_their_span(text: str, lang: str) -> None:
    result = check_message(text, kind="notice", lang=lang)
    (threat,) = [f for f in result.findings if f.code == "threat"]
    assert threat.span is not None
    start, end = threat.span
    assert 0 <= start < end <= len(text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("어떤 주문도 취소하지 않았습니다.", "ko"),
        ("고객님의 동의 없이 취소하지 않습니다.", "ko"),
        ("Nothing has been cancelled.", "en"),
        ("Your order has not been cancelled and it won't be without your say-so.", "en"),
        ("If you prefer, we can cancel your order for a full refund.", "en"),
        ("취소를 원하시면 전액 환불해 드립니다.", "ko"),
    ],
)
def test_negated_or_offered_cancellation_is_not_a_fait_accompli(text: str, lang: str) -> None:
    assert "fait-accompli" not in codes(text, "resolution", lang)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("양해 바랍니다.", "ko"),
        ("기다려 주셔서 감사합니다.", "ko"),
        ("유감스럽게도 주문이 취소되었습니다.", "ko"),
        ("Please understand.", "en"),
        ("Thank you for your patience.", "en"),
        ("We regret to inform you that your order was cancelled.", "en"),
    ],
)
def test_polite_formulas_are_not_apologies(text: str, lang: str) -> None:
    assert "missing-apology" in codes(text, "notice", lang)


def test_apple_is_not_an_apology() -> None:
    assert "missing-apology" in codes("주문하신 사과 5kg은 내일 출고됩니다.", "notice", "ko")
    assert "missing-apology" not in codes("머리 숙여 사과드립니다.", "notice", "ko")


def test_seller_mistake_with_responsibility_taken_is_not_blame() -> None:
    ko = "판매자의 입력 실수였지만 책임은 저희에게 있으며 끝까지 책임지고 해결하겠습니다."
    en = "The seller mis-entered the price, and we take full responsibility."
    assert "blame-shift" not in codes(ko, "notice", "ko")
    assert "blame-shift" not in codes(en, "notice", "en")
    assert "blame-shift" in codes("이는 판매자의 실수로 당사와 무관합니다.", "notice", "ko")


def test_kind_selects_checks() -> None:
    notice = codes("", "notice", "en")
    resolution = codes("", "resolution", "en")
    assert "missing-prevention" in notice and "missing-deadline" not in notice
    assert "missing-deadline" in resolution and "missing-prevention" not in resolution


def test_result_shape_and_json() -> None:
    result = check_message("주문이 취소되었습니다.", kind="resolution", lang="ko")
    assert isinstance(result, CheckResult)
    assert all(isinstance(f, Finding) for f in result.findings)
    body = json.loads(json.dumps(result.as_dict(), ensure_ascii=False))
    assert body["ok"] is False
    for finding in body["findings"]:
        assert set(finding) == {"code", "severity", "span", "message", "suggestion"}
        assert finding["severity"] in ("error", "warning")
        assert finding["span"] is None or len(finding["span"]) == 2
        assert finding["suggestion"]
    assert any(f["code"] == "fait-accompli" and f["span"] for f in body["findings"])


def test_messages_and_suggestions_are_in_the_texts_language() -> None:
    ko = check_message("", kind="resolution", lang="ko").findings[0]
    en = check_message("", kind="resolution", lang="en").findings[0]
    assert any("가" <= ch <= "힣" for ch in ko.message + ko.suggestion)
    assert not any("가" <= ch <= "힣" for ch in en.message + en.suggestion)


def test_warnings_do_not_make_a_message_not_ok() -> None:
    text = (
        "We're sorry: the kettle was listed at the wrong price. Keep the order or cancel it; "
        "reply by Friday, December 5."
    )
    result = check_message(text, kind="resolution", lang="en")
    assert [f.code for f in result.findings] == ["missing-amount"]
    assert result.findings[0].severity == "warning"
    assert result.ok


@pytest.mark.parametrize(("kind", "lang"), [("apology", "ko"), ("notice", "ja"), ("", "")])
def test_unknown_kind_or_language_is_invalid_input(kind: str, lang: str) -> None:
    with pytest.raises(InvalidInput):
        check_message("hello", kind=kind, lang=lang)


def test_rules_are_data_a_new_cue_needs_no_code() -> None:
    rules = parse_rules(
        "en",
        {
            "negation": {"before": ["not"], "window_before": 3},
            "cues": {"shouting": {"any": ["urgent|asap"]}},
            "checks": [{"code": "shouting", "when": "present", "cues": ["shouting"],
                        "message": "m"}],
        },
    )
    assert rules.cues["shouting"].any[0].source == "urgent|asap"
    with pytest.raises(ValueError, match="unknown cues"):
        parse_rules("en", {"negation": {}, "cues": {},
                           "checks": [{"code": "x", "cues": ["nope"], "message": "m"}]})


def test_an_enough_cue_satisfies_min_distinct_by_itself_and_four_dots_span_the_sentence() -> None:
    rules = parse_rules(
        "en",
        {
            "negation": {"before": ["not"]},
            "cues": {"keep": {"any": ["keep"]}, "refund": {"any": ["refund"]},
                     "listed": {"any": ["first .... second"]}},
            "checks": [{"code": "few", "cues": ["keep", "refund"], "min_distinct": 2,
                        "enough": ["listed"], "message": "m"}],
        },
    )
    assert rules.checks[0].enough == ("listed",)
    long_gap = english.analyse("first you may wait a very long time for the shop to open, then second.")
    tokens = long_gap.sentences[0].tokens
    assert find_matches(compile_pattern("first .... second"), tokens)
    assert not find_matches(compile_pattern("first ... second"), tokens)
    with pytest.raises(ValueError, match="unknown cues"):
        parse_rules("en", {"negation": {}, "cues": {},
                           "checks": [{"code": "x", "enough": ["nope"], "message": "m"}]})


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["ko", "en"]), st.sampled_from(["resolution", "notice"]))
def test_any_text_gives_findings_with_spans_inside_the_text(text: str, lang: str, kind: str) -> None:
    result = check_message(text, kind=kind, lang=lang)
    for f in result.findings:
        assert f.span is None or 0 <= f.span[0] < f.span[1] <= len(text)
    assert result.ok == all(f.severity == "warning" for f in result.findings)


def test_message_check_imports_no_database_web_or_adapter_code() -> None:
    code = (
        "import sys, sagwa.messagecheck as m; m.check_message('x', kind='notice', lang='ko');"
        "bad = [n for n in sys.modules if n.split('.')[0] in ('sqlalchemy', 'fastapi')"
        " or n.startswith('sagwa.adapters')]; print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_link_counts_as_a_few_characters_towards_a_long_sentence(lang: str) -> None:
    """A case link of ~90 characters made a short sentence 'long' (found in the texts after the
    deadline); a sentence long in words still is."""
    link = "https://sagwa.example/c/" + "eyJjIjoxMTYsInUiOjExNiwieCI6MTIxNDk3NDgwMH0" * 2
    short = ("원하시는 방법은 편하신 때 여기에서 골라 주세요: " if lang == "ko"
             else "Choose whenever suits you here: ") + link
    assert "long-sentence" not in _all_codes(short, lang)
    words = ("저희가 판매가를 입력하면서 0을 하나 빠뜨려 가격이 정상가 대신 잘못된 가격으로 표시되었고 이 때문에 "
             "많은 고객님께서 주문하셨으며 저희는 이를 바로잡기 위해 모든 주문을 하나하나 확인하고 있고 고객님께 "
             "개별적으로 연락을 드려 원하시는 방법을 여쭙고 있으니 아래 링크에서 골라 주세요: " if lang == "ko"
             else "Because we typed the price without one of its zeros, the price was shown far "
                  "below the correct one, and many customers ordered at it, so we are checking "
                  "every order one by one and contacting each customer to ask what they would "
                  "like us to do, which you can tell us at this link whenever it suits you: ")
    assert "long-sentence" in _all_codes(words + link, lang)


def _all_codes(text: str, lang: str) -> set[str]:
    return {f.code for f in check_message(text, kind="resolution", lang=lang).findings}


def test_a_named_pattern_list_is_spliced_into_any_and_unless() -> None:
    """An entry ``@name`` of ``any`` or ``unless`` that names a ``[patterns]`` list stands for
    every pattern of the list (word lists expanded in them), so cues that share exceptions write
    them once; a name may not be both a word list and a pattern list."""
    data = {
        "words": {"card": "card|bank"},
        "patterns": {"choosing": ["if", "would you like", "@card may take"]},
        "cues": {"refusal": {"any": ["cannot ship"], "unless": ["@choosing", "or"]},
                 "promise": {"any": ["@choosing"]}},
        "checks": [{"code": "x", "when": "present", "cues": ["refusal"], "message": "m"}],
        "negation": {},
    }
    rules = parse_rules("en", data)
    assert [p.source for p in rules.cues["refusal"].unless] == [
        "if", "would you like", "card|bank may take", "or"]
    assert [p.source for p in rules.cues["promise"].any] == [
        "if", "would you like", "card|bank may take"]
    with pytest.raises(ValueError, match="choosing"):
        parse_rules("en", {**data, "words": {"choosing": "pick"}})
