//! What an interrupted `new` (Ctrl-C, SIGTERM, SIGHUP) leaves behind: nothing. Its stage is a
//! folder beside the target that already holds the project's fresh secrets (`.env`); an exit by
//! signal skips the destructor that would remove it, so stages, scratch folders and the tools
//! running in them are registered here while they live.
//!
//! Only `new` installs the handler, once its questions are answered (a prompt keeps Ctrl-C's usual
//! meaning; `serve` answers signals its own way): until then, registering does nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::error::CliError;

static INSTALLED: AtomicBool = AtomicBool::new(false);
/// Folders to remove: stages and scratch folders.
static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Tools running in them (a lockfile command, a template's render).
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// Held while this process writes into a registered folder: the handler waits for the step to end
/// before removing, so the step cannot create the folder again afterwards.
static WRITING: Mutex<()> = Mutex::new(());

/// From now on an interrupt stops the registered tools, removes the registered folders and exits
/// with status 130 (128 + SIGINT, as shells report Ctrl-C).
///
/// Errors: the system refused the handler.
pub(crate) fn install() -> Result<(), CliError> {
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    ctrlc::set_handler(on_interrupt).map_err(|e| {
        INSTALLED.store(false, Ordering::SeqCst);
        CliError::Internal(format!("could not handle interrupts: {e}"))
    })
}

/// Removes `folder` (and all in it) if the process is interrupted. Nothing to undo on success: a
/// stage is renamed into place or dropped, after which its path names nothing.
pub(crate) fn remove_on_interrupt(folder: &Path) {
    if INSTALLED.load(Ordering::SeqCst) {
        lock(&FOLDERS).push(folder.to_owned());
    }
}

/// Holds off the handler's removal while the caller writes into a registered folder.
pub(crate) fn writing() -> MutexGuard<'static, ()> {
    lock(&WRITING)
}

/// Stops the child `pid` if the process is interrupted while the guard lives.
pub(crate) fn stop_on_interrupt(pid: u32) -> ChildGuard {
    if INSTALLED.load(Ordering::SeqCst) {
        lock(&CHILDREN).push(pid);
    }
    ChildGuard(pid)
}

/// Registers a running child; dropped once it has been waited for.
pub(crate) struct ChildGuard(u32);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        lock(&CHILDREN).retain(|pid| *pid != self.0);
    }
}

fn on_interrupt() {
    for pid in lock(&CHILDREN).iter() {
        if let Ok(pid) = i32::try_from(*pid) {
            let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
        }
    }
    // Kept until the exit: no step starts writing again.
    let _writing = lock(&WRITING);
    let mut removed = false;
    for folder in lock(&FOLDERS).iter() {
        removed |= std::fs::remove_dir_all(folder).is_ok();
    }
    if removed {
        eprintln!("backend-gen: interrupted; the unfinished project was removed");
    } else {
        eprintln!("backend-gen: interrupted");
    }
    std::process::exit(130);
}

/// A panicking holder leaves the data as usable as before: lists of paths and ids.
fn lock<T>(mutex: &'static Mutex<T>) -> MutexGuard<'static, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
