//! E-mail and the calendar feed through the real stack: alert e-mails go through the outbox to
//! a real SMTP server (PyPI `aiosmtpd`, started by the test: `smtp_sink.py`), with the server
//! down, back up, and across a restart; the calendar feed is what `plan_calendar` gives.
//!
//! The worker is driven by calling `deliver_due_once` (what the background task calls in its
//! loop), so nothing depends on timing. Without `aiosmtpd` the SMTP tests are skipped with a
//! notice, except under `CI=true`, where they fail (`.ci/run` installs it).

use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, ChildStdin, Command, Stdio},
    thread::JoinHandle,
    time::Duration,
};

use aftercare_core::{
    calendar::{CalendarOptions, default_namespace, plan_calendar},
    protocol::default_protocol,
};
use aftercare_store::{LinkPurpose, OutboxRow};
use aftercare_web::{
    Settings,
    mail::{AlertRecipients, SmtpTls, deliver_due_once},
};
use reqwest::StatusCode;
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::helpers::{
    TestApp, browser, default_treatment, selector, spawn_app, spawn_app_with, start, text_of,
};

/// One message the SMTP server accepted, as Python's e-mail parser reads it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Received {
    rcpt_tos: Vec<String>,
    subject: String,
    pub(crate) message_id: String,
    text: Option<String>,
    html: Option<String>,
    raw: String,
}

/// A real SMTP server (aiosmtpd) on 127.0.0.1:port, in a child process.
pub(crate) struct SmtpSink {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::UnboundedReceiver<String>,
    reader: Option<JoinHandle<()>>,
}

pub(crate) fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether aiosmtpd can run here; outside CI a missing one skips the test with a notice.
pub(crate) fn smtp_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !found {
        assert!(
            !in_ci(),
            "PyPI aiosmtpd is missing: `pip install aiosmtpd` (.ci/run installs it)"
        );
        eprintln!(
            "SKIPPED: PyPI aiosmtpd is not installed (`pip install --break-system-packages \
             aiosmtpd`); the e-mail tests need a real SMTP server"
        );
    }
    found
}

