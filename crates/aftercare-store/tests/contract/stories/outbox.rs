//! The outbox: claimed exactly once across concurrent workers, leased, retried with
//! backoff, never sent twice.

use std::collections::HashSet;
use std::sync::Arc;

use aftercare_store::{Backoff, OutboxRow, Store};

use crate::fixtures::*;
use crate::harness::Env;

const LEASE: i64 = 300;

async fn enqueue_many(store: &dyn Store, clinic_id: &str, count: usize, due: i64) -> Vec<String> {
    let mut ids = Vec::with_capacity(count);
    for i in 0..count {
        let row = store
            .enqueue_outbox(
                clinic_id,
                &mail("alert_email", &format!("p{i}@a.example")),
                due,
            )
            .await
            .expect("enqueue");
        ids.push(row.id);
    }
    ids
}

pub async fn two_concurrent_claimers_claim_each_message_exactly_once(env: Env) {
    let store = Arc::clone(&env.store);
    let a = clinic_world(store.as_ref(), "A").await;
    let b = clinic_world(store.as_ref(), "B").await;
    let mut all = enqueue_many(store.as_ref(), &a.clinic.id, 40, NOW).await;
    all.extend(enqueue_many(store.as_ref(), &b.clinic.id, 20, NOW).await);

    let claimer = |store: Arc<dyn Store>| async move {
        let mut mine: Vec<OutboxRow> = Vec::new();
        loop {
            let batch = store.claim_due_outbox(NOW, LEASE, 3).await.expect("claim");
            if batch.is_empty() {
                return mine;
            }
            assert!(batch.len() <= 3, "never more than the limit");
            mine.extend(batch);
        }
    };
    let first = tokio::spawn(claimer(Arc::clone(&store)));
    let second = tokio::spawn(claimer(Arc::clone(&store)));
    let first = first.await.expect("first claimer");
    let second = second.await.expect("second claimer");

    let mut seen = HashSet::new();
    for row in first.iter().chain(&second) {
        assert!(seen.insert(row.id.clone()), "{} was claimed twice", row.id);
        assert_eq!(row.attempts, 1);
        assert_eq!(row.locked_until, Some(NOW + LEASE));
    }
    let expected: HashSet<String> = all.into_iter().collect();
    assert_eq!(seen, expected, "every due message was claimed");
    assert_eq!(
        store
            .claim_due_outbox(NOW, LEASE, 100)
            .await
            .expect("claim"),
        vec![]
    );
}

pub async fn a_claimed_message_is_leased_until_it_expires(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let ids = enqueue_many(store, &world.clinic.id, 1, NOW).await;

    let claimed = store.claim_due_outbox(NOW, LEASE, 10).await.expect("claim");
    assert_eq!(
        claimed.iter().map(|r| &r.id).collect::<Vec<_>>(),
        vec![&ids[0]]
    );
    assert_eq!(
        store
            .claim_due_outbox(NOW + LEASE - 1, LEASE, 10)
            .await
            .expect("claim"),
        vec![],
        "leased to the first worker"
    );
    // The first worker died without reporting: after the lease another worker retries.
    let retried = store
        .claim_due_outbox(NOW + LEASE, LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempts, 2);
    assert_eq!(retried[0].locked_until, Some(NOW + 2 * LEASE));
    assert_eq!(
        store.claim_due_outbox(NOW, LEASE, 0).await.expect("claim"),
        vec![]
    );
}

