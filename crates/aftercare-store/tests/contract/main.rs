//! The store contract: every story runs unchanged against SQLite (always) and
//! PostgreSQL (a throwaway server from the machine's own binaries, or the server
//! `AFTERCARE_TEST_PG_URL` names). Under `CI=true` a missing PostgreSQL fails the run;
//! elsewhere the PostgreSQL stories are reported as ignored, with the reason.
//! `AFTERCARE_TEST_PG=off` skips PostgreSQL on purpose (again: an error under CI).
//!
//! One binary with its own `main` (libtest-mimic) because the PostgreSQL server has to
//! start before the first story and stop after the last; libtest has no hook for that.
//! Filtering works as usual: `cargo test -p aftercare-store --test contract -- outbox`.
#![expect(
    clippy::panic,
    reason = "a test binary without libtest (so not cfg(test)): a failed story panics and \
              libtest-mimic reports the panic as the failure"
)]

mod fixtures;
mod harness;
mod stories;

use std::process::ExitCode;

use harness::{Backend, PgSource, ThrowawayPg, in_ci, run_story};
use libtest_mimic::{Arguments, Completion, Failed, Trial};

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let stories = stories::all();
    let wants_postgres = !args.list
        && stories
            .iter()
            .any(|(name, _)| matches_filter(&args, &format!("postgres::{name}")));

    // The guard lives until the end of `main`: the server stops after the last story,
    // and also when something below panics.
    let (source, server) = if wants_postgres {
        prepare_postgres()
    } else {
        (
            PgSource::Missing("not selected by the filter".to_owned()),
            None,
        )
    };
    match (&source, &server) {
        (PgSource::Available { external: true, .. }, _) => {
            eprintln!("PostgreSQL stories: using the server in AFTERCARE_TEST_PG_URL");
        }
        (PgSource::Available { .. }, Some(server)) => {
            eprintln!(
                "PostgreSQL stories: throwaway server on 127.0.0.1:{}",
                server.port
            );
        }
        (PgSource::Missing(reason), _) if wants_postgres => {
            if in_ci() {
                eprintln!("PostgreSQL stories FAIL: CI=true and {reason}");
            } else {
                eprintln!(
                    "PostgreSQL stories SKIPPED: {reason}. Install PostgreSQL or set \
                     AFTERCARE_TEST_PG_URL; under CI=true this is an error."
                );
            }
        }
        (PgSource::Broken(reason), _) => eprintln!("PostgreSQL stories FAIL: {reason}"),
        _ => {}
    }

    let mut trials = Vec::new();
    for (name, story) in stories {
        trials.push(Trial::test(format!("sqlite::{name}"), move || {
            run_story(story, Backend::Sqlite, None, false);
            Ok(())
        }));
        let pg_name = format!("postgres::{name}");
        trials.push(match &source {
            PgSource::Available {
                admin_url,
                external,
            } => {
                let (admin_url, external) = (admin_url.clone(), *external);
                Trial::test(pg_name, move || {
                    run_story(story, Backend::Postgres, Some(admin_url), external);
                    Ok(())
                })
            }
            PgSource::Missing(reason) if !in_ci() => {
                let reason = format!("PostgreSQL unavailable: {reason}");
                Trial::ignorable_test(pg_name, move || Ok(Completion::ignored_with(reason)))
            }
            PgSource::Missing(reason) | PgSource::Broken(reason) => {
                let reason = format!("PostgreSQL unavailable: {reason}");
                Trial::test(pg_name, move || Err(Failed::from(reason)))
            }
        });
    }

    let conclusion = libtest_mimic::run(&args, trials);
    drop(server);
    conclusion.exit_code()
}

/// Whether a trial name passes the command line's filter (substring, or `--exact`).
fn matches_filter(args: &Arguments, name: &str) -> bool {
    let selected = match &args.filter {
        None => true,
        Some(filter) if args.exact => name == filter,
        Some(filter) => name.contains(filter.as_str()),
    };
    let skipped = args.skip.iter().any(|skip| {
        if args.exact {
            name == skip
        } else {
            name.contains(skip.as_str())
        }
    });
    selected && !skipped
}

/// Picks the PostgreSQL server: none if `AFTERCARE_TEST_PG=off`, else
/// `AFTERCARE_TEST_PG_URL`, else a throwaway one.
fn prepare_postgres() -> (PgSource, Option<ThrowawayPg>) {
    // A developer may opt out locally; under CI=true that opt-out fails the run.
    if std::env::var("AFTERCARE_TEST_PG").is_ok_and(|v| v == "off") {
        return (
            PgSource::Missing("disabled by AFTERCARE_TEST_PG=off".to_owned()),
            None,
        );
    }
    if let Ok(url) = std::env::var("AFTERCARE_TEST_PG_URL")
        && !url.trim().is_empty()
    {
        return (
            PgSource::Available {
                admin_url: url.trim().to_owned(),
                external: true,
            },
            None,
        );
    }
    match ThrowawayPg::start() {
        Ok(Some(server)) => (
            PgSource::Available {
                admin_url: server.admin_url(),
                external: false,
            },
            Some(server),
        ),
        Ok(None) => (
            PgSource::Missing(
                "AFTERCARE_TEST_PG_URL is not set and initdb/pg_ctl are not installed".to_owned(),
            ),
            None,
        ),
        Err(err) => (
            PgSource::Broken(format!("could not start a throwaway server: {err}")),
            None,
        ),
    }
}
