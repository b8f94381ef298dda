//! Validation of triage rules: the default loads; a clinic may tighten the rules but never
//! loosen a CONTRACT §5 red flag; mistakes are reported with file, line and column.

use super::*;
use crate::protocol::{ProtocolError, load_protocol};

/// The default triage file with each `old` replaced by its `new` (each `old` must occur
/// exactly once).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = default_triage_toml().to_owned();
    for (old, new) in edits {
        assert_eq!(
            text.matches(old).count(),
            1,
            "'{old}' must occur exactly once"
        );
        text = text.replacen(old, new, 1);
    }
    text
}

/// Loads the whole default protocol with an edited triage file, as a clinic would.
fn load_edited(old: &str, new: &str) -> Result<crate::Protocol, ProtocolError> {
    load_edited_all(&[(old, new)])
}

/// [`load_edited`] with several edits.
fn load_edited_all(edits: &[(&str, &str)]) -> Result<crate::Protocol, ProtocolError> {
    let triage = edited(edits);
    let files: Vec<(&str, &str)> = DEFAULT_PROTOCOL_FILES
        .iter()
        .map(|(name, text)| {
            if name.ends_with("triage.toml") {
                ("clinic-triage.toml", triage.as_str())
            } else {
                (*name, *text)
            }
        })
        .collect();
    load_protocol(&files)
}

