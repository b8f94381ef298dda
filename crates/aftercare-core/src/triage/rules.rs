//! Validated triage rules: `TriageSpec` → `TriageRules`. Every check names what is wrong and
//! where (through `ValidationContext`, so errors carry file, line and column): unknown symptom
//! ids and levels, empty windows, rating thresholds outside 0-10, duplicate codes, conditions
//! that could make adding a symptom lower the level, and, last, the safety floor: a protocol
//! may tighten the CONTRACT §5 rules but never under-triage one of its red flags (`floor.rs`).
//!
//! What does not belong here: judging a check-in (`engine.rs`).

use std::ops::Range;

use toml::Spanned;

use super::{
    check_in::Rating,
    floor,
    spec::{LevelSpec, RuleSpec, TriageSpec, UnexplainedSpec},
    vocabulary::{Discharge, Level, Symptom},
};
use crate::{
    Hours,
    protocol::{SourceRef, SpecError, Text, ValidationContext, Window},
};

/// The fever threshold of CONTRACT §5 (°C): a protocol may lower it, never raise it.
pub const CONTRACT_FEVER_FROM_C: f64 = 38.0;

/// The lowest fever threshold a protocol may set (°C): below it, normal temperatures would
/// count as fever.
const LOWEST_FEVER_FROM_C: f64 = 37.0;

/// The placeholders a message may use.
const PLACEHOLDERS: [&str; 2] = ["{symptoms}", "{day}"];

/// Validated triage rules: the `[triage]` section of a protocol.
#[derive(Debug, Clone)]
pub struct TriageRules {
    fever_from_c: f64,
    levels: Vec<LevelGuidance>,
    unexplained: UnexplainedRule,
    outlook: Vec<Text>,
    rules: Vec<Rule>,
}

/// What to do at one level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelGuidance {
    /// The level.
    pub level: Level,
    /// The headline a person reads ("Contact your practitioner").
    pub label: String,
    /// What to do: the first line of the advice at this level.
    pub action: String,
    /// Source.
    pub source: SourceRef,
}

/// The safety net: what a finding gets when no rule explains it at this hour.
#[derive(Debug, Clone, PartialEq)]
pub struct UnexplainedRule {
    /// Stable code.
    pub code: String,
    /// Its level (`contact_practitioner` or higher).
    pub level: Level,
    /// Message template (`{symptoms}`, `{day}`).
    pub message: String,
    /// What to do.
    pub advice: String,
    /// Source.
    pub source: SourceRef,
}

/// One triage rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Stable code.
    pub code: String,
    /// The level it gives when it fires.
    pub level: Level,
    /// Trigger symptoms: the rule fires for each one present (empty: no symptom needed).
    pub any_of: Vec<Symptom>,
    /// Co-symptoms that must all be present.
    pub all_of: Vec<Symptom>,
    /// Symptoms that must be absent.
    pub none_of: Vec<Symptom>,
    /// Symptoms the rule speaks for besides its triggers.
    pub also_covers: Vec<Symptom>,
    /// When, in hours after treatment, the rule applies.
    pub window: Window,
    /// A trigger counts only when rated at least this.
    pub rating_at_least: Option<Rating>,
    /// A trigger counts only when unrated or rated at most this.
    pub rating_at_most: Option<Rating>,
    /// A trigger counts only when rated higher than at the previous check-in that rated it,
    /// both check-ins in the window.
    pub rising: bool,
    /// The measured temperature must be at least this (°C).
    pub temperature_at_least: Option<f64>,
    /// The discharge must be one of these (empty: any).
    pub discharge: Vec<Discharge>,
    /// Message template (`{symptoms}`, `{day}`).
    pub message: String,
    /// What to do.
    pub advice: String,
    /// Where the rule comes from.
    pub source: SourceRef,
    /// Further sources.
    pub also: Vec<SourceRef>,
}

/// Whether fractional `hours` falls inside `window` ([from, until)).
pub(crate) fn window_contains(window: &Window, hours: f64) -> bool {
    hours >= f64::from(window.from.0) && window.until.is_none_or(|until| hours < f64::from(until.0))
}

