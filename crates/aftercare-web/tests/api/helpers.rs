//! The test harness: `spawn_app()` starts the real app on 127.0.0.1:0 with a fresh SQLite
//! file and a fixed clock, and `TestApp` drives it over HTTP like a browser would (cookies on,
//! redirects off so every status is visible).

use std::{net::SocketAddr, sync::Arc};

use aftercare_core::{
    instant::{parse_instant, parse_time_zone},
    profile::{Area, Fitzpatrick, Profile, SkinType},
};
use aftercare_store::{CheckInRow, NewUser, Role, Store, TreatmentSummary};
use aftercare_web::{
    Application, Clock, Settings,
    admin::{AdminRequest, create_admin},
    auth::PasswordHasher,
    settings::Overrides,
};
use jiff::{Timestamp, ZonedDateTime};
use reqwest::{StatusCode, redirect::Policy};
use scraper::{Html, Selector};
use secrecy::SecretString;
use tokio::{sync::oneshot, task::JoinHandle};

/// "Now" for every test: Thursday 26 November 2026, 14:00 UTC (15:00 in Berlin).
pub const NOW: &str = "2026-11-26T14:00:00Z";
/// The password of every account the harness creates.
pub const PASSWORD: &str = "correct horse battery staple";

/// A running app.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// A browser-like client of the first user (cookie jar on).
    pub client: reqwest::Client,
    /// The app's clock.
    pub clock: Clock,
    /// The app's store.
    pub store: Arc<dyn Store>,
    /// The app's settings.
    pub settings: Settings,
    /// The app's state (to drive the outbox worker by hand).
    pub state: aftercare_web::state::AppState,
    /// The setup URL printed at start (first run).
    pub setup_url: Option<String>,
    /// The metrics listener, when configured.
    pub metrics_addr: Option<SocketAddr>,
    /// The database file's folder (kept alive with the app).
    dir: Option<tempfile::TempDir>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
}

/// Settings for a test app: a fresh database, any free port, cheap password hashing (still
/// argon2id).
pub fn test_settings(dir: &tempfile::TempDir) -> Settings {
    let database = dir.path().join("aftercare.sqlite3");
    let mut settings = Settings::load(
        None,
        Some(Vec::new()),
        &Overrides {
            bind: Some("127.0.0.1:0".into()),
            database: Some(database.display().to_string()),
            ..Overrides::default()
        },
    )
    .expect("test settings");
    settings.security.argon2_memory_kib = 8 * 1024;
    settings.security.argon2_iterations = 1;
    settings.rate_limit.sign_in_burst = 1000;
    settings.rate_limit.patient_burst = 1000;
    settings
}

/// Starts the app with the default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app after `configure` adjusts the settings.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(&dir);
    configure(&mut settings);
    start(settings, dir).await
}

