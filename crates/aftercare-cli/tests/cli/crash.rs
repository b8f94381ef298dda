//! Crash safety of `aftercare serve` on SQLite: the real binary takes a burst of concurrent
//! patient check-ins (every other one a red flag, which raises an alert and queues its alert
//! e-mails in the outbox, in the same transaction), is killed with SIGKILL in the middle of the
//! burst, and is started again on the same file. Every check-in whose answer reached the
//! patient (303 to its result page, carrying its id) must be there after the restart, with its
//! alert and that alert's outbox rows, and the database must pass `PRAGMA integrity_check`.
//!
//! The HTTP client is std's `TcpStream` speaking HTTP/1.1 by hand (one request per
//! connection): the CLI's tests have no HTTP client, and nothing here needs more. Readiness is
//! polled on `/healthz` with a bounded deadline; no sleep stands in for an assertion.

#![expect(clippy::panic, reason = "a panic in a helper is a failed test")]

use std::{
    collections::BTreeSet,
    io::{BufRead as _, BufReader, Read as _, Write as _},
    net::{SocketAddr, TcpStream},
    path::Path,
    process::{Child, Command, Stdio},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

const PASSWORD: &str = "crash test passphrase";
const WRITERS: usize = 8;
const MAX_PER_WRITER: usize = 150;
/// Acknowledged check-ins after which the server is killed (well before the burst ends).
const KILL_AFTER: usize = 40;

/// An answer: status, headers (lower-cased names) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> std::io::Result<Answer> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no complete answer")
    })?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no status"))?;
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok(Answer {
        status,
        headers,
        body: body.to_owned(),
    })
}

/// `aftercare serve` on `database`, any free port; answers once `/healthz` says ok.
fn start_server(database: &Path) -> (Child, SocketAddr) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftercare"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database"])
        .arg(database)
        .env("AFTERCARE__RATE_LIMIT__PATIENT_BURST", "100000")
        .env("AFTERCARE__RATE_LIMIT__SIGN_IN_BURST", "100000")
        .env("AFTERCARE__LOG__FILTER", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let mut addr = None;
    while addr.is_none() && stdout.read_line(&mut line).unwrap() > 0 {
        addr = line
            .trim()
            .strip_prefix("aftercare is running: open http://")
            .and_then(|rest| rest.parse::<SocketAddr>().ok());
        line.clear();
    }
    let addr = addr.expect("the server prints the address it listens on");
    // Keep reading its standard output so the server never blocks on a full pipe.
    thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match request(addr, "GET", "/healthz", &[], "") {
            Ok(answer) if answer.status == 200 => break,
            _ if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
            other => panic!(
                "the server did not become ready: {:?}",
                other.map(|a| a.status)
            ),
        }
    }
    (child, addr)
}

fn json(answer: &Answer) -> serde_json::Value {
    serde_json::from_str(&answer.body)
        .unwrap_or_else(|e| panic!("{e}: {} {}", answer.status, answer.body))
}

/// A treatment recorded yesterday through the API: (bearer token, treatment id, link path).
fn record_treatment(addr: SocketAddr) -> (String, String, String) {
    let body = serde_json::json!({"email": "crash@clinic.example", "password": PASSWORD});
    let answer = request(
        addr,
        "POST",
        "/api/v1/sessions",
        &[("Content-Type", "application/json")],
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(answer.status, 201, "{}", answer.body);
    let token = json(&answer)["token"].as_str().unwrap().to_owned();
    #[expect(
        clippy::disallowed_methods,
        reason = "the server runs on the system clock: its treatment must lie in the real past"
    )]
    let yesterday = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(26);
    let body = serde_json::json!({
        "patient_label": "C. K.",
        "treated_at": yesterday.to_string(),
        "time_zone": "Europe/Berlin",
    });
    let bearer = format!("Bearer {token}");
    let answer = request(
        addr,
        "POST",
        "/api/v1/treatments",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &bearer),
        ],
        &body.to_string(),
    )
    .unwrap();
    assert_eq!(answer.status, 201, "{}", answer.body);
    let created = json(&answer);
    let id = created["treatment"]["id"].as_str().unwrap().to_owned();
    let url = created["patient_link"]["url"].as_str().unwrap();
    let path = url[url.find("/p/").unwrap()..].to_owned();
    (token, id, path)
}

/// What the writers saw acknowledged: (check-in id, whether it was a red flag).
type Acked = Arc<Mutex<Vec<(String, bool)>>>;

