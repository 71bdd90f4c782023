"""The JSON API takes only the query parameters a route declares, each once (bodies are strict
already: ``schemas.Body`` forbids extra fields). A typo (``?seller=2`` for ``seller_id``) that
was silently ignored answered every seller's listings; a parameter given twice took the last.

``strict_query`` is added to every API router once, in ``app.py``; it reads what the matched
route declares — its own query parameters and its dependencies' — and refuses the rest as the
schema's own refusals are refused: 422 ``invalid_request``, reason ``request_invalid``, with
``details.errors`` naming ``query.<name>``. Pages do not use it: they keep ignoring parameters
they do not read (``?lang=en`` is read outside any route's declaration)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi._compat import field_annotation_is_sequence  # FastAPI's own getlist-or-get test
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import get_flat_params
from fastapi.exceptions import RequestValidationError
from fastapi.params import Query
from fastapi.routing import APIRoute


def declared_query(dependant: Dependant) -> dict[str, bool]:
    """The query parameters a route with ``dependant`` takes (the names a request sends,
    aliases included, its dependencies' too), each with whether it takes several values."""
    return {str(field.alias): field_annotation_is_sequence(field.field_info.annotation)
            for field in get_flat_params(dependant)
            if isinstance(field.field_info, Query)}


def _dependant(request: Request, route: APIRoute) -> Dependant:
    """The matched route's dependant as included (with ``include_router``'s dependencies),
    where FastAPI keeps one (``scope["fastapi"]``, not a public name: hence the fallback to
    the route's own, which lacks only those)."""
    context = (request.scope.get("fastapi") or {}).get("effective_route_context")
    dependant = getattr(context, "dependant", None)
    return dependant if isinstance(dependant, Dependant) else route.dependant


def _problems(request: Request, declared: dict[str, bool]) -> list[dict[str, Any]]:
    takes = ", ".join(declared) or "none"
    errors: list[dict[str, Any]] = []
    for name in dict.fromkeys(request.query_params):  # each name once, in the order sent
        values = request.query_params.getlist(name)
        if name not in declared:
            errors.append({"type": "query_unknown", "loc": ("query", name), "input": values[0],
                           "msg": f"this call takes no query parameter {name!r} "
                                  f"(it takes: {takes})"})
        elif len(values) > 1 and not declared[name]:
            errors.append({"type": "query_repeated", "loc": ("query", name), "input": values,
                           "msg": f"given {len(values)} times; {name!r} takes one value"})
    return errors


def strict_query(request: Request) -> None:
    """Refuse (422) a query parameter the matched route does not declare, or one it takes once
    given more than once."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    errors = _problems(request, declared_query(_dependant(request, route)))
    if errors:
        raise RequestValidationError(errors)