/// A port nothing listens on (yet).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl SmtpSink {
    /// Starts the server on `port` and waits until it accepts connections.
    pub(crate) async fn start(port: u16) -> SmtpSink {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, mut lines) = mpsc::unbounded_channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let ready = tokio::time::timeout(Duration::from_secs(60), lines.recv())
            .await
            .expect("the SMTP server starts within a minute");
        assert_eq!(
            ready.as_deref(),
            Some("READY"),
            "the SMTP server did not start"
        );
        SmtpSink {
            stdin: child.stdin.take(),
            child,
            lines,
            reader: Some(reader),
        }
    }

    /// Waits for the next message (event-driven; the minute is only a safety net).
    pub(crate) async fn next_message(&mut self) -> Received {
        let line = tokio::time::timeout(Duration::from_secs(60), self.lines.recv())
            .await
            .expect("a message within a minute")
            .expect("the SMTP server is running");
        serde_json::from_str(&line).expect("a message line")
    }

    /// Stops the server and returns every message it accepted and nobody took yet.
    pub(crate) fn stop(mut self) -> Vec<Received> {
        if let Some(mut stdin) = self.stdin.take() {
            let _ = stdin.flush();
        }
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            reader.join().expect("reader thread");
        }
        let mut out = Vec::new();
        while let Ok(line) = self.lines.try_recv() {
            out.push(serde_json::from_str(&line).expect("a message line"));
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends e-mail to 127.0.0.1:port without TLS; the test drives the worker.
pub(crate) fn smtp_to(settings: &mut Settings, port: u16) {
    settings.email.smtp_host = Some("127.0.0.1".into());
    settings.email.smtp_port = Some(port);
    settings.email.tls = SmtpTls::None;
    settings.email.from = Some("Aftercare <aftercare@clinic.example>".into());
    settings.email.worker = false;
    settings.email.send_timeout_seconds = 20;
}

/// A running SMTP server and an app that mails to it (then `configure` adjusts the settings),
/// or `None` when aiosmtpd is missing outside CI (the test is skipped).
async fn app_mailing_a_sink(configure: impl FnOnce(&mut Settings)) -> Option<(SmtpSink, TestApp)> {
    if !smtp_available() {
        return None;
    }
    let port = free_port();
    let sink = SmtpSink::start(port).await;
    let app = spawn_app_with(|s| {
        smtp_to(s, port);
        configure(s);
    })
    .await;
    Some((sink, app))
}

/// A clinic "Skin Lab", its admin signed in, and a treatment on 24 Nov (day 3 at NOW).
async fn clinic_with_treatment(app: &TestApp) -> (String, String, String) {
    let clinic = app.create_clinic("Skin Lab", "lead@skin-lab.example").await;
    let client = app.signed_in("lead@skin-lab.example").await;
    let (treatment_id, link) = app.create_treatment(&client, "Jane Roe").await;
    (clinic.id, treatment_id, link)
}

/// A check-in with a measured fever: a red flag.
pub(crate) const FEVER: &[(&str, &str)] = &[("temperature_c", "38.6"), ("discharge", "none")];

async fn outbox(app: &TestApp, clinic_id: &str) -> Vec<OutboxRow> {
    app.store.list_outbox(clinic_id).await.expect("outbox")
}

#[tokio::test]
async fn a_red_flag_check_in_sends_exactly_one_alert_email_without_health_details_or_tokens() {
    let Some((mut sink, app)) =
        app_mailing_a_sink(|s| s.email.alert_recipients = AlertRecipients::Clinic).await
    else {
        return;
    };
    let (clinic_id, treatment_id, link) = clinic_with_treatment(&app).await;
    let token = link.strip_prefix("/p/").expect("a patient link").to_owned();

    app.check_in(&link, &[("symptoms", "redness"), ("discharge", "none")])
        .await;
    assert!(
        outbox(&app, &clinic_id).await.is_empty(),
        "expected healing mails nobody"
    );
    app.check_in(&link, FEVER).await;
    let report = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!((report.claimed, report.sent, report.failed), (1, 1, 0));
    let again = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!(again.claimed, 0, "a sent message is never claimed again");

    let mail = sink.next_message().await;
    assert_eq!(mail.rcpt_tos, ["desk@skin-lab.example"]);
    assert!(
        mail.subject.starts_with("Skin Lab: check-in alert, "),
        "{}",
        mail.subject
    );
    assert!(mail.subject.ends_with(", day 3"), "{}", mail.subject);
    let text = mail.text.clone().expect("a plain-text part");
    let html = mail.html.clone().expect("an HTML part");
    let alert_url = format!("{}/clinic/treatments/{treatment_id}#alerts-title", app.url);
    for body in [&text, &html] {
        assert!(body.contains("day 3"), "{body}");
        assert!(body.contains(&alert_url), "{body}");
    }
    for leak in [token.as_str(), "Jane", "fever", "38.6", "temperature"] {
        for part in [&mail.raw, &text, &html] {
            assert!(!part.contains(leak), "{leak} in the e-mail:\n{part}");
        }
    }
    let row = &outbox(&app, &clinic_id).await[0];
    assert_eq!(row.kind, "alert_email");
    assert!(row.sent_at.is_some());
    assert_eq!(mail.message_id, format!("<{}@clinic.example>", row.id));
    assert!(sink.stop().is_empty(), "exactly one e-mail");
}

#[tokio::test]
async fn with_the_smtp_server_down_the_check_in_succeeds_and_the_mail_goes_out_once_it_is_back() {
    if !smtp_available() {
        return;
    }
    let port = free_port();
    let app = spawn_app_with(|s| {
        smtp_to(s, port);
        s.email.alert_recipients = AlertRecipients::Practitioner;
    })
    .await;
    let (clinic_id, _, link) = clinic_with_treatment(&app).await;

    let result = app.check_in(&link, FEVER).await;
    let (status, _) = app.page(&browser(), &result).await;
    assert_eq!(status, StatusCode::OK, "the check-in is recorded and shown");
    let report = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!((report.claimed, report.sent, report.failed), (1, 0, 1));
    let row = outbox(&app, &clinic_id).await.remove(0);
    assert_eq!(row.sent_at, None);
    assert_eq!(row.attempts, 1);
    assert_eq!(row.locked_until, None, "the lease is released");
    assert_eq!(
        row.next_attempt_at,
        app.clock.now_seconds() + 60,
        "retried after a minute"
    );
    let error = row.last_error.clone().expect("the error is kept");
    assert!(error.to_lowercase().contains("connect"), "{error}");
    let early = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!(early.claimed, 0, "not retried before its time");

    let mut sink = SmtpSink::start(port).await;
    app.clock.advance(60);
    let report = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!((report.claimed, report.sent, report.failed), (1, 1, 0));
    assert_eq!(
        deliver_due_once(&app.state)
            .await
            .expect("delivery")
            .claimed,
        0
    );
    let mail = sink.next_message().await;
    assert_eq!(mail.rcpt_tos, ["lead@skin-lab.example"]);
    let row = outbox(&app, &clinic_id).await.remove(0);
    assert!(row.sent_at.is_some());
    assert_eq!(row.attempts, 2);
    assert!(sink.stop().is_empty(), "delivered once");
}

#[tokio::test]
async fn a_restarted_app_on_the_same_database_never_sends_a_message_twice() {
    let Some((mut sink, first)) = app_mailing_a_sink(|_| {}).await else {
        return;
    };
    let settings = first.settings.clone();
    let (clinic_id, _, link) = clinic_with_treatment(&first).await;

    // The clinic and the practitioner: two messages.
    first.check_in(&link, FEVER).await;
    let report = deliver_due_once(&first.state).await.expect("delivery");
    assert_eq!(report.sent, 2);
    // A second alert: a worker claims it and dies before sending.
    first.check_in(&link, FEVER).await;
    let lease = settings.email.lease_seconds();
    let claimed = first
        .store
        .claim_due_outbox(first.clock.now_seconds(), lease, 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 2);
    let dir = first.stop().await;

    let second = start(settings, dir).await;
    let report = deliver_due_once(&second.state).await.expect("delivery");
    assert_eq!(
        report.claimed, 0,
        "sent ones stay sent; leased ones wait for the lease"
    );
    second.clock.advance(lease);
    let report = deliver_due_once(&second.state).await.expect("delivery");
    assert_eq!(
        (report.claimed, report.sent),
        (2, 2),
        "the abandoned claim is delivered"
    );
    assert_eq!(
        deliver_due_once(&second.state)
            .await
            .expect("delivery")
            .claimed,
        0
    );

    let mut received = Vec::new();
    for _ in 0..4 {
        received.push(sink.next_message().await);
    }
    received.extend(sink.stop());
    assert_eq!(received.len(), 4, "four messages, each once");
    let mut ids: Vec<&str> = received.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 4, "no message twice");
    let rows = outbox(&second, &clinic_id).await;
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|row| row.sent_at.is_some()));
}

