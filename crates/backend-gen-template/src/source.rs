//! Where a template comes from: a local folder, or a local git repository whose commit is read with
//! git2 (so the answers file can name it). Either is copied into a folder of ours before rendering,
//! so cargo-generate never reads the user's folder and we may adjust the copy's configuration.

use std::fs;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Repository, TreeWalkMode, TreeWalkResult};

use crate::error::{TemplateError, io_error};

/// A template copied into our folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The template's folder, absolute and canonical: what the answers file records.
    pub source: PathBuf,
    /// The commit whose tree was copied, for a git repository.
    pub commit: Option<String>,
    /// A git repository whose work tree differs from that commit (those changes are not used).
    pub dirty: bool,
    /// Symbolic links and submodules, which are not copied (as cargo-generate skips symbolic links).
    pub skipped: Vec<String>,
}

/// Whether `given` names a remote template: a URL (`https://…`, `ssh://…`, `file://…`), an scp-like
/// git address (`git@host:path`), or one of cargo-generate's host abbreviations (`gh:owner/repo`).
pub fn is_remote(given: &str) -> bool {
    let scp_like = given.split_once(':').is_some_and(|(host, _)| host.contains('@') && !host.contains('/'));
    let abbreviation = ["gh:", "gl:", "bb:", "sr:"].iter().any(|p| given.starts_with(p));
    given.contains("://") || scp_like || abbreviation
}

/// The URL `git clone` takes for a remote template (cargo-generate's abbreviations expanded).
pub fn clone_url(given: &str) -> String {
    let hosts = [
        ("gh:", "https://github.com/"),
        ("gl:", "https://gitlab.com/"),
        ("bb:", "https://bitbucket.org/"),
        ("sr:", "https://git.sr.ht/~"),
    ];
    hosts
        .iter()
        .find_map(|(prefix, host)| given.strip_prefix(prefix).map(|rest| format!("{host}{rest}")))
        .unwrap_or_else(|| given.to_owned())
}

/// Copies the template at `path` into `into` (created here): for the top of a git work tree (or a
/// bare repository), the tree of `commit` or of `HEAD`; for any other folder, its files, without
/// `.git`. Symbolic links are skipped: followed, they could copy files from outside the template.
pub fn export(path: &Path, commit: Option<&str>, into: &Path) -> Result<Exported, TemplateError> {
    let source =
        fs::canonicalize(path).ok().filter(|p| p.is_dir()).ok_or_else(|| TemplateError::NotAFolder(path.to_owned()))?;
    fs::create_dir_all(into).map_err(io_error("create the folder", into))?;
    let mut skipped = Vec::new();
    match Repository::open(&source) {
        Ok(repo) if repo.workdir().is_none_or(|w| same(w, &source)) => {
            let missing =
                || TemplateError::MissingCommit { path: source.clone(), commit: commit.unwrap_or("HEAD").to_owned() };
            let object = match commit {
                Some(id) => repo.revparse_single(id).map_err(|_| missing())?,
                None => repo.head().and_then(|h| h.peel(ObjectType::Commit)).map_err(|_| missing())?,
            };
            let commit = object.peel_to_commit().map_err(|_| missing())?;
            copy_tree(&repo, &commit.tree().map_err(|_| missing())?, into, &mut skipped)?;
            let dirty = repo.workdir().is_some()
                && repo.statuses(None).is_ok_and(|s| s.iter().any(|e| !e.status().is_ignored()));
            Ok(Exported { source, commit: Some(commit.id().to_string()), dirty, skipped })
        }
        _ => {
            if let Some(commit) = commit {
                return Err(TemplateError::MissingCommit { path: source, commit: commit.to_owned() });
            }
            copy_folder(&source, &source, into, &mut skipped)?;
            Ok(Exported { source, commit: None, dirty: false, skipped })
        }
    }
}

fn same(a: &Path, b: &Path) -> bool {
    fs::canonicalize(a).is_ok_and(|a| a == b)
}

fn copy_tree(
    repo: &Repository,
    tree: &git2::Tree<'_>,
    into: &Path,
    skipped: &mut Vec<String>,
) -> Result<(), TemplateError> {
    let mut failure = None;
    let walked = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        let relative = format!("{dir}{}", entry.name().unwrap_or_default());
        let mode = entry.filemode();
        let result = match entry.kind() {
            Some(ObjectType::Tree) => {
                fs::create_dir_all(into.join(&relative)).map_err(io_error("create", &into.join(&relative)))
            }
            Some(ObjectType::Blob) if mode == 0o120000 => {
                skipped.push(relative);
                Ok(())
            }
            Some(ObjectType::Blob) => match repo.find_blob(entry.id()) {
                Ok(blob) => write_file(&into.join(&relative), blob.content(), mode == 0o100755),
                Err(e) => Err(TemplateError::Io {
                    action: "read",
                    path: PathBuf::from(&relative),
                    source: std::io::Error::other(e.message().to_owned()),
                }),
            },
            // A submodule: its commit is not in this repository.
            _ => {
                skipped.push(relative);
                Ok(())
            }
        };
        match result {
            Ok(()) => TreeWalkResult::Ok,
            Err(e) => {
                failure = Some(e);
                TreeWalkResult::Abort
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    walked.map_err(|e| TemplateError::Io {
        action: "read the tree of",
        path: into.to_owned(),
        source: std::io::Error::other(e.message().to_owned()),
    })
}

fn copy_folder(root: &Path, dir: &Path, into: &Path, skipped: &mut Vec<String>) -> Result<(), TemplateError> {
    for entry in fs::read_dir(dir).map_err(io_error("read", dir))? {
        let entry = entry.map_err(io_error("read", dir))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io_error("inspect", &path))?;
        let relative = path.strip_prefix(root).unwrap_or(&path);
        if entry.file_name() == ".git" {
            continue;
        }
        let to = into.join(relative);
        if kind.is_dir() {
            fs::create_dir_all(&to).map_err(io_error("create", &to))?;
            copy_folder(root, &path, into, skipped)?;
        } else if kind.is_file() {
            let bytes = fs::read(&path).map_err(io_error("read", &path))?;
            write_file(&to, &bytes, executable(&entry))?;
        } else {
            skipped.push(relative.display().to_string());
        }
    }
    Ok(())
}

#[cfg(unix)]
fn executable(entry: &fs::DirEntry) -> bool {
    use std::os::unix::fs::PermissionsExt;
    entry.metadata().is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(_: &fs::DirEntry) -> bool {
    false
}

fn write_file(path: &Path, bytes: &[u8], executable: bool) -> Result<(), TemplateError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_error("create", dir))?;
    }
    fs::write(path, bytes).map_err(io_error("write", path))?;
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755)).map_err(io_error("set permissions of", path))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    Ok(())
}

