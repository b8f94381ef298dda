//! The raw shape of a protocol file as serde reads it (`*Spec`): every table denies unknown
//! keys, ids carry their span so validation errors can name line and column. Nothing here is
//! trusted; `validate.rs` turns a spec into a `Protocol`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::profile::{Area, SkinType};

/// One protocol file. Every section is optional so that a protocol can be split over several
/// files (each section in exactly one of them); `validate` checks that the required ones exist.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtocolSpec {
    /// Identity of the protocol.
    pub protocol: Option<Spanned<MetaSpec>>,
    /// Where texts and rules come from, by id.
    pub sources: Option<Spanned<BTreeMap<String, SourceSpec>>>,
    /// Always-shown notices: emergency guidance, disclaimer.
    pub notices: Option<Spanned<NoticesSpec>>,
    /// Recovery phases with their routines.
    pub phases: Option<Spanned<Vec<PhaseSpec>>>,
    /// What to hold off, and until when.
    pub restrictions: Option<Spanned<Vec<RestrictionSpec>>>,
    /// Ingredient categories recommended from a given hour.
    pub recommended: Option<Spanned<Vec<RecommendationSpec>>>,
    /// Ingredient flags that depend on skin type (comedogenic for oily skin).
    pub skin_cautions: Option<Spanned<Vec<SkinCautionSpec>>>,
    /// Advice per skin type.
    pub skin_types: Option<Spanned<Vec<SkinTypeSpec>>>,
    /// Advice per treated area.
    pub areas: Option<Spanned<Vec<AreaSpec>>>,
    /// Advice per group of Fitzpatrick phototypes.
    pub fitzpatrick: Option<Spanned<Vec<FitzpatrickSpec>>>,
    /// How to apply products.
    pub application: Option<Spanned<Vec<TextSpec>>>,
    /// Frequently asked questions.
    pub faq: Option<Spanned<Vec<FaqSpec>>>,
    /// Myths and the facts that answer them.
    pub myths: Option<Spanned<Vec<MythSpec>>>,
    /// The treatment series (interval to the next session).
    pub series: Option<Spanned<SeriesSpec>>,
    /// How products come back (one new product every N hours).
    pub reintroduction: Option<Spanned<ReintroductionSpec>>,
    /// Symptom triage rules.
    pub triage: Option<Spanned<crate::triage::TriageSpec>>,
    /// The usual course of rated symptoms (optional: without it no expected band is drawn).
    pub expected_course: Option<Spanned<Vec<CourseSpec>>>,
}

/// `[protocol]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaSpec {
    /// Stable id, e.g. `microneedling`.
    pub id: String,
    /// Version of this protocol's content.
    pub version: String,
    /// Human title (not empty).
    pub title: Spanned<String>,
    /// The procedure it is for (not empty).
    pub procedure: Spanned<String>,
    /// Where the protocol as a whole comes from.
    pub source: Spanned<String>,
}

/// `[sources.<id>]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// `guide` (a section of the aftercare guide) or `reference` (sourced evidence).
    pub kind: Spanned<String>,
    /// The guide's section title, or the reference's title (not empty).
    pub title: Spanned<String>,
    /// Where in the reference (section number, table), if useful.
    pub detail: Option<String>,
    /// A link, if there is one.
    pub url: Option<String>,
}

/// `[notices]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticesSpec {
    /// What to do in an emergency: always shown.
    pub emergency: TextSpec,
    /// The advice supports the practitioner and does not replace them: always shown.
    pub disclaimer: TextSpec,
    /// When to contact the practitioner, in one sentence.
    pub contact: TextSpec,
}

/// A text with its source; optionally limited to a window of hours.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextSpec {
    /// The text a person reads (not empty).
    pub text: Spanned<String>,
    /// A source id from `[sources]`.
    pub source: Spanned<String>,
    /// First hour the text applies (default 0).
    pub from_hours: Option<Spanned<i64>>,
    /// Hour from which the text no longer applies (default: never ends).
    pub until_hours: Option<Spanned<i64>>,
}

/// `[[phases]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// Stable id.
    pub id: Spanned<String>,
    /// Human name (not empty).
    pub name: Spanned<String>,
    /// First hour of the phase.
    pub from_hours: Spanned<i64>,
    /// First hour after the phase; absent for the last phase.
    pub until_hours: Option<Spanned<i64>>,
    /// What the phase is about (not empty).
    pub summary: Spanned<String>,
    /// Source id of the phase.
    pub source: Spanned<String>,
    /// What to expect during the phase.
    #[serde(default)]
    pub expect: Vec<TextSpec>,
    /// Morning routine, in application order.
    #[serde(default)]
    pub am: Vec<StepSpec>,
    /// Evening routine, in application order.
    #[serde(default)]
    pub pm: Vec<StepSpec>,
    /// Tips for the phase.
    #[serde(default)]
    pub tips: Vec<TextSpec>,
}

/// One routine step.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    /// Kind of step: cleanse, tone, serum, moisturise, oil, sunscreen.
    pub step: Spanned<String>,
    /// What to do (not empty).
    pub text: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
    /// Restriction or category ids the step relies on (checked against the same day's avoid list).
    #[serde(default)]
    pub uses: Vec<Spanned<String>>,
    /// Only for these skin types (default: everyone).
    #[serde(default)]
    pub skin: Vec<SkinType>,
    /// First hour the step applies, within its phase.
    pub from_hours: Option<Spanned<i64>>,
    /// Hour from which the step no longer applies.
    pub until_hours: Option<Spanned<i64>>,
}

