//! What an interrupted xtask (Ctrl-C, SIGTERM) must clean up: process groups still running and
//! scratch folders. An exit skips destructors, so both are registered here while they live.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use nix::unistd::Pid;

use crate::process;

/// Process groups still running (services and steps).
static GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());
/// Temporary folders to remove.
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

pub fn register_group(pgid: Pid) {
    install_handler();
    if let Ok(mut groups) = GROUPS.lock() {
        groups.push(pgid.as_raw());
    }
}

pub fn unregister_group(pgid: Pid) {
    if let Ok(mut groups) = GROUPS.lock() {
        groups.retain(|g| *g != pgid.as_raw());
    }
}

/// Removes `dir` if xtask is interrupted; a normal exit leaves its removal to its owner.
pub fn remove_on_interrupt(dir: &Path) {
    install_handler();
    if let Ok(mut scratch) = SCRATCH.lock() {
        scratch.push(dir.to_owned());
    }
}

/// On Ctrl-C or SIGTERM: stop every group the way a drop would (no server outlives xtask holding
/// its port), remove the scratch folders, exit with 130.
fn install_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let groups = GROUPS.lock().map(|g| g.clone()).unwrap_or_default();
            // One thread per group, so the grace periods run side by side.
            let stoppers: Vec<_> = groups
                .into_iter()
                .map(|pgid| std::thread::spawn(move || process::stop_group(Pid::from_raw(pgid), process::GRACE, || {})))
                .collect();
            for stopper in stoppers {
                let _ = stopper.join();
            }
            let dirs = SCRATCH.lock().map(|d| d.clone()).unwrap_or_default();
            for dir in dirs {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(130);
        });
    });
}
