//! First-run and recovery administration without a browser: `aftercare admin create` makes a
//! clinic's admin account, creating the clinic itself when there is none yet.
//!
//! What does not belong here: the browser's one-time setup page (`routes::auth`), which does
//! the same through a form.

use aftercare_store::{ClinicRow, NewClinic, NewUser, Role, Store, StoreError};
use secrecy::{ExposeSecret, SecretString};

use crate::{
    auth::{PasswordHasher, password::check_new_password, token::generate_token},
    input,
};

/// What to create.
#[derive(Debug, Clone)]
pub struct AdminRequest {
    /// The clinic's name: created when no clinic has it; required when there is no clinic or
    /// more than one.
    pub clinic_name: Option<String>,
    /// The clinic's phone (for a new clinic).
    pub clinic_phone: String,
    /// The clinic's e-mail (for a new clinic).
    pub clinic_email: String,
    /// The clinic's address (for a new clinic).
    pub clinic_address: String,
    /// The local emergency number (for a new clinic).
    pub emergency_number: String,
    /// The admin's e-mail.
    pub email: String,
    /// The admin's name.
    pub display_name: String,
    /// The password; `None` generates one (returned once).
    pub password: Option<SecretString>,
}

/// What was created.
#[derive(Debug)]
pub struct CreatedAdmin {
    /// The clinic.
    pub clinic: ClinicRow,
    /// Whether the clinic was created now.
    pub clinic_created: bool,
    /// The admin's e-mail.
    pub email: String,
    /// The generated password, when none was given.
    pub generated_password: Option<SecretString>,
}

/// Why the admin could not be created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// Bad input: the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// The store failed.
    #[error("database error")]
    Store(#[from] StoreError),
    /// Hashing or randomness failed.
    #[error("{0}")]
    Internal(String),
}

/// Creates a clinic admin (and the clinic, if needed).
///
/// # Errors
/// [`AdminError::Invalid`] for a bad e-mail, name or password, an e-mail already in use, or an
/// ambiguous clinic; [`AdminError::Store`] when the database fails.
pub async fn create_admin(
    store: &dyn Store,
    hasher: &PasswordHasher,
    request: AdminRequest,
    now: i64,
) -> Result<CreatedAdmin, AdminError> {
    let email = input::email(Some(&request.email), "admin's e-mail (--email)")
        .map_err(AdminError::Invalid)?;
    let display_name =
        input::required_line(Some(&request.display_name), "admin's name (--name)", 200)
            .map_err(AdminError::Invalid)?;
    let (password, generated) = match request.password {
        Some(password) => {
            check_new_password(password.expose_secret()).map_err(AdminError::Invalid)?;
            (password, false)
        }
        None => {
            let token = generate_token().map_err(|e| AdminError::Internal(e.to_string()))?;
            (SecretString::from(token[..24].to_owned()), true)
        }
    };
    if store.find_user_by_email(&email).await?.is_some() {
        return Err(AdminError::Invalid(format!(
            "an account with the e-mail {email} exists already"
        )));
    }
    let clinics = store.list_clinics().await?;
    let wanted = request
        .clinic_name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let (clinic, clinic_created) = match (wanted, clinics.as_slice()) {
        (Some(name), _) => match clinics.iter().find(|c| c.name == name) {
            Some(clinic) => (clinic.clone(), false),
            None => {
                let details = NewClinic {
                    name: input::required_line(Some(name), "clinic name (--clinic)", 200)
                        .map_err(AdminError::Invalid)?,
                    phone: input::optional_line(Some(&request.clinic_phone), "clinic phone", 50)
                        .map_err(AdminError::Invalid)?,
                    email: if request.clinic_email.trim().is_empty() {
                        String::new()
                    } else {
                        input::email(Some(&request.clinic_email), "clinic e-mail")
                            .map_err(AdminError::Invalid)?
                    },
                    address: input::optional_line(
                        Some(&request.clinic_address),
                        "clinic address",
                        500,
                    )
                    .map_err(AdminError::Invalid)?,
                    emergency_number: input::required_line(
                        Some(&request.emergency_number),
                        "emergency number",
                        20,
                    )
                    .map_err(AdminError::Invalid)?,
                };
                (store.create_clinic(&details, now).await?, true)
            }
        },
        (None, [only]) => (only.clone(), false),
        (None, []) => {
            return Err(AdminError::Invalid(
                "there is no clinic yet: name it with --clinic \"Clinic name\"".into(),
            ));
        }
        (None, _) => {
            return Err(AdminError::Invalid(format!(
                "there are {} clinics: say which one with --clinic",
                clinics.len()
            )));
        }
    };
    let password_hash = hasher
        .hash(password.clone())
        .await
        .map_err(|e| AdminError::Internal(e.to_string()))?;
    let user = NewUser {
        clinic_id: clinic.id.clone(),
        email: email.clone(),
        display_name,
        role: Role::Admin,
        password_hash,
    };
    store
        .create_user(&user, now)
        .await
        .map_err(|error| match error {
            StoreError::Conflict { .. } => {
                AdminError::Invalid(format!("an account with the e-mail {email} exists already"))
            }
            other => AdminError::Store(other),
        })?;
    Ok(CreatedAdmin {
        clinic,
        clinic_created,
        email,
        generated_password: generated.then_some(password),
    })
}

/// Opens the configured database, creates the admin, and closes the database again.
///
/// # Errors
/// As [`create_admin`], and [`AdminError::Store`] when the database cannot be opened.
pub async fn create_admin_with_settings(
    settings: &crate::settings::Settings,
    request: AdminRequest,
    now: i64,
) -> Result<CreatedAdmin, AdminError> {
    let url = settings.database.connection_url();
    let store = aftercare_store::connect(url.expose_secret()).await?;
    let hasher = PasswordHasher::new(
        settings.security.argon2_memory_kib,
        settings.security.argon2_iterations,
    )
    .map_err(|e| AdminError::Internal(e.to_string()))?;
    let result = create_admin(store.as_ref(), &hasher, request, now).await;
    store.close().await;
    result
}
