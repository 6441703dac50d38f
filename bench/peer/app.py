"""The peer's FastAPI app: `uvicorn bench.peer.app:app`, on the database of PEER_DATABASE_URL.

A thin layer over bench/peer/pages.py: one SQLAlchemy async engine (asyncpg, autocommit like
Django's connections, so no BEGIN/ROLLBACK round trips the API does not make either), a
connection per request as a dependency, orjson bodies, the API's error shape.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bench.peer import pages

engine: AsyncEngine | None = None


def database_url() -> str:
    url = os.environ["PEER_DATABASE_URL"]
    return url.replace("postgres://", "postgresql+asyncpg://", 1).replace(
        "postgresql://", "postgresql+asyncpg://", 1
    )


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    global engine
    # As many connections per worker as the Django pool's default maximum.
    engine = create_async_engine(
        database_url(), pool_size=10, max_overflow=0, isolation_level="AUTOCOMMIT"
    )
    try:
        yield
    finally:
        await engine.dispose()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


async def connection() -> AsyncIterator[AsyncConnection]:
    async with engine.connect() as conn:
        yield conn


Connection = Annotated[AsyncConnection, Depends(connection)]


def _json(body: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


@app.exception_handler(pages.ApiError)
async def api_error(_request: Request, error: pages.ApiError) -> Response:
    return _json(error.body(), error.status, error.headers)


def _absolute_url(request: Request) -> str:
    """What Django's `request.build_absolute_uri()` gives: the Host header, path and query."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    host = request.headers.get("host", "")
    return f"http://{host}{request.url.path}" + (f"?{query}" if query else "")


@app.get("/health")
async def health() -> Response:
    return _json({"status": "ok"})


@app.get("/api/v1/interviews/")
async def interview_list(request: Request, conn: Connection) -> Response:
    body = await pages.interview_list(
        conn,
        authorization=request.headers.get("authorization"),
        query=request.query_params,
        url=_absolute_url(request),
    )
    return _json(body)


@app.get("/api/v1/interviews/{interview_pk}/messages/")
async def transcript_page(interview_pk: str, request: Request, conn: Connection) -> Response:
    body = await pages.transcript_page(
        conn,
        authorization=request.headers.get("authorization"),
        interview_pk=interview_pk,
        query=request.query_params,
        url=_absolute_url(request),
    )
    return _json(body)
