"""Pydantic models for request bodies, responses and RFC 9457 problem details."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from typing import Literal

from pydantic import AfterValidator
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import StringConstraints
from pydantic_core import PydanticCustomError

from .contract import ITEM_DESCRIPTION_MAX
from .contract import ITEM_NAME_MAX
from .contract import ITEM_PRICE_MAX


def refuse_nul(value: str) -> str:
    """Refuse text holding U+0000.

    PostgreSQL text cannot store it (the insert would fail with a 500) while SQLite stores it;
    refusing it at the edge makes every database store the same thing.
    """
    if "\x00" in value:
        # A custom error, so the message is this sentence and not "Value error, ...".
        raise PydanticCustomError(
            "nul_character", "Text must not contain a NUL character (U+0000)."
        )
    return value


# Use NoNul (or AfterValidator(refuse_nul)) on every text field a client can write.
NoNul = AfterValidator(refuse_nul)
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


class Problem(BaseModel):
    """RFC 9457 problem details."""

    # Required (no default) so the OpenAPI schema says what every answer carries.
    type: str = Field(description="A URI identifying the problem type.")
    title: str = Field(description="Short summary: the HTTP reason phrase for about:blank.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="Explanation specific to this occurrence.")
    instance: str = Field(description="The request path.")


class FieldError(BaseModel):
    """One invalid input field."""

    field: str
    message: str


class ValidationProblem(Problem):
    """Problem details for a request whose input failed validation."""

    errors: list[FieldError]


class HealthStatus(BaseModel):
    """Liveness answer."""

    status: Literal["ok", "error"]


class ReadinessStatus(HealthStatus):
    """Readiness answer with one entry per dependency checked."""

    checks: dict[str, Literal["ok", "error"]]
