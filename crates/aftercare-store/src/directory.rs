//! The SQL of the practitioner directory ("Find a Practitioner"): profiles, their
//! approval, the public list and the directory version, written once for both backends
//! (the same portable subset as `shared.rs`) and expanded for each by
//! [`impl_directory!`], which `impl_store!` invokes. The `Store` methods delegate here.
//!
//! The privacy rule lives in one query, [`impl_directory!`]'s `directory_list_public`: a
//! profile is public only when opted in, approved by the clinic, and its user is not
//! disabled. The version counter (`directory_state`) is moved by database triggers
//! (`migrations/*/0002_directory.sql`), so no write path can forget it.
//!
//! What does not belong here: checking the profile's content (the web app does it with
//! `aftercare-core`), the spatial index and the search (`aftercare-core`).

/// Columns of `practitioner_profiles`, in [`crate::PractitionerProfileRow`] order.
macro_rules! profile_cols {
    () => {
        "id, clinic_id, user_id, display_name, clinic_name, address, city, country, latitude, \
         longitude, services, credentials, licence_number, licence_issuer, phone, website, \
         booking_url, opted_in, approved_at, approved_by, created_at, updated_at"
    };
}

/// The content columns: a change in any of them withdraws the clinic's approval.
macro_rules! same_content {
    () => {
        "practitioner_profiles.display_name IS NOT DISTINCT FROM excluded.display_name \
         AND practitioner_profiles.clinic_name IS NOT DISTINCT FROM excluded.clinic_name \
         AND practitioner_profiles.address IS NOT DISTINCT FROM excluded.address \
         AND practitioner_profiles.city IS NOT DISTINCT FROM excluded.city \
         AND practitioner_profiles.country IS NOT DISTINCT FROM excluded.country \
         AND practitioner_profiles.latitude IS NOT DISTINCT FROM excluded.latitude \
         AND practitioner_profiles.longitude IS NOT DISTINCT FROM excluded.longitude \
         AND practitioner_profiles.services IS NOT DISTINCT FROM excluded.services \
         AND practitioner_profiles.credentials IS NOT DISTINCT FROM excluded.credentials \
         AND practitioner_profiles.licence_number IS NOT DISTINCT FROM excluded.licence_number \
         AND practitioner_profiles.licence_issuer IS NOT DISTINCT FROM excluded.licence_issuer \
         AND practitioner_profiles.phone IS NOT DISTINCT FROM excluded.phone \
         AND practitioner_profiles.website IS NOT DISTINCT FROM excluded.website \
         AND practitioner_profiles.booking_url IS NOT DISTINCT FROM excluded.booking_url"
    };
}

