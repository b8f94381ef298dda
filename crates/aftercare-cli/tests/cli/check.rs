//! `aftercare check` through the real binary: the JSON shape of CONTRACT §4, verdicts for a
//! time since treatment, a skin type and a product type, the whole-recovery timeline, catalogs
//! (one bad line reported and skipped), `--report`, a clinic's protocol, and bad input (exit 2
//! with one sentence, never a panic).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    let mut cmd = Command::cargo_bin("aftercare").expect("the aftercare binary is built");
    cmd.env("AFTERCARE_NOW", "2026-11-28T18:00:00Z");
    cmd
}

fn check_json(args: &[&str]) -> serde_json::Value {
    let output = aftercare()
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn ingredient<'v>(value: &'v serde_json::Value, input: &str) -> &'v serde_json::Value {
    let found = value["ingredients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["input"] == input);
    assert!(found.is_some(), "no ingredient {input} in {value}");
    found.unwrap()
}

const SERUM: &str = "Aqua/Water/Eau, Glycerin, Retinol, Sodium Hyaluronate, Parfum (Fragrance), \
                     Limonene, Phenoxyethanol";

#[test]
fn json_check_follows_the_contract() {
    let value = check_json(&["--hours", "52", SERUM]);
    assert_eq!(value["verdict"], "wait");
    assert_eq!(value["usable_from_hours"], 168);
    assert!(
        value.get("usable_from").is_none(),
        "no treatment time: {value}"
    );
    let categories = value["categories"].as_array().unwrap();
    for id in [
        "retinoid",
        "fragrance",
        "fragrance_allergen",
        "hyaluronic_acid",
    ] {
        assert!(categories.contains(&serde_json::json!(id)), "{id}");
    }
    let retinol = ingredient(&value, "Retinol");
    assert_eq!(retinol["name"], "RETINOL");
    assert_eq!(retinol["categories"], serde_json::json!(["retinoid"]));
    assert_eq!(retinol["status"], "wait");
    assert_eq!(retinol["until_hours"], 168);
    assert!(retinol["reason"].as_str().unwrap().len() > 20);
    assert!(retinol["source"].as_str().unwrap().starts_with("Guide: "));
    assert_eq!(retinol["matched_by"], "exact");
    let water = ingredient(&value, "Aqua/Water/Eau");
    assert_eq!(water["status"], "ok");
    assert_eq!(water["matched_by"], "slash_synonym");
    let ha = ingredient(&value, "Sodium Hyaluronate");
    assert_eq!(ha["status"], "recommended");
    assert!(ha["until_hours"].is_null());
}

#[test]
fn a_treatment_time_gives_usable_from_as_an_instant() {
    let value = check_json(&[
        "--treated-at",
        "2026-11-26 15:00",
        "--at",
        "2026-11-28 19:00",
        "--tz",
        "Europe/Berlin",
        SERUM,
    ]);
    assert_eq!(value["hours_since_treatment"], 52);
    assert_eq!(value["day"], 3);
    assert_eq!(value["usable_from_hours"], 168);
    assert_eq!(value["usable_from"], "2026-12-03T15:00:00+01:00");
    aftercare()
        .args([
            "check",
            "--treated-at",
            "2026-11-26T15:00:00+01:00",
            "--tz",
            "Europe/Berlin",
            SERUM,
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "WAIT: not now. Fine from Thu 3 Dec, 15:00",
        ))
        .stdout(predicate::str::contains(
            "Checked for 52 hours after treatment (day 3, Sat 28 Nov, 19:00)",
        ));
    // The moment of use is shown as given, not rounded down to the whole hour.
    aftercare()
        .args([
            "check",
            "--treated-at",
            "2026-11-26T15:00:00+01:00",
            "--at",
            "2026-11-28T19:45:00+01:00",
            "--tz",
            "Europe/Berlin",
            SERUM,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Checked for 52 hours after treatment (day 3, Sat 28 Nov, 19:45)",
        ));
}

#[test]
fn a_sulfate_cleanser_waits_for_week_two_and_a_sulfate_free_one_does_not() {
    // The guide: "Look for a pH-balanced, sulfate-free formula".
    let foaming = "Aqua, Sodium Laureth Sulfate, Cocamidopropyl Betaine, Glycerin";
    let value = check_json(&["--hours", "50", "--type", "cleanser", foaming]);
    assert_eq!(value["verdict"], "wait");
    assert_eq!(value["usable_from_hours"], 168);
    let sles = ingredient(&value, "Sodium Laureth Sulfate");
    assert_eq!(sles["categories"][0], "sulfate_surfactant");
    assert!(
        sles["source"]
            .as_str()
            .unwrap()
            .contains("Gentle, pH-Balanced Cleanser")
    );
    let gentle = "Aqua, Sodium Cocoyl Isethionate, Disodium Laureth Sulfosuccinate, Glycerin";
    let value = check_json(&["--hours", "50", "--type", "cleanser", gentle]);
    assert_eq!(value["verdict"], "ok");
    assert_eq!(check_json(&["--hours", "168", foaming])["verdict"], "ok");
}