impl Rule {
    /// Whether the rule applies `hours` after treatment.
    pub fn applies_at(&self, hours: f64) -> bool {
        window_contains(&self.window, hours)
    }

    /// Whether the rule fires on nothing but its triggers being present: no co-symptoms, no
    /// absent symptoms and no rating, trend, temperature or discharge condition.
    pub fn is_unconditional(&self) -> bool {
        !self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.none_of.is_empty()
            && self.rating_at_least.is_none()
            && self.rating_at_most.is_none()
            && !self.rising
            && self.temperature_at_least.is_none()
            && self.discharge.is_empty()
    }
}

impl TriageRules {
    /// Validates the `[triage]` section of a protocol.
    pub fn from_spec(spec: &TriageSpec, ctx: &ValidationContext<'_>) -> Result<Self, SpecError> {
        let fever_from_c = *spec.fever_from_c.get_ref();
        if !(LOWEST_FEVER_FROM_C..=CONTRACT_FEVER_FROM_C).contains(&fever_from_c) {
            return Err(ctx.error(
                spec.fever_from_c.span(),
                format!(
                    "fever_from_c {fever_from_c} must lie in {LOWEST_FEVER_FROM_C}-{CONTRACT_FEVER_FROM_C} °C: \
                     a temperature of {CONTRACT_FEVER_FROM_C} °C or more is always a fever (CONTRACT §5)"
                ),
            ));
        }
        let levels = validate_levels(&spec.levels, ctx)?;
        let outlook = validate_outlook(spec, ctx)?;
        let mut rules: Vec<Rule> = Vec::with_capacity(spec.rules.get_ref().len());
        let mut codes: Vec<&str> = Vec::new();
        for rule_spec in spec.rules.get_ref() {
            let rule = validate_rule(rule_spec, ctx)?;
            if codes.contains(&rule.code.as_str()) {
                return Err(ctx.error(
                    rule_spec.code.span(),
                    format!("rule code '{}' is used twice", rule.code),
                ));
            }
            codes.push(rule_spec.code.get_ref().as_str());
            rules.push(rule);
        }
        let unexplained = validate_unexplained(&spec.unexplained, ctx)?;
        if codes.contains(&unexplained.code.as_str()) {
            return Err(ctx.error(
                spec.unexplained.code.span(),
                format!("code '{}' is already used by a rule", unexplained.code),
            ));
        }
        check_monotonic(&rules, spec, ctx)?;
        let triage = TriageRules {
            fever_from_c,
            levels,
            unexplained,
            outlook,
            rules,
        };
        floor::check(&triage).map_err(|violation| {
            // Point at a rule that gives the red flag too low a level, if there is one.
            let culprit = spec
                .rules
                .get_ref()
                .iter()
                .zip(&triage.rules)
                .find(|(_, rule)| {
                    rule.level < violation.floor
                        && rule.applies_at(violation.hours)
                        && rule.any_of.iter().any(|s| violation.symptoms.contains(s))
                });
            let span = culprit.map_or(spec.rules.span(), |(rule_spec, _)| rule_spec.level.span());
            ctx.error(span, violation.to_string())
        })?;
        Ok(triage)
    }

    /// A measured temperature at or above this (°C) counts as fever.
    pub fn fever_from_c(&self) -> f64 {
        self.fever_from_c
    }

    /// The rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Every hour at which a rule's window starts or ends, with 0, sorted: between two of
    /// them, the same rules apply, so checking a case at these hours (and just before them)
    /// checks it at every hour.
    pub fn window_bounds(&self) -> Vec<u32> {
        let mut bounds: Vec<u32> = vec![0];
        for rule in &self.rules {
            bounds.push(rule.window.from.0);
            bounds.extend(rule.window.until.map(|until| until.0));
        }
        bounds.sort_unstable();
        bounds.dedup();
        bounds
    }

    /// What to do at `level`.
    pub fn guidance(&self, level: Level) -> &LevelGuidance {
        // Validation guarantees one entry per level, in level order.
        &self.levels[Level::ALL.iter().position(|l| *l == level).unwrap_or(0)]
    }

