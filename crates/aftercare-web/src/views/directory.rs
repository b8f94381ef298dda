//! Pages of "Find a Practitioner": the public search page, a practitioner's own directory
//! profile, and the clinic admin's approvals. Every text here is shown through askama's
//! HTML escaping; links are checked `http(s)` addresses (the core refuses anything else).

use askama::Template;

use super::{ClinicNav, FieldErrors, clinic::Choice};

/// A place to choose: an ambiguous name's candidate or an unknown name's suggestion.
#[derive(Debug, Clone)]
pub struct PlaceLink {
    /// "Springfield, Illinois, United States (116,250 people)".
    pub label: String,
    /// The search link for that place (query string already encoded).
    pub href: String,
}

/// One practitioner found.
#[derive(Debug, Clone)]
pub struct ResultView {
    /// The name shown.
    pub display_name: String,
    /// The clinic's name.
    pub clinic: Option<String>,
    /// "12 Rue de Rivoli, Paris, France".
    pub address: String,
    /// "2.4 km", "1.5 miles".
    pub distance: String,
    /// The services' names.
    pub services: Vec<&'static str>,
    /// Qualifications as written.
    pub credentials: Vec<String>,
    /// "75-123456, issued by Ordre des médecins".
    pub licence: Option<String>,
    /// A phone number.
    pub phone: Option<String>,
    /// The website (`http(s)://`).
    pub website: Option<String>,
    /// The booking link (`http(s)://`).
    pub booking_url: Option<String>,
}

/// `GET /practitioners`: the search form and, once searched, the answer.
#[derive(Debug, Template)]
#[template(path = "directory/search.html")]
pub struct SearchPage {
    /// The place as typed.
    pub near: String,
    /// The radius as typed.
    pub radius: String,
    /// The unit options (km, miles).
    pub units: Vec<Choice>,
    /// The service options ("Any service" first).
    pub services: Vec<Choice>,
    /// What is wrong with the search, one sentence.
    pub error: Option<String>,
    /// "Which one?" or "Did you mean?", with `places`.
    pub places_heading: Option<&'static str>,
    /// Candidates of an ambiguous name, or suggestions for an unknown one.
    pub places: Vec<PlaceLink>,
    /// "3 practitioners within 50 km of Paris, France, nearest first."
    pub summary: Option<String>,
    /// Nearest first.
    pub results: Vec<ResultView>,
    /// The GeoNames attribution.
    pub attribution: &'static str,
}

/// The practitioner's profile form, as typed (or as stored).
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    /// The name shown.
    pub display_name: String,
    /// The clinic's name.
    pub clinic_name: String,
    /// The street address.
    pub address: String,
    /// The city.
    pub city: String,
    /// The country.
    pub country: String,
    /// Latitude, optional.
    pub latitude: String,
    /// Longitude, optional.
    pub longitude: String,
    /// One qualification a line.
    pub credentials: String,
    /// The licence number.
    pub licence_number: String,
    /// The issuing body.
    pub licence_issuer: String,
    /// A phone number.
    pub phone: String,
    /// The website.
    pub website: String,
    /// The booking link.
    pub booking_url: String,
    /// The practitioner agrees to a public profile.
    pub opted_in: bool,
}

/// `GET /clinic/directory`: the signed-in user's own directory profile.
#[derive(Debug, Template)]
#[template(path = "directory/profile.html")]
pub struct ProfilePage {
    /// Navigation.
    pub nav: ClinicNav,
    /// A confirmation after a redirect.
    pub flash: Option<&'static str>,
    /// Per-field messages.
    pub errors: FieldErrors,
    /// The fields.
    pub form: ProfileForm,
    /// The service checkboxes.
    pub services: Vec<Choice>,
    /// Whether a profile is stored.
    pub stored: bool,
    /// Where the profile stands ("Public in the directory", "Waiting for approval", ...).
    pub status: Option<String>,
    /// Where the coordinates come from, for a stored profile.
    pub located: Option<String>,
}

/// One profile on the approvals page.
#[derive(Debug, Clone)]
pub struct ApprovalView {
    /// The profile id.
    pub id: String,
    /// The name shown.
    pub display_name: String,
    /// "Clinic, address, city, country".
    pub place: String,
    /// The services' names, joined.
    pub services: String,
    /// Qualifications, joined.
    pub credentials: String,
    /// "number, issued by body", or a warning.
    pub licence: String,
    /// Phone, website, booking link, as text.
    pub contact: Vec<String>,
    /// Whether the practitioner opted in.
    pub opted_in: bool,
    /// "Approved on … by …", when approved.
    pub approved: Option<String>,
    /// Whether it is public now.
    pub public: bool,
    /// The `updated_at` of the version shown: approving approves that version only.
    pub seen: i64,
    /// Why it cannot be approved as it is, if so.
    pub problem: Option<String>,
}

/// `GET /clinic/directory/profiles`: the clinic's profiles, for its admin to approve.
#[derive(Debug, Template)]
#[template(path = "directory/approvals.html")]
pub struct ApprovalsPage {
    /// Navigation.
    pub nav: ClinicNav,
    /// A confirmation after a redirect.
    pub flash: Option<&'static str>,
    /// The profiles, by name.
    pub profiles: Vec<ApprovalView>,
}
