//! The product shelf's pages (issue #9): the patient's "My products" page and edit page, and
//! the clinic's shelf page of a treatment, with the product form they share
//! (`templates/shelf/`).

use askama::Template;

use super::{ClinicNav, FieldErrors, PatientNav, clinic::Choice};

/// The product form, empty, as typed, or filled from a stored product.
#[derive(Debug, Clone)]
pub struct ShelfFormView {
    /// Where it posts.
    pub action: String,
    /// The button's words.
    pub button: &'static str,
    /// Name typed.
    pub name: String,
    /// Brand typed.
    pub brand: String,
    /// Type options.
    pub types: Vec<Choice>,
    /// Ingredient list typed.
    pub ingredients: String,
    /// From the clinic ticked.
    pub from_clinic: bool,
    /// What to fix.
    pub errors: FieldErrors,
}

/// One product with when it comes back.
#[derive(Debug, Clone)]
pub struct ShelfItemView {
    /// Product id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Brand, or "".
    pub brand: String,
    /// Type in words.
    pub product_type: String,
    /// Given by the clinic.
    pub from_clinic: bool,
    /// When it comes back (local time of the treatment's zone).
    pub when: String,
    /// Why then.
    pub reason: String,
    /// The sources of the rules.
    pub source: String,
    /// Moved back by a pause.
    pub paused: bool,
    /// Whether its whole ingredient list was checked.
    pub checked: bool,
}

/// A pause of the schedule after a check-in.
#[derive(Debug, Clone)]
pub struct PauseView {
    /// Why, for the patient.
    pub reason: String,
    /// Source.
    pub source: String,
}

/// One routine step.
#[derive(Debug, Clone)]
pub struct RoutineStepView {
    /// What to do.
    pub text: String,
    /// Source.
    pub source: String,
}

/// A catalog product.
#[derive(Debug, Clone)]
pub struct PickView {
    /// Brand and name.
    pub name: String,
    /// Routine step in words.
    pub step: String,
    /// Why (or why not now).
    pub why: Vec<String>,
}

/// The patient's "My products" page.
#[derive(Debug, Template)]
#[template(path = "shelf/patient.html")]
pub struct MyProductsPage {
    /// Navigation.
    pub nav: PatientNav,
    /// "Day 3".
    pub day: String,
    /// The products, in the order they come back.
    pub items: Vec<ShelfItemView>,
    /// Where a product's edit page is (`{edit_base}/{id}`).
    pub edit_base: String,
    /// Pauses after check-ins.
    pub pauses: Vec<PauseView>,
    /// Today's morning routine.
    pub am: Vec<RoutineStepView>,
    /// Today's evening routine.
    pub pm: Vec<RoutineStepView>,
    /// Notes on today's routine.
    pub notes: Vec<String>,
    /// Catalog products recommended now.
    pub recommended: Vec<PickView>,
    /// Catalog products without an ingredient list.
    pub not_provided: Vec<PickView>,
    /// Catalog products held back now.
    pub held_back: Vec<PickView>,
    /// The add form.
    pub form: ShelfFormView,
}

/// Editing one product (patient).
#[derive(Debug, Template)]
#[template(path = "shelf/patient_edit.html")]
pub struct PatientEditPage {
    /// Navigation.
    pub nav: PatientNav,
    /// The form.
    pub form: ShelfFormView,
    /// Where the remove button posts.
    pub delete_action: String,
}

/// A treatment's shelf for the practitioner.
#[derive(Debug, Template)]
#[template(path = "shelf/clinic.html")]
pub struct ClinicShelfPage {
    /// Navigation.
    pub nav: ClinicNav,
    /// Treatment id.
    pub treatment_id: String,
    /// Name or initials.
    pub patient_label: String,
    /// "Day 3".
    pub day: String,
    /// The products.
    pub items: Vec<ShelfItemView>,
    /// Where a product's edit page is (`{edit_base}/{id}`).
    pub edit_base: String,
    /// Pauses after check-ins.
    pub pauses: Vec<PauseView>,
    /// The add form.
    pub form: ShelfFormView,
}

/// Editing one product (practitioner).
#[derive(Debug, Template)]
#[template(path = "shelf/clinic_edit.html")]
pub struct ClinicEditPage {
    /// Navigation.
    pub nav: ClinicNav,
    /// Treatment id.
    pub treatment_id: String,
    /// The form.
    pub form: ShelfFormView,
    /// Where the remove button posts.
    pub delete_action: String,
}

/// The shelf's short part of the Today page.
#[derive(Debug, Clone)]
pub struct ShelfTodayView {
    /// The next products to come back: "Name: Wed 2 Dec, 15:00".
    pub coming: Vec<String>,
    /// This morning's routine in one line, in order.
    pub am: String,
    /// This evening's routine in one line, in order.
    pub pm: String,
}
