//! E-mail: what the messages say (`compose`), the `[email]` settings (`settings`), sending one
//! message over SMTP (`transport`) and the outbox worker that delivers queued messages with
//! retries and backoff (`worker`).
//!
//! Nothing is sent from a request: a message is written to the outbox in the same transaction
//! as what caused it (a check-in and its alert), and the worker delivers it later, so a down
//! SMTP server never fails a check-in and never loses an alert e-mail. docs/email.md describes
//! the settings and the delivery guarantees.

pub mod compose;
pub mod settings;
pub mod transport;
pub mod worker;

pub use settings::{AlertDetail, AlertRecipients, EmailSettings, SmtpTls};
pub use transport::{Mailer, SendError};
pub use worker::{DeliveryReport, deliver_due_once, spawn_worker};
