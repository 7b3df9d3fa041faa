//! A new git repository with the generated project as its first commit.

use std::path::Path;

use git2::{IndexAddOption, Repository, Signature};

/// Git could not create the repository or the first commit.
#[derive(Debug, thiserror::Error)]
#[error("could not create the git repository: {0}")]
pub struct GitError(#[from] git2::Error);

/// Initialises `dir` on branch `main` and commits everything that `.gitignore` does not exclude.
///
/// The author is the user's configured git identity, or `backend-gen` when none is configured,
/// so generation never fails on a fresh machine.
pub fn init_and_commit(dir: &Path, message: &str) -> Result<(), GitError> {
    let mut options = git2::RepositoryInitOptions::new();
    options.initial_head("main");
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
        assert_eq!(head.shorthand().ok(), Some("main"));
        let tree = head.peel_to_tree().expect("tree");
        assert!(tree.get_path(Path::new("src/app.py")).is_ok());
        assert!(tree.get_path(Path::new(".gitignore")).is_ok());
        assert!(tree.get_path(Path::new(".env")).is_err(), "the secret must not be committed");
    }
}
