//! The `items.` cases: CRUD, pagination and its bounds, 404 for ids that do not exist, ids never
//! reused, one timestamp on creation, and writes racing a delete.

use std::net::Ipv4Addr;

use backend_gen_core::contract::CONTRACT;
use serde_json::json;

use crate::conformance::check::{Ctx, Failure, MISSING_ID, get, is_rfc3339, item_path};
use crate::conformance::http::Request;

/// Rounds of the race: one round rarely lines the requests up on two busy cores, ten did every time
/// against a service whose PUT read the row, then wrote it (500 in the first three rounds).
const RACE_ROUNDS: u8 = 10;
/// PUTs sent beside the DELETE in each round.
const RACING_PUTS: u8 = 5;

/// The race case's own source addresses (`127.2.round.n`, outside the `127.1.x.y` of the cases), one
/// request each, so the per-client rate limit never answers in place of the code under test.
fn racer<'a>(ctx: &Ctx<'a>, round: u8, n: u8) -> Ctx<'a> {
    Ctx { source: Ipv4Addr::new(127, 2, round, n), ..*ctx }
}

/// Several PUTs and a DELETE of one item at once: each answer is 200, 204 or 404, never 500, and the
/// item is gone afterwards.
fn writes_racing_a_delete(ctx: &Ctx<'_>) -> Result<(), Failure> {
    for round in 1..=RACE_ROUNDS {
        let item = racer(ctx, round, 0).create_item("raced")?;
        let path = item_path(&item);
        let body = json!({"name": "racing", "price_cents": 7});
        let answers = std::thread::scope(|scope| {
            let mut handles = Vec::new();
            for n in 1..=RACING_PUTS {
                let request = ctx.admin(Request::new("PUT", &path)).json(&body);
                let sender = racer(ctx, round, n);
                handles.push(scope.spawn(move || sender.send(request)));
            }
            let sender = racer(ctx, round, RACING_PUTS + 1);
            let request = ctx.admin(Request::new("DELETE", &path));
            handles.push(scope.spawn(move || sender.send(request)));
            handles.into_iter().map(|h| h.join().expect("a racing request panicked")).collect::<Vec<_>>()
        });
        for answer in answers {
            let answer = answer?;
            let expected = if answer.request.method == "DELETE" { [204, 404] } else { [200, 404] };
            answer.check(
                expected.contains(&answer.response.status),
                format!("status {} or {} while PUTs and a DELETE of one item race", expected[0], expected[1]),
            )?;
            if answer.response.status == 404 {
                answer.problem(404)?;
            }
        }
        racer(ctx, round, RACING_PUTS + 2).send(ctx.reader(get(&path)))?.problem(404)?;
    }
    Ok(())
}

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
    "items.ids-never-reused" => |ctx| {
        // Cases run one after the other, so the item made here is the newest: the highest id.
        let highest = ctx.create_item("highest so far")?;
        ctx.send(ctx.admin(Request::new("DELETE", &item_path(&highest))))?.status(204)?;
        let body = json!({"name": "after the delete", "price_cents": 1});
        let answer = ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        answer.status(201)?;
        let next = answer.json()?;
        let (Some(before), Some(after)) = (highest["id"].as_i64(), next["id"].as_i64()) else {
            return Err(answer.fail("integer ids"));
        };
        answer.check(after > before, format!("an id greater than {before}, the deleted highest id (ids are never reused)"))
    },
    "items.created-equals-updated" => |ctx| {
        let body = json!({"name": "fresh", "price_cents": 1});
        let answer = ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).json(&body))?;
        answer.status(201)?;
        let item = answer.json()?;
        answer.check(
            is_rfc3339(&item["created_at"]) && item["created_at"] == item["updated_at"],
            "`created_at` equal to `updated_at` on creation (one timestamp)",
        )
    },
    "items.writes-racing-a-delete" => writes_racing_a_delete,
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
