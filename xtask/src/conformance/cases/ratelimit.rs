//! The `ratelimit.` cases: the limit headers, on a 413 answered from `Content-Length` too, then 429
//! with `Retry-After` once the limit is reached.

use backend_gen_core::contract::CONTRACT;

use crate::conformance::check::get;
use crate::conformance::http::Request;

/// How close to its end a rate-limit window may be when `ratelimit.exceeded` starts its burst.
const WINDOW_END_MARGIN_SECONDS: u64 = 5;

cases! {
    "ratelimit.headers" => |ctx| {
        let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        answer.status(200)?;
        answer.header("ratelimit-limit", &ctx.config.rate_limit_per_minute.to_string())?;
        answer.has_header("ratelimit-remaining")?;
        answer.has_header("ratelimit-reset")
    },
    // A body refused by its declared length alone is still an API answer: it counts, and says so.
    "ratelimit.body-too-large" => |ctx| {
        let body = vec![b'x'; ctx.config.max_body_bytes + 1];
        let answer = ctx.send(ctx.admin(Request::new("POST", CONTRACT.paths.items)).raw_body("application/json", body))?;
        answer.problem(413)?;
        answer.header("ratelimit-limit", &ctx.config.rate_limit_per_minute.to_string())?;
        answer.header("ratelimit-remaining", &(ctx.config.rate_limit_per_minute - 1).to_string())?;
        answer.has_header("ratelimit-reset")
    },
    "ratelimit.exceeded" => |ctx| {
        // The window is fixed: one that ends during the burst starts the count again, and the
        // request past the limit gets 200. So when `RateLimit-Reset` says the window ends within
        // the margin, the burst waits for the next window and starts it.
        let probe = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        probe.status(200)?;
        let reset = probe.response.header("ratelimit-reset").and_then(|v| v.parse::<u64>().ok());
        let mut sent = 1;
        if let Some(seconds) = reset.filter(|&s| s <= WINDOW_END_MARGIN_SECONDS) {
            std::thread::sleep(std::time::Duration::from_secs(seconds + 1));
            sent = 0;
        }
        for _ in sent..ctx.config.rate_limit_per_minute {
            let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
            answer.check(answer.response.status != 429, format!("no 429 within the first {} requests", ctx.config.rate_limit_per_minute))?;
        }
        let answer = ctx.send(ctx.reader(get(CONTRACT.paths.items)))?;
        answer.problem(429)?;
        let retry_after = answer.response.header("retry-after").and_then(|v| v.parse::<u64>().ok());
        answer.check(retry_after.is_some_and(|s| s > 0 && s <= 60), "`Retry-After` in seconds (1..60)")?;
        answer.header("ratelimit-remaining", "0")?;
        answer.has_header("ratelimit-limit")
    },
}
