//! Every default rule, at both sides of each of its time boundaries, and the levels of typical
//! check-ins. A completeness test makes sure a new rule or a moved boundary gets its rows.

use super::*;
use Symptom as S;

/// One minute before an hour boundary.
const JUST_BEFORE: f64 = 1.0 / 60.0;

/// (rule code, check-in, whether the rule fires)
fn table() -> Vec<(&'static str, At, bool)> {
    let before = |h: f64| h - JUST_BEFORE;
    vec![
        // emergency: at any time
        ("airway_swelling", at(0.0).with(&[S::ThroatSwelling]), true),
        (
            "airway_swelling",
            at(2000.0).with(&[S::TongueSwelling]),
            true,
        ),
        (
            "breathing_difficulty",
            at(0.0).with(&[S::DifficultyBreathing]),
            true,
        ),
        (
            "breathing_difficulty",
            at(2000.0).with(&[S::Wheezing]),
            true,
        ),
        ("faintness", at(0.0).with(&[S::Faintness]), true),
        ("faintness", at(2000.0).with(&[S::Faintness]), true),
        (
            "infection_spreading",
            at(0.0).with(&[S::SpreadingRedness, S::Vomiting]),
            true,
        ),
        (
            "infection_spreading",
            at(2000.0).with(&[S::SpreadingRedness, S::Confusion]),
            true,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::SpreadingRedness, S::RapidHeartbeat]),
            true,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::SpreadingRedness, S::Fever]),
            true,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::SpreadingRedness]).temperature(38.0),
            true,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::SpreadingRedness]).temperature(37.9),
            false,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::SpreadingRedness]),
            false,
        ),
        (
            "infection_spreading",
            at(30.0).with(&[S::Vomiting, S::Fever]),
            false,
        ),
        // urgent: at any time
        ("fever", at(0.0).with(&[S::Fever]), true),
        ("fever", at(2000.0).temperature(38.0), true),
        ("fever", at(10.0).temperature(37.9), false),
        ("pus_discharge", at(0.0).discharge(Discharge::Yellow), true),
        (
            "pus_discharge",
            at(2000.0).discharge(Discharge::Green),
            true,
        ),
        (
            "pus_discharge",
            at(100.0).discharge(Discharge::Clear),
            false,
        ),
        (
            "spreading_redness",
            at(0.0).with(&[S::SpreadingRedness]),
            true,
        ),
        (
            "spreading_redness",
            at(2000.0).with(&[S::SpreadingRedness]),
            true,
        ),
        ("eye_swelling", at(0.0).with(&[S::EyeSwelling]), true),
        ("eye_swelling", at(2000.0).with(&[S::EyeSwelling]), true),
        ("blisters", at(0.0).with(&[S::Blisters]), true),
        ("blisters", at(2000.0).with(&[S::Blisters]), true),
        ("hives", at(0.0).with(&[S::Hives]), true),
        ("hives", at(2000.0).with(&[S::Hives]), true),
        ("systemic_signs", at(0.0).with(&[S::Vomiting]), true),
        (
            "systemic_signs",
            at(2000.0).with(&[S::RapidHeartbeat]),
            true,
        ),
        ("systemic_signs", at(20.0).with(&[S::Chills]), false),
        // contact the practitioner
        (
            "redness_worsening",
            at(before(48.0)).with(&[S::RednessWorsening]),
            false,
        ),
        (
            "redness_worsening",
            at(48.0).with(&[S::RednessWorsening]),
            true,
        ),
        (
            "swelling_worsening",
            at(before(48.0)).with(&[S::SwellingWorsening]),
            false,
        ),
        (
            "swelling_worsening",
            at(48.0).with(&[S::SwellingWorsening]),
            true,
        ),
        (
            "redness_rating_rising",
            at(60.0)
                .rated(S::Redness, 5)
                .earlier(48.0, &[(S::Redness, 3)]),
            true,
        ),
        (
            "redness_rating_rising",
            at(60.0)
                .rated(S::Redness, 5)
                .earlier(before(48.0), &[(S::Redness, 3)]),
            false,
        ),
        (
            "redness_rating_rising",
            at(before(48.0))
                .rated(S::Redness, 5)
                .earlier(30.0, &[(S::Redness, 3)]),
            false,
        ),
        (
            "redness_rating_rising",
            at(60.0)
                .rated(S::Redness, 3)
                .earlier(48.0, &[(S::Redness, 3)]),
            false,
        ),
        (
            "redness_rating_rising",
            at(60.0)
                .rated(S::Redness, 2)
                .earlier(48.0, &[(S::Redness, 3)]),
            false,
        ),
        // The previous check-in that rated redness counts, not an older one.
        (
            "redness_rating_rising",
            at(90.0)
                .rated(S::Redness, 4)
                .earlier(50.0, &[(S::Redness, 2)])
                .earlier(70.0, &[(S::Redness, 5)]),
            false,
        ),
        (
            "redness_rating_rising",
            at(90.0)
                .rated(S::Redness, 4)
                .earlier(50.0, &[(S::Redness, 5)])
                .earlier(70.0, &[(S::Pain, 1)])
                .earlier(80.0, &[(S::Redness, 3)]),
            true,
        ),
        (
            "redness_rating_rising",
            at(500.0)
                .rated(S::Redness, 2)
                .earlier(400.0, &[(S::Redness, 1)]),
            true,
        ),
        (
            "swelling_rating_rising",
            at(49.0)
                .rated(S::Swelling, 2)
                .earlier(48.0, &[(S::Swelling, 1)]),
            true,
        ),
        (
            "swelling_rating_rising",
            at(49.0)
                .rated(S::Swelling, 2)
                .earlier(before(48.0), &[(S::Swelling, 1)]),
            false,
        ),
        (
            "discomfort_rating_rising",
            at(49.0).rated(S::Pain, 3).earlier(48.0, &[(S::Pain, 2)]),
            true,
        ),
        (
            "discomfort_rating_rising",
            at(49.0)
                .rated(S::Warmth, 3)
                .earlier(before(48.0), &[(S::Warmth, 2)]),
            false,
        ),
        (
            "discomfort_rating_rising",
            at(100.0)
                .rated(S::Itching, 2)
                .earlier(80.0, &[(S::Itching, 1)]),
            true,
        ),
        (
            "redness_persisting",
            at(before(168.0)).with(&[S::Redness]),
            false,
        ),
        ("redness_persisting", at(168.0).with(&[S::Redness]), true),
        (
            "swelling_persisting",
            at(before(168.0)).with(&[S::Swelling]),
            false,
        ),
        ("swelling_persisting", at(168.0).with(&[S::Swelling]), true),
        ("rash", at(0.0).with(&[S::Rash]), true),
        ("rash", at(2000.0).with(&[S::Rash]), true),
        ("bumps", at(0.0).with(&[S::Bumps]), true),
        ("bumps", at(2000.0).with(&[S::Pustules]), true),
        (
            "irritation_persisting",
            at(before(72.0)).with(&[S::SignificantIrritation]),
            false,
        ),
        (
            "irritation_persisting",
            at(72.0).with(&[S::SignificantIrritation]),
            true,
        ),
        (
            "burning_after_72h",
            at(before(72.0)).with(&[S::Burning]),
            false,
        ),
        ("burning_after_72h", at(72.0).with(&[S::Burning]), true),
        (
            "itching_strong",
            at(before(48.0)).rated(S::Itching, 4),
            false,
        ),
        ("itching_strong", at(48.0).rated(S::Itching, 4), true),
        (
            "itching_strong",
            at(before(168.0)).rated(S::Itching, 4),
            true,
        ),
        ("itching_strong", at(168.0).rated(S::Itching, 4), false),
        ("itching_strong", at(100.0).rated(S::Itching, 3), false),
        (
            "itching_after_flaking",
            at(before(168.0)).with(&[S::Itching]),
            false,
        ),
        ("itching_after_flaking", at(168.0).with(&[S::Itching]), true),
        ("dark_patches", at(0.0).with(&[S::DarkPatches]), true),
        ("dark_patches", at(2000.0).with(&[S::DarkPatches]), true),
        ("linear_marks", at(0.0).with(&[S::LinearMarks]), true),
        ("linear_marks", at(2000.0).with(&[S::LinearMarks]), true),
        (
            "swollen_lymph_nodes",
            at(0.0).with(&[S::SwollenLymphNodes]),
            true,
        ),
        (
            "swollen_lymph_nodes",
            at(2000.0).with(&[S::SwollenLymphNodes]),
            true,
        ),
        ("pain_severe", at(0.0).rated(S::Pain, 7), true),
        ("pain_severe", at(2000.0).rated(S::Pain, 10), true),
        ("pain_severe", at(10.0).rated(S::Pain, 6), false),
        ("pain_severe", at(10.0).with(&[S::Pain]), false),
        // Ratings above the usual course: each rule on both sides of its window and threshold.
        ("redness_rating_severe", at(0.0).rated(S::Redness, 8), true),
        ("redness_rating_severe", at(0.0).rated(S::Redness, 7), false),
        (
            "redness_rating_severe",
            at(before(48.0)).rated(S::Redness, 8),
            true,
        ),
        (
            "redness_rating_severe",
            at(48.0).rated(S::Redness, 8),
            false,
        ),
        (
            "redness_rating_high",
            at(before(48.0)).rated(S::Redness, 7),
            false,
        ),
        ("redness_rating_high", at(48.0).rated(S::Redness, 7), true),
        ("redness_rating_high", at(60.0).rated(S::Redness, 6), false),
        (
            "redness_rating_high",
            at(before(72.0)).rated(S::Redness, 7),
            true,
        ),
        ("redness_rating_high", at(72.0).rated(S::Redness, 7), false),
        (
            "swelling_rating_severe",
            at(0.0).rated(S::Swelling, 6),
            true,
        ),
        (
            "swelling_rating_severe",
            at(0.0).rated(S::Swelling, 5),
            false,
        ),
        (
            "swelling_rating_severe",
            at(before(48.0)).rated(S::Swelling, 6),
            true,
        ),
        (
            "swelling_rating_severe",
            at(48.0).rated(S::Swelling, 6),
            false,
        ),
        (
            "swelling_rating_high",
            at(before(48.0)).rated(S::Swelling, 5),
            false,
        ),
        ("swelling_rating_high", at(48.0).rated(S::Swelling, 5), true),
        (
            "swelling_rating_high",
            at(60.0).rated(S::Swelling, 4),
            false,
        ),
        (
            "swelling_rating_high",
            at(before(72.0)).rated(S::Swelling, 5),
            true,
        ),
        (
            "swelling_rating_high",
            at(72.0).rated(S::Swelling, 5),
            false,
        ),
        ("tingling", at(0.0).with(&[S::Tingling]), true),
        ("tingling", at(2000.0).with(&[S::Tingling]), true),
        (
            "tingling",
            at(30.0).with(&[S::Tingling, S::Blisters]),
            false,
        ),
        ("chills", at(0.0).with(&[S::Chills]), true),
        (
            "chills",
            at(2000.0).with(&[S::Chills]).temperature(37.9),
            true,
        ),
        (
            "chills",
            at(30.0).with(&[S::Chills]).temperature(38.0),
            false,
        ),
        ("chills", at(30.0).with(&[S::Chills, S::Fever]), false),
        (
            "clear_discharge_after_48h",
            at(before(48.0)).discharge(Discharge::Clear),
            false,
        ),
        (
            "clear_discharge_after_48h",
            at(48.0).discharge(Discharge::Clear),
            true,
        ),
        // expected
        ("early_inflammation", at(0.0).with(&[S::Redness]), true),
        (
            "early_inflammation",
            at(before(72.0)).with(&[S::Warmth]),
            true,
        ),
        ("early_inflammation", at(72.0).with(&[S::Warmth]), false),
        (
            "early_discomfort",
            at(before(72.0)).with(&[S::Burning]),
            true,
        ),
        ("early_discomfort", at(72.0).with(&[S::Tenderness]), false),
        (
            "early_dryness_itching",
            at(before(48.0)).with(&[S::Dryness]),
            true,
        ),
        ("early_dryness_itching", at(48.0).with(&[S::Itching]), false),
        (
            "pinpoint_bleeding",
            at(before(72.0)).with(&[S::PinpointBleeding]),
            true,
        ),
        (
            "pinpoint_bleeding",
            at(72.0).with(&[S::PinpointBleeding]),
            false,
        ),
        (
            "small_bruises",
            at(before(168.0)).with(&[S::Bruising]),
            true,
        ),
        ("small_bruises", at(168.0).with(&[S::Bruising]), false),
        (
            "minor_crusting",
            at(before(168.0)).with(&[S::Crusting]),
            true,
        ),
        ("minor_crusting", at(168.0).with(&[S::Crusting]), false),
        (
            "early_build_up",
            at(before(48.0)).with(&[S::RednessWorsening]),
            true,
        ),
        (
            "early_build_up",
            at(48.0).with(&[S::SwellingWorsening]),
            false,
        ),
        (
            "early_irritation",
            at(before(72.0)).with(&[S::SignificantIrritation]),
            true,
        ),
        (
            "early_irritation",
            at(72.0).with(&[S::SignificantIrritation]),
            false,
        ),
        ("settling_skin", at(before(48.0)).with(&[S::Flaking]), false),
        ("settling_skin", at(48.0).with(&[S::Flaking]), true),
        ("settling_skin", at(before(168.0)).with(&[S::Dryness]), true),
        ("settling_skin", at(168.0).with(&[S::Dryness]), false),
        ("mild_itching", at(before(48.0)).rated(S::Itching, 2), false),
        ("mild_itching", at(48.0).rated(S::Itching, 3), true),
        ("mild_itching", at(before(168.0)).with(&[S::Itching]), true),
        ("mild_itching", at(168.0).with(&[S::Itching]), false),
        ("mild_itching", at(100.0).rated(S::Itching, 4), false),
        (
            "fading_inflammation",
            at(before(72.0)).with(&[S::Redness]),
            false,
        ),
        ("fading_inflammation", at(72.0).with(&[S::Redness]), true),
        (
            "fading_inflammation",
            at(before(168.0)).with(&[S::Sensitivity]),
            true,
        ),
        (
            "fading_inflammation",
            at(168.0).with(&[S::Tightness]),
            false,
        ),
        // the safety net
        (
            "outside_expected_course",
            at(before(72.0)).with(&[S::Warmth]),
            false,
        ),
        ("outside_expected_course", at(72.0).with(&[S::Warmth]), true),
        (
            "outside_expected_course",
            at(20.0).with(&[S::Flaking]),
            true,
        ),
        (
            "outside_expected_course",
            at(20.0).discharge(Discharge::Clear),
            true,
        ),
        (
            "outside_expected_course",
            at(400.0).with(&[S::Sensitivity]),
            true,
        ),
    ]
}

