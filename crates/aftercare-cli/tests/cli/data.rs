//! `aftercare migrate | backup | export | import` through the real binary on real SQLite files:
//! a dump moves a clinic to a fresh database byte for byte, a backup is a working database, and
//! every refusal (existing file, non-empty database, not a dump) exits 2 with one sentence.
//!
//! The row-level round trip across SQLite and PostgreSQL (every timestamp, every hashed token
//! still valid) is the store's contract story `export_and_import_round_trip_across_backends`.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("aftercare").expect("the aftercare binary is built");
    command
        .current_dir(dir)
        .env_remove("AFTERCARE__DATABASE__URL");
    command
}

/// A SQLite database with one clinic and its admin, made with `aftercare admin create`.
fn seeded_database(dir: &Path, name: &str) -> String {
    aftercare(dir)
        .args(["admin", "create", "--database", name])
        .args([
            "--clinic",
            "Clinique Rivoli",
            "--clinic-phone",
            "+33 1 23 45 67 89",
        ])
        .args([
            "--email",
            "ann@rivoli.example",
            "--name",
            "Ann Roy",
            "--password-stdin",
        ])
        .write_stdin("correct horse battery staple\n")
        .assert()
        .success();
    name.to_owned()
}

fn export_stdout(dir: &Path, database: &str) -> String {
    let output = aftercare(dir)
        .args(["export", "--database", database])
        .assert()
        .success();
    String::from_utf8(output.get_output().stdout.clone()).unwrap()
}

#[test]
fn an_export_imported_into_a_fresh_database_exports_byte_for_byte_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let source = seeded_database(dir.path(), "source.sqlite3");
    let dump = export_stdout(dir.path(), &source);
    let parsed: serde_json::Value = serde_json::from_str(&dump).unwrap();
    assert_eq!(parsed["format"], "aftercare-store-dump");
    assert_eq!(parsed["clinics"].as_array().unwrap().len(), 1);
    assert_eq!(parsed["users"].as_array().unwrap().len(), 1);
    let hash = parsed["users"][0]["password_hash"].as_str().unwrap();
    assert!(hash.starts_with("$argon2id$"), "only the hash is exported");
    assert!(!dump.contains("correct horse"), "never the password itself");

    aftercare(dir.path())
        .args(["export", "--database", &source, "--output", "dump.json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Exported 1 clinics, 1 users"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("dump.json")).unwrap(),
        dump
    );

    aftercare(dir.path())
        .args(["import", "dump.json", "--database", "target.sqlite3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Imported 1 clinics, 1 users"));
    assert_eq!(export_stdout(dir.path(), "target.sqlite3"), dump);

    // Standard input works too.
    aftercare(dir.path())
        .args(["import", "-", "--database", "from-stdin.sqlite3"])
        .write_stdin(dump.clone())
        .assert()
        .success();
    assert_eq!(export_stdout(dir.path(), "from-stdin.sqlite3"), dump);
}

#[test]
fn import_refuses_a_database_that_holds_data_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let database = seeded_database(dir.path(), "clinic.sqlite3");
    let before = export_stdout(dir.path(), &database);
    std::fs::write(dir.path().join("dump.json"), &before).unwrap();
    aftercare(dir.path())
        .args(["import", "dump.json", "--database", &database])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already holds data"));
    assert_eq!(export_stdout(dir.path(), &database), before);
}

#[test]
fn import_of_something_that_is_not_a_dump_names_the_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.json"), "{\n  \"format\": 3,\n}").unwrap();
    aftercare(dir.path())
        .args(["import", "notes.json", "--database", "fresh.sqlite3"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::starts_with("aftercare: notes.json:2:")
                .and(predicate::str::contains("not an aftercare export")),
        );
    std::fs::write(dir.path().join("binary.json"), [0xff, 0xfe, 0x00]).unwrap();
    aftercare(dir.path())
        .args(["import", "binary.json", "--database", "fresh.sqlite3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "binary.json: the file is not UTF-8 text",
        ));
    aftercare(dir.path())
        .args(["import", "missing.json", "--database", "fresh.sqlite3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.json: cannot open the dump",
        ));
}

