"""The items resource: CRUD under /api/v1/items (routes, schemas, model)."""
