//! The pinned versions of `generators/kotlin/versions/libs.versions.toml`, read for the build model.
//!
//! The pins live in a real Gradle version catalog so the usual dependency bots can update them;
//! `cargo xtask verify --stack kotlin` then proves the update still builds. Only what the Micronaut
//! platform does not manage is pinned; the generated catalog is written from the build model, not
//! copied from this file.

use std::collections::BTreeMap;

use backend_gen_core::GenerateError;
use include_dir::Dir;
use toml_edit::DocumentMut;

const PINS_FILE: &str = "versions/libs.versions.toml";

/// The catalog's `[versions]`, checked to hold every key the stack names.
#[derive(Debug, Clone)]
pub(crate) struct Pins {
    versions: BTreeMap<String, String>,
}

/// Every version key the Kotlin stack reads: a missing one is refused when the pins load.
pub(crate) const KEYS: &[&str] = &[
    "micronaut",
    "kotlin",
    "ksp",
    "micronaut-gradle",
    "shadow",
    "kover",
    "detekt",
    "ktlint-gradle",
    "bucket4j",
    "swagger-ui",
    "logstash-logback-encoder",
    "jacoco",
    "ktlint-maven",
    "detekt-maven",
    "gradle",
];

impl Pins {
    pub fn load(files: &Dir<'static>) -> Result<Self, GenerateError> {
        Self::parse(backend_gen_core::template::embedded_text(files, PINS_FILE)?)
    }

    fn parse(text: &str) -> Result<Self, GenerateError> {
        let bad = |message: String| GenerateError::Data { file: PINS_FILE.to_owned(), message };
        let doc: DocumentMut = text.parse().map_err(|e| bad(format!("{e}")))?;
        let table =
            doc.get("versions").and_then(|v| v.as_table()).ok_or_else(|| bad("no `[versions]` table".into()))?;
        let mut versions = BTreeMap::new();
        for (key, item) in table {
            let version = item.as_str().ok_or_else(|| bad(format!("`versions.{key}` must be a version string")))?;
            if version.is_empty() || !version.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-')) {
                return Err(bad(format!("`versions.{key}` must be one exact version, not `{version}`")));
            }
            versions.insert(key.to_owned(), version.to_owned());
        }
        if let Some(missing) = KEYS.iter().find(|key| !versions.contains_key(**key)) {
            return Err(bad(format!("`versions.{missing}` is missing")));
        }
        Ok(Self { versions })
    }

    /// The version of `key`, one of [`KEYS`] (checked at load).
    pub fn get(&self, key: &str) -> &str {
        self.versions.get(key).map_or("", String::as_str)
    }

    /// Every pinned version by key, for the templates (`versions.gradle`).
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.versions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_pins_load_and_refuse_ranges_and_gaps() {
        let pins = Pins::load(&crate::FILES).expect("the embedded pins load");
        assert_eq!(pins.get("micronaut"), "4.10.8");
        let ranged = "[versions]\nmicronaut = \"[4.10,5)\"\n";
        assert!(Pins::parse(ranged).expect_err("a range").to_string().contains("exact"));
        let partial = "[versions]\nmicronaut = \"4.10.8\"\n";
        assert!(Pins::parse(partial).expect_err("missing keys").to_string().contains("is missing"));
    }
}
