//! Features: optional parts of a project, with their requirements, conflicts and one-of groups; their
//! resolution into the set a project gets; and what each contributes to the plan.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

use crate::builder::PlanBuilder;
use crate::error::GenerateError;
use crate::spec::ProjectSpec;
use crate::suggest::{backticked, did_you_mean};

/// What a feature adds to the plan beyond its template folder `features/<id>/`, which every stack's
/// folder may hold and the core adds by itself. Pure: it changes the builder, never the disk.
pub type Contribution = fn(&ProjectSpec, &mut PlanBuilder) -> Result<(), GenerateError>;

/// An optional part of a generated project. A stack supports a feature by listing it in its `StackInfo`.
#[derive(Clone, Copy, Serialize)]
pub struct Feature {
    pub id: &'static str,
    pub summary: &'static str,
    /// The one-of group this feature belongs to (`database`, `build`): exactly one member is chosen.
    pub group: Option<&'static str>,
    /// Enabled unless the user opts out with `--no-default-features`, or chose a feature this one
    /// conflicts with (a default never overrules an explicit choice).
    pub default: bool,
    /// Features this one needs; they are enabled along with it.
    pub requires: &'static [&'static str],
    /// Features that cannot be enabled together with this one.
    pub conflicts: &'static [&'static str],
    /// Its contributions to the plan, applied in order after the stack's own.
    #[serde(skip)]
    pub apply: &'static [Contribution],
}

impl Feature {
    /// A feature with no requirements, conflicts, group or contribution: start from it with `..`.
    pub const fn new(id: &'static str, summary: &'static str) -> Self {
        Self { id, summary, group: None, default: false, requires: &[], conflicts: &[], apply: &[] }
    }
}

impl fmt::Debug for Feature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Feature")
            .field("id", &self.id)
            .field("group", &self.group)
            .field("default", &self.default)
            .field("requires", &self.requires)
            .field("conflicts", &self.conflicts)
            .field("contributions", &self.apply.len())
            .finish()
    }
}

/// A set of features of which a project has exactly one (after micronaut-starter's one-of features).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeatureGroup {
    pub id: &'static str,
    pub summary: &'static str,
    /// The member a project gets when it chose none: a default that depends on what else was chosen.
    pub default: &'static str,
}

/// Features every stack can offer; a stack opts in by listing them, and may add its own contributions
/// with `Feature { apply: &[...], ..shared::COMPOSE }`.
pub mod shared {
    use super::Feature;
    use crate::builder::PlanBuilder;
    use crate::contract;
    use crate::error::GenerateError;
    use crate::spec::ProjectSpec;

    pub const DOCKER: Feature = Feature {
        default: true,
        ..Feature::new("docker", "Multi-stage Dockerfile running as a non-root user, with a health check")
    };
    pub const GITHUB_ACTIONS: Feature = Feature {
        default: true,
        ..Feature::new("github-actions", "GitHub Actions workflow: install, lint, type-check and test on every push")
    };
    pub const COMPOSE: Feature = Feature {
        requires: &["docker"],
        apply: &[compose_database_password],
        ..Feature::new("compose", "docker-compose.yml running the service against PostgreSQL")
    };

