//! `aftercare plan` through the real binary: the JSON shape of CONTRACT §6, the formats, and
//! one clear sentence with exit code 2 for every kind of bad input.

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    let mut cmd = Command::cargo_bin("aftercare").unwrap();
    cmd.env("AFTERCARE_NOW", "2026-11-26T12:00:00Z");
    cmd
}

#[test]
fn json_plan_has_the_contract_shape_and_timings() {
    let output = aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-11-26T15:00:00+01:00",
            "--tz",
            "Europe/Berlin",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let plan: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(plan["protocol"]["id"], "microneedling");
    assert_eq!(plan["treated_at"], "2026-11-26T15:00:00+01:00");
    assert_eq!(plan["days"].as_array().unwrap().len(), 14);
    let makeup = plan["restrictions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "makeup")
        .unwrap();
    assert_eq!(makeup["kind"], "product");
    assert_eq!(makeup["earliest_hours"], 24);
    assert_eq!(makeup["until_hours"], 48);
    assert_eq!(makeup["earliest"], "2026-11-27T15:00:00+01:00");
    assert_eq!(makeup["until"], "2026-11-28T15:00:00+01:00");
    assert!(makeup["reason"].as_str().unwrap().len() > 10);
    assert!(makeup["source"].as_str().unwrap().starts_with("Guide: "));
    let day1 = &plan["days"][0];
    assert_eq!(day1["day"], 1);
    assert_eq!(day1["date"], "2026-11-26");
    assert_eq!(day1["am"][0]["step"], "cleanse");
    assert!(
        day1["avoid"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("makeup"))
    );
    assert!(!day1["expect"].as_array().unwrap().is_empty());
}

#[test]
fn text_plan_shows_emergency_guidance_and_local_times() {
    aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-11-26 15:00",
            "--tz",
            "Europe/Berlin",
            "--skin",
            "oily,sensitive",
            "--area",
            "back",
            "--days",
            "3",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("IN AN EMERGENCY"))
        .stdout(predicate::str::contains("does not replace them"))
        .stdout(predicate::str::contains("until Sat 28 Nov, 15:00"))
        .stdout(predicate::str::contains("DAY 3"));
}

#[test]
fn markdown_plan_is_a_handout() {
    aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-11-26 15:00",
            "--tz",
            "Europe/Berlin",
            "--format",
            "markdown",
            "--days",
            "8",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "# Microneedling aftercare: your plan",
        ))
        .stdout(predicate::str::contains("## Day 8"));
}

fn fails_with(args: &[&str], message: &str) {
    let output = aftercare().arg("plan").args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "one sentence: {stderr}");
    assert!(stderr.contains(message), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn bad_input_exits_2_with_one_clear_sentence() {
    let at = ["--treated-at", "2026-11-26 15:00", "--tz", "Europe/Berlin"];
    fails_with(
        &[&at[..], &["--skin", "greasy"]].concat(),
        "--skin: unknown skin type 'greasy' (expected one of: dry, oily, acne_prone, sensitive, normal)",
    );
    fails_with(
        &[&at[..], &["--area", "elbow"]].concat(),
        "--area: unknown area 'elbow'",
    );
    fails_with(
        &[&at[..], &["--fitzpatrick", "7"]].concat(),
        "--fitzpatrick: unknown Fitzpatrick type '7'",
    );
    fails_with(
        &["--treated-at", "yesterday"],
        "--treated-at: 'yesterday' is not a valid time",
    );
    fails_with(
        &["--treated-at", "2026-11-26 15:00"],
        "--treated-at: '2026-11-26 15:00' has no UTC offset",
    );
    fails_with(
        &["--treated-at", "2026-11-26 15:00", "--tz", "Mars/Olympus"],
        "--tz: unknown time zone 'Mars/Olympus'",
    );
    fails_with(
        &["--treated-at", "2028-01-01T10:00:00Z"],
        "--treated-at: '2028-01-01T10:00:00Z' is more than a year in the future",
    );
    fails_with(
        &[&at[..], &["--days", "0"]].concat(),
        "--days must be between 1 and 366",
    );
    fails_with(
        &[&at[..], &["--protocol", "/nonexistent/protocol.toml"]].concat(),
        "cannot read protocol file '/nonexistent/protocol.toml'",
    );
}

#[test]
fn a_clinic_protocol_with_an_error_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.toml");
    std::fs::write(&path, "[protocol]\nid = \"x\"\nversion = \"1\"\ntitle = \"t\"\nprocedure = \"p\"\nsource = \"s\"\nflavour = 1\n").unwrap();
    let arg = path.display().to_string();
    fails_with(
        &["--treated-at", "2026-11-26T15:00:00Z", "--protocol", &arg],
        &format!("invalid protocol: {arg}:7:1: unknown field `flavour`"),
    );
}
