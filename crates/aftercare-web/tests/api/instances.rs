//! Several instances as one service (issue #6): two apps, each with its own connection pool,
//! outbox worker and rate limiter, on one real PostgreSQL. A user signed in through one is
//! signed in on the other and signed out everywhere at once; data written through one is read
//! through the other; and when both workers race for the outbox, every alert e-mail reaches the
//! real SMTP server exactly once.
//!
//! PostgreSQL comes from `AFTERCARE_TEST_PG_URL` or a throwaway server started from the
//! machine's `initdb`/`pg_ctl`; without either the test is skipped with a notice, except under
//! `CI=true`, where it fails.

use aftercare_store::testing::ThrowawayPg;
use aftercare_web::mail::deliver_due_once;
use reqwest::StatusCode;

use crate::{
    helpers::{start, test_settings},
    mail::{FEVER, SmtpSink, free_port, in_ci, smtp_available, smtp_to},
};

/// A PostgreSQL URL for this test, and the server to keep alive while it runs.
fn postgres() -> Option<(String, Option<ThrowawayPg>)> {
    if let Ok(url) = std::env::var("AFTERCARE_TEST_PG_URL") {
        return Some((url, None));
    }
    let server = ThrowawayPg::start().expect("the throwaway PostgreSQL starts");
    if let Some(server) = server {
        return Some((server.admin_url(), Some(server)));
    }
    assert!(
        !in_ci(),
        "PostgreSQL is not installed; CI=true needs it (.ci/run installs it)"
    );
    eprintln!("SKIPPED: no PostgreSQL (initdb/pg_ctl) for the two-instance test");
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_share_sessions_and_deliver_each_alert_once() {
    if !smtp_available() {
        return;
    }
    let Some((url, _server)) = postgres() else {
        return;
    };
    let port = free_port();
    let mut sink = SmtpSink::start(port).await;
    let instance = |dir: &tempfile::TempDir| {
        let mut settings = test_settings(dir);
        settings.database.url = url.clone().into();
        smtp_to(&mut settings, port);
        settings
    };
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = start(instance(&dir_a), dir_a).await;
    let b = start(instance(&dir_b), dir_b).await;
    assert_eq!(a.store.backend(), "postgres");
    assert_ne!(a.url, b.url, "two listeners");

    // Sessions live in the database: signed in through A, the browser is signed in on B.
    let clinic = a.create_clinic("Skin Lab", "lead@skin-lab.example").await;
    let browser = a.signed_in(&clinic.admin_email).await;
    let (status, _) = b.page(&browser, "/clinic").await;
    assert_eq!(status, StatusCode::OK, "the session made on A opens B");

    // Data written through A is read through B; a check-in through B raises the alert.
    let (treatment_id, link) = a.create_treatment(&browser, "Jane Roe").await;
    b.check_in(&link, FEVER).await;
    let (status, page) = a
        .page(&browser, &format!("/clinic/treatments/{treatment_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        crate::helpers::texts_of(&page, "ul.alerts > li").len(),
        1,
        "A shows the alert raised through B"
    );

    // Both workers race for the outbox, again and again: each message is sent once.
    let mut sent = 0;
    for _ in 0..5 {
        let (from_a, from_b) = tokio::join!(deliver_due_once(&a.state), deliver_due_once(&b.state));
        let (from_a, from_b) = (
            from_a.expect("delivery on A"),
            from_b.expect("delivery on B"),
        );
        assert_eq!(from_a.failed + from_b.failed, 0);
        sent += from_a.sent + from_b.sent;
    }
    assert_eq!(
        sent, 2,
        "the clinic's and the practitioner's e-mail, once each"
    );
    let mut received = vec![sink.next_message().await, sink.next_message().await];
    received.extend(sink.stop());
    let mut ids: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((received.len(), ids.len()), (2, 2), "no e-mail twice");

    // Signing out on B ends the session on A as well.
    let response = b.post_form(&browser, "/sign-out", &[]).await;
    assert!(response.0.is_redirection(), "sign-out: {:?}", response.0);
    let (status, _) = a.page(&browser, "/clinic").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "A sends the signed-out browser to sign in"
    );

    a.stop().await;
    b.stop().await;
}
