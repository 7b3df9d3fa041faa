"""Swagger UI at /docs, served by the service itself.

The JavaScript and CSS come from the `fastapi-swagger` package, which ships one exact Swagger UI
5 release, so the page works offline, loads nothing from a CDN, and changes only when the pinned
package does. The page's Content-Security-Policy names `'self'` and the hash of its one inline
script, and nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable
from collections.abc import Callable
from importlib import resources

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.responses import Response

# The package that ships the Swagger UI distribution, and the files of it the page uses.
_ASSETS_PACKAGE = "fastapi_swagger.resources"
_ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hash(script: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def docs_page(*, title: str, docs_path: str, openapi_path: str) -> tuple[str, str]:
    """The Swagger UI page and the CSP that lets exactly it run.

    Swagger UI starts from one inline script; its hash allows it without `'unsafe-inline'`.
    Styles: the stylesheet is ours (`'self'`), and Swagger UI sets the rest through the CSSOM,
    which style-src does not restrict. Images: its stylesheet draws icons as `data:` SVGs.
    """
    page = get_swagger_ui_html(
        openapi_url=openapi_path,
        title=title,
        # Paths only, never a URL built from the request's Host.
        swagger_js_url=f"{docs_path}/swagger-ui-bundle.js",
        swagger_css_url=f"{docs_path}/swagger-ui.css",
        swagger_favicon_url=f"{docs_path}/favicon-32x32.png",
        # No validator badge: it would send the document to an outside service.
        swagger_ui_parameters={"validatorUrl": None},
    )
    html = bytes(page.body).decode("utf-8")
    hashes = " ".join(_script_hash(script) for script in _INLINE_SCRIPT.findall(html))
    csp = (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    )
    return html, csp


def docs_router(*, title: str, docs_path: str, openapi_path: str) -> tuple[APIRouter, str]:
    """Routes for the page and its assets (left out of the OpenAPI document), and the page's CSP.

    The files are read once, here: a missing package fails at start-up, not on first view.
    """
    html, csp = docs_page(title=title, docs_path=docs_path, openapi_path=openapi_path)
    router = APIRouter(include_in_schema=False)

    @router.get(docs_path)
    async def docs() -> HTMLResponse:
        return HTMLResponse(html)

    assets = resources.files(_ASSETS_PACKAGE)
    for name, media_type in _ASSETS.items():
        router.add_api_route(
            f"{docs_path}/{name}",
            _asset_endpoint(assets.joinpath(name).read_bytes(), media_type),
            methods=["GET"],
        )
    return router, csp


def _asset_endpoint(content: bytes, media_type: str) -> Callable[[], Awaitable[Response]]:
    # A closure, not default arguments: FastAPI would read those as query parameters.
    async def asset() -> Response:
        return Response(content, media_type=media_type)

    return asset
