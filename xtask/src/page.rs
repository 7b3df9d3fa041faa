//! The page of `backend-gen serve` in headless Chromium (Debian's `chromium`, driven over the
//! DevTools protocol): it loads, a stack and features can be picked, a choice the selection makes
//! invalid is disabled with its reason, a refused option blocks the download with the CLI's
//! message, a file can be explored, and the downloaded zip holds what `backend-gen new` writes.
//! Also takes the README's screenshots (light and dark).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use headless_chrome::browser::tab::ModifierKey;
use headless_chrome::protocol::cdp::{Browser as Cdp, Emulation, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::starter::{self, Starter};

/// How long the page may take for one thing (loading, a check with the server, a download).
const PATIENCE: Duration = Duration::from_secs(60);

/// What the run measured.
#[derive(Debug)]
pub struct PageReport {
    /// From navigation to the page filled from `/metadata`.
    pub load: Duration,
    /// From the click on "Download zip" to the file on disk.
    pub download: Duration,
}

/// Drives the page of `starter` in `chromium`; `binary` makes the reference project with `new`.
/// With `screenshots`, writes `serve-light.png` and `serve-dark.png` there.
pub fn check(chromium: &Path, starter: &Starter, binary: &Path, screenshots: Option<&Path>) -> Result<PageReport> {
    let downloads = tempfile::tempdir()?;
    let options = LaunchOptions::default_builder()
        .path(Some(chromium.to_owned()))
        .headless(true)
        // Root in a container has no user namespace for Chromium's sandbox.
        .sandbox(false)
        .window_size(Some((1280, 1500)))
        .idle_browser_timeout(Duration::from_secs(300))
        .build()
        .map_err(|e| anyhow!("{e}"))?;
    let browser = Browser::new(options).map_err(|e| anyhow!("Chromium did not start: {e}"))?;
    let tab = browser.new_tab().map_err(|e| anyhow!("{e}"))?;
    tab.set_default_timeout(PATIENCE);
    tab.call_method(Cdp::SetDownloadBehavior {
        behavior: Cdp::SetDownloadBehaviorBehaviorOption::Allow,
        browser_context_id: None,
        download_path: Some(downloads.path().display().to_string()),
        events_enabled: None,
    })
    .map_err(|e| anyhow!("{e}"))?;

    let started = Instant::now();
    tab.navigate_to(&format!("{}/", starter.base_url())).map_err(|e| anyhow!("{e}"))?;
    tab.wait_for_element("body[data-ready]").map_err(|e| anyhow!("the page never got ready: {e}"))?;
    let load = started.elapsed();
    wait_for_status(&tab, "Ready")?;

    // A stack, then a feature that requires another: the required one is locked on, with its reason.
    click(&tab, "#stack-node")?;
    wait_for_status(&tab, "Ready")?;
    click(&tab, "#feature-compose")?;
    wait_for_status(&tab, "Ready")?;
    ensure!(eval_bool(&tab, "document.getElementById('feature-docker').disabled")?, "docker stays changeable");
    let reason = eval_string(&tab, "document.querySelector('[data-reason=\"docker\"]').textContent")?;
    ensure!(reason.contains("required by compose"), "docker's reason reads {reason:?}");

    // An option value the CLI refuses: the page says the CLI's words and the download is blocked.
    click(&tab, "#stack-kotlin")?;
    set_value(&tab, "#option-group", "Com.Acme")?;
    let problem = wait_for_status(&tab, "option `group`")?;
    ensure!(
        eval_string(&tab, "document.getElementById('download-zip').getAttribute('aria-disabled')")? == "true",
        "the download stays enabled under {problem:?}"
    );
    ensure!(eval_bool(&tab, "!document.getElementById('download-zip').hasAttribute('href')")?, "a refused link");
    ensure!(eval_bool(&tab, "document.getElementById('option-group').getAttribute('aria-invalid') === 'true'")?);

    // A valid Python project: explore it with the keyboard shortcut, then download it.
    click(&tab, "#stack-python")?;
    set_value(&tab, "#name", "page-demo")?;
    click(&tab, "#feature-compose")?;
    wait_for_status(&tab, "Ready")?;
    tab.press_key_with_modifiers(" ", Some(&[ModifierKey::Ctrl])).map_err(|e| anyhow!("{e}"))?;
    tab.wait_for_element("#tree button[data-path='pyproject.toml']").map_err(|e| anyhow!("no file tree: {e}"))?;
    click(&tab, "#tree button[data-path='pyproject.toml']")?;
    let shown = eval_string(&tab, "document.getElementById('viewer').textContent")?;
    ensure!(
        shown.contains("name = \"page-demo\""),
        "the viewer shows {:?}",
        shown.chars().take(80).collect::<String>()
    );
    let init_env = eval_string(&tab, "document.getElementById('init-env').textContent")?;
    ensure!(init_env == "uv run page-demo init-env", "the page says to create .env with {init_env:?}");
    let cli = eval_string(&tab, "document.getElementById('cli').textContent")?;
    ensure!(cli == "backend-gen new page-demo --stack python --feature compose", "the command reads {cli:?}");

    if let Some(folder) = screenshots {
        std::fs::create_dir_all(folder)?;
        tab.press_key("Escape").map_err(|e| anyhow!("{e}"))?;
        for (scheme, file) in [("light", "serve-light.png"), ("dark", "serve-dark.png")] {
            tab.call_method(Emulation::SetEmulatedMedia {
                media: None,
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".to_owned(),
                    value: scheme.to_owned(),
                }]),
            })
            .map_err(|e| anyhow!("{e}"))?;
            let png = tab
                .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
                .map_err(|e| anyhow!("{e}"))?;
            std::fs::write(folder.join(file), png)?;
        }
    }

    wait_for_status(&tab, "Ready")?;
    let started = Instant::now();
    click(&tab, "#download-zip")?;
    let zip = wait_for_file(&downloads.path().join("page-demo.zip"))?;
    let download = started.elapsed();
    let work = tempfile::tempdir()?;
    let unpacked = starter::unpack(&std::fs::read(zip)?, &work.path().join("archive"))?;
    let reference = work.path().join("new");
    std::fs::create_dir_all(&reference)?;
    let out = std::process::Command::new(binary)
        .args(["new", "page-demo", "--stack", "python", "--feature", "compose", "--no-git", "--output"])
        .arg(&reference)
        .output()?;
    ensure!(out.status.success(), "`new` failed: {}", String::from_utf8_lossy(&out.stderr));
    starter::same_project(&reference.join("page-demo"), &unpacked)?;
    Ok(PageReport { load, download })
}

