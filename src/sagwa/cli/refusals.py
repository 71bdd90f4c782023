"""How a refusal (a :class:`~sagwa.errors.SagwaError`) reads on a terminal: pure ``format_*``
functions; ``context.exits_cleanly`` prints them.

A refused incident plan lists every problem at once, one line each, naming the option to fix
(``--compensation``) beside the field the desk names (``cancel_compensation``). With
``--format json`` the refusal is also printed to stdout as the JSON API answers it (``code``,
``message``, ``details``: unchanged keys) plus ``problems``, a list of
``{"field", "option", "reason", "message"}`` — every problem of a plan, or the one field an
error names, or empty. ``details["reason"]`` is always there (the error's code when it names
no sub-code), so a program can match on it.

A command line Typer refuses before the command runs (an option's value of the wrong type, an
unknown or missing option) is, when JSON was asked for, :func:`format_usage_json`: code
``invalid_request`` as the API's refused requests, ``details["reason"]`` one of
``USAGE_REASONS``' values, ``details["errors"]`` a list of ``{"field", "problem"}`` (the API's
shape), and ``problems`` as above.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.markup import escape
from typer._click import exceptions as click_errors

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
    "seller_id": "--seller-id", "cause": "--cause", "responsible": "--responsible",
    "note": "--note", "evidence": "--evidence", "channel": "--channel",
    "reference": "--reference", "paid_at": "--paid-at", "from_file": "--from-file",
    "recorded_before": "--recorded-before", "expires_on": "--expires-on", "name": "--name",
    "from": "--from", "to": "--to", "opened_against": "--opened-against",
}


def _entry(field: str | None, reason: Any, message: str,
           option: str | None = None) -> dict[str, str | None]:
    """One problem; its option ``option`` where the refusal named one ("": an argument, no
    option), else the one that sets ``field`` (:data:`FIELD_OPTIONS`)."""
    return {"field": field,
            "option": FIELD_OPTIONS.get(field or "") if option is None else option or None,
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
    return [] if field is None else [_entry(str(field), exc.details.get("reason"), exc.message,
                                            exc.details.get("option"))]


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
    body = exc.as_dict()
    body["details"] = {**body.get("details", {})}
    body["details"].setdefault("reason", exc.code)
    return json.dumps({**body, "problems": problem_list(exc)}, ensure_ascii=False, default=str)


#: The ``details["reason"]`` of a refused command line, by what was wrong and where.
USAGE_REASONS = {("missing", "option"): "option_missing",
                 ("missing", "argument"): "argument_missing",
                 ("bad", "option"): "option_invalid", ("bad", "argument"): "argument_invalid"}


def _usage_reason(exc: click_errors.UsageError) -> tuple[str, str | None]:
    """(reason, the option or argument named) of a refused command line."""
    if isinstance(exc, click_errors.NoSuchOption):
        return "option_unknown", exc.option_name
    if isinstance(exc, click_errors.BadParameter):
        param = exc.param
        kind = "argument" if getattr(param, "param_type_name", "") == "argument" else "option"
        named = exc.param_hint if isinstance(exc.param_hint, str) else None
        if param is not None and kind == "option" and param.opts:
            named = param.opts[0]
        elif param is not None:  # an argument, as the error names it
            named = param.metavar or param.name
        missing = "missing" if isinstance(exc, click_errors.MissingParameter) else "bad"
        return USAGE_REASONS[(missing, kind)], named
    if isinstance(exc, click_errors.BadOptionUsage):
        return "option_invalid", exc.option_name
    return "usage", None


def format_usage_json(exc: click_errors.UsageError) -> str:
    """A command line Typer refused, as JSON (see the module docstring)."""
    reason, named = _usage_reason(exc)
    message = exc.format_message()
    field = named.removeprefix("--") if named and named.startswith("--") else named
    option = named if named and named.startswith("-") else None
    problems = [] if named is None else [
        {"field": field, "option": option, "reason": reason, "message": message}]
    return json.dumps({"code": "invalid_request", "message": message,
                       "details": {"reason": reason,
                                   "errors": [{"field": named, "problem": message}]},
                       "problems": problems}, ensure_ascii=False)
