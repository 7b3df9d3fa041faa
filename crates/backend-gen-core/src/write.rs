//! The one writer: stages a plan in a temporary folder beside the target, then renames it into place.
//!
//! Staging beside the target keeps the final rename on one file system, so it is atomic: the target
//! either does not exist or holds the whole project. Dropping a [`StagedProject`] removes the stage.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::plan::ProjectPlan;

/// Why a plan could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{0}` already exists and is not empty; choose another name or folder, or pass `--force` to replace it")]
    TargetNotEmpty(PathBuf),
    #[error("`{0}` exists and is not a folder; choose another name or folder")]
    TargetNotADirectory(PathBuf),
    /// The folder the project goes into cannot hold it: the user's to fix.
    #[error("cannot create the project in `{path}`: {reason}; choose another folder with `--output`")]
    BadOutput { path: PathBuf, reason: String },
    /// The old project could not be put back after a failed swap: says where each part is.
    #[error(
        "could not move the new project to `{target}` ({source}), nor the old one back; the old project is in `{backup}`, the new one in `{staged}`"
    )]
    SwapFailed {
        target: PathBuf,
        backup: PathBuf,
        staged: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A rendered project holds something that is not a folder or a regular file.
    #[error(
        "the rendered project holds `{path}`, {what}; only folders and regular files are accepted, so nothing was written"
    )]
    NotPlain { path: PathBuf, what: &'static str },
    #[error("could not {action} `{path}`: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> WriteError + 'a {
    move |source| WriteError::Io { action, path: path.to_owned(), source }
}

#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// Replace a non-empty target folder (its old contents are deleted once the new one is in place).
    pub force: bool,
    /// Test hook: fail with an I/O error after this many files, to prove a failure leaves nothing behind.
    #[doc(hidden)]
    pub fail_after_files: Option<usize>,
    /// Test hook: pretend the replaced folder cannot be removed after a `--force` swap.
    #[doc(hidden)]
    pub fail_cleanup: bool,
}

/// A project in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub target: PathBuf,
    /// The folder `--force` replaced, when it could not be removed afterwards: the new project is in
    /// place all the same, and the user may delete this one.
    pub leftover: Option<PathBuf>,
}

/// A fully written project waiting in its temporary folder.
#[derive(Debug)]
pub struct StagedProject {
    stage: TempDir,
    target: PathBuf,
    fail_cleanup: bool,
}

/// Writes every file of `plan` into a new temporary folder beside `target`.
///
/// The target is first resolved to an absolute path with no `..` or symbolic links in its parent, so
/// every spelling of one folder (`app1`, `app1/../app1`, `./x/../app1`) is the same target and
/// stays valid while the old folder is moved aside.
pub fn stage(plan: &ProjectPlan, target: &Path, options: &WriteOptions) -> Result<StagedProject, WriteError> {
    let staged = stage_empty(target, options)?;
    staged.write(plan, options.fail_after_files)?;
    Ok(staged)
}

/// An empty stage beside `target`, after the same checks as [`stage`]: for a project that another
/// tool renders (a third-party template), which [`StagedProject::adopt`] then takes in.
pub fn stage_empty(target: &Path, options: &WriteOptions) -> Result<StagedProject, WriteError> {
    let target = &resolve_target(target)?;
    check_target(target, options.force)?;
    let parent = target.parent().unwrap_or(Path::new("/"));
    let stage = tempfile::Builder::new()
        .prefix(&format!(".{}.backend-gen-", file_name(target)))
        .tempdir_in(parent)
        .map_err(|e| output_error(parent, &e))?;
    Ok(StagedProject { stage, target: target.to_owned(), fail_cleanup: options.fail_cleanup })
}

fn file_name(target: &Path) -> String {
    target.file_name().map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned())
}

impl StagedProject {
    /// Writes every file of `plan` into the stage, replacing a file of the same path.
    pub fn write(&self, plan: &ProjectPlan, fail_after_files: Option<usize>) -> Result<(), WriteError> {
        for (written, (path, file)) in plan.files.iter().enumerate() {
            let full = self.stage.path().join(path.as_str());
            if fail_after_files == Some(written) {
                return Err(WriteError::Io {
                    action: "write",
                    path: full,
                    source: io::Error::other("failure injected by test hook"),
                });
            }
            if let Some(dir) = full.parent() {
                fs::create_dir_all(dir).map_err(io_error("create the folder", dir))?;
            }
            fs::write(&full, &file.contents).map_err(io_error("write", &full))?;
            if file.executable {
                set_mode(&full, 0o755)?;
            } else if file.private {
                set_mode(&full, 0o600)?;
            }
        }
        Ok(())
    }

    /// Takes the folder `rendered` (filled by another tool, on the stage's file system: beside the
    /// target) as the project, which must be empty so far. `rendered` must hold only folders and
    /// regular files: a symbolic link or a special file could point outside the target, so it is
    /// refused with its path, and the caller drops the stage.
    pub fn adopt(&self, rendered: &Path) -> Result<(), WriteError> {
        check_plain_tree(rendered, rendered)?;
        // Renaming a folder onto an empty folder replaces it (POSIX rename).
        fs::rename(rendered, self.stage.path()).map_err(io_error("move the rendered project to", self.stage.path()))
    }