#[test]
fn a_backup_is_a_working_database_with_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let database = seeded_database(dir.path(), "live.sqlite3");
    aftercare(dir.path())
        .args(["backup", "--database", &database, "copy.sqlite3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("integrity check: ok"));
    assert_eq!(
        export_stdout(dir.path(), "copy.sqlite3"),
        export_stdout(dir.path(), &database)
    );
    aftercare(dir.path())
        .args(["backup", "--database", &database, "copy.sqlite3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "copy.sqlite3: the backup file exists already",
        ));
    aftercare(dir.path())
        .args([
            "export",
            "--database",
            &database,
            "--output",
            "copy.sqlite3",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the file exists already"));
}

/// Runs a Python snippet against a SQLite file with Python's own sqlite3 module (not through
/// aftercare) and returns what it prints.
fn python_sqlite(dir: &Path, file: &str, code: &str) -> String {
    let program = format!("import sqlite3, sys\ndb = sqlite3.connect(sys.argv[1])\n{code}");
    let output = std::process::Command::new("python3")
        .current_dir(dir)
        .args(["-c", &program, file])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The migration versions recorded in a SQLite file.
fn applied_migrations(dir: &Path, file: &str) -> String {
    python_sqlite(
        dir,
        file,
        "print([r[0] for r in db.execute('SELECT version FROM _sqlx_migrations ORDER BY version')])",
    )
}

#[test]
fn a_backup_copies_the_database_as_it_is_and_migrates_neither_it_nor_the_copy() {
    // A database one migration behind this binary (a server not yet upgraded): the backup
    // must copy it as it is, not upgrade the live file under the server, nor the copy.
    let dir = tempfile::tempdir().unwrap();
    let database = seeded_database(dir.path(), "live.sqlite3");
    python_sqlite(
        dir.path(),
        &database,
        "db.execute('DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)')\ndb.commit()",
    );
    let before = applied_migrations(dir.path(), &database);
    aftercare(dir.path())
        .args(["backup", "--database", &database, "copy.sqlite3"])
        .assert()
        .success()
        .stdout(predicate::str::contains("integrity check: ok"));
    assert_eq!(applied_migrations(dir.path(), &database), before);
    assert_eq!(applied_migrations(dir.path(), "copy.sqlite3"), before);

    // A database that does not exist is not created by a backup.
    aftercare(dir.path())
        .args(["backup", "--database", "missing.sqlite3", "copy2.sqlite3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--database: cannot open it as an aftercare SQLite database",
        ));
    assert!(!dir.path().join("missing.sqlite3").exists());
    assert!(!dir.path().join("copy2.sqlite3").exists());
}

#[test]
fn an_export_never_creates_or_migrates_the_database_it_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A mistyped path: exit 2, no empty database exported as if it were the clinic's.
    aftercare(dir.path())
        .args([
            "export",
            "--database",
            "typo.sqlite3",
            "--output",
            "dump.json",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--database: cannot open it as an aftercare SQLite database",
        ));
    assert!(!dir.path().join("typo.sqlite3").exists());
    assert!(!dir.path().join("dump.json").exists());
    // A file that is no database: bad input for every command, not an internal error.
    std::fs::write(
        dir.path().join("notes.txt"),
        "not a database, just notes\n".repeat(200),
    )
    .expect("write");
    for args in [
        &["migrate", "--database", "notes.txt"][..],
        &["export", "--database", "notes.txt"][..],
    ] {
        aftercare(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "cannot open it as an aftercare SQLite database",
            ));
    }
    // An empty file is no aftercare database: exit 2, and it stays empty.
    std::fs::write(dir.path().join("empty.sqlite3"), b"").expect("write");
    aftercare(dir.path())
        .args(["export", "--database", "empty.sqlite3"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--database: it is not an aftercare database",
        ));
    assert_eq!(
        std::fs::metadata(dir.path().join("empty.sqlite3"))
            .expect("metadata")
            .len(),
        0
    );
    // A database one migration behind is refused with what to do, and not migrated.
    let database = "old.sqlite3";
    aftercare(dir.path())
        .args(["migrate", "--database", database])
        .assert()
        .success();
    python_sqlite(
        dir.path(),
        database,
        "db.execute('DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)')\ndb.commit()",
    );
    let before = applied_migrations(dir.path(), database);
    aftercare(dir.path())
        .args(["export", "--database", database, "--output", "old.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "run `aftercare migrate` on it first",
        ));
    assert_eq!(applied_migrations(dir.path(), database), before);
    assert!(!dir.path().join("old.json").exists());
}

#[test]
fn migrate_creates_and_upgrades_the_database_and_says_which_backend() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        aftercare(dir.path())
            .args(["migrate", "--database", "new.sqlite3"])
            .assert()
            .success()
            .stdout("The sqlite database is at the current schema.\n");
    }
    assert!(dir.path().join("new.sqlite3").exists());
    aftercare(dir.path())
        .args(["migrate", "--database", "mysql://db.example/aftercare"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--database: expected a file path"));
}
