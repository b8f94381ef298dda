//! The product shelf (issue #9) through the real stack: products added through the patient's
//! link and the clinic's treatment page, the schedule the core computes shown with its dates,
//! the pause after a red-flag check-in, refused ingredient lists, the boundaries between
//! links and clinics, the calendar feed's reintroduction events, and escaping.

use aftercare_core::{
    inci::{Checker, kb::KnowledgeBase},
    instant::format_local,
    protocol::default_protocol,
    shelf::{Shelf, ShelfProduct, ShelfProductType, check_shelf, schedule_products},
};
use reqwest::StatusCode;
use scraper::Html;

use crate::helpers::{browser, default_treatment, selector, spawn_app, text_of, texts_of};

const SERUM: &str = "Aqua, Glycerin, Retinol, Phenoxyethanol";
const MOISTURISER: &str = "Aqua, Glycerin, Squalane, Ceramide NP";

/// `(id, name, when)` of every product on a shelf page, in the order shown.
fn shown(page: &Html) -> Vec<(String, String, String)> {
    page.select(&selector("li.shelf-item"))
        .map(|li| {
            let id = li
                .value()
                .attr("id")
                .and_then(|id| id.strip_prefix("product-"))
                .expect("product id")
                .to_owned();
            let text = |css: &str| {
                li.select(&selector(css))
                    .next()
                    .map(|e| e.text().collect::<String>().trim().to_owned())
                    .unwrap_or_default()
            };
            (id, text(".product-name"), text(".when"))
        })
        .collect()
}

/// The schedule the core gives for the harness's treatment and these products.
fn expected_when(products: &[(&str, ShelfProductType, &str)]) -> Vec<(String, String)> {
    let protocol = default_protocol();
    let (treated_at, profile) = default_treatment();
    let shelf = Shelf {
        products: products
            .iter()
            .enumerate()
            .map(|(i, (name, product_type, list))| ShelfProduct {
                id: format!("p{i}"),
                name: (*name).to_owned(),
                brand: None,
                product_type: *product_type,
                ingredients: Some((*list).to_owned()),
                aftercare: false,
            })
            .collect(),
    };
    let checker = Checker::new(KnowledgeBase::embedded(), protocol, &profile);
    let checked = check_shelf(&shelf, &checker).expect("checked");
    schedule_products(protocol, &profile, &checked, &[], &treated_at)
        .schedule
        .iter()
        .map(|e| {
            let when = if e.from_hours.0 == 0 {
                "From your treatment on".to_owned()
            } else {
                format_local(&e.from)
            };
            (e.name.clone(), when)
        })
        .collect()
}

