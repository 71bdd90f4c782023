"""A rules file's cue is refused when it could not mean what it says: a key no cue has (a typo
would be ignored), a pattern list that is a string (it would be read letter by letter), an
``@name`` that names no list (it would match nothing) — each with the cue and the key."""

from __future__ import annotations

from typing import Any

import pytest

from sagwa.messagecheck.ruleset import parse_rules


def _rules_with(cue: dict[str, Any]) -> None:
    parse_rules("en", {
        "patterns": {"questions": ["if you have .. questions"]},
        "cues": {"refund": cue},
        "checks": [{"code": "x", "when": "present", "cues": ["refund"], "message": "m"}],
        "negation": {},
    })


@pytest.mark.parametrize(("cue", "said"), [
    ({"any": ["we will refund"], "unless_befor": ["if"]},
     "cue refund: unknown key(s) ['unless_befor']"),
    ({"any": ["we will refund"], "unless_before": "prefer"},
     "cue refund: 'unless_before' must be a list of patterns (strings), not 'prefer'"),
    ({"any": ["we will refund"], "unless_after": "prefer"},
     "cue refund: 'unless_after' must be a list of patterns (strings), not 'prefer'"),
    ({"any": ["we will refund"], "unless_after": ["@question"]},
     "cue refund: 'unless_after' names @question, which is no [words] or [patterns] list"),
    ({"any": ["we will refund"], "unless": ["@question"]},
     "cue refund: 'unless' names @question, which is no [words] or [patterns] list"),
    ({"all": "we will refund"}, "cue refund: 'all' must be a list of lists of patterns"),
])
def test_a_cue_that_cannot_mean_what_it_says_is_refused(cue: dict[str, Any], said: str) -> None:
    with pytest.raises(ValueError, match="en.toml: ") as refused:
        _rules_with(cue)
    assert said in str(refused.value)


def test_a_cue_with_known_keys_and_lists_loads() -> None:
    _rules_with({"any": ["we will refund"], "unless": ["if"], "unless_ignore": ["@questions"],
                 "unless_before": ["prefer"], "unless_after": ["prefer"], "negatable": False,
                 "unless_scope": "clause"})
