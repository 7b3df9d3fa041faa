"""The items resource: CRUD under /api/v1/items."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi import Response
from sqlalchemy import func
from sqlalchemy import select

from ..platform.api import MAX_DB_INT
from ..platform.api import delete_or_404
from ..platform.api import get_or_404
from ..platform.api import guard
from ..platform.api import read_or_404
from ..platform.api import resource_router
from ..platform.contract import ADMIN_ROLE
from ..platform.contract import ITEMS_PATH
from ..platform.contract import PAGE_LIMIT_DEFAULT
from ..platform.contract import PAGE_LIMIT_MAX
from ..platform.db import ConnectionDep
from ..platform.db import SessionDep
from ..platform.openapi import problem_responses
from . import models
from .schemas import Item
from .schemas import ItemIn
from .schemas import ItemPage

router = resource_router(ITEMS_PATH, tags=["items"])


@router.get(
    "",
    dependencies=guard(),
    responses=problem_responses(401, 422, 429),
    summary="List items",
)
async def list_items(
    connection: ConnectionDep,
    limit: Annotated[
        int, Query(ge=1, le=PAGE_LIMIT_MAX, description="Page size.")
    ] = PAGE_LIMIT_DEFAULT,
    offset: Annotated[int, Query(ge=0, le=MAX_DB_INT, description="Items to skip.")] = 0,
) -> ItemPage:
    """One page of items in id order, with the total count."""
    # Core, not the ORM: rows answered as they are (see `read_or_404`).
    table = models.Item.__table__
    total = await connection.scalar(select(func.count()).select_from(table))
    rows = await connection.execute(select(table).order_by(table.c.id).limit(limit).offset(offset))
    return ItemPage(
        items=[Item.model_validate(row) for row in rows],
        total=total or 0,
        limit=limit,
        offset=offset,
    )


@router.post(
    "",
    status_code=201,
    dependencies=guard(ADMIN_ROLE, json_body=True),
    responses=problem_responses(400, 401, 403, 413, 415, 422, 429),
    summary="Create an item",
)
async def create_item(body: ItemIn, session: SessionDep, response: Response) -> Item:
    """Create an item; `Location` points at it."""
    item = models.Item(**body.model_dump())
    session.add(item)
    # Flush, read back, then commit: a refresh after the commit could find the row deleted.
    await session.flush()
    created = Item.model_validate(item)
    await session.commit()
    response.headers["Location"] = f"{router.prefix}/{created.id}"
    return created


@router.get(
    "/{item_id}",
    dependencies=guard(),
    responses=problem_responses(401, 404, 422, 429),
    summary="Get an item",
)
async def get_item(item_id: int, connection: ConnectionDep) -> Item:
    """One item by id."""
    return Item.model_validate(await read_or_404(connection, models.Item, item_id))


@router.put(
    "/{item_id}",
    dependencies=guard(ADMIN_ROLE, json_body=True),
    responses=problem_responses(400, 401, 403, 404, 413, 415, 422, 429),
    summary="Replace an item",
)
async def replace_item(item_id: int, body: ItemIn, session: SessionDep) -> Item:
    """Replace every writable field of an item."""
    item = await get_or_404(session, models.Item, item_id)
    for field, value in body.model_dump().items():
        setattr(item, field, value)
    # A DELETE that won the race leaves the UPDATE matching nothing: 404 (errors.py).
    await session.flush()
    replaced = Item.model_validate(item)
    await session.commit()
    return replaced


@router.delete(
    "/{item_id}",
    status_code=204,
    dependencies=guard(ADMIN_ROLE),
    responses=problem_responses(401, 403, 404, 422, 429),
    summary="Delete an item",
)
async def delete_item(item_id: int, session: SessionDep) -> Response:
    """Delete an item."""
    await delete_or_404(session, models.Item, item_id)
    await session.commit()
    return Response(status_code=204)
