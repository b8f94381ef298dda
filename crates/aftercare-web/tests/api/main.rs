//! Black-box tests of the web app: each test starts the real app on a random port with a fresh
//! SQLite database and a fixed clock, and drives it over HTTP (see `helpers.rs`).
//!
//! - `operations`: health, headers, metrics, logs, graceful shutdown, concurrency;
//! - `clinic`: setup, sign-in, invitations, passwords, treatments, links, alerts, protocols;
//! - `patient`: Today, the plan, check-ins, the product checker, the FAQ;
//! - `api`: the JSON API and its OpenAPI document;
//! - `directory`: Find a Practitioner: profiles, approval, the public page and API;
//! - `forms`: form bodies no browser sends: a field sent twice, bytes that are not UTF-8, a
//!   blank time zone; each refused with nothing stored;
//! - `instances`: two app instances on one PostgreSQL share sessions and deliver each alert
//!   e-mail once;
//! - `mail`: alert e-mails through a real SMTP server (PyPI `aiosmtpd`), the outbox's retries
//!   and restarts, and the calendar feed;
//! - `reliability`: regressions found by API fuzzing (schemathesis, `tools/api-fuzz`);
//! - `shelf`: the patient's products: reintroduction dates, pauses, routine, the feed;
//! - `chart`: the healing chart and its text alternative on the patient's and clinic's pages;
//! - `security`: clinic and link boundaries through every route, CSRF, escaping, rate and
//!   body limits, bad input.

mod api;
mod catalog;
mod chart;
mod clinic;
mod directory;
mod forms;
mod helpers;
mod instances;
mod mail;
mod operations;
mod patient;
mod reliability;
mod security;
mod shelf;
