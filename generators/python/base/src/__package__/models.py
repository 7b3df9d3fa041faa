"""Every resource's ORM model, imported here so that Alembic (migrations/env.py) sees every table.

Add a line for each new resource's model (README, "Add a resource").
"""

from __future__ import annotations

from .items.models import Item
from .platform.models import Base

__all__ = ["Base", "Item"]
