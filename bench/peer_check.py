"""Ours vs the peer before any timing: the same SQL (captured in-process) and the same JSON.

Our statements come from the Django test client under `CaptureQueriesContext` (as for the
floor views); the peer's from its own page functions (bench/peer/pages.py) run in this process
on an engine that records every statement it sends. Both are compared with literals and bind
parameters replaced by `?`: everything else (column lists, joins, WHERE, ORDER BY, LIMIT and
OFFSET clauses) must be equal. The JSON is compared field by field on the pages served over
HTTP by every server under test.
"""

import asyncio
import re
from urllib.parse import parse_qsl, urlsplit

from bench.scratch import log

_LITERAL = re.compile(r"'(?:[^']|'')*'(?:::\w+)?")
_BIND = re.compile(r"\$\d+|%s|:\w+\b")
_NUMBER = re.compile(r"(?<![\w\".])\d+(?![\w\"])")


def normalized(statement: str) -> str:
    """A statement with its values (literals, `$1` binds, numbers) written as `?`."""
    statement = _LITERAL.sub("?", statement)
    statement = _BIND.sub("?", statement)
    return _NUMBER.sub("?", statement)


def first_difference(ours, peer, where: str = "") -> str | None:
    """Where two JSON values first differ, as `results[3].cost_usd: ours '1', peer '2'`."""
    if type(ours) is not type(peer):
        return f"{where or 'body'}: ours {ours!r}, peer {peer!r}"
    if isinstance(ours, dict):
        if list(ours) != list(peer):
            return f"{where or 'body'}: fields {list(ours)} vs {list(peer)}"
        for key in ours:
            found = first_difference(ours[key], peer[key], f"{where}.{key}" if where else key)
            if found:
                return found
        return None
    if isinstance(ours, list):
        if len(ours) != len(peer):
            return f"{where or 'body'}: {len(ours)} items vs {len(peer)}"
        for index, (mine, theirs) in enumerate(zip(ours, peer, strict=True)):
            found = first_difference(mine, theirs, f"{where}[{index}]")
            if found:
                return found
        return None
    return None if ours == peer else f"{where or 'body'}: ours {ours!r}, peer {peer!r}"


class PeerInProcess:
    """The peer's page functions run in this process, on their own event loop and engine,
    recording every statement they send (`statements`)."""

    def __init__(self, database_url: str):
        from sqlalchemy import event
        from sqlalchemy.ext.asyncio import create_async_engine

        self.loop = asyncio.new_event_loop()
        url = database_url.replace("postgres://", "postgresql+asyncpg://", 1)
        self.engine = create_async_engine(url, pool_size=1, isolation_level="AUTOCOMMIT")
        self.statements: list[str] = []

        @event.listens_for(self.engine.sync_engine, "before_cursor_execute")
        def record(_conn, _cursor, statement, _parameters, _context, _executemany):
            self.statements.append(statement)

    def __enter__(self) -> "PeerInProcess":
        return self

    def __exit__(self, *exc_info) -> None:
        self.loop.run_until_complete(self.engine.dispose())
        self.loop.close()

    def get(self, path: str, token: str) -> dict:
        """The body the peer answers `GET path` with (its ApiError when it refuses)."""
        return self.loop.run_until_complete(self._get(path, token))

    async def _get(self, path: str, token: str) -> dict:
        from bench.peer import pages

        parts = urlsplit(path)
        arguments = {
            "authorization": f"Bearer {token}",
            "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
            "url": f"http://127.0.0.1{path}",
        }
        async with self.engine.connect() as conn:
            if parts.path.endswith("/messages/"):
                interview_pk = parts.path.rstrip("/").split("/")[-2]
                return await pages.transcript_page(conn, interview_pk=interview_pk, **arguments)
            return await pages.interview_list(conn, **arguments)


def compare_sql(path: str, token: str, database_url: str) -> tuple[bool, str]:
    """Whether ours and the peer run the same statements for `path`; with a short account."""
    from bench import inprocess

    _body, ours = inprocess.get(path, token)
    with PeerInProcess(database_url) as in_process:
        in_process.get(path, token)
        peer = in_process.statements
    same = [normalized(s) for s in ours] == [normalized(s) for s in peer]
    if not same:
        log(f"SQL of ours and the peer differ on {path} (update bench/peer/statements.py):")
        for label, statements in (("ours", ours), ("peer", peer)):
            for statement in statements:
                log(f"  {label}: {normalized(statement)[:600]}")
    return same, f"{len(ours)} statements" if same else f"{len(ours)} vs {len(peer)} statements"