    /// The temporary folder, for steps that must finish before the project appears (git).
    pub fn path(&self) -> &Path {
        self.stage.path()
    }

    /// Moves the staged project to its target. A replaced target is removed only after the move; if
    /// that removal fails, the project is in place all the same and `Committed::leftover` says where
    /// the old folder is.
    pub fn commit(self) -> Result<Committed, WriteError> {
        let Self { stage, target, fail_cleanup } = self;
        let staged = stage.keep();
        match swap_into_place(&staged, &target) {
            Ok(backup) => {
                let leftover = backup.filter(|backup| fail_cleanup || fs::remove_dir_all(backup).is_err());
                Ok(Committed { target, leftover })
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&staged);
                Err(e)
            }
        }
    }
}

/// Renames `staged` to `target`; an existing target is first moved to a fresh, uniquely named folder
/// beside it, whose path is returned for removal.
fn swap_into_place(staged: &Path, target: &Path) -> Result<Option<PathBuf>, WriteError> {
    if !target.exists() {
        return fs::rename(staged, target).map(|()| None).map_err(io_error("move the project to", target));
    }
    // The target exists: empty, or non-empty with `--force`, as `check_target` allowed. Its backup
    // gets a random name of its own, so neither an earlier leftover nor a concurrent run collides.
    let parent = staged.parent().unwrap_or(Path::new("."));
    let name = target.file_name().map_or_else(|| "project".into(), |n| n.to_string_lossy().into_owned());
    let backup = tempfile::Builder::new()
        .prefix(&format!(".{name}.replaced-"))
        .tempdir_in(parent)
        .map_err(io_error("create a temporary folder in", parent))?
        .keep();
    // Renaming a folder onto an empty folder replaces it (POSIX rename).
    if let Err(source) = fs::rename(target, &backup) {
        let _ = fs::remove_dir(&backup);
        return Err(WriteError::Io { action: "move aside", path: target.to_owned(), source });
    }
    if let Err(source) = fs::rename(staged, target) {
        if fs::rename(&backup, target).is_err() {
            return Err(WriteError::SwapFailed {
                target: target.to_owned(),
                backup,
                staged: staged.to_owned(),
                source,
            });
        }
        return Err(WriteError::Io { action: "move the project to", path: target.to_owned(), source });
    }
    Ok(Some(backup))
}

/// Refuses anything under `dir` that is neither a folder nor a regular file.
fn check_plain_tree(root: &Path, dir: &Path) -> Result<(), WriteError> {
    for entry in fs::read_dir(dir).map_err(io_error("read", dir))? {
        let path = entry.map_err(io_error("read", dir))?.path();
        let kind = fs::symlink_metadata(&path).map_err(io_error("inspect", &path))?.file_type();
        if kind.is_dir() {
            check_plain_tree(root, &path)?;
        } else if !kind.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path).to_owned();
            let what = if kind.is_symlink() { "a symbolic link" } else { "a special file" };
            return Err(WriteError::NotPlain { path: relative, what });
        }
    }
    Ok(())
}

/// `target` as an absolute path whose parent exists (it is created) and is canonical.
fn resolve_target(target: &Path) -> Result<PathBuf, WriteError> {
    let Some(name) = target.file_name() else {
        return Err(WriteError::BadOutput { path: target.to_owned(), reason: "it names no folder".to_owned() });
    };
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(parent).map_err(|e| output_error(parent, &e))?;
    let parent = fs::canonicalize(parent).map_err(|e| output_error(parent, &e))?;
    Ok(parent.join(name))
}

/// A folder that cannot hold the project: a file in the way, no permission, no such device.
fn output_error(path: &Path, error: &io::Error) -> WriteError {
    let reason = match error.kind() {
        io::ErrorKind::NotADirectory | io::ErrorKind::AlreadyExists => "a file is in the way".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        _ => error.to_string(),
    };
    WriteError::BadOutput { path: path.to_owned(), reason }
}

/// What [`stage`] would refuse about `target`, checked without writing anything (for a dry run): a
/// file where a folder must be, or a non-empty target without `force`.
pub fn preflight(target: &Path, force: bool) -> Result<(), WriteError> {
    for ancestor in target.ancestors().skip(1).take_while(|a| !a.as_os_str().is_empty()) {
        match fs::metadata(ancestor) {
            Ok(meta) if meta.is_dir() => break,
            Ok(_) => {
                return Err(WriteError::BadOutput { path: ancestor.to_owned(), reason: "a file is in the way".into() });
            }
            Err(_) => {}
        }
    }
    check_target(target, force)
}

