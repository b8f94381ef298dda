//! The SQL of the clinic's product catalog (issue #9): one current catalog per clinic (the
//! uploaded TOML text), set, read and cleared, always by `clinic_id`, written once for both
//! backends (the same portable subset as `shared.rs`) and expanded for each by
//! [`impl_catalog!`], which `impl_store!` invokes. The `Store` methods delegate here.
//!
//! The primary key is `clinic_id`, so a clinic has at most one catalog and every statement
//! names it: another clinic can neither read nor replace it. The composite foreign key
//! `(updated_by, clinic_id)` (`migrations/*/0004_catalog.sql`) makes it impossible to record
//! a user of another clinic as its author.
//!
//! What does not belong here: parsing or validating the TOML (the web app does it with
//! `aftercare_core::shelf::catalog::load_catalog` before saving), the built-in catalog used
//! when none is set, and the recommendations (`aftercare-core`).

/// Columns of `clinic_catalogs`, in [`crate::ClinicCatalogRow`] order.
macro_rules! catalog_cols {
    () => {
        "clinic_id, toml, updated_by, updated_at"
    };
}

/// Implements the catalog's inherent methods (`catalog_*`) for a backend type; the backend
/// supplies what `impl_store!` documents (pools and transactions).
macro_rules! impl_catalog {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn catalog_set(
                &self,
                clinic_id: &str,
                user_id: &str,
                toml: &str,
                now: i64,
            ) -> $crate::StoreResult<$crate::ClinicCatalogRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO clinic_catalogs (",
                    $crate::catalog::catalog_cols!(),
                    ") VALUES ($1, $2, $3, $4) ON CONFLICT (clinic_id) DO UPDATE SET \
                     toml = excluded.toml, updated_by = excluded.updated_by, \
                     updated_at = excluded.updated_at RETURNING ",
                    $crate::catalog::catalog_cols!()
                ))
                .bind(clinic_id)
                .bind(toml)
                .bind(user_id)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic catalog"))
            }

            async fn catalog_get(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Option<$crate::ClinicCatalogRow>> {
                sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::catalog::catalog_cols!(),
                    " FROM clinic_catalogs WHERE clinic_id = $1"
                ))
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic catalog"))
            }

            async fn catalog_clear(&self, clinic_id: &str) -> $crate::StoreResult<bool> {
                let done = sqlx::query("DELETE FROM clinic_catalogs WHERE clinic_id = $1")
                    .bind(clinic_id)
                    .execute(self.write_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "clinic catalog"))?;
                Ok(done.rows_affected() > 0)
            }

            /// Every clinic catalog, inside the export's snapshot transaction.
            async fn catalog_export(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> $crate::StoreResult<Vec<$crate::ClinicCatalogRow>> {
                let mut rows: Vec<$crate::ClinicCatalogRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::catalog::catalog_cols!(),
                    " FROM clinic_catalogs"
                ))
                .fetch_all(conn)
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic catalogs"))?;
                rows.sort_by(|a, b| a.clinic_id.cmp(&b.clinic_id));
                Ok(rows)
            }

            /// Inserts a dump's clinic catalogs inside the import's transaction, unchanged.
            async fn catalog_import(
                conn: &mut <$db as sqlx::Database>::Connection,
                rows: &[$crate::ClinicCatalogRow],
            ) -> $crate::StoreResult<()> {
                for r in rows {
                    sqlx::query(concat!(
                        "INSERT INTO clinic_catalogs (",
                        $crate::catalog::catalog_cols!(),
                        ") VALUES ($1, $2, $3, $4)"
                    ))
                    .bind(&r.clinic_id)
                    .bind(&r.toml)
                    .bind(&r.updated_by)
                    .bind(r.updated_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "clinic catalog"))?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use {catalog_cols, impl_catalog};
