"""Before the CLI queues customer messages: will the links in them reach a sagwa server?

The links use ``SAGWA_PUBLIC_BASE_URL``, or ``http://SAGWA_HOST:SAGWA_PORT`` when it is not set.
The CLI does not know the port ``sagwa serve --port`` was started with, so an address it only
derived is asked for ``/healthz`` first (a short request to this host's own server); an address
set explicitly is trusted (a production proxy may not be reachable from the CLI's host).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

from sagwa.errors import InvalidInput

#: Seconds to wait for ``/healthz``: the server asked is this host's own.
HEALTHZ_TIMEOUT = 2.0
#: Addresses a server listens on but no customer's browser can open.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def answers_healthz(base_url: str, *, timeout: float = HEALTHZ_TIMEOUT) -> bool:
    """Whether a sagwa server answers ``GET {base_url}/healthz`` there: ``{"status": "ok"}``,
    or ``"degraded"`` (a 503: it serves, but e.g. no worker is alive — the links still open)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy
    try:
        try:
            with opener.open(f"{base_url.rstrip('/')}/healthz", timeout=timeout) as answer:
                found = json.loads(answer.read(4096) or b"{}")
        except urllib.error.HTTPError as refused:  # a 503 carries sagwa's body too
            with refused:
                found = json.loads(refused.read(4096) or b"{}")
    except (OSError, ValueError):  # refused, timed out, another HTTP error, not JSON
        return False
    return isinstance(found, dict) and found.get("status") in ("ok", "degraded")


def check_public_links(base_url: str, *, configured: bool,
                       probe: Callable[[str], bool] = answers_healthz) -> str:
    """``base_url`` if customers' links to it will work: set explicitly (trusted), or a sagwa
    server answers there. Otherwise refused, naming the address and how to set the right one."""
    if configured:
        return base_url
    host = urlsplit(base_url).hostname or ""
    if host in WILDCARD_HOSTS:
        why = f"{host or 'that host'} is an address a server listens on, not one a browser opens"
    elif not probe(base_url):
        why = f"nothing answers GET {base_url.rstrip('/')}/healthz there"
    else:
        return base_url
    raise InvalidInput(
        f"customers' links would point to {base_url} (SAGWA_PUBLIC_BASE_URL is not set, so "
        f"they follow SAGWA_HOST and SAGWA_PORT), but {why}; start the app there (sagwa serve), "
        "or set SAGWA_PUBLIC_BASE_URL to the address customers open (e.g. "
        "SAGWA_PUBLIC_BASE_URL=https://shop.example.com, or http://127.0.0.1:8001 for an app "
        "served on port 8001) and notify again; nothing was queued",
        field="public_base_url", reason="public_links_unreachable", links_to=base_url)
