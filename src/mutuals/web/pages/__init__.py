"""The pages. Each module has a ``router``, usually a ``NAV`` item, and optionally ``available()``
(False when the capability it shows is not installed: the page is then left out)."""

MODULES: tuple[str, ...] = (
    "mutuals.web.pages.login",
    "mutuals.web.pages.dashboard",
    "mutuals.web.pages.inbox",
    "mutuals.web.pages.people",
    "mutuals.web.pages.listening",
    "mutuals.web.pages.followers",
    "mutuals.web.pages.imports",
    "mutuals.web.pages.settings",
)
