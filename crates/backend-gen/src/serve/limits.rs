//! What one client, and all of them together, may ask of the server: generations per client and
//! minute, generations at once, time per generation, and the size of a request.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::problem::Problem;

/// How many previews a client may ask for per archive it may download.
const PREVIEWS_PER_ARCHIVE: NonZeroU32 = NonZeroU32::new(10).unwrap();

/// What a request costs.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Archive,
    Preview,
}

/// The limits, set by `serve`'s flags (tests set their own).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Archives per client address and minute; previews (a plan in memory, asked for on every
    /// change the page sees) may be ten times as many.
    pub per_client_per_minute: NonZeroU32,
    /// Archives being made at once; more wait up to `queue_wait`, then get 503.
    pub concurrent: usize,
    pub queue_wait: Duration,
    /// Time for one archive, its lockfile command included.
    pub generation_time: Duration,
    /// The longest query string read; a longer one is 414.
    pub max_query_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_client_per_minute: NonZeroU32::new(60).unwrap_or(NonZeroU32::MIN),
            // Each archive runs the stack's lockfile tool: more at once than cores only queues.
            concurrent: std::thread::available_parallelism().map_or(2, usize::from),
            queue_wait: Duration::from_secs(10),
            // Above the lockfile commands' own limits, so a slow registry ends in their message.
            generation_time: Duration::from_secs(150),
            max_query_bytes: 4096,
        }
    }
}

/// The limits with their running state, shared by every request.
#[derive(Debug)]
pub struct Gate {
    pub limits: Limits,
    archives: DefaultKeyedRateLimiter<IpAddr>,
    previews: DefaultKeyedRateLimiter<IpAddr>,
    slots: Arc<Semaphore>,
}

impl Gate {
    pub fn new(limits: Limits) -> Self {
        let per_minute = limits.per_client_per_minute;
        let archives = RateLimiter::keyed(Quota::per_minute(per_minute));
        let previews = RateLimiter::keyed(Quota::per_minute(per_minute.saturating_mul(PREVIEWS_PER_ARCHIVE)));
        let slots = Arc::new(Semaphore::new(limits.concurrent.max(1)));
        Self { limits, archives, previews, slots }
    }

    /// Counts one request of `kind` against `client`; 429 with `Retry-After` past its quota.
    pub fn admit(&self, client: IpAddr, kind: Kind) -> Result<(), Problem> {
        let (limiter, what, per_minute) = match kind {
            Kind::Archive => (&self.archives, "archives", self.limits.per_client_per_minute),
            Kind::Preview => {
                (&self.previews, "previews", self.limits.per_client_per_minute.saturating_mul(PREVIEWS_PER_ARCHIVE))
            }
        };
        limiter.check_key(&client).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
            Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("more than {per_minute} {what} a minute from one address; wait {} s", wait.as_secs().max(1)),
            )
            .retry_after(wait.as_secs())
        })?;
        // Idle clients' state would otherwise grow with every address ever seen.
        limiter.retain_recent();
        Ok(())
    }

    /// A slot for one archive, waiting up to `queue_wait`; 503 with `Retry-After` when none frees up.
    pub async fn slot(&self) -> Result<OwnedSemaphorePermit, Problem> {
        let wait = self.limits.queue_wait;
        match tokio::time::timeout(wait, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{} archives are being made; try again in a few seconds", self.limits.concurrent),
            )
            .retry_after(wait.as_secs())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(concurrent: usize, per_minute: u32) -> Limits {
        Limits {
            per_client_per_minute: NonZeroU32::new(per_minute).expect("positive"),
            concurrent,
            queue_wait: Duration::from_millis(50),
            ..Limits::default()
        }
    }

    #[tokio::test]
    async fn an_archive_past_the_slots_waits_then_is_told_to_retry() {
        let gate = Gate::new(limits(1, 60));
        let held = gate.slot().await.expect("a free slot");
        let refused = gate.slot().await.expect_err("no slot while one is held");
        let response = axum::response::IntoResponse::into_response(refused);
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(response.headers().contains_key(axum::http::header::RETRY_AFTER));
        drop(held);
        assert!(gate.slot().await.is_ok(), "a freed slot is taken");
    }

    #[test]
    fn each_client_has_its_own_quota_and_previews_a_larger_one() {
        let gate = Gate::new(limits(1, 1));
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().expect("ip"), "10.0.0.2".parse().expect("ip"));
        assert!(gate.admit(a, Kind::Archive).is_ok());
        assert!(gate.admit(a, Kind::Archive).is_err(), "a's second archive within the minute");
        assert!(gate.admit(b, Kind::Archive).is_ok(), "b is not a");
        for _ in 0..10 {
            assert!(gate.admit(a, Kind::Preview).is_ok());
        }
        assert!(gate.admit(a, Kind::Preview).is_err(), "the eleventh preview");
    }
}
