//! The safety properties of triage (issue #4), checked on generated check-ins with the default
//! rules: adding a symptom never lowers the level; a red flag at any time gives at least its
//! tier; 38.0 °C or more is at least urgent; an emergency sign is always an emergency. Also:
//! the result is consistent, and no input makes the JSON reader panic.

use proptest::prelude::*;

use super::*;
use crate::triage::parse_check_in;

/// Hours worth probing: anywhere in the first three weeks, with the rule boundaries (and a
/// minute either side) drawn often.
fn hours() -> impl Strategy<Value = f64> {
    let boundaries: [f64; 4] = [0.0, 48.0, 72.0, 168.0];
    prop_oneof![
        0.0..500.0f64,
        prop::sample::select(boundaries.to_vec()),
        prop::sample::select(boundaries.to_vec()).prop_map(|h| (h - 1.0 / 60.0).max(0.0)),
        prop::sample::select(boundaries.to_vec()).prop_map(|h| h + 1.0 / 60.0),
    ]
}

fn symptom() -> impl Strategy<Value = Symptom> {
    prop::sample::select(Symptom::ALL.to_vec())
}

fn ratings() -> impl Strategy<Value = Vec<(Symptom, u8)>> {
    prop::collection::vec((symptom(), 0..=10u8), 0..4)
}

/// Any check-in: symptoms, ratings, maybe a temperature and a discharge, earlier check-ins.
fn check_in() -> impl Strategy<Value = At> {
    (
        hours(),
        prop::collection::vec(symptom(), 0..6),
        ratings(),
        prop::option::of(35.0..41.0f64),
        prop::sample::select(Discharge::ALL.to_vec()),
        prop::collection::vec((0.0..1.0f64, ratings()), 0..3),
    )
        .prop_map(
            |(hours, symptoms, ratings, temperature_c, discharge, history)| At {
                hours,
                symptoms,
                ratings,
                temperature_c,
                discharge,
                // Earlier check-ins fall between the treatment and this check-in.
                history: history
                    .into_iter()
                    .map(|(fraction, r)| (hours * fraction, r))
                    .collect(),
            },
        )
}

/// The red flags of CONTRACT §5 that are one symptom, with their tier.
const RED_FLAGS: &[(Symptom, Level)] = &[
    (Symptom::ThroatSwelling, Level::Emergency),
    (Symptom::TongueSwelling, Level::Emergency),
    (Symptom::DifficultyBreathing, Level::Emergency),
    (Symptom::Wheezing, Level::Emergency),
    (Symptom::Faintness, Level::Emergency),
    (Symptom::Fever, Level::Urgent),
    (Symptom::SpreadingRedness, Level::Urgent),
    (Symptom::EyeSwelling, Level::Urgent),
    (Symptom::Blisters, Level::Urgent),
    (Symptom::Hives, Level::Urgent),
    (Symptom::Rash, Level::ContactPractitioner),
    (Symptom::Bumps, Level::ContactPractitioner),
    (Symptom::Pustules, Level::ContactPractitioner),
    (Symptom::DarkPatches, Level::ContactPractitioner),
    (Symptom::LinearMarks, Level::ContactPractitioner),
    (Symptom::SwollenLymphNodes, Level::ContactPractitioner),
    (Symptom::Tingling, Level::ContactPractitioner),
    (Symptom::Chills, Level::ContactPractitioner),
];

