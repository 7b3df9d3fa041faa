//! The binary run as a user runs it: exit statuses, messages, and what is (not) left on disk.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The binary with an empty `PATH`: no stack tool runs (no `uv lock`), so these tests need no
/// network; `the_first_commit_holds_the_lockfile` runs with the real one.
fn backend_gen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(args)
        .current_dir(dir)
        .env("PATH", "")
        .env_remove("BACKEND_GEN_FAIL_AFTER_FILES")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A user error: status 2, a message naming `value` in backticks, and nothing written.
fn assert_user_error(dir: &Path, args: &[&str], value: &str) -> String {
    let out = backend_gen(dir, args);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {message}");
    assert!(message.contains(&format!("`{value}`")), "{args:?} should name `{value}`: {message}");
    assert!(!message.contains("panicked"), "{message}");
    assert!(entries(dir).is_empty(), "{args:?} left {:?}", entries(dir));
    message
}

#[test]
fn bad_names_are_refused_with_a_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, suggestion) in
        [("../x", "x"), ("a/b", "b"), ("test", "test-service"), ("json", "json-service"), ("café", "caf")]
    {
        let message = assert_user_error(dir.path(), &["new", name, "--stack", "python"], name);
        assert!(message.contains(suggestion), "{message}");
    }
    assert_user_error(dir.path(), &["new", "", "--stack", "python"], "my-service");
    assert_user_error(dir.path(), &["new", &"x".repeat(41), "--stack", "python"], &"x".repeat(41));
    assert_user_error(dir.path(), &["new", "fastapi", "--stack", "python"], "fastapi");
}

#[test]
fn names_of_packages_in_the_dependency_tree_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Distributions (PyPI-normalised) and import names, direct and transitive, runtime and dev.
    for name in [
        "pyjwt",
        "click",
        "h11",
        "idna",
        "python-dotenv",
        "Python_Dotenv",
        "httpx2",
        "packaging",
        "pluggy",
        "dotenv",
        "yaml",
        "mako",
        "jwt",
        "starlette",
        "uvicorn",
        "uv-build",
    ] {
        let message = assert_user_error(dir.path(), &["new", name, "--stack", "python"], name);
        assert!(message.contains("-service`"), "{message}");
    }
    let out = backend_gen(dir.path(), &["new", "orders", "--stack", "python", "--dry-run"]);
    assert!(out.status.success(), "`orders` is still a fine name: {}", stderr(&out));
}

#[test]
fn unknown_stack_and_feature_list_the_valid_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message = assert_user_error(dir.path(), &["new", "demo", "--stack", "cobol"], "cobol");
    assert!(message.contains("`python`"), "{message}");
    let message = assert_user_error(dir.path(), &["new", "demo", "--stack", "python", "--feature", "kafka"], "kafka");
    assert!(message.contains("`docker`") && message.contains("`compose`"), "{message}");
}

#[test]
fn near_misses_get_a_did_you_mean() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message = assert_user_error(dir.path(), &["new", "demo", "--stack", "pyhton"], "pyhton");
    assert!(message.contains("did you mean `python`?"), "{message}");
    let message = assert_user_error(dir.path(), &["new", "demo", "--stack", "python", "--feature", "dokcer"], "dokcer");
    assert!(message.contains("did you mean `docker`?"), "{message}");
}

#[test]
fn options_are_validated_like_every_other_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message =
        assert_user_error(dir.path(), &["new", "demo", "--stack", "python", "--option", "build=maven"], "build");
    assert!(
        message.contains(
            "unknown option `build` for stack `python`; valid options: `license`, `license-holder`, `license-year`"
        ),
        "{message}"
    );
    let message =
        assert_user_error(dir.path(), &["new", "demo", "--stack", "node", "--option", "license=gpl-3.0"], "gpl-3.0");
    assert!(message.contains("valid values: `none`, `mit`, `apache-2.0`"), "{message}");
    let message = assert_user_error(dir.path(), &["new", "demo", "--stack", "python", "--option", "build"], "build");
    assert!(message.contains("--option KEY=VALUE"), "{message}");
}

