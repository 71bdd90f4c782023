"""The server's access log without customers' link tokens.

A customer's case link (``/c/<token>``, and every page under it) is that customer's key: the
token in it opens their case to whoever holds it, so it is not written to the access log.
:class:`MaskCustomerLinks` keeps the first characters of the token and replaces the rest
(``/c/eyJ…[masked]/choose?lang=ko``). A search's words may be a customer's phone number or
email address (``/cs/cases?q=010-2745-4831``): the values of search parameters are masked too
(``/cs/cases?q=[masked]``). The rest of the line is as uvicorn writes it.
:func:`log_config` is uvicorn's own logging configuration with that filter on the access log.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from sagwa.domain.masking import mask_case_link

#: Query parameters whose values may be a customer's phone number, email address or name (the
#: contact centre's lookup ``/cs/cases?q=010-…``, the catalogue's search): never logged.
SEARCH_PARAMS = frozenset({"q", "query", "search", "phone", "email", "contact", "name",
                           # an access reason in the query (X-Access-Reason's twin): the access
                           # record keeps it in its own column, not in the logged address
                           "reason"})
#: ``name=value`` in a query string (the name matched case-insensitively, as sent).
_PARAM = re.compile(r"(?<=[?&])([^=&#?\s]+)=([^&#?\s]*)")
QUERY_MASK = "[masked]"


def mask_links(path: str) -> str:
    """``/c/eyJhbGciOi.sig/choose`` -> ``/c/eyJ…[masked]/choose``; the values of search
    parameters (:data:`SEARCH_PARAMS`) -> ``[masked]``; other paths as they are."""
    path = mask_case_link(path)
    if "?" not in path:
        return path
    return _PARAM.sub(lambda m: f"{m.group(1)}={QUERY_MASK}"
                      if _param_name(m.group(1)) in SEARCH_PARAMS and m.group(2) else m.group(0),
                      path)


def _param_name(raw: str) -> str:
    return unquote_plus(raw).strip().lower()


class MaskCustomerLinks(logging.Filter):
    """Masks the token of a customer's link in an access-log record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(mask_links(a) if isinstance(a, str) else a for a in record.args)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration, its access log filtered by :class:`MaskCustomerLinks`."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["mask_customer_links"] = {
        "()": f"{__name__}.MaskCustomerLinks"}
    config["handlers"]["access"].setdefault("filters", []).append("mask_customer_links")
    return config
