//! Unit and property tests of the shelf: validation, the schedule's rules, the routine and the
//! catalog, on the default protocol and the real ingredient checker.

use jiff::ZonedDateTime;
use proptest::prelude::*;

use super::*;
use crate::{
    Hours,
    category::{Category, CategoryGroup},
    inci::{Checker, kb::KnowledgeBase},
    instant::{parse_instant, parse_time_zone},
    profile::{Profile, SkinType},
    protocol::{StepKind, default_protocol},
    triage::{Level, Symptom},
};

fn treated_at() -> ZonedDateTime {
    let tz = parse_time_zone("Europe/Berlin").unwrap();
    parse_instant("2026-11-26 15:00", Some(&tz)).unwrap()
}

fn checked(json: &str, profile: &Profile) -> Vec<CheckedProduct> {
    let shelf = parse_shelf_json(json).unwrap();
    let checker = Checker::new(KnowledgeBase::embedded(), default_protocol(), profile);
    check_shelf(&shelf, &checker).unwrap()
}

fn sample_shelf() -> &'static str {
    r#"{"products": [
      {"name": "Gentle Wash", "type": "cleanser", "ingredients": "Aqua, Glycerin, Coco-Glucoside"},
      {"name": "HA Serum", "type": "serum", "ingredients": "Aqua, Sodium Hyaluronate, Glycerin"},
      {"name": "Night Retinol", "type": "serum", "ingredients": "Aqua, Retinol, Glycerin"},
      {"name": "Glow Toner", "type": "toner", "ingredients": "Aqua, Glycolic Acid, Glycerin"},
      {"name": "Vitamin C", "type": "serum", "ingredients": "Aqua, Ascorbic Acid, Glycerin"},
      {"name": "Rich Cream", "type": "moisturiser", "ingredients": "Aqua, Glycerin, Squalane, Parfum"},
      {"name": "Face Oil", "type": "oil", "ingredients": "Squalane"},
      {"name": "Mystery Balm", "type": "balm"},
      {"name": "Clinic Mist", "type": "mist", "aftercare": true}
    ]}"#
}

fn facts(categories: &[Category], usable_from: u32, known: bool) -> ProductFacts {
    ProductFacts {
        categories: categories.to_vec(),
        usable_from: Hours(usable_from),
        better_from: None,
        ingredients: if known {
            IngredientStatus::Checked {
                count: 3,
                unknown: Vec::new(),
            }
        } else {
            IngredientStatus::NotProvided
        },
        skin_caution: None,
    }
}

fn product(index: usize, product_type: ShelfProductType, facts: ProductFacts) -> CheckedProduct {
    CheckedProduct {
        product: ShelfProduct {
            id: format!("p{index}"),
            name: format!("Product {index}"),
            brand: None,
            product_type,
            ingredients: None,
            aftercare: false,
        },
        facts,
    }
}

fn entry<'s>(schedule: &'s Schedule, name: &str) -> &'s ScheduleEntry {
    schedule.schedule.iter().find(|e| e.name == name).unwrap()
}

