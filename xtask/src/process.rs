//! Child processes in their own process group, so that stopping one stops everything it started
//! (`npm start`, Maven, a shell wrapper), and so that a step with a deadline can be killed whole.
//!
//! Stopping is always the same: SIGTERM to the group, a grace period (a JVM flushes its logs, a
//! server finishes its requests), then SIGKILL to the group. It runs on success, on failure, when
//! a [`Group`] drops (also during a panic), and in the interrupt handler.

use std::ffi::OsStr;
use std::io::{Read, Seek};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

use crate::interrupt;

/// A command for `program`, run under util-linux's `taskset -c cpus` when `cpus` is given: the
/// CPU affinity then holds for the program and everything it starts (`taskset(1)`).
pub fn command_on(program: impl AsRef<OsStr>, cpus: Option<&str>) -> Command {
    match cpus {
        Some(cpus) => {
            let mut command = Command::new("taskset");
            command.args(["-c", cpus]).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// How long a group has between SIGTERM and SIGKILL.
pub const GRACE: Duration = Duration::from_secs(10);
/// How often a running child is polled.
const POLL: Duration = Duration::from_millis(50);

/// A running child that leads its own process group.
#[derive(Debug)]
pub struct Group {
    child: Child,
    pgid: Pid,
    status: Option<ExitStatus>,
}

impl Group {
    /// Spawns `command` as the leader of a new process group, registered with the interrupt handler.
    pub fn spawn(command: &mut Command) -> std::io::Result<Self> {
        let child = command.process_group(0).spawn()?;
        let pgid = Pid::from_raw(i32::try_from(child.id()).map_err(std::io::Error::other)?);
        interrupt::register_group(pgid);
        Ok(Self { child, pgid, status: None })
    }

    /// The group's id (the leader's pid).
    pub fn pgid(&self) -> Pid {
        self.pgid
    }

    /// The leader's exit status, if it has exited.
    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        if self.status.is_none() {
            self.status = self.child.try_wait()?;
        }
        Ok(self.status)
    }

    /// Waits up to `timeout` for the leader to exit.
    pub fn wait_timeout(&mut self, timeout: Duration) -> std::io::Result<Option<ExitStatus>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.try_wait()? {
                return Ok(Some(status));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Sends `signal` to every process of the group.
    pub fn signal(&self, signal: Signal) {
        // ESRCH (the group is gone) is the normal end, not an error.
        let _ = killpg(self.pgid, signal);
    }

    /// Stops the whole group (SIGTERM, `grace`, SIGKILL) and returns the leader's exit status.
    pub fn stop(&mut self, grace: Duration) -> Option<ExitStatus> {
        let Self { child, pgid, status } = self;
        stop_group(*pgid, grace, || {
            if status.is_none() {
                *status = child.try_wait().ok().flatten();
            }
        });
        if status.is_none() {
            *status = child.wait().ok();
        }
        interrupt::unregister_group(*pgid);
        *status
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        if group_alive(self.pgid) || self.status.is_none() {
            self.stop(GRACE);
        } else {
            interrupt::unregister_group(self.pgid);
        }
    }
}

/// SIGTERM to the group, up to `grace` for it to empty, then SIGKILL. `reap` collects the leader
/// when the caller owns it: a zombie leader would otherwise keep the group looking alive.
pub fn stop_group(pgid: Pid, grace: Duration, mut reap: impl FnMut()) {
    let _ = killpg(pgid, Signal::SIGTERM);
    if wait_until_gone(pgid, grace, &mut reap) {
        return;
    }
    let _ = killpg(pgid, Signal::SIGKILL);
    wait_until_gone(pgid, Duration::from_secs(5), &mut reap);
}

fn wait_until_gone(pgid: Pid, limit: Duration, reap: &mut impl FnMut()) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        reap();
        if !group_alive(pgid) {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
}

/// Whether a process of group `pgid` still runs. Zombies do not count: an orphan is reaped by
/// init on its own schedule, and a zombie holds no port and no file.
pub fn group_alive(pgid: Pid) -> bool {
    match std::fs::read_dir("/proc") {
        Ok(entries) => entries.filter_map(Result::ok).any(|entry| {
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            parse_stat(&stat).is_some_and(|(state, pgrp)| pgrp == pgid.as_raw() && state != 'Z' && state != 'X')
        }),
        // No procfs (not Linux): signal 0 asks the kernel, zombies included.
        Err(_) => killpg(pgid, None).is_ok(),
    }
}

/// State and process group from `/proc/PID/stat` (`pid (comm) state ppid pgrp …`); `comm` may
/// hold spaces and parentheses, so the fields are read after its last `)`.
fn parse_stat(stat: &str) -> Option<(char, i32)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let _ppid = fields.next()?;
    Some((state, fields.next()?.parse().ok()?))
}

/// How a command run to completion (or to its deadline) ended.
#[derive(Debug)]
pub enum Finished {
    Exited(ExitStatus),
    /// Still running at the deadline: the group was stopped.
    TimedOut(Duration),
}

/// A command's end and everything it printed (stdout and stderr interleaved, as a terminal shows them).
#[derive(Debug)]
pub struct Captured {
    pub finished: Finished,
    pub duration: Duration,
    pub output: String,
}

/// Runs `program args` in `dir` with `env` added, killing its whole group after `timeout`.
pub fn run(
    dir: &Path,
    program: &Path,
    args: &[String],
    env: &[(String, String)],
    timeout: Duration,
) -> std::io::Result<Captured> {
    let started = Instant::now();
    // One anonymous file for both streams: no pipe to drain while polling, and the order is kept.
    let mut log = tempfile::tempfile()?;
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log.try_clone()?);
    let mut group = Group::spawn(&mut command)?;
    let finished = match group.wait_timeout(timeout)? {
        Some(status) => {
            // The leader is done; anything it left running in its group goes with it.
            group.stop(Duration::from_secs(2));
            Finished::Exited(status)
        }
        None => {
            group.stop(Duration::from_secs(5));
            Finished::TimedOut(timeout)
        }
    };
    let duration = started.elapsed();
    log.rewind()?;
    let mut bytes = Vec::new();
    log.read_to_end(&mut bytes)?;
    Ok(Captured { finished, duration, output: String::from_utf8_lossy(&bytes).into_owned() })
}

/// The processes of group `pgid`, by pid.
fn group_members(pgid: Pid) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| stat_fields(*pid).get(2).and_then(|g| g.parse::<i32>().ok()) == Some(pgid.as_raw()))
        .collect()
}