#[test]
fn every_rule_fires_exactly_where_the_table_says() {
    let mut wrong = Vec::new();
    for (code, check_in, fires) in table() {
        let codes = check_in.codes();
        if codes.iter().any(|c| c == code) != fires {
            wrong.push(format!(
                "{code} at {:.3} h should {}fire; fired: {codes:?}",
                check_in.hours,
                if fires { "" } else { "not " }
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_table_covers_every_rule_at_both_sides_of_each_boundary() {
    let table = table();
    fn rows<'a>(
        table: &'a [(&'static str, At, bool)],
        code: &'a str,
    ) -> impl Iterator<Item = &'a (&'static str, At, bool)> {
        table.iter().filter(move |(c, _, _)| *c == code)
    }
    let mut missing = Vec::new();
    for rule in rules().rules() {
        if !rows(&table, &rule.code).any(|(_, _, fires)| *fires) {
            missing.push(format!("{}: no row where it fires", rule.code));
        }
        let mut boundaries: Vec<f64> = Vec::new();
        if rule.window.from.0 > 0 {
            boundaries.push(f64::from(rule.window.from.0));
        }
        boundaries.extend(rule.window.until.map(|u| f64::from(u.0)));
        for boundary in boundaries {
            // A trend rule's window applies to the earlier check-in too.
            let hours = |at: &At| {
                let mut hours = vec![at.hours];
                if rule.rising {
                    hours.extend(at.history.iter().map(|(h, _)| *h));
                }
                hours
            };
            let at_boundary =
                rows(&table, &rule.code).any(|(_, at, _)| hours(at).contains(&boundary));
            let just_before = rows(&table, &rule.code).any(|(_, at, _)| {
                hours(at)
                    .iter()
                    .any(|h| *h < boundary && *h > boundary - 1.0)
            });
            if !at_boundary || !just_before {
                missing.push(format!(
                    "{}: no row at both sides of {boundary} h",
                    rule.code
                ));
            }
        }
    }
    if !rows(&table, &rules().unexplained().code).any(|(_, _, fires)| *fires) {
        missing.push("the unexplained rule never fires".into());
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// (check-in, level): what patients typically report.
fn levels() -> Vec<(&'static str, At, Level)> {
    vec![
        ("nothing to report", at(30.0), Level::Expected),
        (
            "sunburn-like skin on day 1",
            at(5.0).with(&[S::Redness, S::Swelling, S::Warmth, S::Tightness]),
            Level::Expected,
        ),
        (
            "peeling on day 4",
            at(80.0)
                .with(&[S::Flaking, S::Dryness])
                .rated(S::Itching, 2),
            Level::Expected,
        ),
        (
            "fading redness on day 5",
            at(100.0)
                .with(&[S::Redness])
                .rated(S::Redness, 2)
                .earlier(60.0, &[(S::Redness, 4)]),
            Level::Expected,
        ),
        (
            "redness getting worse on day 4",
            at(80.0)
                .rated(S::Redness, 5)
                .earlier(60.0, &[(S::Redness, 3)]),
            Level::ContactPractitioner,
        ),
        (
            "redness after a week",
            at(170.0).with(&[S::Redness]),
            Level::ContactPractitioner,
        ),
        (
            "strong pain on day 1",
            at(2.0).rated(S::Pain, 8),
            Level::ContactPractitioner,
        ),
        (
            "rash and peeling",
            at(80.0).with(&[S::Rash, S::Flaking]),
            Level::ContactPractitioner,
        ),
        (
            "warmth on day 5",
            at(100.0).with(&[S::Warmth]),
            Level::ContactPractitioner,
        ),
        (
            "a temperature of 38.2 °C, not ticked",
            at(50.0).temperature(38.2),
            Level::Urgent,
        ),
        (
            "yellow discharge",
            at(60.0).discharge(Discharge::Yellow),
            Level::Urgent,
        ),
        (
            "tingling, then blisters",
            at(36.0).with(&[S::Tingling, S::Blisters]),
            Level::Urgent,
        ),
        (
            "chills with a fever",
            at(36.0).with(&[S::Chills]).temperature(38.5),
            Level::Urgent,
        ),
        (
            "spreading redness with a fever",
            at(60.0).with(&[S::SpreadingRedness]).temperature(38.4),
            Level::Emergency,
        ),
        (
            "throat swelling right after treatment",
            at(0.2).with(&[S::ThroatSwelling]),
            Level::Emergency,
        ),
        (
            "faint, with peeling",
            at(90.0).with(&[S::Faintness, S::Flaking]),
            Level::Emergency,
        ),
    ]
}

#[test]
fn typical_check_ins_get_the_right_level() {
    for (what, check_in, level) in levels() {
        assert_eq!(check_in.level(), level, "{what}: {:#?}", check_in.triage());
    }
}

#[test]
fn expected_advice_reassures_and_says_what_comes_next() {
    let result = at(80.0).with(&[S::Flaking, S::Dryness]).triage();
    assert_eq!(result.level, Level::Expected);
    assert_eq!(result.day, 4);
    assert_eq!(result.hours_since_treatment, 80);
    assert_eq!(result.reasons.len(), 1);
    assert_eq!(result.reasons[0].code, "settling_skin");
    assert_eq!(
        result.reasons[0].message.split(':').next(),
        Some("Normal on days 3 to 7")
    );
    assert!(
        result.reasons[0].message.contains("dryness and flaking"),
        "{}",
        result.reasons[0].message
    );
    assert_eq!(result.advice[0], rules().guidance(Level::Expected).action);
    assert!(
        result.advice.iter().any(|a| a.contains("pick")),
        "{:?}",
        result.advice
    );
    assert!(
        result
            .advice
            .last()
            .unwrap()
            .contains("Next: by the second week"),
        "{:?}",
        result.advice
    );
}

#[test]
fn a_warning_about_a_symptom_replaces_the_reassurance_about_it() {
    let result = at(100.0)
        .with(&[S::Redness, S::RednessWorsening, S::Flaking])
        .triage();
    assert_eq!(result.level, Level::ContactPractitioner);
    let codes: Vec<&str> = result.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["redness_worsening", "settling_skin"]);
    // Reassurance about the flaking is still given, but nothing says the redness is normal.
    assert!(
        !result
            .advice
            .iter()
            .any(|a| a.contains("By the second week redness should be gone"))
    );
    assert!(result.advice.iter().any(|a| a.contains("pick")));
}

#[test]
fn at_urgent_and_above_the_advice_is_only_about_what_to_do() {
    let result = at(80.0).with(&[S::Flaking, S::Hives, S::Rash]).triage();
    assert_eq!(result.level, Level::Urgent);
    let levels: Vec<Level> = result.reasons.iter().map(|r| r.level).collect();
    assert_eq!(
        levels,
        [Level::Urgent, Level::ContactPractitioner, Level::Expected]
    );
    assert_eq!(result.advice[0], rules().guidance(Level::Urgent).action);
    assert!(
        !result.advice.iter().any(|a| a.contains("pick")),
        "{:?}",
        result.advice
    );
    let unique: std::collections::BTreeSet<&String> = result.advice.iter().collect();
    assert_eq!(unique.len(), result.advice.len());
}

#[test]
fn unexplained_findings_are_named() {
    let result = at(100.0)
        .with(&[S::Warmth, S::Stinging])
        .discharge(Discharge::Clear)
        .triage();
    let net = result
        .reasons
        .iter()
        .find(|r| r.code == "outside_expected_course")
        .unwrap();
    assert_eq!(
        net.message,
        "Not part of the expected course of healing on day 5: warmth and stinging."
    );
    assert!(
        !result
            .reasons
            .iter()
            .any(|r| r.code == "outside_expected_course" && r.message.contains("discharge"))
    );
    let fluid = at(20.0).discharge(Discharge::Clear).triage();
    assert_eq!(
        fluid.reasons[0].message,
        "Not part of the expected course of healing on day 1: clear discharge."
    );
}

#[test]
fn the_guides_warning_signs_are_all_rules() {
    // "a fever, green or yellow discharge from the treated areas, or swelling and redness that
    // gets worse instead of better after 48 hours ... a rash, bumps, or significant irritation
    // that doesn't subside" (Know the Warning Signs and When to Call a Pro).
    let signs = [
        at(50.0).with(&[S::Fever]),
        at(50.0).discharge(Discharge::Green),
        at(50.0).discharge(Discharge::Yellow),
        at(50.0).with(&[S::SwellingWorsening]),
        at(50.0).with(&[S::RednessWorsening]),
        at(50.0).with(&[S::Rash]),
        at(50.0).with(&[S::Bumps]),
        at(80.0).with(&[S::SignificantIrritation]),
    ];
    for sign in signs {
        let result = sign.triage();
        assert!(result.level >= Level::ContactPractitioner, "{sign:?}");
        assert!(
            result
                .reasons
                .iter()
                .any(|r| r.source.id == "guide.warning_signs"
                    || r.see_also.iter().any(|s| s.id == "guide.warning_signs")),
            "{sign:?} is not traced to the guide's warning signs"
        );
    }
}
