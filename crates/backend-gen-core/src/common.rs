//! `generators/common/`: what every stack's templates share: partials (`partials/`), the pinned
//! GitHub Actions of the generated CI workflows (`actions.toml`), and the templates every project
//! gets whatever its stack (`templates/`, laid out like a stack's folder: `base/`,
//! `options/<key>/<value>/`, `features/<id>/`).

use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};
use serde::{Deserialize, Serialize};

use crate::error::GenerateError;

pub(crate) static COMMON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../../generators/common");

const ACTIONS: &str = "actions.toml";

/// The folder of `generators/common/` with the templates every stack's projects get.
pub(crate) const TEMPLATES: &str = "templates";

/// A GitHub Action pinned to a commit, with the release that commit is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPin {
    pub repository: String,
    /// A full 40-character commit id: tags can move, commits cannot.
    pub sha: String,
    pub version: String,
}

/// The actions of `actions.toml`, by key (`checkout`, `setup_uv`), checked to be pinned to commits.
pub fn actions() -> Result<BTreeMap<String, ActionPin>, GenerateError> {
    let bad = |message: String| GenerateError::Data { file: format!("generators/common/{ACTIONS}"), message };
    let text = COMMON.get_file(ACTIONS).and_then(|f| f.contents_utf8()).ok_or_else(|| bad("missing".into()))?;
    let actions: BTreeMap<String, ActionPin> = toml_edit::de::from_str(text).map_err(|e| bad(e.to_string()))?;
    for (key, pin) in &actions {
        if pin.sha.len() != 40 || !pin.sha.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad(format!("`{key}` is not pinned to a full commit id")));
        }
    }
    Ok(actions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_pinned_to_a_commit() {
        let actions = actions().expect("valid");
        assert!(actions.contains_key("checkout"), "{actions:?}");
    }
}
