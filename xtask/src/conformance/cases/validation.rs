//! The `validation.` cases: the item input rules, each a 422 problem naming its field.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{Checked, Ctx, get, item_path};
use crate::conformance::http::Request;

cases! {
    "validation.missing-name" => |ctx| post_invalid(ctx, json!({"price_cents": 1}), "name"),
    "validation.missing-price" => |ctx| post_invalid(ctx, json!({"name": "x"}), "price_cents"),
    "validation.unknown-field" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": 1, "colour": "red"}), "colour"),
    // PostgreSQL text cannot hold U+0000: refused everywhere, so every database stores the same.
    "validation.nul-in-name" => |ctx| nul_refused(ctx, "name"),
    "validation.nul-in-description" => |ctx| nul_refused(ctx, "description"),
    "validation.empty-name" => |ctx| post_invalid(ctx, json!({"name": "", "price_cents": 1}), "name"),
    "validation.blank-name" => |ctx| post_invalid(ctx, json!({"name": "   \t ", "price_cents": 1}), "name"),
    "validation.long-name" => |ctx| {
        let name = "n".repeat(CONTRACT.items.name_max as usize + 1);
        post_invalid(ctx, json!({"name": name, "price_cents": 1}), "name")
    },
    "validation.long-description" => |ctx| {
        let description = "d".repeat(CONTRACT.items.description_max as usize + 1);
        post_invalid(ctx, json!({"name": "x", "description": description, "price_cents": 1}), "description")
    },
    "validation.negative-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": -1}), "price_cents"),
    "validation.price-too-high" => |ctx| {
        post_invalid(ctx, json!({"name": "x", "price_cents": CONTRACT.items.price_max + 1}), "price_cents")
    },
    "validation.fractional-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": 12.5}), "price_cents"),
    "validation.string-price" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": "12"}), "price_cents"),
    "validation.boundaries-accepted" => |ctx| {
        let body = json!({
            "name": "n".repeat(CONTRACT.items.name_max as usize),
            "description": "d".repeat(CONTRACT.items.description_max as usize),
            "price_cents": CONTRACT.items.price_max,
        });
        ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?.status(201)
    },
}

fn post_invalid(ctx: &Ctx<'_>, body: serde_json::Value, field: &str) -> Checked {
    ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?.validation(field)
}

/// A NUL in `field` is a 422 naming it, on create and on replace, and nothing is stored.
fn nul_refused(ctx: &Ctx<'_>, field: &str) -> Checked {
    let item = ctx.create_item("before the NUL")?;
    let mut body = json!({"name": "a NUL", "description": "text", "price_cents": 1});
    body[field] = json!("a\u{0}b");
    post_invalid(ctx, body.clone(), field)?;
    ctx.send(ctx.admin(Request::new("PUT", &item_path(&item))).json(&body))?.validation(field)?;
    let answer = ctx.send(ctx.reader(get(&item_path(&item))))?;
    answer.status(200)?;
    answer.check(answer.json()? == item, format!("the item unchanged after the refused PUT: {item}"))
}
