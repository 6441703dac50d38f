"""gunicorn settings: the one place for them (the Dockerfile and docker-compose run
`gunicorn config.wsgi --config gunicorn.conf.py --bind ...`; gunicorn also reads this file by itself
when started from the repository root). README "Serving" explains the choices.
"""

import os

# Threads, not one process per request: the threads of a process share its psycopg pool (its
# DB_POOL_MAX_SIZE must be at least `threads`), a request waiting on the database leaves the
# process free for the others, and connections are kept alive between requests (an engine
# appends many transcript messages in a row). The sync worker would do none of these.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 30

# The request line (method, path and query, protocol) may be at most 8190 bytes, gunicorn's own
# ceiling: longer ones get gunicorn's plain-text "414 URI Too Long", which is not the API's JSON
# error shape. Everything shorter reaches Django, whose validation answers in JSON (a `search`
# term is at most 255 characters, core.api.filters.SearchFilter).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
# gunicorn's control socket (for gunicornc) is not used here; without it the server writes
# nothing under $HOME, and several servers on one machine do not share one socket path.
control_socket_disable = True


def pre_request(worker, req):
    """Close the connection after a request whose body will not be read to its end.

    Django reads, or drains after the response, a body of up to MAX_UPLOAD_REQUEST_BYTES that
    has a Content-Length (config.middleware.UnreadBodyMiddleware); gunicorn drains at most 64 KiB
    of what is left and otherwise drops the connection that its response announced as kept
    alive, so the client's next request there fails. For a larger body, or a chunked one (Django
    reads no chunked bodies), answer with `Connection: close` instead: the client knows to open a
    new connection.
    """
    from django.conf import settings

    headers = dict(req.headers)
    length = headers.get("CONTENT-LENGTH")
    if "TRANSFER-ENCODING" in headers or (
        length is not None and int(length) > settings.MAX_UPLOAD_REQUEST_BYTES
    ):
        req.force_close()
