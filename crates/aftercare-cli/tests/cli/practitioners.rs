//! `aftercare practitioners search` through the real binary: nearest first with distances,
//! only public profiles, filters, units, JSON, and bad input (exit 2, one sentence).

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    Command::cargo_bin("aftercare").expect("the aftercare binary is built")
}

/// Five profiles around Paris and one in Lyon; "hidden" is not approved by its clinic.
const PROFILES: &str = r#"{"id": "rivoli", "display_name": "Dr Jane Doe", "clinic": "Clinique Rivoli", "address": "12 Rue de Rivoli", "city": "Paris", "country": "FR", "latitude": 48.8556, "longitude": 2.3601, "services": ["microneedling", "microneedling_prp"], "credentials": ["MD, dermatology"], "licence_number": "75-123456", "licence_issuer": "Ordre des médecins", "phone": "+33 1 23 45 67 89", "website": "https://example.org", "booking_url": "https://example.org/book", "opted_in": true, "clinic_approved": true}
{"id": "versailles", "display_name": "Marie Curie-Lefort", "city": "Versailles", "country": "France", "services": ["microneedling"], "licence_number": "78-000042", "licence_issuer": "Ordre des infirmiers", "opted_in": true, "clinic_approved": true}

{"id": "hidden", "display_name": "Not Approved Yet", "city": "Paris", "country": "FR", "services": ["microneedling"], "opted_in": true, "clinic_approved": false}
{"id": "lyon", "display_name": "Dr Paul Martin", "city": "Lyon", "country": "FR", "services": ["rf_microneedling"], "licence_number": "69-7", "licence_issuer": "Ordre des médecins", "opted_in": true, "clinic_approved": true}
{"id": "montmartre", "display_name": "Dr Anne Roy", "clinic": "Montmartre Skin", "city": "Paris", "country": "FR", "latitude": 48.8867, "longitude": 2.3431, "services": ["rf_microneedling", "microneedling"], "licence_number": "75-9", "licence_issuer": "Ordre des médecins", "opted_in": true, "clinic_approved": true}
"#;

fn profiles_file(text: &str) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new()
        .suffix(".jsonl")
        .tempfile()
        .expect("a temporary file");
    std::fs::write(file.path(), text).expect("a writable temporary file");
    file
}

fn search(args: &[&str]) -> assert_cmd::assert::Assert {
    let file = profiles_file(PROFILES);
    aftercare()
        .args(["practitioners", "search", "--profiles"])
        .arg(file.path())
        .args(args)
        .assert()
}

fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stdout.clone()).expect("stdout is UTF-8")
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let assert = search(&all).success();
    serde_json::from_str(&stdout_of(&assert)).unwrap()
}

/// `field` of each result's practitioner, in the order given.
fn practitioner_field(value: &serde_json::Value, field: &str) -> Vec<String> {
    value["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["practitioner"][field].as_str().unwrap().to_owned())
        .collect()
}

fn ids(value: &serde_json::Value) -> Vec<String> {
    practitioner_field(value, "id")
}

/// Exit 2 and one line on stderr that starts with `expected` (after "aftercare: ").
fn refused(args: &[&str], expected: &str) {
    let assert = search(args).code(2).stdout("");
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("aftercare: {expected}")),
        "{stderr}\n  expected: {expected}"
    );
}

#[test]
fn text_lists_public_practitioners_nearest_first_with_distances() {
    let assert = search(&["--near", "Paris"]).success();
    let text = stdout_of(&assert);
    insta::assert_snapshot!("practitioners_search_text_paris", text);
    assert!(text.starts_with("3 practitioners within 50 km of Paris, France, nearest first:"));
    assert!(!text.contains("Not Approved Yet"), "{text}");
    assert!(
        text.trim_end().ends_with("licensed under CC BY 4.0."),
        "{text}"
    );
}

