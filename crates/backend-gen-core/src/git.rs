//! A new git repository with the generated project as its first commit.

use std::path::{Path, PathBuf};

use git2::{Config, IndexAddOption, Repository, Signature};

/// Git could not create the repository or the first commit.
#[derive(Debug, thiserror::Error)]
#[error("could not create the git repository: {0}")]
pub struct GitError(#[from] git2::Error);

/// The branch a new repository starts on when the user's git configuration names none.
pub const FALLBACK_BRANCH: &str = "main";

/// The work tree of the git repository that `dir` is inside, if any. A project generated there must
/// not get a repository of its own: the outer one would record a gitlink and none of its files.
pub fn enclosing_work_tree(dir: &Path) -> Option<PathBuf> {
    let repo = Repository::discover(dir).ok()?;
    repo.workdir().map(Path::to_path_buf)
}

/// The user's `init.defaultBranch` (git-config(1)), or [`FALLBACK_BRANCH`].
pub fn default_branch() -> String {
    Config::open_default().map_or_else(|_| FALLBACK_BRANCH.to_owned(), |config| branch_from(&config))
}

fn branch_from(config: &Config) -> String {
    config
        .get_string("init.defaultBranch")
        .ok()
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| FALLBACK_BRANCH.to_owned())
}

/// Initialises `dir` on the user's default branch and commits everything `.gitignore` does not exclude.
///
/// The author is the user's configured git identity, or `backend-gen` when none is configured,
/// so generation never fails on a fresh machine.
pub fn init_and_commit(dir: &Path, message: &str) -> Result<(), GitError> {
    let branch = default_branch();
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head(&branch);
    let repo = Repository::init_opts(dir, &options)?;
    let mut index = repo.index()?;
    index.add_all(["*"], IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let signature = repo.signature().or_else(|_| Signature::now("backend-gen", "backend-gen@localhost"))?;
    repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn commits_everything_but_ignored_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(".gitignore"), ".env\n").expect("write");
        fs::write(dir.path().join(".env"), "JWT_SECRET=x\n").expect("write");
        fs::create_dir(dir.path().join("src")).expect("mkdir");
        fs::write(dir.path().join("src/app.py"), "print()\n").expect("write");
        init_and_commit(dir.path(), "Initial commit").expect("commit");

        let repo = Repository::open(dir.path()).expect("repo");
        let head = repo.head().expect("head");
        assert_eq!(head.shorthand().ok(), Some(default_branch().as_str()));
        let tree = head.peel_to_tree().expect("tree");
        assert!(tree.get_path(Path::new("src/app.py")).is_ok());
        assert!(tree.get_path(Path::new(".gitignore")).is_ok());
        assert!(tree.get_path(Path::new(".env")).is_err(), "the secret must not be committed");
    }
}

#[cfg(test)]
mod branch_tests {
    use super::*;

    #[test]
    fn the_users_default_branch_wins_over_main() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("gitconfig");
        std::fs::write(&path, "[init]\n\tdefaultBranch = trunk\n").expect("write");
        assert_eq!(branch_from(&Config::open(&path).expect("config")), "trunk");
        std::fs::write(&path, "[user]\n\tname = x\n").expect("write");
        assert_eq!(branch_from(&Config::open(&path).expect("config")), FALLBACK_BRANCH);
    }

    #[test]
    fn finds_the_work_tree_a_folder_is_inside() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(enclosing_work_tree(dir.path()), None);
        Repository::init(dir.path()).expect("init");
        std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
        let found = enclosing_work_tree(&dir.path().join("sub")).expect("inside");
        assert_eq!(found.canonicalize().expect("path"), dir.path().canonicalize().expect("path"));
    }
}