pub async fn failures_back_off_and_sent_messages_stay_sent(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let id = enqueue_many(store, &world.clinic.id, 1, NOW)
        .await
        .remove(0);
    let backoff = Backoff {
        base_seconds: 60,
        max_seconds: 3600,
    };

    store.claim_due_outbox(NOW, LEASE, 10).await.expect("claim");
    let failed = store
        .mark_outbox_failed(&id, "421 4.7.0 try again later", NOW + 5, backoff)
        .await
        .expect("fail");
    assert_eq!(failed.attempts, 1);
    assert_eq!(failed.next_attempt_at, NOW + 5 + 60);
    assert_eq!(failed.locked_until, None, "the lease is released");
    assert_eq!(
        failed.last_error.as_deref(),
        Some("421 4.7.0 try again later")
    );
    assert_eq!(failed.sent_at, None);

    assert_eq!(
        store
            .claim_due_outbox(NOW + 64, LEASE, 10)
            .await
            .expect("claim"),
        vec![]
    );
    let second = store
        .claim_due_outbox(NOW + 65, LEASE, 10)
        .await
        .expect("claim");
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].attempts, 2);
    let long_error = "x".repeat(5000);
    let failed = store
        .mark_outbox_failed(&id, &long_error, NOW + 70, backoff)
        .await
        .expect("fail");
    assert_eq!(failed.next_attempt_at, NOW + 70 + 120, "the delay doubles");
    assert_eq!(
        failed.last_error.map(|e| e.len()),
        Some(1000),
        "errors are bounded"
    );

    store
        .claim_due_outbox(NOW + 190, LEASE, 10)
        .await
        .expect("claim");
    store.mark_outbox_sent(&id, NOW + 191).await.expect("sent");
    let row = store
        .list_outbox(&world.clinic.id)
        .await
        .expect("outbox")
        .remove(0);
    assert_eq!(row.sent_at, Some(NOW + 191));
    assert_eq!(row.locked_until, None);
    assert_eq!(row.attempts, 3);
    assert_eq!(row.last_error, None);

    assert_eq!(
        store
            .claim_due_outbox(NOW + 100 * DAY, LEASE, 10)
            .await
            .expect("claim"),
        vec![],
        "a sent message is never claimed again"
    );
    assert_not_found(store.mark_outbox_sent(&id, NOW + 200).await);
    assert_not_found(
        store
            .mark_outbox_failed(&id, "late", NOW + 200, backoff)
            .await,
    );
    assert_not_found(store.mark_outbox_sent("no-such-message", NOW).await);
}

pub async fn only_due_messages_are_claimed_oldest_first(env: Env) {
    let store = env.store.as_ref();
    let world = clinic_world(store, "A").await;
    let later = enqueue_many(store, &world.clinic.id, 1, NOW + HOUR)
        .await
        .remove(0);
    let now_b = enqueue_many(store, &world.clinic.id, 1, NOW)
        .await
        .remove(0);
    let earlier = enqueue_many(store, &world.clinic.id, 1, NOW - HOUR)
        .await
        .remove(0);
    assert_not_found(
        store
            .enqueue_outbox("no-such-clinic", &mail("alert_email", "x@a.example"), NOW)
            .await,
    );
    assert_invalid(
        store
            .enqueue_outbox(&world.clinic.id, &mail("alert_email", ""), NOW)
            .await,
    );

    // Leases longer than the test's span, so a claimed message stays claimed.
    let lease = 2 * HOUR;
    let ids =
        |rows: Vec<aftercare_store::OutboxRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let claimed = store.claim_due_outbox(NOW, lease, 1).await.expect("claim");
    assert_eq!(ids(claimed), vec![earlier.clone()]);
    let claimed = store.claim_due_outbox(NOW, lease, 10).await.expect("claim");
    assert_eq!(
        ids(claimed),
        vec![now_b.clone()],
        "the later message is not due yet"
    );
    let claimed = store
        .claim_due_outbox(NOW + HOUR, lease, 10)
        .await
        .expect("claim");
    assert_eq!(ids(claimed), vec![later.clone()]);
    // Once the leases end, all three are due again, oldest first.
    let claimed = store
        .claim_due_outbox(NOW + 4 * HOUR, lease, 10)
        .await
        .expect("claim");
    assert_eq!(ids(claimed), vec![earlier, now_b, later]);
}

pub async fn concurrent_delivery_reports_never_fail(env: Env) {
    // Recording a failure reads the attempt count before it writes: the pattern that
    // makes SQLite answer "database is locked" when two such transactions overlap.
    const MESSAGES: usize = 120;
    let store = Arc::clone(&env.store);
    let world = clinic_world(store.as_ref(), "A").await;
    let ids = enqueue_many(store.as_ref(), &world.clinic.id, MESSAGES, NOW).await;
    let claimed = store
        .claim_due_outbox(NOW, LEASE, 1000)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), MESSAGES);

    let mut tasks = Vec::with_capacity(MESSAGES);
    for (i, id) in ids.into_iter().enumerate() {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move {
            if i % 2 == 0 {
                store
                    .mark_outbox_failed(&id, "timeout", NOW + 1, Backoff::default())
                    .await
                    .map(|_| ())
            } else {
                store.mark_outbox_sent(&id, NOW + 1).await
            }
        }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(err) = task.await.expect("task ran") {
            failures.push(format!("{err:?}"));
        }
    }
    assert_eq!(failures, Vec::<String>::new());
    let rows = store.list_outbox(&world.clinic.id).await.expect("outbox");
    assert_eq!(
        rows.iter().filter(|r| r.sent_at.is_some()).count(),
        MESSAGES / 2
    );
    assert_eq!(
        rows.iter()
            .filter(|r| r.last_error.as_deref() == Some("timeout") && r.next_attempt_at == NOW + 61)
            .count(),
        MESSAGES / 2
    );
}
