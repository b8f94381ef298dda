//! The aftercare protocol: the guide as validated data. A `Protocol` cannot hold an invalid
//! state: windows are ordered, every id it refers to exists, every text has a source.
//!
//! - `spec.rs`: the raw TOML shape (serde, unknown keys rejected);
//! - `validate.rs`: spec → `Protocol`, with file/line/column errors;
//! - `load.rs`: reading one file or a set of files, and the embedded default;
//! - `course.rs`: the expected course of rated symptoms (`[[expected_course]]`), optional.
//!
//! What does not belong here: computing a plan (`plan`), ingredient verdicts (`inci`), triage
//! (`triage`). They read a `Protocol`.

mod course;
mod load;
pub mod spec;
mod validate;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{
    Hours,
    category::Category,
    profile::{Area, Fitzpatrick, Profile, SkinType},
    triage::TriageRules,
};

#[cfg(test)]
pub(crate) use course::course_for_tests;
pub use course::{CoursePoint, SymptomCourse, course_of};
pub(crate) use load::line_column;
pub use load::{
    DEFAULT_PROTOCOL_FILES, ProtocolError, default_protocol, load_default_edited, load_protocol,
};
pub use validate::{SpecError, ValidationContext};

/// A validated aftercare protocol.
#[derive(Debug, Clone)]
pub struct Protocol {
    /// Stable id, e.g. `microneedling`.
    pub id: String,
    /// Version of the content.
    pub version: String,
    /// Human title.
    pub title: String,
    /// The procedure it is for.
    pub procedure: String,
    /// Where the protocol as a whole comes from.
    pub source: SourceRef,
    /// Every source, by id.
    pub sources: BTreeMap<String, Source>,
    /// Always-shown notices.
    pub notices: Notices,
    /// Phases in order; they tile [0, ∞) without gaps.
    pub phases: Vec<Phase>,
    /// What to hold off, in file order.
    pub restrictions: Vec<Restriction>,
    /// Categories recommended from a given hour.
    pub recommended: Vec<Recommendation>,
    /// Skin-type-dependent ingredient flags.
    pub skin_cautions: Vec<SkinCaution>,
    /// Advice per skin type.
    pub skin_types: Vec<SkinTypeAdvice>,
    /// Advice per area.
    pub areas: Vec<AreaAdvice>,
    /// Advice per group of phototypes.
    pub fitzpatrick: Vec<FitzpatrickAdvice>,
    /// How to apply products.
    pub application: Vec<Text>,
    /// Frequently asked questions.
    pub faq: Vec<Faq>,
    /// Myths, busted.
    pub myths: Vec<Myth>,
    /// The treatment series.
    pub series: Series,
    /// How products come back.
    pub reintroduction: Reintroduction,
    /// Symptom triage rules.
    pub triage: TriageRules,
    /// The usual course of rated symptoms, for the healing chart; empty when the protocol has
    /// none (a clinic's own protocol may leave it out).
    pub expected_course: Vec<SymptomCourse>,
}

/// Where a text or rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Id used in the protocol file.
    pub id: String,
    /// Guide section or reference.
    pub kind: SourceKind,
    /// The guide's section title, or the reference's title.
    pub title: String,
    /// Where in the reference.
    pub detail: Option<String>,
    /// A link.
    pub url: Option<String>,
}

/// The kind of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A section of the aftercare guide.
    Guide,
    /// Sourced evidence that goes beyond the guide.
    Reference,
}

/// A resolved reference to a source: its id and the line people read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Id in `sources`.
    pub id: String,
    /// "Guide: The First 48 Hours" or "Reference: care-pathways.md §3.3".
    pub citation: String,
}

impl Source {
    /// How the source is cited: "Guide: title" or "Reference: title (detail)".
    pub fn citation(&self) -> String {
        let kind = match self.kind {
            SourceKind::Guide => "Guide",
            SourceKind::Reference => "Reference",
        };
        match &self.detail {
            Some(detail) => format!("{kind}: {} ({detail})", self.title),
            None => format!("{kind}: {}", self.title),
        }
    }
}

/// A half-open window of hours [from, until); `until` absent means it never ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// First hour inside.
    pub from: Hours,
    /// First hour outside, if it ends.
    pub until: Option<Hours>,
}

impl Window {
    /// The whole recovery.
    pub const ALWAYS: Window = Window {
        from: Hours::ZERO,
        until: None,
    };

    /// Whether `hour` falls inside.
    pub fn contains(&self, hour: Hours) -> bool {
        hour >= self.from && self.until.is_none_or(|until| hour < until)
    }

