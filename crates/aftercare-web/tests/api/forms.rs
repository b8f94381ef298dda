//! Form bodies the browser would never send, through the real stack: a single-valued field sent
//! twice is 422 naming it (the first copy must not win: it could turn a red flag into
//! "expected"), bytes that are not UTF-8 (raw or percent-encoded) are 400 instead of being
//! stored as U+FFFD, and a blank time zone is refused instead of becoming UTC. Each refusal
//! leaves the store as it was.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, browser, spawn_app, spawn_app_with};

/// POSTs `body` as an urlencoded form with `client`: status and body text.
async fn post_raw(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    body: &[u8],
) -> (StatusCode, String) {
    let response = client
        .post(app.at(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_vec())
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// A valid treatment form with `patient_label` replaced by `label` (raw bytes).
fn treatment_body(label: &[u8]) -> Vec<u8> {
    [
        b"patient_label=".as_slice(),
        label,
        b"&treated_date=2026-11-24&treated_time=15%3A00&time_zone=Europe%2FBerlin\
          &skin=sensitive&areas=face&fitzpatrick=3&protocol_id=default",
    ]
    .concat()
}

#[tokio::test]
async fn a_check_in_answer_sent_twice_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Twice Clinic", "admin@twice.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (id, link) = app.create_treatment(&client, "T. W.").await;

    for (body, field) in [
        (&b"discharge=none&discharge=yellow"[..], "discharge"),
        (&b"discharge=yellow&discharge=none"[..], "discharge"),
        (
            &b"temperature_c=36&temperature_c=38.6&discharge=none"[..],
            "temperature_c",
        ),
        (
            &b"temperature_c=&temperature_c=38.6&discharge=none"[..],
            "temperature_c",
        ),
        (
            &b"symptoms=redness&rating_redness=2&rating_redness=9&discharge=none"[..],
            "rating_redness",
        ),
    ] {
        let (status, page) = post_raw(&app, &browser(), &format!("{link}/check-in"), body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            String::from_utf8_lossy(body)
        );
        assert!(
            page.contains(&format!("`{field}` was sent more than once")),
            "names the field {field}: {page}"
        );
    }
    assert!(
        app.stored_check_ins(&clinic.id, &id).await.is_empty(),
        "nothing was stored"
    );

    // Check-box groups still repeat: two symptoms are one check-in with both.
    app.check_in(
        &link,
        &[
            ("symptoms", "redness"),
            ("symptoms", "tightness"),
            ("discharge", "none"),
        ],
    )
    .await;
    assert_eq!(app.stored_check_ins(&clinic.id, &id).await.len(), 1);
}

#[tokio::test]
async fn a_treatment_or_shelf_field_sent_twice_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Double Clinic", "admin@double.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;

    let mut body = treatment_body(b"A.+B.");
    body.extend_from_slice(b"&time_zone=UTC");
    let (status, page) = post_raw(&app, &client, "/clinic/treatments", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(
        page.contains("`time_zone` was sent more than once"),
        "{page}"
    );
    assert!(app.stored_treatments(&clinic.id).await.is_empty());

    let (id, link) = app.create_treatment(&client, "S. T.").await;
    let (status, page) = post_raw(
        &app,
        &browser(),
        &format!("{link}/shelf"),
        b"name=Serum&type=serum&type=cleanser&ingredients=Aqua%2C+Glycerin",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("`type` was sent more than once"), "{page}");
    assert!(
        app.store
            .list_shelf_products(&clinic.id, &id)
            .await
            .expect("shelf")
            .is_empty()
    );
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Bytes Clinic", "admin@bytes.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;

    for label in [&b"\xff\xfe"[..], b"%FF%FE", b"ok%C3", b"%ED%A0%80"] {
        let (status, page) =
            post_raw(&app, &client, "/clinic/treatments", &treatment_body(label)).await;
        assert_eq!(
            status,
            StatusCode::BAD_REQUEST,
            "{}: {page}",
            String::from_utf8_lossy(label)
        );
        assert!(page.contains("not valid UTF-8"), "{page}");
    }
    assert!(
        app.stored_treatments(&clinic.id).await.is_empty(),
        "nothing was stored"
    );
    // A real U+FFFD, percent-encoded, is text like any other.
    let (status, page) = post_raw(
        &app,
        &client,
        "/clinic/treatments",
        &treatment_body(b"A%EF%BF%BD"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{page}");

    let (id, link) = app.create_treatment(&client, "B. Y.").await;
    for body in [
        &b"name=\xff\xfe&type=serum&ingredients=Aqua"[..],
        b"name=%FF%FE&type=serum&ingredients=Aqua",
        b"name=Serum&type=serum&ingredients=Aqua%2C+%FF",
    ] {
        let (status, page) = post_raw(&app, &browser(), &format!("{link}/shelf"), body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    }
    assert!(
        app.store
            .list_shelf_products(&clinic.id, &id)
            .await
            .expect("shelf")
            .is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn a_blank_time_zone_is_refused_by_the_form_and_the_api_never_read_as_utc() {
    let app = spawn_app_with(|settings| {
        settings.clinic.default_time_zone = "Europe/Berlin".into();
    })
    .await;
    let clinic = app.create_clinic("Zone Clinic", "admin@zone.example").await;
    let client = app.signed_in(&clinic.admin_email).await;

    // The form starts with the clinic's default zone, so a blank one was cleared on purpose.
    let (status, page) = app.page(&client, "/clinic/treatments/new").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        page.select(&crate::helpers::selector("input#time_zone"))
            .next()
            .and_then(|input| input.value().attr("value")),
        Some("Europe/Berlin")
    );
    for zone in ["", "   "] {
        let (status, _, page) = app
            .post_form(
                &client,
                "/clinic/treatments",
                &[
                    ("patient_label", "Z. Z."),
                    ("treated_date", "2026-11-25"),
                    ("treated_time", "15:00"),
                    ("time_zone", zone),
                    ("areas", "face"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{zone:?}");
        assert!(
            crate::helpers::text_of(&page, "#time_zone-error").contains("time zone"),
            "a field error on the time zone: {}",
            page.html()
        );
    }

    let session: Value = browser()
        .post(app.at("/api/v1/sessions"))
        .json(&json!({"email": clinic.admin_email, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in")
        .json()
        .await
        .expect("session");
    let token = session["token"].as_str().expect("token").to_owned();
    for zone in ["", "  "] {
        let response = browser()
            .post(app.at("/api/v1/treatments"))
            .bearer_auth(&token)
            .json(&json!({
                "patient_label": "X",
                "treated_at": "2026-11-25 15:00",
                "time_zone": zone
            }))
            .send()
            .await
            .expect("POST");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{zone:?}"
        );
        let error: Value = response.json().await.expect("JSON error");
        let message = error["error"]["message"].as_str().expect("message");
        assert!(message.contains("`time_zone`"), "{message}");
    }
    assert!(
        app.stored_treatments(&clinic.id).await.is_empty(),
        "nothing was stored"
    );
}

#[tokio::test]
async fn a_local_time_the_clocks_skip_is_refused_at_its_field_not_moved() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Gap Clinic", "admin@gap.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (status, _, page) = app
        .post_form(
            &client,
            "/clinic/treatments",
            &[
                ("patient_label", "G. P."),
                ("treated_date", "2026-03-29"),
                ("treated_time", "02:30"),
                ("time_zone", "Europe/Berlin"),
                ("areas", "face"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        crate::helpers::text_of(&page, "#treated_date-error").contains("does not exist"),
        "{}",
        page.html()
    );
    assert!(app.stored_treatments(&clinic.id).await.is_empty());
}
