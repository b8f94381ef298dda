//! The personalised day-by-day plan (CONTRACT §6): which phase, which routine, what is
//! off-limits and until exactly when, what to expect and tips, for each recovery day.
//!
//! - `generate.rs`: protocol + treatment instant + profile → `Plan` (pure data, serialisable);
//! - `render.rs`: a `Plan` as terminal text or a printable Markdown handout.

mod generate;
mod render;

use serde::Serialize;

pub use generate::{MAX_PLAN_DAYS, PlanError, generate_plan};
pub use render::{render_markdown, render_text};

use crate::{
    Hours,
    profile::{Area, SkinType},
    protocol::{RestrictionKind, SourceRef},
};

/// A personalised plan. Serialises to the JSON of CONTRACT §6 (plus extra fields).
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// Which protocol made it.
    pub protocol: ProtocolIdentity,
    /// The treatment instant, RFC 3339 in the patient's zone.
    pub treated_at: String,
    /// The patient's IANA time zone (or fixed offset).
    pub time_zone: String,
    /// Who it is for.
    pub profile: PlanProfile,
    /// Every restriction that applies, with its boundaries in local time.
    pub restrictions: Vec<PlannedRestriction>,
    /// One entry per recovery day.
    pub days: Vec<PlanDay>,
    /// Advice for the patient's skin types.
    pub skin_advice: Vec<SourcedText>,
    /// How to apply products.
    pub application: Vec<SourcedText>,
    /// Always-shown notices.
    pub notices: PlanNotices,
    /// The next session of the series.
    pub next_session: NextSession,
}

/// The protocol's identity.
#[derive(Debug, Clone, Serialize)]
pub struct ProtocolIdentity {
    /// Stable id.
    pub id: String,
    /// Content version.
    pub version: String,
    /// Title.
    pub title: String,
}

/// The profile the plan was made for.
#[derive(Debug, Clone, Serialize)]
pub struct PlanProfile {
    /// Skin types.
    pub skin: Vec<SkinType>,
    /// Treated areas (the face when none was given).
    pub areas: Vec<Area>,
    /// Fitzpatrick phototype, 1-6.
    pub fitzpatrick: Option<u8>,
}

/// A text and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourcedText {
    /// What a person reads.
    pub text: String,
    /// "Guide: …" or "Reference: …".
    pub source: String,
}

/// A restriction with its boundaries as instants.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRestriction {
    /// Restriction id (CONTRACT §3).
    pub id: String,
    /// activity, ingredient or product.
    pub kind: RestrictionKind,
    /// Human name.
    pub name: String,
    /// Not before this hour.
    pub earliest_hours: Hours,
    /// Recommended from this hour.
    pub until_hours: Hours,
    /// `earliest_hours` as a local RFC 3339 instant.
    pub earliest: String,
    /// `until_hours` as a local RFC 3339 instant.
    pub until: String,
    /// `until` as people read it: "Sat 28 Nov, 15:00".
    pub until_local: String,
    /// Why.
    pub reason: String,
    /// What to do once it ends.
    pub after: Option<String>,
    /// Source.
    pub source: String,
}

/// One recovery day.
#[derive(Debug, Clone, Serialize)]
pub struct PlanDay {
    /// Day number, 1-based: day N covers hours [24(N-1), 24N).
    pub day: u32,
    /// Local date on which the day starts.
    pub date: String,
    /// The day's first instant (RFC 3339).
    pub starts: String,
    /// The first instant after the day (RFC 3339).
    pub ends: String,
    /// Phase id.
    pub phase: String,
    /// Phase name.
    pub phase_name: String,
    /// Morning routine, in application order.
    pub am: Vec<PlanStep>,
    /// Evening routine, in application order.
    pub pm: Vec<PlanStep>,
    /// What to expect.
    pub expect: Vec<String>,
    /// Restriction ids still in force at the start of the day (CONTRACT §6: until their end).
    pub avoid: Vec<String>,
    /// Of `avoid`, those already possible from the start of the day but better later (peptides
    /// on days 3-7: possible from 48 h, better from 168 h). An addition to CONTRACT §6: what
    /// is firmly off-limits is `avoid` without these.
    pub better_later: Vec<String>,
    /// Tips for the day.
    pub tips: Vec<String>,
    /// What changes during the day ("Makeup: fine from Sat 28 Nov, 15:00").
    pub milestones: Vec<String>,
    /// `expect`, `tips` and `milestones` with their sources.
    pub details: DayDetails,
}

impl PlanDay {
    /// The restrictions firmly off-limits at the start of the day: `avoid` without
    /// `better_later`.
    pub fn firmly_avoided(&self) -> Vec<String> {
        self.avoid
            .iter()
            .filter(|id| !self.better_later.contains(id))
            .cloned()
            .collect()
    }
}

/// The texts of a day with their sources.
#[derive(Debug, Clone, Serialize)]
pub struct DayDetails {
    /// What to expect.
    pub expect: Vec<SourcedText>,
    /// Tips.
    pub tips: Vec<SourcedText>,
    /// What changes during the day, each with the source of its restriction.
    pub milestones: Vec<SourcedText>,
}

/// A routine step.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStep {
    /// Step kind id: cleanse, tone, serum, moisturise, oil, sunscreen.
    pub step: &'static str,
    /// What to do.
    pub text: String,
    /// Source.
    pub source: String,
}

/// Always-shown notices.
#[derive(Debug, Clone, Serialize)]
pub struct PlanNotices {
    /// What to do in an emergency.
    pub emergency: SourcedText,
    /// When to contact the practitioner.
    pub contact: SourcedText,
    /// The plan supports the practitioner; it does not replace them.
    pub disclaimer: SourcedText,
}

/// The next session of the series.
#[derive(Debug, Clone, Serialize)]
pub struct NextSession {
    /// Weeks after this treatment.
    pub interval_weeks: u32,
    /// The suggested date (local RFC 3339).
    pub at: String,
    /// Source.
    pub source: String,
}

impl SourcedText {
    /// A protocol text with its citation: the shape every output gives a sourced text in
    /// (`{"text", "source"}`).
    pub fn of(text: &crate::protocol::Text) -> SourcedText {
        SourcedText {
            text: text.text.clone(),
            source: citation(&text.source),
        }
    }
}

fn citation(source: &SourceRef) -> String {
    source.citation.clone()
}
