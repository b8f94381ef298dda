//! The clinic's product catalog page (issue #9): the catalog in use as a table, and, for
//! admins, the form that replaces it and the button that goes back to the built-in one.

use askama::Template;

use super::ClinicNav;

/// One catalog product as a table row.
#[derive(Debug, Clone)]
pub struct CatalogRowView {
    /// Brand and name.
    pub product: String,
    /// The routine step, in words ("Not a daily step" when it has none).
    pub step: String,
    /// The label's ingredient list, or `None` when not provided.
    pub ingredients: Option<String>,
    /// Why the clinic recommends it, with its source.
    pub why: String,
}

/// The catalog page (any clinic user; changes are for admins).
#[derive(Debug, Template)]
#[template(path = "clinic/catalog.html")]
pub struct CatalogPage {
    /// Navigation.
    pub nav: ClinicNav,
    /// A confirmation after a redirect.
    pub flash: Option<&'static str>,
    /// Whether the clinic has its own catalog (else the built-in one is shown).
    pub is_own: bool,
    /// When and by whom the clinic's own catalog was last set, in words.
    pub updated: Option<String>,
    /// The products, in catalog order.
    pub rows: Vec<CatalogRowView>,
    /// Whether the viewer may change the catalog.
    pub can_edit: bool,
    /// The text in the form: the current catalog, or what was sent back with an error.
    pub toml: String,
    /// Why the last upload was refused.
    pub upload_error: Option<String>,
}