    /// Whether the window overlaps [start, end).
    pub fn overlaps(&self, start: Hours, end: Hours) -> bool {
        self.from < end && self.until.is_none_or(|until| start < until)
    }
}

/// A text with its source and the window in which it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// What a person reads.
    pub text: String,
    /// Where it comes from.
    pub source: SourceRef,
    /// When it applies.
    #[serde(skip)]
    pub window: Window,
}

/// Always-shown notices.
#[derive(Debug, Clone)]
pub struct Notices {
    /// What to do in an emergency.
    pub emergency: Text,
    /// The tool supports the practitioner and does not replace them.
    pub disclaimer: Text,
    /// When to contact the practitioner.
    pub contact: Text,
}

/// A recovery phase.
#[derive(Debug, Clone)]
pub struct Phase {
    /// Stable id.
    pub id: String,
    /// Human name.
    pub name: String,
    /// When it runs.
    pub window: Window,
    /// What it is about.
    pub summary: String,
    /// Its source.
    pub source: SourceRef,
    /// What to expect.
    pub expect: Vec<Text>,
    /// Morning routine, in application order.
    pub am: Vec<RoutineStep>,
    /// Evening routine, in application order.
    pub pm: Vec<RoutineStep>,
    /// Tips.
    pub tips: Vec<Text>,
}

/// The kinds of routine step, in application order (thinnest to thickest, sunscreen last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// Cleanse.
    Cleanse,
    /// Tone.
    Tone,
    /// Serum.
    Serum,
    /// Moisturise.
    Moisturise,
    /// Oil or balm.
    Oil,
    /// Sunscreen, always last.
    Sunscreen,
}

impl StepKind {
    /// Every kind, in application order.
    pub const ALL: [StepKind; 6] = [
        StepKind::Cleanse,
        StepKind::Tone,
        StepKind::Serum,
        StepKind::Moisturise,
        StepKind::Oil,
        StepKind::Sunscreen,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            StepKind::Cleanse => "cleanse",
            StepKind::Tone => "tone",
            StepKind::Serum => "serum",
            StepKind::Moisturise => "moisturise",
            StepKind::Oil => "oil",
            StepKind::Sunscreen => "sunscreen",
        }
    }
}

/// One step of a routine.
#[derive(Debug, Clone)]
pub struct RoutineStep {
    /// Kind of step.
    pub step: StepKind,
    /// What to do.
    pub text: String,
    /// Source.
    pub source: SourceRef,
    /// Restriction or category ids the step relies on.
    pub uses: Vec<String>,
    /// Skin types it is for (empty: everyone).
    pub skin: Vec<SkinType>,
    /// When it applies.
    pub window: Window,
}

/// What a restriction is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestrictionKind {
    /// Something you do (makeup, exercise, sun).
    Activity,
    /// An ingredient category.
    Ingredient,
    /// A kind of product (cleanser, your regular products).
    Product,
}

/// Something to hold off after treatment, and until when.
#[derive(Debug, Clone)]
pub struct Restriction {
    /// Category id or activity/product id.
    pub id: String,
    /// The category, for kind `ingredient`.
    pub category: Option<Category>,
    /// What it is about.
    pub kind: RestrictionKind,
    /// Human name.
    pub name: String,
    /// Not before this hour (hard limit).
    pub earliest: Hours,
    /// Recommended: hold off until this hour.
    pub until: Hours,
    /// Why.
    pub reason: String,
    /// What to do once it ends.
    pub after: Option<String>,
    /// Source.
    pub source: SourceRef,
    /// Product types it also holds back as a whole (any kind; see `spec::RestrictionSpec`).
    pub product_types: Vec<String>,
    /// Who it applies to.
    pub applies_to: ProfileFilter,
}

/// Which profiles a rule applies to; an empty list means "everyone".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFilter {
    /// Skin types.
    pub skin: Vec<SkinType>,
    /// Phototypes.
    pub fitzpatrick: Vec<Fitzpatrick>,
    /// Areas.
    pub areas: Vec<Area>,
}

impl ProfileFilter {
    /// Whether the rule applies to this profile. A filtered rule does not apply to a profile
    /// that does not say (no Fitzpatrick type given), except for areas (default: the face).
    pub fn matches(&self, profile: &Profile) -> bool {
        let skin = self.skin.is_empty() || self.skin.iter().any(|s| profile.skin.contains(s));
        let fitz = self.fitzpatrick.is_empty()
            || profile
                .fitzpatrick
                .is_some_and(|f| self.fitzpatrick.contains(&f));
        let areas = self.areas.is_empty()
            || profile
                .areas_or_face()
                .iter()
                .any(|a| self.areas.contains(a));
        skin && fitz && areas
    }
}

