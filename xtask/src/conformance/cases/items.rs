//! The `items.` cases: CRUD, pagination and its bounds, and 404 for ids that do not exist.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{MISSING_ID, get, is_rfc3339, item_path};
use crate::conformance::http::Request;

cases! {
    "items.create" => |ctx| {
        let body = json!({"name": "  Widget  ", "description": null, "price_cents": 1999});
        let answer = ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        answer.status(201)?;
        let item = answer.json()?;
        answer.header("location", &item_path(&item))?;
        let fields = item["id"].is_i64() && item["name"] == "Widget" && item["description"].is_null()
            && item["price_cents"] == 1999 && is_rfc3339(&item["created_at"]) && is_rfc3339(&item["updated_at"]);
        answer.check(fields, "an Item: integer id, trimmed name, null description, the price, RFC 3339 timestamps")
    },
    "items.read" => |ctx| {
        let item = ctx.create_item("read me")?;
        let answer = ctx.send(ctx.reader(get(&item_path(&item))))?;
        answer.status(200)?;
        answer.check(answer.json()? == item, format!("the created item {item}"))
    },
    "items.list" => |ctx| {
        ctx.create_item("listed one")?;
        ctx.create_item("listed two")?;
        let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        answer.status(200)?;
        let page = answer.json()?;
        let count = page["items"].as_array().map_or(0, Vec::len);
        let ok = count >= 2 && page["total"].as_u64().is_some_and(|t| t >= count as u64)
            && page["limit"] == CONTRACT.items.limit_default && page["offset"] == 0;
        answer.check(ok, format!("a page with items, total ≥ items, limit {}, offset 0", CONTRACT.items.limit_default))
    },
    "items.pagination" => |ctx| {
        ctx.create_item("page one")?;
        ctx.create_item("page two")?;
        let answer = ctx.send(ctx.reader(get(&format!("{}?limit=1&offset=1", CONTRACT.paths.items))))?;
        answer.status(200)?;
        let page = answer.json()?;
        let ok = page["items"].as_array().map_or(0, Vec::len) == 1 && page["limit"] == 1 && page["offset"] == 1
            && page["total"].as_u64().is_some_and(|t| t >= 2);
        answer.check(ok, "one item, limit 1, offset 1, total ≥ 2")
    },
    "items.limit-zero" => |ctx| ctx.send(ctx.reader(get(&format!("{}?limit=0", CONTRACT.paths.items))))?.validation("limit"),
    "items.limit-101" => |ctx| {
        let path = format!("{}?limit={}", CONTRACT.paths.items, CONTRACT.items.limit_max + 1);
        ctx.send(ctx.reader(get(&path)))?.validation("limit")
    },
    "items.offset-negative" => |ctx| ctx.send(ctx.reader(get(&format!("{}?offset=-1", CONTRACT.paths.items))))?.validation("offset"),
    "items.update" => |ctx| {
        let item = ctx.create_item("before")?;
        let body = json!({"name": "after", "description": "changed", "price_cents": 5});
        let answer = ctx.send(ctx.admin(Request::new("PUT", &item_path(&item))).json(&body))?;
        answer.status(200)?;
        let updated = answer.json()?;
        let ok = updated["id"] == item["id"] && updated["name"] == "after" && updated["description"] == "changed"
            && updated["price_cents"] == 5 && updated["created_at"] == item["created_at"];
        answer.check(ok, "the item with the new fields and the same id and created_at")
    },
    "items.update-invalid" => |ctx| {
        let item = ctx.create_item("stays valid")?;
        let body = json!({"name": "", "price_cents": 5});
        ctx.send(ctx.admin(Request::new("PUT", &item_path(&item))).json(&body))?.validation("name")
    },
    "items.delete" => |ctx| {
        let item = ctx.create_item("delete me")?;
        let answer = ctx.send(ctx.admin(Request::new("DELETE", &item_path(&item))))?;
        answer.status(204)?;
        answer.check(answer.response.body.is_empty(), "an empty body")?;
        ctx.send(ctx.reader(get(&item_path(&item))))?.problem(404).map(drop)
    },
    "items.read-missing" => |ctx| ctx.send(ctx.reader(get(&format!("{}{MISSING_ID}", CONTRACT.paths.items))))?.problem(404).map(drop),
    "items.update-missing" => |ctx| {
        let body = json!({"name": "ghost", "price_cents": 1});
        let path = format!("{}{MISSING_ID}", CONTRACT.paths.items);
        ctx.send(ctx.admin(Request::new("PUT", &path)).json(&body))?.problem(404).map(drop)
    },
    "items.delete-missing" => |ctx| {
        let path = format!("{}{MISSING_ID}", CONTRACT.paths.items);
        ctx.send(ctx.admin(Request::new("DELETE", &path)))?.problem(404).map(drop)
    },
}
