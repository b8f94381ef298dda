//! The behaviour both backends share: the SQL (written once, in the subset SQLite and
//! PostgreSQL both accept: `$n` placeholders, `RETURNING`, no dialect functions), the
//! mapping of database errors to [`StoreError`], and the [`impl_store!`] macro that
//! implements [`crate::Store`] for a backend from that SQL.
//!
//! Why a macro rather than generic functions: sqlx queries are generic over the
//! database, but spelling the bounds for every bound type and row of every query
//! (`for<'q> T: Encode<'q, DB> + Type<DB>`, `for<'r> Row: FromRow<'r, DB::Row>`, ...)
//! buries the SQL. The macro expands the same method bodies for each concrete backend
//! type, which keeps one implementation of the behaviour and lets the compiler check
//! each expansion. A backend supplies only what differs (see the list on
//! [`impl_store!`]).
//!
//! What does not belong here: connection setup, pragmas, migrations, backups and
//! anything else that is dialect-specific (`sqlite.rs`, `postgres.rs`).

use crate::StoreError;

/// Columns of `clinics`, in [`crate::ClinicRow`] order.
macro_rules! clinic_cols {
    () => {
        "id, name, phone, email, address, emergency_number, default_protocol_id, created_at"
    };
}
/// Columns of `users`, in [`crate::UserRow`] order.
macro_rules! user_cols {
    () => {
        "id, clinic_id, email, display_name, role, password_hash, created_at, disabled_at"
    };
}
/// Columns of `invitations`, in [`crate::InvitationRow`] order.
macro_rules! invitation_cols {
    () => {
        "id, clinic_id, email, role, token_hash, created_by, expires_at, used_at"
    };
}
/// Columns of `sessions`, in [`crate::SessionRow`] order.
macro_rules! session_cols {
    () => {
        "token_hash, user_id, clinic_id, created_at, expires_at, last_seen_at"
    };
}
/// Columns of `treatments`, in [`crate::TreatmentRow`] order.
macro_rules! treatment_cols {
    () => {
        "id, clinic_id, practitioner_id, patient_label, patient_email, treated_at, time_zone, \
         skin, fitzpatrick, areas, cold_sore_history, notes, protocol_id, created_at"
    };
}
/// Columns of `patient_links`, in [`crate::PatientLinkRow`] order.
macro_rules! link_cols {
    () => {
        "id, treatment_id, clinic_id, token_hash, purpose, created_at, expires_at, revoked_at"
    };
}
/// Columns of `check_ins`, in [`crate::CheckInRow`] order.
macro_rules! check_in_cols {
    () => {
        "id, treatment_id, clinic_id, at, submitted_at, input, level, result"
    };
}
/// Columns of `alerts`, in [`crate::AlertRow`] order.
macro_rules! alert_cols {
    () => {
        "id, clinic_id, treatment_id, check_in_id, level, created_at, acknowledged_at, \
         acknowledged_by, acknowledgement_note"
    };
}
/// Columns of `outbox`, in [`crate::OutboxRow`] order.
macro_rules! outbox_cols {
    () => {
        "id, clinic_id, kind, recipient, subject, body_text, body_html, created_at, attempts, \
         next_attempt_at, locked_until, sent_at, last_error"
    };
}
/// Columns of `protocols`, in [`crate::ProtocolRow`] order.
macro_rules! protocol_cols {
    () => {
        "id, clinic_id, name, toml, uploaded_by, created_at"
    };
}
/// Ranks a level column (lowest 1, none 0) for ordering, red flags first.
macro_rules! level_rank {
    ($column:literal) => {
        concat!(
            "CASE ",
            $column,
            " WHEN 'emergency' THEN 4 WHEN 'urgent' THEN 3 \
             WHEN 'contact_practitioner' THEN 2 WHEN 'expected' THEN 1 ELSE 0 END"
        )
    };
}

pub(crate) use {
    alert_cols, check_in_cols, clinic_cols, invitation_cols, level_rank, link_cols, outbox_cols,
    protocol_cols, session_cols, treatment_cols, user_cols,
};

/// The longest `last_error` kept for an outbox message, in characters: enough for an
/// SMTP reply, bounded so a misbehaving server cannot bloat the table.
pub(crate) const MAX_ERROR_CHARS: usize = 1000;

/// Consistency rules that hold on both backends beyond what constraints enforce; each
/// query counts the violations. Used by `integrity_check`.
pub(crate) const INVARIANT_CHECKS: &[(&str, &str)] = &[
    (
        "check-ins at contact_practitioner or above without an alert",
        "SELECT COUNT(*) FROM check_ins c WHERE c.level <> 'expected' \
         AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.check_in_id = c.id)",
    ),
    (
        "alerts whose level differs from their check-in's",
        "SELECT COUNT(*) FROM alerts a JOIN check_ins c ON c.id = a.check_in_id \
         WHERE a.level <> c.level",
    ),
    (
        "migrations that failed half-way",
        "SELECT COUNT(*) FROM _sqlx_migrations WHERE NOT success",
    ),
    (
        "alerts of a check-in of another treatment",
        "SELECT COUNT(*) FROM alerts a JOIN check_ins c ON c.id = a.check_in_id \
         WHERE a.treatment_id <> c.treatment_id",
    ),
];

/// A fresh row id: a UUID v7 string (time-ordered, so ids sort by creation).
pub(crate) fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Cuts `text` to at most [`MAX_ERROR_CHARS`] characters.
pub(crate) fn truncate_error(text: &str) -> String {
    text.chars().take(MAX_ERROR_CHARS).collect()
}

/// Maps a database error to a [`StoreError`]; `what` names what the statement wrote,
/// for conflicts and refused values.
pub(crate) fn db_error(err: sqlx::Error, what: &str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return StoreError::Conflict {
                    what: what.to_owned(),
                };
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::NotFound,
            sqlx::error::ErrorKind::CheckViolation | sqlx::error::ErrorKind::NotNullViolation => {
                return StoreError::Invalid {
                    what: what.to_owned(),
                };
            }
            _ => {}
        },
        sqlx::Error::RowNotFound => return StoreError::NotFound,
        sqlx::Error::ColumnDecode { index, source } => {
            return StoreError::Corrupt {
                what: format!("{what}: column {index}: {source}"),
            };
        }
        _ => {}
    }
    StoreError::Database(err)
}

