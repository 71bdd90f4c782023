"""Settings' names: a ``SAGWA_*`` variable close to a setting's name is its typo, and how a
refused value may be printed."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from typing import Any

from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

#: ``SAGWA_*`` variables that are no setting but are read elsewhere, so not refused as unknown.
READ_ELSEWHERE = frozenset({"SAGWA_BENCH_DATABASE_URL"})  # bench/delivery.py --database-url


class NamesChecked(PydanticBaseSettingsSource):
    """The ``.env`` file's settings, and every ``SAGWA_*`` name in the environment or the file
    that is no setting but close to one (a typo: ``SAGWA_SMTP_PROT``): passed on under its own
    name, it is refused (``extra="forbid"``) with the other problems, and
    :func:`sagwa.config.describe_invalid_settings` says which setting was meant. A name close to none is
    someone else's and passes unseen, as a line of another program's in a shared ``.env`` does:
    Kubernetes gives every pod ``<SERVICE>_SERVICE_HOST``, ``<SERVICE>_PORT_8000_TCP…`` for each
    Service of its namespace (``SAGWA_WEB_SERVICE_HOST`` for one named ``sagwa-web``)."""

    def __init__(self, settings_cls: type[BaseSettings],
                 dotenv: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self._dotenv = dotenv

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # all is done in __call__

    def __call__(self) -> dict[str, Any]:
        known = self.settings_cls.model_fields
        found = {name: value for name, value in self._dotenv().items() if name in known}
        for name in [*os.environ, *getattr(self._dotenv, "env_vars", {})]:
            field = name.lower().removeprefix("sagwa_")
            if (name.lower().startswith("sagwa_") and field not in known
                    and name.upper() not in READ_ELSEWHERE and closest_setting(field, known)):
                found[field] = "(not shown)"  # a misspelled secret's value is never printed
        return found


#: Settings whose value is never printed, not even when it is refused.
SECRET_FIELDS = frozenset({"secret_key", "smtp_password", "previous_secret_keys",
                           "nhn_sms_secret_key"})


def closest_setting(field: str, names: Iterable[str]) -> str:
    """``; did you mean SAGWA_X?`` naming the setting closest to ``field``, if one is close."""
    close = difflib.get_close_matches(field, list(names), n=1, cutoff=0.75)
    return f"; did you mean SAGWA_{close[0].upper()}?" if close else ""


def shown_value(field: str, given: object) -> object:
    """A refused value as it may be printed: a URL's password masked."""
    if field == "database_url" and isinstance(given, str):
        # to the last '@': a password with an unencoded '@' in it is masked whole
        return re.sub(r"(://[^:/@]*:).*@", r"\1***@", given)
    return given
