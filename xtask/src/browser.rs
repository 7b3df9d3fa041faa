//! `/docs` in a real browser, for every stack: headless Chromium (Debian's `chromium`) loads the
//! served Swagger UI, which must render every operation of the served `/openapi.json` with no
//! console error and no Content-Security-Policy violation. A page that passes `curl` can still be
//! blank (a blocked script, a CDN out of reach): only a browser sees that.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use backend_gen_core::contract::CONTRACT;

use crate::conformance::http::{self, Request};

/// How long the page may run its scripts, in the browser's virtual time.
const BUDGET: Duration = Duration::from_secs(15);
/// The methods an OpenAPI path item may hold, each an operation Swagger UI shows.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// The browser, if installed.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find_map(|name| crate::process::locate(std::path::Path::new("."), name))
}

/// Loads `/docs` of the service at `addr` in `browser` and checks what it rendered.
pub fn check_docs(browser: &std::path::Path, addr: SocketAddr) -> Result<()> {
    let document = http::send(addr, Ipv4Addr::LOCALHOST, &Request::new("GET", CONTRACT.paths.openapi))?
        .json()
        .context("`/openapi.json` is not JSON")?;
    let operations = document["paths"]
        .as_object()
        .map_or(0, |paths| paths.values().map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count()).sum());
    ensure!(operations > 0, "`/openapi.json` describes no operation");

    let profile = tempfile::tempdir()?;
    // The flags that keep Chromium off a network it cannot reach (see the machine's notes).
    let output = Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--virtual-time-budget={}", BUDGET.as_millis()))
        .arg("--dump-dom")
        .arg(format!("http://{addr}{}", CONTRACT.paths.docs))
        .output()
        .context("running Chromium")?;
    ensure!(output.status.success(), "Chromium failed: {}", String::from_utf8_lossy(&output.stderr));
    let dom = String::from_utf8_lossy(&output.stdout);
    let log = String::from_utf8_lossy(&output.stderr);
    let problems = page_problems(&log);
    if !problems.is_empty() {
        bail!("the page logged {} problem(s):\n{}", problems.len(), problems.join("\n"));
    }
    let rendered = dom.matches("class=\"opblock opblock-").count();
    ensure!(
        rendered >= operations,
        "Swagger UI rendered {rendered} operation(s) of the {operations} in `/openapi.json`"
    );
    Ok(())
}

/// Console errors, uncaught exceptions and CSP violations in Chromium's log.
fn page_problems(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("CONSOLE"))
        .filter(|line| {
            ["Refused to", "Uncaught", "Error", "error", "Content Security Policy"].iter().any(|m| line.contains(m))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_errors_and_csp_violations_are_problems_browser_noise_is_not() {
        let log = "\
[1:2:ERROR:dbus/bus.cc:405] Failed to connect to the bus
[1:1:INFO:CONSOLE(1)] \"Refused to execute inline script because it violates the following Content Security Policy directive\"
[1:1:INFO:CONSOLE(2)] \"Uncaught TypeError: x is undefined\"
[1:1:INFO:CONSOLE(3)] \"Swagger UI ready\"";
        let problems = page_problems(log);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
