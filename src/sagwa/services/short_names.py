"""Product names short enough for a text message: cut on a word boundary, never inside
brackets (``shorten_name``)."""

from __future__ import annotations

_BRACKETS = {")": "(", "]": "[", "}": "{", ">": "<", "）": "（", "］": "［", "」": "「",
             "』": "『", "】": "【", "〉": "〈", "》": "《"}
ELLIPSIS = "…"


def shorten_name(name: str, limit: int = 30) -> str:
    """``name`` if it fits in ``limit`` characters, else cut on a word boundary (a space) with
    "…" added, and never inside brackets: "Apple iPod shuffle (3rd generation) 1GB" gives
    "Apple iPod shuffle…". A first word too long on its own is cut inside it."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    words, kept = name.split(" "), ""
    for word in words:
        longer = f"{kept} {word}" if kept else word
        if len(longer) + len(ELLIPSIS) > limit:
            break
        kept = longer
    kept = _close_brackets(kept or name[: limit - len(ELLIPSIS)])
    return kept.rstrip(" ,;:/-·–—") + ELLIPSIS


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
