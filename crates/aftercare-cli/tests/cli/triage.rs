//! `aftercare triage` through the real binary: text and JSON output, files, stdin and batches,
//! a clinic's protocol, and bad input (exit 2, the message names the field).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    Command::cargo_bin("aftercare").expect("the aftercare binary is built")
}

/// A check-in 66 hours (day 3) after a treatment, with `extra` JSON fields.
fn check_in(extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { ", " };
    format!(
        r#"{{"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-23T09:00:00+01:00"{sep}{extra}}}"#
    )
}

fn triage_stdin(input: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    aftercare()
        .arg("triage")
        .args(args)
        .arg("-")
        .write_stdin(input.to_owned())
        .assert()
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("stdout is UTF-8")
}

fn default_protocol_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/protocols/microneedling")
}

/// A copy of the default protocol folder with `old` replaced by `new` in triage.toml.
fn clinic_protocol(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let entries = std::fs::read_dir(default_protocol_dir()).expect("the default protocol folder");
    for entry in entries {
        let path = entry.expect("a protocol file").path();
        let name = path.file_name().expect("a file name").to_owned();
        let mut text = std::fs::read_to_string(&path).expect("a readable protocol file");
        if name == "triage.toml" {
            assert_eq!(text.matches(old).count(), 1);
            text = text.replacen(old, new, 1);
        }
        std::fs::write(dir.path().join(name), text).expect("a writable temporary folder");
    }
    dir
}

#[test]
fn peeling_on_day_4_is_expected_and_the_text_ends_with_the_notices() {
    let input = r#"{"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-24T09:00:00+01:00",
        "symptoms": ["flaking", "dryness"], "ratings": {"itching": 2}}"#;
    let assert = triage_stdin(input, &[]).success();
    let text = stdout_of(&assert);
    insta::assert_snapshot!("triage_text_peeling_day_4", text);
    let tail: Vec<&str> = text.trim_end().lines().rev().take(2).collect();
    assert!(
        tail[1].starts_with("In an emergency: Call your local emergency number now"),
        "{text}"
    );
    assert!(tail[0].contains("does not replace them"), "{text}");
}

