"""How a refusal (a :class:`~sagwa.errors.SagwaError`) reads on a terminal: pure ``format_*``
functions; ``context.exits_cleanly`` prints them.

A refused incident plan lists every problem at once, one line each, naming the option to fix
(``--compensation``) beside the field the desk names (``cancel_compensation``). With
``--format json`` the refusal is also printed to stdout as the JSON API answers it (``code``,
``message``, ``details``: unchanged keys) plus ``problems``, a list of
``{"field", "option", "reason", "message"}`` — every problem of a plan, or the one field an
error names, or empty.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.markup import escape

from sagwa.errors import SagwaError

#: A field the services name (``details["field"]``, a key of a plan's ``details["problems"]``)
#: -> the command-line option that sets it.
FIELD_OPTIONS = {
    "options": "--option", "deadline": "--deadline", "default": "--default",
    "seller_share_pct": "--seller-share", "platform_share_pct": "--platform-share",
    "cancel_compensation": "--compensation", "discount_pct": "--discount",
    "keep_max_units": "--keep-max-units", "listing_ids": "--listing",
    "wrong_price": "--wrong-price", "correct_price": "--correct-price",
    "window_start": "--window-start", "window_end": "--window-end", "actor": "--actor",
    "reason": "--reason", "file": "--file", "out": "--out", "lang": "--lang",
    "username": "--username", "role": "--role", "password": "--password",
    "seller_id": "--seller-id",
}


def _entry(field: str | None, reason: Any, message: str) -> dict[str, str | None]:
    return {"field": field, "option": FIELD_OPTIONS.get(field or ""),
            "reason": None if reason is None else str(reason), "message": message}


def plan_problems(exc: SagwaError) -> list[dict[str, str | None]]:
    """A refused plan's problems (``details["problems"]``, sub-codes from
    ``details["problem_reasons"]``), in the order the desk found them; empty for other errors."""
    problems = exc.details.get("problems")
    if not isinstance(problems, Mapping):
        return []
    reasons = exc.details.get("problem_reasons")
    reasons = reasons if isinstance(reasons, Mapping) else {}
    return [_entry(str(field), reasons.get(field), str(sentence))
            for field, sentence in problems.items()]


def problem_list(exc: SagwaError) -> list[dict[str, str | None]]:
    """Every problem: a plan's, else the one field the error names, else none."""
    found = plan_problems(exc)
    if found:
        return found
    field = exc.details.get("field")
    return [] if field is None else [_entry(str(field), exc.details.get("reason"), exc.message)]


def _named(entry: Mapping[str, str | None]) -> str:
    field, option = entry["field"] or "", entry["option"]
    if option is None:
        return field
    return option if option.removeprefix("--") == field else f"{option} ({field})"


def format_refusal(exc: SagwaError) -> str:
    """Rich markup: ``error (code): message``; a plan's problems one per line, each with the
    option to fix."""
    problems = plan_problems(exc)
    if not problems:
        return f"[red]error[/red] ({exc.code}): {escape(exc.message)}"
    head = exc.message.partition(" — ")[0]
    count = f"{len(problems)} problem{'' if len(problems) == 1 else 's'}"
    lines = [f"[red]error[/red] ({exc.code}): {escape(head)} — {count}:"]
    lines += [f"  {escape(_named(p))}: {escape(p['message'] or '')}" for p in problems]
    return "\n".join(lines)


def format_refusal_json(exc: SagwaError) -> str:
    """The refusal as the JSON API gives it, plus ``problems`` (see the module docstring)."""
    return json.dumps({**exc.as_dict(), "problems": problem_list(exc)}, ensure_ascii=False,
                      default=str)
