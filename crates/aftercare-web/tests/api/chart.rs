//! The healing chart (issue #10): the patient's ratings over the days against the protocol's
//! usual course, as an inline SVG with a text alternative, on the patient's Today page and the
//! practitioner's treatment page, and nowhere else.

use reqwest::StatusCode;
use scraper::Html;

use crate::helpers::{TestApp, browser, selector, spawn_app, text_of, texts_of};

/// The chart table's rows as (day, cells), header included.
fn chart_rows(page: &Html) -> Vec<Vec<String>> {
    page.select(&selector("section.chart table tr"))
        .map(|row| {
            row.select(&selector("th, td"))
                .map(|cell| {
                    cell.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect()
        })
        .collect()
}

fn assert_chart_shows_both_check_ins(page: &Html, whose: &str) {
    let svg = page
        .select(&selector("section.chart figure svg[role=img]"))
        .next();
    assert!(svg.is_some(), "no chart in {}", page.html());
    let svg = svg.expect("the chart");
    let labelled_by = svg.value().attr("aria-labelledby").expect("labelled");
    for id in labelled_by.split_whitespace() {
        assert!(
            page.select(&selector(&format!("svg #{id}")))
                .next()
                .is_some(),
            "{id} is inside the SVG"
        );
    }
    assert_eq!(svg.value().attr("width"), Some("100%"));
    let svg_text = svg.text().collect::<String>();
    for label in [
        "Day after treatment",
        "Rating (0-10)",
        "Redness",
        "Swelling",
        "Itching",
        "Usual range",
    ] {
        assert!(svg_text.contains(label), "{label} in the SVG");
    }

    let summary = text_of(page, "section.chart .chart-summary");
    assert!(
        summary.starts_with(&format!("{whose} from 2 check-ins, from day 2 to day 3.")),
        "{summary}"
    );
    assert!(summary.contains("redness 4 out of 10"), "{summary}");

    let rows = chart_rows(page);
    assert_eq!(
        rows[0],
        ["Day", "When", "Redness", "Swelling", "Itching"],
        "one column per rated symptom, in the protocol's order"
    );
    assert_eq!(rows.len(), 3, "a header and one row per check-in: {rows:?}");
    assert_eq!(rows[1][0], "Day 2");
    assert!(rows[1][2].starts_with("5 (usual 0–"), "{:?}", rows[1]);
    assert!(rows[1][3].starts_with("2 (usual 0–"), "{:?}", rows[1]);
    assert_eq!(rows[1][4], "not rated");
    assert_eq!(rows[2][0], "Day 3");
    assert!(rows[2][2].starts_with("4 (usual 0–"), "{:?}", rows[2]);
    assert_eq!(rows[2][3], "not rated");
    assert!(rows[2][4].starts_with("2 (usual 0–"), "{:?}", rows[2]);

    let notes = texts_of(page, "section.chart .chart-note").join(" ");
    assert!(notes.contains("usual range from the protocol"), "{notes}");
    let courses = texts_of(page, "section.chart details li").join(" ");
    assert!(
        courses.contains("care-pathways.md §3.2"),
        "sourced: {courses}"
    );
}

async fn treatment_on_day_2(app: &TestApp, clinic: &str) -> (reqwest::Client, String, String) {
    let admin = format!("admin@{}.example", clinic.to_lowercase());
    let created = app.create_clinic(&format!("{clinic} Clinic"), &admin).await;
    assert!(!created.id.is_empty());
    let client = app.signed_in(&admin).await;
    // The harness's "now" is 26 Nov 2026, 15:00 in Berlin: 24 hours after this treatment.
    let (id, link) = app
        .create_treatment_with(
            &client,
            &[("patient_label", clinic), ("treated_date", "2026-11-25")],
        )
        .await;
    (client, id, link)
}

#[tokio::test]
async fn the_chart_and_its_table_show_the_ratings_to_the_patient_and_the_clinic_only() {
    let app = spawn_app().await;
    let (_, id, link) = treatment_on_day_2(&app, "Charted").await;

    let (status, today) = app.page(&browser(), &link).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text_of(&today, "section.chart h2"), "Your healing so far");
    assert!(
        text_of(&today, "section.chart").contains("No ratings yet"),
        "one sentence before the first rating"
    );
    assert!(
        today
            .select(&selector("section.chart svg"))
            .next()
            .is_none()
    );
    assert!(
        today
            .select(&selector("section.chart table"))
            .next()
            .is_none()
    );

    app.check_in(
        &link,
        &[
            ("symptoms", "redness"),
            ("symptoms", "swelling"),
            ("rating_redness", "5"),
            ("rating_swelling", "2"),
            ("discharge", "none"),
        ],
    )
    .await;
    app.clock.advance(24 * 3600);
    app.check_in(
        &link,
        &[
            ("symptoms", "redness"),
            ("symptoms", "itching"),
            ("rating_redness", "4"),
            ("rating_itching", "2"),
            ("discharge", "none"),
        ],
    )
    .await;

    let (status, today) = app.page(&browser(), &link).await;
    assert_eq!(status, StatusCode::OK);
    assert_chart_shows_both_check_ins(&today, "Your ratings");

    // A day has passed since the clinic signed in: sign in again.
    let client = app.signed_in("admin@charted.example").await;
    let (status, treatment) = app.page(&client, &format!("/clinic/treatments/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(text_of(&treatment, "section.chart h2"), "Healing chart");
    assert_chart_shows_both_check_ins(&treatment, "The patient's ratings");

    let (other, other_id, _) = treatment_on_day_2(&app, "Elsewhere").await;
    let (status, _) = app.page(&other, &format!("/clinic/treatments/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another clinic cannot open it"
    );
    let (status, own) = app
        .page(&other, &format!("/clinic/treatments/{other_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(own.select(&selector("section.chart svg")).next().is_none());
    assert!(
        text_of(&own, "section.chart").contains("No rated check-in yet"),
        "the other clinic's own treatment shows none of these ratings"
    );
}
