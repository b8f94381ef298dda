//! The `[email]` section of the settings: the SMTP server (host, port, TLS mode, credentials),
//! the sender, who receives alert e-mails and how much they say, and how the outbox worker
//! paces itself.
//!
//! The password is a `SecretString`: `Debug` (and so every log line that prints the settings)
//! shows `[REDACTED]`. Without `smtp_host` e-mail is off: messages are still queued in the
//! outbox, nothing is sent, and alerts stay on the dashboard. What does not belong here:
//! building the transport (see `transport`).

use lettre::message::Mailbox;
use secrecy::SecretString;
use serde::Deserialize;

use crate::settings::SettingsError;

/// E-mail over SMTP.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmailSettings {
    /// The SMTP server's host name; none turns e-mail off.
    pub smtp_host: Option<String>,
    /// The SMTP port. Default: 25 without TLS, 587 with STARTTLS, 465 with implicit TLS.
    pub smtp_port: Option<u16>,
    /// How the connection is protected.
    pub tls: SmtpTls,
    /// The SMTP user name, if the server wants a login.
    pub username: Option<String>,
    /// The SMTP password (secret: never logged, redacted in `Debug`).
    pub password: Option<SecretString>,
    /// The sender, e.g. `Aftercare <aftercare@clinic.example>`; required with `smtp_host`.
    pub from: Option<String>,
    /// Who receives an alert e-mail.
    pub alert_recipients: AlertRecipients,
    /// How much an alert e-mail says about the check-in.
    pub alert_detail: AlertDetail,
    /// Whether this instance runs the delivery worker (with several instances one is enough,
    /// though more are safe: a message is claimed by one worker at a time).
    pub worker: bool,
    /// Seconds between two looks at the outbox when it is empty.
    pub poll_seconds: u64,
    /// Messages claimed at once.
    pub batch_size: u32,
    /// Seconds one delivery may take before it counts as failed.
    pub send_timeout_seconds: u64,
    /// Seconds before the first retry of a failed message; doubles after each attempt.
    pub retry_base_seconds: u32,
    /// The longest wait between two attempts, in seconds.
    pub retry_max_seconds: u32,
}

impl Default for EmailSettings {
    fn default() -> Self {
        EmailSettings {
            smtp_host: None,
            smtp_port: None,
            tls: SmtpTls::Starttls,
            username: None,
            password: None,
            from: None,
            alert_recipients: AlertRecipients::ClinicAndPractitioner,
            alert_detail: AlertDetail::Level,
            worker: true,
            poll_seconds: 5,
            batch_size: 20,
            send_timeout_seconds: 30,
            retry_base_seconds: 60,
            retry_max_seconds: 3600,
        }
    }
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain text (only for a relay on the same host or a test server).
    None,
    /// Upgrade with STARTTLS; refuses to send if the server does not offer it (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

impl SmtpTls {
    /// The usual port of this mode.
    pub const fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        }
    }

    /// The setting's value, for logs.
    pub const fn as_str(self) -> &'static str {
        match self {
            SmtpTls::None => "none",
            SmtpTls::Starttls => "starttls",
            SmtpTls::Tls => "tls",
        }
    }
}

/// Who receives an alert e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRecipients {
    /// The clinic's contact address and the treating practitioner (once if they are the same).
    ClinicAndPractitioner,
    /// Only the clinic's contact address.
    Clinic,
    /// Only the treating practitioner (not when their account is disabled).
    Practitioner,
}

/// How much an alert e-mail says. E-mail leaves the clinic's systems, so by default it says no
/// more than the level and the recovery day; the details are on the dashboard, behind sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertDetail {
    /// The triage level, the recovery day and the link to the alert.
    Level,
    /// Also the ids of the triage rules that fired (e.g. `fever`) and the patient's label.
    Rules,
}