    /// Compose's PostgreSQL gets a password generated per project, like every secret.
    pub fn compose_database_password(_: &ProjectSpec, plan: &mut PlanBuilder) -> Result<(), GenerateError> {
        plan.add_env(contract::compose_database_password());
        Ok(())
    }
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
    #[error("unknown feature `{feature}` for stack `{stack}`{hint}; valid features: {valid}")]
    Unknown { feature: String, stack: String, hint: String, valid: String },
    #[error(
        "feature `{feature}` is not supported by stack `{stack}` (supported by: {supported_by}); valid features for `{stack}`: {valid}"
    )]
    Unsupported { feature: String, stack: String, supported_by: String, valid: String },
    #[error("features `{a}` and `{b}` cannot be used together; drop one of them")]
    Conflict { a: &'static str, b: &'static str },
    #[error("the stack names the feature `{id}` without listing it (a bug in backend-gen; please report it)")]
    Unlisted { id: &'static str },
    #[error("the `{group}` group takes one feature, but {chosen} were chosen; keep one of them")]
    GroupConflict { group: &'static str, chosen: String },
}

/// Resolves a request against the features of one stack:
/// 1. the requested features and, transitively, what they require;
/// 2. the defaults (unless `--no-default-features`), except those that conflict with step 1 or fall
///    in a group step 1 already filled;
/// 3. each group left empty gets its default member;
/// 4. conflicts and groups with two members are refused, naming them.
///
/// `elsewhere` names the stacks that support a feature this stack lacks, for a better message.
/// The stack's data is assumed valid (`validate` at registration): every id it names is listed.
pub fn resolve(
    stack: &str,
    available: &[Feature],
    groups: &[FeatureGroup],
    request: &FeatureRequest,
    elsewhere: impl Fn(&str) -> Vec<&'static str>,
) -> Result<BTreeSet<&'static str>, FeatureError> {
    let find = |id: &str| available.iter().find(|f| f.id == id);
    let mut chosen = BTreeSet::new();
    for id in &request.features {
        let Some(feature) = find(id) else {
            return Err(unknown_feature(stack, available, id, elsewhere(id)));
        };
        with_requirements(feature.id, &find, &mut chosen)?;
    }

    let mut resolved = chosen.clone();
    if request.default_features {
        for feature in available.iter().filter(|f| f.default) {
            let mut candidate = BTreeSet::new();
            with_requirements(feature.id, &find, &mut candidate)?;
            let clashes = candidate.iter().any(|id| {
                let f = find(id);
                let conflicting = f.is_some_and(|f| f.conflicts.iter().any(|c| chosen.contains(c)))
                    || chosen.iter().any(|c| find(c).is_some_and(|c| c.conflicts.contains(id)));
                let group_taken = f
                    .and_then(|f| f.group)
                    .is_some_and(|g| chosen.iter().any(|c| *c != *id && find(c).and_then(|c| c.group) == Some(g)));
                conflicting || group_taken
            });
            if !clashes {
                resolved.extend(candidate);
            }
        }
    }
    for group in groups {
        let filled = resolved.iter().any(|id| find(id).and_then(|f| f.group) == Some(group.id));
        if !filled {
            with_requirements(group.default, &find, &mut resolved)?;
        }
    }

    for id in &resolved {
        let conflicts = find(id).map_or(&[][..], |f| f.conflicts);
        if let Some(other) = conflicts.iter().find(|c| resolved.contains(*c)) {
            return Err(FeatureError::Conflict { a: id, b: other });
        }
    }
    for group in groups {
        let members: Vec<_> = resolved.iter().filter(|id| find(id).and_then(|f| f.group) == Some(group.id)).collect();
        if members.len() > 1 {
            return Err(FeatureError::GroupConflict { group: group.id, chosen: backticked(members) });
        }
    }
    Ok(resolved)
}

/// Adds `id` and everything it requires, transitively; an id the stack does not list is refused,
/// never inserted (it would render nothing and write an answers file that cannot be read back).
fn with_requirements<'f>(
    id: &'static str,
    find: &impl Fn(&str) -> Option<&'f Feature>,
    into: &mut BTreeSet<&'static str>,
) -> Result<(), FeatureError> {
    let mut pending = vec![id];
    while let Some(id) = pending.pop() {
        let feature = find(id).ok_or(FeatureError::Unlisted { id })?;
        if into.insert(feature.id) {
            pending.extend(feature.requires);
        }
    }
    Ok(())
}

fn unknown_feature(stack: &str, available: &[Feature], id: &str, supported_by: Vec<&'static str>) -> FeatureError {
    let valid = backticked(available.iter().map(|f| f.id));
    if supported_by.is_empty() {
        let hint = did_you_mean(id, available.iter().map(|f| f.id));
        FeatureError::Unknown { feature: id.to_owned(), stack: stack.to_owned(), hint, valid }
    } else {
        FeatureError::Unsupported {
            feature: id.to_owned(),
            stack: stack.to_owned(),
            supported_by: supported_by.join(", "),
            valid,
        }
    }
}

