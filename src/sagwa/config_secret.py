"""The key that signs customers' links and sign-in cookies, where none is configured: one
generated and kept in the data directory."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: Values that are no secret, refused as ``SAGWA_SECRET_KEY`` (in any case).
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret"})
#: Stands for "not set": a published string, so it must never sign anything.
DEFAULT_SECRET = "dev-only-not-secret-sagwa-0000000000"
SECRET_FILE = "secret_key"


class UnsharedSecretWarning(UserWarning):
    """An external database with a key generated in this process's data directory."""


def data_dir_secret(data_dir: Path) -> str:
    """The key kept in ``<data_dir>/secret_key``, generated on first use (random, 0600). Every
    sagwa process on the same data directory (server, workers, CLI) signs with the same key, and
    nobody else knows it — unlike a default written in the source, which anyone could use to
    forge a customer's link. Two processes starting at once agree: the file is created by an
    atomic link, and the loser reads the winner's key."""
    path = data_dir / SECRET_FILE
    try:
        if not path.exists():
            data_dir.mkdir(parents=True, exist_ok=True)
            tmp = data_dir / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_urlsafe(48) + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        key = path.read_text(encoding="ascii").strip()
    except OSError as exc:
        raise ValueError(f"cannot keep a generated secret key in {path} ({exc.strerror or exc}); "
                         "set SAGWA_SECRET_KEY") from None
    if len(key) < 16:
        raise ValueError(f"{path} holds no usable key (under 16 characters); delete it to "
                         "generate a new one, or set SAGWA_SECRET_KEY")
    return key
