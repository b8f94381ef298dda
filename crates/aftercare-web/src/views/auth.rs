//! Pages for signing in, first-run setup, accepting an invitation and changing a password.

use askama::Template;

use super::{ClinicNav, FieldErrors};

/// The start page for people who are not signed in.
#[derive(Debug, Template)]
#[template(path = "home.html")]
pub struct HomePage;

/// The sign-in form.
#[derive(Debug, Template)]
#[template(path = "auth/sign_in.html")]
pub struct SignInPage {
    /// The e-mail typed before (shown again after a failed attempt).
    pub email: String,
    /// Why the attempt failed.
    pub message: Option<String>,
    /// A confirmation after a redirect.
    pub flash: Option<&'static str>,
}

/// What the setup form was filled with.
#[derive(Debug, Clone, Default)]
pub struct SetupValues {
    /// Clinic name.
    pub clinic_name: String,
    /// Clinic phone.
    pub clinic_phone: String,
    /// Clinic e-mail.
    pub clinic_email: String,
    /// Clinic address.
    pub clinic_address: String,
    /// Local emergency number.
    pub emergency_number: String,
    /// Admin's name.
    pub display_name: String,
    /// Admin's e-mail.
    pub email: String,
}

/// The one-time first-run setup form.
#[derive(Debug, Template)]
#[template(path = "auth/setup.html")]
pub struct SetupPage {
    /// The setup token (from the URL printed at start).
    pub token: String,
    /// What was typed.
    pub values: SetupValues,
    /// What to fix.
    pub errors: FieldErrors,
}

/// The form that turns an invitation into an account.
#[derive(Debug, Template)]
#[template(path = "auth/invitation.html")]
pub struct InvitationPage {
    /// The invitation token.
    pub token: String,
    /// The inviting clinic's name.
    pub clinic_name: String,
    /// The invited e-mail.
    pub email: String,
    /// "an admin" or "a practitioner".
    pub role: &'static str,
    /// The name typed before.
    pub display_name: String,
    /// What to fix.
    pub errors: FieldErrors,
}

/// The password change form.
#[derive(Debug, Template)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    /// Navigation.
    pub nav: ClinicNav,
    /// What to fix.
    pub errors: FieldErrors,
    /// A confirmation after a redirect.
    pub flash: Option<&'static str>,
}
