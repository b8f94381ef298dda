//! Symptom check-ins and tiered triage (CONTRACT §5). Being written: see issue #4.

use serde::Deserialize;

use crate::protocol::{SpecError, ValidationContext};

/// The `[triage]` section of a protocol, as serde reads it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageSpec {}

/// Validated triage rules.
#[derive(Debug, Clone)]
pub struct TriageRules {}

impl TriageRules {
    /// Validates the `[triage]` section.
    pub fn from_spec(_spec: &TriageSpec, _ctx: &ValidationContext<'_>) -> Result<Self, SpecError> {
        Ok(TriageRules {})
    }
}
