//! `cargo xtask new-generator NAME`: scaffolds a stack: its crate `crates/backend-gen-NAME`, its
//! template folder `generators/NAME/`, the fixture `fixtures/NAME-default.toml`, and the one
//! registration line (plus the dependency lines that make it reachable). Nothing else changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

#[derive(Debug, clap::Args)]
pub struct NewGenerator {
    /// The stack's id: lower-case letters and digits, words joined by `-` (`go`, `spring-boot`).
    name: String,
    /// Do not accept the new fixture's snapshot (`cargo test` then fails until it is accepted).
    #[arg(long)]
    no_snapshot: bool,
}

impl NewGenerator {
    pub fn run(self) -> Result<()> {
        let Self { name, no_snapshot } = self;
        let root = crate::workspace_root();
        let scaffold = Scaffold::plan(&root, &name)?;
        scaffold.write(&root)?;
        for (path, _) in &scaffold.files {
            println!("wrote   {}", path.display());
        }
        for (path, _) in &scaffold.edits {
            println!("changed {}", path.display());
        }
        if !no_snapshot {
            accept_new_snapshot(&root)?;
        }
        println!(
            "Next: fill in crates/backend-gen-{name}/src/lib.rs and generators/{name}/, then `cargo xtask verify --stack {name}`."
        );
        Ok(())
    }
}

/// What the scaffold writes: new files, and whole new contents of the files it edits.
#[derive(Debug)]
pub struct Scaffold {
    pub files: Vec<(PathBuf, String)>,
    pub edits: Vec<(PathBuf, String)>,
}

const CARGO_TOML: &str = include_str!("../scaffold/Cargo.toml.txt");
const BUILD_RS: &str = include_str!("../scaffold/build.rs.txt");
const LIB_RS: &str = include_str!("../scaffold/lib.rs.txt");
const README: &str = include_str!("../scaffold/README.md.hbs.txt");
const GITIGNORE: &str = include_str!("../scaffold/gitignore.txt");
const FIXTURE: &str = include_str!("../scaffold/fixture.toml.txt");

/// Where the registration line goes, and the marker the scaffold keeps on every line it adds.
const REGISTRY: &str = "crates/backend-gen/src/registry.rs";
const STACKS_START: &str = "const STACKS: &[&'static dyn Generator] = &[";

impl Scaffold {
    /// Computes the scaffold of stack `id` in the workspace at `root`, reading (never writing) the
    /// files it edits. Refuses an id that is not a plain lower-case name or that exists already.
    pub fn plan(root: &Path, id: &str) -> Result<Self> {
        let plain =
            id.split('-').all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
                && id.starts_with(|c: char| c.is_ascii_lowercase());
        ensure!(plain, "`{id}` is not a stack id; use lower-case words joined by `-`, for example `spring-boot`");
        let krate = format!("backend-gen-{id}");
        ensure!(!root.join("crates").join(&krate).exists(), "`crates/{krate}` exists already");
        ensure!(!root.join("generators").join(id).exists(), "`generators/{id}` exists already");

        let snake = id.replace('-', "_");
        let pascal: String = id
            .split('-')
            .map(|w| w.chars().next().map(|c| c.to_ascii_uppercase().to_string() + &w[1..]).unwrap_or_default())
            .collect();
        let fill = |text: &str| text.replace("@id@", id).replace("@Pascal@", &pascal);
        let files = vec![
            (PathBuf::from(format!("crates/{krate}/Cargo.toml")), fill(CARGO_TOML)),
            (PathBuf::from(format!("crates/{krate}/build.rs")), fill(BUILD_RS)),
            (PathBuf::from(format!("crates/{krate}/src/lib.rs")), fill(LIB_RS)),
            (PathBuf::from(format!("generators/{id}/base/README.md.hbs")), fill(README)),
            (PathBuf::from(format!("generators/{id}/base/dot.gitignore")), fill(GITIGNORE)),
            (PathBuf::from(format!("fixtures/{id}-default.toml")), fill(FIXTURE)),
        ];

        let read = |path: &str| std::fs::read_to_string(root.join(path)).with_context(|| format!("reading `{path}`"));
        let workspace = insert_after_last(
            &read("Cargo.toml")?,
            "backend-gen-",
            &format!("{krate} = {{ path = \"crates/{krate}\" }}"),
        )?;
        let binary = insert_after_last(
            &read("crates/backend-gen/Cargo.toml")?,
            "backend-gen-",
            &format!("{krate}.workspace = true"),
        )?;
        let registry =
            register(&read(REGISTRY)?, &format!("    &backend_gen_{snake}::{pascal}Generator, // stack: {id}"))?;
        let edits = vec![
            (PathBuf::from("Cargo.toml"), workspace),
            (PathBuf::from("crates/backend-gen/Cargo.toml"), binary),
            (PathBuf::from(REGISTRY), registry),
        ];
        Ok(Self { files, edits })
    }

    pub fn write(&self, root: &Path) -> Result<()> {
        for (path, text) in self.files.iter().chain(&self.edits) {
            let full = root.join(path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&full, text).with_context(|| format!("writing `{}`", full.display()))?;
        }
        Ok(())
    }
}

/// `text` with `line` added after its last line that starts with `prefix`, and checked to stay TOML.
fn insert_after_last(text: &str, prefix: &str, line: &str) -> Result<String> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(last) = lines.iter().rposition(|l| l.starts_with(prefix)) else {
        bail!("no line starting with `{prefix}` to add `{line}` after");
    };
    let mut out: Vec<&str> = lines[..=last].to_vec();
    out.push(line);
    out.extend(&lines[last + 1..]);
    let out = out.join("\n") + "\n";
    out.parse::<toml_edit::DocumentMut>().with_context(|| format!("adding `{line}`"))?;
    Ok(out)
}

