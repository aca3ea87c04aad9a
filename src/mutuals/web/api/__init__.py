"""The JSON API under /api: one module per area, each with a ``router`` (and optionally ``available()``)."""

MODULES: tuple[str, ...] = (
    "mutuals.web.api.core",
    "mutuals.web.api.team",
    "mutuals.web.api.people",
    "mutuals.web.api.inbox",
)
