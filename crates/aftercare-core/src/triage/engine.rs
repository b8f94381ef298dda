//! Judging a check-in: a pure function of the rules and the check-in. The level is the highest
//! rule that fired; every rule that fired is a reason; the advice starts with what to do at
//! that level, then each reason's advice, highest tier first, without repeats.
//!
//! How a check-in is read:
//! - a symptom is present when it is ticked or rated 1 or more; a temperature at or above the
//!   protocol's fever threshold is `fever`, ticked or not;
//! - a rule fires when the check-in falls in its window, its conditions hold and (if it has
//!   trigger symptoms) at least one trigger is present and passes its rating conditions;
//! - reassurance about a symptom gives way when a warning rule about it fired: "fading
//!   redness is normal" is not said next to "redness getting worse";
//! - a finding that no rule explains at this hour (a symptom, or a discharge) is never
//!   reassured: it gets the protocol's `unexplained` reason (contact the practitioner);
//! - reassurance (the advice of expected rules) is shown only when the level is at most
//!   `contact_practitioner`, and what is normal now and what comes next only when the whole
//!   check-in is expected: at a higher level it would distract from what to do;
//! - at `urgent` and `emergency` the advice is that level's only (a lower tier's "be seen
//!   today" or "if you also get a fever …" would contradict "call the emergency number now").
//!
//! What does not belong here: reading JSON (`check_in.rs`) and validating rules (`rules.rs`).

use std::{cmp::Reverse, collections::BTreeSet};

use serde::{Serialize, Serializer};

use super::{
    check_in::{CheckIn, Report},
    rules::{Rule, TriageRules},
    vocabulary::{Discharge, Level, Symptom},
};
use crate::{Hours, protocol::SourceRef};

/// The outcome of one check-in (CONTRACT §5 output, with a few more fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriageResult {
    /// The check-in's id, echoed back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<serde_json::Value>,
    /// The highest level of any reason (`expected` when nothing fired).
    pub level: Level,
    /// Every rule that fired, highest level first.
    pub reasons: Vec<Reason>,
    /// What to do, highest tier first, without repeats.
    pub advice: Vec<String>,
    /// Whole hours since the treatment.
    pub hours_since_treatment: u32,
    /// Recovery day (day 1 is the first 24 hours).
    pub day: u32,
}

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// The rule's stable code.
    pub code: String,
    /// The rule's level.
    pub level: Level,
    /// What the rule says about this check-in.
    pub message: String,
    /// The reported symptoms it is about.
    pub symptoms: Vec<Symptom>,
    /// Where the rule comes from.
    #[serde(serialize_with = "citation")]
    pub source: SourceRef,
    /// Further sources.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "citations")]
    pub see_also: Vec<SourceRef>,
}

fn citation<S: Serializer>(source: &SourceRef, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&source.citation)
}

fn citations<S: Serializer>(sources: &[SourceRef], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(sources.iter().map(|s| s.citation.as_str()))
}

/// A rule that fired and the trigger symptoms it fired for.
struct Fired<'r> {
    rule: &'r Rule,
    triggers: Vec<Symptom>,
}

/// A reason with the advice that goes with it.
struct Finding<'a> {
    reason: Reason,
    advice: &'a str,
}