#[test]
fn json_gives_the_query_as_understood_and_sorted_results() {
    let value = json(&["--near", "paris"]);
    assert_eq!(value["query"]["origin"]["city"]["label"], "Paris, France");
    assert_eq!(value["query"]["radius"]["km"], 50.0);
    assert_eq!(ids(&value), ["rivoli", "montmartre", "versailles"]);
    let distances: Vec<f64> = value["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["distance_km"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    // Versailles's coordinates come from the city table.
    let versailles = &value["results"][2]["practitioner"];
    assert_eq!(
        versailles["coordinates_source"]["city"]["geoname_id"],
        2969679
    );
    assert_eq!(versailles["country"], "France");
}

#[test]
fn service_radius_in_miles_coordinates_and_limit() {
    assert_eq!(
        ids(&json(&["--near", "Paris", "--service", "rf_microneedling"])),
        ["montmartre"]
    );
    // Lyon is about 390 km (243 miles) from Paris.
    assert_eq!(
        ids(&json(&[
            "--near",
            "Paris",
            "--service",
            "rf-microneedling",
            "--radius-mi",
            "300"
        ])),
        ["montmartre", "lyon"]
    );
    let value = json(&["--near", "48.8867,2.3431", "--limit", "1"]);
    assert_eq!(ids(&value), ["montmartre"]);
    assert_eq!(value["results"][0]["distance_km"], 0.0);
    assert!(value["query"]["origin"]["city"].is_null());
    let text = stdout_of(&search(&["--near", "Paris", "--radius-mi", "2"]).success());
    assert!(
        text.starts_with("1 practitioner within 2 miles of Paris, France"),
        "{text}"
    );
    assert!(text.contains("Clinique Rivoli (0.5 miles)"), "{text}");
}

#[test]
fn nothing_near_says_so_and_suggests_a_larger_radius() {
    let text = stdout_of(&search(&["--near", "Tokyo"]).success());
    assert!(
        text.starts_with("No practitioner within 50 km of Tokyo, Japan. Try a larger radius"),
        "{text}"
    );
}

#[test]
fn an_ambiguous_city_lists_the_candidates() {
    refused(
        &["--near", "Springfield"],
        "'Springfield' matches several cities, so say which one (for example \"Springfield, Missouri\"): Springfield, Missouri, United States (170,188 people)",
    );
    search(&["--near", "Springfield, Illinois"]).success();
}

#[test]
fn bad_input_exits_2_with_one_sentence() {
    refused(
        &["--near", "Pariss"],
        "no city called 'Pariss' is known: did you mean Paris, France",
    );
    refused(&["--near", "91,2"], "the latitude 91 is out of range");
    refused(&["--near", "45,-200"], "the longitude -200 is out of range");
    refused(
        &["--near", "Paris", "--radius-km", "0"],
        "the radius must be more than 0 km",
    );
    refused(
        &["--near", "Paris", "--radius-km", "-3"],
        "the radius must be more than 0 km",
    );
    refused(
        &["--near", "Paris", "--radius-km", "5000"],
        "the radius of 5000 km is too large",
    );
    refused(
        &["--near", "Paris", "--radius-mi", "ten"],
        "the radius 'ten' is not a number of miles",
    );
    refused(
        &["--near", "Paris", "--service", "botox"],
        "unknown service 'botox'",
    );
    refused(
        &["--near", "Paris", "--limit", "1000"],
        "the number of results must be a whole number",
    );
    refused(&["--near", ""], "say where to search");
}

#[test]
fn both_radius_units_is_a_usage_error() {
    search(&["--near", "Paris", "--radius-km", "5", "--radius-mi", "5"])
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn a_bad_profile_line_is_named() {
    let file = profiles_file(&format!(
        "{}\n{{\"id\": \"x\", \"display_name\": \"X\", \"city\": \"Atlantis\", \"country\": \"GR\", \"services\": [\"microneedling\"]}}\n",
        PROFILES.lines().next().unwrap()
    ));
    aftercare()
        .args(["practitioners", "search", "--near", "Paris", "--profiles"])
        .arg(file.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 2: the city 'Atlantis' is not in the city table",
        ));
    aftercare()
        .args([
            "practitioners",
            "search",
            "--near",
            "Paris",
            "--profiles",
            "/nonexistent/p.jsonl",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "aftercare: cannot read profiles file",
        ));
}

#[test]
fn profiles_can_come_from_standard_input() {
    let assert = aftercare()
        .args([
            "practitioners",
            "search",
            "--near",
            "Lyon",
            "--profiles",
            "-",
            "--format",
            "json",
        ])
        .write_stdin(PROFILES)
        .assert()
        .success();
    let value: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    assert_eq!(ids(&value), ["lyon"]);
}

/// A SQLite database of the web app with four directory profiles around Paris: one
/// public, one not approved, one not opted in, one of a disabled account; and one public
/// in Lyon.
fn directory_database() -> (tempfile::TempDir, std::path::PathBuf) {
    use aftercare_store::{NewClinic, NewPractitionerProfile, NewUser, Role, SqliteStore, Store};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aftercare.sqlite3");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        let now = 1_795_183_200;
        let clinic = store
            .create_clinic(
                &NewClinic {
                    name: "Clinique Rivoli".into(),
                    phone: "+33 1 23 45 67 89".into(),
                    email: "desk@rivoli.example".into(),
                    address: "12 Rue de Rivoli".into(),
                    emergency_number: "112".into(),
                },
                now,
            )
            .await
            .unwrap();
        let user = async |email: &str, role: Role| {
            store
                .create_user(
                    &NewUser {
                        clinic_id: clinic.id.clone(),
                        email: email.into(),
                        display_name: email.into(),
                        role,
                        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
                    },
                    now,
                )
                .await
                .unwrap()
                .id
        };
        let admin = user("admin@rivoli.example", Role::Admin).await;
        for (name, city, at, opted_in, approved, disabled) in [
            (
                "Dr Public",
                "Paris",
                Some((48.8556, 2.3601)),
                true,
                true,
                false,
            ),
            (
                "Dr Unapproved",
                "Paris",
                Some((48.8566, 2.3522)),
                true,
                false,
                false,
            ),
            (
                "Dr Opted Out",
                "Paris",
                Some((48.8566, 2.3522)),
                false,
                true,
                false,
            ),
            (
                "Dr Disabled",
                "Paris",
                Some((48.8566, 2.3522)),
                true,
                true,
                true,
            ),
            ("Dr Lyon", "Lyon", None, true, true, false),
        ] {
            let email = format!("{}@rivoli.example", name.to_lowercase().replace(' ', "."));
            let user_id = user(&email, Role::Practitioner).await;
            let row = store
                .upsert_practitioner_profile(
                    &NewPractitionerProfile {
                        clinic_id: clinic.id.clone(),
                        user_id: user_id.clone(),
                        display_name: name.into(),
                        clinic_name: Some("Clinique Rivoli".into()),
                        address: None,
                        city: city.into(),
                        country: "FR".into(),
                        latitude: at.map(|(lat, _)| lat),
                        longitude: at.map(|(_, lon)| lon),
                        services: r#"["microneedling"]"#.into(),
                        credentials: "[]".into(),
                        licence_number: Some("75-1".into()),
                        licence_issuer: Some("Ordre des médecins".into()),
                        phone: None,
                        website: None,
                        booking_url: None,
                        opted_in,
                    },
                    now,
                )
                .await
                .unwrap();
            if approved {
                store
                    .set_practitioner_profile_approval(&clinic.id, &row.id, Some(&admin), now)
                    .await
                    .unwrap();
            }
            if disabled {
                store.disable_user(&clinic.id, &user_id, now).await.unwrap();
            }
        }
        store.close().await;
    });
    (dir, path)
}