/// The fields of `/proc/PID/stat` after the command name (`state ppid pgrp …`): the name may hold
/// spaces and parentheses, so the fields are counted from the last `)`.
fn stat_fields(pid: i32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or_default();
    fields.split_whitespace().map(str::to_owned).collect()
}

/// The resident memory of every process in group `pgid`, in KiB: the sum of their `VmRSS` (a
/// service started by a wrapper, or with worker processes, is all of its group).
pub fn group_rss_kib(pgid: Pid) -> u64 {
    group_members(pgid)
        .into_iter()
        .filter_map(|pid| {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let line = status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?;
            line.split_whitespace().next()?.parse::<u64>().ok()
        })
        .sum()
}

/// The CPU time the processes of group `pgid` have used so far (user and system), in
/// milliseconds. `/proc` counts it in clock ticks, which Linux fixes at 100 a second for user space.
pub fn group_cpu_ms(pgid: Pid) -> u64 {
    const MS_PER_TICK: u64 = 10;
    group_members(pgid)
        .into_iter()
        .map(|pid| {
            // `utime` and `stime`: fields 14 and 15 of the whole line, 12 and 13 after the name.
            let fields = stat_fields(pid);
            let ticks = |i: usize| fields.get(i).and_then(|t| t.parse::<u64>().ok()).unwrap_or(0);
            (ticks(11) + ticks(12)) * MS_PER_TICK
        })
        .sum()
}

