//! The raw shape of a protocol's `[triage]` section as serde reads it. Every table denies
//! unknown keys and the values that validation checks carry their span, so a mistake in a
//! clinic's file is reported with its line and column. Nothing here is trusted: `rules.rs`
//! turns a `TriageSpec` into `TriageRules`.

use serde::Deserialize;
use toml::Spanned;

use crate::protocol::spec::TextSpec;

/// `[triage]`: how check-ins are judged.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSpec {
    /// A measured temperature at or above this (°C) counts as `fever`, ticked or not.
    pub fever_from_c: Spanned<f64>,
    /// `[[triage.levels]]`: what to do at each level, one entry per level.
    pub levels: Spanned<Vec<LevelSpec>>,
    /// `[triage.unexplained]`: what a finding that no rule explains at this hour gets.
    pub unexplained: UnexplainedSpec,
    /// `[[triage.outlook]]`: what is normal now and what comes next, by window of hours; the
    /// windows tile [0, ∞).
    pub outlook: Spanned<Vec<TextSpec>>,
    /// `[[triage.rules]]`: the rules, in the order their reasons are listed within a level.
    pub rules: Spanned<Vec<RuleSpec>>,
}

/// `[[triage.levels]]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    /// `expected`, `contact_practitioner`, `urgent` or `emergency`.
    pub id: Spanned<String>,
    /// The headline a person reads ("Contact your practitioner").
    pub label: String,
    /// What to do, in one or two sentences: always the first line of the advice.
    pub action: String,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[triage.unexplained]`: the safety net for findings no rule explains.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnexplainedSpec {
    /// Stable code of the reason.
    pub code: Spanned<String>,
    /// Its level: `contact_practitioner` or higher.
    pub level: Spanned<String>,
    /// What the reason says; `{symptoms}` and `{day}` are filled in.
    pub message: Spanned<String>,
    /// What to do.
    pub advice: String,
    /// Source id.
    pub source: Spanned<String>,
}

/// `[[triage.rules]]`: one rule. It fires when the check-in falls in its window, every
/// condition holds and (when `any_of` is given) at least one of its trigger symptoms is
/// present and passes the rating conditions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Stable code, e.g. `redness_persisting`.
    pub code: Spanned<String>,
    /// `expected`, `contact_practitioner`, `urgent` or `emergency`.
    pub level: Spanned<String>,
    /// Trigger symptoms: the rule fires for each one present.
    #[serde(default)]
    pub any_of: Vec<Spanned<String>>,
    /// Co-symptoms that must all be present as well.
    #[serde(default)]
    pub all_of: Vec<Spanned<String>>,
    /// Symptoms that must be absent.
    #[serde(default)]
    pub none_of: Vec<Spanned<String>>,
    /// Symptoms this rule speaks for, besides its triggers: an expected rule's reassurance
    /// about them is dropped when this rule fires.
    #[serde(default)]
    pub also_covers: Vec<Spanned<String>>,
    /// First hour after treatment the rule applies (default 0).
    pub from_hours: Option<Spanned<i64>>,
    /// Hour from which it no longer applies (default: never ends).
    pub until_hours: Option<Spanned<i64>>,
    /// A trigger counts only when rated at least this (0-10).
    pub rating_at_least: Option<Spanned<i64>>,
    /// A trigger counts only when unrated or rated at most this (0-10); expected rules only.
    pub rating_at_most: Option<Spanned<i64>>,
    /// A trigger counts only when its rating is higher than at the previous check-in that
    /// rated it; both check-ins must fall in the rule's window.
    #[serde(default)]
    pub rising: bool,
    /// The measured temperature must be at least this (°C).
    pub temperature_at_least: Option<Spanned<f64>>,
    /// The discharge must be one of these (`clear`, `yellow`, `green`).
    #[serde(default)]
    pub discharge: Vec<Spanned<String>>,
    /// What the reason says; `{symptoms}` and `{day}` are filled in.
    pub message: Spanned<String>,
    /// What to do.
    pub advice: String,
    /// Source id.
    pub source: Spanned<String>,
    /// Further source ids.
    #[serde(default)]
    pub also: Vec<Spanned<String>>,
}
