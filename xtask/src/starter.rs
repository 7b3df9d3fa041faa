//! `backend-gen serve` in verify: one server for the run (with this machine's tools, so archives
//! carry their lockfile), archives downloaded for a fixture's answers, checked against what
//! `backend-gen new` wrote for the same answers, and unpacked as the project verify goes on with.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use backend_gen_core::answers::Answers;

use crate::conformance::http::{self, Request};

/// A running `backend-gen serve`, stopped when dropped.
#[derive(Debug)]
pub struct Starter {
    child: Child,
    pub address: SocketAddr,
}

impl Starter {
    /// Starts `binary serve` on a free loopback port, with a rate limit no verify run reaches.
    pub fn start(binary: &Path) -> Result<Self> {
        let mut child = Command::new(binary)
            .args(["serve", "--host", "127.0.0.1", "--port", "0", "--rate-limit", "100000"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("`{} serve` could not start", binary.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().context("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let address = line
            .split_whitespace()
            .find_map(|word| word.strip_prefix("http://"))
            .and_then(|rest| rest.trim_end_matches('/').parse().ok())
            .with_context(|| format!("`backend-gen serve` printed no address: {line:?}"))?;
        Ok(Self { child, address })
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// `GET path`, the whole answer, within the server's own time limit for an archive.
    pub fn get(&self, path: &str) -> Result<http::Response> {
        let request = Request::new("GET", path).patience(Duration::from_secs(180));
        Ok(http::send(self.address, Ipv4Addr::LOCALHOST, &request)?)
    }

    /// The zip archive of the project `answers` describe.
    pub fn zip(&self, answers: &Answers) -> Result<Vec<u8>> {
        let answer = self.get(&format!("/starter.zip?{}", query(answers)))?;
        ensure!(answer.status == 200, "`/starter.zip` answered {}", answer.describe());
        Ok(answer.body)
    }
}

impl Drop for Starter {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The query string that asks for exactly the project of `answers` (its features are complete,
/// as `new --answers` reads them: no defaults added).
pub fn query(answers: &Answers) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("name", &answers.name).append_pair("stack", &answers.stack);
    query.append_pair("no-default-features", "true");
    if !answers.features.is_empty() {
        query.append_pair("feature", &answers.features.join(","));
    }
    for (key, value) in &answers.options {
        query.append_pair("option", &format!("{key}={value}"));
    }
    query.finish()
}

/// Unpacks `zip` into `into`, which must hold exactly one top folder afterwards; returns it.
pub fn unpack(zip: &[u8], into: &Path) -> Result<PathBuf> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).context("not a zip archive")?;
    // The zip crate refuses entries that would leave `into` and applies the archived modes.
    archive.extract(into).context("the archive could not be unpacked")?;
    let top: Vec<_> = std::fs::read_dir(into)?.collect::<std::io::Result<_>>()?;
    match top.as_slice() {
        [only] if only.path().is_dir() => Ok(only.path()),
        _ => bail!("the archive holds {} top-level entries, not one folder", top.len()),
    }
}

/// Path → (bytes, executable) of every file under `dir`.
fn files(dir: &Path) -> Result<BTreeMap<String, (Vec<u8>, bool)>> {
    use std::os::unix::fs::PermissionsExt;
    let mut tree = BTreeMap::new();
    let mut folders = vec![dir.to_owned()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let mut contents = Vec::new();
            std::fs::File::open(&path)?.read_to_end(&mut contents)?;
            let executable = path.metadata()?.permissions().mode() & 0o111 != 0;
            tree.insert(path.strip_prefix(dir)?.display().to_string(), (contents, executable));
        }
    }
    Ok(tree)
}

/// Checks that `archived` holds what `generated` (by `new`) holds, `.env` aside, which only `new`
/// writes. Errors name every path that differs.
pub fn same_project(generated: &Path, archived: &Path) -> Result<()> {
    let mut expected = files(generated)?;
    ensure!(expected.remove(".env").is_some(), "`new` wrote no `.env` in `{}`", generated.display());
    let actual = files(archived)?;
    ensure!(!actual.contains_key(".env"), "the archive holds a `.env`");
    let differs: Vec<_> = expected.keys().chain(actual.keys()).filter(|p| expected.get(*p) != actual.get(*p)).collect();
    ensure!(differs.is_empty(), "the archive differs from `new`'s output at {differs:?}");
    Ok(())
}