impl EmailSettings {
    /// Whether an SMTP server is configured.
    pub fn is_on(&self) -> bool {
        self.smtp_host.is_some()
    }

    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.smtp_port.unwrap_or_else(|| self.tls.default_port())
    }

    /// How long a worker holds the messages it claimed: long enough to try the whole batch
    /// (each try is cut off after `send_timeout_seconds`) plus a minute, so no other worker
    /// takes a message while it is still being sent.
    pub fn lease_seconds(&self) -> i64 {
        let batch = i64::from(self.batch_size.max(1));
        let timeout = i64::try_from(self.send_timeout_seconds.max(1)).unwrap_or(i64::MAX / 4);
        batch.saturating_mul(timeout).saturating_add(60)
    }

    /// The sender as a mailbox, when configured and valid.
    ///
    /// # Errors
    /// When `from` is missing or not an address.
    pub fn from_mailbox(&self) -> Result<Mailbox, SettingsError> {
        let from = self.from.as_deref().map(str::trim).unwrap_or("");
        if from.is_empty() {
            return Err(SettingsError::Invalid(
                "email.from: give the sender address, e.g. \"Aftercare <aftercare@clinic.example>\""
                    .into(),
            ));
        }
        from.parse::<Mailbox>().map_err(|e| {
            SettingsError::Invalid(format!("email.from '{from}' is not an e-mail address: {e}"))
        })
    }

    /// Checks what serde cannot. Only a configured server needs a sender.
    ///
    /// # Errors
    /// A sentence naming the bad setting.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let invalid = |message: &str| Err(SettingsError::Invalid(format!("email: {message}")));
        if let Some(host) = &self.smtp_host {
            if host.trim().is_empty() || host.contains(char::is_whitespace) {
                return invalid("smtp_host must be a host name or address");
            }
            self.from_mailbox()?;
        }
        if self.smtp_port == Some(0) {
            return invalid("smtp_port must be 1-65535");
        }
        if self.username.is_some() != self.password.is_some() {
            return invalid("username and password go together: give both or neither");
        }
        if self.batch_size == 0 || self.batch_size > 1000 {
            return invalid("batch_size must be 1-1000");
        }
        if self.poll_seconds == 0 || self.send_timeout_seconds == 0 {
            return invalid("poll_seconds and send_timeout_seconds must be at least 1");
        }
        if self.retry_base_seconds == 0 || self.retry_max_seconds < self.retry_base_seconds {
            return invalid("retry_base_seconds must be at least 1 and at most retry_max_seconds");
        }
        Ok(())
    }

    /// The retry policy of the outbox.
    pub fn backoff(&self) -> aftercare_store::Backoff {
        aftercare_store::Backoff {
            base_seconds: i64::from(self.retry_base_seconds),
            max_seconds: i64::from(self.retry_max_seconds),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{Overrides, Settings};

    fn load(pairs: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        Settings::load(
            None,
            Some(
                pairs
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            ),
            &Overrides::default(),
        )
    }

    #[test]
    fn email_is_off_by_default() {
        let settings = load(&[]).unwrap();
        assert!(!settings.email.is_on());
        assert_eq!(settings.email.port(), 587);
    }

    #[test]
    fn the_password_never_shows_in_debug() {
        let settings = load(&[
            ("AFTERCARE__EMAIL__SMTP_HOST", "smtp.example.org"),
            ("AFTERCARE__EMAIL__TLS", "tls"),
            ("AFTERCARE__EMAIL__USERNAME", "mailer"),
            ("AFTERCARE__EMAIL__PASSWORD", "hunter2-smtp"),
            (
                "AFTERCARE__EMAIL__FROM",
                "Aftercare <aftercare@clinic.example>",
            ),
        ])
        .unwrap();
        assert_eq!(settings.email.port(), 465);
        assert_eq!(settings.email.tls, SmtpTls::Tls);
        let debug = format!("{settings:?}");
        assert!(!debug.contains("hunter2-smtp"), "{debug}");
        assert!(debug.contains("smtp.example.org"), "{debug}");
    }

    #[test]
    fn a_server_needs_a_valid_sender_and_whole_credentials() {
        let error = load(&[("AFTERCARE__EMAIL__SMTP_HOST", "smtp.example.org")]).unwrap_err();
        assert!(error.to_string().contains("email.from"), "{error}");
        let error = load(&[
            ("AFTERCARE__EMAIL__SMTP_HOST", "smtp.example.org"),
            ("AFTERCARE__EMAIL__FROM", "not an address"),
        ])
        .unwrap_err();
        assert!(error.to_string().contains("email.from"), "{error}");
        let error = load(&[("AFTERCARE__EMAIL__USERNAME", "mailer")]).unwrap_err();
        assert!(error.to_string().contains("username"), "{error}");
        let error = load(&[("AFTERCARE__EMAIL__TLS", "ssl")]).unwrap_err();
        assert!(error.to_string().contains("ssl"), "{error}");
    }

    #[test]
    fn the_lease_outlasts_a_whole_batch() {
        let settings = EmailSettings::default();
        assert_eq!(settings.lease_seconds(), 20 * 30 + 60);
    }
}
