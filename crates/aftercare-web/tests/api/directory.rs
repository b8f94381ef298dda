//! "Find a Practitioner" over HTTP on a real SQLite file: a practitioner's profile form,
//! the admin's approval, the public page (no JavaScript needed) and
//! `GET /api/v1/practitioners`: by city, by coordinates, units and services, ambiguous
//! and unknown cities, bad input (400, never 500), the privacy rule (only opted-in AND
//! approved profiles of active users) and the escaping of practitioners' text.

use aftercare_store::{NewPractitionerProfile, PractitionerProfileRow};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;

async fn admin_id(app: &TestApp, clinic: &TestClinic) -> String {
    app.store
        .find_user_by_email(&clinic.admin_email)
        .await
        .expect("lookup")
        .expect("admin")
        .id
}

/// A profile written straight into the store (as another server instance would).
struct Seed<'a> {
    name: &'a str,
    city: &'a str,
    country: &'a str,
    at: Option<(f64, f64)>,
    services: &'a [&'a str],
    opted_in: bool,
    approved: bool,
}

impl Default for Seed<'_> {
    fn default() -> Self {
        Seed {
            name: "Dr Jane Doe",
            city: "Paris",
            country: "FR",
            at: None,
            services: &["microneedling"],
            opted_in: true,
            approved: true,
        }
    }
}

async fn seed(app: &TestApp, clinic: &TestClinic, seed: Seed<'_>) -> PractitionerProfileRow {
    let email = format!(
        "{}@directory.example",
        seed.name
            .to_lowercase()
            .replace([' ', '<', '>', '"', '/', '='], "-")
    );
    let user_id = app.create_practitioner(clinic, &email, seed.name).await;
    let services: Vec<&str> = seed.services.to_vec();
    let row = app
        .store
        .upsert_practitioner_profile(
            &NewPractitionerProfile {
                clinic_id: clinic.id.clone(),
                user_id,
                display_name: seed.name.into(),
                clinic_name: Some("Clinique Rivoli".into()),
                address: Some("12 Rue de Rivoli".into()),
                city: seed.city.into(),
                country: seed.country.into(),
                latitude: seed.at.map(|(lat, _)| lat),
                longitude: seed.at.map(|(_, lon)| lon),
                services: serde_json::to_string(&services).expect("JSON"),
                credentials: r#"["MD, dermatology"]"#.into(),
                licence_number: Some("75-123456".into()),
                licence_issuer: Some("Ordre des médecins".into()),
                phone: Some("+33 1 23 45 67 89".into()),
                website: Some("https://example.org".into()),
                booking_url: Some("https://example.org/book".into()),
                opted_in: seed.opted_in,
            },
            app.clock.now_seconds(),
        )
        .await
        .expect("profile");
    if seed.approved {
        let admin = admin_id(app, clinic).await;
        return app
            .store
            .set_practitioner_profile_approval(
                &clinic.id,
                &row.id,
                Some(&admin),
                app.clock.now_seconds(),
            )
            .await
            .expect("approve");
    }
    row
}

/// Seeds each profile in turn (equal distances come back in this order).
async fn seed_all(app: &TestApp, clinic: &TestClinic, seeds: impl IntoIterator<Item = Seed<'_>>) {
    for one in seeds {
        seed(app, clinic, one).await;
    }
}

async fn api(app: &TestApp, query: &str) -> (StatusCode, Value) {
    let response = reqwest::get(app.at(&format!("/api/v1/practitioners?{query}")))
        .await
        .expect("GET");
    let status = response.status();
    let body = response.text().await.expect("body");
    let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
    (status, value)
}

fn names(value: &Value) -> Vec<String> {
    value["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            r["practitioner"]["display_name"]
                .as_str()
                .expect("a name")
                .to_owned()
        })
        .collect()
}

/// The practitioner's profile form, filled in for Paris.
fn paris_form<'a>() -> Vec<(&'a str, &'a str)> {
    vec![
        ("display_name", "Dr Anne Roy"),
        ("clinic_name", "Montmartre Skin"),
        ("address", "3 Rue Lepic"),
        ("city", "Paris"),
        ("country", "France"),
        ("latitude", ""),
        ("longitude", ""),
        ("services", "microneedling"),
        ("services", "rf_microneedling"),
        ("credentials", "MD, dermatology\nDU médecine esthétique"),
        ("licence_number", "75-9"),
        ("licence_issuer", "Ordre des médecins"),
        ("phone", "+33 1 00 00 00 00"),
        ("website", "https://montmartre.example"),
        ("booking_url", ""),
        ("opted_in", "yes"),
    ]
}