fn refused(old: &str, new: &str) -> ProtocolError {
    match load_edited(old, new) {
        Ok(_) => panic!("the rules with '{new}' must be refused"),
        Err(error) => error,
    }
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn the_default_rules_load() {
    assert!(rules().rules().len() > 30);
    assert_eq!(rules().fever_from_c(), 38.0);
    assert_eq!(rules().unexplained().level, Level::ContactPractitioner);
}

#[test]
fn the_default_protocol_loads_with_these_rules() {
    let protocol = load_protocol(DEFAULT_PROTOCOL_FILES).unwrap();
    assert_eq!(protocol.triage.rules(), rules().rules());
}

#[test]
fn every_rule_and_text_has_a_source_and_a_message() {
    for rule in rules().rules() {
        assert!(!rule.source.citation.is_empty(), "{}", rule.code);
        assert!(
            !rule.message.is_empty() && !rule.advice.is_empty(),
            "{}",
            rule.code
        );
    }
    for level in Level::ALL {
        assert!(!rules().guidance(*level).action.is_empty());
    }
    assert_eq!(rules().outlook().len(), 3);
}

#[test]
fn a_clinic_may_raise_a_level() {
    let protocol = load_edited(
        "code = \"rash\"\nlevel = \"contact_practitioner\"",
        "code = \"rash\"\nlevel = \"urgent\"",
    )
    .unwrap();
    let result = triage_check_in(
        &protocol.triage,
        &at(10.0).with(&[Symptom::Rash]).check_in(),
    );
    assert_eq!(result.level, Level::Urgent);
}

#[test]
fn a_clinic_may_widen_a_window_or_lower_the_fever_threshold() {
    // Redness flagged from 120 h: the expected course must then reach 0 by 120 h too (the
    // chart never calls usual what triage flags).
    let protocol = load_edited_all(&[
        (
            "any_of = [\"redness\"]\nfrom_hours = 168",
            "any_of = [\"redness\"]\nfrom_hours = 120",
        ),
        (
            "{ hours = 72, at_most = 4 },\n  { hours = 168, at_most = 0 },",
            "{ hours = 72, at_most = 4 },\n  { hours = 120, at_most = 0 },",
        ),
    ])
    .unwrap();
    // Without the course edit, the protocol is refused and says why.
    let refused = load_edited(
        "any_of = [\"redness\"]\nfrom_hours = 168",
        "any_of = [\"redness\"]\nfrom_hours = 120",
    )
    .expect_err("the default course holds redness 2 at 120 h");
    assert!(
        refused
            .message
            .contains("the usual range holds redness rated 2 at 120 h"),
        "{refused}"
    );
    let result = triage_check_in(
        &protocol.triage,
        &at(130.0).with(&[Symptom::Redness]).check_in(),
    );
    assert_eq!(result.level, Level::ContactPractitioner);

    let protocol = load_edited("fever_from_c = 38.0", "fever_from_c = 37.8").unwrap();
    let result = triage_check_in(&protocol.triage, &at(10.0).temperature(37.8).check_in());
    assert_eq!(result.level, Level::Urgent);
}

#[test]
fn an_emergency_sign_mapped_below_emergency_is_refused_where_it_is_written() {
    let error = refused(
        "any_of = [\"throat_swelling\", \"tongue_swelling\"]",
        "any_of = [\"throat_swelling\", \"tongue_swelling\"]\nlevel = \"urgent\"",
    );
    // The duplicate key is a TOML error; lower the level in place instead.
    assert!(error.message.contains("duplicate key"), "{error}");

    let old = "code = \"airway_swelling\"\nlevel = \"emergency\"";
    let text = edited(&[(old, "code = \"airway_swelling\"\nlevel = \"urgent\"")]);
    let error = refused(old, "code = \"airway_swelling\"\nlevel = \"urgent\"");
    assert_eq!(error.file, "clinic-triage.toml");
    assert_eq!(error.line, line_of(&text, "code = \"airway_swelling\"") + 1);
    assert_eq!(error.column, 9);
    assert_eq!(
        error.message,
        "these rules under-triage a red flag of CONTRACT §5: throat swelling at 0 h gives 'urgent', but \
         must give at least 'emergency' (a clinic's protocol may tighten the default rules, never loosen them)"
    );
}

#[test]
fn loosening_any_red_flag_is_refused() {
    let cases = [
        // fever below urgent
        (
            "code = \"fever\"\nlevel = \"urgent\"",
            "code = \"fever\"\nlevel = \"contact_practitioner\"",
            "fever at 0 h",
        ),
        // a warning turned into reassurance
        (
            "code = \"redness_persisting\"\nlevel = \"contact_practitioner\"",
            "code = \"redness_persisting\"\nlevel = \"expected\"",
            "redness at 168 h",
        ),
        (
            "code = \"irritation_persisting\"\nlevel = \"contact_practitioner\"",
            "code = \"irritation_persisting\"\nlevel = \"expected\"",
            "significant irritation at 72 h",
        ),
        (
            "code = \"itching_after_flaking\"\nlevel = \"contact_practitioner\"",
            "code = \"itching_after_flaking\"\nlevel = \"expected\"",
            "itching outside the flaking period at 168 h",
        ),
        // a trend the rules no longer see
        (
            "any_of = [\"redness\"]\nrising = true\nfrom_hours = 48",
            "any_of = [\"redness\"]\nrising = true\nfrom_hours = 60",
            "a redness rating higher than at the previous check-in at 48.5 h",
        ),
        // pus only when green
        (
            "discharge = [\"yellow\", \"green\"]",
            "discharge = [\"green\"]",
            "yellow discharge at 0 h",
        ),
        // the emergency combination dropped
        (
            "all_of = [\"spreading_redness\"]\nany_of = [\"fever\", \"vomiting\", \"confusion\", \"rapid_heartbeat\"]",
            "all_of = [\"spreading_redness\"]\nany_of = [\"fever\", \"vomiting\", \"confusion\"]",
            "spreading redness with a rapid heartbeat at 0 h",
        ),
    ];
    for (old, new, what) in cases {
        let error = refused(old, new);
        assert!(
            error
                .message
                .contains(&format!("red flag of CONTRACT §5: {what} gives")),
            "{what}: {error}"
        );
    }
}

#[test]
fn a_narrower_warning_window_is_caught_by_the_safety_net() {
    // Redness from day 7 is a warning; without the rule, no rule explains redness at 168 h,
    // so it still gets "contact the practitioner" (outside the expected course).
    let protocol = load_edited(
        "any_of = [\"redness\"]\nfrom_hours = 168",
        "any_of = [\"redness\"]\nfrom_hours = 200",
    )
    .unwrap();
    let result = triage_check_in(
        &protocol.triage,
        &at(170.0).with(&[Symptom::Redness]).check_in(),
    );
    assert_eq!(result.level, Level::ContactPractitioner);
    assert_eq!(result.reasons[0].code, "outside_expected_course");
}

#[test]
fn a_fever_threshold_above_38_is_refused() {
    let error = refused("fever_from_c = 38.0", "fever_from_c = 38.5");
    assert_eq!(error.line, line_of(default_triage_toml(), "fever_from_c"));
    assert!(
        error
            .message
            .starts_with("fever_from_c 38.5 must lie in 37-38 °C"),
        "{error}"
    );
}

#[test]
fn a_warning_that_switches_off_when_a_milder_symptom_appears_is_refused() {
    let error = refused(
        "any_of = [\"rash\"]\nmessage",
        "any_of = [\"rash\"]\nnone_of = [\"flaking\"]\nmessage",
    );
    assert!(
        error.message.starts_with(
            "rule 'rash' switches off when 'flaking' is present, but no rule for 'flaking' alone"
        ),
        "{error}"
    );
}

#[test]
fn reassurance_that_depends_on_another_symptom_is_refused() {
    let error = refused(
        "any_of = [\"dryness\", \"flaking\"]\nfrom_hours = 48",
        "any_of = [\"dryness\", \"flaking\"]\nall_of = [\"redness\"]\nfrom_hours = 48",
    );
    assert!(
        error
            .message
            .contains("an expected rule cannot require co-symptoms"),
        "{error}"
    );
    let error = refused(
        "any_of = [\"pain\"]\nrating_at_least = 7\n",
        "any_of = [\"pain\"]\nrating_at_least = 7\nrating_at_most = 9\n",
    );
    assert!(
        error
            .message
            .contains("rating_at_most is only for expected rules"),
        "{error}"
    );
}

#[test]
fn mistakes_in_a_rule_are_named() {
    let cases = [
        (
            "any_of = [\"rash\"]",
            "any_of = [\"rashes\"]",
            "unknown symptom 'rashes'",
        ),
        (
            "code = \"rash\"\nlevel = \"contact_practitioner\"",
            "code = \"rash\"\nlevel = \"call_us\"",
            "unknown triage level 'call_us'",
        ),
        (
            "code = \"rash\"",
            "code = \"hives\"",
            "rule code 'hives' is used twice",
        ),
        (
            "code = \"rash\"",
            "code = \"Rash!\"",
            "code 'Rash!' must be lowercase",
        ),
        (
            "any_of = [\"pain\"]\nrating_at_least = 7\n",
            "any_of = [\"pain\"]\nrating_at_least = 11\n",
            "rating 11 is outside 0-10",
        ),
        (
            "discharge = [\"clear\"]",
            "discharge = [\"brown\"]",
            "discharge 'brown' must be clear, yellow or green",
        ),
        (
            "any_of = [\"rash\"]",
            "any_of = [\"rash\"]\nseverity = 3",
            "unknown field `severity`",
        ),
        (
            "any_of = [\"rash\"]",
            "any_of = [\"rash\", \"rash\"]",
            "symptom 'rash' is listed twice",
        ),
        (
            "any_of = [\"tingling\"]\nnone_of = [\"blisters\"]",
            "any_of = [\"tingling\"]\nnone_of = [\"tingling\"]",
            "both in any_of and in none_of",
        ),
        (
            "message = \"A rash is",
            "message = \"{name}: a rash is",
            "placeholders {symptoms} and {day}",
        ),
        (
            "source = \"ref.care_pathways.3_2\"\n\n# ----",
            "source = \"ref.nowhere\"\n\n# ----",
            "unknown source 'ref.nowhere'",
        ),
        (
            "level = \"contact_practitioner\"\nmessage = \"Not part",
            "level = \"expected\"\nmessage = \"Not part",
            "[triage.unexplained] must be at least 'contact_practitioner'",
        ),
        (
            "from_hours = 48\nuntil_hours = 168\ntext",
            "from_hours = 50\nuntil_hours = 168\ntext",
            "outlook starts at 50 h: it must start where the previous one ends, at 48 h",
        ),
        (
            "[[triage.levels]]\nid = \"urgent\"",
            "[[triage.levels]]\nid = \"expected\"",
            "level 'expected' is listed twice",
        ),
    ];
    for (old, new, expected) in cases {
        let error = refused(old, new);
        assert!(error.message.contains(expected), "{new}: {error}");
        assert_eq!(error.file, "clinic-triage.toml");
    }
}

#[test]
fn every_contract_symptom_is_named_by_some_rule() {
    for symptom in Symptom::ALL {
        assert!(
            rules()
                .rules()
                .iter()
                .any(|r| r.any_of.contains(symptom) || r.all_of.contains(symptom)),
            "no rule is about {symptom}"
        );
    }
}

#[test]
fn docs_triage_md_describes_every_rule() {
    let docs = include_str!("../../../../../docs/triage.md");
    for code in rules()
        .rules()
        .iter()
        .map(|r| r.code.as_str())
        .chain([rules().unexplained().code.as_str()])
    {
        assert!(
            docs.contains(&format!("| `{code}` |")),
            "docs/triage.md has no row for `{code}`"
        );
    }
}
