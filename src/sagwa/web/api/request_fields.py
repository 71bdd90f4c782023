"""A refusal's field in the request's own terms: the services name what they check in their own
words (``details.field``: ``price``, ``currency``, ``promotion.percent``), which clients already
match on and which stays as it is; a route that knows its request body adds
``details.request_field``, the field as the request sent it, in the notation of the schema's
own refusals (``details.errors[].field``: ``body.new_price.amount_minor``), so a client can put
either refusal beside the field it came from. A number too large to store (PostgreSQL's
refusal, ``number_too_large``, made where no field is known) is named the same way when it came
in the path or the query (``oversized_number``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

from sagwa.errors import InvalidInput, SagwaError

#: The range of PostgreSQL's bigint, which every id is.
BIGINT = range(-(2**63), 2**63)

#: A declared promotion (``PromotionIO`` as ``promotion``): the services' names are its own.
PROMOTION_FIELDS = {name: f"body.{name}" for name in (
    "promotion", "promotion.percent", "promotion.starts_at", "promotion.ends_at")}


def money_fields(name: str) -> dict[str, str]:
    """A ``MoneyIO`` body field ``name``: the services call its amount ``price`` (or
    ``amount_minor``), its currency ``currency``, and the whole of it by its own name (unless
    that is ``price``: then the amount, as for every price)."""
    at = f"body.{name}"
    return {name: at, "price": f"{at}.amount_minor", "amount_minor": f"{at}.amount_minor",
            "currency": f"{at}.currency"}


@contextmanager
def as_sent(fields: Mapping[str, str]) -> Iterator[None]:
    """Inside it, an :class:`InvalidInput` whose ``details.field`` ``fields`` knows gains
    ``details.request_field`` (``details.field`` is left as it was)."""
    try:
        yield
    except InvalidInput as exc:
        sent = fields.get(str(exc.details.get("field", "")))
        if sent is not None:
            exc.details.setdefault("request_field", sent)
        raise


def _beyond_bigint(value: str) -> bool:
    try:
        return int(value) not in BIGINT
    except ValueError:  # not a whole number (or thousands of digits: not ours to judge)
        return False


def oversized_number(exc: SagwaError, path: Iterable[tuple[str, str]],
                     query: Iterable[tuple[str, str]]) -> None:
    """A ``number_too_large`` refusal without a field gains ``details.field`` (the
    parameter's name) and ``details.request_field`` (``path.<name>``, ``query.<name>``) when a
    path or query parameter (``path``, ``query``: name and value as sent) is beyond bigint."""
    if exc.details.get("reason") != "number_too_large" or "field" in exc.details:
        return
    for where, params in (("path", path), ("query", query)):
        for name, value in params:
            if _beyond_bigint(value):
                exc.details["field"], exc.details["request_field"] = name, f"{where}.{name}"
                return
