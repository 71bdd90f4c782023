"""Korean particles (조사) that fit the word before them: 이/가, 은/는, 을/를, 과/와, 으로/로 ...

The right particle depends on how that word ends when read aloud: after a final consonant (받침)
the first form, after a vowel the second; ``으로/로`` takes ``로`` after ㄹ too::

    with_particle("카메라마당", "이(가)")   -> "카메라마당이"
    particle("185,000원", "과(와)")        -> "과"
    particle("19,900원", "은(는)")         -> "은"

A pair is written the way Korean writers already write "whichever fits": ``"이(가)"`` (or
``"이/가"``, or either form alone). The words read are:

* Hangul syllables, by their 받침;
* numbers, as Korean numerals: 3 삼 → 이, 2 이 → 가, 1/7/8 → ㄹ, 10 십, 100 백, 1,000 천,
  10,000 만, ...; ``$``/``€``/``£`` before a number are read as 달러/유로/파운드 after it, ``%``
  as 퍼센트, common units after a number (``kg`` 킬로그램, ``GB`` 기가바이트 ...) as units;
* Latin letters: short all-capital words by letter names (LG 엘지, CNN 씨엔엔), other words by
  a rough English reading (phone 폰, Samsung 삼성, apple 애플, camera 카메라, desk 데스크);
* a parenthesis at the end is skipped, as the 국립국어원 rule has it (the particle fits the word
  the parenthesis explains): ``정가(259,000원)`` is read as 정가 → ``정가(259,000원)와``; closing
  quotes and punctuation at the end are skipped too.

Anything else (an empty string, hanja, kana, emoji) gives the double form, ``이(가)``, which is
never wrong. :func:`fill_particles` resolves double forms written after words in a sentence, for
templates in code (``"새 가격 {new}은(는) ..."``); Jinja templates use the ``josa`` filter
(:func:`josa`): ``{{ seller_name|josa("이(가)") }}``.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum


class Ending(Enum):
    """How a word ends when read aloud."""

    VOWEL = "vowel"  # 사과, 2 (이), "camera"
    RIEUL = "rieul"  # ㄹ받침: 1 (일), "mall"; takes 로 like a vowel, 이/은/을/과 like a consonant
    CONSONANT = "consonant"  # 원, 3 (삼), 10 (십), "phone"


V, R, C = Ending.VOWEL, Ending.RIEUL, Ending.CONSONANT

#: (after a consonant, after a vowel) for every pair sagwa writes.
PAIRS: tuple[tuple[str, str], ...] = (
    ("이", "가"), ("은", "는"), ("을", "를"), ("과", "와"), ("으로", "로"), ("이다", "다"),
    ("이에요", "예요"), ("이나", "나"), ("이랑", "랑"),
)


def _double(pair: tuple[str, str]) -> str:
    """The form that fits either ending: 이(가), 을(를), (으)로, (이)다."""
    consonant, vowel = pair
    head = consonant[: len(consonant) - len(vowel)]
    if consonant.endswith(vowel) and head in ("이", "으"):
        return f"({head}){vowel}"
    return f"{consonant}({vowel})"


def _spellings() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for pair in PAIRS:
        c, v = pair
        for spelling in (c, v, f"{c}/{v}", f"{v}/{c}", f"{c}({v})", f"{v}({c})", _double(pair)):
            table[spelling] = pair
    return table


_SPELLINGS = _spellings()
_DIGITS = {"0": C, "1": R, "2": V, "3": C, "4": V, "5": V, "6": C, "7": R, "8": R, "9": V}
# Trailing zeros of a whole number -> the last place word read: 십 백 천 만 ... 억 ... 조 ... 경.
_PLACES = (C, C, C) + (C,) * 4 + (C,) * 4 + (V,) * 4 + (C,) * 4
_BEFORE_NUMBER = {"$": V, "€": V, "£": V, "¥": C, "₩": C}  # 달러 유로 파운드 엔/위안 원
_UNITS = {  # read after a number: 10kg 킬로그램, 64GB 기가바이트, 5m 미터
    "kg": C, "g": C, "mg": C, "km": V, "m": V, "cm": V, "mm": V, "ml": V, "l": V, "L": V,
    "gb": V, "mb": V, "tb": V, "kb": V, "W": V, "kw": V, "V": V, "hz": V, "mah": V, "oz": V,
    "lb": V, "lbs": V,
}
_LETTER_NAMES = {"L": R, "R": R, "M": C, "N": C}  # 엘 알 엠 엔; every other name ends in a vowel
_NUMBER = re.compile(r"(\d[\d,]*)(?:\.(\d+))?$")


def pair_of(spelling: str) -> tuple[str, str]:
    """(after a consonant, after a vowel) for ``"이(가)"``, ``"이/가"``, ``"가"`` ...

    An unknown spelling is a mistake in a template or in code: ValueError, naming the known ones.
    """
    try:
        return _SPELLINGS[spelling.strip()]
    except KeyError:
        known = ", ".join(_double(p) for p in PAIRS)
        raise ValueError(f"unknown particle {spelling!r}; use one of {known}") from None


_TRAILING_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")


def ending(word: str) -> Ending | None:
    """How ``word`` ends when read aloud, or None when sagwa cannot tell."""
    text = unicodedata.normalize("NFKC", word)
    if text.rstrip().endswith(")"):
        before = _TRAILING_PARENTHESIS.sub("", text)
        if before.strip():  # "(가)" alone is no word with a parenthesis after it
            text = before
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "%"):
        end -= 1
    if not end:
        return None
    last = text[end - 1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return V if final == 0 else R if final == 8 else C
    if last == "%":
        return V  # 퍼센트
    if last in _DIGITS:
        return _number_ending(text[:end])
    if _latin(last):
        return _latin_ending(text[:end])
    return None


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` that follows ``word``; the double form when the ending is unknown."""
    consonant, vowel = chosen = pair_of(pair)
    end = ending(word)
    if end is None:
        return _double(chosen)
    if end is V or (end is R and vowel == "로"):
        return vowel
    return consonant