#[tokio::test]
async fn a_saved_profile_is_public_only_once_the_clinic_approves_it() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Rivoli", "admin@rivoli.example").await;
    app.create_practitioner(&clinic, "anne@rivoli.example", "Anne Roy")
        .await;
    let anne = app.signed_in("anne@rivoli.example").await;
    let admin = app.signed_in("admin@rivoli.example").await;

    // The form starts from the user and the clinic.
    let (status, page) = app.page(&anne, "/clinic/directory").await;
    assert_eq!(status, StatusCode::OK);
    let value_of = |page: &scraper::Html, css: &str| {
        page.select(&selector(css))
            .next()
            .and_then(|e| e.value().attr("value"))
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!(value_of(&page, "#display_name"), "Anne Roy");
    assert_eq!(value_of(&page, "#clinic_name"), "Rivoli");

    let (status, location, page) = app
        .post_form(&anne, "/clinic/directory", &paris_form())
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
    assert_eq!(location.as_deref(), Some("/clinic/directory?flash=saved"));
    let (_, page) = app.page(&anne, "/clinic/directory").await;
    assert!(text_of(&page, "#profile-status").starts_with("Waiting for approval"));
    assert!(
        page.html().contains("from the city table"),
        "{}",
        page.html()
    );

    // Opted in, not approved: nowhere to be found.
    let (status, found) = api(&app, "near=Paris").await;
    assert_eq!(status, StatusCode::OK);
    assert!(names(&found).is_empty(), "{found}");

    // A practitioner cannot approve; the admin can.
    let (status, _) = app.page(&anne, "/clinic/directory/profiles").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page) = app.page(&admin, "/clinic/directory/profiles").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page, ".profile .status").starts_with("Waiting for approval"));
    let form = page
        .select(&selector("form[action$='/approve']"))
        .next()
        .expect("approve form");
    let action = form.value().attr("action").unwrap().to_owned();
    let seen = form
        .select(&selector("input[name=seen]"))
        .next()
        .and_then(|i| i.value().attr("value"))
        .unwrap()
        .to_owned();
    let (status, _, _) = app.post_form(&anne, &action, &[("seen", &seen)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post_form(&admin, &action, &[("seen", "1")]).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an older version is not approved"
    );
    let (status, location, _) = app.post_form(&admin, &action, &[("seen", &seen)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/clinic/directory/profiles?flash=approved")
    );

    let (_, found) = api(&app, "near=Paris").await;
    assert_eq!(names(&found), ["Dr Anne Roy"]);
    let hit = &found["results"][0];
    assert_eq!(hit["practitioner"]["coordinates_source"], "city");
    assert_eq!(
        hit["practitioner"]["services"],
        serde_json::json!(["microneedling", "rf_microneedling"])
    );
    assert_eq!(
        hit["practitioner"]["licence"]["issuer"],
        "Ordre des médecins"
    );
    assert_eq!(hit["distance_km"], 0.0);

    // Opting out hides it; opting in again with the same content keeps the approval.
    let mut out = paris_form();
    out.retain(|(k, _)| *k != "opted_in");
    app.post_form(&anne, "/clinic/directory", &out).await;
    assert!(names(&api(&app, "near=Paris").await.1).is_empty());
    app.post_form(&anne, "/clinic/directory", &paris_form())
        .await;
    assert_eq!(names(&api(&app, "near=Paris").await.1), ["Dr Anne Roy"]);

    // A change of content withdraws the approval until an admin approves again.
    let mut moved = paris_form();
    moved.retain(|(k, _)| !matches!(*k, "latitude" | "longitude"));
    moved.extend([("latitude", "48.8867"), ("longitude", "2.3431")]);
    app.post_form(&anne, "/clinic/directory", &moved).await;
    assert!(names(&api(&app, "near=Paris").await.1).is_empty());
    let (_, page) = app.page(&anne, "/clinic/directory").await;
    assert!(text_of(&page, "#profile-status").starts_with("Waiting for approval"));

    // Another clinic's admin cannot approve it.
    let other = app.create_clinic("Lyon", "admin@lyon.example").await;
    let outsider = app.signed_in(&other.admin_email).await;
    let (status, _, _) = app.post_form(&outsider, &action, &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Deleting the profile.
    let (status, location, _) = app.post_form(&anne, "/clinic/directory/delete", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/clinic/directory?flash=deleted"));
    let (_, page) = app.page(&admin, "/clinic/directory/profiles").await;
    assert!(page.html().contains("No one in your clinic"));
}

#[tokio::test]
async fn the_profile_form_says_what_is_wrong() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Rivoli", "admin@rivoli.example").await;
    app.create_practitioner(&clinic, "anne@rivoli.example", "Anne Roy")
        .await;
    let anne = app.signed_in("anne@rivoli.example").await;
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "city",
            "Pariss",
            "The city 'Pariss' is not in the city table (did you mean Paris",
        ),
        ("city", "Springfield", "The city 'Springfield' is ambiguous"),
        ("country", "Narnia", "Unknown country 'Narnia'"),
        ("latitude", "north", "The latitude must be a number"),
        ("latitude", "95", "Give both 'latitude' and 'longitude'"),
        (
            "licence_issuer",
            "",
            "Give both the licence number and the body",
        ),
        (
            "website",
            "javascript:alert(1)",
            "'website' must be a web address",
        ),
    ];
    for (field, value, expected) in cases {
        let mut form = paris_form();
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        if field == "city" && value == "Springfield" {
            form.retain(|(k, _)| *k != "country");
            form.push(("country", "US"));
        }
        let (status, _, page) = app.post_form(&anne, "/clinic/directory", &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        let summary = text_of(&page, ".error-summary");
        assert!(summary.contains(expected), "{field}={value}: {summary}");
    }
    // Opting in needs the licence; saving privately does not.
    let mut form = paris_form();
    form.retain(|(k, _)| !k.starts_with("licence"));
    let (status, _, page) = app.post_form(&anne, "/clinic/directory", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&page, ".error-summary").contains("A public profile needs 'licence_number'"));
    form.retain(|(k, _)| *k != "opted_in");
    let (status, _, _) = app.post_form(&anne, "/clinic/directory", &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Nothing was listed by any of it.
    assert!(names(&api(&app, "near=Paris").await.1).is_empty());
}

#[tokio::test]
async fn search_by_city_or_coordinates_nearest_first_with_distances() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Rivoli", "admin@rivoli.example").await;
    seed_all(
        &app,
        &clinic,
        [
            Seed {
                name: "Rivoli",
                at: Some((48.8556, 2.3601)),
                services: &["microneedling", "microneedling_prp"],
                ..Seed::default()
            },
            Seed {
                name: "Versailles",
                city: "Versailles",
                services: &["microneedling"],
                ..Seed::default()
            },
            Seed {
                name: "Montmartre",
                at: Some((48.8867, 2.3431)),
                services: &["rf_microneedling"],
                ..Seed::default()
            },
            Seed {
                name: "Lyon",
                city: "Lyon",
                services: &["rf_microneedling"],
                ..Seed::default()
            },
        ],
    )
    .await;

    let (status, found) = api(&app, "near=Paris").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(names(&found), ["Rivoli", "Montmartre", "Versailles"]);
    let distances: Vec<f64> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["distance_km"].as_f64().unwrap())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    assert_eq!(found["query"]["origin"]["city"]["label"], "Paris, France");
    assert_eq!(found["query"]["radius"]["km"], 50.0);
    assert!(found["attribution"].as_str().unwrap().contains("GeoNames"));

    // By coordinates, with a service, in miles, with a limit.
    let (_, found) = api(&app, "near=48.8867,2.3431&limit=1").await;
    assert_eq!(names(&found), ["Montmartre"]);
    assert!(found["query"]["origin"]["city"].is_null());
    let (_, found) = api(&app, "near=Paris&service=rf_microneedling&radius_mi=300").await;
    assert_eq!(names(&found), ["Montmartre", "Lyon"]);
    assert_eq!(found["query"]["radius"]["unit"], "mi");
    let lyon_mi = found["results"][1]["distance_mi"].as_f64().unwrap();
    assert!((200.0..280.0).contains(&lyon_mi), "{lyon_mi}");
    let (_, found) = api(&app, "near=Tokyo").await;
    assert!(names(&found).is_empty());

    // The page, without JavaScript: a GET form, results nearest first with distances.
    let client = browser();
    let (status, page) = app
        .page(
            &client,
            "/practitioners?near=Paris&radius=300&unit=mi&service=rf_microneedling",
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        texts_of(&page, ".results h3"),
        [
            "Montmartre, Clinique Rivoli (2.3 miles)",
            "Lyon, Clinique Rivoli (244.3 miles)"
        ]
    );
    assert!(
        text_of(&page, "#results-title")
            .starts_with("2 practitioners offering RF microneedling (radiofrequency) within 300 miles of Paris, France")
    );
    let (_, page) = app
        .page(&client, "/practitioners?near=48.8556%2C2.3601&radius=1")
        .await;
    assert_eq!(
        texts_of(&page, ".results h3"),
        ["Rivoli, Clinique Rivoli (0.0 km)"]
    );
    let (_, page) = app.page(&client, "/practitioners?near=Tokyo").await;
    assert!(
        text_of(&page, "#results-title")
            .starts_with("No practitioner within 50 km of Tokyo, Japan")
    );
}

