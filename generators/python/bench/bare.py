"""The bare twin of a generated Python service, for `cargo xtask bench-service`.

FastAPI alone, with the generated service's four benchmarked routes over the generated
project's own engine (its `platform.db.create_engine`: the same driver, connector and pool) and
an equivalent items model: no contract layer (no auth, security headers, rate limiter, request
ids, logging). It runs with the generated project's own interpreter, so every library is the
version the project pins. It reads `HOST`, `PORT`, `DATABASE_URL` and `PROJECT_PACKAGE` (the
generated package's import name), and creates its table itself (a benchmark fixture, not a
service).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC
from datetime import datetime
from typing import Annotated

import uvicorn
from fastapi import Depends
from fastapi import FastAPI
from fastapi import HTTPException
from pydantic import BaseModel
from pydantic import ConfigDict
from sqlalchemy import DateTime
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column


class Base(DeclarativeBase):
    pass


class ItemRow(Base):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(String(1000))
    price_cents: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ItemIn(BaseModel):
    name: str
    description: str | None = None
    price_cents: int


class Item(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str | None
    price_cents: int
    created_at: datetime
    updated_at: datetime


class ItemPage(BaseModel):
    items: list[Item]
    total: int
    limit: int
    offset: int


# The generated service's engine, so that the routes differ by the contract layer alone.
project_db = importlib.import_module(f"{os.environ['PROJECT_PACKAGE']}.platform.db")
engine = project_db.create_engine(os.environ["DATABASE_URL"])
sessions = async_sessionmaker(engine, expire_on_commit=False)


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    yield
    await engine.dispose()


async def get_session() -> AsyncIterator[AsyncSession]:
    async with sessions() as session:
        yield session


Session = Annotated[AsyncSession, Depends(get_session)]
app = FastAPI(lifespan=lifespan)


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/v1/items")
async def list_items(session: Session, limit: int = 20, offset: int = 0) -> ItemPage:
    total = await session.scalar(select(func.count()).select_from(ItemRow))
    rows = await session.scalars(select(ItemRow).order_by(ItemRow.id).limit(limit).offset(offset))
    return ItemPage(
        items=[Item.model_validate(row) for row in rows], total=total or 0, limit=limit, offset=offset
    )


@app.get("/api/v1/items/{item_id}")
async def get_item(item_id: int, session: Session) -> Item:
    row = await session.get(ItemRow, item_id)
    if row is None:
        raise HTTPException(status_code=404)
    return Item.model_validate(row)


@app.post("/api/v1/items", status_code=201)
async def create_item(body: ItemIn, session: Session) -> Item:
    now = datetime.now(UTC)
    row = ItemRow(**body.model_dump(), created_at=now, updated_at=now)
    session.add(row)
    await session.commit()
    return Item.model_validate(row)


if __name__ == "__main__":
    uvicorn.run(
        app,
        host=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ["PORT"]),
        log_level="warning",
        access_log=False,
    )
