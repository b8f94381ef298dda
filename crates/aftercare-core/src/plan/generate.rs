//! Protocol + treatment instant + profile → `Plan`. Pure: the treatment instant and its time
//! zone come in as a `ZonedDateTime`; boundaries are elapsed hours from it (CONTRACT §1).

use jiff::{ToSpan, ZonedDateTime};

use super::*;
use crate::{
    instant::{format_local, format_rfc3339},
    profile::Profile,
    protocol::{Protocol, Restriction, RoutineStep, Text, Window},
};

/// The longest plan, in days.
pub const MAX_PLAN_DAYS: u32 = 366;

/// Why a plan could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// The number of days is outside 1..=366.
    #[error("--days must be between 1 and {MAX_PLAN_DAYS}, not {0}")]
    Days(u32),
}

/// Makes the plan for a treatment at `treated_at` (in the patient's zone) and `profile`, for
/// `days` recovery days.
pub fn generate_plan(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
    profile: &Profile,
    days: u32,
) -> Result<Plan, PlanError> {
    if days == 0 || days > MAX_PLAN_DAYS {
        return Err(PlanError::Days(days));
    }
    let instant = treated_at.timestamp();
    let tz = treated_at.time_zone().clone();
    let at = |hours: Hours| hours.after(instant, &tz);
    let restrictions = protocol.restrictions_for(profile);

    let planned = restrictions
        .iter()
        .map(|r| PlannedRestriction {
            id: r.id.clone(),
            kind: r.kind,
            name: r.name.clone(),
            earliest_hours: r.earliest,
            until_hours: r.until,
            earliest: format_rfc3339(&at(r.earliest)),
            until: format_rfc3339(&at(r.until)),
            until_local: format_local(&at(r.until)),
            reason: r.reason.clone(),
            after: r.after.clone(),
            source: citation(&r.source),
        })
        .collect();

    let plan_days = (1..=days)
        .map(|day| plan_day(protocol, profile, &restrictions, day, &at))
        .collect();

    let skin_advice = protocol
        .skin_types
        .iter()
        .filter(|advice| profile.skin.contains(&advice.skin))
        .map(|advice| SourcedText {
            text: advice.summary.clone(),
            source: citation(&advice.source),
        })
        .collect();

    let next = treated_at
        .checked_add((protocol.series.interval_weeks as i64).weeks())
        .unwrap_or_else(|_| treated_at.clone());

    Ok(Plan {
        protocol: ProtocolIdentity {
            id: protocol.id.clone(),
            version: protocol.version.clone(),
            title: protocol.title.clone(),
        },
        treated_at: format_rfc3339(treated_at),
        time_zone: tz
            .iana_name()
            .map_or_else(|| format_offset(treated_at), str::to_owned),
        profile: PlanProfile {
            skin: profile.skin.clone(),
            areas: profile.areas_or_face(),
            fitzpatrick: profile.fitzpatrick.map(|f| f.number()),
        },
        restrictions: planned,
        days: plan_days,
        skin_advice,
        application: protocol.application.iter().map(SourcedText::of).collect(),
        notices: PlanNotices {
            emergency: SourcedText::of(&protocol.notices.emergency),
            contact: SourcedText::of(&protocol.notices.contact),
            disclaimer: SourcedText::of(&protocol.notices.disclaimer),
        },
        next_session: NextSession {
            interval_weeks: protocol.series.interval_weeks,
            at: format_rfc3339(&next),
            source: citation(&protocol.series.source),
        },
    })
}

fn format_offset(at: &ZonedDateTime) -> String {
    at.strftime("%:z").to_string()
}