#[tokio::test]
async fn an_ambiguous_city_offers_its_candidates_and_an_unknown_one_suggestions() {
    let app = spawn_app().await;
    let clinic = app
        .create_clinic("Springfield", "admin@springfield.example")
        .await;
    seed(
        &app,
        &clinic,
        Seed {
            name: "Dr Illinois",
            city: "Springfield, Illinois",
            country: "US",
            ..Seed::default()
        },
    )
    .await;

    let (status, refused) = api(&app, "near=Springfield").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["code"], "ambiguous_place");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("'Springfield' matches several cities"),
        "{message}"
    );
    let candidates = refused["candidates"].as_array().unwrap();
    assert!(candidates.len() >= 3, "{refused}");
    assert!(
        candidates
            .iter()
            .all(|c| c["country"].is_string() && c["population"].as_u64().unwrap() > 0)
    );
    let illinois = candidates
        .iter()
        .find(|c| c["admin1"] == "Illinois")
        .expect("Springfield, Illinois");
    let near = illinois["near"].as_str().unwrap();
    let (status, found) = api(&app, &format!("near={}", near.replace(' ', "+"))).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(names(&found), ["Dr Illinois"]);

    // The page lists them as links with country and population; a link searches.
    let client = browser();
    let (status, page) = app
        .page(&client, "/practitioners?near=Springfield&radius=20")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let links = texts_of(&page, ".places a");
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("Springfield, Missouri, United States (")
                && l.ends_with(" people)")),
        "{links:?}"
    );
    let href = page
        .select(&selector(".places a"))
        .find(|a| a.text().collect::<String>().contains("Illinois"))
        .and_then(|a| a.value().attr("href"))
        .expect("a link for Illinois")
        .to_owned();
    assert!(href.contains("radius=20"), "{href}");
    let (status, page) = app.page(&client, &href).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts_of(&page, ".results h3").len(), 1);

    // Unknown: "did you mean".
    let (status, refused) = api(&app, "near=Pariss").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused["error"]["code"], "unknown_place");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean Paris, France")
    );
    assert_eq!(refused["suggestions"][0]["label"], "Paris, France");
    let (status, page) = app.page(&client, "/practitioners?near=Pariss").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text_of(&page, ".error-summary").contains("Did you mean:"));
    assert!(texts_of(&page, ".places a")[0].starts_with("Paris, France ("));
}

