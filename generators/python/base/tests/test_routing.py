"""Routing details of the contract: trailing slashes, Host headers, HEAD and `Allow`. Most tests
here only read or are refused, so they share one app (`module_client`)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from httpx2 import AsyncClient

from tests.conftest import serve

ITEMS = "/api/v1/items"
# Every GET route of the service, with its status for an anonymous caller.
GET_ROUTES = [
    ("/health/live", 200),
    ("/health/ready", 200),
    ("/openapi.json", 200),
    ("/docs", 200),
    ("/docs/swagger-ui-bundle.js", 200),
    ("/docs/swagger-ui.css", 200),
    (ITEMS, 401),
    (f"{ITEMS}/1", 401),
]
SPOOFING_HEADERS = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "gopher",
    "X-Forwarded-Prefix": "/evil",
}


def _allow(value: str) -> list[str]:
    return [method.strip() for method in value.split(",")]


@pytest.mark.parametrize("path", [f"{ITEMS}/", f"{ITEMS}/1/", "/health/live/", "/docs/"])
@pytest.mark.parametrize("authenticated", [False, True])
async def test_trailing_slash_is_an_unknown_route_never_a_redirect(
    module_client: AsyncClient, reader: dict[str, str], path: str, authenticated: bool
) -> None:
    headers = {**SPOOFING_HEADERS, **(reader if authenticated else {})}
    response = await module_client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 404, response.headers
    assert response.headers["content-type"] == "application/problem+json"
    assert "location" not in response.headers
    assert response.json()["instance"] == path


async def test_no_answer_builds_a_url_from_host_or_forwarded_headers(
    client: AsyncClient, admin: dict[str, str]
) -> None:
    answers = [
        await client.post(
            ITEMS,
            json={"name": "w", "price_cents": 1},
            headers={**SPOOFING_HEADERS, **admin},
            follow_redirects=False,
        )
    ]
    created = answers[0]
    assert created.status_code == 201
    # The path alone: a client resolves it against the URL it used.
    assert created.headers["location"] == f"{ITEMS}/{created.json()['id']}"
    for path, _ in GET_ROUTES:
        answers.append(await client.get(path, headers=SPOOFING_HEADERS, follow_redirects=False))
    for path in ("/missing", f"{ITEMS}/", "/docs/"):
        answers.append(await client.get(path, headers=SPOOFING_HEADERS, follow_redirects=False))
    for answer in answers:
        assert answer.status_code < 300 or answer.status_code >= 400
        for name, value in answer.headers.items():
            assert "evil" not in value, (answer.request.url, name, value)
            assert "gopher" not in value, (answer.request.url, name, value)
        assert b"evil.example" not in answer.content
        assert b"gopher:" not in answer.content


@pytest.mark.parametrize(("path", "status"), GET_ROUTES)
async def test_head_answers_like_get_without_a_body(
    module_client: AsyncClient, path: str, status: int
) -> None:
    got = await module_client.get(path)
    head = await module_client.head(path)
    assert got.status_code == status
    assert head.status_code == status
    assert head.content == b""
    volatile = {"x-request-id", "ratelimit-remaining", "ratelimit-reset"}
    expected = {name: value for name, value in got.headers.items() if name not in volatile}
    actual = {name: value for name, value in head.headers.items() if name not in volatile}
    assert actual == expected


async def test_head_with_a_token(module_client: AsyncClient, reader: dict[str, str]) -> None:
    listed = await module_client.head(ITEMS, headers=reader)
    assert listed.status_code == 200
    assert listed.headers["content-type"] == "application/json"
    assert int(listed.headers["content-length"]) == len(
        (await module_client.get(ITEMS, headers=reader)).content
    )
    assert listed.content == b""
    missing = await module_client.head(f"{ITEMS}/999", headers=reader)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.content == b""


async def test_head_without_a_token_is_401(module_client: AsyncClient) -> None:
    response = await module_client.head(ITEMS)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.content == b""


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", ITEMS, ["GET", "HEAD", "POST"]),
        ("DELETE", ITEMS, ["GET", "HEAD", "POST"]),
        ("PATCH", f"{ITEMS}/1", ["GET", "HEAD", "PUT", "DELETE"]),
        ("POST", f"{ITEMS}/1", ["GET", "HEAD", "PUT", "DELETE"]),
        ("POST", "/health/live", ["GET", "HEAD"]),
        ("DELETE", "/health/ready", ["GET", "HEAD"]),
        ("POST", "/openapi.json", ["GET", "HEAD"]),
        ("PUT", "/docs", ["GET", "HEAD"]),
        ("POST", "/docs/swagger-ui.css", ["GET", "HEAD"]),
    ],
)
async def test_405_lists_head_wherever_it_lists_get(
    module_client: AsyncClient, reader: dict[str, str], method: str, path: str, allowed: list[str]
) -> None:
    response = await module_client.request(method, path, headers=reader)
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert _allow(response.headers["allow"]) == allowed
    assert response.json()["instance"] == path


async def test_head_on_a_route_without_get_is_405(app: FastAPI) -> None:
    # HEAD is GET without the body, so a route without GET refuses it as GET would.
    @app.post("/api/v1/only-post")
    async def only_post() -> None:
        return None

    async with serve(app) as client:
        response = await client.head("/api/v1/only-post")
    assert response.status_code == 405
    assert _allow(response.headers["allow"]) == ["POST"]
    assert response.content == b""
