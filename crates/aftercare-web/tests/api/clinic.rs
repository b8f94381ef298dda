//! The clinic side: first-run setup, signing in and out, invitations, password changes,
//! treatments with their links, the dashboard, alerts, and the clinic's protocols.

use reqwest::StatusCode;

use crate::helpers::{PASSWORD, browser, selector, spawn_app, text_of, texts_of};

#[tokio::test]
async fn the_first_run_setup_page_creates_the_clinic_and_its_admin_once() {
    let app = spawn_app().await;
    let setup = app.setup_url.clone().expect("a setup URL on first run");
    let path = setup.strip_prefix(&app.url).unwrap().to_owned();
    let client = browser();

    let (status, _) = app
        .page(
            &client,
            "/setup/0000000000000000000000000000000000000000000000000000000000000000",
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a wrong token shows nothing");
    let (status, page) = app.page(&client, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text_of(&page, "h1"), "Set up your clinic");

    let (status, _, page) = app
        .post_form(
            &client,
            &path,
            &[
                ("clinic_name", ""),
                ("emergency_number", "112"),
                ("display_name", "Ann"),
                ("email", "ann"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = texts_of(&page, ".error-summary li");
    assert_eq!(problems.len(), 3, "{problems:?}");

    let form = [
        ("clinic_name", "Skin Studio"),
        ("clinic_phone", "+49 30 555"),
        ("emergency_number", "112"),
        ("display_name", "Ann Lee"),
        ("email", "ann@studio.example"),
        ("password", PASSWORD),
    ];
    let (status, location, _) = app.post_form(&client, &path, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/clinic?flash=welcome"));
    let (status, page) = app.page(&client, "/clinic").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page, ".brand").contains("Skin Studio"));

    let (status, _, _) = app.post_form(&browser(), &path, &form).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the setup page works once");
    assert_eq!(app.store.list_clinics().await.unwrap().len(), 1);
}

#[tokio::test]
async fn signing_in_out_and_changing_the_password_end_other_sessions() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Pass Clinic", "ann@pass.example").await;

    let (status, page) = app.page(&browser(), "/clinic").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
    let wrong = app
        .sign_in(&browser(), &clinic.admin_email, "not the password")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let unknown = app
        .sign_in(&browser(), "nobody@pass.example", PASSWORD)
        .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let cookie = app.sign_in(&browser(), &clinic.admin_email, PASSWORD).await;
    let set_cookie = cookie.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "not Secure over plain HTTP");

    let laptop = app.signed_in(&clinic.admin_email).await;
    let phone = app.signed_in(&clinic.admin_email).await;
    let (status, _, page) = app
        .post_form(
            &laptop,
            "/account/password",
            &[("current_password", "wrong"), ("new_password", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(texts_of(&page, ".field-error").len(), 2);
    let (status, location, _) = app
        .post_form(
            &laptop,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new passphrase"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/account/password?flash=password")
    );

    assert_eq!(
        app.page(&laptop, "/clinic").await.0,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        app.page(&phone, "/clinic").await.0,
        StatusCode::SEE_OTHER,
        "other sessions end"
    );
    assert_eq!(
        app.sign_in(&browser(), &clinic.admin_email, PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.sign_in(&browser(), &clinic.admin_email, "a brand new passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let (status, location, _) = app.post_form(&laptop, "/sign-out", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/sign-in"));
    assert_eq!(app.page(&laptop, "/clinic").await.0, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_admin_invites_a_practitioner_who_joins_once_and_is_not_an_admin() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Team Clinic", "ann@team.example").await;
    let admin = app.signed_in(&clinic.admin_email).await;

    let (status, _, page) = app
        .post_form(&admin, "/clinic/invitations", &[("email", "not an e-mail")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, page_ok) = app
        .post_form(
            &admin,
            "/clinic/invitations",
            &[("email", "Bob@Team.example"), ("role", "practitioner")],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", page.html());
    let url = text_of(&page_ok, ".link-url");
    let path = url.strip_prefix(&app.url).unwrap().to_owned();

    let bob = browser();
    let (status, page) = app.page(&bob, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.html().contains("bob@team.example"));
    let (status, location, _) = app
        .post_form(
            &bob,
            &path,
            &[
                ("display_name", "Bob Ray"),
                ("password", "bob's long password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/clinic?flash=welcome"));
    assert_eq!(app.page(&bob, "/clinic").await.0, StatusCode::OK);
    assert_eq!(
        app.page(&bob, "/clinic/team").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.page(&bob, "/clinic/protocols").await.0,
        StatusCode::FORBIDDEN
    );

    let (status, _, _) = app
        .post_form(
            &browser(),
            &path,
            &[("display_name", "Eve"), ("password", "eve's long password")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an invitation works once");

    // A member of this team is refused; an account at another clinic is not revealed: the
    // invitation is made as for anyone else.
    let (status, _, page) = app
        .post_form(
            &admin,
            "/clinic/invitations",
            &[("email", "bob@team.example")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(text_of(&page, ".error-summary").contains("already in your team"));
    let other = app
        .create_clinic("Other Clinic", "olga@other.example")
        .await;
    let (status, _, page) = app
        .post_form(
            &admin,
            "/clinic/invitations",
            &[("email", &other.admin_email)],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", page.html());
    assert!(!page.html().contains("already"));
    // Opening that link and accepting it answers exactly as a used or expired link does.
    let taken = text_of(&page, ".link-url")
        .strip_prefix(&app.url)
        .unwrap()
        .to_owned();
    let accept = |path: String| {
        let app = &app;
        async move {
            app.post_form(
                &browser(),
                &path,
                &[
                    ("display_name", "Olga"),
                    ("password", "olga's long password"),
                ],
            )
            .await
        }
    };
    let (taken_status, _, taken_page) = accept(taken).await;
    let (used_status, _, used_page) = accept(path.clone()).await;
    assert_eq!(taken_status, StatusCode::NOT_FOUND);
    assert_eq!(used_status, taken_status);
    assert_eq!(text_of(&taken_page, "main"), text_of(&used_page, "main"));
}

#[tokio::test]
async fn a_treatment_gets_a_link_and_qr_code_and_appears_on_the_dashboard() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Dash Clinic", "ann@dash.example").await;
    let client = app.signed_in(&clinic.admin_email).await;

    let (status, page) = app.page(&client, "/clinic/treatments/new").await;
    assert_eq!(status, StatusCode::OK);
    for control in page.select(&selector("input:not([type=hidden]), select, textarea")) {
        let id = control.value().attr("id");
        let labelled = id.is_some_and(|id| {
            page.select(&selector(&format!("label[for='{id}']")))
                .next()
                .is_some()
        }) || control
            .value()
            .attr("type")
            .is_some_and(|t| t == "checkbox" || t == "radio");
        assert!(labelled, "an unlabelled control: {:?}", control.value());
    }

    let response = client
        .post(app.at("/clinic/treatments"))
        .form(&[
            ("patient_label", "J. D."),
            ("patient_email", "jd@example.org"),
            ("treated_date", "2026-11-24"),
            ("treated_time", "15:00"),
            ("time_zone", "Europe/Berlin"),
            ("skin", "dry"),
            ("skin", "sensitive"),
            ("fitzpatrick", "5"),
            ("areas", "face"),
            ("areas", "neck"),
            ("cold_sore_history", "yes"),
            ("notes", "Mild erythema at the end."),
            ("protocol_id", "default"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let url = text_of(&page, ".link-url");
    let token = url.rsplit('/').next().unwrap();
    assert_eq!(token.len(), 64, "a 256-bit token");
    assert!(
        page.select(&selector(".qr svg[role=img]")).next().is_some(),
        "a QR code"
    );
    let facts = texts_of(&page, "dl.facts dd");
    assert!(
        facts
            .iter()
            .any(|f| f.contains("Tue 24 Nov 2026, 15:00 (Europe/Berlin)")),
        "{facts:?}"
    );
    assert!(facts.iter().any(|f| f == "Dry, Sensitive"), "{facts:?}");
    assert!(facts.iter().any(|f| f == "Type V"), "{facts:?}");
    assert!(facts.iter().any(|f| f == "Face, Neck"), "{facts:?}");

    let stored = app.store.list_treatments(&clinic.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].treatment.notes.is_empty());
    let (_, dashboard) = app.page(&client, "/clinic").await;
    let row = texts_of(&dashboard, "tbody tr");
    assert_eq!(row.len(), 1);
    assert!(
        row[0].contains("J. D.") && row[0].contains("Day 3") && row[0].contains("none yet"),
        "{row:?}"
    );
}

#[tokio::test]
async fn a_bad_treatment_form_is_sent_back_with_every_problem_and_nothing_is_stored() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Careful Clinic", "ann@careful.example")
        .await;
    let client = app.signed_in(&clinic.admin_email).await;

    let (status, _, page) = app
        .post_form(
            &client,
            "/clinic/treatments",
            &[
                ("patient_label", ""),
                ("patient_email", "nope"),
                ("treated_date", "2031-01-01"),
                ("treated_time", "10:00"),
                ("time_zone", "Europe/Berlin"),
                ("skin", "greasy"),
                ("areas", "knees"),
                ("fitzpatrick", "9"),
            ],
        )
        .await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = texts_of(&page, ".error-summary li");
    assert_eq!(problems.len(), 6, "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("greasy")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("more than a year ahead")),
        "{problems:?}"
    );
    assert!(
        app.store
            .list_treatments(&clinic.id)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_red_flag_check_in_tops_the_dashboard_until_acknowledged_with_a_note() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Alert Clinic", "ann@alert.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (_, calm) = app.create_treatment(&client, "Calm Patient").await;
    let (feverish_id, feverish) = app.create_treatment(&client, "Feverish Patient").await;
    app.check_in(&calm, &[("symptoms", "redness"), ("discharge", "none")])
        .await;
    app.check_in(
        &feverish,
        &[("temperature_c", "38.6"), ("discharge", "none")],
    )
    .await;

    let (_, page) = app.page(&client, "/clinic").await;
    let rows = texts_of(&page, "tbody tr th");
    assert_eq!(
        rows,
        ["Feverish Patient", "Calm Patient"],
        "red flags first"
    );
    let alerts = texts_of(&page, ".alerts > li");
    assert_eq!(alerts.len(), 1);
    assert!(
        alerts[0].contains("Urgent") && alerts[0].contains("Feverish Patient"),
        "{alerts:?}"
    );
    let action = page
        .select(&selector(".alerts form"))
        .next()
        .and_then(|form| form.value().attr("action"))
        .unwrap()
        .to_owned();

    let (status, _, _) = app.post_form(&client, &action, &[("note", "   ")]).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a note is required"
    );
    let (status, location, _) = app
        .post_form(&client, &action, &[("note", "Called; seen today.")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.unwrap(),
        format!("/clinic/treatments/{feverish_id}?flash=acknowledged")
    );
    let (status, _, _) = app.post_form(&client, &action, &[("note", "again")]).await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (_, page) = app.page(&client, "/clinic").await;
    assert!(texts_of(&page, ".alerts > li").is_empty());
    let (_, page) = app
        .page(&client, &format!("/clinic/treatments/{feverish_id}"))
        .await;
    assert!(page.html().contains("Called; seen today."));
}

#[tokio::test]
async fn revoking_or_outliving_a_link_closes_it_and_a_new_link_works() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Link Clinic", "ann@link.example").await;
    let client = app.signed_in(&clinic.admin_email).await;
    let (id, first) = app.create_treatment(&client, "L. L.").await;
    assert_eq!(app.page(&browser(), &first).await.0, StatusCode::OK);

    let (_, page) = app.page(&client, &format!("/clinic/treatments/{id}")).await;
    let revoke = page
        .select(&selector("form[action$='/revoke']"))
        .next()
        .and_then(|f| f.value().attr("action"))
        .unwrap()
        .to_owned();
    let (status, _, _) = app.post_form(&client, &revoke, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = app.page(&browser(), &first).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(text_of(&page, "main").contains("withdrawn this link. Ask your clinic for a new link"));

    let (status, _, page) = app
        .post_form(&client, &format!("/clinic/treatments/{id}/links"), &[])
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let second = text_of(&page, ".link-url");
    let second = second.strip_prefix(&app.url).unwrap();
    assert_eq!(app.page(&browser(), second).await.0, StatusCode::OK);

    app.clock
        .advance(i64::from(app.settings.security.patient_link_ttl_days) * 86_400);
    let (status, page) = app.page(&browser(), second).await;
    assert_eq!(status, StatusCode::GONE, "expired");
    assert!(text_of(&page, "main").contains("This link has expired."));
}

/// The built-in protocol as one file, with another title.
fn own_protocol() -> String {
    let files = aftercare_core::protocol::DEFAULT_PROTOCOL_FILES;
    let mut ordered: Vec<&str> = Vec::new();
    // The file that starts with bare keys goes first, so no key lands in another's table.
    for (_, text) in files
        .iter()
        .filter(|(name, _)| name.ends_with("content.toml"))
    {
        ordered.push(text);
    }
    for (_, text) in files
        .iter()
        .filter(|(name, _)| !name.ends_with("content.toml"))
    {
        ordered.push(text);
    }
    let joined = ordered.join("\n");
    let title_line = joined
        .lines()
        .find(|l| l.trim_start().starts_with("title ="))
        .expect("the protocol has a title")
        .to_owned();
    joined.replacen(
        &title_line,
        "title = \"Skin Studio microneedling aftercare\"",
        1,
    )
}

#[tokio::test]
async fn an_admin_uploads_a_validated_protocol_and_makes_it_the_default() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Protocol Clinic", "ann@protocol.example")
        .await;
    let admin = app.signed_in(&clinic.admin_email).await;

    let bad = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text("[protocol]\nid = \"x\"\nmystery = 1\n")
            .file_name("ours.toml"),
    );
    let response = admin
        .post(app.at("/clinic/protocols"))
        .multipart(bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    assert!(
        text_of(&page, "#protocol-error").starts_with("ours.toml:"),
        "names the file and line"
    );
    assert!(
        app.store
            .list_protocols(&clinic.id)
            .await
            .unwrap()
            .is_empty()
    );

    let good = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text(own_protocol()).file_name("studio.toml"),
    );
    let response = admin
        .post(app.at("/clinic/protocols"))
        .multipart(good)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let uploaded = app.store.list_protocols(&clinic.id).await.unwrap();
    assert_eq!(uploaded.len(), 1);

    let (status, _, _) = app
        .post_form(
            &admin,
            "/clinic/protocols/default",
            &[("protocol_id", "no-such-id")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = app
        .post_form(
            &admin,
            "/clinic/protocols/default",
            &[("protocol_id", &uploaded[0].id)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (id, link) = app.create_treatment(&admin, "P. P.").await;
    let (_, page) = app.page(&admin, &format!("/clinic/treatments/{id}")).await;
    assert!(page.html().contains("Skin Studio microneedling aftercare"));
    let (status, page) = app.page(&browser(), &format!("{link}/plan")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.html().contains("Skin Studio microneedling aftercare"));
}
