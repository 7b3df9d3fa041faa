"""Alembic migrations, shipped inside the package so they travel with the wheel."""