/// The last `lines` lines of `text`, for a report that must stay readable.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let start = all.len().saturating_sub(lines);
    let cut = if start > 0 { format!("[… {start} earlier lines]\n") } else { String::new() };
    cut + all[start..].join("\n").as_str()
}

/// Where `program` lives: a path relative to `dir`, or a name searched on `PATH`.
pub fn locate(dir: &Path, program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = dir.join(program);
        return path.is_file().then_some(path);
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|p| p.join(program))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_groups_memory_counts_its_processes() {
        let mut group = Group::spawn(&mut sh("sleep 30 & sleep 30")).expect("spawns");
        std::thread::sleep(Duration::from_millis(300));
        assert!(group_rss_kib(group.pgid()) > 0);
        let busy = Group::spawn(&mut sh("end=$(($(date +%s) + 1)); while [ $(date +%s) -le $end ]; do :; done"))
            .expect("spawns");
        std::thread::sleep(Duration::from_millis(1500));
        assert!(group_cpu_ms(busy.pgid()) > 0, "a busy loop used no CPU");
        group.stop(GRACE);
        assert_eq!(group_rss_kib(group.pgid()), 0);
    }

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        command
    }

    #[test]
    fn stop_ends_a_wrapper_and_the_child_it_started() {
        // The wrapper's child would survive a kill of the wrapper alone.
        let mut group = Group::spawn(&mut sh("sleep 300 & wait")).expect("spawns");
        let pgid = group.pgid();
        std::thread::sleep(Duration::from_millis(200));
        assert!(group_alive(pgid));
        group.stop(Duration::from_secs(5));
        assert!(!group_alive(pgid), "a process of the group outlived stop");
    }

    #[test]
    fn a_group_that_ignores_sigterm_is_killed_after_the_grace_period() {
        let mut group = Group::spawn(&mut sh("trap '' TERM; sleep 300 & wait")).expect("spawns");
        let pgid = group.pgid();
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        group.stop(Duration::from_millis(500));
        assert!(!group_alive(pgid));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn dropping_a_group_stops_it() {
        let group = Group::spawn(&mut sh("sleep 300 & sleep 300")).expect("spawns");
        let pgid = group.pgid();
        drop(group);
        assert!(!group_alive(pgid));
    }

    #[test]
    fn a_command_over_its_deadline_is_killed_and_its_output_kept() {
        let args = ["-c".to_owned(), "echo started; sleep 300".to_owned()];
        let captured = run(Path::new("."), Path::new("/bin/sh"), &args, &[], Duration::from_millis(500)).expect("runs");
        assert!(matches!(captured.finished, Finished::TimedOut(_)));
        assert!(captured.output.contains("started"));
        assert!(captured.duration < Duration::from_secs(10));
    }

    #[test]
    fn a_command_sees_its_environment_and_reports_its_status() {
        let args = ["-c".to_owned(), "echo \"$STEP_VALUE\"; exit 3".to_owned()];
        let env = [("STEP_VALUE".to_owned(), "from the step".to_owned())];
        let captured = run(Path::new("."), Path::new("/bin/sh"), &args, &env, Duration::from_secs(30)).expect("runs");
        assert!(matches!(captured.finished, Finished::Exited(s) if s.code() == Some(3)));
        assert_eq!(captured.output.trim(), "from the step");
    }

    #[test]
    fn stat_lines_with_odd_command_names_parse() {
        assert_eq!(parse_stat("42 (a) b) c) S 1 42 42 0"), Some(('S', 42)));
        assert_eq!(parse_stat("7 (sh) Z 1 9 9"), Some(('Z', 9)));
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn tails_keep_the_last_lines() {
        assert_eq!(tail("a\nb\nc", 5), "a\nb\nc");
        assert_eq!(tail("a\nb\nc", 2), "[… 1 earlier lines]\nb\nc");
    }
}