fn check_target(target: &Path, force: bool) -> Result<(), WriteError> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::Io { action: "inspect", path: target.to_owned(), source: e }),
        Ok(meta) if !meta.is_dir() => Err(WriteError::TargetNotADirectory(target.to_owned())),
        Ok(_) => {
            let mut entries = fs::read_dir(target).map_err(io_error("read", target))?;
            if entries.next().is_some() && !force {
                return Err(WriteError::TargetNotEmpty(target.to_owned()));
            }
            Ok(())
        }
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), WriteError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).map_err(io_error("set permissions of", path))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> Result<(), WriteError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::RelPath;

    fn plan() -> ProjectPlan {
        let mut plan = ProjectPlan::default();
        for path in ["a.txt", "src/b.txt", "src/deep/c.sh"] {
            let executable = path.ends_with(".sh");
            plan.add_file(RelPath::new(path).expect("safe"), path, executable).expect("unique");
        }
        plan
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_every_file_and_leaves_no_stage() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        let committed = stage(&plan(), &target, &WriteOptions::default()).expect("stage").commit().expect("commit");
        assert_eq!(committed, Committed { target: target.clone(), leftover: None });
        assert_eq!(fs::read_to_string(target.join("src/deep/c.sh")).expect("file"), "src/deep/c.sh");
        assert_eq!(entries(root.path()), ["demo"]);
    }

    #[test]
    fn injected_failure_leaves_nothing_behind() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        let options = WriteOptions { fail_after_files: Some(2), ..Default::default() };
        assert!(matches!(stage(&plan(), &target, &options), Err(WriteError::Io { .. })));
        assert!(entries(root.path()).is_empty());
    }

    #[test]
    fn dropping_a_stage_removes_it() {
        let root = tempfile::tempdir().expect("tempdir");
        drop(stage(&plan(), &root.path().join("demo"), &WriteOptions::default()).expect("stage"));
        assert!(entries(root.path()).is_empty());
    }

    #[test]
    fn non_empty_target_needs_force_and_is_then_replaced() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("old.txt"), "old").expect("write");
        let err = stage(&plan(), &target, &WriteOptions::default()).expect_err("refused");
        assert!(matches!(err, WriteError::TargetNotEmpty(_)));
        assert!(target.join("old.txt").exists());

        let options = WriteOptions { force: true, ..Default::default() };
        stage(&plan(), &target, &options).expect("stage").commit().expect("commit");
        assert_eq!(entries(&target), ["a.txt", "src"]);
        assert_eq!(entries(root.path()), ["demo"]);
    }

    #[test]
    fn force_twice_and_over_a_stale_leftover_uses_fresh_backup_names() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        // What an older backend-gen could leave behind: `.demo.old`, not empty.
        fs::create_dir_all(root.path().join(".demo.old/x")).expect("mkdir");
        let options = WriteOptions { force: true, ..Default::default() };
        for _ in 0..2 {
            fs::create_dir_all(&target).expect("mkdir");
            fs::write(target.join("old.txt"), "old").expect("write");
            let committed = stage(&plan(), &target, &options).expect("stage").commit().expect("commit");
            assert_eq!(committed.leftover, None);
            assert_eq!(entries(&target), ["a.txt", "src"]);
        }
        assert_eq!(entries(root.path()), [".demo.old", "demo"]);
    }

    #[test]
    fn a_failed_cleanup_after_the_swap_is_a_leftover_not_an_error() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        fs::create_dir(&target).expect("mkdir");
        fs::write(target.join("old.txt"), "old").expect("write");
        let options = WriteOptions { force: true, fail_cleanup: true, ..Default::default() };
        let committed = stage(&plan(), &target, &options).expect("stage").commit().expect("in place");
        assert_eq!(entries(&target), ["a.txt", "src"]);
        let leftover = committed.leftover.expect("the old folder is reported");
        assert!(leftover.join("old.txt").exists(), "the replaced project is kept, not half-deleted");
        let name = leftover.file_name().expect("name").to_string_lossy().into_owned();
        assert!(name.starts_with(".demo.replaced-") && name.len() > ".demo.replaced-".len(), "{name}");
    }

    #[test]
    fn adopts_a_rendered_folder_and_refuses_a_symbolic_link_in_it() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        let rendered = root.path().join("rendered");
        fs::create_dir_all(rendered.join("src")).expect("mkdir");
        fs::write(rendered.join("src/main.rs"), "fn main() {}").expect("write");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/etc/passwd", rendered.join("src/link")).expect("symlink");
            let staged = stage_empty(&target, &WriteOptions::default()).expect("stage");
            let err = staged.adopt(&rendered).expect_err("a link is refused");
            assert!(err.to_string().contains("`src/link`, a symbolic link"), "{err}");
            drop(staged);
            fs::remove_file(rendered.join("src/link")).expect("rm");
        }
        let staged = stage_empty(&target, &WriteOptions::default()).expect("stage");
        staged.adopt(&rendered).expect("adopted");
        staged.commit().expect("commit");
        assert_eq!(entries(&target), ["src"]);
        assert_eq!(entries(root.path()), ["demo"]);
    }

    #[test]
    fn empty_target_folder_is_filled() {
        let root = tempfile::tempdir().expect("tempdir");
        let target = root.path().join("demo");
        fs::create_dir(&target).expect("mkdir");
        stage(&plan(), &target, &WriteOptions::default()).expect("stage").commit().expect("commit");
        assert_eq!(entries(&target), ["a.txt", "src"]);
    }
}