    /// The safety net for findings no rule explains.
    pub fn unexplained(&self) -> &UnexplainedRule {
        &self.unexplained
    }

    /// What is normal now and what comes next, `hours` after treatment.
    pub fn outlook_at(&self, hours: f64) -> Option<&Text> {
        self.outlook
            .iter()
            .find(|text| window_contains(&text.window, hours))
    }

    /// Every outlook text, in order of hours.
    pub fn outlook(&self) -> &[Text] {
        &self.outlook
    }
}

fn validate_levels(
    specs: &Spanned<Vec<LevelSpec>>,
    ctx: &ValidationContext<'_>,
) -> Result<Vec<LevelGuidance>, SpecError> {
    let mut found: Vec<LevelGuidance> = Vec::new();
    for spec in specs.get_ref() {
        let level = level(&spec.id, ctx)?;
        if found.iter().any(|g| g.level == level) {
            return Err(ctx.error(spec.id.span(), format!("level '{level}' is listed twice")));
        }
        found.push(LevelGuidance {
            level,
            label: non_empty(&spec.label, "label", spec.id.span(), ctx)?,
            action: non_empty(&spec.action, "action", spec.id.span(), ctx)?,
            source: ctx.source(&spec.source)?,
        });
    }
    let mut levels = Vec::with_capacity(Level::ALL.len());
    for wanted in Level::ALL {
        let index = found
            .iter()
            .position(|g| g.level == *wanted)
            .ok_or_else(|| {
                ctx.error(
                    specs.span(),
                    format!("[[triage.levels]] has no entry for '{wanted}'"),
                )
            })?;
        levels.push(found.swap_remove(index));
    }
    Ok(levels)
}

fn validate_outlook(
    spec: &TriageSpec,
    ctx: &ValidationContext<'_>,
) -> Result<Vec<Text>, SpecError> {
    let mut outlook: Vec<Text> = Vec::new();
    for text_spec in spec.outlook.get_ref() {
        let text = ctx.text(text_spec)?;
        let span = text_spec
            .from_hours
            .as_ref()
            .map_or(spec.outlook.span(), |f| f.span());
        let expected_start = outlook.last().and_then(|t| t.window.until);
        match (outlook.last(), expected_start) {
            (Some(_), None) => {
                return Err(ctx.error(span, "an outlook after one that never ends is never shown"));
            }
            (previous, start) if text.window.from != start.unwrap_or(Hours::ZERO) => {
                let start = start.unwrap_or(Hours::ZERO);
                let relation = if previous.is_none() {
                    "the first outlook must start at 0 h".to_owned()
                } else {
                    format!("it must start where the previous one ends, at {start}")
                };
                return Err(ctx.error(
                    span,
                    format!("outlook starts at {}: {relation}", text.window.from),
                ));
            }
            _ => {}
        }
        if text.text.is_empty() {
            return Err(ctx.error(span, "an outlook needs a text"));
        }
        outlook.push(text);
    }
    if outlook.last().is_none_or(|t| t.window.until.is_some()) {
        return Err(ctx.error(
            spec.outlook.span(),
            "[[triage.outlook]] must cover every hour from 0 h on: the last one must not end",
        ));
    }
    Ok(outlook)
}

fn validate_unexplained(
    spec: &UnexplainedSpec,
    ctx: &ValidationContext<'_>,
) -> Result<UnexplainedRule, SpecError> {
    let level = level(&spec.level, ctx)?;
    if level < Level::ContactPractitioner {
        return Err(ctx.error(
            spec.level.span(),
            "[triage.unexplained] must be at least 'contact_practitioner': a finding that no rule \
             explains is never reassured",
        ));
    }
    Ok(UnexplainedRule {
        code: code(&spec.code, ctx)?,
        level,
        message: message(&spec.message, ctx)?,
        advice: non_empty(&spec.advice, "advice", spec.code.span(), ctx)?,
        source: ctx.source(&spec.source)?,
    })
}

