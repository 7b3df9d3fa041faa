//! `backend-gen serve` over real HTTP: the metadata, the archives against `backend-gen new` of the
//! same spec, every refusal against the CLI's own message, and the limits.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// The binary with an empty `PATH` (no lockfile command runs: offline and fast, as for `new` below).
    fn start(flags: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
            .args(["serve", "--port", "0"])
            .args(flags)
            .env("PATH", "")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("the first line");
        let base = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .trim_end_matches('/')
            .to_owned();
        Self { child, base }
    }

    fn get(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut request = agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().expect("an answer");
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = response.body_mut().with_config().limit(64 << 20).read_to_vec().expect("a body");
        Answer { status, headers, body }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.text()))
    }

    /// An RFC 9457 problem of `status`; its detail.
    fn problem(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/problem+json");
        let body = self.json();
        assert_eq!(body["status"], status);
        assert_eq!(body["type"], "about:blank");
        assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
        body["detail"].as_str().expect("a detail").to_owned()
    }
}

fn backend_gen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(args)
        .current_dir(dir)
        .env("PATH", "")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// Path → (bytes, executable) of every file under `dir`.
type Tree = BTreeMap<String, (Vec<u8>, bool)>;

fn tree_on_disk(dir: &Path) -> Tree {
    use std::os::unix::fs::PermissionsExt;
    let mut tree = Tree::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).expect("inside").display().to_string();
                let executable = path.metadata().expect("metadata").permissions().mode() & 0o111 != 0;
                tree.insert(relative, (std::fs::read(&path).expect("readable"), executable));
            }
        }
    }
    tree
}

fn tree_in_zip(bytes: &[u8], top: &str) -> Tree {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut tree = Tree::new();
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("an entry");
        let name = file.name().expect("a name").into_owned();
        let relative = name.strip_prefix(&format!("{top}/")).unwrap_or_else(|| panic!("`{name}` outside `{top}/`"));
        if file.is_dir() {
            continue;
        }
        let executable = file.unix_mode().expect("a mode") & 0o111 != 0;
        let mut contents = Vec::new();
        file.read_to_end(&mut contents).expect("readable");
        tree.insert(relative.to_owned(), (contents, executable));
    }
    tree
}

fn tree_in_tgz(bytes: &[u8], top: &str) -> Tree {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut tree = Tree::new();
    for entry in tar.entries().expect("a tarball") {
        let mut entry = entry.expect("an entry");
        let name = entry.path().expect("a path").display().to_string();
        let relative = name.strip_prefix(&format!("{top}/")).unwrap_or_else(|| panic!("`{name}` outside `{top}/`"));
        if entry.header().entry_type().is_dir() {
            continue;
        }
        let executable = entry.header().mode().expect("a mode") & 0o111 != 0;
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).expect("readable");
        tree.insert(relative.to_owned(), (contents, executable));
    }
    tree
}

#[test]
fn metadata_lists_every_stack_with_its_features_and_options_and_revalidates() {
    let server = Server::start(&[]);
    let answer = server.get("/metadata", &[]);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), "application/json");
    let metadata = answer.json();
    assert_eq!(metadata["generator_version"], env!("CARGO_PKG_VERSION"));
    let stacks: Vec<_> = metadata["stacks"].as_array().expect("stacks").iter().map(|s| s["id"].clone()).collect();
    // Every registered stack, in the registry's order (a scaffolded stack included).
    let registered: Vec<_> = backend_gen::registry::registry().expect("the stacks").stacks().map(|s| s.id).collect();
    assert_eq!(stacks, registered);
    assert_eq!(stacks[..3], ["python", "node", "kotlin"]);
    for stack in metadata["stacks"].as_array().expect("stacks") {
        for feature in stack["features"].as_array().expect("features") {
            for key in ["id", "summary", "default", "requires", "conflicts", "group"] {
                assert!(feature.get(key).is_some(), "feature without `{key}`: {feature}");
            }
        }
        assert!(stack["groups"].is_array());
        for option in stack["options"].as_array().expect("options") {
            assert!(["one-of", "text"].contains(&option["values"]["kind"].as_str().expect("a kind")), "{option}");
            assert!(option["default"].is_string());
        }
    }
    let compose =
        &metadata["stacks"][0]["features"].as_array().expect("features").iter().find(|f| f["id"] == "compose");
    assert_eq!(compose.expect("compose")["requires"], serde_json::json!(["docker"]));

    let etag = answer.header("etag").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
    let again = server.get("/metadata", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(server.get("/metadata", &[("If-None-Match", "\"other\"")]).status, 200);
    // If-None-Match compares weakly (RFC 9110 §13.1.2).
    assert_eq!(server.get("/metadata", &[("If-None-Match", &format!("\"x\", W/{etag}"))]).status, 304);
}