def with_particle(word: str, pair: str) -> str:
    """``word`` and the form of ``pair`` that fits it: ``with_particle("3", "이(가)")`` → ``3이``."""
    return word + particle(word, pair)


def josa(value: object, pair: str) -> str:
    """The template filter: ``{{ seller_name|josa("이(가)") }}``; any value is read as its text."""
    return with_particle(value if isinstance(value, str) else str(value), pair)


_DOUBLE_FORMS = re.compile("|".join(
    re.escape(s) for s in sorted((s for s in _SPELLINGS if "(" in s), key=len, reverse=True)))


def fill_particles(text: str) -> str:
    """Resolve every double form (``은(는)``, ``과(와)``, ``(으)로`` ...) by the text before it."""
    return _DOUBLE_FORMS.sub(lambda m: particle(text[: m.start()], m.group()), text)


Pieces = tuple[tuple[str, str | None], ...]


def split_at_particles(template: str) -> Pieces:
    """``template`` cut after each double form: ``(text, double form)`` pieces, the last with None.

    For templates rendered many times (the price guard's reasons): the cut is found once, and
    :func:`join_with_particles` then resolves each particle by the text rendered before it, as
    :func:`fill_particles` would on the whole sentence.
    """
    pieces: list[tuple[str, str | None]] = []
    start = 0
    for match in _DOUBLE_FORMS.finditer(template):
        pieces.append((template[start : match.start()], match.group()))
        start = match.end()
    pieces.append((template[start:], None))
    return tuple(pieces)


def join_with_particles(pieces: Pieces, values: dict[str, str]) -> str:
    """Render ``pieces`` with ``str.format_map(values)``; each double form resolved by the text
    before it (double forms inside ``values`` are left as they are)."""
    text = ""
    for chunk, pair in pieces:
        text += chunk.format_map(values)
        if pair is not None:
            text += particle(text, pair)
    return text


def _number_ending(text: str) -> Ending | None:
    # the number is inside the run of digits, commas and points the text ends with: search
    # only there (the same leftmost match, without trying every earlier position)
    match = _NUMBER.search(text, len(text.rstrip("0123456789,.")))
    assert match is not None  # the text ends in a digit
    whole, decimals = match.group(1).replace(",", ""), match.group(2)
    start = match.start()
    if start and text[start - 1] == "-":
        start -= 1
    if start and text[start - 1] in _BEFORE_NUMBER:
        return _BEFORE_NUMBER[text[start - 1]]
    if decimals:
        return _DIGITS[decimals[-1]]  # 2.5 이 점 오: digit by digit after the point
    if int(whole) == 0 or whole[-1] != "0":
        return _DIGITS[whole[-1]]
    zeros = len(whole) - len(whole.rstrip("0"))
    return _PLACES[zeros - 1] if zeros <= len(_PLACES) else None


def _latin(char: str) -> str:
    """The plain letter of a Latin letter (é → e), else ""."""
    base = unicodedata.normalize("NFKD", char)[0]
    return base if base.isascii() and base.isalpha() else ""


def _latin_ending(text: str) -> Ending:
    start = len(text)
    while start and _latin(text[start - 1]):
        start -= 1
    token = "".join(_latin(ch) for ch in text[start:])
    before = text[:start].rstrip(" ")
    if before and before[-1].isdigit():
        unit = _UNITS.get(token) or (_UNITS.get(token.lower()) if len(token) > 1 else None)
        if unit is not None:
            return unit
    if token.isupper() and (len(token) <= 3 or not any(ch in "AEIOU" for ch in token)):
        return _LETTER_NAMES.get(token[-1], V)
    return _english_ending(token.lower())


def _english_ending(word: str) -> Ending:
    """A rough reading of an English word's end, as Korean writes it (폰, 애플, 데스크, 북)."""
    if word.endswith("ng") or word[-1] in "mn":
        return C
    if word[-1] == "l" or word.endswith("le"):
        return R
    if len(word) > 2 and word.endswith(("me", "ne")):
        return C
    if word[-1] not in "bckpt":
        return V
    stem = word[:-2] if word.endswith("ck") else word[:-1]
    if stem.endswith(word[-1]):
        stem = stem[:-1]  # app 앱, mutt 멋
    if (word[-1] == "k" and stem.endswith("oo")) or (word[-1] == "t" and stem.endswith("ou")):
        return C  # book 북, out 아웃
    short_vowel = bool(stem) and stem[-1] in "aeiou" and (len(stem) == 1 or stem[-2] not in "aeiou")
    return C if short_vowel else V  # web 웹, cat 캣; desk 데스크, seat 시트
