//! A generated service as a child process on a free loopback port: started, awaited, always stopped.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// How long a service may take to start: a cold JVM or a first Python import is slow on two cores.
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// Process ids of running services, stopped by the interrupt handler.
static RUNNING: Mutex<Vec<u32>> = Mutex::new(Vec::new());
/// Temporary folders the interrupt handler removes (an exit skips their destructors).
static SCRATCH: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// A running service, stopped when dropped (also when a check panics) or when xtask is interrupted.
#[derive(Debug)]
pub struct Service {
    child: Child,
    pub addr: SocketAddr,
    log_path: PathBuf,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Ok(mut running) = RUNNING.lock() {
            running.retain(|pid| *pid != self.child.id());
        }
    }
}

impl Service {
    /// Starts `program args` in `dir` with `PORT`/`HOST` on a free loopback port, plus `envs`;
    /// everything it prints goes to `log_path`.
    pub fn start(
        dir: &Path,
        program: &Path,
        args: &[String],
        envs: &[(&str, String)],
        log_path: &Path,
    ) -> Result<Self> {
        install_interrupt_handler();
        let port = free_port()?;
        let log = std::fs::File::create(log_path)?;
        let child = Command::new(program)
            .args(args)
            .current_dir(dir)
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .envs(envs.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .with_context(|| format!("starting `{}`", program.display()))?;
        if let Ok(mut running) = RUNNING.lock() {
            running.push(child.id());
        }
        Ok(Self { child, addr: SocketAddr::from(([127, 0, 0, 1], port)), log_path: log_path.to_owned() })
    }

    /// Waits until `path` answers 200; fails early when the process exits.
    pub fn wait_until_ok(&mut self, path: &str) -> Result<Duration> {
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Some(status) = self.child.try_wait()? {
                bail!("the service exited with {status} before answering");
            }
            if let Ok(200) = get_status(self.addr, path) {
                return Ok(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("`{path}` did not answer 200 within {START_TIMEOUT:?}")
    }

    /// Everything the service printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }
}

/// Removes `dir` if xtask is interrupted; a normal exit leaves its removal to its owner.
pub fn remove_on_interrupt(dir: &Path) {
    install_interrupt_handler();
    if let Ok(mut scratch) = SCRATCH.lock() {
        scratch.push(dir.to_owned());
    }
}

/// On Ctrl-C or SIGTERM, stop every service still running and remove the scratch folders, then
/// exit: no server and no half-built project outlives xtask.
fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let pids = RUNNING.lock().map(|p| p.clone()).unwrap_or_default();
            for pid in pids {
                let _ = Command::new("kill").arg(pid.to_string()).status();
            }
            let dirs = SCRATCH.lock().map(|d| d.clone()).unwrap_or_default();
            for dir in dirs {
                let _ = std::fs::remove_dir_all(dir);
            }
            std::process::exit(130);
        });
    });
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