fn validate_rule(spec: &RuleSpec, ctx: &ValidationContext<'_>) -> Result<Rule, SpecError> {
    let code = code(&spec.code, ctx)?;
    let level = level(&spec.level, ctx)?;
    let any_of = symptoms(&spec.any_of, ctx)?;
    let all_of = symptoms(&spec.all_of, ctx)?;
    let none_of = symptoms(&spec.none_of, ctx)?;
    let also_covers = symptoms(&spec.also_covers, ctx)?;
    for (list, name) in [(&spec.any_of, "any_of"), (&spec.all_of, "all_of")] {
        if let Some(clash) = list
            .iter()
            .find(|s| spec.none_of.iter().any(|n| n.get_ref() == s.get_ref()))
        {
            return Err(ctx.error(
                clash.span(),
                format!(
                    "rule '{code}': '{}' is both in {name} and in none_of, so it never fires",
                    clash.get_ref()
                ),
            ));
        }
    }
    let window = ctx.window(spec.from_hours.as_ref(), spec.until_hours.as_ref())?;
    let rating_at_least = spec
        .rating_at_least
        .as_ref()
        .map(|r| rating(r, ctx))
        .transpose()?;
    let rating_at_most = spec
        .rating_at_most
        .as_ref()
        .map(|r| rating(r, ctx))
        .transpose()?;
    let temperature_at_least = match &spec.temperature_at_least {
        Some(t) if !(30.0..=45.0).contains(t.get_ref()) => {
            return Err(ctx.error(
                t.span(),
                format!("temperature_at_least {} must lie in 30-45 °C", t.get_ref()),
            ));
        }
        Some(t) => Some(*t.get_ref()),
        None => None,
    };
    let mut discharge = Vec::new();
    for given in &spec.discharge {
        match given.get_ref().parse::<Discharge>() {
            Ok(Discharge::None) | Err(_) => {
                return Err(ctx.error(
                    given.span(),
                    format!(
                        "discharge '{}' must be clear, yellow or green",
                        given.get_ref()
                    ),
                ));
            }
            Ok(d) => discharge.push(d),
        }
    }
    let has_trigger = !any_of.is_empty() || !discharge.is_empty() || temperature_at_least.is_some();
    if !has_trigger {
        return Err(ctx.error(
            spec.code.span(),
            format!("rule '{code}' needs a trigger: any_of, discharge or temperature_at_least"),
        ));
    }
    let rating_condition = rating_at_least.is_some() || rating_at_most.is_some() || spec.rising;
    if rating_condition && any_of.is_empty() {
        return Err(ctx.error(
            spec.code.span(),
            format!(
                "rule '{code}': rating conditions apply to the any_of symptoms, and it has none"
            ),
        ));
    }
    if let (Some(least), Some(most)) = (rating_at_least, rating_at_most)
        && least > most
    {
        return Err(ctx.error(
            spec.code.span(),
            format!(
                "rule '{code}': rating_at_least {} is above rating_at_most {}",
                least.value(),
                most.value()
            ),
        ));
    }
    if level > Level::Expected
        && let Some(most) = &spec.rating_at_most
    {
        return Err(ctx.error(
            most.span(),
            format!(
                "rule '{code}': rating_at_most is only for expected rules: a warning must not switch off \
                 as a rating rises"
            ),
        ));
    }
    if level == Level::Expected
        && let Some(first) = spec.all_of.first()
    {
        return Err(ctx.error(
            first.span(),
            format!(
                "rule '{code}': an expected rule cannot require co-symptoms (all_of): reporting one more \
                 symptom must never turn a warning into reassurance"
            ),
        ));
    }
    Ok(Rule {
        code,
        level,
        any_of,
        all_of,
        none_of,
        also_covers,
        window,
        rating_at_least,
        rating_at_most,
        rising: spec.rising,
        temperature_at_least,
        discharge,
        message: message(&spec.message, ctx)?,
        advice: non_empty(&spec.advice, "advice", spec.code.span(), ctx)?,
        source: ctx.source(&spec.source)?,
        also: spec
            .also
            .iter()
            .map(|s| ctx.source(s))
            .collect::<Result<_, _>>()?,
    })
}