/// A category recommended from a given hour.
#[derive(Debug, Clone)]
pub struct Recommendation {
    /// The category.
    pub category: Category,
    /// Recommended from this hour.
    pub from: Hours,
    /// Why it helps.
    pub reason: String,
    /// Source.
    pub source: SourceRef,
}

/// A skin-type-dependent ingredient flag.
#[derive(Debug, Clone)]
pub struct SkinCaution {
    /// The flag category.
    pub category: Category,
    /// Skin types it applies to.
    pub skin: Vec<SkinType>,
    /// Lowest rating that counts.
    pub min_rating: Option<u8>,
    /// Why.
    pub reason: String,
    /// Source.
    pub source: SourceRef,
}

/// Advice for one skin type.
#[derive(Debug, Clone)]
pub struct SkinTypeAdvice {
    /// The skin type.
    pub skin: SkinType,
    /// One line.
    pub summary: String,
    /// Source.
    pub source: SourceRef,
    /// Tips.
    pub tips: Vec<Text>,
}

/// Advice for one treated area.
#[derive(Debug, Clone)]
pub struct AreaAdvice {
    /// The area.
    pub area: Area,
    /// Human name.
    pub name: String,
    /// Tips.
    pub tips: Vec<Text>,
}

/// Advice for a group of phototypes.
#[derive(Debug, Clone)]
pub struct FitzpatrickAdvice {
    /// The phototypes.
    pub types: Vec<Fitzpatrick>,
    /// Tips.
    pub tips: Vec<Text>,
}

/// A question and its answer.
#[derive(Debug, Clone, Serialize)]
pub struct Faq {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// Source.
    pub source: SourceRef,
}

/// A myth and the facts.
#[derive(Debug, Clone, Serialize)]
pub struct Myth {
    /// The myth.
    pub myth: String,
    /// The facts.
    pub fact: String,
    /// Source.
    pub source: SourceRef,
}

/// The treatment series.
#[derive(Debug, Clone)]
pub struct Series {
    /// Weeks to the next session.
    pub interval_weeks: u32,
    /// Allowed range for a practitioner's choice.
    pub min_interval_weeks: u32,
    /// Allowed range for a practitioner's choice.
    pub max_interval_weeks: u32,
    /// Source.
    pub source: SourceRef,
}

/// How products come back after treatment.
#[derive(Debug, Clone)]
pub struct Reintroduction {
    /// Hours between two newly reintroduced products.
    pub new_product_every: Hours,
    /// Source.
    pub source: SourceRef,
    /// After a flagged check-in, nothing new is added for this long.
    pub pause_after_flag: Hours,
    /// Source of the pause rule.
    pub pause_source: SourceRef,
    /// Paused-active categories from the gentlest to the strongest; the strongest comes back
    /// last. Categories not listed rank below every listed one.
    pub active_strength: Vec<Category>,
    /// Until this hour a retinoid and an exfoliating acid never share an evening.
    pub retinoid_and_acid_apart_until: Hours,
    /// Source of the active rules (order, apart evenings).
    pub actives_source: SourceRef,
}

impl Protocol {
    /// The restrictions that apply to `profile`, one per id: where several entries share an id
    /// (a stricter one for some profiles), the longest wait wins.
    pub fn restrictions_for(&self, profile: &Profile) -> Vec<&Restriction> {
        let mut chosen: Vec<&Restriction> = Vec::new();
        for restriction in self
            .restrictions
            .iter()
            .filter(|r| r.applies_to.matches(profile))
        {
            match chosen.iter_mut().find(|c| c.id == restriction.id) {
                Some(existing) if restriction.until > existing.until => *existing = restriction,
                Some(_) => {}
                None => chosen.push(restriction),
            }
        }
        chosen
    }

    /// The restriction on an ingredient category for `profile`, if any.
    pub fn category_restriction(
        &self,
        category: Category,
        profile: &Profile,
    ) -> Option<&Restriction> {
        self.restrictions_for(profile)
            .into_iter()
            .find(|r| r.category == Some(category))
    }

    /// The phase that contains `hour`.
    pub fn phase_at(&self, hour: Hours) -> &Phase {
        self.phases
            .iter()
            .find(|p| p.window.contains(hour))
            .unwrap_or_else(|| &self.phases[self.phases.len() - 1])
    }
}