#[test]
fn the_text_answer_starts_with_the_verdict_and_ends_with_the_reminder() {
    let assert = aftercare()
        .args(["check", "--day", "3", "--skin", "oily", "--type", "serum"])
        .arg("Water, Retinol, Isopropyl Myristate, Glyercyl Stearate SE, Sodium Hyaluronate")
        .assert()
        .success();
    let text = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    insta::assert_snapshot!("check_text_day_3_oily_serum", text);
    let last = text.trim_end().lines().last().unwrap();
    assert_eq!(
        last,
        "This checker supports your practitioner's advice; it does not replace it."
    );
    assert!(text.contains("Did you mean GLYCERYL STEARATE SE"), "{text}");
}

#[test]
fn verdicts_follow_their_precedence() {
    let verdict = |args: &[&str]| check_json(args)["verdict"].as_str().unwrap().to_owned();
    assert_eq!(verdict(&["--day", "9", "Water, Glycerin, Retinol"]), "ok");
    assert_eq!(
        verdict(&["--day", "9", "Water, Glycerin, Glyercyl Stearate SE"]),
        "unknown"
    );
    assert_eq!(
        verdict(&["--day", "2", "Retinol, Glyercyl Stearate SE"]),
        "wait"
    );
    let oily = ["--day", "9", "--skin", "oily", "Water, Isopropyl Myristate"];
    assert_eq!(verdict(&oily), "caution");
    assert_eq!(verdict(&["--day", "9", "Water, Isopropyl Myristate"]), "ok");
    // Peptides: not before 48 h, possible from then, better from 168 h.
    let peptide = "Water, Palmitoyl Tripeptide-1";
    assert_eq!(verdict(&["--hours", "10", peptide]), "wait");
    let value = check_json(&["--hours", "100", peptide]);
    assert_eq!(value["verdict"], "caution");
    assert_eq!(value["better_from_hours"], 168);
    assert_eq!(
        ingredient(&value, "Palmitoyl Tripeptide-1")["status"],
        "caution"
    );
    assert_eq!(verdict(&["--hours", "200", peptide]), "ok");
}

#[test]
fn product_types_apply_the_product_rules() {
    let value = check_json(&["--hours", "10", "--type", "makeup", "Water, Glycerin"]);
    assert_eq!(value["verdict"], "wait");
    assert_eq!(value["usable_from_hours"], 24);
    assert_eq!(value["product_rules"][0]["id"], "makeup");
    assert_eq!(value["product_rules"][0]["better_from_hours"], 48);
    let value = check_json(&["--hours", "30", "--type", "makeup", "Water, Glycerin"]);
    assert_eq!(value["verdict"], "caution");
    let value = check_json(&["--hours", "30", "--type", "cleanser", "Water, Glycerin"]);
    assert_eq!(value["verdict"], "wait");
    assert_eq!(value["usable_from_hours"], 48);
    // Scrub particles count in a scrub only; with no type, they are a caution.
    let scrub = "Water, Juglans Regia (Walnut) Shell Powder, Glycerin";
    let value = check_json(&["--day", "3", "--type", "scrub", scrub]);
    assert_eq!(value["verdict"], "wait");
    let value = check_json(&["--day", "3", "--type", "moisturizer", scrub]);
    assert_eq!(value["verdict"], "ok");
    let value = check_json(&["--day", "3", scrub]);
    assert_eq!(value["verdict"], "caution");
}

#[test]
fn without_a_time_the_answer_covers_the_whole_recovery() {
    let value = check_json(&["Water, Retinol, Palmitoyl Tripeptide-1"]);
    assert_eq!(value["verdict"], "wait");
    assert!(value["hours_since_treatment"].is_null());
    let timeline = value["timeline"].as_array().unwrap();
    assert_eq!(timeline[0]["from_hours"], 0);
    assert_eq!(timeline[0]["verdict"], "wait");
    let last = timeline.last().unwrap();
    assert_eq!(last["from_hours"], 168);
    assert!(last["until_hours"].is_null());
    assert_eq!(last["verdict"], "ok");
    aftercare()
        .args(["check", "Water, Retinol"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "WAIT: not right after treatment.",
        ))
        .stdout(predicate::str::contains("Over the recovery:"));
}

#[test]
fn lists_come_from_a_file_or_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.txt");
    std::fs::write(&file, "Ingredients: Water, Salicylic Acid.\n").unwrap();
    let value = check_json(&["--hours", "1", "--file", file.to_str().unwrap()]);
    assert_eq!(ingredient(&value, "Salicylic Acid")["status"], "wait");
    let output = aftercare()
        .args(["check", "--hours", "1", "--format", "json", "-"])
        .write_stdin("Water, Niacinamide")
        .output()
        .unwrap();
    assert!(output.status.success());
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["verdict"], "ok");
}

