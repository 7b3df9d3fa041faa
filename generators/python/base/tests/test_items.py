"""The items resource: CRUD, pagination, validation and body handling."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

ITEMS = "/api/v1/items"
VALID: dict[str, Any] = {"name": "Widget", "description": "A widget", "price_cents": 1999}


def create(client: TestClient, admin: dict[str, str], **fields: Any) -> dict[str, Any]:
    response = client.post(ITEMS, json={**VALID, **fields}, headers=admin)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    return body


def test_crud_happy_path(client: TestClient, admin: dict[str, str], reader: dict[str, str]) -> None:
    response = client.post(ITEMS, json={**VALID, "name": "  Widget  "}, headers=admin)
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"{ITEMS}/{created['id']}"
    assert created["name"] == "Widget"  # trimmed
    assert created["description"] == "A widget"
    assert created["price_cents"] == 1999
    for stamp in ("created_at", "updated_at"):
        # RFC 3339 with an explicit UTC offset, even on SQLite.
        parsed = datetime.fromisoformat(created[stamp])
        assert parsed.utcoffset() is not None
        assert created[stamp].endswith(("Z", "+00:00"))

    fetched = client.get(response.headers["location"], headers=reader)
    assert fetched.status_code == 200
    assert fetched.json() == created

    replaced = client.put(
        f"{ITEMS}/{created['id']}", json={"name": "Gadget", "price_cents": 5}, headers=admin
    )
    assert replaced.status_code == 200
    body = replaced.json()
    assert body["name"] == "Gadget"
    assert body["description"] is None  # PUT replaces the whole item
    assert body["price_cents"] == 5
    assert body["created_at"] == created["created_at"]
    assert body["updated_at"] >= created["updated_at"]

    deleted = client.delete(f"{ITEMS}/{created['id']}", headers=admin)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_problem(client.get(f"{ITEMS}/{created['id']}", headers=reader), 404)


def test_list_pagination_and_total(
    client: TestClient, admin: dict[str, str], reader: dict[str, str]
) -> None:
    ids = [create(client, admin, name=f"item {n}")["id"] for n in range(5)]

    default = client.get(ITEMS, headers=reader).json()
    assert default["total"] == 5
    assert default["limit"] == 20
    assert default["offset"] == 0
    assert [item["id"] for item in default["items"]] == ids

    page = client.get(ITEMS, params={"limit": 2, "offset": 3}, headers=reader).json()
    assert page == {**page, "total": 5, "limit": 2, "offset": 3}
    assert [item["id"] for item in page["items"]] == ids[3:]

    past_end = client.get(ITEMS, params={"offset": 50}, headers=reader).json()
    assert past_end["items"] == []
    assert past_end["total"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**12}, "offset"),
    ],
)
def test_list_bounds(
    client: TestClient, reader: dict[str, str], params: dict[str, Any], field: str
) -> None:
    body = assert_problem(client.get(ITEMS, params=params, headers=reader), 422)
    assert [error["field"] for error in body["errors"]] == [field]


def test_list_accepts_the_bounds(client: TestClient, reader: dict[str, str]) -> None:
    for limit in (1, 100):
        assert client.get(ITEMS, params={"limit": limit}, headers=reader).status_code == 200


@pytest.mark.parametrize("item_id", ["999", "0", "-1", str(2**40)])
def test_unknown_id_is_404(client: TestClient, admin: dict[str, str], item_id: str) -> None:
    body = assert_problem(client.get(f"{ITEMS}/{item_id}", headers=admin), 404)
    assert body["instance"] == f"{ITEMS}/{item_id}"
    assert_problem(client.put(f"{ITEMS}/{item_id}", json=VALID, headers=admin), 404)
    assert_problem(client.delete(f"{ITEMS}/{item_id}", headers=admin), 404)


def test_non_numeric_id_is_422(client: TestClient, reader: dict[str, str]) -> None:
    body = assert_problem(client.get(f"{ITEMS}/abc", headers=reader), 422)
    assert body["errors"][0]["field"] == "item_id"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "no name", "price_cents": 1}, "name"),
        ({"name": "no price"}, "price_cents"),
        ({**VALID, "colour": "red"}, "colour"),
        ({**VALID, "name": ""}, "name"),
        ({**VALID, "name": "   "}, "name"),
        ({**VALID, "name": "x" * 101}, "name"),
        ({**VALID, "name": 42}, "name"),
        ({**VALID, "description": "d" * 1001}, "description"),
        ({**VALID, "price_cents": -1}, "price_cents"),
        ({**VALID, "price_cents": 100_000_001}, "price_cents"),
        ({**VALID, "price_cents": 12.5}, "price_cents"),
        ({**VALID, "price_cents": "12"}, "price_cents"),
        ({**VALID, "price_cents": True}, "price_cents"),
        ([VALID], "body"),
    ],
)
def test_validation_errors_name_the_field(
    client: TestClient, admin: dict[str, str], payload: Any, field: str
) -> None:
    for response in (
        client.post(ITEMS, json=payload, headers=admin),
        client.put(f"{ITEMS}/1", json=payload, headers=admin),
    ):
        body = assert_problem(response, 422)
        assert field in [error["field"] for error in body["errors"]]
        assert all(error["message"] for error in body["errors"])


@pytest.mark.parametrize("text", ["a\u0000b", "\u0000", "trailing\u0000"])
@pytest.mark.parametrize("field", ["name", "description"])
def test_nul_character_is_refused_and_nothing_stored(
    client: TestClient, admin: dict[str, str], reader: dict[str, str], field: str, text: str
) -> None:
    # PostgreSQL text cannot hold U+0000: refused on every database, so all store the same.
    original = create(client, admin)
    payload = {**VALID, field: text}
    for response in (
        client.post(ITEMS, json=payload, headers=admin),
        client.put(f"{ITEMS}/{original['id']}", json=payload, headers=admin),
    ):
        body = assert_problem(response, 422)
        assert [error["field"] for error in body["errors"]] == [field]
        assert "NUL" in body["errors"][0]["message"]
    listed = client.get(ITEMS, headers=reader).json()
    assert listed["total"] == 1
    assert listed["items"] == [original]


def test_other_control_characters_are_kept(client: TestClient, admin: dict[str, str]) -> None:
    created = create(client, admin, name="tab\tand\u0001", description="line\nbreak")
    assert created["name"] == "tab\tand\u0001"
    assert created["description"] == "line\nbreak"


def test_boundary_values_are_accepted(client: TestClient, admin: dict[str, str]) -> None:
    created = create(client, admin, name="x" * 100, description="d" * 1000, price_cents=0)
    assert len(created["name"]) == 100
    assert create(client, admin, price_cents=100_000_000)["price_cents"] == 100_000_000


def test_empty_json_body_is_422(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        ITEMS, content=b"", headers={**admin, "Content-Type": "application/json"}
    )
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "body"


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_malformed_json_is_400(client: TestClient, admin: dict[str, str], method: str) -> None:
    response = client.request(
        method,
        f"{ITEMS}/1" if method == "PUT" else ITEMS,
        content=b'{"name": "x",',
        headers={**admin, "Content-Type": "application/json"},
    )
    body = assert_problem(response, 400)
    assert "errors" not in body


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_non_json_body_is_415(
    client: TestClient, admin: dict[str, str], method: str, content_type: str | None
) -> None:
    headers = dict(admin)
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = client.request(
        method, f"{ITEMS}/1" if method == "PUT" else ITEMS, content=b"name=x", headers=headers
    )
    assert_problem(response, 415)


def test_json_with_charset_is_accepted(client: TestClient, admin: dict[str, str]) -> None:
    response = client.post(
        ITEMS,
        content=b'{"name": "Widget", "price_cents": 1}',
        headers={**admin, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_oversized_body_is_413(client: TestClient, admin: dict[str, str]) -> None:
    # The test settings cap bodies at 4096 bytes.
    response = client.post(ITEMS, json={**VALID, "description": "d" * 5000}, headers=admin)
    body = assert_problem(response, 413)
    assert body["instance"] == ITEMS


def test_oversized_chunked_body_is_413(client: TestClient, admin: dict[str, str]) -> None:
    def chunks() -> Any:
        for _ in range(10):
            yield b" " * 1000

    response = client.post(
        ITEMS, content=chunks(), headers={**admin, "Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)