#[test]
fn the_root_answers_by_what_the_client_accepts() {
    let server = Server::start(&[]);
    let page = server.get("/", &[("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")]);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    assert!(page.text().contains("<script src=\"/page.js\" defer></script>"));
    assert!(page.header("content-security-policy").contains("script-src 'self'"));
    assert!(page.header("vary").contains("Accept"));
    for asset in ["/page.js", "/page.css"] {
        assert_eq!(server.get(asset, &[]).status, 200, "{asset}");
    }

    let json = server.get("/", &[("Accept", "application/json")]);
    assert_eq!(json.json()["stacks"][0]["id"], "python");

    // curl's `Accept: */*`: usable help, with commands that name this server.
    let help = server.get("/", &[("Accept", "*/*")]).text();
    assert!(help.contains(&format!("curl -fsSLo orders.zip '{}/starter.zip?name=orders&stack=python'", server.base)));
    for stack in ["python", "node", "kotlin"] {
        assert!(help.contains(&format!("\n{stack}  ")), "{stack} missing from the help:\n{help}");
    }
    assert!(help.contains("feature=compose") && help.contains("option=build=…"), "{help}");
}

/// Each stack, plain and with features and options: the archive holds what `new` writes (`.env`
/// aside: an archive never holds a live secret), executable bits included, in one top folder.
#[test]
fn every_archive_holds_what_new_writes_except_the_env_file() {
    let server = Server::start(&[]);
    let specs: [(&str, &[&str]); 5] = [
        ("name=py-svc&stack=python", &["py-svc", "--stack", "python"]),
        (
            "name=py-all&stack=python&feature=compose&option=license%3Dmit&option=license-holder=Acme%20Ltd",
            &[
                "py-all",
                "--stack",
                "python",
                "--feature",
                "compose",
                "--option",
                "license=mit",
                "--option",
                "license-holder=Acme Ltd",
            ],
        ),
        ("name=node-svc&stack=node&no-default-features", &["node-svc", "--stack", "node", "--no-default-features"]),
        ("name=kt-svc&stack=kotlin", &["kt-svc", "--stack", "kotlin"]),
        (
            "name=kt-maven&stack=kotlin&option=build=maven&option=group=io.acme&feature=compose",
            &[
                "kt-maven",
                "--stack",
                "kotlin",
                "--option",
                "build=maven",
                "--option",
                "group=io.acme",
                "--feature",
                "compose",
            ],
        ),
    ];
    for (query, args) in specs {
        let name = args[0];
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cli = vec!["new"];
        cli.extend_from_slice(args);
        cli.extend_from_slice(&["--no-git", "--output", "."]);
        let out = backend_gen(dir.path(), &cli);
        assert!(out.status.success(), "{cli:?}: {}", String::from_utf8_lossy(&out.stderr));
        let mut expected = tree_on_disk(&dir.path().join(name));
        assert!(expected.remove(".env").is_some(), "`new` writes .env");

        let zip = server.get(&format!("/starter.zip?{query}"), &[]);
        assert_eq!(zip.status, 200, "{query}: {}", zip.text());
        assert_eq!(zip.header("content-type"), "application/zip");
        assert_eq!(zip.header("content-disposition"), format!("attachment; filename=\"{name}.zip\""));
        let zipped = tree_in_zip(&zip.body, name);
        assert!(!zipped.contains_key(".env"));
        let differs: Vec<_> =
            expected.keys().chain(zipped.keys()).filter(|p| expected.get(*p) != zipped.get(*p)).collect();
        assert!(differs.is_empty(), "{query}: differs from `new` at {differs:?}");

        let tgz = server.get(&format!("/starter.tgz?{query}"), &[]);
        assert_eq!(tgz.header("content-type"), "application/gzip");
        assert_eq!(tree_in_tgz(&tgz.body, name), zipped, "{query}: tar.gz and zip differ");
    }
    // The same request, the same bytes: no time inside.
    let first = server.get("/starter.zip?name=again&stack=node", &[]).body;
    let second = server.get("/starter.zip?name=again&stack=node", &[]).body;
    assert!(first == second, "two archives of one request differ");
    assert!(
        server.get("/starter.tgz?name=again&stack=node", &[]).body
            == server.get("/starter.tgz?name=again&stack=node", &[]).body
    );
}