/// Judges one check-in against `rules`.
pub fn triage_check_in(rules: &TriageRules, check_in: &CheckIn) -> TriageResult {
    let hours = check_in.hours_since_treatment();
    let report = check_in.report();
    let present = report.present(rules.fever_from_c());
    let mut fired: Vec<Fired<'_>> = rules
        .rules()
        .iter()
        .filter_map(|rule| fire(rule, &present, check_in))
        .collect();

    let mut warned: BTreeSet<Symptom> = BTreeSet::new();
    let mut explained: BTreeSet<Symptom> = BTreeSet::new();
    let mut discharge_explained = false;
    for f in &fired {
        if f.rule.level > Level::Expected {
            warned.extend(
                f.triggers
                    .iter()
                    .chain(&f.rule.all_of)
                    .chain(&f.rule.also_covers),
            );
        }
        // A rule that needs co-symptoms does not explain a symptom on its own: without the
        // co-symptom, the same symptom would have to be explained by some other rule.
        if f.rule.all_of.is_empty() {
            explained.extend(&f.triggers);
        }
        discharge_explained |= !f.rule.discharge.is_empty();
    }
    for f in fired.iter_mut().filter(|f| f.rule.level == Level::Expected) {
        f.triggers.retain(|s| !warned.contains(s));
    }
    fired.retain(|f| {
        f.rule.level > Level::Expected || f.rule.any_of.is_empty() || !f.triggers.is_empty()
    });

    let whole_hours = hours.floor() as u32;
    let day = Hours(whole_hours).day();
    let mut findings: Vec<Finding<'_>> = fired
        .iter()
        .map(|f| Finding {
            reason: Reason {
                code: f.rule.code.clone(),
                level: f.rule.level,
                message: render(&f.rule.message, &names(&f.triggers), day),
                symptoms: f.triggers.clone(),
                source: f.rule.source.clone(),
                see_also: f.rule.also.clone(),
            },
            advice: &f.rule.advice,
        })
        .collect();

    let unexplained: Vec<Symptom> = present
        .iter()
        .copied()
        .filter(|s| !explained.contains(s))
        .collect();
    let discharge_unexplained = report.discharge() != Discharge::None && !discharge_explained;
    if !unexplained.is_empty() || discharge_unexplained {
        let net = rules.unexplained();
        let mut what = names(&unexplained);
        if discharge_unexplained {
            what.push(format!("{} discharge", report.discharge()));
        }
        findings.push(Finding {
            reason: Reason {
                code: net.code.clone(),
                level: net.level,
                message: render(&net.message, &what, day),
                symptoms: unexplained,
                source: net.source.clone(),
                see_also: Vec::new(),
            },
            advice: &net.advice,
        });
    }
    findings.sort_by_key(|f| Reverse(f.reason.level));

    let level = findings
        .iter()
        .map(|f| f.reason.level)
        .max()
        .unwrap_or(Level::Expected);
    let mut advice: Vec<String> = vec![rules.guidance(level).action.clone()];
    for finding in &findings {
        // At `urgent` and `emergency` only that level's advice: "be seen today" or "if you also
        // get a fever, call …" next to "call the emergency number now" could make a patient wait.
        let shown = if level >= Level::Urgent {
            finding.reason.level == level
        } else {
            finding.reason.level > Level::Expected || level <= Level::ContactPractitioner
        };
        if shown && !advice.iter().any(|a| a == finding.advice) {
            advice.push(finding.advice.to_owned());
        }
    }
    if level == Level::Expected
        && let Some(outlook) = rules.outlook_at(hours)
        && !advice.contains(&outlook.text)
    {
        advice.push(outlook.text.clone());
    }

    TriageResult {
        id: check_in.id().cloned(),
        level,
        reasons: findings.into_iter().map(|f| f.reason).collect(),
        advice,
        hours_since_treatment: whole_hours,
        day,
    }
}

/// The rule, with the triggers it fired for, if it fires on this check-in.
fn fire<'r>(rule: &'r Rule, present: &BTreeSet<Symptom>, check_in: &CheckIn) -> Option<Fired<'r>> {
    let report = check_in.report();
    let holds = rule.applies_at(check_in.hours_since_treatment())
        && rule.all_of.iter().all(|s| present.contains(s))
        && !rule.none_of.iter().any(|s| present.contains(s))
        && rule
            .temperature_at_least
            .is_none_or(|min| report.temperature_c().is_some_and(|t| t >= min))
        && (rule.discharge.is_empty() || rule.discharge.contains(&report.discharge()));
    if !holds {
        return None;
    }
    let triggers: Vec<Symptom> = rule
        .any_of
        .iter()
        .copied()
        .filter(|s| present.contains(s) && rating_holds(rule, *s, report))
        .filter(|s| !rule.rising || is_rising(rule, *s, check_in))
        .collect();
    if !rule.any_of.is_empty() && triggers.is_empty() {
        return None;
    }
    Some(Fired { rule, triggers })
}

fn rating_holds(rule: &Rule, symptom: Symptom, report: &Report) -> bool {
    let rating = report.rating(symptom);
    rule.rating_at_least
        .is_none_or(|least| rating.is_some_and(|r| r >= least))
        && rule
            .rating_at_most
            .is_none_or(|most| rating.is_none_or(|r| r <= most))
}

/// Whether `symptom` is rated higher now than at the latest earlier check-in that rated it,
/// both check-ins falling in the rule's window.
fn is_rising(rule: &Rule, symptom: Symptom, check_in: &CheckIn) -> bool {
    let Some(now) = check_in.report().rating(symptom) else {
        return false;
    };
    let hours = check_in.hours_since_treatment();
    check_in
        .history()
        .iter()
        .rev()
        .filter(|past| past.hours() < hours && rule.applies_at(past.hours()))
        .find_map(|past| past.report().rating(symptom))
        .is_some_and(|before| now > before)
}

fn names(symptoms: &[Symptom]) -> Vec<String> {
    symptoms.iter().map(|s| s.name()).collect()
}

/// Fills `{symptoms}` ("a, b and c") and `{day}` into a message.
fn render(template: &str, what: &[String], day: u32) -> String {
    template
        .replace("{symptoms}", &crate::words::join(what, "and"))
        .replace("{day}", &day.to_string())
}
