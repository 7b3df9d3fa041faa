"""Health probes: liveness, readiness, and readiness failing when the database is gone."""

from __future__ import annotations

from fastapi import FastAPI
from httpx2 import AsyncClient
from sqlalchemy.ext.asyncio import create_async_engine


async def test_live(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready(client: AsyncClient) -> None:
    response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


async def test_ready_reports_unreachable_database(app: FastAPI, client: AsyncClient) -> None:
    healthy = app.state.engine
    # A file in a folder that does not exist: SQLite cannot open it.
    broken = create_async_engine("sqlite+aiosqlite:////nonexistent-folder/for/sure/app.db")
    app.state.engine = broken
    try:
        response = await client.get("/health/ready")
    finally:
        app.state.engine = healthy
        await broken.dispose()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error"}}


async def test_health_is_not_rate_limited(client: AsyncClient) -> None:
    response = await client.get("/health/live")
    assert "ratelimit-limit" not in response.headers