const EMERGENCY_SIGNS: &[Symptom] = &[
    Symptom::ThroatSwelling,
    Symptom::TongueSwelling,
    Symptom::DifficultyBreathing,
    Symptom::Wheezing,
    Symptom::Faintness,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_symptom_never_lowers_the_level(check_in in check_in(), added in symptom()) {
        let before = check_in.level();
        let after = check_in.clone().with(&[added]).level();
        prop_assert!(after >= before, "adding {added} lowered {before} to {after}");
    }

    #[test]
    fn a_higher_rating_or_temperature_never_lowers_the_level(
        check_in in check_in(),
        rated in symptom(),
        rating in 0..=10u8,
        raise in 0.0..5.0f64,
    ) {
        let before = check_in.level();
        let mut higher = check_in.clone();
        let current = higher.ratings.iter().filter(|(s, _)| *s == rated).map(|(_, r)| *r).max();
        higher.ratings.retain(|(s, _)| *s != rated);
        higher.ratings.push((rated, current.map_or(rating, |c| c.max(rating))));
        prop_assert!(higher.level() >= before, "rating {rated} {rating} lowered the level");
        let mut warmer = check_in.clone();
        warmer.temperature_c = Some((check_in.temperature_c.unwrap_or(36.5) + raise).min(45.0));
        prop_assert!(warmer.level() >= before, "a higher temperature lowered the level");
    }

    #[test]
    fn a_red_flag_at_any_time_gives_at_least_its_tier(
        check_in in check_in(),
        flag in prop::sample::select(RED_FLAGS.to_vec()),
    ) {
        let (symptom, tier) = flag;
        let level = check_in.clone().with(&[symptom]).level();
        prop_assert!(level >= tier, "{symptom} at {} h gave {level}", check_in.hours);
    }

    #[test]
    fn a_temperature_of_38_or_more_is_at_least_urgent(check_in in check_in(), celsius in 38.0..=45.0f64) {
        let level = check_in.clone().temperature(celsius).level();
        prop_assert!(level >= Level::Urgent, "{celsius} °C at {} h gave {level}", check_in.hours);
    }

    #[test]
    fn an_emergency_sign_is_always_an_emergency(
        check_in in check_in(),
        sign in prop::sample::select(EMERGENCY_SIGNS.to_vec()),
    ) {
        prop_assert_eq!(check_in.with(&[sign]).level(), Level::Emergency);
    }

    #[test]
    fn spreading_redness_with_a_systemic_sign_is_an_emergency(
        check_in in check_in(),
        sign in prop::sample::select(vec![Symptom::Fever, Symptom::Vomiting, Symptom::Confusion, Symptom::RapidHeartbeat]),
    ) {
        prop_assert_eq!(check_in.with(&[Symptom::SpreadingRedness, sign]).level(), Level::Emergency);
    }

    #[test]
    fn the_result_is_consistent(check_in in check_in()) {
        let result = check_in.triage();
        let highest = result.reasons.iter().map(|r| r.level).max().unwrap_or(Level::Expected);
        prop_assert_eq!(result.level, highest);
        prop_assert!(result.reasons.windows(2).all(|w| w[0].level >= w[1].level), "reasons not highest first");
        let codes: std::collections::BTreeSet<&str> = result.reasons.iter().map(|r| r.code.as_str()).collect();
        prop_assert_eq!(codes.len(), result.reasons.len(), "a rule is listed twice");
        prop_assert_eq!(&result.advice[0], &rules().guidance(result.level).action);
        let advice: std::collections::BTreeSet<&String> = result.advice.iter().collect();
        prop_assert_eq!(advice.len(), result.advice.len(), "advice repeats");
        if result.level >= Level::Urgent {
            // Only what to do at that level: no lower tier's "be seen today" next to "call the
            // emergency number now" (review finding).
            for line in &result.advice[1..] {
                prop_assert!(
                    rules().rules().iter().any(|rule| rule.level == result.level
                        && &rule.advice == line
                        && result.reasons.iter().any(|r| r.code == rule.code)),
                    "advice '{}' is not of the {} tier", line, result.level.id()
                );
            }
        }
        prop_assert!(result.reasons.iter().all(|r| !r.message.contains('{')), "a placeholder was left");
        // A reported finding is never silently dropped: something is said about it.
        let present = check_in.check_in().report().present(rules().fever_from_c());
        for symptom in present {
            prop_assert!(
                result.reasons.iter().any(|r| r.symptoms.contains(&symptom))
                    || rules().rules().iter().any(|rule| result.reasons.iter().any(|r| r.code == rule.code)
                        && rule.level > Level::Expected
                        && (rule.all_of.contains(&symptom) || rule.also_covers.contains(&symptom))),
                "nothing is said about {}", symptom
            );
        }
    }

    #[test]
    fn no_input_makes_the_json_reader_panic(text in ".{0,200}") {
        let _ = parse_check_in(&text);
    }

    #[test]
    fn numbers_anywhere_are_checked_not_trusted(
        rating in -1e6..1e6f64,
        temperature in -1e6..1e6f64,
    ) {
        let json = format!(
            r#"{{"treated_at": "2026-11-20T15:00:00Z", "at": "2026-11-22T15:00:00Z",
                "ratings": {{"redness": {rating}}}, "temperature_c": {temperature}}}"#
        );
        match parse_check_in(&json) {
            Ok(check_in) => {
                prop_assert!((0.0..=10.0).contains(&rating) && rating.fract() == 0.0);
                prop_assert!((30.0..=45.0).contains(&temperature));
                prop_assert_eq!(check_in.hours_since_treatment(), 48.0);
            }
            Err(error) => prop_assert!(error.field().is_some(), "{error}"),
        }
    }
}
