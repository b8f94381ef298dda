//! `aftercare schedule` through the real binary: the JSON shape of issue #9, the text output
//! (snapshot), and a clear error naming the product and field for an invalid shelf.

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    let mut cmd = Command::cargo_bin("aftercare").unwrap();
    cmd.env("AFTERCARE_NOW", "2026-11-26T12:00:00Z");
    cmd
}

const SHELF: &str = r#"{"products": [
  {"name": "Gentle Wash", "brand": "Acme", "type": "cleanser", "ingredients": "Aqua, Glycerin, Coco-Glucoside"},
  {"name": "HA Serum", "type": "serum", "ingredients": "Aqua, Sodium Hyaluronate, Glycerin"},
  {"name": "Night Retinol", "type": "serum", "ingredients": "Aqua, Retinol, Glycerin"},
  {"name": "Face Oil", "type": "oil", "ingredients": "Squalane"},
  {"name": "Mystery Balm", "type": "balm"}
]}"#;

fn run(format: &str) -> std::process::Output {
    aftercare()
        .args([
            "schedule",
            "--shelf",
            "-",
            "--treated-at",
            "2026-11-26 15:00",
            "--tz",
            "Europe/Berlin",
            "--days",
            "9",
            "--format",
            format,
        ])
        .write_stdin(SHELF)
        .output()
        .unwrap()
}

#[test]
fn json_schedule_has_the_issue_shape_and_timings() {
    let output = run("json");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let entries = json["schedule"].as_array().unwrap();
    assert_eq!(entries.len(), 5);
    let find = |name: &str| entries.iter().find(|e| e["name"] == name).unwrap();
    assert_eq!(find("HA Serum")["from_hours"], 0);
    assert_eq!(find("Gentle Wash")["from_hours"], 48);
    assert_eq!(find("Face Oil")["from_hours"], 96);
    assert_eq!(find("Face Oil")["from"], "2026-11-30T15:00:00+01:00");
    assert!(find("Night Retinol")["from_hours"].as_u64().unwrap() >= 168);
    assert_eq!(find("Mystery Balm")["checked"], false);
    assert!(
        find("Mystery Balm")["reason"]
            .as_str()
            .unwrap()
            .contains("Ingredient list not provided")
    );
    assert!(find("Face Oil")["reason"].as_str().unwrap().len() > 20);
    let routines = json["routines"].as_array().unwrap();
    assert_eq!(routines.len(), 9);
    assert_eq!(routines[0]["day"], 1);
    let am = routines[0]["am"].as_array().unwrap();
    assert_eq!(am.last().unwrap()["step"], "sunscreen");
}

#[test]
fn text_schedule_snapshot() {
    let output = run("text");
    assert!(output.status.success());
    insta::assert_snapshot!(String::from_utf8(output.stdout).unwrap());
}

#[test]
fn invalid_shelf_names_the_product_and_field() {
    aftercare()
        .args(["schedule", "--shelf", "-", "--treated-at", "2026-11-26T15:00:00+01:00"])
        .write_stdin(r#"{"products": [{"name": "A", "type": "serum"}, {"name": "B", "type": "oil"}, {"name": "Night Cream", "type": "creme"}]}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "shelf '-': products[2].type ('Night Cream'): unknown product type 'creme'",
        ));
    aftercare()
        .args([
            "schedule",
            "--shelf",
            "-",
            "--treated-at",
            "2026-11-26T15:00:00+01:00",
        ])
        .write_stdin(r#"{"products": [{"name": "A", "type": "serum", "spf": 30}]}"#)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "products[0].spf: unknown field `spf`",
        ));
    aftercare()
        .args([
            "schedule",
            "--shelf",
            "/nonexistent/shelf.json",
            "--treated-at",
            "2026-11-26T15:00:00+01:00",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read shelf file"));
}