/// Posts check-ins until `MAX_PER_WRITER` or the first failed connection (the kill).
fn writer(addr: SocketAddr, link: String, index: usize, acked: Acked, count: Arc<AtomicUsize>) {
    for n in 0..MAX_PER_WRITER {
        let red_flag = (index + n).is_multiple_of(2);
        let form = if red_flag {
            "symptoms=difficulty_breathing&symptoms=redness&discharge=none"
        } else {
            "symptoms=redness&symptoms=dryness&discharge=none"
        };
        let Ok(answer) = request(
            addr,
            "POST",
            &format!("{link}/check-in"),
            &[("Content-Type", "application/x-www-form-urlencoded")],
            form,
        ) else {
            return;
        };
        if answer.status == 303 {
            let location = answer.header("location").unwrap_or_default();
            let (_, id) = location
                .rsplit_once("/check-ins/")
                .unwrap_or_else(|| panic!("a check-in's answer points to it: {location}"));
            acked.lock().unwrap().push((id.to_owned(), red_flag));
            count.fetch_add(1, Ordering::SeqCst);
        } else {
            panic!(
                "a check-in is answered {} (expected 303): {}",
                answer.status, answer.body
            );
        }
    }
}

#[test]
fn every_acknowledged_check_in_and_its_alert_mail_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("aftercare.sqlite3");
    let mut admin = Command::new(env!("CARGO_BIN_EXE_aftercare"))
        .args(["admin", "create", "--clinic", "Crash Clinic"])
        .args(["--clinic-email", "front-desk@clinic.example"])
        .args([
            "--emergency-number",
            "112",
            "--email",
            "crash@clinic.example",
        ])
        .args(["--name", "Crash Test", "--password-stdin", "--database"])
        .arg(&database)
        .env("AFTERCARE__SECURITY__ARGON2_MEMORY_KIB", "8192")
        .env("AFTERCARE__SECURITY__ARGON2_ITERATIONS", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    admin
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(admin.wait().unwrap().success());

    let (mut server, addr) = start_server(&database);
    let (token, treatment_id, link) = record_treatment(addr);

    let acked: Acked = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let writers: Vec<_> = (0..WRITERS)
        .map(|index| {
            let (acked, count, link) = (Arc::clone(&acked), Arc::clone(&count), link.clone());
            thread::spawn(move || writer(addr, link, index, acked, count))
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while count.load(Ordering::SeqCst) < KILL_AFTER && !writers.iter().all(|w| w.is_finished()) {
        assert!(
            Instant::now() < deadline,
            "the burst stalled before the kill"
        );
        // Polling for the moment to kill, not waiting for an outcome.
        thread::sleep(Duration::from_millis(1));
    }
    server.kill().unwrap(); // SIGKILL on Unix
    server.wait().unwrap();
    for writer in writers {
        writer.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= KILL_AFTER && acked.len() < WRITERS * MAX_PER_WRITER,
        "the kill came mid-burst: {} acknowledged",
        acked.len()
    );

    // Started again on the same file: every acknowledged check-in is there.
    let (mut server, addr) = start_server(&database);
    let bearer = format!("Bearer {token}");
    let answer = request(
        addr,
        "GET",
        &format!("/api/v1/treatments/{treatment_id}"),
        &[("Authorization", &bearer)],
        "",
    )
    .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.body);
    let stored: BTreeSet<String> = json(&answer)["check_ins"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let lost: Vec<&String> = acked
        .iter()
        .map(|(id, _)| id)
        .filter(|id| !stored.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "acknowledged check-ins lost: {lost:?} of {}",
        acked.len()
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // The file itself: integrity, and every acknowledged red flag's alert and alert e-mails.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (problems, dump) = runtime.block_on(async {
        let store = aftercare_store::connect(&database.display().to_string())
            .await
            .unwrap();
        let problems = store.integrity_check().await.unwrap();
        let dump = store.export_all().await.unwrap();
        store.close().await;
        (problems, dump)
    });
    assert!(problems.is_empty(), "integrity check: {problems:?}");
    let alerted: BTreeSet<&str> = dump.alerts.iter().map(|a| a.check_in_id.as_str()).collect();
    let red_flags: Vec<&String> = acked
        .iter()
        .filter(|(_, red)| *red)
        .map(|(id, _)| id)
        .collect();
    assert!(!red_flags.is_empty());
    for id in &red_flags {
        assert!(
            alerted.contains(id.as_str()),
            "acknowledged red flag {id} has no alert"
        );
    }
    let mails: Vec<_> = dump
        .outbox
        .iter()
        .filter(|m| m.kind == "alert_email")
        .collect();
    let recipients: BTreeSet<&str> = mails.iter().map(|m| m.recipient.as_str()).collect();
    assert_eq!(
        recipients,
        BTreeSet::from(["crash@clinic.example", "front-desk@clinic.example"]),
        "the alert e-mails go to the practitioner and the clinic"
    );
    // One e-mail per recipient for every alert that was committed, none for any other: the
    // alert and its outbox rows are written in one transaction.
    assert_eq!(mails.len(), dump.alerts.len() * recipients.len());
    assert!(dump.check_ins.len() >= acked.len());
    eprintln!(
        "crash: {} check-ins acknowledged ({} red flags) before SIGKILL; after the restart {} \
         stored, {} alerts, {} alert e-mails queued",
        acked.len(),
        red_flags.len(),
        dump.check_ins.len(),
        dump.alerts.len(),
        mails.len()
    );
}
