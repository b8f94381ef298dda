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
    Hours,
    category::{Category, CategoryGroup},
    inci::{
        CheckTime, Checker, MatchedBy, Product, Status, Verdict,
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

fn checker() -> Checker<'static> {
    Checker::new(
        KnowledgeBase::embedded(),
        default_protocol(),
        &Profile::default(),
    )
}

/// The reviewer's list (`aftercare check --hours 200 "Iron Oxides, Beta Glucan, L-Proline,
/// Yellow 5, Blue 1, Red 40"`): US colour names, a stereo descriptor and a label spelling, all
/// of them recognised, none with a category, so the product is fine at 200 h.
#[test]
fn us_colour_names_stereo_descriptors_and_label_spellings_are_recognised() {
    let checker = checker();
    let text = "Iron Oxides, Beta Glucan, L-Proline, Yellow 5, Blue 1, Red 40";
    let check = checker
        .check(text, &Product::default(), &CheckTime::hours(Hours(200)))
        .unwrap();
    let names: Vec<(&str, MatchedBy, Option<String>)> = check
        .ingredients
        .iter()
        .map(|i| {
            let part = i.part();
            (
                &*part.text,
                part.matched_by,
                part.known.as_ref().map(|k| k.name.to_string()),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("IRON OXIDES", MatchedBy::Exact, Some("IRON OXIDES".into())),
            (
                "BETA GLUCAN",
                MatchedBy::Synonym,
                Some("BETA-GLUCAN".into())
            ),
            ("L-PROLINE", MatchedBy::StereoPrefix, Some("PROLINE".into())),
            ("YELLOW 5", MatchedBy::Synonym, Some("CI 19140".into())),
            ("BLUE 1", MatchedBy::Synonym, Some("CI 42090".into())),
            ("RED 40", MatchedBy::Synonym, Some("CI 16035".into())),
        ]
    );
    for ingredient in &check.ingredients {
        assert_ne!(ingredient.ruling.status, Status::Unknown, "{ingredient:?}");
        assert!(ingredient.categories.is_empty(), "{ingredient:?}");
    }
    assert_eq!(check.verdict, Verdict::Ok);
    assert!(check.categories.is_empty());
    // Right after treatment too: nothing waits, nothing is unknown.
    let now = checker
        .check(text, &Product::default(), &CheckTime::hours(Hours(0)))
        .unwrap();
    assert_eq!(now.verdict, Verdict::Ok);
}

/// The labelled sample's own spellings (p085 Beta Glucan, p100 L-Proline, p137 Yellow 5 and
/// Blue 1) are no longer unknown.
#[test]
fn the_samples_colour_and_amino_acid_spellings_are_not_unknown() {
    let products = read_labelled(SAMPLE).unwrap();
    let checker = checker();
    for (id, printed) in [
        ("p085", "BETA GLUCAN"),
        ("p100", "L-PROLINE"),
        ("p137", "YELLOW 5"),
        ("p137", "BLUE 1"),
    ] {
        let product = products
            .iter()
            .find(|p| p.id == id)
            .unwrap_or_else(|| panic!("{id} in the sample"));
        let check = checker
            .check(
                &product.ingredients,
                &Product::default(),
                &CheckTime::hours(Hours(200)),
            )
            .unwrap();
        let found = check
            .ingredients
            .iter()
            .find(|i| i.part().text.contains(printed))
            .unwrap_or_else(|| panic!("{id}: {printed} printed"));
        assert_ne!(found.ruling.status, Status::Unknown, "{id}: {printed}");
    }
}
