//! The cases: at least one per row of `CONTRACT.md`, each a function of the running service,
//! grouped by area. Each case sends its requests from its own loopback address, so the
//! per-client rate limit counts every case apart and the cases can run in any order.

use super::check::Case;

/// Declares an area's `CASES`, each an id and a closure over the case's `Ctx`.
macro_rules! cases {
    ($($id:literal => $run:expr,)*) => {
        /// This area's cases, in the order they run.
        pub const CASES: &[crate::conformance::check::Case] =
            &[$(crate::conformance::check::Case { id: $id, run: $run },)*];
    };
}

mod auth;
mod cors;
mod docs;
mod errors;
mod headers;
mod health;
mod items;
mod logs;
mod ratelimit;
mod routing;
mod startup;
mod validation;

/// Every area in the order it runs: the log cases after the request cases, so they see the whole
/// run; the start-up cases last, as they start instances of their own.
const AREAS: &[&[Case]] = &[
    health::CASES,
    items::CASES,
    auth::CASES,
    validation::CASES,
    errors::CASES,
    routing::CASES,
    headers::CASES,
    cors::CASES,
    ratelimit::CASES,
    docs::CASES,
    logs::CASES,
    startup::CASES,
];

/// Every case, in the order they run.
pub fn all() -> impl Iterator<Item = &'static Case> {
    AREAS.iter().flat_map(|area| area.iter())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_are_unique_and_every_area_is_named_by_its_cases() {
        let ids: std::collections::BTreeSet<_> = all().map(|c| c.id).collect();
        assert_eq!(ids.len(), all().count());
        let areas = [
            "health.",
            "items.",
            "auth.",
            "validation.",
            "errors.",
            "routing.",
            "headers.",
            "cors.",
            "ratelimit.",
            "docs.",
            "logs.",
            "startup.",
        ];
        for (area, cases) in areas.iter().zip(AREAS) {
            assert!(!cases.is_empty(), "no case for {area}");
            assert!(cases.iter().all(|c| c.id.starts_with(area)), "a case in the wrong module for {area}");
        }
    }
}
