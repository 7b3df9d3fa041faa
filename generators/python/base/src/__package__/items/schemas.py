"""The items resource's request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints

from ..platform.contract import ITEM_DESCRIPTION_MAX
from ..platform.contract import ITEM_NAME_MAX
from ..platform.contract import ITEM_PRICE_MAX
from ..platform.schemas import NoNul

ItemName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=ITEM_NAME_MAX), NoNul
]
ItemDescription = Annotated[str, StringConstraints(max_length=ITEM_DESCRIPTION_MAX), NoNul]
# strict: JSON 12.5, "12" and true are refused instead of being coerced to an integer.
PriceCents = Annotated[int, Field(strict=True, ge=0, le=ITEM_PRICE_MAX)]


class ItemIn(BaseModel):
    """Body of POST and PUT: the whole writable state of an item."""

    model_config = ConfigDict(extra="forbid")

    name: ItemName
    description: ItemDescription | None = None
    price_cents: PriceCents


class Item(BaseModel):
    """An item as the API returns it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    price_cents: int
    created_at: datetime
    updated_at: datetime


class ItemPage(BaseModel):
    """One page of items and the total count, for offset pagination."""

    items: list[Item]
    total: int
    limit: int
    offset: int
