//! A generated service as a process group on a free loopback port: started the one way `verify`
//! and `conformance` share, awaited, and always stopped as a whole (see `process`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use backend_gen_core::verification::Serve;
use nix::sys::signal::Signal;

use crate::process::{self, GRACE, Group};
use crate::project::Project;

/// How to start a service: the serve step of a verification, plus what a run adds.
#[derive(Debug, Clone)]
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The working directory: the service reads its `.env` from here.
    pub dir: PathBuf,
    pub env: Vec<(String, String)>,
    /// Variables taken out of the inherited environment (a start-up case controls them all).
    pub env_remove: Vec<String>,
    /// How long the service may take to answer its first health check.
    pub start_timeout: Duration,
    /// `DATABASE_URL` of a fresh embedded database in the file `{path}` (`Serve::embedded_database_url`).
    pub embedded_database_url: String,
    /// CPUs the service runs on (`taskset -c` form), for a benchmark; `None`: wherever the
    /// scheduler puts it.
    pub cpus: Option<String>,
}

impl Launch {
    /// The project's serve step, as its README starts it: in the project folder, with its `.env`.
    pub fn serve(project: &Project, serve: &Serve) -> Result<Self> {
        let step = &serve.step;
        let program =
            project.locate(step).with_context(|| format!("`{}` does not exist after the install", step.program))?;
        Ok(Self {
            program,
            args: step.args.clone(),
            dir: project.dir.clone(),
            env: step.env.clone(),
            env_remove: Vec::new(),
            start_timeout: serve.start_timeout,
            embedded_database_url: serve.embedded_database_url.clone(),
            cpus: None,
        })
    }

    /// The same launch on `cpus` (`taskset -c` form; `None` leaves it to the scheduler).
    pub fn on_cpus(mut self, cpus: Option<&str>) -> Self {
        self.cpus = cpus.map(str::to_owned);
        self
    }

    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// Starts the service with `PORT`/`HOST` on a free loopback port; its stdout and stderr go to
    /// `<log_stem>.stdout.log` and `<log_stem>.stderr.log`.
    pub fn start(&self, log_stem: &Path) -> Result<Service> {
        let port = free_port()?;
        let stdout_path = with_suffix(log_stem, "stdout.log");
        let stderr_path = with_suffix(log_stem, "stderr.log");
        let mut command = process::command_on(&self.program, self.cpus.as_deref());
        command.args(&self.args).current_dir(&self.dir);
        for name in &self.env_remove {
            command.env_remove(name);
        }
        command
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path)?)
            .stderr(std::fs::File::create(&stderr_path)?);
        let group = Group::spawn(&mut command).with_context(|| format!("starting `{}`", self.program.display()))?;
        Ok(Service {
            group,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            stdout_path,
            stderr_path,
            start_timeout: self.start_timeout,
        })
    }

    /// Starts the service and waits until `path` answers 200; on failure the error holds its logs.
    pub fn start_ready(&self, log_stem: &Path, path: &str) -> Result<Service> {
        let mut service = self.start(log_stem)?;
        match service.wait_until_ok(path) {
            Ok(_) => Ok(service),
            Err(e) => {
                service.stop();
                Err(anyhow::anyhow!("{e:#}\n{}", service.logs()))
            }
        }
    }
}

fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut name = stem.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

/// A running service, stopped when dropped (also when a check panics) or when xtask is interrupted.
#[derive(Debug)]
pub struct Service {
    group: Group,
    pub addr: SocketAddr,
    pub stdout_path: PathBuf,
    pub stderr_path: PathBuf,
    start_timeout: Duration,
}

