//! Which protocol applies, parsed once: the built-in default (the guide), or a clinic's own
//! uploaded file, validated exactly as `aftercare plan --protocol FILE` validates it.
//!
//! A treatment uses its own protocol if it names one, else its clinic's default, else the
//! built-in one. Uploaded protocols never change once stored, so the cache never goes stale.

use std::{
    collections::HashMap,
    sync::{Arc, OnceLock, RwLock},
};

use aftercare_core::protocol::{Protocol, default_protocol, load_protocol};
use aftercare_store::{Store, TreatmentRow};

use crate::error::AppError;

/// Parsed protocols by id.
#[derive(Debug, Default)]
pub struct ProtocolCache {
    uploaded: RwLock<HashMap<String, Arc<Protocol>>>,
}

/// The built-in protocol, shared.
pub fn builtin() -> Arc<Protocol> {
    static BUILTIN: OnceLock<Arc<Protocol>> = OnceLock::new();
    Arc::clone(BUILTIN.get_or_init(|| Arc::new(default_protocol().clone())))
}

/// Validates an uploaded protocol file; the error names the file, line and column.
pub fn validate_upload(file_name: &str, text: &str) -> Result<Protocol, String> {
    load_protocol(&[(file_name, text)]).map_err(|e| e.to_string())
}

impl ProtocolCache {
    /// The protocol with `protocol_id` in `clinic_id`, or the built-in one for `None`.
    ///
    /// # Errors
    /// Not found when the protocol is not this clinic's; internal when a stored protocol no
    /// longer validates (it did when uploaded, so the software changed under it).
    pub async fn resolve(
        &self,
        store: &dyn Store,
        clinic_id: &str,
        protocol_id: Option<&str>,
    ) -> Result<Arc<Protocol>, AppError> {
        let Some(id) = protocol_id else {
            return Ok(builtin());
        };
        if let Some(found) = self.cached(clinic_id, id) {
            return Ok(found);
        }
        let row = store
            .get_protocol(clinic_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let protocol = load_protocol(&[(row.name.as_str(), row.toml.as_str())]).map_err(|e| {
            AppError::internal(anyhow::anyhow!(
                "stored protocol {id} no longer validates: {e}"
            ))
        })?;
        let protocol = Arc::new(protocol);
        if let Ok(mut map) = self.uploaded.write() {
            map.insert(cache_key(clinic_id, id), Arc::clone(&protocol));
        }
        Ok(protocol)
    }

    /// The protocol `treatment` follows (its clinic's default was stamped on it when it was
    /// recorded; none is the built-in one).
    ///
    /// # Errors
    /// As [`ProtocolCache::resolve`].
    pub async fn of_treatment(
        &self,
        store: &dyn Store,
        treatment: &TreatmentRow,
    ) -> Result<Arc<Protocol>, AppError> {
        self.resolve(
            store,
            &treatment.clinic_id,
            treatment.protocol_id.as_deref(),
        )
        .await
    }

    fn cached(&self, clinic_id: &str, id: &str) -> Option<Arc<Protocol>> {
        self.uploaded
            .read()
            .ok()?
            .get(&cache_key(clinic_id, id))
            .cloned()
    }
}

fn cache_key(clinic_id: &str, protocol_id: &str) -> String {
    format!("{clinic_id}/{protocol_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_upload_names_the_line() {
        let error =
            validate_upload("ours.toml", "[protocol]\nid = \"x\"\nbogus = 1\n").unwrap_err();
        assert!(error.starts_with("ours.toml:"), "{error}");
    }
}
