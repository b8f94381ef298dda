//! The protocol loader: the default protocol matches CONTRACT §3, and every kind of bad
//! protocol file is refused with one message naming the file, line and column.

use aftercare_core::{
    Hours,
    protocol::{
        DEFAULT_PROTOCOL_FILES, RestrictionKind, default_protocol, load_default_edited,
        load_protocol,
    },
};

#[test]
fn the_default_protocol_has_the_contract_timings() {
    let protocol = default_protocol();
    let window = |id: &str| {
        let r = protocol
            .restrictions
            .iter()
            .find(|r| r.id == id && r.applies_to.fitzpatrick.is_empty())
            .unwrap_or_else(|| panic!("restriction {id} is missing"));
        (r.earliest.0, r.until.0)
    };
    assert_eq!(window("cleanser"), (48, 48));
    assert_eq!(window("makeup"), (24, 48));
    assert_eq!(window("strenuous_exercise"), (48, 48));
    assert_eq!(window("regular_products"), (96, 96));
    for id in [
        "retinoid",
        "aha",
        "bha",
        "pha",
        "vitamin_c",
        "benzoyl_peroxide",
        "hydroquinone",
        "azelaic_acid",
    ] {
        assert_eq!(window(id), (168, 168), "{id}");
    }
    for id in [
        "fragrance",
        "fragrance_allergen",
        "essential_oil",
        "drying_alcohol",
        "physical_exfoliant",
        "chemical_uv_filter",
    ] {
        assert_eq!(window(id), (168, 168), "{id}");
    }
    for id in ["peptide", "copper_peptide", "growth_factor"] {
        assert_eq!(window(id), (48, 168), "{id}");
    }
    for id in ["hyaluronic_acid", "aloe", "vitamin_e", "mineral_uv_filter"] {
        let rec = protocol
            .recommended
            .iter()
            .find(|r| r.category.id() == id)
            .expect(id);
        assert_eq!(rec.from, Hours(0), "{id}");
    }
    let comedogenic = &protocol.skin_cautions[0];
    assert_eq!(comedogenic.category.id(), "comedogenic");
    assert_eq!(comedogenic.min_rating, Some(4));
    assert_eq!(protocol.series.interval_weeks, 4);
    let makeup = protocol
        .restrictions
        .iter()
        .find(|r| r.id == "makeup")
        .unwrap();
    assert_eq!(makeup.kind, RestrictionKind::Product);
}

#[test]
fn every_text_names_a_source_that_exists() {
    let protocol = default_protocol();
    let known = |id: &str| protocol.sources.contains_key(id);
    for phase in &protocol.phases {
        assert!(known(&phase.source.id));
        for step in phase.am.iter().chain(&phase.pm) {
            assert!(known(&step.source.id), "{}", step.text);
            assert!(
                step.source.citation.starts_with("Guide: ")
                    || step.source.citation.starts_with("Reference: ")
            );
        }
        for text in phase.expect.iter().chain(&phase.tips) {
            assert!(known(&text.source.id), "{}", text.text);
        }
    }
    for faq in &protocol.faq {
        assert!(known(&faq.source.id));
    }
    assert_eq!(protocol.myths.len(), 4, "the guide busts four myths");
    assert!(protocol.faq.len() >= 5, "the guide answers five questions");
}

