"""The project's routes as the URLconf declares them: each URL name with its path arguments, its
view and the HTTP methods it answers, for tests that must cover every endpoint (the isolation
property test walks them instead of listing endpoints by hand)."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Methods that read or describe a resource without being an endpoint of their own.
IGNORED_METHODS = frozenset({"head", "options", "trace"})


@dataclass(frozen=True)
class Route:
    """One named URL pattern: `arguments` are its path arguments, `actions` maps each HTTP
    method it answers (lower-case) to the viewset action it runs (or the method itself)."""

    name: str | None
    namespace: str | None
    pattern: str
    arguments: tuple[str, ...]
    view: type | None
    actions: dict[str, str]

    def __str__(self) -> str:
        return f"{self.name} ({self.pattern})"


def _methods(callback) -> dict[str, str]:
    view = getattr(callback, "cls", None)
    mapping = getattr(callback, "actions", None)
    if view is None:  # a plain Django view function (health): it answers GET
        return {"get": "get"}
    allowed = set(view.http_method_names) - IGNORED_METHODS
    if mapping:  # a DRF viewset: the router bound these methods to these actions
        return {method: action for method, action in mapping.items() if method in allowed}
    return {method: method for method in sorted(allowed) if hasattr(view, method)}


def _walk(patterns, prefix: str, arguments: tuple[str, ...], namespace: str | None):
    for entry in patterns:
        found = tuple(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            yield from _walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                arguments + found,
                entry.namespace or namespace,
            )
        elif isinstance(entry, URLPattern):
            yield entry, prefix + str(entry.pattern), arguments + found, namespace


def routes() -> list[Route]:
    """Return every named route of the URLconf, in its order.

    The routers' format-suffix twins (`users.json`) are left out: they dispatch to the same
    views with the same arguments. An unnamed pattern (the admin's redirects) has name None.
    """
    found = []
    for entry, pattern, arguments, namespace in _walk(get_resolver().url_patterns, "", (), None):
        if "format" in arguments:
            continue
        found.append(
            Route(
                name=entry.name,
                namespace=namespace,
                pattern=pattern,
                arguments=arguments,
                view=getattr(entry.callback, "cls", None),
                actions=_methods(entry.callback),
            )
        )
    return found
