//! The SQL of the product shelf (issue #9): a treatment's shelf products, added, listed,
//! updated and deleted, always scoped by clinic and treatment, written once for both backends
//! (the same portable subset as `shared.rs`) and expanded for each by [`impl_shelf!`], which
//! `impl_store!` invokes. The `Store` methods delegate here.
//!
//! Every statement names both `clinic_id` and `treatment_id`, so another clinic (or another
//! treatment's link) can neither read nor change a product; the composite foreign key
//! `(treatment_id, clinic_id)` (`migrations/*/0003_shelf.sql`) makes it impossible to write one
//! that points into another clinic.
//!
//! What does not belong here: checking the ingredient list or the product type (the web app
//! does it with `aftercare-core` before saving), the schedule and the routine (`aftercare-core`).

/// Columns of `shelf_products`, in [`crate::ShelfProductRow`] order.
macro_rules! shelf_cols {
    () => {
        "id, clinic_id, treatment_id, name, brand, product_type, ingredients, from_clinic, \
         created_at, updated_at"
    };
}

/// Implements the shelf's inherent methods (`shelf_*`) for a backend type; the backend
/// supplies what `impl_store!` documents (pools and transactions).
macro_rules! impl_shelf {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn shelf_add(
                &self,
                p: &$crate::NewShelfProduct,
                now: i64,
            ) -> $crate::StoreResult<$crate::ShelfProductRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO shelf_products (",
                    $crate::shelf::shelf_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING ",
                    $crate::shelf::shelf_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&p.clinic_id)
                .bind(&p.treatment_id)
                .bind(&p.name)
                .bind(&p.brand)
                .bind(&p.product_type)
                .bind(&p.ingredients)
                .bind(p.from_clinic)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "shelf product"))
            }

            async fn shelf_list(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::ShelfProductRow>> {
                let mut rows: Vec<$crate::ShelfProductRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::shelf::shelf_cols!(),
                    " FROM shelf_products WHERE clinic_id = $1 AND treatment_id = $2"
                ))
                .bind(clinic_id)
                .bind(treatment_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "shelf products"))?;
                // Ids are UUID v7: by id is the order they were added, on either backend.
                rows.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(rows)
            }

            async fn shelf_update(
                &self,
                product_id: &str,
                p: &$crate::NewShelfProduct,
                now: i64,
            ) -> $crate::StoreResult<$crate::ShelfProductRow> {
                sqlx::query_as(concat!(
                    "UPDATE shelf_products SET name = $4, brand = $5, product_type = $6, \
                     ingredients = $7, from_clinic = $8, updated_at = $9 \
                     WHERE id = $1 AND clinic_id = $2 AND treatment_id = $3 RETURNING ",
                    $crate::shelf::shelf_cols!()
                ))
                .bind(product_id)
                .bind(&p.clinic_id)
                .bind(&p.treatment_id)
                .bind(&p.name)
                .bind(&p.brand)
                .bind(&p.product_type)
                .bind(&p.ingredients)
                .bind(p.from_clinic)
                .bind(now)
                .fetch_optional(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "shelf product"))?
                .ok_or($crate::StoreError::NotFound)
            }

            async fn shelf_delete(
                &self,
                clinic_id: &str,
                treatment_id: &str,
                product_id: &str,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "DELETE FROM shelf_products \
                     WHERE id = $1 AND clinic_id = $2 AND treatment_id = $3",
                )
                .bind(product_id)
                .bind(clinic_id)
                .bind(treatment_id)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "shelf product"))?;
                Ok(done.rows_affected() > 0)
            }

            /// Every shelf product, inside the export's snapshot transaction.
            async fn shelf_export(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> $crate::StoreResult<Vec<$crate::ShelfProductRow>> {
                let mut rows: Vec<$crate::ShelfProductRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::shelf::shelf_cols!(),
                    " FROM shelf_products"
                ))
                .fetch_all(conn)
                .await
                .map_err(|e| $crate::shared::db_error(e, "shelf products"))?;
                rows.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(rows)
            }

            /// Inserts a dump's shelf products inside the import's transaction, unchanged.
            async fn shelf_import(
                conn: &mut <$db as sqlx::Database>::Connection,
                rows: &[$crate::ShelfProductRow],
            ) -> $crate::StoreResult<()> {
                for r in rows {
                    sqlx::query(concat!(
                        "INSERT INTO shelf_products (",
                        $crate::shelf::shelf_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                    ))
                    .bind(&r.id)
                    .bind(&r.clinic_id)
                    .bind(&r.treatment_id)
                    .bind(&r.name)
                    .bind(&r.brand)
                    .bind(&r.product_type)
                    .bind(&r.ingredients)
                    .bind(r.from_clinic)
                    .bind(r.created_at)
                    .bind(r.updated_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "shelf product"))?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use {impl_shelf, shelf_cols};
