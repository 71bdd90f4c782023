"""When a reason someone must write down says something.

A reviewer who overrules or refuses the price guard's outcome — approving a held change that
halves or doubles the price, releasing a first price far from its reference, rejecting a change,
sending a held listing back to its seller — must say why, for the seller and the audit log. A
"." or "ok" says nothing, so a required reason needs a :func:`word_weight` of at least
:data:`MIN_REASON_SIGNS`: four letters or digits, where a Hangul syllable counts two (``오타``
says as much as ``typo``; ``확인함`` weighs six), and spaces, punctuation, symbols and combining
marks count for nothing. An optional note is not checked.

Each rule says itself when a reason is missing (``approval_needs_reason``,
``release_needs_reason``, ...); :func:`check_meaningful_reason` is the one check of a reason
that was given, and :func:`require_reason` both for a reason that is always required.
"""

from __future__ import annotations

import unicodedata

from sagwa.errors import InvalidInput

#: The least :func:`word_weight` of a required reason: four letters or digits, or two Hangul
#: syllables.
MIN_REASON_SIGNS = 4


def reason_signs(text: str | None) -> int:
    """How many letters or decimal digits ``text`` has, composed first (NFC), so that a Hangul
    syllable typed as separate jamo counts once, as it shows."""
    composed = unicodedata.normalize("NFC", text or "")
    return sum(1 for ch in composed if unicodedata.category(ch)[0] == "L"
               or unicodedata.category(ch) == "Nd")


def word_weight(text: str | None) -> int:
    """:func:`reason_signs`, with a Hangul syllable or a CJK ideograph counted twice: a
    customer's quoted words are short, and one syllable says as much as two Latin letters
    ("취소" weighs 4, as "stop" does; "ok" weighs 2)."""
    composed = unicodedata.normalize("NFC", text or "")
    return sum(2 if _dense(ch) else 1 for ch in composed
               if unicodedata.category(ch)[0] == "L" or unicodedata.category(ch) == "Nd")


def _dense(ch: str) -> bool:
    """A Hangul syllable or a CJK ideograph (a letter that is a whole syllable)."""
    return "\uac00" <= ch <= "\ud7a3" or "\u4e00" <= ch <= "\u9fff"


#: Words that only say a decision was taken, not why: a reason made of one of them alone (its
#: letters and digits, lower case) says nothing however much it weighs ("승인" weighs 4, as
#: "okay" does). The notice cites the reviewer's reason as the control on an approval.
RUBBER_STAMPS = frozenset({
    "ok", "okay", "yes", "yep", "fine", "good", "done", "checked", "approve", "approved",
    "confirm", "confirmed", "reject", "rejected", "no", "nope", "lgtm",
    "승인", "승인함", "승인합니다", "확인", "확인함", "확인했습니다", "확인완료", "네", "넵", "예",
    "완료", "이상없음", "문제없음", "좋음", "거절", "거절함", "반려", "반려함", "ㅇㅋ", "ㅇㅇ"})


def _letters(text: str) -> str:
    composed = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in composed.lower() if unicodedata.category(ch)[0] == "L"
                   or unicodedata.category(ch) == "Nd")


def is_blank(reason: str | None) -> bool:
    """No reason at all: nothing, or only white space."""
    return not (reason and reason.strip())


def check_meaningful_reason(reason: str) -> str:
    """``reason`` without its surrounding spaces, or InvalidInput (``reason_too_short``) when it
    weighs less than :data:`MIN_REASON_SIGNS` (:func:`word_weight`: "오타" is enough, as "typo"
    is; "ok" or "오" is not), or when it is one word that only says a decision was taken
    (:data:`RUBBER_STAMPS`: "승인", "확인", "okay")."""
    if _letters(reason) in RUBBER_STAMPS:
        raise InvalidInput(
            f"the reason {reason.strip()!r} says only that a decision was taken: write why (what "
            "you checked, or what is wrong)", field="reason", reason="reason_too_short",
            minimum=MIN_REASON_SIGNS)
    if word_weight(reason) < MIN_REASON_SIGNS:
        raise InvalidInput(
            f"the reason {reason.strip()!r} says too little: write at least {MIN_REASON_SIGNS} "
            f"letters or digits, or {MIN_REASON_SIGNS // 2} Hangul syllables (a Hangul syllable "
            "counts as two letters; spaces and punctuation do not count)",
            field="reason", reason="reason_too_short", minimum=MIN_REASON_SIGNS)
    return reason.strip()


def require_reason(reason: str | None, *, missing: str) -> str:
    """A reason that is always required: InvalidInput (``reason_required``, with ``missing`` as
    its message) when there is none, else :func:`check_meaningful_reason`."""
    if reason is None or is_blank(reason):
        raise InvalidInput(missing, field="reason", reason="reason_required")
    return check_meaningful_reason(reason)