#[test]
fn the_preview_is_the_plan() {
    let server = Server::start(&[]);
    let preview = server.get("/preview?name=orders&stack=python&feature=compose&no-default-features", &[]).json();
    assert_eq!(preview["name"], "orders");
    assert_eq!(preview["features"], serde_json::json!(["compose", "docker"]), "compose pulls in docker");
    let files = preview["files"].as_array().expect("files");
    let paths: Vec<_> = files.iter().filter_map(|f| f["path"].as_str()).collect();
    assert!(paths.contains(&"docker-compose.yml") && paths.contains(&".env.example"), "{paths:?}");
    assert!(!paths.contains(&".env") && !paths.contains(&".github/workflows/ci.yml"), "{paths:?}");
    let readme = files.iter().find(|f| f["path"] == "README.md").expect("a README");
    assert!(readme["contents"].as_str().expect("text").starts_with("# Orders\n"));
    assert_eq!(preview["lockfile"]["path"], "uv.lock");
}

/// The command that creates `.env` (an archive has none) is the one each project's README gives.
#[test]
fn the_page_and_the_readme_give_the_same_command_for_env() {
    let server = Server::start(&[]);
    for (query, command) in [
        ("stack=python", "uv run orders init-env"),
        ("stack=node", "npm run init-env"),
        ("stack=kotlin&option=build=maven", "java -jar target/orders-0.1.0.jar init-env"),
        ("stack=kotlin", "java -jar build/libs/orders-0.1.0-all.jar init-env"),
    ] {
        let preview = server.get(&format!("/preview?name=orders&{query}"), &[]).json();
        assert_eq!(preview["init_env"], command, "{query}");
        let files = preview["files"].as_array().expect("files");
        let readme =
            files.iter().find(|f| f["path"] == "README.md").expect("a README")["contents"].as_str().expect("text");
        assert!(readme.contains(command), "{query}: the README does not give `{command}`");
    }
}