#[test]
fn json_output_follows_the_contract() {
    let input = check_in(
        r#""id": "c07", "symptoms": ["redness", "rash"], "ratings": {"redness": 5},
           "history": [{"at": "2026-11-22T15:00:00+01:00", "ratings": {"redness": 3}}]"#,
    );
    let assert = triage_stdin(&input, &["--format", "json"]).success();
    let value: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    insta::assert_json_snapshot!("triage_json_rash_and_rising_redness", value);
    assert_eq!(value["id"], "c07");
    assert_eq!(value["level"], "contact_practitioner");
    let codes: Vec<&str> = value["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["redness_rating_rising", "rash"]);
    assert!(value["reasons"][0]["message"].is_string());
    assert!(value["advice"].as_array().unwrap().len() >= 2);
    // Every JSON result carries the emergency guidance with its source, as the text does.
    assert!(
        value["emergency"]["text"]
            .as_str()
            .unwrap()
            .contains("emergency number")
    );
    assert!(
        value["emergency"]["source"]
            .as_str()
            .unwrap()
            .starts_with("Reference:")
    );
}

#[test]
fn a_check_in_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("check-in.json");
    std::fs::write(&path, check_in(r#""temperature_c": 38.1"#)).unwrap();
    for args in [
        vec!["--file", path.to_str().unwrap()],
        vec![path.to_str().unwrap()],
    ] {
        aftercare()
            .arg("triage")
            .args(&args)
            .args(["--format", "json"])
            .assert()
            .success()
            .stdout(predicate::str::contains(r#""level": "urgent""#))
            .stdout(predicate::str::contains(r#""code": "fever""#));
    }
}

#[test]
fn an_emergency_says_to_call_the_emergency_number_first() {
    let assert = triage_stdin(
        &check_in(r#""symptoms": ["tongue_swelling", "flaking"]"#),
        &[],
    )
    .success();
    let text = stdout_of(&assert);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Emergency: call the emergency number now")
    );
    let advice = text.split("What to do:\n").nth(1).unwrap();
    assert!(
        advice.starts_with("  - Call your local emergency number now"),
        "{text}"
    );
}

#[test]
fn a_batch_gives_one_line_per_check_in_and_reports_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkins.jsonl");
    let lines = [
        check_in(r#""id": "c01", "symptoms": ["redness"]"#),
        check_in(r#""id": "c02", "ratings": {"redness": 11}"#),
        String::new(),
        check_in(r#""id": 3, "discharge": "green""#),
        "{not json".to_owned(),
    ];
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let assert = aftercare()
        .args([
            "triage",
            "--format",
            "json",
            "--batch",
            path.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 2: ratings.redness: 11 is outside 0-10",
        ))
        .stderr(predicate::str::contains(
            "line 5: the check-in is not valid JSON",
        ))
        .stderr(predicate::str::contains("2 of 4 check-ins"))
        .stderr(predicate::str::contains(
            "In an emergency: Call your local emergency number",
        ));
    let out: Vec<serde_json::Value> = stdout_of(&assert)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|line| line["emergency"]["text"].is_string()));
    assert_eq!(
        (&out[0]["id"], &out[0]["line"], &out[0]["level"]),
        (&"c01".into(), &1.into(), &"expected".into())
    );
    assert_eq!(
        (&out[1]["id"], &out[1]["line"], &out[1]["level"]),
        (&3.into(), &4.into(), &"urgent".into())
    );
}

#[test]
fn a_clean_text_batch_succeeds_and_ends_with_the_notices() {
    let input = [
        check_in(r#""id": "a", "symptoms": ["hives"]"#),
        check_in(r#""symptoms": ["flaking"]"#),
    ]
    .join("\n");
    let assert = aftercare()
        .args(["triage", "--batch", "-"])
        .write_stdin(input)
        .assert()
        .success();
    let text = stdout_of(&assert);
    assert!(text.starts_with("a: Urgent: be seen today (day 3): hives\nline 2: Expected: part of normal healing (day 3): settling_skin\n"), "{text}");
    assert!(text.contains("In an emergency:"), "{text}");
    assert!(
        text.trim_end().ends_with(
            "does not replace them. If anything worries you, contact your practitioner."
        ),
        "{text}"
    );
}

#[test]
fn bad_input_exits_2_and_names_the_field() {
    let cases = [
        (
            check_in(r#""symptoms": ["redness", "rednes"]"#),
            "symptoms[1]: unknown symptom 'rednes', did you mean 'redness'?",
        ),
        (
            check_in(r#""ratings": {"redness": 11}"#),
            "ratings.redness: 11 is outside 0-10",
        ),
        (
            check_in(r#""temperature_c": 50"#),
            "temperature_c: 50 °C is outside 30-45 °C",
        ),
        (
            r#"{"treated_at": "2026-11-20T15:00:00+01:00", "at": "2026-11-19T15:00:00+01:00"}"#
                .to_owned(),
            "at: the check-in (2026-11-19T15:00:00+01:00) is before the treatment",
        ),
        (
            check_in(
                r#""history": [{"at": "2026-11-21T09:00:00+01:00"}, {"at": "2026-11-24T09:00:00+01:00"}]"#,
            ),
            "history[1].at: 2026-11-24T09:00:00+01:00 is after the check-in",
        ),
        (
            check_in(r#""discharge": "brown""#),
            "discharge: unknown discharge 'brown'",
        ),
        (
            "{\"treated_at\": ".to_owned(),
            "the check-in is not valid JSON: EOF while parsing",
        ),
        (
            check_in(r#""temp": 37"#),
            "temp: unknown field `temp`, expected one of `id`, `treated_at`",
        ),
        (
            r#"{"at": "2026-11-23T09:00:00+01:00"}"#.to_owned(),
            "check-in: missing field `treated_at`",
        ),
        (
            check_in(r#""ratings": {"pain": "high"}"#),
            "ratings.pain: invalid type: string \"high\", expected f64",
        ),
        (
            check_in("").replacen("2026-11-20", "2400-11-20", 1),
            "treated_at: '2400-11-20T15:00:00+01:00' is outside the years 1900 to 2200",
        ),
    ];
    for (input, message) in cases {
        triage_stdin(&input, &[])
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::starts_with(
                "aftercare: check-in from standard input: ",
            ))
            .stderr(predicate::str::contains(message))
            // A refused check-in may still have reported a red flag.
            .stderr(predicate::str::contains(
                "\nIn an emergency: Call your local emergency number",
            ));
    }
}

#[test]
fn an_oversized_check_in_is_refused() {
    let input = check_in(&format!(r#""id": "{}""#, "x".repeat(70 * 1024)));
    triage_stdin(&input, &[])
        .code(2)
        .stderr(predicate::str::contains("larger than the limit of 64 KiB"));
}

#[test]
fn a_missing_file_is_bad_input() {
    aftercare()
        .args(["triage", "--file", "/nonexistent/check-in.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read check-in file '/nonexistent/check-in.json'",
        ));
}

#[test]
fn a_clinic_protocol_may_tighten_the_rules() {
    let dir = clinic_protocol(
        "code = \"rash\"\nlevel = \"contact_practitioner\"",
        "code = \"rash\"\nlevel = \"urgent\"",
    );
    triage_stdin(
        &check_in(r#""symptoms": ["rash"]"#),
        &[
            "--format",
            "json",
            "--protocol",
            dir.path().to_str().unwrap(),
        ],
    )
    .success()
    .stdout(predicate::str::contains(r#""level": "urgent""#));
}

#[test]
fn a_clinic_protocol_that_under_triages_a_red_flag_is_refused() {
    let dir = clinic_protocol(
        "code = \"hives\"\nlevel = \"urgent\"",
        "code = \"hives\"\nlevel = \"contact_practitioner\"",
    );
    triage_stdin(&check_in(r#""symptoms": ["rash"]"#), &["--protocol", dir.path().to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("triage.toml:"))
        .stderr(predicate::str::contains(
            "under-triage a red flag of CONTRACT §5: hives at 0 h gives 'contact_practitioner', but must give at least 'urgent'",
        ));
}

#[test]
fn help_lists_the_symptom_ids_and_the_levels() {
    aftercare()
        .args(["triage", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("swollen_lymph_nodes"))
        .stdout(predicate::str::contains(
            "expected, contact_practitioner, urgent, emergency",
        ))
        .stdout(predicate::str::contains("--batch"));
}
