"""Korean particles chosen by how the word before them is read aloud."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sagwa.domain.particles import (
    PAIRS,
    Ending,
    ending,
    fill_particles,
    join_with_particles,
    josa,
    pair_of,
    particle,
    split_at_particles,
    with_particle,
)

V, R, C = Ending.VOWEL, Ending.RIEUL, Ending.CONSONANT


@pytest.mark.parametrize(("word", "expected"), [
    ("카메라마당", C), ("카메라", V), ("하늘디지털", R), ("원", C), ("사과", V), ("서울", R), ("값", C),
    ("힣", C), ("가", V),
])
def test_hangul_is_read_by_its_final_consonant(word: str, expected: Ending) -> None:
    assert ending(word) is expected


@pytest.mark.parametrize(("number", "expected"), [
    ("0", C), ("1", R), ("2", V), ("3", C), ("4", V), ("5", V), ("6", C), ("7", R), ("8", R),
    ("9", V),
    ("10", C), ("20", C), ("100", C), ("1,000", C), ("185,000", C), ("10000", C),
    ("100,000,000", C), ("1,000,000,000,000", V), ("10,000,000,000,000,000", C),
    ("2008", R), ("15", V), ("3.5", V), ("2.0", C), ("1,234.50", C), ("00", C),
])
def test_numbers_are_read_as_korean_numerals(number: str, expected: Ending) -> None:
    assert ending(number) is expected


@pytest.mark.parametrize(("text", "expected"), [
    ("$39.99", V), ("US$1,200", V), ("€10", V), ("£5", V), ("¥1000", C), ("₩19,900", C),
    ("20%", V), ("쌀 10kg", C), ("아이팟 나노 4GB", V), ("5 m", V), ("2L", V), ("3M", C),
    ("PS5", V), ("iPhone 15", V), ("Model 3", C), ("１２３", C),
])
def test_money_percent_units_and_model_numbers(text: str, expected: Ending) -> None:
    assert ending(text) is expected


@pytest.mark.parametrize(("word", "expected"), [
    # letter names: 엘지 씨엔엔 비엠더블유 에이치티엠엘 알 아이비엠 유에스비 엑스
    ("LG", V), ("CNN", C), ("BMW", V), ("HTML", R), ("R", R), ("IBM", C), ("USB", V),
    ("iPhone X", V),
    # words: 삼성 애플 구글 폰 게임 아마존 카메라 데스크 북 웹 앱 캣 뮤직 팩 맥북 테스트 시트
    ("SAMSUNG", C), ("Samsung", C), ("apple", R), ("Google", R), ("mall", R), ("phone", C),
    ("game", C), ("Amazon", C), ("camera", V), ("desk", V), ("book", C), ("web", C),
    ("app", C), ("cat", C), ("music", C), ("pack", C), ("MacBook", C), ("test", V),
    ("seat", V), ("checkout", C), ("computer", V), ("show", V), ("café", V),
    ("Camera Madang", C), ("NASA", V),
])
def test_latin_words_get_a_reasonable_reading(word: str, expected: Ending) -> None:
    assert ending(word) is expected


@pytest.mark.parametrize(("word", "expected"), [
    ("카메라(2세대)", V), ("현재 가격(185,000원)", C), ("'아이팟'", C), ("“사과”", V),
    ("서울.", R), ("2)", V), ("[3]", C), ("하늘디지털 ", R), ("사과!?…", V),
])
def test_trailing_brackets_quotes_and_punctuation_are_skipped(word: str, expected: Ending) -> None:
    assert ending(word) is expected


@pytest.mark.parametrize("word", ["", "   ", "()", "漢字", "ひらがな", "🍎", "—"])
def test_unknown_endings_are_none(word: str) -> None:
    assert ending(word) is None


@pytest.mark.parametrize(("word", "pair", "expected"), [
    ("카메라마당", "이(가)", "카메라마당이"),
    ("하늘디지털", "이/가", "하늘디지털이"),
    ("사과마켓", "가", "사과마켓이"),
    ("카메라", "이", "카메라가"),
    ("185,000원", "과(와)", "185,000원과"),
    ("카메라", "와/과", "카메라와"),
    ("19,900원", "은(는)", "19,900원은"),
    ("20%", "은(는)", "20%는"),
    ("주문 유지", "을(를)", "주문 유지를"),
    ("136,000원", "을/를", "136,000원을"),
    ("서울", "(으)로", "서울로"),
    ("1", "으로/로", "1로"),
    ("3", "으로", "3으로"),
    ("사과", "로", "사과로"),
    ("것", "(으)로", "것으로"),
    ("사과", "(이)다", "사과다"),
    ("원", "이다", "원이다"),
    ("학생", "이에요(예요)", "학생이에요"),
    ("사과", "이에요/예요", "사과예요"),
    ("3", "이(가)", "3이"),
    ("2", "이(가)", "2가"),
])
def test_with_particle_picks_the_form_that_fits(word: str, pair: str, expected: str) -> None:
    assert with_particle(word, pair) == expected


@pytest.mark.parametrize(("pair", "double"), [
    ("이/가", "이(가)"), ("은/는", "은(는)"), ("을/를", "을(를)"), ("과/와", "과(와)"),
    ("으로/로", "(으)로"), ("이다/다", "(이)다"), ("이에요/예요", "이에요(예요)"),
    ("이나/나", "(이)나"), ("이랑/랑", "(이)랑"),
])
def test_an_unknown_ending_gets_the_double_form(pair: str, double: str) -> None:
    assert particle("漢字", pair) == double
    assert particle("", pair) == double
    assert pair_of(double) == pair_of(pair)


def test_every_spelling_of_a_pair_means_the_same_pair() -> None:
    for consonant, vowel in PAIRS:
        spellings = {consonant, vowel, f"{consonant}/{vowel}", f"{vowel}/{consonant}",
                     f"{consonant}({vowel})", f"{vowel}({consonant})"}
        assert {pair_of(s) for s in spellings} == {(consonant, vowel)}


def test_an_unknown_pair_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown particle '의'.*이\(가\)"):
        particle("사과", "의")


def test_josa_reads_any_value_as_text() -> None:
    assert josa(3, "이(가)") == "3이"
    assert josa("카메라마당", "이(가)") == "카메라마당이"


def test_fill_particles_resolves_each_double_form_by_the_words_before_it() -> None:
    text = "새 가격 19,900원은(는) 현재 가격(185,000원)과(와) 비교해 숫자를 잘못 입력한 것(으)로 보입니다."
    assert fill_particles(text) == (
        "새 가격 19,900원은 현재 가격(185,000원)과 비교해 숫자를 잘못 입력한 것으로 보입니다.")
    assert fill_particles("할인 20%은(는) 카메라와(과) 서울(으)로") == "할인 20%는 카메라와 서울로"
    assert fill_particles("漢字이(가) 그대로") == "漢字이(가) 그대로"
    assert fill_particles("(가) 첫째 (나) 둘째") == "(가) 첫째 (나) 둘째"


TEMPLATES = (
    "새 가격 {new}은(는) {where}({ref})과(와) 비교해 정상 범위입니다.",
    "선언된 할인 {pct}%은(는) 검토 없이 허용되는 깊이를 넘습니다. {looks}(으)로 보입니다.",
    "{name}이(가) {item}을(를) {place}(으)로 보냈습니다",
    "no particle at all {new}",
)


@given(st.sampled_from(TEMPLATES),
       st.fixed_dictionaries({k: st.one_of(
           st.sampled_from(["19,900원", "$1.49", "3", "10,000", "카메라", "apple", "LG", "20%",
                            "1.5kg", "서울", "받음)", ""]), st.text(max_size=8))
           for k in ("new", "where", "ref", "pct", "looks", "name", "item", "place")}))
def test_a_template_cut_at_its_particles_renders_as_fill_particles_would(
        template: str, values: dict[str, str]) -> None:
    """The price guard's fast path: cut once, render many times, the same sentence."""
    if any("(" in v or "/" in v for v in values.values()):
        return  # a value spelling a double form itself is resolved only by fill_particles
    assert join_with_particles(split_at_particles(template), values) == fill_particles(
        template.format_map(values))