/// A refusal's `detail` is exactly the message `backend-gen new` prints for the same input
/// (after its `error: `), and nothing is generated.
#[test]
fn every_refusal_is_a_problem_with_the_message_of_new() {
    let server = Server::start(&[]);
    let cases: [(&str, &[&str]); 10] = [
        ("name=..&stack=python", &["..", "--stack", "python"]),
        ("name=a%2Fb&stack=python", &["a/b", "--stack", "python"]),
        ("name=test&stack=python", &["test", "--stack", "python"]),
        ("name=%00x&stack=python", &["\u{1}x", "--stack", "python"]),
        ("name=orders&stack=pyhton", &["orders", "--stack", "pyhton"]),
        ("name=orders&stack=python&feature=compsoe", &["orders", "--stack", "python", "--feature", "compsoe"]),
        ("name=orders&stack=python&option=build=maven", &["orders", "--stack", "python", "--option", "build=maven"]),
        ("name=orders&stack=python&option=license=bsd", &["orders", "--stack", "python", "--option", "license=bsd"]),
        ("name=orders&stack=python&option=license", &["orders", "--stack", "python", "--option", "license"]),
        (
            "name=orders&stack=kotlin&option=group=Com.Acme",
            &["orders", "--stack", "kotlin", "--option", "group=Com.Acme"],
        ),
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    for (query, args) in cases {
        let mut cli = vec!["new"];
        cli.extend_from_slice(args);
        cli.push("--dry-run");
        let out = backend_gen(dir.path(), &cli);
        assert_eq!(out.status.code(), Some(2), "{cli:?}");
        let message = String::from_utf8_lossy(&out.stderr);
        let message = message.trim_end().strip_prefix("error: ").unwrap_or(&message).to_owned();
        if args[0] == "\u{1}x" {
            // A NUL cannot be an argument; the same kind of name (a control character) is refused the same way.
            let detail = server.get(&format!("/starter.zip?{query}"), &[]).problem(400);
            assert!(detail.contains("x`"), "{detail}");
            continue;
        }
        for path in ["/starter.zip", "/starter.tgz", "/preview"] {
            let detail = server.get(&format!("{path}?{query}"), &[]).problem(400);
            assert_eq!(detail, message, "{path}?{query}");
        }
    }
    // What only the query string can get wrong.
    for (query, named) in [
        ("stack=python", "`name`"),
        ("name=orders", "`stack`"),
        ("name=a&name=b&stack=python", "`name`"),
        ("name=orders&stack=python&features=compose", "`features`"),
        ("name=orders&stack=python&no-default-features=maybe", "`no-default-features=maybe`"),
    ] {
        let detail = server.get(&format!("/starter.zip?{query}"), &[]).problem(400);
        assert!(detail.contains(named), "{query}: {detail}");
    }
}

#[test]
fn the_limits_hold_and_say_so() {
    let server = Server::start(&["--rate-limit", "2"]);
    // A refused query and a HEAD make no archive, so they cost nothing.
    for _ in 0..3 {
        server.get("/starter.zip?name=..&stack=python", &[]).problem(400);
    }
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let head = agent.head(format!("{}/starter.tgz?name=orders&stack=node", server.base)).call().expect("an answer");
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers().get("content-disposition").and_then(|v| v.to_str().ok()),
        Some("attachment; filename=\"orders.tar.gz\"")
    );
    for _ in 0..2 {
        assert_eq!(server.get("/starter.zip?name=orders&stack=python", &[]).status, 200);
    }
    let third = server.get("/starter.zip?name=orders&stack=python", &[]);
    let detail = third.problem(429);
    assert!(detail.contains("more than 2 archives a minute"), "{detail}");
    assert!(third.header("retry-after").parse::<u64>().is_ok_and(|s| s >= 1), "{:?}", third.headers);
    // Previews have their own, larger quota: the page keeps working.
    assert_eq!(server.get("/preview?name=orders&stack=python", &[]).status, 200);

    let long = format!("/preview?name={}&stack=python", "x".repeat(5000));
    assert!(server.get(&long, &[]).problem(414).contains("at most 4096"));

    let post = agent.post(format!("{}/starter.zip", server.base)).send("name=x").expect("an answer");
    assert_eq!(post.status(), 413, "a body is refused before the route");
    let delete = agent.delete(format!("{}/starter.zip", server.base)).call().expect("an answer");
    assert_eq!(delete.status(), 405);
    assert_eq!(delete.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET, HEAD"));
    assert!(server.get("/../etc/passwd", &[]).problem(404).contains("no page at"));
}

#[test]
fn a_port_in_use_is_a_user_error_naming_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("an address").port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["serve", "--port", &port])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let message = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains(&format!("`127.0.0.1:{port}`")) && message.contains("--port"), "{message}");
    let bad_host = backend_gen(Path::new("."), &["serve", "--host", "localhost:80"]);
    assert_eq!(bad_host.status.code(), Some(2));
}
