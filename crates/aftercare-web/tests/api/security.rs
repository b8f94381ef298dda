//! Crossing boundaries through every route (clinic A's practitioner against clinic B's data;
//! patient link A against treatment B), cross-site posts, escaping of script payloads, rate
//! and body limits, and bad input that must never be a 500.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::{PASSWORD, browser, selector, spawn_app, spawn_app_with, text_of, texts_of};

#[tokio::test]
async fn a_practitioner_cannot_reach_another_clinics_data_through_any_route() {
    let app = spawn_app().await;
    let a = app.create_clinic("Clinic A", "ann@a.example").await;
    let b = app.create_clinic("Clinic B", "bea@b.example").await;
    let ann = app.signed_in(&a.admin_email).await;
    let bea = app.signed_in(&b.admin_email).await;
    let (b_treatment, b_link) = app.create_treatment(&bea, "B's Patient").await;
    app.check_in(&b_link, &[("symptoms", "rash"), ("discharge", "none")])
        .await;
    let b_alert = app.store.list_open_alerts(&b.id).await.unwrap()[0]
        .id
        .clone();
    let b_link_id = app
        .store
        .list_patient_links(&b.id, &b_treatment)
        .await
        .unwrap()[0]
        .id
        .clone();
    let api_token: serde_json::Value = ann
        .post(app.at("/api/v1/sessions"))
        .json(&json!({"email": a.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = api_token["token"].as_str().unwrap().to_owned();

    let html_routes = [
        (Method::GET, format!("/clinic/treatments/{b_treatment}")),
        (
            Method::POST,
            format!("/clinic/treatments/{b_treatment}/links"),
        ),
        (
            Method::POST,
            format!("/clinic/treatments/{b_treatment}/links/{b_link_id}/revoke"),
        ),
        (
            Method::POST,
            format!("/clinic/alerts/{b_alert}/acknowledge"),
        ),
    ];
    for (method, path) in &html_routes {
        let response = ann
            .request(method.clone(), app.at(path))
            .form(&[("note", "trying to cross")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    let api_routes = [
        (Method::GET, format!("/api/v1/treatments/{b_treatment}")),
        (
            Method::POST,
            format!("/api/v1/treatments/{b_treatment}/links"),
        ),
        (
            Method::DELETE,
            format!("/api/v1/treatments/{b_treatment}/links/{b_link_id}"),
        ),
        (
            Method::POST,
            format!("/api/v1/alerts/{b_alert}/acknowledge"),
        ),
    ];
    for (method, path) in &api_routes {
        let response = reqwest::Client::new()
            .request(method.clone(), app.at(path))
            .bearer_auth(&bearer)
            .json(&json!({"note": "trying to cross"}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    let (_, dashboard) = app.page(&ann, "/clinic").await;
    assert!(!dashboard.html().contains("B's Patient"));
    let list: serde_json::Value = reqwest::Client::new()
        .get(app.at("/api/v1/treatments"))
        .bearer_auth(&bearer)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 0);

    // Nothing of B changed.
    assert_eq!(app.store.list_open_alerts(&b.id).await.unwrap().len(), 1);
    let links = app
        .store
        .list_patient_links(&b.id, &b_treatment)
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert!(links[0].revoked_at.is_none());
    assert_eq!(app.page(&browser(), &b_link).await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_patient_link_opens_only_its_own_treatment() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Two Patients", "ann@two.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (_, link_a) = app.create_treatment(&client, "Patient A").await;
    let (_, link_b) = app.create_treatment(&client, "Patient B").await;
    let result_b = app
        .check_in(&link_b, &[("symptoms", "redness"), ("discharge", "none")])
        .await;
    let check_in_b = result_b.rsplit('/').next().unwrap();

    assert_eq!(app.page(&browser(), &result_b).await.0, StatusCode::OK);
    let (status, _) = app
        .page(&browser(), &format!("{link_a}/check-ins/{check_in_b}"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, print_a) = app.page(&browser(), &format!("{link_a}/print")).await;
    assert!(print_a.html().contains("Patient A") && !print_a.html().contains("Patient B"));

    for bad in [
        "/p/not-a-token",
        "/p/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/plan",
    ] {
        let (status, page) = app.page(&browser(), bad).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        assert!(
            page.select(&selector("nav")).next().is_none(),
            "nothing of any plan is shown"
        );
        assert!(
            text_of(&page, "footer").contains("In an emergency"),
            "the emergency guidance is shown even on an error page"
        );
    }
    let (status, _) = app
        .page(
            &client,
            "/p/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        )
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a practitioner's session is no patient link"
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused_and_same_site_posts_pass() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Csrf Clinic", "ann@csrf.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (id, link) = app.create_treatment(&client, "X. S.").await;

    let cross_site = client
        .post(app.at(&format!("/clinic/treatments/{id}/links")))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let old_browser = browser()
        .post(app.at(&format!("{link}/check-in")))
        .header("origin", "https://evil.example")
        .form(&[("symptoms", "fever"), ("discharge", "none")])
        .send()
        .await
        .unwrap();
    assert_eq!(old_browser.status(), StatusCode::FORBIDDEN);
    let api = reqwest::Client::new()
        .post(app.at("/api/v1/sessions"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"email": clinic.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store
            .list_patient_links(&clinic.id, &id)
            .await
            .unwrap()
            .len(),
        1
    );

    let same_origin = client
        .post(app.at(&format!("/clinic/treatments/{id}/links")))
        .header("sec-fetch-site", "same-origin")
        .header("origin", app.url.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn script_payloads_in_names_notes_and_answers_are_shown_as_text() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Escape Clinic", "ann@escape.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;
    let payload = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    let (id, link) = app
        .create_treatment_with(&client, &[("patient_label", payload), ("notes", payload)])
        .await;
    app.check_in(&link, &[("symptoms", "rash"), ("discharge", "none")])
        .await;
    let (_, dashboard) = app.page(&client, "/clinic").await;
    let alert_action = dashboard
        .select(&selector(".alerts form"))
        .next()
        .and_then(|f| f.value().attr("action"))
        .unwrap()
        .to_owned();
    app.post_form(&client, &alert_action, &[("note", payload)])
        .await;

    for (who, path) in [
        (&client, "/clinic".to_owned()),
        (&client, format!("/clinic/treatments/{id}")),
        (&browser(), format!("{link}/print")),
    ] {
        let (status, page) = app.page(who, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(page.select(&selector("script")).count(), 0, "{path}");
        assert_eq!(page.select(&selector("img")).count(), 0, "{path}");
        assert!(
            page.root_element()
                .text()
                .collect::<String>()
                .contains(payload),
            "{path} shows it as text"
        );
    }
    let (status, _, checked) = app
        .post_form(
            &browser(),
            &format!("{link}/products"),
            &[("ingredients", payload)],
        )
        .await;
    assert!(
        status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
        "{status}"
    );
    assert_eq!(checked.select(&selector("script")).count(), 0);
    assert_eq!(checked.select(&selector("img")).count(), 0);
    assert!(text_of(&checked, "textarea#ingredients").contains(payload));
    let (status, _, invalid) = app
        .post_form(
            &client,
            "/clinic/treatments",
            &[("patient_label", payload), ("time_zone", payload)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.select(&selector("script")).count(), 0);
}

#[tokio::test]
async fn sign_in_attempts_are_rate_limited() {
    let app = spawn_app_with(|s| {
        s.rate_limit.sign_in_burst = 3;
        s.rate_limit.sign_in_period_seconds = 3600;
    })
    .await;
    let clinic = app.create_clinic("Limit Clinic", "ann@limit.example").await;

    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            app.sign_in(&browser(), &clinic.admin_email, "guess")
                .await
                .status(),
        );
    }

    assert_eq!(statuses[..3], [StatusCode::UNAUTHORIZED; 3]);
    let limited = app.sign_in(&browser(), &clinic.admin_email, PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers().contains_key("retry-after"));
    assert!(limited.text().await.unwrap().contains("Too many attempts"));
    let api = reqwest::Client::new()
        .post(app.at("/api/v1/sessions"))
        .json(&json!({"email": clinic.admin_email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "the API shares the limit"
    );
    assert_eq!(
        app.page(&browser(), "/sign-in").await.0,
        StatusCode::OK,
        "reading the form is not limited"
    );
}

#[tokio::test]
async fn patient_links_are_rate_limited() {
    let app = spawn_app_with(|s| {
        s.rate_limit.patient_burst = 2;
        s.rate_limit.patient_period_millis = 3_600_000;
    })
    .await;
    let guess = "/p/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    let statuses: Vec<StatusCode> = [
        app.page(&browser(), guess).await.0,
        app.page(&browser(), guess).await.0,
        app.page(&browser(), guess).await.0,
    ]
    .into();

    assert_eq!(
        statuses,
        [
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
            StatusCode::TOO_MANY_REQUESTS
        ]
    );
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Big Clinic", "ann@big.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (_, link) = app.create_treatment(&client, "B. B.").await;
    let huge = "a".repeat(app.settings.limits.body_bytes + 1);

    let form = browser()
        .post(app.at(&format!("{link}/check-in")))
        .form(&[("symptoms", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(form.text().await.unwrap().contains("larger than the limit"));
    let api = reqwest::Client::new()
        .post(app.at("/api/v1/triage"))
        .json(&json!({"treated_at": "2026-11-20T15:00:00Z", "at": "2026-11-21T15:00:00Z", "symptoms": [huge]}))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        api.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "payload_too_large"
    );
}

/// A request: method, path, and an optional (content type, body).
type Attempt = (Method, String, Option<(&'static str, Vec<u8>)>);

#[tokio::test]
async fn bad_input_anywhere_gets_a_clear_4xx_never_a_500() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Robust Clinic", "ann@robust.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (id, link) = app.create_treatment(&client, "R. R.").await;
    let long_id = "x".repeat(5000);

    let attempts: Vec<Attempt> = vec![
        (
            Method::POST,
            "/clinic/treatments".into(),
            Some(("text/plain", b"hello".to_vec())),
        ),
        (
            Method::POST,
            "/clinic/treatments".into(),
            Some((
                "application/x-www-form-urlencoded",
                vec![0xff, 0xfe, b'=', 0x80],
            )),
        ),
        (
            Method::POST,
            format!("{link}/check-in"),
            Some(("application/json", b"{}".to_vec())),
        ),
        (
            Method::POST,
            format!("{link}/check-in"),
            Some((
                "application/x-www-form-urlencoded",
                b"rating_pain=NaN&temperature_c=inf".to_vec(),
            )),
        ),
        (Method::GET, format!("/clinic/treatments/{long_id}"), None),
        (Method::GET, format!("{link}/check-ins/{long_id}"), None),
        (
            Method::POST,
            format!("/clinic/alerts/{long_id}/acknowledge"),
            Some(("application/x-www-form-urlencoded", b"note=x".to_vec())),
        ),
        (
            Method::POST,
            "/clinic/protocols".into(),
            Some((
                "multipart/form-data; boundary=zz",
                b"--zz\r\nbroken".to_vec(),
            )),
        ),
        (
            Method::POST,
            "/clinic/protocols".into(),
            Some(("application/x-www-form-urlencoded", b"file=x".to_vec())),
        ),
        (
            Method::POST,
            "/api/v1/treatments".into(),
            Some(("application/json", b"[1,2,3]".to_vec())),
        ),
        (
            Method::POST,
            "/api/v1/triage".into(),
            Some(("application/json", b"\"just a string\"".to_vec())),
        ),
        (
            Method::POST,
            format!("/clinic/treatments/{id}/links/{long_id}/revoke"),
            None,
        ),
        (Method::DELETE, format!("/clinic/treatments/{id}"), None),
    ];
    for (method, path, body) in attempts {
        let mut request = client.request(method.clone(), app.at(&path));
        if let Some((content_type, bytes)) = body {
            request = request.header("content-type", content_type).body(bytes);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        assert!(status.is_client_error(), "{method} {path}: {status}");
        let text = response.text().await.unwrap();
        assert!(
            !text.is_empty() || status == StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}: an empty answer"
        );
    }
    let (_, page) = app.page(&client, "/clinic").await;
    assert_eq!(
        texts_of(&page, "tbody tr").len(),
        1,
        "nothing was lost or added"
    );
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_host_only_and_links_use_the_public_url() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("https://aftercare.clinic.example".into()))
            .await;
    let clinic = app.create_clinic("Tls Clinic", "ann@tls.example").await;

    let response = app.sign_in(&browser(), &clinic.admin_email, PASSWORD).await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.starts_with("__Host-aftercare_session="),
        "{set_cookie}"
    );
    for attribute in ["; Secure", "; HttpOnly", "; SameSite=Lax", "; Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }
    assert!(
        response.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .contains("max-age=")
    );

    // The test talks plain HTTP, so it hands the Secure cookie back itself.
    let session = set_cookie.split(';').next().unwrap().to_owned();
    let form = [
        ("patient_label", "T. L. S."),
        ("treated_date", "2026-11-24"),
        ("treated_time", "15:00"),
        ("time_zone", "UTC"),
    ];
    let created = browser()
        .post(app.at("/clinic/treatments"))
        .header("cookie", session)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let page = scraper::Html::parse_document(&created.text().await.unwrap());
    assert!(text_of(&page, ".link-url").starts_with("https://aftercare.clinic.example/p/"));
}