def test_a_template_is_cut_after_each_double_form() -> None:
    assert split_at_particles("{a}은(는) {b}(으)로 끝") == (
        ("{a}", "은(는)"), (" {b}", "(으)로"), (" 끝", None))


@given(st.text(), st.sampled_from(PAIRS))
def test_the_particle_is_always_one_of_the_pair_or_its_double_form(word: str,
                                                                    pair: tuple[str, str]) -> None:
    consonant, vowel = pair
    assert particle(word, f"{consonant}/{vowel}") in {consonant, vowel,
                                                      particle("", f"{consonant}/{vowel}")}


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1))
def test_every_hangul_word_has_a_known_ending(word: str) -> None:
    assert ending(word) is not None


@pytest.mark.parametrize(("text", "expected"), [
    ("정가(259,000원)과(와) 비교해", "정가(259,000원)와 비교해"),
    ("다른 판매자 3곳 중 최저가(175,000원)과(와)", "다른 판매자 3곳 중 최저가(175,000원)와"),
    ("현재 가격(185,000원)과(와)", "현재 가격(185,000원)과"),
    ("이 책(국어사전)은(는)", "이 책(국어사전)은"),
])
def test_a_particle_after_a_parenthesis_fits_the_word_the_parenthesis_explains(
        text: str, expected: str) -> None:
    """국립국어원: the particle follows the word before the brackets, not the text inside."""
    assert fill_particles(text) == expected
