"""The shared cache: its settings from `CACHE_URL`, and what counts as the cache being down.

Kept free of Django imports that need configured settings: `config.settings` imports it.
"""

import environ

# Options django-environ reads from the URL's query string that Django expects at the top of the
# cache's settings, upper-cased. For Django's own RedisCache django-environ lower-cases them (it
# lower-cases every option for that backend), and Django then ignores `key_prefix` & co.
_DJANGO_CACHE_KEYS = ("TIMEOUT", "KEY_PREFIX", "VERSION", "KEY_FUNCTION")

REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"


def cache_settings(url: str, *, socket_timeout: float) -> dict:
    """Return the CACHES entry for `url`, honouring `?key_prefix=` and bounding Redis waits.

    An unreachable Redis must cost a request a fraction of a second, not redis-py's default
    five: the connect and socket timeouts default to `socket_timeout` unless the URL sets them.
    """
    config = environ.Env.cache_url_config(url)
    for name in _DJANGO_CACHE_KEYS:
        if name.lower() in config:
            config[name] = config.pop(name.lower())
    if config["BACKEND"] == REDIS_BACKEND:
        options = config.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", socket_timeout)
        options.setdefault("socket_timeout", socket_timeout)
    return config


def cache_errors() -> tuple[type[Exception], ...]:
    """Return the exceptions that mean the cache could not be reached or did not answer.

    Redis raises its own errors (connection refused, timeouts); the database cache raises the
    database's; memcached clients raise OSError. A caller catching these answers 503, not 500.
    """
    from django.db import DatabaseError

    errors: list[type[Exception]] = [OSError, DatabaseError]
    try:
        from redis.exceptions import RedisError
    except ImportError:  # redis is a runtime dependency, but the local-memory cache needs none
        pass
    else:
        errors.append(RedisError)
    return tuple(errors)
