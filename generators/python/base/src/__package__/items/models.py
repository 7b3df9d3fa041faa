"""The items table."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from ..platform.contract import ITEM_DESCRIPTION_MAX
from ..platform.contract import ITEM_NAME_MAX
from ..platform.models import Entity


class Item(Entity):
    """A catalogue item; `id`, `created_at` and `updated_at` come from `Entity`."""

    __tablename__ = "items"

    name: Mapped[str] = mapped_column(String(ITEM_NAME_MAX))
    description: Mapped[str | None] = mapped_column(String(ITEM_DESCRIPTION_MAX))
    price_cents: Mapped[int] = mapped_column(Integer)