#[tokio::test]
async fn bad_input_is_a_400_with_one_clear_message() {
    let app = spawn_app().await;
    let cases = [
        ("", "Say where to search"),
        ("near=", "Say where to search"),
        (
            "near=Paris&radius_km=0",
            "The radius must be more than 0 km",
        ),
        (
            "near=Paris&radius_km=-5",
            "The radius must be more than 0 km",
        ),
        (
            "near=Paris&radius_km=5000",
            "The radius of 5000 km is too large",
        ),
        (
            "near=Paris&radius_km=abc",
            "The radius 'abc' is not a number of km",
        ),
        (
            "near=Paris&radius_mi=NaN",
            "The radius 'NaN' is not a number of miles",
        ),
        (
            "near=Paris&radius_km=5&radius_mi=5",
            "Give the radius in km or in miles, not both",
        ),
        ("near=91,0", "The latitude 91 is out of range"),
        ("near=0,200", "The longitude 200 is out of range"),
        (
            "near=48.8,abc",
            "'48.8,abc' is not a latitude and longitude",
        ),
        ("near=Paris&service=botox", "Unknown service 'botox'"),
        (
            "near=Paris&limit=0",
            "The number of results must be a whole number from 1 to 100",
        ),
        ("near=Paris&near=Lyon", "The query string could not be read"),
    ];
    for (query, expected) in cases {
        let (status, refused) = api(&app, query).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {refused}");
        let message = refused["error"]["message"].as_str().unwrap();
        assert!(message.starts_with(expected), "{query}: {message}");
        assert!(!message.contains('\n'), "one sentence: {message}");
    }
    let client = browser();
    for query in [
        "near=Paris&radius=0",
        "near=91,0",
        "near=Paris&service=botox",
        "near=Paris&radius=abc&unit=mi",
    ] {
        let (status, page) = app.page(&client, &format!("/practitioners?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(texts_of(&page, ".error-summary p").len(), 1, "{query}");
    }
}

#[tokio::test]
async fn unapproved_opted_out_and_disabled_practitioners_never_appear() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Rivoli", "admin@rivoli.example").await;
    let here = Some((48.8566, 2.3522));
    seed_all(
        &app,
        &clinic,
        [
            Seed {
                name: "Listed",
                at: here,
                ..Seed::default()
            },
            Seed {
                name: "Unapproved",
                at: here,
                approved: false,
                ..Seed::default()
            },
            Seed {
                name: "Opted out",
                at: here,
                opted_in: false,
                ..Seed::default()
            },
        ],
    )
    .await;
    let disabled = seed(
        &app,
        &clinic,
        Seed {
            name: "Disabled",
            at: here,
            ..Seed::default()
        },
    )
    .await;

    let (_, found) = api(&app, "near=48.8566,2.3522&radius_km=1").await;
    // Equal distances come in a fixed order (by id: the order of creation).
    assert_eq!(names(&found), ["Listed", "Disabled"]);
    app.store
        .disable_user(&clinic.id, &disabled.user_id, app.clock.now_seconds())
        .await
        .expect("disable");
    let (_, found) = api(&app, "near=48.8566,2.3522&radius_km=1").await;
    assert_eq!(names(&found), ["Listed"]);
    let body = found.to_string();
    for hidden in [
        "Unapproved",
        "Opted out",
        "Disabled",
        "opted_in",
        "approved",
    ] {
        assert!(!body.contains(hidden), "{hidden} in {body}");
    }
    let (_, page) = app.page(&browser(), "/practitioners?near=Paris").await;
    assert_eq!(texts_of(&page, ".results h3").len(), 1);
    for hidden in ["Unapproved", "Opted out", "Disabled"] {
        assert!(!page.html().contains(hidden), "{hidden} on the page");
    }
}

#[tokio::test]
async fn practitioners_text_and_the_query_are_escaped_on_the_page() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Rivoli", "admin@rivoli.example").await;
    seed(
        &app,
        &clinic,
        Seed {
            name: "<script>alert(1)</script>",
            ..Seed::default()
        },
    )
    .await;
    let response = reqwest::get(app.at("/practitioners?near=Paris"))
        .await
        .unwrap();
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)</script>"), "{html}");
    // Shown as text, and the page's only script is its own.
    let page = scraper::Html::parse_document(&html);
    assert!(text_of(&page, ".results h3").starts_with("<script>alert(1)</script>, Clinique"));
    let scripts: Vec<_> = page
        .select(&selector("script"))
        .map(|s| s.value().attr("src").unwrap_or("inline").to_owned())
        .collect();
    assert_eq!(scripts, ["/static/near-me.js"]);
    let response = reqwest::get(app.at("/practitioners?near=%22%3E%3Cb%3Ehi%3C%2Fb%3E"))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let html = response.text().await.unwrap();
    assert!(!html.contains("\"><b>hi</b>"), "{html}");
    // The admin's approval page escapes it too.
    let admin = app.signed_in("admin@rivoli.example").await;
    let html = admin
        .get(app.at("/clinic/directory/profiles"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
}

#[tokio::test]
async fn the_page_needs_no_javascript_and_allows_only_its_own_script() {
    let app = spawn_app().await;
    let response = reqwest::get(app.at("/practitioners")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let permissions = response.headers()["permissions-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(permissions.contains("geolocation=(self)"), "{permissions}");
    let page = scraper::Html::parse_document(&response.text().await.unwrap());
    let form = page
        .select(&selector("form[role=search]"))
        .next()
        .expect("form");
    assert_eq!(form.value().attr("method"), Some("get"));
    assert_eq!(form.value().attr("action"), Some("/practitioners"));
    let button = page.select(&selector("#near-me")).next().expect("near me");
    assert!(
        button.value().attr("hidden").is_some(),
        "hidden until the script runs"
    );
    assert!(
        page.select(&selector("script:not([src])")).next().is_none(),
        "no inline script"
    );

    // Other pages still allow no script and no geolocation.
    let home = reqwest::get(app.at("/")).await.unwrap();
    let csp = home.headers()["content-security-policy"].to_str().unwrap();
    assert!(!csp.contains("script-src"), "{csp}");
    assert!(
        home.headers()["permissions-policy"]
            .to_str()
            .unwrap()
            .contains("geolocation=()")
    );

    let script = reqwest::get(app.at("/static/near-me.js")).await.unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    let text = script.text().await.unwrap();
    assert!(text.contains("navigator.geolocation.getCurrentPosition"));
    assert!(!text.contains("http"), "no other host");
}
