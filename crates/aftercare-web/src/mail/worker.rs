//! The outbox worker: claims due messages in batches (a lease, so across instances a message
//! is in one worker's hands at a time), sends each over SMTP, and marks it sent, or failed with
//! the next attempt pushed back (`email.retry_*`). The background task started with the server
//! calls [`deliver_due_once`] in a loop; tests call it directly.
//!
//! Logs name the outbox id, kind and attempt, never the recipient, the subject, the body or
//! the server's reply text (which may quote the address). What does not belong here: SMTP
//! details (`transport`) and what the messages say (`compose`).

use std::time::Duration;

use aftercare_store::StoreError;
use tokio::{sync::watch, task::JoinHandle};

use crate::state::AppState;

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Messages claimed (due, unsent, not leased by another worker).
    pub claimed: usize,
    /// Messages the SMTP server accepted.
    pub sent: usize,
    /// Messages that failed and wait for their next attempt.
    pub failed: usize,
}

/// The longest `last_error` kept, in characters.
const MAX_ERROR_CHARS: usize = 500;

/// Claims the messages due now (at most `email.batch_size`) and tries to deliver each once.
/// With e-mail off nothing is claimed, so messages stay queued.
///
/// When the server cannot be reached, the rest of the batch is not tried: each is marked
/// failed with the same error and retried later. A message whose delivery succeeded but could
/// not be marked sent is delivered again when its lease ends (at least once).
///
/// # Errors
/// When the outbox cannot be read; a failure to mark one message is logged and the pass goes
/// on.
pub async fn deliver_due_once(state: &AppState) -> Result<DeliveryReport, StoreError> {
    let Some(mailer) = state.mailer() else {
        return Ok(DeliveryReport::default());
    };
    let settings = &state.settings().email;
    let store = state.store();
    let claimed = store
        .claim_due_outbox(
            state.now(),
            settings.lease_seconds(),
            i64::from(settings.batch_size),
        )
        .await?;
    let mut report = DeliveryReport {
        claimed: claimed.len(),
        ..DeliveryReport::default()
    };
    let mut unreachable: Option<String> = None;
    for row in &claimed {
        let outcome = match &unreachable {
            Some(error) => Err((error.clone(), "unreachable", None)),
            None => match mailer.send(row).await {
                Ok(()) => Ok(()),
                Err(error) => {
                    let text: String = error.to_string().chars().take(MAX_ERROR_CHARS).collect();
                    if error.is_unreachable() {
                        unreachable = Some(text.clone());
                    }
                    Err((text, error.class(), error.code()))
                }
            },
        };
        match outcome {
            Ok(()) => match store.mark_outbox_sent(&row.id, state.now()).await {
                Ok(()) => {
                    report.sent += 1;
                    tracing::info!(outbox_id = %row.id, kind = %row.kind, attempt = row.attempts, "e-mail sent");
                }
                Err(error) => tracing::error!(
                    outbox_id = %row.id, %error,
                    "e-mail sent but not marked sent: it is sent again when its lease ends"
                ),
            },
            Err((text, class, code)) => {
                match store
                    .mark_outbox_failed(&row.id, &text, state.now(), settings.backoff())
                    .await
                {
                    Ok(updated) => {
                        report.failed += 1;
                        tracing::warn!(
                            outbox_id = %row.id, kind = %row.kind, attempt = row.attempts,
                            error_class = class, smtp_code = code.as_deref().unwrap_or("-"),
                            next_attempt_at = updated.next_attempt_at,
                            "e-mail not delivered; it will be retried"
                        );
                    }
                    Err(error) => tracing::error!(
                        outbox_id = %row.id, %error,
                        "e-mail not delivered and not marked failed: retried when its lease ends"
                    ),
                }
            }
        }
    }
    Ok(report)
}

/// Starts the delivery worker, which runs until `stop` turns true (it finishes the message in
/// hand first). Logs once whether e-mail is on. `None` when e-mail is off or this instance
/// runs no worker (`email.worker = false`).
pub fn spawn_worker(state: AppState, mut stop: watch::Receiver<bool>) -> Option<JoinHandle<()>> {
    let Some(mailer) = state.mailer() else {
        tracing::info!(
            "e-mail is off: no SMTP server is configured (email.smtp_host); messages stay queued \
             in the outbox and alerts stay on the dashboard"
        );
        return None;
    };
    let settings = &state.settings().email;
    if !settings.worker {
        tracing::info!(
            server = mailer.description(),
            "e-mail is on, but this instance runs no delivery worker (email.worker = false)"
        );
        return None;
    }
    tracing::info!(
        server = mailer.description(),
        "e-mail is on: the outbox worker delivers queued messages"
    );
    let poll = Duration::from_secs(settings.poll_seconds.max(1));
    let batch = usize::try_from(settings.batch_size).unwrap_or(usize::MAX);
    Some(tokio::spawn(async move {
        loop {
            if *stop.borrow() {
                break;
            }
            let full_batch = match deliver_due_once(&state).await {
                Ok(report) => report.claimed >= batch && report.failed == 0,
                Err(error) => {
                    tracing::warn!(%error, "the outbox cannot be read; trying again later");
                    false
                }
            };
            if full_batch {
                // More may be due: go on at once.
                continue;
            }
            tokio::select! {
                _ = stop.wait_for(|stopped| *stopped) => break,
                () = tokio::time::sleep(poll) => {}
            }
        }
        tracing::info!("outbox worker stopped");
    }))
}
