//! Where a benchmark's processes run: the measured service on a CPU of its own and wrk on the
//! others, so that the load generator's work (which grows with the answers' headers) never takes
//! the server's CPU time, and the scheduler's placement does not move the figures between runs.

use anyhow::{Context, Result};
use nix::sched::{CpuSet, sched_getaffinity};
use nix::unistd::Pid;
use serde::Serialize;

/// CPU lists in the form `taskset -c` takes (`3`, `0,2`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// The CPU the service and its bare twin run on (wrk loads one of them at a time).
    pub service: String,
    /// The CPUs wrk runs on.
    pub load: String,
}

impl Placement {
    /// Splits the CPUs this process may run on (its affinity mask, which a container's cpuset
    /// narrows): the last one for the service, the others for wrk. `None` when fewer than two are
    /// allowed, or when util-linux's `taskset` is missing: then nothing is pinned.
    ///
    /// # Errors
    /// The affinity mask cannot be read (`sched_getaffinity(2)`).
    pub fn split() -> Result<Option<Self>> {
        if std::process::Command::new("taskset").arg("--version").output().is_err() {
            return Ok(None);
        }
        let mask = sched_getaffinity(Pid::from_raw(0)).context("reading this process's CPU affinity")?;
        Ok(Self::of(&allowed(&mask)))
    }

    fn of(cpus: &[usize]) -> Option<Self> {
        let (service, load) = cpus.split_last()?;
        let load = load.iter().map(usize::to_string).collect::<Vec<_>>();
        (!load.is_empty()).then(|| Self { service: service.to_string(), load: load.join(",") })
    }
}

fn allowed(mask: &CpuSet) -> Vec<usize> {
    (0..CpuSet::count()).filter(|&cpu| mask.is_set(cpu).unwrap_or(false)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_allowed_cpu_serves_and_the_rest_load() {
        let placement = Placement::of(&[0, 2, 5]).expect("three CPUs split");
        assert_eq!(placement, Placement { service: "5".to_owned(), load: "0,2".to_owned() });
        assert_eq!(Placement::of(&[0, 1]).map(|p| (p.service, p.load)), Some(("1".to_owned(), "0".to_owned())));
    }

    #[test]
    fn one_cpu_has_nothing_to_separate() {
        assert_eq!(Placement::of(&[3]), None);
        assert_eq!(Placement::of(&[]), None);
    }

    #[test]
    fn this_process_may_run_somewhere() {
        let mask = sched_getaffinity(Pid::from_raw(0)).expect("the mask reads");
        assert!(!allowed(&mask).is_empty());
    }
}