#[tokio::test]
async fn the_background_worker_delivers_an_alert_and_stops_with_the_server() {
    let Some((mut sink, app)) = app_mailing_a_sink(|s| {
        s.email.worker = true;
        s.email.poll_seconds = 1;
        s.email.alert_recipients = AlertRecipients::Clinic;
    })
    .await
    else {
        return;
    };
    let (_, _, link) = clinic_with_treatment(&app).await;
    app.check_in(&link, FEVER).await;
    let mail = sink.next_message().await;
    assert_eq!(mail.rcpt_tos, ["desk@skin-lab.example"]);
    app.stop().await;
    assert!(sink.stop().is_empty());
}

#[tokio::test]
async fn with_e_mail_off_alert_messages_stay_queued_and_nothing_is_claimed() {
    let app = spawn_app().await;
    let (clinic_id, _, link) = clinic_with_treatment(&app).await;
    app.check_in(&link, FEVER).await;
    let report = deliver_due_once(&app.state).await.expect("delivery");
    assert_eq!(report.claimed, 0);
    let rows = outbox(&app, &clinic_id).await;
    let recipients: Vec<&str> = rows.iter().map(|r| r.recipient.as_str()).collect();
    assert_eq!(
        recipients,
        ["desk@skin-lab.example", "lead@skin-lab.example"]
    );
    assert!(rows.iter().all(|r| r.sent_at.is_none() && r.attempts == 0));
}