#[test]
fn list_shows_choices_not_internals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["list", "--format", "json"]);
    assert!(out.status.success());
    let listing: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let python = &listing["stacks"][0];
    assert_eq!(python["id"], "python");
    assert!(python["features"].as_array().is_some_and(|f| f.iter().any(|f| f["id"] == "compose")));
    assert!(python.get("groups").is_some() && python.get("options").is_some());
    let options: Vec<_> = python["options"].as_array().expect("options").iter().map(|o| o["key"].clone()).collect();
    assert_eq!(options, ["license", "license-holder", "license-year"], "every stack lists the common options");
    for internal in ["verification", "identifiers", "templates", "reserved_names"] {
        assert!(python.get(internal).is_none(), "`{internal}` is internal: {python}");
    }
}

#[test]
fn missing_choices_without_a_terminal_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message = assert_user_error(dir.path(), &["new", "demo"], "backend-gen new demo --stack python");
    assert!(message.contains("--stack"), "{message}");
    assert_user_error(dir.path(), &["new"], "backend-gen new my-service --stack python");
}

#[test]
fn non_empty_target_is_refused_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("demo")).expect("mkdir");
    fs::write(dir.path().join("demo/mine.txt"), "keep me").expect("write");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2), "a dry run refuses what the run would: {}", stderr(&out));
    assert_eq!(entries(&dir.path().join("demo")), ["mine.txt"]);
    assert_eq!(entries(dir.path()), ["demo"], "no stage may be left beside the target");

    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--force", "--no-git"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("demo/mine.txt").exists());
    assert!(dir.path().join("demo/pyproject.toml").exists());
}

#[test]
fn force_replaces_the_target_whatever_path_reaches_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let absolute = dir.path().display().to_string();
    let inner = format!("{absolute}/app1/..");
    for output in [".", "app1/..", "./app1/../.", absolute.as_str(), inner.as_str()] {
        let out =
            backend_gen(dir.path(), &["new", "app1", "--stack", "python", "--no-git", "--force", "--output", output]);
        assert!(out.status.success(), "--output {output}: {}", stderr(&out));
        assert!(dir.path().join("app1/pyproject.toml").exists(), "--output {output}");
        assert!(!dir.path().join("app1/mine.txt").exists(), "--output {output}: the old project is replaced");
        assert_eq!(entries(dir.path()), ["app1"], "--output {output}: no hidden folder left beside it");
        fs::write(dir.path().join("app1/mine.txt"), "an edit").expect("write");
    }
}

#[test]
fn an_output_folder_that_cannot_hold_the_project_is_a_user_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("afile"), "").expect("write");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--output", "afile"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("`afile`") && stderr(&out).contains("--output"), "{}", stderr(&out));
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--output", "afile", "--dry-run"]);
    assert_eq!(out.status.code(), Some(2), "a dry run refuses what the run would: {}", stderr(&out));
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--output", "afile/sub"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(entries(dir.path()), ["afile"]);
}

#[test]
fn an_answers_file_from_a_newer_backend_gen_warns_naming_both_versions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = "generator_version = \"99.0.0\"\nname = \"demo\"\nstack = \"python\"\nfeatures = []\n";
    fs::write(dir.path().join("answers.toml"), answers).expect("write");
    let out = backend_gen(dir.path(), &["new", "--answers", "answers.toml", "--no-git", "--output", "out"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let warning = stderr(&out);
    assert!(warning.contains("99.0.0") && warning.contains(env!("CARGO_PKG_VERSION")), "{warning}");
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    stdout(&out).trim().to_owned()
}

#[test]
fn inside_a_work_tree_no_nested_repository_is_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "--quiet"]);
    fs::create_dir(dir.path().join("services")).expect("mkdir");
    let out = backend_gen(&dir.path().join("services"), &["new", "inner", "--stack", "python"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("inside the git work tree"), "{}", stderr(&out));
    assert!(!dir.path().join("services/inner/.git").exists(), "a nested repository");
    let untracked = git(dir.path(), &["status", "--porcelain", "--untracked-files=all"]);
    assert!(untracked.contains("services/inner/pyproject.toml"), "the outer repository sees the files:\n{untracked}");
    assert!(
        !untracked.contains("inner/.env\n") && !untracked.ends_with("inner/.env"),
        "and not the secret:\n{untracked}"
    );
}

