"""The served OpenAPI document against the contract's own, which backend-gen rendered into
`contract_openapi.json` beside this file, with its normal form in `contract_openapi.normal.json`.

They are compared in the form the contract fixes: paths, methods, parameters, status codes,
media types, schema fields and required lists. Descriptions, titles and the names of path
parameters are the framework's business.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

CONTRACT_DOCUMENT = Path(__file__).with_name("contract_openapi.json")
CONTRACT_NORMAL_FORM = Path(__file__).with_name("contract_openapi.normal.json")
HTTP_METHODS = frozenset({"get", "put", "post", "delete", "patch", "head", "options"})
MAX_DEPTH = 16


def _resolve(reference: str, document: dict[str, Any]) -> Any:
    node: Any = document
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _shape(schema: dict[str, Any], document: dict[str, Any], depth: int = 0) -> Any:
    """Fields and required lists of a schema, `$ref`s resolved, nullable unions unwrapped."""
    if depth > MAX_DEPTH:
        return "recursive"
    if "$ref" in schema:
        return _shape(_resolve(schema["$ref"], document), document, depth + 1)
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            branches = [
                _shape(branch, document, depth + 1)
                for branch in schema[union]
                if branch.get("type") != "null"
            ]
            return branches[0] if len(branches) == 1 else {union: branches}
    if "properties" in schema:
        return {
            "fields": {
                name: _shape(field, document, depth + 1)
                for name, field in schema["properties"].items()
            },
            "required": sorted(schema.get("required", [])),
        }
    kind = schema.get("type")
    if kind == "array":
        return {"array": _shape(schema.get("items", {}), document, depth + 1)}
    if kind == "object":
        return "map"
    return kind if isinstance(kind, str) else "any"


def _content(content: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    return {media: _shape(body.get("schema", {}), document) for media, body in content.items()}


def _path(path: str) -> str:
    return "/".join(
        "{}" if part.startswith("{") and part.endswith("}") else part for part in path.split("/")
    )


def normalize(document: dict[str, Any]) -> dict[str, Any]:
    """The parts of an OpenAPI document the contract fixes, comparable with `==`."""
    operations: dict[str, Any] = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = sorted(
                "path" if p["in"] == "path" else f"{p['in']}:{p['name']}"
                for p in operation.get("parameters", [])
            )
            responses = {
                status: _content(answer.get("content", {}), document)
                for status, answer in operation["responses"].items()
            }
            request = operation.get("requestBody", {}).get("content", {})
            operations[f"{method.upper()} {_path(path)}"] = {
                "secured": bool(operation.get("security")),
                "parameters": parameters,
                "request": _content(request, document),
                "responses": responses,
            }
    schemes = document.get("components", {}).get("securitySchemes", {}).values()
    return {
        "security_schemes": sorted(f"{s['type']} {s.get('scheme', '?').lower()}" for s in schemes),
        "operations": operations,
    }


def test_served_document_matches_the_contract(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    contract = json.loads(CONTRACT_DOCUMENT.read_text(encoding="utf-8"))
    assert normalize(served) == normalize(contract)


def test_this_normal_form_agrees_with_backend_gens() -> None:
    """`normalize` ports backend-gen's: the normal form it rendered must come out here too."""
    contract = json.loads(CONTRACT_DOCUMENT.read_text(encoding="utf-8"))
    assert normalize(contract) == json.loads(CONTRACT_NORMAL_FORM.read_text(encoding="utf-8"))


def test_comparison_sees_a_missing_field() -> None:
    contract = json.loads(CONTRACT_DOCUMENT.read_text(encoding="utf-8"))
    broken = json.loads(CONTRACT_DOCUMENT.read_text(encoding="utf-8"))
    del broken["components"]["schemas"]["Item"]["properties"]["price_cents"]
    assert normalize(broken) != normalize(contract)