/// A warning rule that switches off when symptom S appears (`none_of`) must be replaced by an
/// unconditional rule for S at the same level or higher over the same hours; otherwise adding
/// S would lower the level.
fn check_monotonic(
    rules: &[Rule],
    spec: &TriageSpec,
    ctx: &ValidationContext<'_>,
) -> Result<(), SpecError> {
    for (rule, rule_spec) in rules.iter().zip(spec.rules.get_ref()) {
        if rule.level == Level::Expected {
            continue;
        }
        for (absent, absent_spec) in rule.none_of.iter().zip(&rule_spec.none_of) {
            let replaced = rules.iter().any(|other| {
                other.is_unconditional()
                    && other.level >= rule.level
                    && other.any_of.contains(absent)
                    && other.window.from <= rule.window.from
                    && match (other.window.until, rule.window.until) {
                        (None, _) => true,
                        (Some(_), None) => false,
                        (Some(a), Some(b)) => a >= b,
                    }
            });
            if !replaced {
                return Err(ctx.error(
                    absent_spec.span(),
                    format!(
                        "rule '{}' switches off when '{absent}' is present, but no rule for '{absent}' alone \
                         gives '{}' or higher over the same hours: adding a symptom would lower the level",
                        rule.code, rule.level
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn level(id: &Spanned<String>, ctx: &ValidationContext<'_>) -> Result<Level, SpecError> {
    id.get_ref()
        .parse()
        .map_err(|e: crate::vocabulary::UnknownId| ctx.error(id.span(), e.to_string()))
}

fn symptoms(
    ids: &[Spanned<String>],
    ctx: &ValidationContext<'_>,
) -> Result<Vec<Symptom>, SpecError> {
    let mut symptoms: Vec<Symptom> = Vec::with_capacity(ids.len());
    for id in ids {
        let symptom: Symptom = id
            .get_ref()
            .parse()
            .map_err(|e: crate::vocabulary::UnknownId| ctx.error(id.span(), e.to_string()))?;
        if symptoms.contains(&symptom) {
            return Err(ctx.error(id.span(), format!("symptom '{symptom}' is listed twice")));
        }
        symptoms.push(symptom);
    }
    Ok(symptoms)
}

fn rating(value: &Spanned<i64>, ctx: &ValidationContext<'_>) -> Result<Rating, SpecError> {
    u8::try_from(*value.get_ref())
        .ok()
        .and_then(Rating::new)
        .ok_or_else(|| {
            ctx.error(
                value.span(),
                format!("rating {} is outside 0-10", value.get_ref()),
            )
        })
}

fn code(code: &Spanned<String>, ctx: &ValidationContext<'_>) -> Result<String, SpecError> {
    let text = code.get_ref();
    let well_formed = !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !well_formed {
        return Err(ctx.error(
            code.span(),
            format!(
                "code '{text}' must be lowercase letters, digits and '_', starting with a letter"
            ),
        ));
    }
    Ok(text.clone())
}

fn message(text: &Spanned<String>, ctx: &ValidationContext<'_>) -> Result<String, SpecError> {
    let trimmed = text.get_ref().trim();
    let mut rest = trimmed.to_owned();
    for placeholder in PLACEHOLDERS {
        rest = rest.replace(placeholder, "");
    }
    if rest.contains(['{', '}']) {
        return Err(ctx.error(
            text.span(),
            format!(
                "a message may only use the placeholders {}",
                PLACEHOLDERS.join(" and ")
            ),
        ));
    }
    if trimmed.is_empty() {
        return Err(ctx.error(text.span(), "the message is empty"));
    }
    Ok(trimmed.to_owned())
}

fn non_empty(
    text: &str,
    what: &str,
    span: Range<usize>,
    ctx: &ValidationContext<'_>,
) -> Result<String, SpecError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ctx.error(span, format!("the {what} is empty")));
    }
    Ok(trimmed.to_owned())
}