/// Checks a stack's feature data, once, when the stack is registered: ids unique, and every id named
/// by `requires`, `conflicts`, a feature's group or a group's default listed. Returns what is wrong.
pub fn validate(available: &[Feature], groups: &[FeatureGroup]) -> Vec<String> {
    let listed = |id: &str| available.iter().any(|f| f.id == id);
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for feature in available {
        if !seen.insert(feature.id) {
            problems.push(format!("feature `{}` is listed twice", feature.id));
        }
        for id in feature.requires.iter().chain(feature.conflicts) {
            if !listed(id) {
                problems.push(format!("feature `{}` names `{id}`, which the stack does not list", feature.id));
            }
        }
        if let Some(group) = feature.group
            && !groups.iter().any(|g| g.id == group)
        {
            problems.push(format!("feature `{}` is in the unlisted group `{group}`", feature.id));
        }
    }
    for group in groups {
        let default = available.iter().find(|f| f.id == group.default);
        if default.is_none_or(|f| f.group != Some(group.id)) {
            problems.push(format!(
                "group `{}` has the default `{}`, which is not one of its members",
                group.id, group.default
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Feature = Feature { default: true, ..Feature::new("a", "") };
    const B: Feature = Feature { requires: &["c"], ..Feature::new("b", "") };
    const C: Feature = Feature { conflicts: &["d"], ..Feature::new("c", "") };
    const D: Feature = Feature::new("d", "");
    const CI: Feature = Feature { default: true, conflicts: &["gitlab"], ..Feature::new("github", "") };
    const GITLAB: Feature = Feature::new("gitlab", "");
    const SQLITE: Feature = Feature { group: Some("database"), ..Feature::new("sqlite", "") };
    const POSTGRES: Feature = Feature { group: Some("database"), ..Feature::new("postgres", "") };
    const ALL: &[Feature] = &[A, B, C, D, CI, GITLAB, SQLITE, POSTGRES];
    const GROUPS: &[FeatureGroup] = &[FeatureGroup { id: "database", summary: "", default: "sqlite" }];

    fn request(features: &[&str], default_features: bool) -> FeatureRequest {
        FeatureRequest { features: features.iter().map(|s| (*s).to_owned()).collect(), default_features }
    }

    fn nowhere(_: &str) -> Vec<&'static str> {
        Vec::new()
    }

    fn resolved(features: &[&str], default_features: bool) -> Vec<&'static str> {
        resolve("s", ALL, GROUPS, &request(features, default_features), nowhere)
            .expect("resolves")
            .into_iter()
            .collect()
    }

    #[test]
    fn defaults_requirements_and_group_defaults_are_enabled() {
        assert_eq!(resolved(&["b"], true), ["a", "b", "c", "github", "sqlite"]);
        assert_eq!(resolved(&[], false), ["sqlite"], "a group is never left empty");
    }

    #[test]
    fn a_default_never_overrules_an_explicit_choice() {
        assert_eq!(resolved(&["gitlab"], true), ["a", "gitlab", "sqlite"]);
        assert_eq!(resolved(&["postgres"], true), ["a", "github", "postgres"]);
    }

    #[test]
    fn two_members_of_a_group_are_refused_naming_the_group() {
        let err = resolve("s", ALL, GROUPS, &request(&["sqlite", "postgres"], true), nowhere).expect_err("group");
        assert_eq!(
            err.to_string(),
            "the `database` group takes one feature, but `postgres`, `sqlite` were chosen; keep one of them"
        );
    }

    #[test]
    fn conflicts_are_refused_even_when_pulled_in_by_a_requirement() {
        let err = resolve("s", ALL, GROUPS, &request(&["b", "d"], false), nowhere).expect_err("conflict");
        assert_eq!(err, FeatureError::Conflict { a: "c", b: "d" });
    }

    #[test]
    fn unknown_features_suggest_and_list_the_valid_ones() {
        let err = resolve("s", ALL, GROUPS, &request(&["postgress"], true), nowhere).expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown feature `postgress` for stack `s` (did you mean `postgres`?); valid features: \
             `a`, `b`, `c`, `d`, `github`, `gitlab`, `sqlite`, `postgres`"
        );
    }

    #[test]
    fn features_of_other_stacks_say_where_they_live() {
        let err = resolve("s", ALL, GROUPS, &request(&["agent"], true), |_| vec!["python"]).expect_err("unsupported");
        assert!(matches!(err, FeatureError::Unsupported { ref supported_by, .. } if supported_by == "python"));
    }

    #[test]
    fn stack_data_names_only_listed_ids() {
        assert!(validate(ALL, GROUPS).is_empty(), "{:?}", validate(ALL, GROUPS));
        // A stack that lists `compose` but not the `docker` it requires.
        let problems = validate(&[shared::COMPOSE, A, A], &[FeatureGroup { id: "g", summary: "", default: "a" }]);
        assert_eq!(
            problems,
            [
                "feature `compose` names `docker`, which the stack does not list",
                "feature `a` is listed twice",
                "group `g` has the default `a`, which is not one of its members",
            ]
        );
        let err = resolve("s", &[shared::COMPOSE], &[], &request(&["compose"], false), nowhere).expect_err("unlisted");
        assert_eq!(err, FeatureError::Unlisted { id: "docker" });
        let orphan = Feature { group: Some("nope"), ..D };
        assert_eq!(validate(&[orphan], &[]), ["feature `d` is in the unlisted group `nope`"]);
    }
}