impl Service {
    /// Waits until `path` answers 200 within the start-up timeout; fails early when the process exits.
    pub fn wait_until_ok(&mut self, path: &str) -> Result<Duration> {
        let started = Instant::now();
        while started.elapsed() < self.start_timeout {
            if let Some(status) = self.group.try_wait()? {
                bail!("the service exited with {status} before answering");
            }
            if let Ok(200) = get_status(self.addr, path) {
                return Ok(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("`{path}` did not answer 200 within {:?}", self.start_timeout)
    }

    /// Waits up to `timeout` for the service to exit on its own.
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<Option<ExitStatus>> {
        Ok(self.group.wait_timeout(timeout)?)
    }

    /// Sends SIGTERM to the service's group and returns at once (a graceful stop under test).
    pub fn terminate(&self) {
        self.group.signal(Signal::SIGTERM);
    }

    /// Stops the whole group: SIGTERM, a grace period, SIGKILL.
    pub fn stop(&mut self) -> Option<ExitStatus> {
        self.group.stop(GRACE)
    }

    /// The resident memory of the service's whole process group, in KiB (see `process`).
    pub fn resident_kib(&self) -> u64 {
        process::group_rss_kib(self.group.pgid())
    }

    /// The CPU time the service's process group has used so far, in milliseconds (see `process`).
    pub fn cpu_ms(&self) -> u64 {
        process::group_cpu_ms(self.group.pgid())
    }

    pub fn start_timeout(&self) -> Duration {
        self.start_timeout
    }

    pub fn stdout(&self) -> String {
        std::fs::read_to_string(&self.stdout_path).unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr_path).unwrap_or_default()
    }

    /// Both logs' last lines, for an error message.
    pub fn logs(&self) -> String {
        format!(
            "service stdout:\n{}\nservice stderr:\n{}",
            process::tail(&self.stdout(), 40),
            process::tail(&self.stderr(), 40)
        )
    }
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
}

/// The status code of `GET path`, over a plain HTTP/1.1 connection.
fn get_status(addr: SocketAddr, path: &str) -> std::io::Result<u16> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head)?;
    let status = std::str::from_utf8(&head[9..12]).ok().and_then(|s| s.parse().ok());
    status.ok_or_else(|| std::io::Error::other("not an HTTP answer"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::group_alive;

    #[test]
    fn a_wrapper_started_service_leaves_nothing_behind() {
        let logs = tempfile::tempdir().expect("tempdir");
        // A shell that starts the real server as its child, as `npm start` or a Gradle task would.
        let launch = Launch {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".to_owned(), "python3 -m http.server --bind 127.0.0.1 \"$PORT\" & wait".to_owned()],
            dir: logs.path().to_owned(),
            env: Vec::new(),
            env_remove: Vec::new(),
            start_timeout: Duration::from_secs(60),
            embedded_database_url: String::new(),
            cpus: None,
        };
        let mut service = launch.start_ready(&logs.path().join("wrapper"), "/").expect("serves");
        let (addr, pgid) = (service.addr, service.group.pgid());
        service.stop();
        assert!(!group_alive(pgid), "a process of the service's group is still running");
        // The port itself may be taken again by another test's service on a busy machine (free ports
        // are reused): what must not answer there is this test's server.
        if let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let _ = write!(stream, "GET / HTTP/1.0\r\n\r\n");
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            assert!(!answer.contains("SimpleHTTP"), "the wrapper's server still holds {addr}:\n{answer}");
        }
    }

    #[test]
    fn stdout_and_stderr_are_logged_apart() {
        let logs = tempfile::tempdir().expect("tempdir");
        let launch = Launch {
            program: PathBuf::from("/bin/sh"),
            args: vec!["-c".to_owned(), "echo out; echo err >&2".to_owned()],
            dir: logs.path().to_owned(),
            env: Vec::new(),
            env_remove: Vec::new(),
            start_timeout: Duration::from_secs(5),
            embedded_database_url: String::new(),
            cpus: None,
        };
        let mut service = launch.start(&logs.path().join("split")).expect("starts");
        assert!(service.wait_exit(Duration::from_secs(10)).expect("waits").is_some());
        assert_eq!((service.stdout().as_str(), service.stderr().as_str()), ("out\n", "err\n"));
    }
}
