//! Accuracy of the ingredient checker, measured on the labelled public sample
//! (`tests/fixtures/products-public.jsonl`, a committed copy of `shared/eval/products-public.jsonl`;
//! each record's `source` field says where its list was published).
//!
//! Thresholds (issue #3): 100% recall on every paused and irritant category except
//! `physical_exfoliant` (it depends on the product being a scrub), and at least 95% precision
//! on those categories except `fragrance_allergen` (the knowledge base rightly knows the 2023
//! extension of the EU list, while the sample was labelled with the classic 26; counted over the
//! classic 26 only, allergens are held to 95% precision as well). The test
//! prints the per-category report (`cargo test -p aftercare-core --test core accuracy --
//! --nocapture`); `aftercare check --report FILE.jsonl` prints it for any labelled file.

use aftercare_core::{
    category::{Category, CategoryGroup},
    inci::{
        Checker,
        accuracy::{evaluate, read_labelled},
        kb::KnowledgeBase,
    },
    profile::Profile,
    protocol::default_protocol,
};

const SAMPLE: &str = include_str!("../../../../tests/fixtures/products-public.jsonl");

#[test]
fn the_checker_meets_the_accuracy_thresholds_on_the_public_sample() {
    let products = read_labelled(SAMPLE).unwrap();
    assert_eq!(products.len(), 41);
    let checker = Checker::new(
        KnowledgeBase::embedded(),
        default_protocol(),
        &Profile::default(),
    );
    let report = evaluate(&checker, &products).unwrap();
    println!("{report}");
    let mut failures = Vec::new();
    for category in Category::ALL.iter().copied().filter(|c| {
        matches!(c.group(), CategoryGroup::Paused | CategoryGroup::Irritant)
            && *c != Category::PhysicalExfoliant
    }) {
        let score = report.score(category);
        if score.recall().is_some_and(|r| r < 1.0) {
            failures.push(format!("{category}: recall {:?}", score.recall()));
        }
        if category != Category::FragranceAllergen && score.precision().is_some_and(|p| p < 0.95) {
            failures.push(format!("{category}: precision {:?}", score.precision()));
        }
    }
    // Counting only the classic 26 (the sample's list), allergens are held to precision too.
    let classic = report.classic_allergens;
    if classic.precision().is_some_and(|p| p < 0.95) {
        failures.push(format!(
            "EU 26 allergens: precision {:?}",
            classic.precision()
        ));
    }
    assert!(failures.is_empty(), "below the thresholds: {failures:#?}");
    // A category the sample was not labelled for is found but not scored.
    let sulfates = report.score(Category::SulfateSurfactant);
    assert!(sulfates.predicted > 0 && sulfates.not_labelled);
    assert_eq!((sulfates.precision(), sulfates.recall()), (None, None));
    // The sample exercises the paused and irritant categories it claims to.
    for category in [
        Category::Retinoid,
        Category::Aha,
        Category::Bha,
        Category::VitaminC,
        Category::Fragrance,
        Category::FragranceAllergen,
        Category::EssentialOil,
        Category::DryingAlcohol,
        Category::ChemicalUvFilter,
    ] {
        assert!(report.score(category).labelled > 0, "{category}");
    }
}
