//! Features: optional parts of a project, with their requirements and conflicts, and their resolution.

use std::collections::BTreeSet;

use serde::Serialize;

/// An optional part of a generated project. A stack supports a feature by listing it in its `StackInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Feature {
    pub id: &'static str,
    pub summary: &'static str,
    /// Enabled unless the user opts out with `--no-default-features`.
    pub default: bool,
    /// Features this one needs; they are enabled along with it.
    pub requires: &'static [&'static str],
    /// Features that cannot be enabled together with this one.
    pub conflicts: &'static [&'static str],
}

/// Features every stack can offer; a stack opts in by listing them.
pub mod shared {
    use super::Feature;

    pub const DOCKER: Feature = Feature {
        id: "docker",
        summary: "Multi-stage Dockerfile running as a non-root user, with a health check",
        default: true,
        requires: &[],
        conflicts: &[],
    };
    pub const GITHUB_ACTIONS: Feature = Feature {
        id: "github-actions",
        summary: "GitHub Actions workflow: install, lint, type-check and test on every push",
        default: true,
        requires: &[],
        conflicts: &[],
    };
    pub const COMPOSE: Feature = Feature {
        id: "compose",
        summary: "docker-compose.yml running the service against PostgreSQL",
        default: false,
        requires: &["docker"],
        conflicts: &[],
    };
}

/// What the user asked for, before resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatureRequest {
    pub features: Vec<String>,
    pub default_features: bool,
}

/// Why a feature selection was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureError {
    #[error("unknown feature `{feature}` for stack `{stack}`; valid features: {valid}")]
    Unknown { feature: String, stack: String, valid: String },
    #[error(
        "feature `{feature}` is not supported by stack `{stack}` (supported by: {supported_by}); valid features for `{stack}`: {valid}"
    )]
    Unsupported { feature: String, stack: String, supported_by: String, valid: String },
    #[error("features `{a}` and `{b}` cannot be used together; drop one of them")]
    Conflict { a: &'static str, b: &'static str },
}

/// Resolves a request against the features of one stack: defaults, then the requested ones,
/// then everything they require (transitively); conflicts are refused.
///
/// `elsewhere` names the stacks that support a feature this stack lacks, for a better message.
pub fn resolve(
    stack: &str,
    available: &[Feature],
    request: &FeatureRequest,
    elsewhere: impl Fn(&str) -> Vec<&'static str>,
) -> Result<BTreeSet<&'static str>, FeatureError> {
    let find = |id: &str| available.iter().find(|f| f.id == id);
    let valid = || available.iter().map(|f| format!("`{}`", f.id)).collect::<Vec<_>>().join(", ");

    let mut pending: Vec<&'static str> = Vec::new();
    if request.default_features {
        pending.extend(available.iter().filter(|f| f.default).map(|f| f.id));
    }
    for id in &request.features {
        let Some(feature) = find(id) else {
            let supported_by = elsewhere(id);
            return Err(if supported_by.is_empty() {
                FeatureError::Unknown { feature: id.clone(), stack: stack.to_owned(), valid: valid() }
            } else {
                FeatureError::Unsupported {
                    feature: id.clone(),
                    stack: stack.to_owned(),
                    supported_by: supported_by.join(", "),
                    valid: valid(),
                }
            });
        };
        pending.push(feature.id);
    }

    let mut resolved = BTreeSet::new();
    while let Some(id) = pending.pop() {
        if resolved.insert(id) {
            // A stack that lists a feature must list what it requires; `registry` tests enforce it.
            pending.extend(find(id).map_or(&[][..], |f| f.requires));
        }
    }
    for id in &resolved {
        let conflicts = find(id).map_or(&[][..], |f| f.conflicts);
        if let Some(other) = conflicts.iter().find(|c| resolved.contains(*c)) {
            return Err(FeatureError::Conflict { a: id, b: other });
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Feature = Feature { id: "a", summary: "", default: true, requires: &[], conflicts: &[] };
    const B: Feature = Feature { id: "b", summary: "", default: false, requires: &["c"], conflicts: &[] };
    const C: Feature = Feature { id: "c", summary: "", default: false, requires: &[], conflicts: &["d"] };
    const D: Feature = Feature { id: "d", summary: "", default: false, requires: &[], conflicts: &[] };
    const ALL: &[Feature] = &[A, B, C, D];

    fn request(features: &[&str], default_features: bool) -> FeatureRequest {
        FeatureRequest { features: features.iter().map(|s| (*s).to_owned()).collect(), default_features }
    }

    fn nowhere(_: &str) -> Vec<&'static str> {
        Vec::new()
    }

    #[test]
    fn defaults_and_requirements_are_enabled() {
        let got = resolve("s", ALL, &request(&["b"], true), nowhere).expect("resolves");
        assert_eq!(got.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
        let got = resolve("s", ALL, &request(&[], false), nowhere).expect("resolves");
        assert!(got.is_empty());
    }

    #[test]
    fn conflicts_are_refused_even_when_pulled_in_by_a_requirement() {
        let err = resolve("s", ALL, &request(&["b", "d"], false), nowhere).expect_err("conflict");
        assert_eq!(err, FeatureError::Conflict { a: "c", b: "d" });
    }

    #[test]
    fn unknown_features_list_the_valid_ones() {
        let err = resolve("s", ALL, &request(&["zzz"], true), nowhere).expect_err("unknown");
        assert_eq!(err.to_string(), "unknown feature `zzz` for stack `s`; valid features: `a`, `b`, `c`, `d`");
    }

    #[test]
    fn features_of_other_stacks_say_where_they_live() {
        let err = resolve("s", ALL, &request(&["agent"], true), |_| vec!["python"]).expect_err("unsupported");
        assert!(matches!(err, FeatureError::Unsupported { ref supported_by, .. } if supported_by == "python"));
    }
}
