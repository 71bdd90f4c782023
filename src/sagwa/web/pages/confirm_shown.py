"""When a customer's confirm step was shown: a signed stamp the step's form carries back, so
that a "confirm" pressed just after the answer deadline counts as made when the customer read
the step (``domain.consent.CONFIRM_GRACE``). Signed with the app's secret (and the retired
ones, ``SAGWA_PREVIOUS_SECRET_KEYS``), over the case, the choice and the moment by the app's
clock: a stamp of another case or choice, a forged moment, or one from the future is no
stamp — the choice is then judged by when it was confirmed, as before."""

from __future__ import annotations

from datetime import UTC, datetime

import itsdangerous
from fastapi import Request

_SALT = "sagwa.confirm-shown"


def _signer(request: Request) -> itsdangerous.Signer:
    secrets = list(request.app.state.settings.accepted_secrets)
    return itsdangerous.Signer(secrets, salt=_SALT)


def shown_stamp(request: Request, case_id: int, choice: str, now: datetime) -> str:
    """The stamp of ``choice``'s confirm step of case ``case_id`` shown at ``now``."""
    return _signer(request).sign(f"{case_id}:{choice}:{int(now.timestamp())}").decode()


def shown_at(request: Request, case_id: int, choice: str, stamp: str,
             now: datetime) -> datetime | None:
    """When the step the form came from was shown, if ``stamp`` is its own and not ahead of
    ``now``; else None."""
    if not stamp:
        return None
    try:
        value = _signer(request).unsign(stamp).decode()
    except (itsdangerous.BadSignature, UnicodeDecodeError):
        return None
    parts = value.split(":")
    if len(parts) != 3 or parts[:2] != [str(case_id), choice] or not parts[2].isdigit():
        return None
    seconds = parts[2]
    at = datetime.fromtimestamp(int(seconds), UTC)
    return at if at <= now else None