/// Loads the default protocol with one file replaced by `edit(original)`.
fn load_with(file: &str, edit: impl Fn(&str) -> String) -> Result<(), String> {
    load_default_edited(file, edit)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn line_of(text: &str, needle: &str) -> usize {
    let at = text.find(needle).expect("needle");
    text[..at].matches('\n').count() + 1
}

#[test]
fn an_unknown_key_is_refused_with_file_line_and_column() {
    let err = load_with("protocol.toml", |t| {
        t.replacen(
            "id = \"makeup\"\n",
            "id = \"makeup\"\ncolour = \"red\"\n",
            1,
        )
    })
    .unwrap_err();
    let original = DEFAULT_PROTOCOL_FILES[0].1;
    let line = line_of(original, "id = \"makeup\"") + 1;
    assert!(
        err.starts_with(&format!(
            "microneedling/protocol.toml:{line}:1: unknown field `colour`"
        )),
        "{err}"
    );
}

#[test]
fn a_negative_window_is_refused() {
    let err = load_with("protocol.toml", |t| {
        t.replacen(
            "until_hours = 48\nreason = \"Let your skin",
            "until_hours = -48\nreason = \"Let your skin",
            1,
        )
    })
    .unwrap_err();
    assert!(err.contains("-48 hours is negative"), "{err}");
    assert!(err.starts_with("microneedling/protocol.toml:"), "{err}");
}

#[test]
fn overlapping_phases_are_refused() {
    let err = load_with("protocol.toml", |t| {
        t.replacen(
            "from_hours = 48\nuntil_hours = 168",
            "from_hours = 24\nuntil_hours = 168",
            1,
        )
    })
    .unwrap_err();
    assert!(
        err.contains(
            "phase 'days_3_7' starts at 24 h and overlaps the previous phase, which ends at 48 h"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_source_is_refused() {
    let err = load_with("content.toml", |t| {
        t.replacen(
            "source = \"guide.faq_gym\"",
            "source = \"guide.nowhere\"",
            1,
        )
    })
    .unwrap_err();
    assert!(err.contains("unknown source 'guide.nowhere'"), "{err}");
    assert!(err.starts_with("microneedling/content.toml:"), "{err}");
}

#[test]
fn a_missing_source_is_refused() {
    let err = load_with("content.toml", |t| {
        t.replacen("\nsource = \"guide.myth_face_only\"", "", 1)
    })
    .unwrap_err();
    assert!(err.contains("missing field `source`"), "{err}");
}

#[test]
fn an_unknown_reference_in_a_routine_is_refused() {
    let err = load_with("protocol.toml", |t| {
        t.replacen("uses = [\"cleanser\"]", "uses = [\"soap\"]", 1)
    })
    .unwrap_err();
    assert!(
        err.contains("'soap' is neither a restriction id nor an ingredient category"),
        "{err}"
    );
}

#[test]
fn an_unknown_ingredient_category_is_refused() {
    let err = load_with("protocol.toml", |t| {
        t.replacen("id = \"retinoid\"", "id = \"retinoids\"", 1)
    })
    .unwrap_err();
    assert!(
        err.contains("unknown ingredient category 'retinoids'"),
        "{err}"
    );
}

#[test]
fn an_empty_routine_is_refused() {
    let err = load_with("protocol.toml", |t| {
        let start = t
            .find("[[phases.pm]]\nstep = \"cleanse\"\ntext = \"Rinse")
            .unwrap();
        let end = start + t[start..].find("[[phases]]").unwrap();
        format!("{}{}", &t[..start], &t[end..])
    })
    .unwrap_err();
    assert!(
        err.contains("phase 'first_48_hours' has an empty pm routine"),
        "{err}"
    );
}

#[test]
fn a_section_in_two_files_is_refused() {
    let err = load_with("content.toml", |t| format!("{t}\n[series]\ninterval_weeks = 4\nmin_interval_weeks = 2\nmax_interval_weeks = 6\nsource = \"guide.week_2\"\n"))
        .unwrap_err();
    assert!(
        err.contains("section [series] is already defined in another file"),
        "{err}"
    );
}

#[test]
fn a_single_file_protocol_loads_like_the_split_one() {
    let joined: String = DEFAULT_PROTOCOL_FILES
        .iter()
        .map(|(_, t)| format!("{t}\n"))
        .collect();
    let protocol = load_protocol(&[("clinic.toml", &joined)]).expect("one file");
    assert_eq!(
        protocol.restrictions.len(),
        default_protocol().restrictions.len()
    );
}

#[test]
fn a_blank_notice_answer_summary_or_reason_is_refused_where_it_stands() {
    // Each (file, the start of a text a person reads): blanking it is refused at its line.
    for (file, key) in [
        (
            "protocol.toml",
            "emergency = { text = \"Call your local emergency number now",
        ),
        ("content.toml", "answer = \"Yes. Light peeling"),
        ("content.toml", "summary = \"Dry skin feels"),
        ("protocol.toml", "reason = \""),
    ] {
        let original = DEFAULT_PROTOCOL_FILES
            .iter()
            .find(|(name, _)| name.ends_with(file))
            .expect("a default protocol file")
            .1;
        let start = original.find(key).expect("the text");
        let text_start = start + key.find('"').expect("an opening quote") + 1;
        let text_end = text_start + original[text_start..].find('"').expect("closing quote");
        let blanked = format!("{} {}", &original[..text_start], &original[text_end..]);
        let err = load_with(file, |_| blanked.clone()).unwrap_err();
        let line = line_of(original, key);
        assert!(
            err.starts_with(&format!("microneedling/{file}:{line}:")),
            "{key}: {err}"
        );
        assert!(err.contains("the text is empty"), "{key}: {err}");
    }
}

#[test]
fn an_unknown_product_type_is_refused() {
    let err = load_with("protocol.toml", |t| {
        t.replacen(
            "product_types = [\"makeup\"]",
            "product_types = [\"foundation\"]",
            1,
        )
    })
    .unwrap_err();
    assert!(err.starts_with("microneedling/protocol.toml:"), "{err}");
    assert!(
        err.contains("'makeup'") && err.contains("foundation"),
        "{err}"
    );
}