fn plan_day(
    protocol: &Protocol,
    profile: &Profile,
    restrictions: &[&Restriction],
    day: u32,
    at: &dyn Fn(Hours) -> ZonedDateTime,
) -> PlanDay {
    let start = Hours::start_of_day(day);
    let end = Hours::start_of_day(day + 1);
    let phase = protocol.phase_at(start);
    let routine = |steps: &[RoutineStep]| -> Vec<PlanStep> {
        steps
            .iter()
            .filter(|s| s.window.contains(start))
            .filter(|s| s.skin.is_empty() || s.skin.iter().any(|k| profile.skin.contains(k)))
            .map(|s| PlanStep {
                step: s.step.id(),
                text: s.text.clone(),
                source: citation(&s.source),
            })
            .collect()
    };

    let in_day = |text: &&Text| text.window.overlaps(start, end);
    let expect: Vec<SourcedText> = phase
        .expect
        .iter()
        .filter(in_day)
        .map(SourcedText::of)
        .collect();
    let mut tips: Vec<SourcedText> = phase
        .tips
        .iter()
        .filter(in_day)
        .map(SourcedText::of)
        .collect();
    for advice in protocol
        .skin_types
        .iter()
        .filter(|a| profile.skin.contains(&a.skin))
    {
        tips.extend(advice.tips.iter().filter(in_day).map(SourcedText::of));
    }
    for area in profile.areas_or_face() {
        for advice in protocol.areas.iter().filter(|a| a.area == area) {
            tips.extend(advice.tips.iter().filter(in_day).map(SourcedText::of));
        }
    }
    if let Some(fitzpatrick) = profile.fitzpatrick {
        for advice in protocol
            .fitzpatrick
            .iter()
            .filter(|a| a.types.contains(&fitzpatrick))
        {
            tips.extend(advice.tips.iter().filter(in_day).map(SourcedText::of));
        }
    }
    dedup_texts(&mut tips);

    let avoid = restrictions
        .iter()
        .filter(|r| r.until > start)
        .map(|r| r.id.clone())
        .collect();
    let better_later = restrictions
        .iter()
        .filter(|r| r.earliest <= start && r.until > start)
        .map(|r| r.id.clone())
        .collect();
    let sourced_milestones: Vec<SourcedText> = restrictions
        .iter()
        .flat_map(|r| {
            let source = r.source.citation.clone();
            milestones_of(r, start, end, at)
                .into_iter()
                .map(move |text| SourcedText {
                    text,
                    source: source.clone(),
                })
        })
        .collect();

    PlanDay {
        day,
        date: at(start).date().to_string(),
        starts: format_rfc3339(&at(start)),
        ends: format_rfc3339(&at(end)),
        phase: phase.id.clone(),
        phase_name: phase.name.clone(),
        am: routine(&phase.am),
        pm: routine(&phase.pm),
        expect: expect.iter().map(|t| t.text.clone()).collect(),
        avoid,
        better_later,
        tips: tips.iter().map(|t| t.text.clone()).collect(),
        milestones: sourced_milestones.iter().map(|t| t.text.clone()).collect(),
        details: DayDetails {
            expect,
            tips,
            milestones: sourced_milestones,
        },
    }
}

/// What a restriction changes during [start, end): when it becomes possible and when it is fine.
fn milestones_of(
    restriction: &Restriction,
    start: Hours,
    end: Hours,
    at: &dyn Fn(Hours) -> ZonedDateTime,
) -> Vec<String> {
    let inside = |hour: Hours| {
        hour > Hours::ZERO
            && Window {
                from: start,
                until: Some(end),
            }
            .contains(hour)
    };
    let mut out = Vec::new();
    if restriction.earliest < restriction.until && inside(restriction.earliest) {
        out.push(format!(
            "{}: possible from {}, better from {}",
            restriction.name,
            format_local(&at(restriction.earliest)),
            format_local(&at(restriction.until))
        ));
    }
    if inside(restriction.until) {
        let then = restriction
            .after
            .as_deref()
            .map(|a| format!(" {a}"))
            .unwrap_or_default();
        // An activity's pause ends; it does not become "fine" (the sun never does: its `after`
        // says what still holds). An ingredient or product is fine from then, as the checker says.
        let lifted = match restriction.kind {
            RestrictionKind::Activity => "the pause ends",
            RestrictionKind::Ingredient | RestrictionKind::Product => "fine from",
        };
        out.push(format!(
            "{}: {lifted} {}.{then}",
            restriction.name,
            format_local(&at(restriction.until))
        ));
    }
    out
}

fn dedup_texts(texts: &mut Vec<SourcedText>) {
    let mut seen = std::collections::HashSet::new();
    texts.retain(|t| seen.insert(t.text.clone()));
}
