//! One insta snapshot per stack fixture: every file of the rendered plan, in path order.

use std::path::Path;

use backend_gen::registry::registry;
use backend_gen_core::Secrets;
use backend_gen_core::answers::AnswersFile;

#[test]
fn every_fixture_renders_as_snapshotted() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut ids = Vec::new();
    let mut paths: Vec<_> =
        std::fs::read_dir(&fixtures).expect("fixtures folder").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let id = path.file_stem().expect("stem").to_string_lossy().into_owned();
        // A template fixture renders through cargo-generate, on disk: the CLI tests and verify cover it.
        let AnswersFile::Stack(answers) =
            AnswersFile::parse(&std::fs::read_to_string(&path).expect("readable")).expect("valid fixture")
        else {
            continue;
        };
        let input = answers.into_input(None);
        let registry = registry().expect("valid stacks");
        let spec = registry.spec(&input).expect("fixture spec is valid");
        // No secret: the snapshot must not change from run to run.
        let plan = registry.plan(&spec, Secrets::ExampleOnly).expect("plan");
        let mut rendered = String::new();
        for (path, file) in &plan.files {
            let mode = if file.executable { " (executable)" } else { "" };
            rendered.push_str(&format!("===== {path}{mode}\n{}\n", file.contents));
        }
        insta::with_settings!({
            filters => vec![(r#"generator_version = "[^"]+""#, r#"generator_version = "[version]""#)],
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!(id.clone(), rendered);
        });
        ids.push(id);
    }
    assert!(ids.len() >= 3, "expected the fixtures of every stack, found {ids:?}");
    assert_no_unreferenced_snapshots(&ids);
}

/// A snapshot whose fixture is gone would otherwise linger unnoticed (what `--unreferenced=reject` does).
fn assert_no_unreferenced_snapshots(ids: &[String]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(dir).expect("snapshots folder") {
        let name = entry.expect("entry").file_name().to_string_lossy().into_owned();
        let id = name.strip_suffix(".snap").unwrap_or_else(|| panic!("stray file `{name}` among the snapshots"));
        assert!(ids.iter().any(|f| f == id), "snapshot `{name}` has no fixture in fixtures/: delete it");
    }
}