/// Starts an app on `settings` whose database lives in `dir`.
pub async fn start(settings: Settings, dir: tempfile::TempDir) -> TestApp {
    let clock = Clock::fixed(NOW.parse::<Timestamp>().expect("NOW"));
    let application = Application::build(settings.clone(), clock.clone())
        .await
        .expect("app builds");
    let address = application.local_addr().expect("address");
    let store = application.state().store_arc();
    let state = application.state().clone();
    let setup_url = application.setup_url().map(str::to_owned);
    let metrics_addr = application.metrics_addr();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        url: format!("http://{address}"),
        client: browser(),
        clock,
        store,
        settings,
        state,
        setup_url,
        metrics_addr,
        dir: Some(dir),
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// A new browser: its own cookie jar, redirects not followed.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// A clinic created for a test and its admin's e-mail.
#[derive(Debug, Clone)]
pub struct TestClinic {
    /// Clinic id.
    pub id: String,
    /// The admin's e-mail.
    pub admin_email: String,
}

impl TestApp {
    /// An absolute URL of `path`.
    pub fn at(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }

    /// The OpenAPI document the server publishes at `/api/openapi.json`.
    pub async fn openapi_document(&self) -> serde_json::Value {
        let response = reqwest::get(self.at("/api/openapi.json"))
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK);
        response.json().await.expect("the document is JSON")
    }

    /// Creates a clinic named `name` with an admin `email` (password [`PASSWORD`]).
    pub async fn create_clinic(&self, name: &str, email: &str) -> TestClinic {
        let hasher = PasswordHasher::new(8 * 1024, 1).expect("hasher");
        let created = create_admin(
            self.store.as_ref(),
            &hasher,
            AdminRequest {
                clinic_name: Some(name.into()),
                clinic_phone: "+49 30 1234567".into(),
                clinic_email: format!("desk@{}.example", name.to_lowercase().replace(' ', "-")),
                clinic_address: "1 Main Street".into(),
                emergency_number: "112".into(),
                email: email.into(),
                display_name: format!("Admin of {name}"),
                password: Some(SecretString::from(PASSWORD)),
            },
            self.clock.now_seconds(),
        )
        .await
        .expect("admin created");
        TestClinic {
            id: created.clinic.id,
            admin_email: email.into(),
        }
    }

    /// Creates a practitioner account in `clinic` (password [`PASSWORD`]); returns its user id.
    pub async fn create_practitioner(
        &self,
        clinic: &TestClinic,
        email: &str,
        name: &str,
    ) -> String {
        let hash = PasswordHasher::new(8 * 1024, 1)
            .expect("hasher")
            .hash(SecretString::from(PASSWORD))
            .await
            .expect("hash");
        self.store
            .create_user(
                &NewUser {
                    clinic_id: clinic.id.clone(),
                    email: email.into(),
                    display_name: name.into(),
                    role: Role::Practitioner,
                    password_hash: hash,
                },
                self.clock.now_seconds(),
            )
            .await
            .expect("practitioner")
            .id
    }

    /// A clinic "`label` Clinic", its admin signed in, and a treatment labelled `label` with
    /// `extra` form fields over the defaults of [`TestApp::create_treatment_with`]: the admin's
    /// browser, the treatment's id and the patient link's path.
    pub async fn clinic_with_patient(
        &self,
        label: &str,
        extra: &[(&str, &str)],
    ) -> (reqwest::Client, String, String) {
        let clinic = self
            .create_clinic(
                &format!("{label} Clinic"),
                &format!("admin@{}.example", label.to_lowercase()),
            )
            .await;
        let client = self.signed_in(&clinic.admin_email).await;
        let (id, link) = self
            .create_treatment_with(&client, &[&[("patient_label", label)][..], extra].concat())
            .await;
        (client, id, link)
    }

    /// Signs `client` in.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.at("/sign-in"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .expect("sign-in request")
    }

    /// A fresh browser signed in as `email`.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = browser();
        let response = self.sign_in(&client, email, PASSWORD).await;
        assert_eq!(
            response.status(),
            StatusCode::SEE_OTHER,
            "sign-in of {email}"
        );
        client
    }

    /// GET `path` with `client`: status and parsed page.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (StatusCode, Html) {
        let response = client.get(self.at(path)).send().await.expect("GET");
        let status = response.status();
        (
            status,
            Html::parse_document(&response.text().await.expect("body")),
        )
    }

    /// POST a form with `client`: status, `Location` and parsed page.
    pub async fn post_form(
        &self,
        client: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> (StatusCode, Option<String>, Html) {
        let response = client
            .post(self.at(path))
            .form(form)
            .send()
            .await
            .expect("POST");
        let status = response.status();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (
            status,
            location,
            Html::parse_document(&response.text().await.expect("body")),
        )
    }

    /// Records a treatment through the form; returns its id and the patient link's path.
    pub async fn create_treatment(
        &self,
        client: &reqwest::Client,
        label: &str,
    ) -> (String, String) {
        self.create_treatment_with(client, &[("patient_label", label)])
            .await
    }

    /// Records a treatment with extra form fields (defaults: Berlin, 24 Nov 2026 15:00,
    /// sensitive skin, face).
    pub async fn create_treatment_with(
        &self,
        client: &reqwest::Client,
        fields: &[(&str, &str)],
    ) -> (String, String) {
        let mut form: Vec<(&str, &str)> = vec![
            ("treated_date", "2026-11-24"),
            ("treated_time", "15:00"),
            ("time_zone", "Europe/Berlin"),
            ("skin", "sensitive"),
            ("areas", "face"),
            ("fitzpatrick", "3"),
            ("notes", ""),
            ("protocol_id", "default"),
        ];
        for (key, value) in fields {
            form.retain(|(k, _)| k != key || *key == "skin" || *key == "areas");
            form.push((key, value));
        }
        let (status, _, page) = self.post_form(client, "/clinic/treatments", &form).await;
        assert_eq!(status, StatusCode::CREATED, "{}", page.html());
        let url = text_of(&page, ".link-url");
        let path = url
            .strip_prefix(&self.url)
            .expect("link on this app")
            .to_owned();
        let id = page
            .select(&selector("form[action$='/links']"))
            .next()
            .and_then(|form| form.value().attr("action"))
            .and_then(|action| action.strip_prefix("/clinic/treatments/"))
            .and_then(|rest| rest.strip_suffix("/links"))
            .expect("treatment id on the page")
            .to_owned();
        (id, path)
    }

    /// The treatments stored for a clinic.
    pub async fn stored_treatments(&self, clinic_id: &str) -> Vec<TreatmentSummary> {
        self.store
            .list_treatments(clinic_id)
            .await
            .expect("list treatments")
    }

    /// The check-ins stored for a treatment.
    pub async fn stored_check_ins(&self, clinic_id: &str, treatment_id: &str) -> Vec<CheckInRow> {
        self.store
            .list_check_ins(clinic_id, treatment_id)
            .await
            .expect("list check-ins")
    }

    /// Sends a check-in through the patient form; returns the result page's path.
    pub async fn check_in(&self, link: &str, form: &[(&str, &str)]) -> String {
        let (status, location, page) = self
            .post_form(&browser(), &format!("{link}/check-in"), form)
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{}", page.html());
        location.expect("redirect to the result")
    }

    /// Stops the app gracefully and waits for it.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server
                .await
                .expect("server task")
                .expect("server stopped cleanly");
        }
        self.dir.take().expect("the database folder")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The treatment [`TestApp::create_treatment_with`] records by default, as the core sees it:
/// treated 24 Nov 2026 15:00 in Berlin; sensitive skin, face, Fitzpatrick III.
pub fn default_treatment() -> (ZonedDateTime, Profile) {
    let tz = parse_time_zone("Europe/Berlin").expect("zone");
    let treated_at = parse_instant("2026-11-24 15:00", Some(&tz)).expect("instant");
    let profile = Profile {
        skin: vec![SkinType::Sensitive],
        areas: vec![Area::Face],
        fitzpatrick: Some(Fitzpatrick::try_from(3_u8).expect("type III")),
    };
    (treated_at, profile)
}

/// A CSS selector.
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// The text of the first element matching `css`, trimmed.
pub fn text_of(page: &Html, css: &str) -> String {
    let element = page.select(&selector(css)).next();
    assert!(element.is_some(), "no {css} in {}", page.html());
    element
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .unwrap_or_default()
}

/// The texts of every element matching `css`.
pub fn texts_of(page: &Html, css: &str) -> Vec<String> {
    page.select(&selector(css))
        .map(|element| {
            element
                .text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}