#[tokio::test]
async fn products_added_through_the_link_come_back_on_the_cores_schedule() {
    let app = spawn_app().await;
    let (_, _, link) = app.clinic_with_patient("Shelf", &[]).await;
    let shelf = format!("{link}/shelf");
    let patient = browser();

    let (status, page) = app.page(&patient, &shelf).await;
    assert_eq!(status, StatusCode::OK);
    assert!(shown(&page).is_empty());
    assert!(
        page.select(&selector(&format!("nav a[href='{shelf}']")))
            .next()
            .is_some(),
        "the patient pages link to My products"
    );

    for (name, kind, list) in [
        ("Night serum", "serum", SERUM),
        ("Barrier cream", "moisturiser", MOISTURISER),
    ] {
        let (status, location, page) = app
            .post_form(
                &patient,
                &shelf,
                &[("name", name), ("type", kind), ("ingredients", list)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
        assert_eq!(location.as_deref(), Some(shelf.as_str()));
    }

    let (_, page) = app.page(&patient, &shelf).await;
    let got: Vec<(String, String)> = shown(&page)
        .into_iter()
        .map(|(_, name, when)| (name, when))
        .collect();
    let want = expected_when(&[
        ("Night serum", ShelfProductType::Serum, SERUM),
        ("Barrier cream", ShelfProductType::Moisturiser, MOISTURISER),
    ]);
    assert_eq!(
        got, want,
        "the dates (Berlin time) and order are the core's"
    );
    assert_eq!(got.len(), 2);
    assert!(
        texts_of(&page, "li.shelf-item .reason")
            .iter()
            .all(|r| !r.is_empty())
    );
    assert!(
        !texts_of(&page, ".routine-am li").is_empty()
            && !texts_of(&page, ".routine-pm li").is_empty(),
        "today's routine is shown"
    );
    assert!(
        texts_of(&page, ".routine-am li")
            .iter()
            .any(|s| s.contains("Barrier cream")),
        "the moisturiser that is back is in today's routine"
    );
    assert!(
        texts_of(&page, ".routine-am li")
            .last()
            .is_some_and(|s| s.contains("SPF")),
        "sunscreen last in the morning: {:?}",
        texts_of(&page, ".routine-am li")
    );
    // The catalog's picks, each with why. The built-in catalog has no ingredient lists yet, so
    // the checker clears none of them: all are marked "ingredient list not provided".
    assert!(
        texts_of(&page, ".recommended li").is_empty(),
        "nothing is cleared unchecked"
    );
    let not_provided = texts_of(&page, ".not-provided li");
    assert!(
        not_provided
            .iter()
            .any(|p| p.contains("MDPen Copper + HA Mist")),
        "{not_provided:?}"
    );
    assert!(
        not_provided.iter().all(|p| p.contains("(Guide:")),
        "each says why, with its source"
    );

    // The Today page names what comes back next and today's routine.
    let (_, today) = app.page(&patient, &link).await;
    let coming = texts_of(&today, ".shelf-today .coming");
    assert!(
        coming.iter().any(|c| c.starts_with("Night serum:")),
        "{coming:?}"
    );
    assert!(text_of(&today, ".shelf-today").contains("Morning:"));

    // Editing and removing.
    let (serum_id, _, _) = shown(&page)
        .into_iter()
        .find(|(_, name, _)| name == "Night serum")
        .expect("serum");
    let edit = format!("{shelf}/{serum_id}");
    let (status, form) = app.page(&patient, &edit).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        form.select(&selector("input#name"))
            .next()
            .and_then(|i| i.value().attr("value")),
        Some("Night serum")
    );
    let (status, _, _) = app
        .post_form(
            &patient,
            &edit,
            &[
                ("name", "Night serum 2"),
                ("type", "serum"),
                ("ingredients", SERUM),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.page(&patient, &shelf).await;
    assert!(shown(&page).iter().any(|(_, n, _)| n == "Night serum 2"));
    let (status, _, _) = app
        .post_form(&patient, &format!("{edit}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.page(&patient, &shelf).await;
    let names: Vec<String> = shown(&page).into_iter().map(|(_, n, _)| n).collect();
    assert_eq!(names, vec!["Barrier cream".to_owned()]);
}

#[tokio::test]
async fn a_list_that_is_not_an_ingredient_list_is_refused_and_nothing_is_saved() {
    let app = spawn_app().await;
    let (_, _, link) = app.clinic_with_patient("Refused", &[]).await;
    let shelf = format!("{link}/shelf");
    let patient = browser();

    let (status, _, page) = app
        .post_form(
            &patient,
            &shelf,
            &[
                ("name", "Mystery jar"),
                ("type", "balm"),
                ("ingredients", "Aqua\u{1}\u{2}Glycerin"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text_of(&page, "#ingredients-error").contains("binary data"),
        "the checker's message: {}",
        text_of(&page, "#ingredients-error")
    );
    assert_eq!(
        page.select(&selector("input#name"))
            .next()
            .and_then(|i| i.value().attr("value")),
        Some("Mystery jar"),
        "the form is shown again as typed"
    );
    // An unknown type and an empty name are refused too.
    let (status, _, page) = app
        .post_form(
            &patient,
            &shelf,
            &[
                ("name", ""),
                ("type", "potion"),
                ("ingredients", MOISTURISER),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.select(&selector(".field-error")).next().is_some());

    let (_, page) = app.page(&patient, &shelf).await;
    assert!(shown(&page).is_empty(), "nothing was saved");
}

#[tokio::test]
async fn a_red_flag_check_in_pauses_the_schedule_and_says_why() {
    let app = spawn_app().await;
    let (_, _, link) = app.clinic_with_patient("Paused", &[]).await;
    let shelf = format!("{link}/shelf");
    let patient = browser();
    let (status, _, _) = app
        .post_form(
            &patient,
            &shelf,
            &[
                ("name", "Night serum"),
                ("type", "serum"),
                ("ingredients", SERUM),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, before) = app.page(&patient, &shelf).await;
    assert!(before.select(&selector(".pause")).next().is_none());
    let when_before = shown(&before)[0].2.clone();
    assert_eq!(
        when_before, "Tue 1 Dec, 15:00",
        "the retinoid waits until day 8"
    );

    // Day 6 (hour 143): the pause after a red flag reaches past day 8.
    app.clock.advance(4 * 86_400);
    app.check_in(
        &link,
        &[
            ("symptoms", "pustules"),
            ("temperature_c", "38,2"),
            ("discharge", "yellow"),
        ],
    )
    .await;

    let (_, after) = app.page(&patient, &shelf).await;
    let pause = text_of(&after, ".pause");
    assert!(pause.contains("Paused"), "{pause}");
    assert!(pause.contains("Contact the practitioner"), "{pause}");
    assert!(
        after
            .select(&selector("li.shelf-item .paused"))
            .next()
            .is_some(),
        "the product says it was moved back"
    );
    let when_after = shown(&after)[0].2.clone();
    assert_ne!(when_after, when_before, "the date moved");
    assert!(
        pause.contains(&when_after),
        "the pause says until when: {pause}"
    );
}

#[tokio::test]
async fn another_patients_link_cannot_see_or_edit_a_product() {
    let app = spawn_app().await;
    let (_, _, link_a) = app.clinic_with_patient("Alpha", &[]).await;
    let (_, _, link_b) = app.clinic_with_patient("Bravo", &[]).await;
    let patient_a = browser();
    app.post_form(
        &patient_a,
        &format!("{link_a}/shelf"),
        &[
            ("name", "Alpha serum"),
            ("type", "serum"),
            ("ingredients", SERUM),
        ],
    )
    .await;
    let (_, page) = app.page(&patient_a, &format!("{link_a}/shelf")).await;
    let (id, _, _) = shown(&page).remove(0);

    let other = browser();
    let (_, page_b) = app.page(&other, &format!("{link_b}/shelf")).await;
    assert!(shown(&page_b).is_empty());
    assert!(!page_b.html().contains("Alpha serum"));
    let (status, _) = app.page(&other, &format!("{link_b}/shelf/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .post_form(
            &other,
            &format!("{link_b}/shelf/{id}"),
            &[
                ("name", "Hijacked"),
                ("type", "serum"),
                ("ingredients", SERUM),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .post_form(&other, &format!("{link_b}/shelf/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, page) = app.page(&patient_a, &format!("{link_a}/shelf")).await;
    let names: Vec<String> = shown(&page).into_iter().map(|(_, n, _)| n).collect();
    assert_eq!(names, vec!["Alpha serum".to_owned()], "untouched");
}

#[tokio::test]
async fn the_practitioner_sees_and_edits_the_shelf_and_other_clinics_cannot() {
    let app = spawn_app().await;
    let (clinic, treatment, link) = app.clinic_with_patient("Practice", &[]).await;
    let (other_clinic, _, _) = app.clinic_with_patient("Elsewhere", &[]).await;
    app.post_form(
        &browser(),
        &format!("{link}/shelf"),
        &[
            ("name", "Patient serum"),
            ("type", "serum"),
            ("ingredients", SERUM),
        ],
    )
    .await;

    let (status, page) = app
        .page(&clinic, &format!("/clinic/treatments/{treatment}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.select(&selector(&format!(
            "a[href='/clinic/treatments/{treatment}/shelf']"
        )))
        .next()
        .is_some(),
        "the treatment page links to its products"
    );
    assert!(
        texts_of(&page, ".shelf-summary li")
            .iter()
            .any(|p| p.starts_with("Patient serum: Tue 1 Dec, 15:00")),
        "the treatment page lists the product and when it comes back"
    );
    let path = format!("/clinic/treatments/{treatment}/shelf");
    let (status, page) = app.page(&clinic, &path).await;
    assert_eq!(status, StatusCode::OK);
    let products = shown(&page);
    assert_eq!(products.len(), 1);
    assert_eq!(products[0].1, "Patient serum");

    // The practitioner adds the clinic's aftercare product; the patient sees it.
    let (status, location, page) = app
        .post_form(
            &clinic,
            &path,
            &[
                ("name", "Hydrating Cleanser"),
                ("brand", "MDPen"),
                ("type", "cleanser"),
                ("from_clinic", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
    assert_eq!(location.as_deref(), Some(path.as_str()));
    let (_, page) = app.page(&browser(), &format!("{link}/shelf")).await;
    assert!(
        shown(&page)
            .iter()
            .any(|(_, name, _)| name == "MDPen Hydrating Cleanser")
    );

    // Another clinic: not found, and nothing changes.
    let (status, _) = app.page(&other_clinic, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let id = &products[0].0;
    let (status, _, _) = app
        .post_form(&other_clinic, &format!("{path}/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app
        .post_form(
            &other_clinic,
            &path,
            &[("name", "Intruder"), ("type", "serum")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = app.page(&clinic, &path).await;
    assert_eq!(shown(&page).len(), 2);
}

#[tokio::test]
async fn the_calendar_feed_carries_each_products_reintroduction() {
    let app = spawn_app().await;
    let (_, _, link) = app.clinic_with_patient("Feed", &[]).await;
    let patient = browser();
    app.post_form(
        &patient,
        &format!("{link}/shelf"),
        &[
            ("name", "Night serum"),
            ("type", "serum"),
            ("ingredients", SERUM),
        ],
    )
    .await;
    let (_, page) = app.page(&patient, &format!("{link}/shelf")).await;
    let (id, _, _) = shown(&page).remove(0);

    let (status, _, page) = app
        .post_form(&patient, &format!("{link}/calendar"), &[])
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let feed = text_of(&page, ".feed-url");
    let body = reqwest::get(&feed)
        .await
        .expect("GET feed")
        .text()
        .await
        .expect("body");
    // Long lines are folded (RFC 5545 §3.1): unfold before looking.
    let body = body.replace("\r\n ", "");
    assert!(body.contains(&format!("-product-{id}@")), "{body}");
    assert!(body.contains("You may bring back: Night serum"), "{body}");
    assert_eq!(
        body.matches("BEGIN:VEVENT").count(),
        body.matches("END:VEVENT").count()
    );
}

#[tokio::test]
async fn product_names_are_escaped_everywhere() {
    let app = spawn_app().await;
    let (clinic, treatment, link) = app.clinic_with_patient("Escape", &[]).await;
    let name = "<script>alert(1)</script> & \"Co\"";
    let (status, _, page) = app
        .post_form(
            &browser(),
            &format!("{link}/shelf"),
            &[
                ("name", name),
                ("brand", "<b>Brand</b>"),
                ("type", "serum"),
                ("ingredients", SERUM),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
    for (client, path) in [
        (browser(), format!("{link}/shelf")),
        (browser(), link.clone()),
        (
            clinic.clone(),
            format!("/clinic/treatments/{treatment}/shelf"),
        ),
        (clinic.clone(), format!("/clinic/treatments/{treatment}")),
    ] {
        let body = client
            .get(app.at(&path))
            .send()
            .await
            .expect("GET")
            .text()
            .await
            .expect("body");
        assert!(!body.contains("<script>alert"), "{path}: raw markup");
        assert!(!body.contains("<b>Brand</b>"), "{path}: raw markup");
        let text: String = Html::parse_document(&body).root_element().text().collect();
        assert!(
            text.contains("<script>alert(1)</script> & \"Co\""),
            "{path}: shown as text"
        );
    }
    // A refused form shows the name again, escaped.
    let (status, _, page) = app
        .post_form(
            &browser(),
            &format!("{link}/shelf"),
            &[("name", name), ("type", "potion")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!page.html().contains("<script>alert"));
}
