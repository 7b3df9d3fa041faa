//! Waits for a child process with a deadline, reading its stderr beside the wait (so a chatty tool
//! cannot fill the pipe and stall): the one way the CLI runs the tools it starts (the lockfile
//! command, a template's render).

use std::io::Read;
use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// How a child ended.
#[derive(Debug)]
pub(crate) enum Ended {
    /// It exited with this status; its stderr.
    Exited(ExitStatus, String),
    /// It was still running at the deadline and was killed.
    TimedOut,
}

/// Waits for `child` (spawned with `stderr(Stdio::piped())`) for at most `timeout`, then kills it.
pub(crate) fn wait(mut child: Child, timeout: Duration) -> Ended {
    let _stopped_on_interrupt = crate::interrupt::stop_on_interrupt(child.id());
    let mut stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr.as_mut() {
            let _ = stderr.read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ended::Exited(status, reader.join().unwrap_or_default()),
            Ok(None) if started.elapsed() < timeout => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Ended::TimedOut;
            }
        }
    }
}
