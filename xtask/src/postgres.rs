//! The PostgreSQL database that verification runs services against (`.ci/run` provides one).
//!
//! Every run starts from an empty `public` schema: one stack's migrations leave their tables
//! (`items`, `alembic_version`, `flyway_schema_history`) behind, and the next stack's migrations
//! would meet them. The reset goes through `psql`, which the PostgreSQL packages install with
//! the server, so no database client crate is compiled into xtask.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use backend_gen_core::contract::CONTRACT;
use backend_gen_core::verification::{Step, Verification};

use crate::project::Project;
use crate::service::Launch;

/// Where verification finds a PostgreSQL database URL (`postgresql://user:password@host:port/db`).
pub const URL_ENV: &str = "BACKEND_GEN_TEST_DATABASE_URL";

/// The database URL from [`URL_ENV`], when set and not empty.
pub fn url_from_env() -> Option<String> {
    std::env::var(URL_ENV).ok().filter(|url| !url.is_empty())
}

/// `url` with the libpq query parameters every managed PostgreSQL URL carries (`sslmode`,
/// `application_name`), which the contract requires each stack to honour or refuse by name: the
/// services under test get it in this form.
pub fn as_managed_databases_give_it(url: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}sslmode=disable&application_name=backend-gen-conformance")
}

/// `tests` with `TEST_DATABASE_URL` set to `url` in the managed form, the variable every stack's
/// PostgreSQL tests read.
pub fn with_test_database(tests: &Step, url: &str) -> Step {
    tests.clone().env("TEST_DATABASE_URL", &as_managed_databases_give_it(url))
}

/// Drops everything in the `public` schema. The role owns the database (and on PostgreSQL 15 and
/// later `public` belongs to the database owner), so it may drop and recreate the schema.
pub fn reset_schema(url: &str) -> Result<()> {
    psql(url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
}

/// Runs `sql` against `url`, stopping at the first error.
pub fn psql(url: &str, sql: &str) -> Result<()> {
    let output = Command::new("psql")
        .args(["--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", url, "--command", sql])
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .context("running `psql` (install the PostgreSQL client, as .ci/run does)")?;
    ensure!(output.status.success(), "`psql` failed on `{sql}`: {}", String::from_utf8_lossy(&output.stderr).trim());
    Ok(())
}

/// Resets the schema, then starts the project's service against `url` until it is ready: the
/// contract runs pending migrations before a service accepts requests, so this migrates it the
/// stack's own way.
pub fn migrate(project: &Project, verification: &Verification, url: &str) -> Result<()> {
    reset_schema(url)?;
    let launch = Launch::serve(project, &verification.serve)?.env("DATABASE_URL", as_managed_databases_give_it(url));
    let log_stem = Path::new(&project.dir).join(".migrate-postgresql");
    let mut service = launch.start_ready(&log_stem, CONTRACT.paths.health_ready)?;
    service.stop();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suite_passes_the_parameters_managed_databases_use() {
        assert_eq!(
            as_managed_databases_give_it("postgresql://u:p@h:5432/db"),
            "postgresql://u:p@h:5432/db?sslmode=disable&application_name=backend-gen-conformance"
        );
        assert!(
            as_managed_databases_give_it("postgresql://h/db?connect_timeout=5").contains("connect_timeout=5&sslmode=")
        );
    }
    use crate::project::Workbench;

    /// Two fixtures' migrations, one after the other, on one database: a stack's leftovers (here
    /// a table `items` like another stack's migration leaves) never reach the next run. Runs when
    /// [`URL_ENV`] is set (`.ci/run` sets it); installs the two projects, so it takes a while.
    #[test]
    fn two_fixtures_migrate_one_after_the_other_on_one_database() {
        let Some(url) = url_from_env() else {
            eprintln!("skipped: set {URL_ENV} to run it");
            return;
        };
        let bench = Workbench::open(Some("python"), None).expect("fixtures and binary");
        let mut fixtures = bench.fixtures.iter().filter(|f| ["python-default", "python-long-name"].contains(&&*f.id));
        let (first, second) = (fixtures.next().expect("python-default"), fixtures.next().expect("python-long-name"));
        psql(
            &url,
            "CREATE TABLE IF NOT EXISTS items (id bigint); CREATE TABLE IF NOT EXISTS flyway_schema_history (x int);",
        )
        .expect("leftovers of another stack");
        for fixture in [first, second] {
            let prepared = bench.prepare(fixture, "migrate-test").expect("prepared");
            let (project, generated) = prepared.generate(&bench.binary).expect("generated");
            assert_eq!(generated.status, crate::step::Status::Pass, "{}", generated.log);
            let install = prepared.install_step().expect("an install step");
            let installed = project.run(install);
            assert_eq!(installed.status, crate::step::Status::Pass, "{}", installed.log);
            migrate(&project, &prepared.verification, &url).unwrap_or_else(|e| panic!("{}: {e:#}", fixture.id));
        }
    }
}