/// Implements the directory's inherent methods (`directory_*`) for a backend type; the
/// backend supplies what `impl_store!` documents (pools and transactions).
macro_rules! impl_directory {
    ($store:ty, $db:ty) => {
        impl $store {
            /// One statement: insert, or update in place (the comparison with the stored
            /// content happens under the row's lock, so a concurrent approval is never
            /// overwritten with a stale one).
            async fn directory_upsert(
                &self,
                p: &$crate::NewPractitionerProfile,
                now: i64,
            ) -> $crate::StoreResult<$crate::PractitionerProfileRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO practitioner_profiles (",
                    $crate::directory::profile_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                     $15, $16, $17, $18, NULL, NULL, $19, $19) \
                     ON CONFLICT (user_id) DO UPDATE SET \
                     display_name = excluded.display_name, clinic_name = excluded.clinic_name, \
                     address = excluded.address, city = excluded.city, \
                     country = excluded.country, latitude = excluded.latitude, \
                     longitude = excluded.longitude, services = excluded.services, \
                     credentials = excluded.credentials, \
                     licence_number = excluded.licence_number, \
                     licence_issuer = excluded.licence_issuer, phone = excluded.phone, \
                     website = excluded.website, booking_url = excluded.booking_url, \
                     opted_in = excluded.opted_in, \
                     approved_at = CASE WHEN ",
                    $crate::directory::same_content!(),
                    " THEN practitioner_profiles.approved_at ELSE NULL END, \
                     approved_by = CASE WHEN ",
                    $crate::directory::same_content!(),
                    " THEN practitioner_profiles.approved_by ELSE NULL END, \
                     updated_at = excluded.updated_at \
                     WHERE practitioner_profiles.clinic_id = excluded.clinic_id \
                     RETURNING ",
                    $crate::directory::profile_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&p.clinic_id)
                .bind(&p.user_id)
                .bind(&p.display_name)
                .bind(&p.clinic_name)
                .bind(&p.address)
                .bind(&p.city)
                .bind(&p.country)
                .bind(p.latitude)
                .bind(p.longitude)
                .bind(&p.services)
                .bind(&p.credentials)
                .bind(&p.licence_number)
                .bind(&p.licence_issuer)
                .bind(&p.phone)
                .bind(&p.website)
                .bind(&p.booking_url)
                .bind(p.opted_in)
                .bind(now)
                .fetch_optional(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profile"))?
                .ok_or($crate::StoreError::NotFound)
            }

            async fn directory_get(
                &self,
                clinic_id: &str,
                user_id: &str,
            ) -> $crate::StoreResult<Option<$crate::PractitionerProfileRow>> {
                sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::directory::profile_cols!(),
                    " FROM practitioner_profiles WHERE clinic_id = $1 AND user_id = $2"
                ))
                .bind(clinic_id)
                .bind(user_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profile"))
            }

            async fn directory_list_clinic(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::PractitionerProfileRow>> {
                let mut rows: Vec<$crate::PractitionerProfileRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::directory::profile_cols!(),
                    " FROM practitioner_profiles WHERE clinic_id = $1"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profiles"))?;
                // Sorted here: the order must not depend on PostgreSQL's collation.
                rows.sort_by(|a, b| (&a.display_name, &a.id).cmp(&(&b.display_name, &b.id)));
                Ok(rows)
            }

            async fn directory_set_approval(
                &self,
                clinic_id: &str,
                profile_id: &str,
                approved_by: Option<&str>,
                now: i64,
            ) -> $crate::StoreResult<$crate::PractitionerProfileRow> {
                let approved_at = approved_by.map(|_| now);
                sqlx::query_as(concat!(
                    "UPDATE practitioner_profiles SET approved_at = $3, approved_by = $4, \
                     updated_at = $5 WHERE id = $1 AND clinic_id = $2 RETURNING ",
                    $crate::directory::profile_cols!()
                ))
                .bind(profile_id)
                .bind(clinic_id)
                .bind(approved_at)
                .bind(approved_by)
                .bind(now)
                .fetch_optional(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profile approval"))?
                .ok_or($crate::StoreError::NotFound)
            }

            async fn directory_delete(
                &self,
                clinic_id: &str,
                user_id: &str,
            ) -> $crate::StoreResult<bool> {
                let done = sqlx::query(
                    "DELETE FROM practitioner_profiles WHERE clinic_id = $1 AND user_id = $2",
                )
                .bind(clinic_id)
                .bind(user_id)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profile"))?;
                Ok(done.rows_affected() > 0)
            }

            async fn directory_list_public(
                &self,
            ) -> $crate::StoreResult<Vec<$crate::PractitionerProfileRow>> {
                let mut rows: Vec<$crate::PractitionerProfileRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::directory::profile_cols!(),
                    " FROM practitioner_profiles p \
                     WHERE p.opted_in = $1 AND p.approved_at IS NOT NULL \
                     AND EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id \
                     AND u.clinic_id = p.clinic_id AND u.disabled_at IS NULL)"
                ))
                .bind(true)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "public practitioner profiles"))?;
                rows.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(rows)
            }

            async fn directory_current_version(&self) -> $crate::StoreResult<i64> {
                sqlx::query_scalar("SELECT version FROM directory_state WHERE id = 1")
                    .fetch_optional(self.read_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "directory version"))?
                    .ok_or_else(|| $crate::StoreError::Corrupt {
                        what: "directory_state has no row".to_owned(),
                    })
            }

            /// Every profile, inside the export's snapshot transaction.
            async fn directory_export(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> $crate::StoreResult<Vec<$crate::PractitionerProfileRow>> {
                let mut rows: Vec<$crate::PractitionerProfileRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    $crate::directory::profile_cols!(),
                    " FROM practitioner_profiles"
                ))
                .fetch_all(conn)
                .await
                .map_err(|e| $crate::shared::db_error(e, "practitioner profiles"))?;
                rows.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(rows)
            }

            /// Inserts a dump's profiles inside the import's transaction, unchanged.
            async fn directory_import(
                conn: &mut <$db as sqlx::Database>::Connection,
                rows: &[$crate::PractitionerProfileRow],
            ) -> $crate::StoreResult<()> {
                for r in rows {
                    sqlx::query(concat!(
                        "INSERT INTO practitioner_profiles (",
                        $crate::directory::profile_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                         $14, $15, $16, $17, $18, $19, $20, $21, $22)"
                    ))
                    .bind(&r.id)
                    .bind(&r.clinic_id)
                    .bind(&r.user_id)
                    .bind(&r.display_name)
                    .bind(&r.clinic_name)
                    .bind(&r.address)
                    .bind(&r.city)
                    .bind(&r.country)
                    .bind(r.latitude)
                    .bind(r.longitude)
                    .bind(&r.services)
                    .bind(&r.credentials)
                    .bind(&r.licence_number)
                    .bind(&r.licence_issuer)
                    .bind(&r.phone)
                    .bind(&r.website)
                    .bind(&r.booking_url)
                    .bind(r.opted_in)
                    .bind(r.approved_at)
                    .bind(&r.approved_by)
                    .bind(r.created_at)
                    .bind(r.updated_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "practitioner profile"))?;
                }
                Ok(())
            }
        }
    };
}

pub(crate) use {impl_directory, profile_cols, same_content};
