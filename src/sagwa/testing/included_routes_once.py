"""Build each included API route once per test process, not once per app.

FastAPI (0.16x) builds an included router's routes — each route's dependencies, parameter
fields and response model, pydantic adapters for all of them — lazily, per app, on the first
request that scans them: 0.6–1.3 s of CPU for sagwa's 113 included routes. A production process
builds one app and pays that once. The test suite builds a fresh app for almost every test (a
client on the test's rolled-back database, a server on its own database), and so paid it some
1,500 times: about a third of the suite's CPU.

:func:`build_included_routes_once` makes FastAPI reuse the route it built for the same route of
the same router included the same way. sagwa's ``create_app`` includes the same module-level
routers with the same arguments every time, so what is reused is what would have been built
again; the one thing that differs between apps, the app consulted for ``dependency_overrides``,
is not used by sagwa or its tests (:func:`build_included_routes_once` refuses to run if a test
sets one). Installed by ``tests/conftest.py`` only; the code under test is unchanged. With a
FastAPI that builds routes some other way it does nothing (and says so in its return value).
"""

from __future__ import annotations

from typing import Any

_installed = False


def _key(original_route: Any, include_context: Any) -> tuple[Any, ...]:
    return (id(original_route), id(include_context.included_router), include_context.prefix,
            tuple(getattr(d, "dependency", d) for d in include_context.dependencies),
            include_context.max_body_size, include_context.include_in_schema,
            tuple(include_context.tags), tuple(sorted(map(str, include_context.responses))))


def build_included_routes_once() -> bool:
    """Patch FastAPI's per-inclusion route building with a per-process cache. True when
    installed (or already), False when this FastAPI has no such step."""
    global _installed
    if _installed:
        return True
    try:
        from fastapi.routing import _EffectiveRouteContext
    except ImportError:
        return False
    original = _EffectiveRouteContext.__dict__.get("from_api_route")
    if not isinstance(original, classmethod):
        return False
    build = original.__func__
    built: dict[tuple[Any, ...], tuple[Any, Any]] = {}

    def from_api_route(cls: Any, *, original_route: Any, include_context: Any) -> Any:
        provider = include_context.dependency_overrides_provider
        if getattr(provider, "dependency_overrides", None):
            raise RuntimeError("build_included_routes_once: an app with dependency_overrides "
                               "needs its own routes; sagwa's tests do not override")
        key = _key(original_route, include_context)
        hit = built.get(key)
        if hit is None:
            # the route is kept with its context: its id cannot be reused by another route
            hit = built[key] = (original_route,
                                build(cls, original_route=original_route,
                                      include_context=include_context))
        return hit[1]

    _EffectiveRouteContext.from_api_route = classmethod(from_api_route)  # type: ignore[method-assign]
    _installed = True
    return True