#[test]
fn the_database_source_lists_only_public_profiles() {
    let (_dir, path) = directory_database();
    let assert = aftercare()
        .args([
            "practitioners",
            "search",
            "--near",
            "Paris",
            "--format",
            "json",
            "--database",
        ])
        .arg(&path)
        .assert()
        .success()
        .stderr("");
    let value: serde_json::Value = serde_json::from_str(&stdout_of(&assert)).unwrap();
    assert_eq!(practitioner_field(&value, "display_name"), ["Dr Public"]);
    assert_eq!(value["query"]["origin"]["city"]["label"], "Paris, France");

    // The same search as the file source: radius in miles, text output.
    let assert = aftercare()
        .args([
            "practitioners",
            "search",
            "--near",
            "Paris",
            "--radius-mi",
            "300",
        ])
        .arg(format!("--database-url=sqlite://{}", path.display()))
        .assert()
        .success();
    let text = stdout_of(&assert);
    assert!(
        text.starts_with("2 practitioners within 300 miles of Paris, France, nearest first:"),
        "{text}"
    );
    assert!(
        text.contains("1. Dr Public, Clinique Rivoli (0.5 miles)"),
        "{text}"
    );
    assert!(text.contains("2. Dr Lyon"), "{text}");
    for hidden in ["Unapproved", "Opted Out", "Disabled"] {
        assert!(!text.contains(hidden), "{hidden}: {text}");
    }
}

#[test]
fn the_database_source_is_read_as_it_is_and_never_migrated() {
    // An empty file is an empty SQLite database: a search that migrated would fill it with
    // the app's tables. Read-only, it finds no profiles table and changes nothing.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.sqlite3");
    std::fs::write(&path, b"").expect("write");
    aftercare()
        .args(["practitioners", "search", "--near", "Paris", "--database"])
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--database: it is not an aftercare database",
        ));
    assert_eq!(std::fs::metadata(&path).expect("metadata").len(), 0);
}

#[test]
fn the_database_source_refuses_bad_input_before_opening_anything() {
    let (_dir, path) = directory_database();
    let refused_with = |args: &[&str], expected: &str| {
        let assert = aftercare()
            .args(["practitioners", "search"])
            .args(args)
            .assert()
            .code(2)
            .stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(expected),
            "{stderr}\n  expected: {expected}"
        );
    };
    let db = path.to_str().unwrap();
    refused_with(
        &["--near", "Springfield", "--database", db],
        "'Springfield' matches several cities",
    );
    refused_with(
        &["--near", "Paris", "--radius-km", "0", "--database", db],
        "the radius must be more than 0 km",
    );
    refused_with(
        &[
            "--near",
            "Paris",
            "--database",
            "/nonexistent/aftercare.sqlite3",
        ],
        "--database /nonexistent/aftercare.sqlite3: no database there",
    );
    refused_with(
        &["--near", "Paris", "--database", "mysql://localhost/x"],
        "--database: expected a file path, a sqlite: URL or a postgres:// URL",
    );
    refused_with(
        &["--near", "Paris", "--database", db, "--profiles", "p.jsonl"],
        "cannot be used with",
    );
    refused_with(&["--near", "Paris"], "--profiles");
    assert!(!std::path::Path::new("/nonexistent/aftercare.sqlite3").exists());
}