/// `[[restrictions]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestrictionSpec {
    /// A category id of CONTRACT §2 (kind `ingredient`) or an activity/product id.
    pub id: Spanned<String>,
    /// `activity`, `ingredient` or `product`.
    pub kind: Spanned<String>,
    /// Human name (not empty).
    pub name: Spanned<String>,
    /// Hard limit: not before this hour (default: `until_hours`).
    pub earliest_hours: Option<Spanned<i64>>,
    /// Recommended: hold off until this hour.
    pub until_hours: Spanned<i64>,
    /// Why (not empty).
    pub reason: Spanned<String>,
    /// What to do once it ends (e.g. "reintroduce gradually"; not empty when given).
    pub after: Option<Spanned<String>>,
    /// Source id.
    pub source: Spanned<String>,
    /// Product types the restriction also holds back as a whole (`--type makeup`; on any kind:
    /// the scrub rule sits on the `physical_exfoliant` ingredient restriction).
    #[serde(default)]
    pub product_types: Vec<String>,
    /// Only for these Fitzpatrick types (default: all).
    #[serde(default)]
    pub fitzpatrick: Vec<Spanned<i64>>,
    /// Only for these skin types (default: all).
    #[serde(default)]
    pub skin: Vec<SkinType>,
    /// Only for these areas (default: all).
    #[serde(default)]
    pub areas: Vec<Area>,
}

/// `[[recommended]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationSpec {
    /// A category id.
    pub id: Spanned<String>,
    /// Recommended from this hour.
    pub from_hours: Spanned<i64>,
    /// Why it helps (not empty).
    pub reason: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[[skin_cautions]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkinCautionSpec {
    /// The flag category (e.g. `comedogenic`).
    pub id: Spanned<String>,
    /// Skin types it applies to.
    pub skin: Vec<SkinType>,
    /// Lowest rating that counts (for rated flags).
    pub min_rating: Option<u8>,
    /// Why (not empty).
    pub reason: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[[skin_types]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkinTypeSpec {
    /// The skin type.
    pub id: Spanned<SkinType>,
    /// What the guide says for it, in one line (not empty).
    pub summary: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
    /// Tips.
    pub tips: Vec<TextSpec>,
}

/// `[[areas]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaSpec {
    /// The area.
    pub id: Spanned<Area>,
    /// Human name (not empty).
    pub name: Spanned<String>,
    /// Tips.
    #[serde(default)]
    pub tips: Vec<TextSpec>,
}

/// `[[fitzpatrick]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitzpatrickSpec {
    /// The phototypes this group covers (1-6).
    pub types: Vec<Spanned<i64>>,
    /// Tips.
    pub tips: Vec<TextSpec>,
}

/// `[[faq]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqSpec {
    /// The question (not empty).
    pub question: Spanned<String>,
    /// The answer (not empty).
    pub answer: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[[myths]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MythSpec {
    /// The myth (not empty).
    pub myth: Spanned<String>,
    /// The facts (not empty).
    pub fact: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[series]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    /// Weeks to the next session.
    pub interval_weeks: Spanned<i64>,
    /// Shortest interval a practitioner may set.
    pub min_interval_weeks: i64,
    /// Longest interval a practitioner may set.
    pub max_interval_weeks: i64,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[reintroduction]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReintroductionSpec {
    /// Hours between two newly reintroduced products.
    pub new_product_every_hours: Spanned<i64>,
    /// Source id.
    pub source: Spanned<String>,
    /// Hours nothing new is added after a flagged check-in (default: `new_product_every_hours`).
    #[serde(default)]
    pub pause_after_flag_hours: Option<Spanned<i64>>,
    /// Source id of the pause rule (default: `source`).
    #[serde(default)]
    pub pause_source: Option<Spanned<String>>,
    /// Paused-active categories from the gentlest to the strongest (default: all equal).
    #[serde(default)]
    pub active_strength: Vec<Spanned<String>>,
    /// Until this hour a retinoid and an exfoliating acid never share an evening (default 336).
    #[serde(default)]
    pub retinoid_and_acid_apart_until_hours: Option<Spanned<i64>>,
    /// Source id of the active rules (default: `source`).
    #[serde(default)]
    pub actives_source: Option<Spanned<String>>,
}

/// `[[expected_course]]`: the usual course of one rated symptom, as the highest rating (0-10)
/// that is part of normal healing at a given hour. Between two points the bound changes
/// linearly; from the last point on it stays at the last value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseSpec {
    /// A CONTRACT §5 symptom id (`redness`, `swelling`, `pain`, `itching`, …).
    pub symptom: Spanned<String>,
    /// What the usual course is, in one sentence a patient reads (not empty).
    pub text: Spanned<String>,
    /// Source id.
    pub source: Spanned<String>,
    /// Further source ids.
    #[serde(default)]
    pub also: Vec<Spanned<String>>,
    /// The bound at given hours, in strictly increasing order of hours.
    pub points: Spanned<Vec<CoursePointSpec>>,
}

/// One point of an expected course: `{ hours = 48, at_most = 6 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoursePointSpec {
    /// Hours after the treatment.
    pub hours: Spanned<i64>,
    /// The highest rating (0-10) that is part of the usual course at that hour.
    pub at_most: Spanned<i64>,
}