/// How the `applied` migration versions of a database compare with this build's `known` ones.
pub(crate) fn schema_state_of(applied: &[i64], known: &[i64]) -> crate::SchemaState {
    if applied.iter().any(|version| !known.contains(version)) {
        crate::SchemaState::Ahead
    } else if known.iter().any(|version| !applied.contains(version)) {
        crate::SchemaState::Behind
    } else {
        crate::SchemaState::Current
    }
}

/// Implements [`crate::Store`] for a backend type from the shared SQL.
///
/// `impl_store!(Backend, Db)` expects these inherent items on `Backend`, with `Db` its
/// `sqlx::Database`:
/// - `const BACKEND: &'static str`: the backend's name;
/// - `const CLAIM_OUTBOX_SQL: &'static str`: the outbox claim, binding `$1 = now`,
///   `$2 = lease_seconds`, `$3 = limit`, returning `outbox_cols!()`;
/// - `fn read_pool(&self) -> &sqlx::Pool<Db>` and `fn write_pool(&self) -> &sqlx::Pool<Db>`;
/// - `async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, Db>>`: a
///   transaction that holds the write lock from its first statement;
/// - `async fn begin_snapshot(&self) -> StoreResult<sqlx::Transaction<'static, Db>>`: a
///   read transaction that sees one consistent snapshot;
/// - `const MIGRATOR: sqlx::migrate::Migrator`: this build's migrations;
/// - `const MIGRATIONS_TABLE_SQL: &'static str`: one boolean, whether sqlx's
///   `_sqlx_migrations` table exists;
/// - `async fn backend_integrity_problems(&self) -> StoreResult<Vec<String>>`;
/// - `async fn backup_to_file(&self, path: &Path) -> StoreResult<()>`.
macro_rules! impl_store {
    ($store:ty, $db:ty) => {
        $crate::directory::impl_directory!($store, $db);
        $crate::shelf::impl_shelf!($store, $db);
        $crate::catalog::impl_catalog!($store, $db);

        impl $store {
            /// Queues one e-mail inside the caller's transaction.
            async fn insert_outbox(
                conn: &mut <$db as sqlx::Database>::Connection,
                clinic_id: &str,
                message: &$crate::NewOutboxMessage,
                now: i64,
            ) -> $crate::StoreResult<$crate::OutboxRow> {
                sqlx::query_as::<_, $crate::OutboxRow>(concat!(
                    "INSERT INTO outbox (",
                    $crate::shared::outbox_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $8, NULL, NULL, NULL) \
                     RETURNING ",
                    $crate::shared::outbox_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(clinic_id)
                .bind(&message.kind)
                .bind(&message.recipient)
                .bind(&message.subject)
                .bind(&message.body_text)
                .bind(&message.body_html)
                .bind(now)
                .fetch_one(conn)
                .await
                .map_err(|e| $crate::shared::db_error(e, "outbox message"))
            }

            /// Whether any clinic exists (every other row hangs off a clinic).
            async fn has_any_clinic(
                conn: &mut <$db as sqlx::Database>::Connection,
            ) -> $crate::StoreResult<bool> {
                let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM clinics")
                    .fetch_one(conn)
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "clinics"))?;
                Ok(count > 0)
            }

            /// Inserts every row of a dump inside the caller's transaction.
            async fn insert_dump(
                conn: &mut <$db as sqlx::Database>::Connection,
                dump: &$crate::StoreDump,
            ) -> $crate::StoreResult<()> {
                use $crate::shared::db_error;
                for c in &dump.clinics {
                    // The default protocol is set once the protocols exist.
                    sqlx::query(concat!(
                        "INSERT INTO clinics (",
                        $crate::shared::clinic_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)"
                    ))
                    .bind(&c.id)
                    .bind(&c.name)
                    .bind(&c.phone)
                    .bind(&c.email)
                    .bind(&c.address)
                    .bind(&c.emergency_number)
                    .bind(c.created_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "clinic"))?;
                }
                for u in &dump.users {
                    sqlx::query(concat!(
                        "INSERT INTO users (",
                        $crate::shared::user_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(&u.id)
                    .bind(&u.clinic_id)
                    .bind(&u.email)
                    .bind(&u.display_name)
                    .bind(u.role)
                    .bind(&u.password_hash)
                    .bind(u.created_at)
                    .bind(u.disabled_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "user"))?;
                }
                for p in &dump.protocols {
                    sqlx::query(concat!(
                        "INSERT INTO protocols (",
                        $crate::shared::protocol_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6)"
                    ))
                    .bind(&p.id)
                    .bind(&p.clinic_id)
                    .bind(&p.name)
                    .bind(&p.toml)
                    .bind(&p.uploaded_by)
                    .bind(p.created_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "protocol"))?;
                }
                for c in dump.clinics.iter().filter(|c| c.default_protocol_id.is_some()) {
                    sqlx::query("UPDATE clinics SET default_protocol_id = $2 WHERE id = $1")
                        .bind(&c.id)
                        .bind(&c.default_protocol_id)
                        .execute(&mut *conn)
                        .await
                        .map_err(|e| db_error(e, "clinic default protocol"))?;
                }
                for i in &dump.invitations {
                    sqlx::query(concat!(
                        "INSERT INTO invitations (",
                        $crate::shared::invitation_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(&i.id)
                    .bind(&i.clinic_id)
                    .bind(&i.email)
                    .bind(i.role)
                    .bind(&i.token_hash)
                    .bind(&i.created_by)
                    .bind(i.expires_at)
                    .bind(i.used_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "invitation"))?;
                }
                for s in &dump.sessions {
                    sqlx::query(concat!(
                        "INSERT INTO sessions (",
                        $crate::shared::session_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6)"
                    ))
                    .bind(&s.token_hash)
                    .bind(&s.user_id)
                    .bind(&s.clinic_id)
                    .bind(s.created_at)
                    .bind(s.expires_at)
                    .bind(s.last_seen_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "session"))?;
                }
                for t in &dump.treatments {
                    sqlx::query(concat!(
                        "INSERT INTO treatments (",
                        $crate::shared::treatment_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                    ))
                    .bind(&t.id)
                    .bind(&t.clinic_id)
                    .bind(&t.practitioner_id)
                    .bind(&t.patient_label)
                    .bind(&t.patient_email)
                    .bind(t.treated_at)
                    .bind(&t.time_zone)
                    .bind(&t.skin)
                    .bind(t.fitzpatrick)
                    .bind(&t.areas)
                    .bind(t.cold_sore_history)
                    .bind(&t.notes)
                    .bind(&t.protocol_id)
                    .bind(t.created_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "treatment"))?;
                }
                for l in &dump.patient_links {
                    sqlx::query(concat!(
                        "INSERT INTO patient_links (",
                        $crate::shared::link_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(&l.id)
                    .bind(&l.treatment_id)
                    .bind(&l.clinic_id)
                    .bind(&l.token_hash)
                    .bind(l.purpose)
                    .bind(l.created_at)
                    .bind(l.expires_at)
                    .bind(l.revoked_at)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "patient link"))?;
                }
                for c in &dump.check_ins {
                    sqlx::query(concat!(
                        "INSERT INTO check_ins (",
                        $crate::shared::check_in_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    ))
                    .bind(&c.id)
                    .bind(&c.treatment_id)
                    .bind(&c.clinic_id)
                    .bind(c.at)
                    .bind(c.submitted_at)
                    .bind(&c.input)
                    .bind(c.level)
                    .bind(&c.result)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "check-in"))?;
                }
                for a in &dump.alerts {
                    sqlx::query(concat!(
                        "INSERT INTO alerts (",
                        $crate::shared::alert_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                    ))
                    .bind(&a.id)
                    .bind(&a.clinic_id)
                    .bind(&a.treatment_id)
                    .bind(&a.check_in_id)
                    .bind(a.level)
                    .bind(a.created_at)
                    .bind(a.acknowledged_at)
                    .bind(&a.acknowledged_by)
                    .bind(&a.acknowledgement_note)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "alert"))?;
                }
                for o in &dump.outbox {
                    sqlx::query(concat!(
                        "INSERT INTO outbox (",
                        $crate::shared::outbox_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                    ))
                    .bind(&o.id)
                    .bind(&o.clinic_id)
                    .bind(&o.kind)
                    .bind(&o.recipient)
                    .bind(&o.subject)
                    .bind(&o.body_text)
                    .bind(&o.body_html)
                    .bind(o.created_at)
                    .bind(o.attempts)
                    .bind(o.next_attempt_at)
                    .bind(o.locked_until)
                    .bind(o.sent_at)
                    .bind(&o.last_error)
                    .execute(&mut *conn)
                    .await
                    .map_err(|e| db_error(e, "outbox message"))?;
                }
                Self::directory_import(&mut *conn, &dump.practitioner_profiles).await?;
                Self::shelf_import(&mut *conn, &dump.shelf_products).await?;
                Self::catalog_import(&mut *conn, &dump.clinic_catalogs).await?;
                Ok(())
            }
        }

        #[async_trait::async_trait]
        impl $crate::Store for $store {
            fn backend(&self) -> &'static str {
                <$store>::BACKEND
            }

            // ----- health and maintenance -----------------------------------------

            #[tracing::instrument(skip_all)]
            async fn ping(&self) -> $crate::StoreResult<()> {
                sqlx::query("SELECT 1")
                    .execute(self.read_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "ping"))?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn schema_state(&self) -> $crate::StoreResult<$crate::SchemaState> {
                let has_table: bool = sqlx::query_scalar(<$store>::MIGRATIONS_TABLE_SQL)
                    .fetch_one(self.read_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "schema version"))?;
                if !has_table {
                    return Ok($crate::SchemaState::NotAftercare);
                }
                let applied: Vec<i64> = sqlx::query_scalar(
                    "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
                )
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "schema version"))?;
                let known: Vec<i64> = <$store>::MIGRATOR.iter().map(|m| m.version).collect();
                Ok($crate::shared::schema_state_of(&applied, &known))
            }

            #[tracing::instrument(skip_all)]
            async fn integrity_check(&self) -> $crate::StoreResult<Vec<String>> {
                let mut problems = self.backend_integrity_problems().await?;
                for (description, sql) in $crate::shared::INVARIANT_CHECKS {
                    let count: i64 = sqlx::query_scalar(sql)
                        .fetch_one(self.read_pool())
                        .await
                        .map_err(|e| $crate::shared::db_error(e, "integrity check"))?;
                    if count > 0 {
                        problems.push(format!("{count} {description}"));
                    }
                }
                Ok(problems)
            }

            #[tracing::instrument(skip_all)]
            async fn backup_to(&self, path: &std::path::Path) -> $crate::StoreResult<()> {
                self.backup_to_file(path).await
            }

            #[tracing::instrument(skip_all)]
            async fn export_all(&self) -> $crate::StoreResult<$crate::StoreDump> {
                use $crate::shared::db_error;
                let mut tx = self.begin_snapshot().await?;
                let mut clinics: Vec<$crate::ClinicRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::clinic_cols!(), " FROM clinics ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "clinics"))?;
                let mut users: Vec<$crate::UserRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::user_cols!(), " FROM users ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "users"))?;
                let mut invitations: Vec<$crate::InvitationRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::invitation_cols!(), " FROM invitations ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "invitations"))?;
                let mut sessions: Vec<$crate::SessionRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::session_cols!(),
                    " FROM sessions ORDER BY token_hash"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "sessions"))?;
                let mut protocols: Vec<$crate::ProtocolRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::protocol_cols!(), " FROM protocols ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "protocols"))?;
                let mut treatments: Vec<$crate::TreatmentRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::treatment_cols!(), " FROM treatments ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "treatments"))?;
                let mut patient_links: Vec<$crate::PatientLinkRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::link_cols!(), " FROM patient_links ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "patient links"))?;
                let mut check_ins: Vec<$crate::CheckInRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::check_in_cols!(), " FROM check_ins ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "check-ins"))?;
                let mut alerts: Vec<$crate::AlertRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::alert_cols!(), " FROM alerts ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "alerts"))?;
                let mut outbox: Vec<$crate::OutboxRow> = sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::outbox_cols!(), " FROM outbox ORDER BY id"
                ))
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| db_error(e, "outbox"))?;
                let practitioner_profiles = Self::directory_export(&mut *tx).await?;
                let shelf_products = Self::shelf_export(&mut *tx).await?;
                let clinic_catalogs = Self::catalog_export(&mut *tx).await?;
                tx.commit().await.map_err(|e| db_error(e, "export"))?;
                // Sorted here rather than by SQL: PostgreSQL orders text by the
                // database's collation, and a dump must not depend on it.
                clinics.sort_by(|a, b| a.id.cmp(&b.id));
                users.sort_by(|a, b| a.id.cmp(&b.id));
                invitations.sort_by(|a, b| a.id.cmp(&b.id));
                sessions.sort_by(|a, b| a.token_hash.cmp(&b.token_hash));
                protocols.sort_by(|a, b| a.id.cmp(&b.id));
                treatments.sort_by(|a, b| a.id.cmp(&b.id));
                patient_links.sort_by(|a, b| a.id.cmp(&b.id));
                check_ins.sort_by(|a, b| a.id.cmp(&b.id));
                alerts.sort_by(|a, b| a.id.cmp(&b.id));
                outbox.sort_by(|a, b| a.id.cmp(&b.id));
                Ok($crate::StoreDump {
                    format: $crate::StoreDump::FORMAT.to_owned(),
                    version: $crate::StoreDump::VERSION,
                    clinics,
                    users,
                    invitations,
                    sessions,
                    protocols,
                    treatments,
                    patient_links,
                    check_ins,
                    alerts,
                    outbox,
                    practitioner_profiles,
                    shelf_products,
                    clinic_catalogs,
                })
            }

            #[tracing::instrument(skip_all)]
            async fn import_all(&self, dump: &$crate::StoreDump) -> $crate::StoreResult<()> {
                if dump.format != $crate::StoreDump::FORMAT
                    || dump.version != $crate::StoreDump::VERSION
                {
                    return Err($crate::StoreError::Invalid {
                        what: format!(
                            "dump: expected format {:?} version {}, found {:?} version {}",
                            $crate::StoreDump::FORMAT,
                            $crate::StoreDump::VERSION,
                            dump.format,
                            dump.version
                        ),
                    });
                }
                let mut tx = self.begin_write().await?;
                if Self::has_any_clinic(&mut *tx).await? {
                    return Err($crate::StoreError::NotEmpty);
                }
                Self::insert_dump(&mut *tx, dump).await.map_err(|err| match err {
                    $crate::StoreError::NotFound => $crate::StoreError::Invalid {
                        what: "dump: a row refers to a missing row or to another clinic's row"
                            .to_owned(),
                    },
                    $crate::StoreError::Conflict { what } => $crate::StoreError::Invalid {
                        what: format!("dump: duplicate {what}"),
                    },
                    other => other,
                })?;
                tx.commit()
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "import"))
            }

            #[tracing::instrument(skip_all)]
            async fn close(&self) {
                self.write_pool().close().await;
                self.read_pool().close().await;
            }

            // ----- clinics ----------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_clinic(
                &self,
                clinic: &$crate::NewClinic,
                now: i64,
            ) -> $crate::StoreResult<$crate::ClinicRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO clinics (",
                    $crate::shared::clinic_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, NULL, $7) RETURNING ",
                    $crate::shared::clinic_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&clinic.name)
                .bind(&clinic.phone)
                .bind(&clinic.email)
                .bind(&clinic.address)
                .bind(&clinic.emergency_number)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic"))
            }

            #[tracing::instrument(skip_all)]
            async fn find_clinic(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Option<$crate::ClinicRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::clinic_cols!(), " FROM clinics WHERE id = $1"
                ))
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_clinics(&self) -> $crate::StoreResult<Vec<$crate::ClinicRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::clinic_cols!(),
                    " FROM clinics ORDER BY created_at, id"
                ))
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinics"))
            }

            #[tracing::instrument(skip_all)]
            async fn update_clinic(
                &self,
                clinic_id: &str,
                details: &$crate::NewClinic,
            ) -> $crate::StoreResult<$crate::ClinicRow> {
                sqlx::query_as(concat!(
                    "UPDATE clinics SET name = $2, phone = $3, email = $4, address = $5, \
                     emergency_number = $6 WHERE id = $1 RETURNING ",
                    $crate::shared::clinic_cols!()
                ))
                .bind(clinic_id)
                .bind(&details.name)
                .bind(&details.phone)
                .bind(&details.email)
                .bind(&details.address)
                .bind(&details.emergency_number)
                .fetch_optional(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "clinic"))?
                .ok_or($crate::StoreError::NotFound)
            }

            #[tracing::instrument(skip_all)]
            async fn set_clinic_default_protocol(
                &self,
                clinic_id: &str,
                protocol_id: Option<&str>,
            ) -> $crate::StoreResult<()> {
                let done = sqlx::query("UPDATE clinics SET default_protocol_id = $2 WHERE id = $1")
                    .bind(clinic_id)
                    .bind(protocol_id)
                    .execute(self.write_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "clinic default protocol"))?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Ok(())
            }

            // ----- users ------------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_user(
                &self,
                user: &$crate::NewUser,
                now: i64,
            ) -> $crate::StoreResult<$crate::UserRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO users (",
                    $crate::shared::user_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING ",
                    $crate::shared::user_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&user.clinic_id)
                .bind($crate::normalize_email(&user.email))
                .bind(&user.display_name)
                .bind(user.role)
                .bind(&user.password_hash)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "user e-mail"))
            }

            #[tracing::instrument(skip_all)]
            async fn find_user_by_email(
                &self,
                email: &str,
            ) -> $crate::StoreResult<Option<$crate::UserRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::user_cols!(), " FROM users WHERE email = $1"
                ))
                .bind($crate::normalize_email(email))
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "user"))
            }

            #[tracing::instrument(skip_all)]
            async fn find_user(
                &self,
                clinic_id: &str,
                user_id: &str,
            ) -> $crate::StoreResult<Option<$crate::UserRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::user_cols!(),
                    " FROM users WHERE id = $1 AND clinic_id = $2"
                ))
                .bind(user_id)
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "user"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_users(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::UserRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::user_cols!(),
                    " FROM users WHERE clinic_id = $1 ORDER BY email"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "users"))
            }

            #[tracing::instrument(skip_all)]
            async fn change_password(
                &self,
                clinic_id: &str,
                user_id: &str,
                password_hash: &str,
                keep_session_hash: Option<&str>,
            ) -> $crate::StoreResult<u64> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let updated = sqlx::query(
                    "UPDATE users SET password_hash = $3 WHERE id = $1 AND clinic_id = $2",
                )
                .bind(user_id)
                .bind(clinic_id)
                .bind(password_hash)
                .execute(&mut *tx)
                .await
                .map_err(|e| db_error(e, "password"))?;
                if updated.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                let deleted = sqlx::query(
                    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2, '')",
                )
                .bind(user_id)
                .bind(keep_session_hash)
                .execute(&mut *tx)
                .await
                .map_err(|e| db_error(e, "sessions"))?;
                tx.commit().await.map_err(|e| db_error(e, "password"))?;
                Ok(deleted.rows_affected())
            }

            #[tracing::instrument(skip_all)]
            async fn disable_user(
                &self,
                clinic_id: &str,
                user_id: &str,
                now: i64,
            ) -> $crate::StoreResult<()> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let updated = sqlx::query(
                    "UPDATE users SET disabled_at = COALESCE(disabled_at, $3) \
                     WHERE id = $1 AND clinic_id = $2",
                )
                .bind(user_id)
                .bind(clinic_id)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(|e| db_error(e, "user"))?;
                if updated.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| db_error(e, "sessions"))?;
                tx.commit().await.map_err(|e| db_error(e, "user"))
            }

            // ----- invitations ------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_invitation(
                &self,
                invitation: &$crate::NewInvitation,
                mail: &[$crate::NewOutboxMessage],
                now: i64,
            ) -> $crate::StoreResult<$crate::InvitationRow> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let row: $crate::InvitationRow = sqlx::query_as(concat!(
                    "INSERT INTO invitations (",
                    $crate::shared::invitation_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING ",
                    $crate::shared::invitation_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&invitation.clinic_id)
                .bind($crate::normalize_email(&invitation.email))
                .bind(invitation.role)
                .bind(&invitation.token_hash)
                .bind(&invitation.created_by)
                .bind(invitation.expires_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| db_error(e, "invitation token"))?;
                for message in mail {
                    Self::insert_outbox(&mut *tx, &row.clinic_id, message, now).await?;
                }
                tx.commit().await.map_err(|e| db_error(e, "invitation"))?;
                Ok(row)
            }

            #[tracing::instrument(skip_all)]
            async fn find_invitation(
                &self,
                token_hash: &str,
                now: i64,
            ) -> $crate::StoreResult<Option<$crate::InvitationRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::invitation_cols!(),
                    " FROM invitations \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2"
                ))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "invitation"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_invitations(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::InvitationRow>> {
                // Ids are UUID v7, so descending id is newest first.
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::invitation_cols!(),
                    " FROM invitations WHERE clinic_id = $1 ORDER BY id DESC"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "invitations"))
            }

            #[tracing::instrument(skip_all)]
            async fn accept_invitation(
                &self,
                token_hash: &str,
                acceptance: &$crate::AcceptInvitation,
                now: i64,
            ) -> $crate::StoreResult<$crate::UserRow> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let invitation: $crate::InvitationRow = sqlx::query_as(concat!(
                    "UPDATE invitations SET used_at = $2 \
                     WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING ",
                    $crate::shared::invitation_cols!()
                ))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_error(e, "invitation"))?
                .ok_or($crate::StoreError::NotFound)?;
                let user = sqlx::query_as(concat!(
                    "INSERT INTO users (",
                    $crate::shared::user_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING ",
                    $crate::shared::user_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&invitation.clinic_id)
                .bind(&invitation.email)
                .bind(&acceptance.display_name)
                .bind(invitation.role)
                .bind(&acceptance.password_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| db_error(e, "user e-mail"))?;
                tx.commit().await.map_err(|e| db_error(e, "invitation"))?;
                Ok(user)
            }

            // ----- sessions ---------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_session(
                &self,
                session: &$crate::NewSession,
                now: i64,
            ) -> $crate::StoreResult<$crate::SessionRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO sessions (",
                    $crate::shared::session_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $4) RETURNING ",
                    $crate::shared::session_cols!()
                ))
                .bind(&session.token_hash)
                .bind(&session.user_id)
                .bind(&session.clinic_id)
                .bind(now)
                .bind(session.expires_at)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "session token"))
            }

            #[tracing::instrument(skip_all)]
            async fn find_session(
                &self,
                token_hash: &str,
                now: i64,
            ) -> $crate::StoreResult<Option<$crate::SessionRow>> {
                sqlx::query_as(
                    "SELECT s.token_hash, s.user_id, s.clinic_id, s.created_at, s.expires_at, \
                     s.last_seen_at FROM sessions s \
                     JOIN users u ON u.id = s.user_id AND u.clinic_id = s.clinic_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "session"))
            }

            #[tracing::instrument(skip_all)]
            async fn touch_session(
                &self,
                token_hash: &str,
                now: i64,
                expires_at: i64,
            ) -> $crate::StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE sessions SET last_seen_at = $2, expires_at = $3 \
                     WHERE token_hash = $1 AND expires_at > $2",
                )
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "session"))?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn delete_session(&self, token_hash: &str) -> $crate::StoreResult<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(self.write_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "session"))?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn delete_other_sessions(
                &self,
                user_id: &str,
                keep_token_hash: Option<&str>,
            ) -> $crate::StoreResult<u64> {
                let done = sqlx::query(
                    "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> COALESCE($2, '')",
                )
                .bind(user_id)
                .bind(keep_token_hash)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "sessions"))?;
                Ok(done.rows_affected())
            }

            #[tracing::instrument(skip_all)]
            async fn delete_expired_sessions(&self, now: i64) -> $crate::StoreResult<u64> {
                let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(now)
                    .execute(self.write_pool())
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "sessions"))?;
                Ok(done.rows_affected())
            }

            // ----- treatments -------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_treatment(
                &self,
                t: &$crate::NewTreatment,
                now: i64,
            ) -> $crate::StoreResult<$crate::TreatmentRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO treatments (",
                    $crate::shared::treatment_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                     RETURNING ",
                    $crate::shared::treatment_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&t.clinic_id)
                .bind(&t.practitioner_id)
                .bind(&t.patient_label)
                .bind(&t.patient_email)
                .bind(t.treated_at)
                .bind(&t.time_zone)
                .bind(&t.skin)
                .bind(t.fitzpatrick)
                .bind(&t.areas)
                .bind(t.cold_sore_history)
                .bind(&t.notes)
                .bind(&t.protocol_id)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "treatment (fitzpatrick must be 1-6)"))
            }

            #[tracing::instrument(skip_all)]
            async fn get_treatment(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Option<$crate::TreatmentRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::treatment_cols!(),
                    " FROM treatments WHERE id = $1 AND clinic_id = $2"
                ))
                .bind(treatment_id)
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "treatment"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_treatments(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::TreatmentSummary>> {
                sqlx::query_as(concat!(
                    "SELECT * FROM (SELECT t.id, t.clinic_id, t.practitioner_id, \
                     t.patient_label, t.patient_email, t.treated_at, t.time_zone, t.skin, \
                     t.fitzpatrick, t.areas, t.cold_sore_history, t.notes, t.protocol_id, \
                     t.created_at, \
                     (SELECT c.level FROM check_ins c WHERE c.treatment_id = t.id \
                      ORDER BY c.at DESC, c.submitted_at DESC, c.id DESC LIMIT 1) AS latest_level, \
                     (SELECT MAX(c.at) FROM check_ins c WHERE c.treatment_id = t.id) \
                      AS latest_check_in_at, \
                     (SELECT COUNT(*) FROM alerts a \
                      WHERE a.treatment_id = t.id AND a.acknowledged_at IS NULL) AS open_alerts, \
                     (SELECT a.level FROM alerts a \
                      WHERE a.treatment_id = t.id AND a.acknowledged_at IS NULL ORDER BY ",
                    $crate::shared::level_rank!("a.level"),
                    " DESC LIMIT 1) AS highest_open_alert_level \
                     FROM treatments t WHERE t.clinic_id = $1) AS d ORDER BY ",
                    $crate::shared::level_rank!("d.highest_open_alert_level"),
                    " DESC, ",
                    $crate::shared::level_rank!("d.latest_level"),
                    " DESC, d.treated_at DESC, d.id DESC"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "treatments"))
            }

            // ----- patient links ----------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn create_patient_link(
                &self,
                link: &$crate::NewPatientLink,
                mail: &[$crate::NewOutboxMessage],
                now: i64,
            ) -> $crate::StoreResult<$crate::PatientLinkRow> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let row: $crate::PatientLinkRow = sqlx::query_as(concat!(
                    "INSERT INTO patient_links (",
                    $crate::shared::link_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, NULL) RETURNING ",
                    $crate::shared::link_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&link.treatment_id)
                .bind(&link.clinic_id)
                .bind(&link.token_hash)
                .bind(link.purpose)
                .bind(now)
                .bind(link.expires_at)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| db_error(e, "patient link token"))?;
                for message in mail {
                    Self::insert_outbox(&mut *tx, &row.clinic_id, message, now).await?;
                }
                tx.commit().await.map_err(|e| db_error(e, "patient link"))?;
                Ok(row)
            }

            #[tracing::instrument(skip_all)]
            async fn find_patient_link(
                &self,
                token_hash: &str,
                now: i64,
            ) -> $crate::StoreResult<Option<$crate::PatientLinkRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::link_cols!(),
                    " FROM patient_links \
                     WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2"
                ))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "patient link"))
            }

            #[tracing::instrument(skip_all)]
            async fn lookup_patient_link(
                &self,
                token_hash: &str,
            ) -> $crate::StoreResult<Option<$crate::PatientLinkRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::link_cols!(),
                    " FROM patient_links WHERE token_hash = $1"
                ))
                .bind(token_hash)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "patient link"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_patient_links(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::PatientLinkRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::link_cols!(),
                    " FROM patient_links WHERE clinic_id = $1 AND treatment_id = $2 \
                     ORDER BY created_at, id"
                ))
                .bind(clinic_id)
                .bind(treatment_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "patient links"))
            }

            #[tracing::instrument(skip_all)]
            async fn revoke_patient_link(
                &self,
                clinic_id: &str,
                link_id: &str,
                now: i64,
            ) -> $crate::StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE patient_links SET revoked_at = COALESCE(revoked_at, $3) \
                     WHERE id = $1 AND clinic_id = $2",
                )
                .bind(link_id)
                .bind(clinic_id)
                .bind(now)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "patient link"))?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Ok(())
            }

            // ----- check-ins and alerts ---------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn record_check_in(
                &self,
                check_in: &$crate::NewCheckIn,
                mail: &[$crate::NewOutboxMessage],
                now: i64,
            ) -> $crate::StoreResult<$crate::RecordedCheckIn> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let row: $crate::CheckInRow = sqlx::query_as(concat!(
                    "INSERT INTO check_ins (",
                    $crate::shared::check_in_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ",
                    $crate::shared::check_in_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&check_in.treatment_id)
                .bind(&check_in.clinic_id)
                .bind(check_in.at)
                .bind(now)
                .bind(&check_in.input)
                .bind(check_in.level)
                .bind(&check_in.result)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| db_error(e, "check-in"))?;
                let alert = if row.level.raises_alert() {
                    let alert: $crate::AlertRow = sqlx::query_as(concat!(
                        "INSERT INTO alerts (",
                        $crate::shared::alert_cols!(),
                        ") VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL, NULL) RETURNING ",
                        $crate::shared::alert_cols!()
                    ))
                    .bind($crate::shared::new_id())
                    .bind(&row.clinic_id)
                    .bind(&row.treatment_id)
                    .bind(&row.id)
                    .bind(row.level)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| db_error(e, "alert"))?;
                    Some(alert)
                } else {
                    None
                };
                let mut outbox = Vec::with_capacity(mail.len());
                for message in mail {
                    outbox.push(Self::insert_outbox(&mut *tx, &row.clinic_id, message, now).await?);
                }
                tx.commit().await.map_err(|e| db_error(e, "check-in"))?;
                Ok($crate::RecordedCheckIn {
                    check_in: row,
                    alert,
                    outbox,
                })
            }

            #[tracing::instrument(skip_all)]
            async fn list_check_ins(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::CheckInRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::check_in_cols!(),
                    " FROM check_ins WHERE clinic_id = $1 AND treatment_id = $2 \
                     ORDER BY at, submitted_at, id"
                ))
                .bind(clinic_id)
                .bind(treatment_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "check-ins"))
            }

            #[tracing::instrument(skip_all)]
            async fn get_check_in(
                &self,
                clinic_id: &str,
                check_in_id: &str,
            ) -> $crate::StoreResult<Option<$crate::CheckInRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::check_in_cols!(),
                    " FROM check_ins WHERE id = $1 AND clinic_id = $2"
                ))
                .bind(check_in_id)
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "check-in"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_open_alerts(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::AlertRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::alert_cols!(),
                    " FROM alerts WHERE clinic_id = $1 AND acknowledged_at IS NULL ORDER BY ",
                    $crate::shared::level_rank!("level"),
                    " DESC, created_at, id"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "alerts"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_alerts_for_treatment(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::AlertRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::alert_cols!(),
                    " FROM alerts WHERE clinic_id = $1 AND treatment_id = $2 \
                     ORDER BY created_at, id"
                ))
                .bind(clinic_id)
                .bind(treatment_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "alerts"))
            }

            #[tracing::instrument(skip_all)]
            async fn acknowledge_alert(
                &self,
                clinic_id: &str,
                alert_id: &str,
                user_id: &str,
                note: Option<&str>,
                now: i64,
            ) -> $crate::StoreResult<$crate::AlertRow> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let acknowledged: Option<$crate::AlertRow> = sqlx::query_as(concat!(
                    "UPDATE alerts SET acknowledged_at = $4, acknowledged_by = $3, \
                     acknowledgement_note = $5 \
                     WHERE id = $1 AND clinic_id = $2 AND acknowledged_at IS NULL RETURNING ",
                    $crate::shared::alert_cols!()
                ))
                .bind(alert_id)
                .bind(clinic_id)
                .bind(user_id)
                .bind(now)
                .bind(note)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_error(e, "alert acknowledgement"))?;
                match acknowledged {
                    Some(alert) => {
                        tx.commit().await.map_err(|e| db_error(e, "alert"))?;
                        Ok(alert)
                    }
                    None => {
                        let exists: Option<i64> = sqlx::query_scalar(
                            "SELECT COUNT(*) FROM alerts WHERE id = $1 AND clinic_id = $2",
                        )
                        .bind(alert_id)
                        .bind(clinic_id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(|e| db_error(e, "alert"))?;
                        if exists.unwrap_or(0) > 0 {
                            Err($crate::StoreError::Conflict {
                                what: "alert acknowledgement".to_owned(),
                            })
                        } else {
                            Err($crate::StoreError::NotFound)
                        }
                    }
                }
            }

            // ----- outbox -----------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn enqueue_outbox(
                &self,
                clinic_id: &str,
                message: &$crate::NewOutboxMessage,
                now: i64,
            ) -> $crate::StoreResult<$crate::OutboxRow> {
                let mut conn = self
                    .write_pool()
                    .acquire()
                    .await
                    .map_err(|e| $crate::shared::db_error(e, "outbox"))?;
                Self::insert_outbox(&mut *conn, clinic_id, message, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn list_outbox(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::OutboxRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::outbox_cols!(),
                    " FROM outbox WHERE clinic_id = $1 ORDER BY created_at, id"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "outbox"))
            }

            #[tracing::instrument(skip_all)]
            async fn claim_due_outbox(
                &self,
                now: i64,
                lease_seconds: i64,
                limit: i64,
            ) -> $crate::StoreResult<Vec<$crate::OutboxRow>> {
                use $crate::shared::db_error;
                if limit <= 0 {
                    return Ok(Vec::new());
                }
                let mut tx = self.begin_write().await?;
                let mut claimed: Vec<$crate::OutboxRow> =
                    sqlx::query_as(<$store>::CLAIM_OUTBOX_SQL)
                        .bind(now)
                        .bind(lease_seconds.max(1))
                        .bind(limit)
                        .fetch_all(&mut *tx)
                        .await
                        .map_err(|e| db_error(e, "outbox claim"))?;
                tx.commit().await.map_err(|e| db_error(e, "outbox claim"))?;
                // RETURNING gives no order guarantee; the contract is "oldest due first".
                claimed.sort_by(|a, b| {
                    (a.next_attempt_at, &a.id).cmp(&(b.next_attempt_at, &b.id))
                });
                Ok(claimed)
            }

            #[tracing::instrument(skip_all)]
            async fn mark_outbox_sent(&self, outbox_id: &str, now: i64) -> $crate::StoreResult<()> {
                let done = sqlx::query(
                    "UPDATE outbox SET sent_at = $2, locked_until = NULL, last_error = NULL \
                     WHERE id = $1 AND sent_at IS NULL",
                )
                .bind(outbox_id)
                .bind(now)
                .execute(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "outbox"))?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound);
                }
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn mark_outbox_failed(
                &self,
                outbox_id: &str,
                error: &str,
                now: i64,
                backoff: $crate::Backoff,
            ) -> $crate::StoreResult<$crate::OutboxRow> {
                use $crate::shared::db_error;
                let mut tx = self.begin_write().await?;
                let attempts: i32 = sqlx::query_scalar(
                    "SELECT attempts FROM outbox WHERE id = $1 AND sent_at IS NULL",
                )
                .bind(outbox_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_error(e, "outbox"))?
                .ok_or($crate::StoreError::NotFound)?;
                let next_attempt_at = now.saturating_add(backoff.delay_after(attempts));
                let row = sqlx::query_as(concat!(
                    "UPDATE outbox SET last_error = $2, next_attempt_at = $3, locked_until = NULL \
                     WHERE id = $1 AND sent_at IS NULL RETURNING ",
                    $crate::shared::outbox_cols!()
                ))
                .bind(outbox_id)
                .bind($crate::shared::truncate_error(error))
                .bind(next_attempt_at)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| db_error(e, "outbox"))?
                .ok_or($crate::StoreError::NotFound)?;
                tx.commit().await.map_err(|e| db_error(e, "outbox"))?;
                Ok(row)
            }

            // ----- protocols --------------------------------------------------------

            #[tracing::instrument(skip_all)]
            async fn upload_protocol(
                &self,
                protocol: &$crate::NewProtocol,
                now: i64,
            ) -> $crate::StoreResult<$crate::ProtocolRow> {
                sqlx::query_as(concat!(
                    "INSERT INTO protocols (",
                    $crate::shared::protocol_cols!(),
                    ") VALUES ($1, $2, $3, $4, $5, $6) RETURNING ",
                    $crate::shared::protocol_cols!()
                ))
                .bind($crate::shared::new_id())
                .bind(&protocol.clinic_id)
                .bind(&protocol.name)
                .bind(&protocol.toml)
                .bind(&protocol.uploaded_by)
                .bind(now)
                .fetch_one(self.write_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "protocol"))
            }

            #[tracing::instrument(skip_all)]
            async fn list_protocols(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::ProtocolRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::protocol_cols!(),
                    " FROM protocols WHERE clinic_id = $1 ORDER BY created_at DESC, id DESC"
                ))
                .bind(clinic_id)
                .fetch_all(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "protocols"))
            }

            #[tracing::instrument(skip_all)]
            async fn get_protocol(
                &self,
                clinic_id: &str,
                protocol_id: &str,
            ) -> $crate::StoreResult<Option<$crate::ProtocolRow>> {
                sqlx::query_as(concat!(
                    "SELECT ", $crate::shared::protocol_cols!(),
                    " FROM protocols WHERE id = $1 AND clinic_id = $2"
                ))
                .bind(protocol_id)
                .bind(clinic_id)
                .fetch_optional(self.read_pool())
                .await
                .map_err(|e| $crate::shared::db_error(e, "protocol"))
            }

            // ----- practitioner directory (SQL in `directory.rs`) ------------------

            #[tracing::instrument(skip_all)]
            async fn upsert_practitioner_profile(
                &self,
                profile: &$crate::NewPractitionerProfile,
                now: i64,
            ) -> $crate::StoreResult<$crate::PractitionerProfileRow> {
                self.directory_upsert(profile, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn get_practitioner_profile(
                &self,
                clinic_id: &str,
                user_id: &str,
            ) -> $crate::StoreResult<Option<$crate::PractitionerProfileRow>> {
                self.directory_get(clinic_id, user_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn list_practitioner_profiles(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::PractitionerProfileRow>> {
                self.directory_list_clinic(clinic_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn set_practitioner_profile_approval(
                &self,
                clinic_id: &str,
                profile_id: &str,
                approved_by: Option<&str>,
                now: i64,
            ) -> $crate::StoreResult<$crate::PractitionerProfileRow> {
                self.directory_set_approval(clinic_id, profile_id, approved_by, now)
                    .await
            }

            #[tracing::instrument(skip_all)]
            async fn delete_practitioner_profile(
                &self,
                clinic_id: &str,
                user_id: &str,
            ) -> $crate::StoreResult<bool> {
                self.directory_delete(clinic_id, user_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn list_public_profiles(
                &self,
            ) -> $crate::StoreResult<Vec<$crate::PractitionerProfileRow>> {
                self.directory_list_public().await
            }

            #[tracing::instrument(skip_all)]
            async fn directory_version(&self) -> $crate::StoreResult<i64> {
                self.directory_current_version().await
            }

            // ----- product shelf (SQL in `shelf.rs`) ---------------------------------

            #[tracing::instrument(skip_all)]
            async fn add_shelf_product(
                &self,
                product: &$crate::NewShelfProduct,
                now: i64,
            ) -> $crate::StoreResult<$crate::ShelfProductRow> {
                self.shelf_add(product, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn list_shelf_products(
                &self,
                clinic_id: &str,
                treatment_id: &str,
            ) -> $crate::StoreResult<Vec<$crate::ShelfProductRow>> {
                self.shelf_list(clinic_id, treatment_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn update_shelf_product(
                &self,
                product_id: &str,
                product: &$crate::NewShelfProduct,
                now: i64,
            ) -> $crate::StoreResult<$crate::ShelfProductRow> {
                self.shelf_update(product_id, product, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn delete_shelf_product(
                &self,
                clinic_id: &str,
                treatment_id: &str,
                product_id: &str,
            ) -> $crate::StoreResult<bool> {
                self.shelf_delete(clinic_id, treatment_id, product_id).await
            }

            // ----- clinic product catalog (SQL in `catalog.rs`) -----------------------

            #[tracing::instrument(skip_all)]
            async fn set_clinic_catalog(
                &self,
                clinic_id: &str,
                user_id: &str,
                toml: &str,
                now: i64,
            ) -> $crate::StoreResult<$crate::ClinicCatalogRow> {
                self.catalog_set(clinic_id, user_id, toml, now).await
            }

            #[tracing::instrument(skip_all)]
            async fn get_clinic_catalog(
                &self,
                clinic_id: &str,
            ) -> $crate::StoreResult<Option<$crate::ClinicCatalogRow>> {
                self.catalog_get(clinic_id).await
            }

            #[tracing::instrument(skip_all)]
            async fn clear_clinic_catalog(&self, clinic_id: &str) -> $crate::StoreResult<bool> {
                self.catalog_clear(clinic_id).await
            }
        }
    };
}

pub(crate) use impl_store;