#[test]
fn invalid_shelves_name_the_product_and_the_field() {
    let err = parse_shelf_json(
        r#"{"products": [{"name": "A", "type": "serum"}, {"name": "B", "type": "serum"},
            {"name": "Night Cream", "type": "creme"}]}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("products[2].type ('Night Cream'): unknown product type 'creme'"),
        "{err}"
    );
    let err = parse_shelf_json(r#"{"products": [{"name": "A", "type": "serum", "colour": 1}]}"#)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("products[0].colour: unknown field `colour`"),
        "{err}"
    );
    for (json, expected) in [
        (
            "[]",
            ".: expected a shelf (a JSON object with \"products\"), found a list",
        ),
        (
            r#"{"products": [3]}"#,
            "products[0]: invalid type: integer `3`, expected a product (a JSON object)",
        ),
    ] {
        let err = parse_shelf_json(json).unwrap_err().to_string();
        assert!(err.starts_with(expected), "{err}");
    }
    let err = parse_shelf_json(r#"{"products": [{"name": "A"}]}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `type`"), "{err}");
    let err = parse_shelf_json(r#"{"products": [{"name": " ", "type": "serum"}]}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "products[0].name (unnamed): must not be empty"
    );
    let err = parse_shelf_json(
        r#"{"products": [{"id": "x", "name": "A", "type": "serum"}, {"id": "x", "name": "B", "type": "oil"}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("products[1].id ('B')"), "{err}");
    let shelf =
        parse_shelf_json(r#"{"products": [{"name": "A", "type": "Moisturizer"}]}"#).unwrap();
    assert_eq!(
        shelf.products[0].product_type,
        ShelfProductType::Moisturiser
    );
    assert_eq!(shelf.products[0].id, "p1");
}

#[test]
fn a_list_that_is_not_an_ingredient_list_is_an_error_on_save() {
    let shelf = parse_shelf_json(
        r#"{"products": [{"name": "Bad", "type": "serum", "ingredients": "\u0001\u0002"}]}"#,
    )
    .unwrap();
    let checker = Checker::new(
        KnowledgeBase::embedded(),
        default_protocol(),
        &Profile::default(),
    );
    let err = check_shelf(&shelf, &checker).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("products[0].ingredients ('Bad')"),
        "{err}"
    );
}

#[test]
fn the_sample_shelf_follows_the_guide() {
    let profile = Profile::default();
    let products = checked(sample_shelf(), &profile);
    let schedule = schedule_products(default_protocol(), &profile, &products, &[], &treated_at());
    let at = |name: &str| entry(&schedule, name).from_hours.0;
    // Aftercare-safe: the HA serum now, the gentle cleanser once water-only cleansing ends.
    assert_eq!(at("HA Serum"), 0);
    assert_eq!(entry(&schedule, "HA Serum").lane, Lane::Aftercare);
    assert_eq!(at("Gentle Wash"), 48);
    assert_eq!(at("Clinic Mist"), 0);
    assert!(!entry(&schedule, "Clinic Mist").checked);
    // Regular products from day 5, the plain oil before the perfumed cream (which waits a week).
    assert_eq!(at("Face Oil"), 96);
    assert!(at("Rich Cream") >= 168);
    // Actives from day 8, one at a time, the strongest (the retinoid) last; then the unknown.
    assert!(at("Vitamin C") >= 168);
    assert!(at("Vitamin C") < at("Glow Toner"));
    assert!(at("Glow Toner") < at("Night Retinol"));
    assert!(at("Night Retinol") < at("Mystery Balm"));
    assert_eq!(entry(&schedule, "Mystery Balm").lane, Lane::Unchecked);
    assert!(
        entry(&schedule, "Mystery Balm")
            .reason
            .contains("Ingredient list not provided")
    );
    assert_eq!(
        crate::instant::format_rfc3339(&entry(&schedule, "Face Oil").from),
        "2026-11-30T15:00:00+01:00"
    );
}

#[test]
fn a_flagged_check_in_pauses_and_says_why() {
    let profile = Profile::default();
    let products = checked(sample_shelf(), &profile);
    let before = schedule_products(default_protocol(), &profile, &products, &[], &treated_at());
    let check_in = CheckInRecord {
        at: Hours(100),
        level: Level::Expected,
        symptoms: Some(vec![Symptom::SignificantIrritation]),
    };
    let after = schedule_products(
        default_protocol(),
        &profile,
        &products,
        &[check_in],
        &treated_at(),
    );
    assert_eq!(after.pauses.len(), 1);
    assert!(after.pauses[0].reason.contains("significant irritation"));
    assert_eq!(after.pauses[0].until_hours, Hours(148));
    // The oil was back at 96, before the check-in: it stays. The next one waits for the pause.
    assert_eq!(entry(&after, "Face Oil").from_hours, Hours(96));
    for e in &after.schedule {
        let old = entry(&before, &e.name);
        assert!(e.from_hours >= old.from_hours, "{} moved earlier", e.name);
        if old.from_hours >= Hours(100) {
            assert!(e.from_hours >= Hours(148));
            assert_eq!(e.paused_by, Some(0));
        }
    }
    let expected = CheckInRecord {
        at: Hours(100),
        level: Level::Expected,
        symptoms: Some(vec![Symptom::Flaking]),
    };
    assert!(!expected.pauses());
    let unreadable = CheckInRecord {
        symptoms: None,
        ..expected
    };
    assert!(unreadable.pauses(), "answers that cannot be read pause");
    let after = schedule_products(
        default_protocol(),
        &profile,
        &products,
        &[unreadable],
        &treated_at(),
    );
    assert_eq!(after.pauses.len(), 1);
    assert!(after.pauses[0].reason.contains("could not be read back"));
}

#[test]
fn routines_are_in_order_with_sunscreen_every_morning_and_actives_apart() {
    let profile = Profile::default();
    let products = checked(sample_shelf(), &profile);
    let schedule = schedule_products(default_protocol(), &profile, &products, &[], &treated_at());
    let day1 = build_routine(
        default_protocol(),
        &profile,
        &products,
        &schedule,
        &treated_at(),
        1,
    );
    assert_eq!(day1.date, "2026-11-26");
    assert_eq!(day1.am.last().unwrap().step, StepKind::Sunscreen);
    assert!(
        day1.am
            .iter()
            .any(|i| i.product.as_deref() == Some("HA Serum"))
    );
    assert!(
        day1.am[0].text.contains("lukewarm water"),
        "{:?}",
        day1.am[0]
    );
    assert!(day1.pm.iter().all(|i| i.step != StepKind::Sunscreen));
    let day3 = build_routine(
        default_protocol(),
        &profile,
        &products,
        &schedule,
        &treated_at(),
        3,
    );
    assert_eq!(day3.am[0].product.as_deref(), Some("Gentle Wash"));
    let retinol_day = entry(&schedule, "Night Retinol").from_hours.day();
    let apart_until = default_protocol()
        .reintroduction
        .retinoid_and_acid_apart_until;
    let days: Vec<u32> = (retinol_day..retinol_day + 4)
        .filter(|d| Hours::start_of_day(*d) < apart_until)
        .collect();
    assert!(!days.is_empty());
    for day in days {
        let r = build_routine(
            default_protocol(),
            &profile,
            &products,
            &schedule,
            &treated_at(),
            day,
        );
        let names: Vec<&str> = r.pm.iter().filter_map(|i| i.product.as_deref()).collect();
        assert!(
            !(names.contains(&"Night Retinol") && names.contains(&"Glow Toner")),
            "day {day}: {names:?}"
        );
        assert!(!r.notes.is_empty());
    }
}

#[test]
fn the_default_catalog_is_valid_and_never_claims_an_unchecked_product_safe() {
    let catalog = default_catalog();
    assert!(
        catalog
            .products
            .iter()
            .any(|p| p.name == "Copper + HA Mist")
    );
    let profile = Profile::default();
    let checker = Checker::new(KnowledgeBase::embedded(), default_protocol(), &profile);
    let picks = recommend_products(catalog, &checker, default_protocol(), &profile, Hours(0));
    assert!(picks.iter().all(|p| p.status != PickStatus::Recommended));
    let gel = picks
        .iter()
        .find(|p| p.entry.id == "mdpen-growth-factor-gel")
        .unwrap();
    assert!(
        matches!(gel.status, PickStatus::HeldBack { .. }),
        "{:?}",
        gel.status
    );
    let serum = picks
        .iter()
        .find(|p| p.entry.id == "mdpen-pure-ha-serum")
        .unwrap();
    assert_eq!(serum.status, PickStatus::IngredientListNotProvided);
}

#[test]
fn a_catalog_product_is_recommended_only_when_the_checker_clears_it() {
    let text = r#"
[[products]]
id = "ha"
name = "HA Serum"
type = "serum"
ingredients = "Aqua, Sodium Hyaluronate, Glycerin"
why = "Hydration."
source = "guide.other_options"

[[products]]
id = "rich"
name = "Rich Cream"
type = "moisturiser"
ingredients = "Aqua, Isopropyl Myristate, Glycerin"
why = "Moisture."
source = "guide.moisturizer"
"#;
    let catalog = load_catalog(text, default_protocol()).unwrap();
    let profile = Profile {
        skin: vec![SkinType::AcneProne],
        ..Profile::default()
    };
    let checker = Checker::new(KnowledgeBase::embedded(), default_protocol(), &profile);
    let picks = recommend_products(&catalog, &checker, default_protocol(), &profile, Hours(0));
    let ha = picks.iter().find(|p| p.entry.id == "ha").unwrap();
    assert_eq!(ha.status, PickStatus::Recommended);
    assert!(
        ha.why[0].starts_with("Brings hyaluronic_acid"),
        "{:?}",
        ha.why
    );
    let rich = picks.iter().find(|p| p.entry.id == "rich").unwrap();
    assert!(
        matches!(rich.status, PickStatus::HeldBack { .. }),
        "{:?}",
        rich.status
    );
    assert!(load_catalog("[[products]]\nid = \"x\"\nname = \"X\"\ntype = \"serum\"\nwhy = \"-\"\nsource = \"nowhere\"\n", default_protocol()).is_err());
}

#[test]
fn schedule_entries_become_calendar_events() {
    let profile = Profile::default();
    let products = checked(sample_shelf(), &profile);
    let schedule = schedule_products(default_protocol(), &profile, &products, &[], &treated_at());
    let events = schedule.calendar_events();
    assert!(events.iter().any(|e| e.id == "product-p7"));
    assert!(
        events.iter().all(|e| e.id != "product-p2"),
        "usable from the start: no event"
    );
}

fn arb_product() -> impl Strategy<Value = (ShelfProductType, Vec<Category>, u32, bool)> {
    (
        proptest::sample::select(ShelfProductType::ALL.to_vec()),
        proptest::collection::vec(proptest::sample::select(Category::ALL.to_vec()), 0..4),
        prop_oneof![Just(0u32), Just(24), Just(48), Just(168), 0u32..400],
        proptest::bool::weighted(0.85),
    )
}

fn arb_check_in() -> impl Strategy<Value = CheckInRecord> {
    (
        0u32..500,
        proptest::sample::select(vec![
            Level::Expected,
            Level::ContactPractitioner,
            Level::Urgent,
            Level::Emergency,
        ]),
        proptest::bool::ANY,
    )
        .prop_map(|(at, level, irritation)| CheckInRecord {
            at: Hours(at),
            level,
            symptoms: Some(if irritation {
                vec![Symptom::SignificantIrritation]
            } else {
                vec![]
            }),
        })
}

proptest! {
    #[test]
    fn schedule_properties(
        shelf in proptest::collection::vec(arb_product(), 0..12),
        check_ins in proptest::collection::vec(arb_check_in(), 0..3),
    ) {
        let protocol = default_protocol();
        let profile = Profile::default();
        let products: Vec<CheckedProduct> = shelf
            .iter()
            .enumerate()
            .map(|(i, (t, cats, from, known))| product(i, *t, facts(cats, *from, *known)))
            .collect();
        let plain = schedule_products(protocol, &profile, &products, &[], &treated_at());
        let paused = schedule_products(protocol, &profile, &products, &check_ins, &treated_at());
        let every = protocol.reintroduction.new_product_every;
        for schedule in [&plain, &paused] {
            prop_assert_eq!(schedule.schedule.len(), products.len());
            let mut stream: Vec<&ScheduleEntry> = Vec::new();
            for e in &schedule.schedule {
                // Never before the product's own usable_from.
                prop_assert!(e.from_hours >= products[e.index].facts.usable_from);
                if e.lane != Lane::Aftercare {
                    stream.push(e);
                    // Makeup follows its own rule (its checked usable and better times).
                    if products[e.index].product.product_type != ShelfProductType::Makeup {
                        prop_assert!(e.from_hours >= Hours(96));
                    }
                }
                if products[e.index].facts.has_paused_active() || e.lane == Lane::Unchecked {
                    // Actives (and what might hold one) not before day 8.
                    prop_assert!(e.from_hours >= Hours(168), "{:?}", e);
                }
                if !products[e.index].facts.fully_known() {
                    prop_assert!(!e.checked);
                }
            }
            // One new product per interval.
            for pair in stream.windows(2) {
                prop_assert!(pair[1].from_hours.0 >= pair[0].from_hours.0 + every.0);
            }
            // One active at a time, the strongest last.
            let strength = |e: &ScheduleEntry| {
                products[e.index]
                    .facts
                    .in_group(CategoryGroup::Paused)
                    .map(|c| protocol.reintroduction.active_strength.iter().position(|s| *s == c).map_or(0, |p| p + 1))
                    .max()
                    .unwrap_or(0)
            };
            let actives: Vec<&&ScheduleEntry> = stream.iter().filter(|e| e.lane == Lane::Active).collect();
            for pair in actives.windows(2) {
                prop_assert!(strength(pair[0]) <= strength(pair[1]));
            }
        }
        // A pause moves what is not yet reintroduced later, never earlier.
        for e in &paused.schedule {
            let old = plain.schedule.iter().find(|o| o.index == e.index).unwrap();
            prop_assert!(e.from_hours >= old.from_hours);
            for pause in &paused.pauses {
                if old.from_hours >= pause.at_hours && e.from_hours >= pause.at_hours {
                    prop_assert!(e.from_hours >= pause.until_hours);
                }
            }
        }
        // Routines: in order, sunscreen every morning and never in the evening, and no
        // retinoid with a different exfoliating-acid product in the first weeks back.
        for day in [1u32, 3, 5, 8, 9, 10, 12, 15, 20] {
            let r = build_routine(protocol, &profile, &products, &paused, &treated_at(), day);
            prop_assert_eq!(r.am.last().map(|i| i.step), Some(StepKind::Sunscreen));
            prop_assert!(r.pm.iter().all(|i| i.step != StepKind::Sunscreen));
            for list in [&r.am, &r.pm] {
                for pair in list.windows(2) {
                    prop_assert!(pair[0].step <= pair[1].step);
                }
            }
            if Hours::start_of_day(day) < protocol.reintroduction.retinoid_and_acid_apart_until {
                let in_pm: Vec<&CheckedProduct> = r
                    .pm
                    .iter()
                    .filter_map(|i| i.product_id.as_ref())
                    .filter_map(|id| products.iter().find(|p| &p.product.id == id))
                    .collect();
                let retinoids: Vec<&str> = in_pm.iter().filter(|p| p.facts.categories.contains(&Category::Retinoid)).map(|p| p.product.id.as_str()).collect();
                let acids: Vec<&str> = in_pm.iter().filter(|p| [Category::Aha, Category::Bha, Category::Pha].iter().any(|c| p.facts.categories.contains(c))).map(|p| p.product.id.as_str()).collect();
                for r_id in &retinoids {
                    prop_assert!(acids.iter().all(|a| a == r_id), "retinoid {} with acids {:?}", r_id, acids);
                }
            }
        }
    }
}

#[test]
fn both_type_vocabularies_take_both_spellings_and_scrub() {
    use crate::inci::ProductType;
    for text in ["moisturiser", "Moisturizer", " moisturizer "] {
        assert_eq!(
            ShelfProductType::parse_id(text),
            Ok(ShelfProductType::Moisturiser)
        );
        assert_eq!(ProductType::parse_id(text), Ok(ProductType::Moisturizer));
    }
    assert_eq!(
        ShelfProductType::parse_id("scrub"),
        Ok(ShelfProductType::Exfoliant)
    );
    assert_eq!(ProductType::parse_id("scrub"), Ok(ProductType::Scrub));
    let unknown = ProductType::parse_id("lotion ").unwrap_err();
    assert_eq!(unknown.given, "lotion ");
    assert!(unknown.to_string().contains("moisturizer"));
}

/// Review finding: `schedule` put a foundation at day 5 while the plan and the checker said
/// makeup is fine from 48 h, and its explanations named times ("about a week", "from 96 h")
/// that were not the date shown.
#[test]
fn makeup_follows_its_rule_and_every_explanation_states_the_time_shown() {
    let json = r#"{"products": [
      {"name": "Foundation", "type": "makeup", "ingredients": "Water, Cyclopentasiloxane, Titanium Dioxide, Dimethicone"},
      {"name": "Peptide Serum", "type": "serum", "ingredients": "Water, Glycerin, Palmitoyl Tripeptide-1"},
      {"name": "Scented Cream", "type": "moisturiser", "ingredients": "Water, Glycerin, Parfum"},
      {"name": "Night Retinol", "type": "serum", "ingredients": "Water, Retinol"},
      {"name": "Enzyme Scrub", "type": "scrub", "ingredients": "Water, Glycerin, Papain"}
    ]}"#;
    let profile = Profile::default();
    let schedule = schedule_products(
        default_protocol(),
        &profile,
        &checked(json, &profile),
        &[],
        &treated_at(),
    );
    let says = |e: &ScheduleEntry, text: &str| assert!(e.reason.contains(text), "{}", e.reason);
    let foundation = entry(&schedule, "Foundation");
    assert_eq!(foundation.from_hours, Hours(48));
    assert!(
        foundation
            .reason
            .starts_with("Makeup: from 48 h after treatment (day 3)"),
        "{}",
        foundation.reason
    );
    assert!(
        foundation.source.contains("Makeup"),
        "{}",
        foundation.source
    );
    let peptide = entry(&schedule, "Peptide Serum");
    assert!(peptide.from_hours >= Hours(168));
    says(peptide, "prefers it from 168 h after treatment (day 8)");
    // Re-check finding: the scrub's date was right (168 h) but its reason said "from 96 h".
    let scrub = entry(&schedule, "Enzyme Scrub");
    assert!(scrub.from_hours >= Hours(168));
    says(
        scrub,
        "cannot be used before 168 h after treatment (day 8) (Physical exfoliants and scrubs)",
    );
    let cream = entry(&schedule, "Scented Cream");
    says(cream, "which wait until 168 h after treatment (day 8)");

    // A protocol with no rule for the makeup type (here its "makeup" restriction is made to
    // cover sunscreens instead): makeup comes back with the regular products, and its
    // explanation says so (review finding: it was placed at 0 h, explained as 96 h).
    let no_makeup_rule = crate::protocol::load_default_edited("protocol.toml", |t| {
        t.replacen(
            "product_types = [\"makeup\"]",
            "product_types = [\"sunscreen\"]",
            1,
        )
    })
    .expect("an edited protocol");
    let checker = Checker::new(KnowledgeBase::embedded(), &no_makeup_rule, &profile);
    let products = check_shelf(&parse_shelf_json(json).unwrap(), &checker).unwrap();
    let schedule = schedule_products(&no_makeup_rule, &profile, &products, &[], &treated_at());
    let foundation = entry(&schedule, "Foundation");
    assert_eq!(foundation.from_hours, Hours(96), "{}", foundation.reason);
    says(
        foundation,
        "From your regular routine: from 96 h after treatment (day 5)",
    );

    // A clinic that pauses retinoids for two weeks: the explanation follows the protocol.
    let longer = crate::protocol::load_default_edited("protocol.toml", |t| {
        let at = t
            .find("id = \"retinoid\"")
            .expect("the retinoid restriction");
        let until = at + t[at..].find("until_hours = 168").expect("its end");
        format!(
            "{}until_hours = 336{}",
            &t[..until],
            &t[until + "until_hours = 168".len()..]
        )
    })
    .expect("an edited protocol");
    let checker = Checker::new(KnowledgeBase::embedded(), &longer, &profile);
    let shelf = parse_shelf_json(json).unwrap();
    let products = check_shelf(&shelf, &checker).unwrap();
    let schedule = schedule_products(&longer, &profile, &products, &[], &treated_at());
    let retinol = entry(&schedule, "Night Retinol");
    assert!(retinol.from_hours >= Hours(336));
    says(
        retinol,
        "once their pause ends, 336 h after treatment (day 15)",
    );
}