#[test]
fn a_catalog_gives_one_line_per_product_and_skips_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("products.jsonl");
    std::fs::write(
        &catalog,
        concat!(
            r#"{"id": "p1", "name": "Night serum", "type": "serum", "ingredients": "Water, Retinol", "price": 12}"#,
            "\n",
            "{not json\n",
            "\n",
            r#"{"id": "p3", "name": "Walnut Scrub", "ingredients": "Water, Juglans Regia (Walnut) Shell Powder"}"#,
            "\n",
            r#"{"id": "p4", "type": "lotion", "ingredients": "Water, Glycerin"}"#,
            "\n",
        ),
    )
    .unwrap();
    let output = aftercare()
        .args(["check", "--day", "3", "--format", "json", "--catalog"])
        .arg(&catalog)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 2: not a catalog line"), "{stderr}");
    assert!(
        stderr.contains("1 of 4 catalog lines") && stderr.contains("products.jsonl"),
        "{stderr}"
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], "p1");
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["verdict"], "wait");
    assert_eq!(lines[1]["id"], "p3");
    assert_eq!(lines[1]["verdict"], "wait", "the name says it is a scrub");
    assert_eq!(lines[2]["id"], "p4");
    assert!(
        lines[2]["warnings"][0]
            .as_str()
            .unwrap()
            .contains("unknown product type 'lotion'")
    );
    aftercare()
        .args(["check", "--day", "3", "--catalog"])
        .arg(&catalog)
        .assert()
        .code(2)
        .stdout(predicate::str::contains("p1: WAIT: not now."))
        .stdout(predicate::str::contains("[retinoid]"));
}

#[test]
fn the_report_scores_a_labelled_file() {
    let sample =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/products-public.jsonl");
    aftercare()
        .args(["check", "--report"])
        .arg(sample)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Per-category precision and recall over 41 products",
        ))
        .stdout(predicate::str::is_match(r"retinoid +3 +3 +3 +3 +100\.0% +100\.0%").unwrap());
}

#[test]
fn a_clinic_protocol_changes_the_timings() {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/protocols/microneedling");
    for entry in std::fs::read_dir(source).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == "protocol.toml" {
            let old = "id = \"retinoid\"\nkind = \"ingredient\"\nname = \"Retinoids (retinol, retinal, tretinoin, adapalene …)\"\nuntil_hours = 168";
            assert_eq!(text.matches(old).count(), 1);
            text = text.replace(old, &old.replace("168", "336"));
        }
        std::fs::write(dir.path().join(path.file_name().unwrap()), text).unwrap();
    }
    let value = check_json(&[
        "--hours",
        "200",
        "--protocol",
        dir.path().to_str().unwrap(),
        "Water, Retinol",
    ]);
    assert_eq!(value["verdict"], "wait");
    assert_eq!(value["usable_from_hours"], 336);
}

#[test]
fn bad_input_exits_2_with_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("junk.bin");
    std::fs::write(&binary, [0u8, 1, 2, 3, b'a', 0, 0xC3, 0xA9]).unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Water, Cr\xe8me").unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, "Water, ".repeat(10_000)).unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["".into()], "the ingredient list is empty"),
        (vec!["  , ; .".into()], "no ingredient was found"),
        (
            vec!["--file".into(), binary.display().to_string()],
            "binary data",
        ),
        (
            vec!["--file".into(), latin1.display().to_string()],
            "is not UTF-8 text",
        ),
        (
            vec!["--file".into(), big.display().to_string()],
            "larger than the limit of 64 KiB",
        ),
        (
            vec!["--type".into(), "lipstick".into(), "Water".into()],
            "--type: unknown product type 'lipstick'",
        ),
        (
            vec!["--day".into(), "0".into(), "Water".into()],
            "--day: recovery days are counted from 1",
        ),
        (
            vec![
                "--treated-at".into(),
                "2026-11-29T10:00:00Z".into(),
                "Water".into(),
            ],
            "--treated-at: the time of use is before the treatment",
        ),
        (
            vec!["--skin".into(), "greasy".into(), "Water".into()],
            "--skin: unknown skin type 'greasy'",
        ),
        (
            vec!["--file".into(), "/nonexistent/list.txt".into()],
            "cannot read ingredient list file",
        ),
    ];
    for (args, message) in cases {
        let output = aftercare().arg("check").args(&args).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    // Usage errors (clap) are exit 2 too.
    aftercare()
        .args(["check", "--hours", "3", "--day", "2", "Water"])
        .assert()
        .code(2);
}
