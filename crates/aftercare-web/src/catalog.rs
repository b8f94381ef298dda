//! Which product catalog applies to a clinic (issue #9): its own uploaded catalog when it has
//! set one, else the built-in one (`data/catalog/recommended.toml`), and the validation of an
//! upload, exactly as `aftercare_core::shelf::catalog::load_catalog` reads a catalog, against
//! the clinic's default protocol (a catalog's sources must be the protocol's).
//!
//! What does not belong here: the SQL (`aftercare-store`), the recommendations themselves
//! (`aftercare_core::shelf::catalog::recommend_products`) and the pages (`routes::catalog`).

use std::{borrow::Cow, sync::Arc};

use aftercare_core::{
    protocol::Protocol,
    shelf::{Catalog, CatalogError, default_catalog, load_catalog},
};
use aftercare_store::ClinicRow;

use crate::{error::AppError, state::AppState};

/// The catalog of clinic `clinic_id`, read against `protocol` (the protocol of the treatment
/// it is shown for). The built-in catalog when the clinic has none, or when its catalog does
/// not fit this protocol (a treatment on another protocol than the one it was checked
/// against): a stored catalog is never half-read.
///
/// # Errors
/// Store failures.
pub async fn for_clinic(
    state: &AppState,
    clinic_id: &str,
    protocol: &Protocol,
) -> Result<Cow<'static, Catalog>, AppError> {
    let Some(row) = state.store().get_clinic_catalog(clinic_id).await? else {
        return Ok(Cow::Borrowed(default_catalog()));
    };
    match load_catalog(&row.toml, protocol) {
        Ok(catalog) => Ok(Cow::Owned(catalog)),
        Err(error) => {
            tracing::warn!(%error, "the clinic's catalog does not fit this protocol; built-in used");
            Ok(Cow::Borrowed(default_catalog()))
        }
    }
}

/// The clinic's default protocol (its own, or the built-in one), which a catalog upload is
/// checked against.
///
/// # Errors
/// Store failures; internal when a stored protocol no longer validates.
pub async fn default_protocol_of(
    state: &AppState,
    clinic: &ClinicRow,
) -> Result<Arc<Protocol>, AppError> {
    state
        .protocols()
        .resolve(
            state.store(),
            &clinic.id,
            clinic.default_protocol_id.as_deref(),
        )
        .await
}

/// Validates an uploaded catalog against `protocol`; the error says where: the line and
/// column of a TOML error, or the line of the product entry that is wrong.
///
/// # Errors
/// The message to show, when the catalog is refused.
pub fn validate_upload(text: &str, protocol: &Protocol) -> Result<Catalog, String> {
    if text.trim().is_empty() {
        return Err("The catalog is empty: paste or upload a catalog file.".to_owned());
    }
    load_catalog(text, protocol).map_err(|error| match &error {
        CatalogError::Entry { index, .. } => match entry_line(text, *index) {
            Some(line) => format!("line {line}: {error}"),
            None => error.to_string(),
        },
        _ => error.to_string(),
    })
}

/// The 1-based line of the `index`-th (0-based) `[[products]]` table header of `text`.
fn entry_line(text: &str, index: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.trim_start()
                .strip_prefix("[[")
                .is_some_and(|rest| rest.trim_start().starts_with("products"))
        })
        .nth(index)
        .map(|(n, _)| n + 1)
}

#[cfg(test)]
mod tests {
    use aftercare_core::protocol::default_protocol;

    use super::*;

    #[test]
    fn a_toml_error_names_the_line_and_column() {
        let error = validate_upload("[[products]]\nid = \n", default_protocol()).unwrap_err();
        assert!(error.contains("line 2, column"), "{error}");
    }

    #[test]
    fn a_wrong_entry_names_the_line_of_its_table() {
        let text = "[[products]]\nid = \"a\"\nname = \"A\"\ntype = \"serum\"\nwhy = \"w\"\n\
                    source = \"guide.mdpen_line\"\n\n[[products]]\nid = \"b\"\nname = \"B\"\n\
                    type = \"serum\"\nwhy = \"w\"\nsource = \"nowhere\"\n";
        let error = validate_upload(text, default_protocol()).unwrap_err();
        assert!(error.starts_with("line 8: "), "{error}");
        assert!(error.contains("unknown source 'nowhere'"), "{error}");
    }

    #[test]
    fn the_builtin_catalog_is_accepted() {
        let catalog = validate_upload(aftercare_core::shelf::DEFAULT_CATALOG, default_protocol())
            .expect("valid");
        assert_eq!(catalog, *default_catalog());
    }
}