/// The crate names a template's `Cargo.toml` (or `Cargo.toml.liquid`) depends on, in any dependency
/// table, with `-` written `_` as Rust code names them: a project named like one would shadow it
/// (`use tokio::…` would then resolve to the project's own crate). Empty when the manifest is
/// missing or is not TOML before rendering.
pub fn dependency_names(template: &Path) -> Vec<String> {
    let text = ["Cargo.toml", "Cargo.toml.liquid"].iter().find_map(|file| fs::read_to_string(template.join(file)).ok());
    let Some(doc) = text.and_then(|t| t.parse::<toml_edit::DocumentMut>().ok()) else { return Vec::new() };
    let mut names: Vec<String> = ["dependencies", "dev-dependencies", "build-dependencies"]
        .iter()
        .filter_map(|table| doc.get(table).and_then(toml_edit::Item::as_table_like))
        // A renamed dependency (`name = { package = "…" }`) is named by its key in code.
        .flat_map(|table| table.iter().map(|(key, _)| key.replace('-', "_")))
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_remote_templates_from_local_folders() {
        for remote in ["https://github.com/a/b", "git@github.com:a/b.git", "gh:a/b", "ssh://h/r", "file:///tmp/r"] {
            assert!(is_remote(remote), "{remote}");
        }
        assert_eq!(clone_url("gh:a/b"), "https://github.com/a/b");
        for local in ["fixtures/templates/axum-min", "/abs/path", "./a:b", "../x", "C"] {
            assert!(!is_remote(local), "{local}");
        }
    }

    #[test]
    fn a_git_repository_gives_its_commit_and_not_its_uncommitted_files() {
        let repo_dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init(repo_dir.path()).expect("init");
        fs::write(repo_dir.path().join("a.txt"), "committed").expect("write");
        let mut index = repo.index().expect("index");
        index.add_path(Path::new("a.txt")).expect("add");
        let tree = repo.find_tree(index.write_tree().expect("tree")).expect("tree");
        let sig = git2::Signature::now("t", "t@t").expect("sig");
        let id = repo.commit(Some("HEAD"), &sig, &sig, "c", &tree, &[]).expect("commit");
        fs::write(repo_dir.path().join("a.txt"), "changed").expect("write");
        fs::write(repo_dir.path().join("new.txt"), "new").expect("write");

        let out = tempfile::tempdir().expect("tempdir");
        let exported = export(repo_dir.path(), None, &out.path().join("t")).expect("export");
        assert_eq!(exported.commit, Some(id.to_string()));
        assert!(exported.dirty);
        assert_eq!(fs::read_to_string(out.path().join("t/a.txt")).expect("read"), "committed");
        assert!(!out.path().join("t/new.txt").exists());

        let err = export(repo_dir.path(), Some("0123456789abcdef0123456789abcdef01234567"), &out.path().join("u"))
            .expect_err("unknown commit");
        assert!(matches!(err, TemplateError::MissingCommit { .. }), "{err}");
    }

    #[test]
    fn a_folder_is_copied_without_git_and_links() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join("t/src")).expect("mkdir");
        fs::write(dir.path().join("t/src/main.rs"), "fn main() {}").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("t/passwd")).expect("link");
        let exported = export(&dir.path().join("t"), None, &dir.path().join("out")).expect("export");
        assert_eq!(exported.commit, None);
        assert!(dir.path().join("out/src/main.rs").is_file());
        assert!(!dir.path().join("out/passwd").exists());
        #[cfg(unix)]
        assert_eq!(exported.skipped, ["passwd"]);
    }

    #[test]
    fn dependency_names_are_the_keys_of_every_dependency_table_as_rust_names_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let manifest = "[package]\nname = \"{{project-name}}\"\n[dependencies]\ntokio = \"1\"\nserde-json = \"1\"\n\
                        [dev-dependencies]\ntower = \"0.5\"\n";
        fs::write(dir.path().join("Cargo.toml"), manifest).expect("write");
        assert_eq!(dependency_names(dir.path()), ["serde_json", "tokio", "tower"]);
        fs::write(dir.path().join("Cargo.toml"), "not = [toml").expect("write");
        assert!(dependency_names(dir.path()).is_empty());
    }
}
