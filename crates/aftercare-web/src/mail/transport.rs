//! Sending one queued message over SMTP with `lettre`: the transport built from the settings
//! (plain, STARTTLS or implicit TLS on rustls, optional login), the message built from an
//! outbox row (multipart text + HTML, a Message-ID derived from the outbox id so a repeated
//! delivery is recognisable as the same message), and errors sorted into what the worker and
//! the logs need to know.
//!
//! What does not belong here: choosing what to send (the outbox worker) and what a message
//! says (compose).

use std::time::Duration;

use aftercare_store::OutboxRow;
use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart, header::ContentType},
    transport::smtp::authentication::Credentials,
};
use secrecy::ExposeSecret;

use super::settings::{EmailSettings, SmtpTls};

/// Why a message was not delivered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The recipient is not an e-mail address.
    #[error("the recipient is not an e-mail address: {0}")]
    Address(#[from] lettre::address::AddressError),
    /// The message could not be put together.
    #[error("the message could not be built: {0}")]
    Message(#[from] lettre::error::Error),
    /// The server refused the message, or could not be reached.
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// The delivery took longer than the configured timeout.
    #[error("no answer from the SMTP server within {0} s")]
    Timeout(u64),
}

impl SendError {
    /// Whether the server could not be reached at all (so the rest of a batch need not try).
    pub fn is_unreachable(&self) -> bool {
        match self {
            SendError::Timeout(_) => true,
            // Connection, network and TLS failures: the server said nothing about the message.
            SendError::Smtp(error) => {
                !(error.is_response()
                    || error.is_client()
                    || error.is_transient()
                    || error.is_permanent())
            }
            SendError::Address(_) | SendError::Message(_) => false,
        }
    }

    /// A short class for logs, which never carry the server's text (it may quote the
    /// recipient).
    pub fn class(&self) -> &'static str {
        match self {
            SendError::Address(_) => "bad_recipient",
            SendError::Message(_) => "bad_message",
            SendError::Timeout(_) => "timeout",
            SendError::Smtp(error) if error.is_permanent() => "rejected_permanently",
            SendError::Smtp(error) if error.is_transient() => "rejected_for_now",
            SendError::Smtp(error) if error.is_tls() => "tls",
            SendError::Smtp(error) if error.is_response() || error.is_client() => "protocol",
            SendError::Smtp(_) => "unreachable",
        }
    }

    /// The SMTP reply code, when the server answered.
    pub fn code(&self) -> Option<String> {
        match self {
            SendError::Smtp(error) => error.status().map(|code| code.to_string()),
            _ => None,
        }
    }
}

/// The SMTP client of the app (one connection per message; the worker sends a few at a time).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    timeout: Duration,
    description: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("server", &self.description)
            .finish_non_exhaustive()
    }
}

impl Mailer {
    /// The mailer of `settings`; `None` when no SMTP host is configured (e-mail is off).
    ///
    /// # Errors
    /// When the sender is invalid or the TLS parameters cannot be built.
    pub fn from_settings(settings: &EmailSettings) -> anyhow::Result<Option<Mailer>> {
        let Some(host) = settings.smtp_host.as_deref().map(str::trim) else {
            return Ok(None);
        };
        let from = settings.from_mailbox()?;
        let builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        };
        let timeout = Duration::from_secs(settings.send_timeout_seconds.max(1));
        let mut builder = builder.port(settings.port()).timeout(Some(timeout));
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            timeout,
            description: format!("{host}:{} ({})", settings.port(), settings.tls.as_str()),
        }))
    }

    /// `host:port (tls mode)`, for the start-up log.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Builds the e-mail of an outbox row.
    ///
    /// # Errors
    /// When the recipient is not an address or the message cannot be built.
    pub fn message(&self, row: &OutboxRow) -> Result<Message, SendError> {
        let to: Mailbox = row.recipient.trim().parse()?;
        let domain = self.from.email.domain().to_owned();
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(row.subject.clone())
            .message_id(Some(format!("<{}@{domain}>", row.id)));
        let message = match &row.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                row.body_text.clone(),
                html.clone(),
            ))?,
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(row.body_text.clone())?,
        };
        Ok(message)
    }

    /// Delivers an outbox row to the SMTP server.
    ///
    /// # Errors
    /// [`SendError`]: a bad recipient, a refusal, an unreachable server or a timeout.
    pub async fn send(&self, row: &OutboxRow) -> Result<(), SendError> {
        let message = self.message(row)?;
        // lettre's timeout is per socket operation; this one bounds the whole delivery, so a
        // batch never outlives its lease.
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(error)) => Err(SendError::Smtp(error)),
            Err(_) => Err(SendError::Timeout(self.timeout.as_secs())),
        }
    }
}
