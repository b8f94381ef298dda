//! Writes whose caller gives up half-way: a web request is dropped when its client
//! disconnects (or the request times out), and with it the store future at whatever
//! `.await` it had reached. The store must come out of that with every transaction either
//! committed whole or rolled back, and with its write connection clean for the next caller.
//!
//! Found by `tools/load` (docs/reliability.md, "A write cancelled half-way"): on SQLite, a
//! request dropped right after `BEGIN IMMEDIATE` had run, but before sqlx had handed back the
//! transaction, left the only write connection inside a transaction nobody owned, so every
//! later write failed ("attempted to call begin_with at non-zero transaction depth").
//!
//! The stories drive the future by hand: poll it, wait until it is woken (the database
//! answered), poll again, and drop it after the `k`-th time it was pending, for every `k`
//! until the write completes on its own. That visits each `.await` of the write in turn,
//! without timing.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use aftercare_store::{CheckInLevel, RecordedCheckIn, Store, StoreResult, connect};
use tokio::sync::Notify;

use crate::fixtures::*;
use crate::harness::Env;

/// How many times the whole walk through the `.await`s is repeated: whether a given step
/// finds the database's answer already there varies from run to run, so one walk may step
/// over a window that the next one lands in.
const ROUNDS: usize = 10;
/// The most pending polls a single write is driven through before the story gives up on
/// it completing (a write has a handful of `.await`s; this is far above).
const MAX_STEPS: usize = 200;
/// The longest wait for the database to answer one step (a hang guard, not a measurement).
const STEP_DEADLINE: Duration = Duration::from_secs(30);

/// A waker that records that it was woken.
struct Woken(Notify);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.notify_one();
    }
}

/// Polls `future` until it has been pending `steps` times, then drops it. Returns its
/// output if it finished first.
async fn drive_then_drop<T>(future: impl Future<Output = T> + Send, steps: usize) -> Option<T> {
    let woken = Arc::new(Woken(Notify::new()));
    let waker = Waker::from(Arc::clone(&woken));
    let mut future = pin!(future);
    let mut pending = 0;
    loop {
        let polled = future.as_mut().poll(&mut Context::from_waker(&waker));
        if let Poll::Ready(output) = polled {
            return Some(output);
        }
        pending += 1;
        if pending > steps {
            return None;
        }
        tokio::time::timeout(STEP_DEADLINE, woken.0.notified())
            .await
            .expect("the store future was never woken again");
    }
}

async fn red_flag(store: &dyn Store, world: &ClinicWorld, at: i64) -> StoreResult<RecordedCheckIn> {
    store
        .record_check_in(
            &new_check_in(
                &world.clinic.id,
                &world.treatment.id,
                CheckInLevel::Emergency,
                at,
            ),
            &[
                mail("alert_email", "practitioner@a.example"),
                mail("alert_email", "desk@a.example"),
            ],
            at,
        )
        .await
}

pub async fn a_check_in_dropped_at_any_await_leaves_the_store_usable_and_whole(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let mut acknowledged = Vec::new();
    let mut at = NOW;
    for round in 0..ROUNDS {
        let mut completed_alone = false;
        for steps in 0..MAX_STEPS {
            at += 60;
            if let Some(result) = drive_then_drop(red_flag(store, &world, at), steps).await {
                acknowledged.push(result.expect("a write that ran to its end").check_in.id);
                completed_alone = true;
            }
            // The next caller's write succeeds whatever state the dropped one was left in.
            let next = red_flag(store, &world, at + 1)
                .await
                .unwrap_or_else(|error| {
                    panic!(
                        "round {round}: a write after one dropped after {steps} pending polls: \
                     {error:?}"
                    )
                });
            acknowledged.push(next.check_in.id);
            if completed_alone {
                break;
            }
        }
        assert!(
            completed_alone,
            "the write never completed in {MAX_STEPS} steps"
        );
    }

    // All or nothing: every stored check-in has its alert and both e-mails, and every
    // acknowledged one is stored. A write dropped while its COMMIT was on the wire still
    // commits, later, on the server (all of it at once); the three lists below are read one
    // after the other, so they are read again until that commit has landed (a lasting
    // mismatch, a half-written record, still fails).
    let mut settled = 0;
    let (stored, alerts, outbox) = loop {
        let stored = store
            .list_check_ins(&world.clinic.id, &world.treatment.id)
            .await
            .expect("check-ins");
        let alerts = store
            .list_alerts_for_treatment(&world.clinic.id, &world.treatment.id)
            .await
            .expect("alerts");
        let outbox = store.list_outbox(&world.clinic.id).await.expect("outbox");
        let consistent = alerts.len() == stored.len() && outbox.len() == 2 * stored.len();
        if consistent || settled == 20 {
            break (stored, alerts, outbox);
        }
        settled += 1;
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(alerts.len(), stored.len(), "one alert per stored red flag");
    assert_eq!(
        outbox.len(),
        2 * stored.len(),
        "two e-mails per stored red flag"
    );
    for check_in in &stored {
        assert!(alerts.iter().any(|alert| alert.check_in_id == check_in.id));
    }
    for id in &acknowledged {
        assert!(
            stored.iter().any(|row| &row.id == id),
            "acknowledged {id} is stored"
        );
    }
    assert_eq!(
        store.integrity_check().await.expect("integrity"),
        Vec::<String>::new()
    );
    // A write outside a transaction is committed too (not swallowed by one left open).
    let queued = store
        .enqueue_outbox(
            &world.clinic.id,
            &mail("reminder_email", "ann@patient.example"),
            NOW,
        )
        .await
        .expect("queue an e-mail");

    // And it is durable: a second store on the same database sees every acknowledged write.
    let reopened = connect(&env.url).await.expect("open the database again");
    let again = reopened
        .list_check_ins(&world.clinic.id, &world.treatment.id)
        .await
        .expect("check-ins, read again");
    let again_outbox = reopened
        .list_outbox(&world.clinic.id)
        .await
        .expect("outbox, read again");
    reopened.close().await;
    for id in &acknowledged {
        assert!(
            again.iter().any(|row| &row.id == id),
            "acknowledged {id} is durable"
        );
    }
    assert!(
        again_outbox.iter().any(|row| row.id == queued.id),
        "the queued e-mail is durable"
    );
}
