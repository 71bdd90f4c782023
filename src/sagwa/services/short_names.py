"""Product names short enough for a text message: cut on a word boundary, never inside
brackets (``shorten_name``), measured as a text message counts them (``sms_width``)."""

from __future__ import annotations

from collections.abc import Callable

_BRACKETS = {")": "(", "]": "[", "}": "{", ">": "<", "）": "（", "］": "［", "」": "「",
             "』": "『", "】": "【", "〉": "〈", "》": "《"}
ELLIPSIS = "…"


def sms_width(text: str) -> int:
    """How much of a Korean text message ``text`` takes, as carriers count it (EUC-KR bytes):
    2 for a Hangul syllable or any other character beyond ASCII ("…" included), 1 for an ASCII
    letter, digit, space or sign. One budget in these units treats both languages alike: 30
    Hangul syllables or 60 Latin letters (a character count cut English names twice as soon)."""
    return sum(1 if ord(char) < 128 else 2 for char in text)


def shorten_name(name: str, limit: int = 30, *, width: Callable[[str], int] = len) -> str:
    """``name`` if it fits in ``limit`` (measured by ``width``: characters, unless told, e.g.
    :func:`sms_width`), else cut on a word boundary (a space) with "…" added, and never inside
    brackets: "Apple iPod shuffle (3rd generation) 1GB" gives "Apple iPod shuffle…" within 30
    characters. A first word too long on its own is cut inside it."""
    name = " ".join(name.split())
    if width(name) <= limit:
        return name
    words, kept = name.split(" "), ""
    for word in words:
        longer = f"{kept} {word}" if kept else word
        if width(longer) + width(ELLIPSIS) > limit:
            break
        kept = longer
    kept = _close_brackets(kept or _head(name, limit - width(ELLIPSIS), width))
    return kept.rstrip(" ,;:/-·–—") + ELLIPSIS


def _head(text: str, limit: int, width: Callable[[str], int]) -> str:
    """The longest start of ``text`` within ``limit`` by ``width``."""
    end = 0
    while end < len(text) and width(text[: end + 1]) <= limit:
        end += 1
    return text[:end]


def _close_brackets(text: str) -> str:
    """``text`` cut before its first bracket left open; when that leaves nothing, ``text``
    without the brackets left open."""
    opened: list[int] = []
    for i, char in enumerate(text):
        if char in _BRACKETS.values():
            opened.append(i)
        elif char in _BRACKETS and opened and text[opened[-1]] == _BRACKETS[char]:
            opened.pop()
    if not opened:
        return text
    before = text[: opened[0]].rstrip()
    if before.strip(" ,;:/-·–—"):
        return before
    return "".join(c for i, c in enumerate(text) if i not in set(opened))