/// The feed the core makes for the harness's default treatment (Berlin, 24 Nov 2026 15:00,
/// sensitive skin, face, Fitzpatrick III, the built-in protocol).
fn expected_feed(reapply: bool) -> String {
    let protocol = default_protocol();
    let (treated_at, profile) = default_treatment();
    let mut options = CalendarOptions::new(default_namespace(protocol, &treated_at));
    options.sun_reapplication = reapply;
    plan_calendar(protocol, &treated_at, &profile, &options)
        .expect("calendar")
        .to_ics()
}

/// Issues a feed link from the patient's calendar page; returns its https and webcal URLs.
async fn subscribe(app: &TestApp, link: &str, form: &[(&str, &str)]) -> (String, String) {
    let (status, _, page) = app
        .post_form(&browser(), &format!("{link}/calendar"), form)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{}", page.html());
    let https = text_of(&page, ".feed-url");
    let webcal = page
        .select(&selector("a[href^='webcal://']"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("a webcal link")
        .to_owned();
    (https, webcal)
}

#[tokio::test]
async fn the_calendar_feed_is_the_treatments_plan_calendar_until_it_is_revoked() {
    let app = spawn_app().await;
    let clinic = app.create_clinic("Skin Lab", "lead@skin-lab.example").await;
    let client = app.signed_in("lead@skin-lab.example").await;
    let (treatment_id, link) = app.create_treatment(&client, "Jane Roe").await;
    let (status, page) = app.page(&browser(), &format!("{link}/calendar")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.select(&selector("form[action$='/calendar']"))
            .next()
            .is_some()
    );
    let (_, today) = app.page(&browser(), &link).await;
    assert!(
        today
            .select(&selector(&format!("nav a[href='{link}/calendar']")))
            .next()
            .is_some(),
        "the patient pages link to the calendar page"
    );

    let (https, webcal) = subscribe(&app, &link, &[]).await;
    assert!(https.starts_with(&format!("{}/feed/", app.url)) && https.ends_with(".ics"));
    assert_eq!(webcal, https.replacen("http://", "webcal://", 1));
    let response = reqwest::get(&https).await.expect("GET feed");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let body = response.text().await.expect("body");
    assert_eq!(
        body,
        expected_feed(false),
        "the feed is plan_calendar's output"
    );
    let refreshed = reqwest::get(&https)
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(refreshed, body, "a refresh gives the same bytes");

    let (with_reapply, _) = subscribe(&app, &link, &[("reapply", "1")]).await;
    assert!(with_reapply.ends_with(".ics?reapply=1"), "{with_reapply}");
    let body = reqwest::get(&with_reapply)
        .await
        .expect("GET")
        .text()
        .await
        .expect("body");
    assert_eq!(body, expected_feed(true));

    // Only a calendar token opens a feed, and a calendar token opens nothing else.
    let patient_token = link.strip_prefix("/p/").expect("patient link");
    let feed_token = https
        .rsplit('/')
        .next()
        .and_then(|file| file.strip_suffix(".ics"))
        .expect("token")
        .to_owned();
    for path in [
        format!("/feed/{patient_token}.ics"),
        format!("/feed/{}.ics", "0".repeat(64)),
        format!("/feed/{feed_token}"),
    ] {
        let status = reqwest::get(app.at(&path)).await.expect("GET").status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = app.page(&browser(), &format!("/p/{feed_token}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "a feed token opens no plan pages"
    );

    let calendar_links: Vec<String> = app
        .store
        .list_patient_links(&clinic.id, &treatment_id)
        .await
        .expect("links")
        .into_iter()
        .filter(|l| l.purpose == LinkPurpose::Calendar)
        .map(|l| l.id)
        .collect();
    assert_eq!(calendar_links.len(), 2);
    let (_, treatment_page) = app
        .page(&client, &format!("/clinic/treatments/{treatment_id}"))
        .await;
    assert!(
        treatment_page.html().contains("Calendar feed"),
        "the clinic sees the feed links"
    );
    let (status, _, _) = app
        .post_form(
            &client,
            &format!(
                "/clinic/treatments/{treatment_id}/links/{}/revoke",
                calendar_links[0]
            ),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let status = reqwest::get(&https).await.expect("GET").status();
    assert_eq!(status, StatusCode::NOT_FOUND, "a revoked feed is gone");
    let status = reqwest::get(&with_reapply).await.expect("GET").status();
    assert_eq!(status, StatusCode::OK, "the other feed link still works");
}
