//! Runs a stack's lockfile command inside the staged project, before its first commit, with a time
//! limit. A missing tool or a failed run is not an error: the project is complete without the
//! lockfile, and the caller says how to make it.

use std::path::Path;
use std::process::{Command, Stdio};

use backend_gen_core::Lockfile;

use crate::child::Ended;

/// Writes `lock.path` in `dir` by running `lock.step`; the error is why it could not, for the user.
pub fn write(dir: &Path, lock: &Lockfile) -> Result<(), String> {
    let step = &lock.step;
    let child = Command::new(&step.program)
        .args(&step.args)
        .envs(step.env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("`{}` is not installed (not on PATH)", step.program),
            _ => format!("`{}` could not be started ({e})", step.program),
        })?;
    let (status, output) = match crate::child::wait(child, step.timeout) {
        Ended::Exited(status, output) => (status, output),
        Ended::TimedOut => return Err(format!("`{}` took longer than {} s", step.name, step.timeout.as_secs())),
    };
    if !status.success() {
        // Tools lead with the cause (`npm error code EBADENGINE`, uv's `error:`) and end with pointers.
        let first = output.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message");
        return Err(format!("`{}` failed: {}", step.name, first.trim()));
    }
    if !dir.join(lock.path).is_file() {
        return Err(format!("`{}` wrote no `{}`", step.name, lock.path));
    }
    Ok(())
}
