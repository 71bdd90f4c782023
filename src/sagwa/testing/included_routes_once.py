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
again. The one thing that differs between apps, the app consulted for ``dependency_overrides``,
is replaced by a guard (:class:`_NoOverrides`): sagwa and its tests override nothing, and an
override set on any app, before or after its first request, fails that app's next request
rather than being ignored or applied to another app. Installed by ``tests/conftest.py`` only
(``SAGWA_TEST_BUILD_ROUTES_PER_APP=1``: not installed); the code under test is unchanged. With
a FastAPI that builds routes some other way it does nothing (its return value says so).
"""

from __future__ import annotations

import dataclasses
import weakref
from typing import Any

_installed = False


class _NoOverrides:
    """What the shared routes consult for ``dependency_overrides`` instead of the first app
    that built them: every app they serve, and none of those may override a dependency (such
    an override would be silently ignored by routes another app built). Asked on each request,
    as FastAPI asks the app; an override set on any app still alive is a RuntimeError there."""

    def __init__(self) -> None:
        self.apps: weakref.WeakSet[Any] = weakref.WeakSet()

    def refuse_overrides(self) -> None:
        """A RuntimeError when any app the shared routes serve overrides a dependency."""
        for app in list(self.apps):
            if getattr(app, "dependency_overrides", None):
                raise RuntimeError("build_included_routes_once: an app with "
                                   "dependency_overrides needs its own routes; run with "
                                   "SAGWA_TEST_BUILD_ROUTES_PER_APP=1")

    @property
    def dependency_overrides(self) -> dict[Any, Any]:
        self.refuse_overrides()
        return {}


def _same(value: Any) -> Any:
    """A comparable stand-in for an inclusion argument (FastAPI's ``Default(...)`` wrappers
    are new objects each time: their value)."""
    return getattr(value, "value", value)


def _key(original_route: Any, c: Any) -> tuple[Any, ...]:
    """Everything of the inclusion that FastAPI builds the route from, but the app."""
    return (id(original_route), id(c.included_router), c.prefix,
            tuple(getattr(d, "dependency", d) for d in c.dependencies),
            c.max_body_size, c.include_in_schema, c.deprecated, tuple(map(str, c.tags)),
            repr(sorted(c.responses.items(), key=lambda kv: str(kv[0]))),
            tuple(map(id, c.callbacks)), _same(c.default_response_class),
            _same(c.generate_unique_id_function), _same(c.strict_content_type),
            repr(c.form_limits))


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
    overrides = _NoOverrides()

    def from_api_route(cls: Any, *, original_route: Any, include_context: Any) -> Any:
        app = include_context.dependency_overrides_provider
        if app is not None:
            overrides.apps.add(app)
        overrides.refuse_overrides()
        key = _key(original_route, include_context)
        hit = built.get(key)
        if hit is None:
            # built against the guard, not this app (which it would keep alive, and whose
            # overrides it would apply to every other app); the route is kept with its
            # context: its id cannot be reused by another route
            shared = dataclasses.replace(include_context, dependency_overrides_provider=overrides)
            hit = built[key] = (original_route,
                                build(cls, original_route=original_route,
                                      include_context=shared))
        return hit[1]

    _EffectiveRouteContext.from_api_route = classmethod(from_api_route)  # type: ignore[method-assign]
    _installed = True
    return True
