//! The clinic's product catalog (issue #9): `/clinic/catalog` shows the catalog in use (its
//! own, or the built-in one) to any user of the clinic; an admin replaces it with TOML in the
//! format of `data/catalog/recommended.toml`, checked against the clinic's default protocol
//! before anything is saved (a refused catalog is sent back with where it is wrong, 422, and
//! the old one stays), or resets it to the built-in one. Practitioners get 403 on changes.

use aftercare_core::shelf::Catalog;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};

use crate::{
    auth::{AdminUser, CurrentUser},
    catalog::{default_protocol_of, validate_upload},
    error::AppError,
    extract::FormData,
    routes::{auth::FlashQuery, clinic::clinic_nav, clinic::words},
    state::AppState,
    views::{
        catalog::{CatalogPage, CatalogRowView},
        flash_message, render, render_status,
    },
};

/// The catalog routes; `upload_bytes` bounds a catalog sent in.
pub fn router(upload_bytes: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/clinic/catalog",
            get(catalog_page)
                .post(replace_catalog)
                .layer(DefaultBodyLimit::max(upload_bytes)),
        )
        .route("/clinic/catalog/reset", post(reset_catalog))
}

/// The table rows of `catalog`.
fn rows(catalog: &Catalog) -> Vec<CatalogRowView> {
    catalog
        .products
        .iter()
        .map(|entry| CatalogRowView {
            product: match &entry.brand {
                Some(brand) => format!("{brand} {}", entry.name),
                None => entry.name.clone(),
            },
            step: entry
                .product_type
                .step()
                .map_or_else(|| "Not a daily step".to_owned(), |s| words(s.id())),
            ingredients: entry.ingredients.clone(),
            why: format!("{} ({})", entry.why, entry.source),
        })
        .collect()
}

/// The page for `user`; `sent_back` is a refused catalog's text and why it was refused.
async fn page(
    state: &AppState,
    user: &CurrentUser,
    flash: Option<&'static str>,
    sent_back: Option<(String, String)>,
) -> Result<CatalogPage, AppError> {
    let (clinic, nav) = clinic_nav(state, user, "catalog").await?;
    let protocol = default_protocol_of(state, &clinic).await?;
    let own = state.store().get_clinic_catalog(&clinic.id).await?;
    let catalog = crate::catalog::for_clinic(state, &clinic.id, &protocol).await?;
    let tz = aftercare_core::instant::parse_time_zone(&state.settings().clinic.default_time_zone)
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let updated = own.as_ref().and_then(|row| {
        jiff::Timestamp::from_second(row.updated_at)
            .ok()
            .map(|ts| aftercare_core::instant::format_local(&ts.to_zoned_datetime(tz.clone())))
    });
    let (toml, upload_error) = match sent_back {
        Some((text, error)) => (text, Some(error)),
        None => (
            own.as_ref().map_or_else(
                || aftercare_core::shelf::DEFAULT_CATALOG.to_owned(),
                |row| row.toml.clone(),
            ),
            None,
        ),
    };
    Ok(CatalogPage {
        nav,
        flash,
        is_own: own.is_some(),
        updated,
        rows: rows(&catalog),
        can_edit: user.is_admin(),
        toml,
        upload_error,
    })
}

async fn catalog_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<FlashQuery>,
) -> Result<Response, AppError> {
    let flash = flash_message(query.flash.as_deref());
    Ok(render(&page(&state, &user, flash, None).await?))
}

async fn replace_catalog(
    State(state): State<AppState>,
    admin: AdminUser,
    form: FormData,
) -> Result<Response, AppError> {
    // As sent, not trimmed: the error's line numbers are the text's.
    let text = form.raw("toml").unwrap_or("").to_owned();
    let clinic = state
        .store()
        .find_clinic(admin.0.clinic_id())
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let protocol = default_protocol_of(&state, &clinic).await?;
    if let Err(message) = validate_upload(&text, &protocol) {
        let refused = page(&state, &admin.0, None, Some((text, message))).await?;
        return Ok(render_status(StatusCode::UNPROCESSABLE_ENTITY, &refused));
    }
    state
        .store()
        .set_clinic_catalog(&clinic.id, &admin.0.user.id, &text, state.now())
        .await?;
    tracing::info!("clinic catalog replaced");
    Ok(Redirect::to("/clinic/catalog?flash=catalog").into_response())
}

async fn reset_catalog(
    State(state): State<AppState>,
    admin: AdminUser,
) -> Result<Response, AppError> {
    state
        .store()
        .clear_clinic_catalog(admin.0.clinic_id())
        .await?;
    tracing::info!("clinic catalog reset to the built-in one");
    Ok(Redirect::to("/clinic/catalog?flash=catalog_reset").into_response())
}

#[cfg(test)]
mod tests {
    use aftercare_core::shelf::default_catalog;

    use super::*;

    #[test]
    fn every_builtin_product_is_a_row_with_its_source() {
        let shown = rows(default_catalog());
        assert_eq!(shown.len(), default_catalog().products.len());
        assert!(shown.iter().all(|r| r.why.contains("(Guide:")), "{shown:?}");
        assert!(shown.iter().all(|r| r.ingredients.is_none()));
    }
}