/// The registry with `line` as the last entry of `STACKS`.
fn register(text: &str, line: &str) -> Result<String> {
    let start = text.find(STACKS_START).with_context(|| format!("`{REGISTRY}` has no `{STACKS_START}`"))?;
    let end = start + text[start..].find("\n];").with_context(|| format!("`{REGISTRY}`: `STACKS` is not closed"))?;
    Ok(format!("{}\n{line}{}", &text[..end], &text[end..]))
}

/// Writes the new fixture's snapshot, leaving changed ones alone (insta's `unseen` mode).
fn accept_new_snapshot(root: &Path) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["test", "--quiet", "--package", "backend-gen", "--test", "snapshots"])
        .env("INSTA_UPDATE", "unseen")
        .current_dir(root)
        .status()?;
    ensure!(status.success(), "the snapshot test failed; run it and review the output");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_touches_one_crate_one_folder_one_fixture_and_the_registration() {
        let root = crate::workspace_root();
        let scaffold = Scaffold::plan(&root, "spring-boot").expect("plans");
        for (path, _) in &scaffold.files {
            let path = path.to_string_lossy();
            let allowed =
                ["crates/backend-gen-spring-boot/", "generators/spring-boot/", "fixtures/spring-boot-default.toml"];
            assert!(allowed.iter().any(|a| path.starts_with(a)), "{path}");
        }
        let edited: Vec<_> = scaffold.edits.iter().map(|(p, _)| p.to_string_lossy().into_owned()).collect();
        assert_eq!(edited, ["Cargo.toml", "crates/backend-gen/Cargo.toml", REGISTRY]);
        let registry = &scaffold.edits[2].1;
        assert!(
            registry.contains("    &backend_gen_spring_boot::SpringBootGenerator, // stack: spring-boot\n];"),
            "{registry}"
        );
        let lib = &scaffold.files[2].1;
        assert!(lib.contains("pub struct SpringBootGenerator;") && lib.contains("id: \"spring-boot\","));
        assert!(!scaffold.files.iter().any(|(_, text)| text.contains('@')), "every placeholder filled");
        let workspace: toml_edit::DocumentMut = scaffold.edits[0].1.parse().expect("TOML");
        assert_eq!(
            workspace["workspace"]["dependencies"]["backend-gen-spring-boot"]["path"].as_str(),
            Some("crates/backend-gen-spring-boot")
        );
    }

    #[test]
    fn refuses_ids_that_are_not_plain_or_exist() {
        let root = crate::workspace_root();
        for bad in ["Go", "go_lang", "-go", "go-", "2go", "python"] {
            assert!(Scaffold::plan(&root, bad).is_err(), "{bad}");
        }
    }

    /// The whole promise, on a copy of the workspace: after the scaffold, `cargo test --workspace`
    /// passes, `backend-gen list` shows the stack, and git sees nothing changed outside the places
    /// the scaffold owns. Builds a second copy of the workspace crates (a few minutes on two cores),
    /// so `cargo xtask ci` runs it explicitly.
    #[test]
    #[ignore = "builds a copy of the workspace; `cargo xtask ci` runs it"]
    fn scaffolded_stack_builds_tests_and_lists_in_a_copy_of_the_workspace() {
        let root = crate::workspace_root();
        let copy = tempfile::tempdir().expect("tempdir");
        let git = |dir: &Path, args: &[&str]| {
            let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
            assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        for file in git(&root, &["ls-files", "--cached", "--others", "--exclude-standard"]).lines() {
            let (from, to) = (root.join(file), copy.path().join(file));
            if from.is_file() {
                std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
                std::fs::copy(&from, &to).expect("copy");
            }
        }
        git(copy.path(), &["init", "--quiet"]);
        git(copy.path(), &["add", "--all"]);
        git(copy.path(), &["-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "copy"]);

        let scaffold = Scaffold::plan(copy.path(), "demo-stack").expect("plans");
        scaffold.write(copy.path()).expect("writes");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        // The main workspace's target folder: dependencies are built already, only our crates compile.
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
        let cargo_in_copy = |args: &[&str], env: &[(&str, &str)]| {
            let out = Command::new(&cargo)
                .args(args)
                .envs(env.iter().copied())
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(copy.path())
                .output()
                .expect("cargo runs");
            let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "cargo {args:?}:\n{log}");
            log
        };
        cargo_in_copy(&["test", "--package", "backend-gen", "--test", "snapshots"], &[("INSTA_UPDATE", "unseen")]);
        cargo_in_copy(&["test", "--workspace", "--exclude", "xtask"], &[("INSTA_UPDATE", "no")]);
        let listing = cargo_in_copy(&["run", "--quiet", "--package", "backend-gen", "--", "list"], &[]);
        assert!(listing.lines().any(|l| l.starts_with("demo-stack ")), "{listing}");

        let status = git(copy.path(), &["status", "--porcelain", "--untracked-files=all"]);
        for line in status.lines() {
            let path = &line[3..];
            let owned =
                ["crates/backend-gen-demo-stack/", "generators/demo-stack/", "fixtures/demo-stack-default.toml"]
                    .iter()
                    .any(|p| path.starts_with(p))
                    || [
                        "Cargo.toml",
                        "Cargo.lock",
                        "crates/backend-gen/Cargo.toml",
                        REGISTRY,
                        "crates/backend-gen/tests/snapshots/demo-stack-default.snap",
                    ]
                    .contains(&path);
            assert!(owned, "the scaffold changed `{path}`:\n{status}");
        }
    }
}
