//! The `validation.` cases: the item input rules, each a 422 problem naming its field.

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{Checked, Ctx};
use crate::conformance::http::Request;

cases! {
    "validation.missing-name" => |ctx| post_invalid(ctx, json!({"price_cents": 1}), "name"),
    "validation.missing-price" => |ctx| post_invalid(ctx, json!({"name": "x"}), "price_cents"),
    "validation.unknown-field" => |ctx| post_invalid(ctx, json!({"name": "x", "price_cents": 1, "colour": "red"}), "colour"),
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
