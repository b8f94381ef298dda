//! The clinic's product catalog (issue #9) through the real stack: an admin replaces it with
//! TOML, a patient's My products page recommends what the checker clears and holds back what
//! it flags, a refused catalog names its line and keeps the old one, another clinic keeps the
//! built-in catalog, and practitioners may look but not change it.

use reqwest::StatusCode;

use crate::helpers::*;

/// A catalog of two products with ingredient lists: a plain moisturiser the checker clears
/// on day 3, and a retinol serum it flags (retinoids wait after microneedling).
const CATALOG: &str = r#"
[[products]]
id = "calm-cream"
name = "Calm <Barrier> Cream"
brand = "Clinic Own"
type = "moisturiser"
ingredients = "Aqua, Glycerin, Squalane"
why = "A plain barrier moisturiser for the first days."
source = "guide.mdpen_line"

[[products]]
id = "night-retinol"
name = "Night Retinol Serum"
brand = "Clinic Own"
type = "serum"
ingredients = "Aqua, Glycerin, Retinol, Phenoxyethanol"
why = "For later, when actives are back."
source = "guide.mdpen_line"
"#;

/// `(recommended, held back, not provided)` of a patient's My products page.
async fn picks(app: &TestApp, link: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (status, page) = app.page(&browser(), &format!("{link}/shelf")).await;
    assert_eq!(status, StatusCode::OK, "{}", page.html());
    (
        texts_of(&page, ".recommended li"),
        texts_of(&page, ".held-back li"),
        texts_of(&page, ".not-provided li"),
    )
}

#[tokio::test]
async fn the_clinic_catalog_is_recommended_only_where_the_checker_clears_it() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Alpha", "admin@alpha.example").await;
    let admin = app.signed_in(&clinic.admin_email).await;
    let (_, link) = app.create_treatment(&admin, "Ann").await;
    let other = app.create_clinic("Beta", "admin@beta.example").await;
    let other_admin = app.signed_in(&other.admin_email).await;
    let (_, other_link) = app.create_treatment(&other_admin, "Bea").await;

    // Before: the built-in catalog, shown with no ingredient lists.
    let (status, page) = app.page(&admin, "/clinic/catalog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&page, ".catalog-source").contains("built-in"));
    assert!(
        texts_of(&page, ".catalog .ingredients")
            .iter()
            .all(|i| i == "ingredient list not provided")
    );

    let (status, location, page) = app
        .post_form(&admin, "/clinic/catalog", &[("toml", CATALOG)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
    assert_eq!(location.as_deref(), Some("/clinic/catalog?flash=catalog"));
    let (_, page) = app.page(&admin, "/clinic/catalog").await;
    assert!(text_of(&page, ".catalog-source").contains("own catalog"));
    assert_eq!(
        texts_of(&page, ".catalog .product"),
        vec![
            "Clinic Own Calm <Barrier> Cream",
            "Clinic Own Night Retinol Serum"
        ]
    );
    assert_eq!(
        texts_of(&page, ".catalog .step"),
        vec!["Moisturise", "Serum"],
        "by routine step"
    );
    assert!(
        page.html().contains("Calm &lt;Barrier&gt; Cream") && !page.html().contains("<Barrier>"),
        "escaped"
    );

    // Day 3: the moisturiser is recommended with its why; the retinol serum is held back.
    let (recommended, held_back, not_provided) = picks(&app, &link).await;
    assert_eq!(recommended.len(), 1, "{recommended:?}");
    assert!(
        recommended[0].contains("Calm <Barrier> Cream"),
        "{recommended:?}"
    );
    assert!(
        recommended[0].contains("A plain barrier moisturiser for the first days. (Guide:"),
        "{recommended:?}"
    );
    assert!(
        recommended.iter().all(|r| !r.contains("Retinol")),
        "a retinoid is never recommended on day 3"
    );
    assert_eq!(held_back.len(), 1, "{held_back:?}");
    assert!(
        held_back[0].contains("Night Retinol Serum"),
        "{held_back:?}"
    );
    assert!(not_provided.is_empty(), "only the clinic's catalog is used");

    // Another clinic's patient still gets the built-in catalog.
    let (recommended, _, not_provided) = picks(&app, &other_link).await;
    assert!(recommended.is_empty(), "{recommended:?}");
    assert!(
        not_provided
            .iter()
            .any(|p| p.contains("MDPen Copper + HA Mist")),
        "{not_provided:?}"
    );
    assert!(not_provided.iter().all(|p| !p.contains("Clinic Own")));

    // Reset: back to the built-in catalog.
    let (status, location, _) = app.post_form(&admin, "/clinic/catalog/reset", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location.as_deref(),
        Some("/clinic/catalog?flash=catalog_reset")
    );
    assert_eq!(
        app.store.get_clinic_catalog(&clinic.id).await.expect("get"),
        None
    );
    let (recommended, _, not_provided) = picks(&app, &link).await;
    assert!(recommended.is_empty());
    assert!(not_provided.iter().any(|p| p.contains("MDPen")));
}

#[tokio::test]
async fn a_refused_catalog_names_its_line_and_keeps_the_old_one() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Alpha", "admin@alpha.example").await;
    let admin = app.signed_in(&clinic.admin_email).await;
    let (status, _, _) = app
        .post_form(&admin, "/clinic/catalog", &[("toml", CATALOG)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let broken = "[[products]]\nid = \"x\"\nname = \n";
    let (status, _, page) = app
        .post_form(&admin, "/clinic/catalog", &[("toml", broken)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = text_of(&page, "#catalog-error");
    assert!(error.contains("line 3, column"), "{error}");
    assert_eq!(text_of(&page, "textarea#toml"), broken.trim(), "sent back");

    let unknown_source = CATALOG.replace(
        "source = \"guide.mdpen_line\"\n\n",
        "source = \"nowhere\"\n\n",
    );
    let (status, _, page) = app
        .post_form(&admin, "/clinic/catalog", &[("toml", &unknown_source)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = text_of(&page, "#catalog-error");
    assert!(
        error.starts_with("line 2:") && error.contains("unknown source 'nowhere'"),
        "{error}"
    );

    let kept = app
        .store
        .get_clinic_catalog(&clinic.id)
        .await
        .expect("get")
        .expect("still set");
    assert_eq!(kept.toml, CATALOG, "nothing saved");
}

#[tokio::test]
async fn a_practitioner_may_look_at_the_catalog_but_not_change_it() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Alpha", "admin@alpha.example").await;
    app.create_practitioner(&clinic, "pat@alpha.example", "Pat Practitioner")
        .await;
    let pat = app.signed_in("pat@alpha.example").await;

    let (status, page) = app.page(&pat, "/clinic/catalog").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!texts_of(&page, ".catalog .product").is_empty());
    assert!(
        page.select(&selector("form[action='/clinic/catalog']"))
            .next()
            .is_none()
    );
    assert!(
        page.select(&selector("nav a[href='/clinic/catalog']"))
            .next()
            .is_some(),
        "linked from the clinic navigation"
    );

    let (status, _, _) = app
        .post_form(&pat, "/clinic/catalog", &[("toml", CATALOG)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = app.post_form(&pat, "/clinic/catalog/reset", &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.store.get_clinic_catalog(&clinic.id).await.expect("get"),
        None,
        "nothing changed"
    );
}
