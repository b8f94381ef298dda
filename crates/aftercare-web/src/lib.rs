//! The aftercare web app as a library: clinic and patient pages, the JSON API, sign-in and
//! sessions, settings and start-up. The `aftercare serve` command calls [`serve`];
//! `aftercare admin create` calls [`admin::create_admin`].
//!
//! Layout (ARCHITECTURE.md): `routes` (HTML, one module per area, each with `fn router()`),
//! `api` (JSON + OpenAPI), `auth` (passwords, sessions, tokens), `views` (askama pages),
//! `settings`, `state`, `error`, `startup`. Domain logic lives in `aftercare-core` and SQL in
//! `aftercare-store`: handlers here extract, call them, and render.

pub mod admin;
pub mod api;
pub mod auth;
mod catalog;
mod chart;
mod check_ins;
pub mod cli;
pub mod clock;
pub mod directory;
pub mod error;
mod extract;
mod input;
pub mod mail;
pub mod metrics;
mod products;
pub mod protocols;
pub mod routes;
mod security;
pub mod settings;
mod shelf;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod treatments;
mod views;

pub use cli::{AdminArgs, AdminCommand, AdminCreateArgs, ServeArgs};
pub use clock::Clock;
pub use settings::Settings;
pub use startup::{Application, serve};
