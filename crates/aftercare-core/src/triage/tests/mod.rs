//! Tests of triage against the default rules (`data/protocols/microneedling/triage.toml`):
//! a table for every rule at both sides of each time boundary (`table.rs`), the safety
//! properties (`properties.rs`) and the validation of clinic rules (`validation.rs`).

mod properties;
mod table;
mod validation;

use std::{collections::BTreeMap, sync::OnceLock};

use super::{
    CheckIn, Discharge, Level, Rating, Report, Symptom, TriageResult, TriageRules, TriageSpec,
    triage_check_in,
};
use crate::protocol::{DEFAULT_PROTOCOL_FILES, Source, SourceKind, SpecError, ValidationContext};

/// The default `[triage]` section's text.
pub(super) fn default_triage_toml() -> &'static str {
    DEFAULT_PROTOCOL_FILES
        .iter()
        .find(|(name, _)| name.ends_with("triage.toml"))
        .map(|(_, text)| *text)
        .unwrap()
}

/// The sources the default protocol defines, read from its `[sources]` table.
pub(super) fn default_sources() -> BTreeMap<String, Source> {
    let mut sources = BTreeMap::new();
    for (_, text) in DEFAULT_PROTOCOL_FILES {
        let table: toml::Table = toml::from_str(text).unwrap();
        let Some(toml::Value::Table(defined)) = table.get("sources") else {
            continue;
        };
        for (id, value) in defined {
            let kind = match value.get("kind").and_then(|k| k.as_str()) {
                Some("guide") => SourceKind::Guide,
                _ => SourceKind::Reference,
            };
            let text = |key: &str| value.get(key).and_then(|t| t.as_str()).map(str::to_owned);
            sources.insert(
                id.clone(),
                Source {
                    id: id.clone(),
                    kind,
                    title: text("title").unwrap_or_default(),
                    detail: text("detail"),
                    url: text("url"),
                },
            );
        }
    }
    sources
}

/// Validates a `[triage]` section given as TOML text.
pub(super) fn rules_from(text: &str) -> Result<TriageRules, SpecError> {
    #[derive(serde::Deserialize)]
    struct File {
        triage: TriageSpec,
    }
    let file: File = toml::from_str(text).map_err(|e| SpecError {
        file: 0,
        span: e.span().unwrap_or(0..0),
        message: e.message().to_owned(),
    })?;
    let sources = default_sources();
    TriageRules::from_spec(&file.triage, &ValidationContext::new(0, &sources))
}

/// The default rules.
pub(super) fn rules() -> &'static TriageRules {
    static RULES: OnceLock<TriageRules> = OnceLock::new();
    RULES.get_or_init(|| rules_from(default_triage_toml()).unwrap())
}

/// A check-in under construction, `hours` after treatment.
#[derive(Debug, Clone, Default)]
pub(super) struct At {
    pub hours: f64,
    pub symptoms: Vec<Symptom>,
    pub ratings: Vec<(Symptom, u8)>,
    pub temperature_c: Option<f64>,
    pub discharge: Discharge,
    pub history: Vec<(f64, Vec<(Symptom, u8)>)>,
}

pub(super) fn at(hours: f64) -> At {
    At {
        hours,
        ..At::default()
    }
}

impl At {
    pub fn with(mut self, symptoms: &[Symptom]) -> At {
        self.symptoms.extend_from_slice(symptoms);
        self
    }

    pub fn rated(mut self, symptom: Symptom, rating: u8) -> At {
        self.ratings.push((symptom, rating));
        self
    }

    pub fn temperature(mut self, celsius: f64) -> At {
        self.temperature_c = Some(celsius);
        self
    }

    pub fn discharge(mut self, discharge: Discharge) -> At {
        self.discharge = discharge;
        self
    }

    pub fn earlier(mut self, hours: f64, ratings: &[(Symptom, u8)]) -> At {
        self.history.push((hours, ratings.to_vec()));
        self
    }

    pub fn check_in(&self) -> CheckIn {
        let ratings = |r: &[(Symptom, u8)]| -> Vec<(Symptom, Rating)> {
            r.iter()
                .map(|(s, v)| (*s, Rating::new(*v).unwrap()))
                .collect()
        };
        let report = Report::new(
            self.symptoms.iter().copied(),
            ratings(&self.ratings),
            self.temperature_c,
            self.discharge,
        );
        let history = self
            .history
            .iter()
            .map(|(h, r)| (*h, Report::new([], ratings(r), None, Discharge::None)))
            .collect();
        CheckIn::at_hours(self.hours, report, history)
    }

    pub fn triage(&self) -> TriageResult {
        triage_check_in(rules(), &self.check_in())
    }

    pub fn level(&self) -> Level {
        self.triage().level
    }

    pub fn codes(&self) -> Vec<String> {
        self.triage().reasons.into_iter().map(|r| r.code).collect()
    }
}
