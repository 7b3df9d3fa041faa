"""Health probes: liveness, readiness, and readiness failing when the database is gone."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import create_async_engine


def test_live(client: TestClient) -> None:
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready(client: TestClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_ready_reports_unreachable_database(app: FastAPI, client: TestClient) -> None:
    healthy = app.state.engine
    # A file in a folder that does not exist: SQLite cannot open it.
    broken = create_async_engine("sqlite+aiosqlite:////nonexistent-folder/for/sure/app.db")
    app.state.engine = broken
    try:
        response = client.get("/health/ready")
    finally:
        app.state.engine = healthy
        asyncio.run(broken.dispose())
    assert response.status_code == 503
    assert response.json() == {"status": "error", "checks": {"database": "error"}}


def test_health_is_not_rate_limited(client: TestClient) -> None:
    response = client.get("/health/live")
    assert "ratelimit-limit" not in response.headers