#[test]
fn the_first_branch_is_the_users_default_branch() {
    let dir = tempfile::tempdir().expect("tempdir");
    let home = dir.path().join("home");
    fs::create_dir(&home).expect("mkdir");
    fs::write(
        home.join(".gitconfig"),
        "[init]\n\tdefaultBranch = trunk\n[user]\n\tname = Ada\n\temail = ada@example.com\n",
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["new", "demo", "--stack", "python"])
        .current_dir(dir.path())
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("GIT_CONFIG_GLOBAL")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let project = dir.path().join("demo");
    assert_eq!(git(&project, &["branch", "--show-current"]), "trunk");
    assert_eq!(git(&project, &["log", "-1", "--format=%an <%ae>"]), "Ada <ada@example.com>");
}

#[test]
fn the_first_commit_holds_the_lockfile() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The real PATH: uv is one of the tools the tests need (`.ci/run` installs it).
    let out = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["new", "demo", "--stack", "python"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("uv.lock"), "uv must be installed for this test: {}", stderr(&out));
    let committed = git(&dir.path().join("demo"), &["ls-files", "uv.lock"]);
    assert_eq!(committed, "uv.lock");
    // With the lockfile there, the next steps install exactly what it pins.
    assert!(stdout(&out).contains("\n  make install\n"), "{}", stdout(&out));
}

#[test]
fn without_the_stack_tool_generation_says_how_to_make_the_lockfile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let note = stderr(&out);
    assert!(note.contains("no `uv.lock` was written: `uv` is not installed") && note.contains("uv lock"), "{note}");
    assert!(!dir.path().join("demo/uv.lock").exists());
    // `make install` is `uv sync --locked`, which would fail: the next steps resolve instead.
    let next = stdout(&out);
    assert!(next.contains("\n  uv sync\n") && !next.contains("make install"), "{next}");
}

#[test]
fn without_npm_the_next_steps_do_not_say_npm_ci() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "node", "--no-git"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("no `package-lock.json` was written"), "{}", stderr(&out));
    let next = stdout(&out);
    assert!(next.contains("\n  npm install\n") && !next.contains("npm ci"), "{next}");
}

#[test]
fn the_env_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--no-git"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mode = fs::metadata(dir.path().join("demo/.env")).expect(".env").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let example = fs::metadata(dir.path().join("demo/.env.example")).expect("example").permissions().mode();
    assert_ne!(example & 0o777, 0o600, "the example is an ordinary file");
}

#[test]
fn dry_run_writes_nothing_and_lists_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("pyproject.toml") && text.contains("features: docker, github-actions"), "{text}");
    assert!(entries(dir.path()).is_empty());

    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--dry-run", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["stack"], "python");
    assert_eq!(report["features"], serde_json::json!(["docker", "github-actions"]));
    let files = report["files"].as_array().expect("files");
    assert!(files.iter().any(|f| f["path"] == ".backend-gen.toml"));
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn failure_mid_write_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["new", "demo", "--stack", "python"])
        .current_dir(dir.path())
        .env("BACKEND_GEN_FAIL_AFTER_FILES", "5")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was written"), "{}", stderr(&out));
    assert!(entries(dir.path()).is_empty(), "left {:?}", entries(dir.path()));
}