fn click(tab: &Tab, selector: &str) -> Result<()> {
    tab.wait_for_element(selector).and_then(|e| e.click().map(|_| ())).map_err(|e| anyhow!("`{selector}`: {e}"))
}

/// Types `value` into the field as a user would: select what is there, then type over it.
fn set_value(tab: &Tab, selector: &str, value: &str) -> Result<()> {
    click(tab, selector)?;
    tab.press_key_with_modifiers("a", Some(&[ModifierKey::Ctrl])).map_err(|e| anyhow!("{e}"))?;
    tab.type_str(value).map_err(|e| anyhow!("`{selector}`: {e}"))?;
    Ok(())
}

fn eval(tab: &Tab, expression: &str) -> Result<serde_json::Value> {
    let result = tab.evaluate(expression, false).map_err(|e| anyhow!("`{expression}`: {e}"))?;
    result.value.with_context(|| format!("`{expression}` has no value"))
}

fn eval_bool(tab: &Tab, expression: &str) -> Result<bool> {
    eval(tab, expression)?.as_bool().with_context(|| format!("`{expression}` is not a boolean"))
}

fn eval_string(tab: &Tab, expression: &str) -> Result<String> {
    Ok(eval(tab, expression)?.as_str().with_context(|| format!("`{expression}` is not a string"))?.to_owned())
}

/// Waits until the status line (the answer of `/preview`) contains `wanted`; returns it.
fn wait_for_status(tab: &Tab, wanted: &str) -> Result<String> {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let status = eval_string(tab, "document.getElementById('status').textContent")?;
        if status.contains(wanted) {
            return Ok(status);
        }
        if Instant::now() > deadline {
            bail!("the status never said {wanted:?}; it says {status:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits for a finished download (Chromium renames its `.crdownload` when done).
fn wait_for_file(path: &Path) -> Result<PathBuf> {
    let deadline = Instant::now() + PATIENCE;
    while !path.is_file() {
        ensure!(Instant::now() < deadline, "no `{}` after {} s", path.display(), PATIENCE.as_secs());
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(path.to_owned())
}
