//! The in-memory plan of a project: every file, the build model and the configuration. No I/O here.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::build::BuildModel;
use crate::contract::{self, EnvVar};
use crate::secret::Secret;

/// A relative, `/`-separated path that cannot leave the project folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RelPath(String);

/// A path a generator produced that would escape the target or is not portable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a safe relative path inside the project")]
pub struct UnsafePath(pub String);

impl RelPath {
    pub fn new(path: impl Into<String>) -> Result<Self, UnsafePath> {
        let path = path.into();
        let safe = !path.is_empty()
            && !path.starts_with('/')
            && !path.contains(['\\', '\0', ':'])
            && path.split('/').all(|segment| !matches!(segment, "" | "." | ".."));
        if safe { Ok(Self(path)) } else { Err(UnsafePath(path)) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Lets a plan be searched by `&str`; consistent with `Ord`, which compares the same string.
impl Borrow<str> for RelPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One file of the plan. Contents always use LF line endings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedFile {
    pub contents: String,
    pub executable: bool,
    /// Rendered from a handlebars template (so template syntax left in it would be a bug).
    #[serde(skip)]
    pub rendered: bool,
    /// Readable by its owner only (mode 0600): files that hold secrets.
    pub private: bool,
}

/// The project as it will be written: sorted, deterministic, complete.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProjectPlan {
    pub files: BTreeMap<RelPath, PlannedFile>,
    /// The build model the manifest was written from.
    pub build: BuildModel,
    pub environment: Vec<EnvVar>,
}

/// A plan that tried to hold two different files at one path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("two templates produce `{0}`")]
pub struct DuplicateFile(pub RelPath);

impl ProjectPlan {
    /// Adds a file, normalising line endings; a second file at the same path is a generator bug.
    pub fn add_file(
        &mut self,
        path: RelPath,
        contents: impl Into<String>,
        executable: bool,
    ) -> Result<(), DuplicateFile> {
        let contents = contents.into().replace("\r\n", "\n");
        if self.files.contains_key(&path) {
            return Err(DuplicateFile(path));
        }
        self.files.insert(path, PlannedFile { contents, executable, rendered: false, private: false });
        Ok(())
    }

    pub fn file(&self, path: &str) -> Option<&PlannedFile> {
        self.files.get(path)
    }

    /// Adds `.env.example` (placeholders only) and, given `secrets` for every secret variable, `.env`.
    /// `Registry::plan` refuses a plan whose `.gitignore` does not ignore `.env`.
    pub fn add_env_files(&mut self, secrets: Option<&BTreeMap<&'static str, Secret>>) -> Result<(), DuplicateFile> {
        let example = render_env(&self.environment, None);
        self.add_file(RelPath(".env.example".to_owned()), example, false)?;
        if let Some(secrets) = secrets {
            let env = render_env(&self.environment, Some(secrets));
            let path = RelPath(".env".to_owned());
            self.add_file(path.clone(), env, false)?;
            if let Some(file) = self.files.get_mut(&path) {
                file.private = true;
            }
        }
        Ok(())
    }

    /// Whether the project's top-level `.gitignore` ignores `.env`, so the first commit never holds a secret.
    pub fn ignores_env_file(&self) -> bool {
        self.file(".gitignore")
            .is_some_and(|f| f.contents.lines().map(str::trim).any(|line| matches!(line, ".env" | "/.env")))
    }

    /// The names of the variables that need a fresh secret in `.env`.
    pub fn secret_variables(&self) -> impl Iterator<Item = &'static str> + '_ {
        contract::secret_names(&self.environment)
    }
}

fn render_env(vars: &[EnvVar], secrets: Option<&BTreeMap<&'static str, Secret>>) -> String {
    let mut out = String::from(match secrets {
        Some(_) => "# Local settings with secrets generated for this project. Never commit this file.\n",
        None => "# Copy to `.env` and fill in; every variable can also come from the environment.\n",
    });
    for var in vars {
        out.push_str(&format!("\n# {}\n", var.description));
        let value = secrets.and_then(|s| s.get(var.name)).map_or(var.example.as_str(), Secret::expose);
        out.push_str(&format!("{}={}\n", var.name, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{CONTRACT, environment};

    #[test]
    fn rel_path_refuses_escapes() {
        for bad in ["", "/etc/passwd", "../x", "a/../../b", "a//b", "./a", "a\\b", "C:x", "a/."] {
            assert!(RelPath::new(bad).is_err(), "{bad:?}");
        }
        assert!(RelPath::new("src/app/main.py").is_ok());
        assert!(RelPath::new(".github/workflows/ci.yml").is_ok());
    }

    #[test]
    fn files_are_normalised_and_unique() {
        let mut plan = ProjectPlan::default();
        let path = RelPath::new("a.txt").expect("safe");
        plan.add_file(path.clone(), "x\r\ny\r\n", false).expect("first");
        assert_eq!(plan.file("a.txt").map(|f| f.contents.as_str()), Some("x\ny\n"));
        assert_eq!(plan.add_file(path.clone(), "z", false), Err(DuplicateFile(path)));
    }

    #[test]
    fn env_example_holds_placeholders_and_env_the_secret() {
        let mut plan = ProjectPlan { environment: environment(8000, "sqlite:///x.db", "demo"), ..Default::default() };
        let secret = Secret::generate().expect("rng");
        let secrets = plan.secret_variables().map(|v| (v, secret.clone())).collect();
        plan.add_env_files(Some(&secrets)).expect("env files");
        let example = &plan.file(".env.example").expect("example").contents;
        let env = &plan.file(".env").expect("env").contents;
        assert!(example.contains(&format!("JWT_SECRET={}\n", CONTRACT.jwt.secret_placeholder)));
        assert!(!example.contains(secret.expose()));
        assert!(env.contains(&format!("JWT_SECRET={}\n", secret.expose())));
        assert!(env.contains("PORT=8000\n"));
    }
}