#[test]
fn an_interrupt_leaves_nothing_behind_and_stops_the_running_tool() {
    use std::os::unix::fs::PermissionsExt;
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().expect("tempdir");
    let tools = tempfile::tempdir().expect("tempdir");
    // A lockfile tool that says who it is and takes its time: the signal lands while it runs, when
    // the stage already holds every file and the project's fresh secrets.
    let pid_file = tools.path().join("uv.pid");
    let uv = tools.path().join("uv");
    fs::write(&uv, format!("#!/bin/sh\necho $$ > '{}'\nexec sleep 60\n", pid_file.display())).expect("script");
    fs::set_permissions(&uv, fs::Permissions::from_mode(0o755)).expect("executable");
    let run = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["new", "demo", "--stack", "python"])
        .current_dir(dir.path())
        .env("PATH", format!("{}:/usr/bin:/bin", tools.path().display()))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let started = Instant::now();
    let tool = loop {
        if let Some(pid) = fs::read_to_string(&pid_file).ok().and_then(|p| p.trim().parse::<u32>().ok()) {
            break pid;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the lockfile tool never started");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(entries(dir.path()).iter().any(|e| e.starts_with(".demo.backend-gen-")), "no stage to remove");
    let kill = Command::new("kill").args(["-TERM", &run.id().to_string()]).status().expect("kill runs");
    assert!(kill.success());
    let out = run.wait_with_output().expect("ends");
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    assert!(entries(dir.path()).is_empty(), "left {:?}", entries(dir.path()));
    let stopped = Instant::now();
    while Path::new(&format!("/proc/{tool}")).exists() {
        assert!(stopped.elapsed() < Duration::from_secs(10), "the lockfile tool {tool} still runs");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn generates_a_git_repository_with_a_fresh_uncommitted_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["one", "two"] {
        let out = backend_gen(dir.path(), &["new", name, "--stack", "python"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(stdout(&out).contains("make check"), "{}", stdout(&out));
    }
    let secret = |name: &str| {
        let env = fs::read_to_string(dir.path().join(name).join(".env")).expect(".env");
        env.lines().find_map(|l| l.strip_prefix("JWT_SECRET=")).expect("JWT_SECRET line").to_owned()
    };
    assert_eq!(secret("one").len(), 64);
    assert_ne!(secret("one"), secret("two"), "every project gets its own secret");
    let example = fs::read_to_string(dir.path().join("one/.env.example")).expect(".env.example");
    assert!(!example.contains(&secret("one")));

    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(dir.path().join("one")).output().expect("git runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let tracked = git(&["ls-files"]);
    assert!(tracked.contains("pyproject.toml") && tracked.contains(".env.example"), "{tracked}");
    assert!(!tracked.lines().any(|l| l == ".env"), "the secret must not be committed");
    assert_eq!(git(&["rev-list", "--count", "HEAD"]).trim(), "1");
    assert!(git(&["status", "--porcelain"]).is_empty(), "everything is committed or ignored");
}

#[test]
fn answers_file_regenerates_the_same_project() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(
        dir.path(),
        &["new", "first", "--stack", "python", "--no-default-features", "-f", "compose", "--no-git"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    fs::create_dir(dir.path().join("again")).expect("mkdir");
    let out =
        backend_gen(dir.path(), &["new", "--answers", "first/.backend-gen.toml", "--output", "again", "--no-git"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = |root: &Path| {
        let mut files = Vec::new();
        collect(root, root, &mut files);
        files
    };
    assert_eq!(listing(&dir.path().join("first")), listing(&dir.path().join("again/first")));
    assert!(dir.path().join("first/docker-compose.yml").exists());
    assert!(!dir.path().join("first/.github").exists());
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.file_name().is_some_and(|n| n != ".env") {
            let rel = path.strip_prefix(root).expect("inside").display().to_string();
            out.push((rel, fs::read_to_string(&path).expect("text")));
        }
    }
    out.sort();
}

#[test]
fn bad_answers_files_are_user_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("answers.toml"), "name = \"demo\"\nstack = \"python\"\ncolour = 1\n").expect("write");
    let out = backend_gen(dir.path(), &["new", "--answers", "answers.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`answers.toml`"), "{}", stderr(&out));
    let out = backend_gen(dir.path(), &["new", "--answers", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`missing.toml`"), "{}", stderr(&out));
}

#[test]
fn list_help_version_and_completions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = backend_gen(dir.path(), &["list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let python = &list["stacks"][0];
    assert_eq!(python["id"], "python");
    assert!(python["features"].as_array().expect("features").iter().any(|f| f["id"] == "compose"));
    assert!(stdout(&backend_gen(dir.path(), &["list"])).contains("--feature compose"));

    let out = backend_gen(dir.path(), &["--help"]);
    assert!(out.status.success() && stdout(&out).contains("Examples:"));
    let out = backend_gen(dir.path(), &["--version"]);
    assert!(stdout(&out).starts_with("backend-gen "));
    let out = backend_gen(dir.path(), &["completions", "bash"]);
    assert!(out.status.success() && stdout(&out).contains("backend-gen"));
    let out = backend_gen(dir.path(), &["new", "demo", "--stack", "python", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

// Third-party templates (`--template`).

fn template_fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/templates").join(name).display().to_string()
}

/// A small template of the test's own in `dir/name`: `config` as its `cargo-generate.toml`.
fn write_template(dir: &Path, name: &str, config: &str) -> String {
    let root = dir.join(name);
    fs::create_dir_all(root.join("src")).expect("mkdir");
    fs::write(root.join("cargo-generate.toml"), config).expect("write");
    fs::write(root.join("README.md"), "# {{project-name}}\n").expect("write");
    root.display().to_string()
}

/// The binary with the real `PATH`, for a template hook that runs `sh`.
fn backend_gen_with_path(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(args)
        .current_dir(dir)
        .env_remove("BACKEND_GEN_FAIL_AFTER_FILES")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

#[test]
fn a_template_renders_with_defines_records_its_answers_and_regenerates_from_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let axum = template_fixture("axum-min");
    let out = backend_gen(dir.path(), &["new", "demo", "--template", &axum, "--define", "port=9000"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("cargo test"), "{}", stdout(&out));
    let demo = dir.path().join("demo");
    let lib = fs::read_to_string(demo.join("src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("DEFAULT_PORT: u16 = 9000;") && lib.contains("HEALTH_PATH: &str = \"/health\";"), "{lib}");
    assert!(fs::read_to_string(demo.join("Cargo.toml")).expect("manifest").contains("name = \"demo\""));
    assert!(!demo.join("Dockerfile").exists(), "the Dockerfile is conditional on `docker`, false by default");
    assert!(!demo.join("cargo-generate.toml").exists());

    let answers = fs::read_to_string(demo.join(".backend-gen.toml")).expect("answers");
    let canonical = fs::canonicalize(&axum).expect("path").display().to_string();
    assert!(answers.contains(&format!("path = \"{canonical}\"")), "{answers}");
    for value in ["port = \"9000\"", "health_path = \"/health\"", "docker = false"] {
        assert!(answers.contains(value), "{value} in {answers}");
    }
    assert!(!answers.contains("commit"), "a plain folder has no commit: {answers}");

    let repo = git2::Repository::open(&demo).expect("a repository");
    let head = repo.head().expect("head").peel_to_commit().expect("commit");
    assert_eq!(head.parent_count(), 0, "one commit");
    assert!(head.tree().expect("tree").get_path(Path::new(".backend-gen.toml")).is_ok());
    assert_eq!(entries(dir.path()), ["demo"], "no scratch folder is left beside it");

    let again = dir.path().join("again");
    let out = backend_gen(dir.path(), &["new", "--answers", "demo/.backend-gen.toml", "--output", "again"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in [".backend-gen.toml", "Cargo.toml", "src/lib.rs", "src/main.rs", "tests/health.rs", "README.md"] {
        assert_eq!(
            fs::read(demo.join(file)).expect("first"),
            fs::read(again.join("demo").join(file)).expect("again"),
            "{file}"
        );
    }
}

#[test]
fn a_template_takes_choices_and_its_conditional_file_from_defines_and_answers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let axum = template_fixture("axum-min");
    let out = backend_gen(
        dir.path(),
        &["new", "demo", "--template", &axum, "-d", "health_path=/healthz", "-d", "docker=true", "--no-git"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dockerfile = fs::read_to_string(dir.path().join("demo/Dockerfile")).expect("the conditional file");
    assert!(dockerfile.contains("EXPOSE 8080"), "{dockerfile}");
    assert!(!dir.path().join("demo/.git").exists());

    // The fixture answers file names its template relative to itself.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/template-axum-min.toml");
    let out = backend_gen(dir.path(), &["new", "--answers", &fixture.display().to_string(), "--output", "f"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lib = fs::read_to_string(dir.path().join("f/demo/src/lib.rs")).expect("lib.rs");
    assert!(lib.contains("= 9000;") && lib.contains("\"/healthz\""), "{lib}");
    assert!(dir.path().join("f/demo/Dockerfile").exists());
}

/// A template is a Rust project: Rust's rules apply to its name (keywords, the crates it depends
/// on), not the stacks' (`json` is a Python module, not a Rust problem).
#[test]
fn a_template_s_name_follows_rust_s_rules_not_the_stacks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let axum = template_fixture("axum-min");
    for (name, why) in
        [("async", "Rust keyword"), ("crate", "Rust keyword"), ("tokio", "depends on"), ("axum", "depends on")]
    {
        let message = assert_user_error(dir.path(), &["new", name, "--template", &axum], name);
        assert!(message.contains(why) && message.contains(&format!("{name}-service")), "{message}");
    }
    let out = backend_gen(dir.path(), &["new", "json", "--template", &axum, "--no-git"]);
    assert!(out.status.success(), "`json` is a fine crate name: {}", stderr(&out));
}

#[test]
fn bad_template_values_and_flags_are_refused_with_nothing_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let axum = template_fixture("axum-min");
    let refused = |args: &[&str], value: &str| assert_user_error(dir.path(), args, value);
    let message = refused(&["new", "demo", "--template", &axum, "--define", "health_path=/status"], "/status");
    assert!(message.contains("`/health`, `/healthz`"), "{message}");
    refused(&["new", "demo", "--template", &axum, "--define", "port=80a"], "80a");
    refused(&["new", "demo", "--template", &axum, "--define", "docker=yes"], "yes");
    let message = refused(&["new", "demo", "--template", &axum, "--define", "prot=1"], "prot");
    assert!(message.contains("did you mean `port`"), "{message}");
    refused(&["new", "demo", "--template", &axum, "--define", "port"], "port");
    refused(&["new", "demo", "--template", &axum, "--stack", "python"], "--stack");
    refused(&["new", "demo", "--template", &axum, "--feature", "docker"], "--feature");
    refused(&["new", "demo", "--stack", "python", "--define", "port=1"], "--define port=1");
    refused(&["new", "demo", "--stack", "python", "--allow-commands"], "--allow-commands");
    refused(
        &["new", "demo", "--template", &template_fixture("no-such-template")],
        &template_fixture("no-such-template"),
    );
    refused(&["new", "test", "--template", &axum], "test");
    for remote in ["https://github.com/rust-lang/cargo.git", "git@github.com:a/b.git", "gh:a/b"] {
        let message = refused(&["new", "demo", "--template", remote], remote);
        assert!(
            message.contains("only local templates are supported") && message.contains("clone it first"),
            "{message}"
        );
    }
}

#[test]
fn a_missing_placeholder_without_a_terminal_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = tempfile::tempdir().expect("tempdir");
    let template = write_template(
        templates.path(),
        "asks",
        "[placeholders.owner]\ntype = \"string\"\nprompt = \"Who owns it?\"\n\
         [placeholders.docker]\ntype = \"bool\"\nprompt = \"Docker?\"\ndefault = false\n\
         [conditional.'docker'.placeholders.registry]\ntype = \"string\"\nprompt = \"Registry\"\n",
    );
    let message = assert_user_error(dir.path(), &["new", "demo", "--template", &template], "owner");
    assert!(message.contains("--define owner=VALUE"), "{message}");
    // A conditional block's placeholder: only cargo-generate knows that it is asked for.
    let args = ["new", "demo", "--template", &template, "-d", "owner=me", "-d", "docker=true"];
    let message = assert_user_error(dir.path(), &args, "registry");
    assert!(message.contains("--define registry=VALUE"), "{message}");
    let out = backend_gen(dir.path(), &["new", "demo", "--template", &template, "-d", "owner=me", "-d", "registry=r"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_hostile_template_is_refused_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let message =
        assert_user_error(dir.path(), &["new", "demo", "--template", &template_fixture("hostile")], "../../victim");
    assert!(message.contains("leaves the template folder"), "{message}");

    // Other escapes, each in a copy of the hostile template's configuration.
    let templates = tempfile::tempdir().expect("tempdir");
    for (i, (config, named)) in [
        ("[hooks]\npre = [\"../outside.rhai\"]\n", "../outside.rhai"),
        ("[template]\nignore = [\"/etc\"]\n", "/etc"),
        ("[conditional.'true']\nignore = [\"x/../../y\"]\n", "x/../../y"),
    ]
    .into_iter()
    .enumerate()
    {
        let template = write_template(templates.path(), &format!("t{i}"), config);
        assert_user_error(dir.path(), &["new", "demo", "--template", &template], named);
    }
    let template = write_template(templates.path(), "filter", "");
    fs::write(Path::new(&template).join("src/lib.rs"), "{{ script_path | rhai }}\n").expect("write");
    assert_user_error(dir.path(), &["new", "demo", "--template", &template], "src/lib.rs");
}

#[test]
fn a_hook_that_runs_a_command_needs_allow_commands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = tempfile::tempdir().expect("tempdir");
    // The hostile template's hook, without its escaping `ignore` entry.
    let template = write_template(templates.path(), "runs", "[hooks]\npre = [\"hooks/run.rhai\"]\n");
    fs::create_dir(Path::new(&template).join("hooks")).expect("mkdir");
    let hook = Path::new(&template_fixture("hostile")).join("hooks/run.rhai");
    fs::copy(hook, Path::new(&template).join("hooks/run.rhai")).expect("copy");

    let args = ["new", "demo", "--template", &template];
    let out = backend_gen_with_path(dir.path(), &args);
    let message = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains("run system commands") && message.contains("`--allow-commands`"), "{message}");
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));

    let out = backend_gen_with_path(dir.path(), &["new", "demo", "--template", &template, "--allow-commands"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("demo/created-by-hook").exists(), "the allowed hook ran inside the template copy");
    assert!(!dir.path().join("demo/hooks/run.rhai").exists(), "hook scripts are not part of the output");
}

#[test]
fn a_template_needs_force_for_a_non_empty_target_and_a_failed_write_leaves_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let axum = template_fixture("axum-min");
    fs::create_dir(dir.path().join("demo")).expect("mkdir");
    fs::write(dir.path().join("demo/old.txt"), "old").expect("write");
    let out = backend_gen(dir.path(), &["new", "demo", "--template", &axum]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(entries(dir.path()), ["demo"]);
    assert_eq!(entries(&dir.path().join("demo")), ["old.txt"]);

    let out = backend_gen(dir.path(), &["new", "demo", "--template", &axum, "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("demo/old.txt").exists() && dir.path().join("demo/Cargo.toml").exists());

    let fresh = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_backend-gen"))
        .args(["new", "demo", "--template", &axum])
        .current_dir(fresh.path())
        .env("PATH", "")
        .env("BACKEND_GEN_FAIL_AFTER_FILES", "0")
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(entries(fresh.path()).is_empty(), "{:?}", entries(fresh.path()));
}

#[test]
fn a_template_from_a_git_repository_records_its_commit_and_renders_it_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let templates = tempfile::tempdir().expect("tempdir");
    let template = write_template(
        templates.path(),
        "repo",
        "[placeholders.greeting]\ntype = \"string\"\nprompt = \"Greeting\"\ndefault = \"hi\"\n",
    );
    fs::write(Path::new(&template).join("src/lib.rs"), "pub const GREETING: &str = \"{{greeting}}\";\n")
        .expect("write");
    let repo = git2::Repository::init(&template).expect("init");
    let mut index = repo.index().expect("index");
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).expect("add");
    let tree = repo.find_tree(index.write_tree().expect("tree")).expect("tree");
    let sig = git2::Signature::now("t", "t@t").expect("sig");
    let commit = repo.commit(Some("HEAD"), &sig, &sig, "template", &tree, &[]).expect("commit").to_string();

    let out = backend_gen(dir.path(), &["new", "demo", "--template", &template, "--no-git"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let answers = fs::read_to_string(dir.path().join("demo/.backend-gen.toml")).expect("answers");
    assert!(answers.contains(&format!("commit = \"{commit}\"")), "{answers}");

    // A later change to the template does not change what the answers file regenerates.
    fs::write(Path::new(&template).join("src/lib.rs"), "changed\n").expect("write");
    let out = backend_gen(dir.path(), &["new", "--answers", "demo/.backend-gen.toml", "--output", "again"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty() || !stderr(&out).contains("error"), "{}", stderr(&out));
    let lib = fs::read_to_string(dir.path().join("again/demo/src/lib.rs")).expect("lib");
    assert_eq!(lib, "pub const GREETING: &str = \"hi\";\n");
}
