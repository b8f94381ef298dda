//! The product shelf on the web (issue #9), shared by the patient pages (through their link)
//! and the clinic's treatment pages: reading the product form and checking it with
//! `aftercare-core` before anything is saved (a list that is not an ingredient list is refused
//! with the checker's message), and turning a treatment's stored shelf and check-ins into the
//! core's reintroduction schedule, today's routine, the catalog picks and the calendar events.
//!
//! What does not belong here: the rules (`aftercare_core::shelf`), SQL (the store), HTML
//! (`routes::shelf` and `views::shelf`).

use aftercare_core::{
    Hours,
    calendar::CalendarEvent,
    inci::{Checker, kb::KnowledgeBase},
    instant::format_local,
    protocol::Protocol,
    shelf::{
        Catalog, CheckInRecord, CheckedProduct, DayRoutine, PickStatus, ProductFacts, Schedule,
        Shelf, ShelfError, ShelfProduct, ShelfProductSpec, ShelfProductType, ShelfSpec,
        build_routine, check_shelf, recommend_products, schedule_products,
    },
    triage::{Level, Symptom},
};
use aftercare_store::{CheckInRow, NewShelfProduct, ShelfProductRow, TreatmentRow};
use jiff::Timestamp;

use crate::{
    check_ins::StoredCheckIn,
    error::AppError,
    extract::FormData,
    routes::clinic::words,
    state::AppState,
    treatments::{TreatmentView, sentence},
    views::{FieldErrors, clinic::Choice},
};

/// The product form as typed (shown again when refused).
#[derive(Debug, Clone, Default)]
pub struct ShelfFields {
    /// The product's name.
    pub name: String,
    /// The brand (blank: none).
    pub brand: String,
    /// The type id.
    pub product_type: String,
    /// The ingredient list (blank: not provided).
    pub ingredients: String,
    /// Whether the clinic gave it as aftercare.
    pub from_clinic: bool,
}

impl ShelfFields {
    /// Reads the form.
    pub fn read(form: &FormData) -> ShelfFields {
        ShelfFields {
            name: form.text("name").unwrap_or("").to_owned(),
            brand: form.text("brand").unwrap_or("").to_owned(),
            product_type: form.text("type").unwrap_or("").to_owned(),
            ingredients: form.raw("ingredients").unwrap_or("").to_owned(),
            from_clinic: form.checked("from_clinic"),
        }
    }

    /// The fields of a stored product (for the edit form).
    pub fn of(row: &ShelfProductRow) -> ShelfFields {
        ShelfFields {
            name: row.name.clone(),
            brand: row.brand.clone().unwrap_or_default(),
            product_type: row.product_type.clone(),
            ingredients: row.ingredients.clone().unwrap_or_default(),
            from_clinic: row.from_clinic,
        }
    }

    /// The type options of the form, the current one selected.
    pub fn type_choices(&self) -> Vec<Choice> {
        ShelfProductType::ALL
            .iter()
            .map(|t| Choice {
                value: t.id().to_owned(),
                label: words(t.id()),
                selected: t.id() == self.product_type,
            })
            .collect()
    }
}

fn blank_to_none(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// The form field a shelf error is about.
fn field_of(field: &str) -> &'static str {
    match field {
        "brand" => "brand",
        "type" => "type",
        "ingredients" => "ingredients",
        _ => "name",
    }
}

/// Checks the fields as the core does for a shelf (name, brand, type) and runs the
/// ingredient checker on the list; returns the product to save. Nothing is saved here.
///
/// # Errors
/// The problems, against their form fields; a list that is not an ingredient list carries
/// the checker's message.
pub fn validate(
    fields: &ShelfFields,
    treatment: &TreatmentRow,
    checker: &Checker<'_>,
) -> Result<NewShelfProduct, FieldErrors> {
    let mut errors = FieldErrors::default();
    let refused = |errors: &mut FieldErrors, error: ShelfError| match error {
        ShelfError::Field { field, message, .. } => {
            let label = match field {
                "type" => "The product type",
                "brand" => "The brand",
                _ => "The name",
            };
            // The checker's own message names the list already.
            let text = if field == "ingredients" {
                sentence(&message)
            } else {
                format!("{label}: {}", sentence(&message))
            };
            errors.add(field_of(field), text);
        }
        other => errors.add("name", sentence(&other.to_string())),
    };
    let spec = ShelfSpec {
        products: vec![ShelfProductSpec {
            id: None,
            name: fields.name.clone(),
            brand: blank_to_none(&fields.brand),
            product_type: fields.product_type.clone(),
            ingredients: blank_to_none(&fields.ingredients),
            aftercare: fields.from_clinic,
        }],
    };
    let shelf = match Shelf::try_from(spec) {
        Ok(shelf) => shelf,
        Err(error) => {
            refused(&mut errors, error);
            return Err(errors);
        }
    };
    if let Err(error) = check_shelf(&shelf, checker) {
        refused(&mut errors, error);
        return Err(errors);
    }
    let Some(product) = shelf.products.into_iter().next() else {
        errors.add("name", "Enter the product's name.");
        return Err(errors);
    };
    Ok(NewShelfProduct {
        clinic_id: treatment.clinic_id.clone(),
        treatment_id: treatment.id.clone(),
        name: product.name,
        brand: product.brand,
        product_type: product.product_type.id().to_owned(),
        ingredients: product.ingredients,
        from_clinic: product.aftercare,
    })
}

/// The treatment's checker (its protocol and skin profile).
pub fn checker<'p>(protocol: &'p Protocol, view: &'p TreatmentView) -> Checker<'p> {
    Checker::new(KnowledgeBase::embedded(), protocol, &view.profile)
}

/// A stored check-in as the schedule reads it; `None` before the treatment or when the
/// stored level no longer reads (the clinic's alert list shows it either way). Answers that no
/// longer read (a symptom id the vocabulary lost, broken JSON) are `symptoms: None`, which
/// pauses the schedule rather than ignoring what may have been a red flag.
fn record_of(row: &CheckInRow, view: &TreatmentView) -> Option<CheckInRecord> {
    let at = view.hours_at(Timestamp::from_second(row.at).ok()?)?;
    let level: Level = row.level.as_str().parse().ok()?;
    let symptoms = serde_json::from_str::<StoredCheckIn>(&row.input)
        .ok()
        .and_then(|input| {
            input
                .symptoms
                .iter()
                .map(|id| id.parse::<Symptom>().ok())
                .collect()
        });
    Some(CheckInRecord {
        at,
        level,
        symptoms,
    })
}

/// A treatment's shelf with its schedule: the stored rows, the checked products (same
/// order) and the schedule.
#[derive(Debug, Clone)]
pub struct ShelfPlan {
    /// The stored products, in the order added.
    pub rows: Vec<ShelfProductRow>,
    /// What the checker found in each (same order).
    pub products: Vec<CheckedProduct>,
    /// When each comes back, and the pauses.
    pub schedule: Schedule,
}

impl ShelfPlan {
    /// Reads the treatment's shelf and schedules the products against its check-ins:
    /// `check_ins` when the caller has read them already (the Today page and the treatment
    /// page, for the chart), else they are read here, only when the shelf has products.
    ///
    /// # Errors
    /// Store failures; internal when a stored product type no longer reads.
    pub async fn load(
        state: &AppState,
        treatment: &TreatmentRow,
        view: &TreatmentView,
        protocol: &Protocol,
        check_ins: Option<&[CheckInRow]>,
    ) -> Result<ShelfPlan, AppError> {
        let store = state.store();
        let rows = store
            .list_shelf_products(&treatment.clinic_id, &treatment.id)
            .await?;
        let read;
        let check_ins = match check_ins {
            Some(check_ins) => check_ins,
            None if rows.is_empty() => &[][..],
            None => {
                read = store
                    .list_check_ins(&treatment.clinic_id, &treatment.id)
                    .await?;
                &read[..]
            }
        };
        let records: Vec<CheckInRecord> = check_ins
            .iter()
            .filter_map(|row| record_of(row, view))
            .collect();
        let checker = checker(protocol, view);
        let mut products = Vec::with_capacity(rows.len());
        for row in &rows {
            let product_type = ShelfProductType::parse_id(&row.product_type).map_err(|e| {
                AppError::internal(anyhow::anyhow!("shelf product {}: {e}", row.id))
            })?;
            let product = ShelfProduct {
                id: row.id.clone(),
                name: row.name.clone(),
                brand: row.brand.clone(),
                product_type,
                ingredients: row.ingredients.clone(),
                aftercare: row.from_clinic,
            };
            let single = Shelf {
                products: vec![product.clone()],
            };
            // A list checked on save that the checker no longer reads is "not checked": it
            // comes back last and is never called safe.
            let checked = check_shelf(&single, &checker)
                .ok()
                .and_then(|mut list| list.pop())
                .unwrap_or(CheckedProduct {
                    product,
                    facts: ProductFacts::not_provided(),
                });
            products.push(checked);
        }
        let schedule = schedule_products(
            protocol,
            &view.profile,
            &products,
            &records,
            &view.treated_at,
        );
        Ok(ShelfPlan {
            rows,
            products,
            schedule,
        })
    }

    /// The routine of recovery day `day`.
    pub fn routine(&self, protocol: &Protocol, view: &TreatmentView, day: u32) -> DayRoutine {
        build_routine(
            protocol,
            &view.profile,
            &self.products,
            &self.schedule,
            &view.treated_at,
            day,
        )
    }

    /// When a product comes back, for people: "Since your treatment" or the local time.
    pub fn when(&self, product_id: &str) -> Option<String> {
        self.schedule
            .schedule
            .iter()
            .find(|e| e.id == product_id)
            .map(|e| {
                if e.from_hours == Hours::ZERO {
                    "From your treatment on".to_owned()
                } else {
                    format_local(&e.from)
                }
            })
    }

    /// The reintroduction events for the calendar feed.
    pub fn calendar_events(&self) -> Vec<CalendarEvent> {
        self.schedule.calendar_events()
    }
}

/// One catalog product for the page: its name, step and why (or why not now).
#[derive(Debug, Clone)]
pub struct Pick {
    /// Brand and name.
    pub name: String,
    /// The routine step, in words ("" when not a daily step).
    pub step: String,
    /// Why it is recommended, or why not now.
    pub why: Vec<String>,
    /// Which list of the page it belongs to.
    pub status: PickGroup,
}

/// The lists of catalog picks on the page, from the core's [`PickStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickGroup {
    /// Cleared by the checker for now.
    Recommended,
    /// No ingredient list: the checker cannot clear it.
    NotProvided,
    /// Not for now (the reason is its `why`).
    HeldBack,
}

/// The clinic catalog's products at `hours` for the treatment (`catalog`: the clinic's own or
/// the built-in one, see `crate::catalog`): never one the checker flags (those are
/// `held_back`, with the reason).
pub fn picks(
    catalog: &Catalog,
    protocol: &Protocol,
    view: &TreatmentView,
    hours: Hours,
) -> Vec<Pick> {
    let checker = checker(protocol, view);
    recommend_products(catalog, &checker, protocol, &view.profile, hours)
        .into_iter()
        .map(|pick| {
            let name = match &pick.entry.brand {
                Some(brand) => format!("{brand} {}", pick.entry.name),
                None => pick.entry.name.clone(),
            };
            let step = pick.step.map_or_else(String::new, |s| words(s.id()));
            let (status, why) = match pick.status {
                PickStatus::Recommended => (PickGroup::Recommended, pick.why),
                PickStatus::IngredientListNotProvided => (PickGroup::NotProvided, pick.why),
                PickStatus::HeldBack { reason } => (PickGroup::HeldBack, vec![reason]),
            };
            Pick {
                name,
                step,
                why,
                status,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftercare_store::CheckInLevel;

    fn treatment() -> TreatmentRow {
        TreatmentRow {
            id: "t1".into(),
            clinic_id: "c1".into(),
            practitioner_id: "u1".into(),
            patient_label: "AB".into(),
            patient_email: None,
            // Tue 24 Nov 2026 14:00 UTC.
            treated_at: 1_795_528_800,
            time_zone: "Europe/Berlin".into(),
            skin: r#"["sensitive"]"#.into(),
            fitzpatrick: None,
            areas: r#"["face"]"#.into(),
            cold_sore_history: false,
            notes: String::new(),
            protocol_id: None,
            created_at: 1_795_528_800,
        }
    }

    fn check_in(level: CheckInLevel, symptoms: &[&str], hours: i64) -> CheckInRow {
        let input = StoredCheckIn {
            treated_at: "2026-11-24T14:00:00Z".into(),
            at: "2026-11-26T14:00:00Z".into(),
            symptoms: symptoms.iter().map(|s| (*s).to_owned()).collect(),
            temperature_c: None,
            discharge: "none".into(),
            ratings: std::collections::BTreeMap::new(),
        };
        CheckInRow {
            id: "k1".into(),
            treatment_id: "t1".into(),
            clinic_id: "c1".into(),
            at: 1_795_528_800 + hours * 3600,
            submitted_at: 1_795_528_800 + hours * 3600,
            input: serde_json::to_string(&input).expect("json"),
            level,
            result: "{}".into(),
        }
    }

    #[test]
    fn stored_check_ins_pause_on_a_red_flag_or_significant_irritation_only() {
        let view = TreatmentView::of(&treatment()).expect("view");
        let irritated = record_of(
            &check_in(CheckInLevel::Expected, &["significant_irritation"], 50),
            &view,
        )
        .expect("record");
        assert_eq!(irritated.at, Hours(50));
        assert!(irritated.pauses(), "significant irritation pauses");
        let calm =
            record_of(&check_in(CheckInLevel::Expected, &["redness"], 50), &view).expect("record");
        assert!(!calm.pauses());
        let flagged = record_of(
            &check_in(CheckInLevel::ContactPractitioner, &["redness"], 50),
            &view,
        )
        .expect("record");
        assert!(flagged.pauses(), "contact_practitioner pauses");
        assert!(
            record_of(&check_in(CheckInLevel::Urgent, &[], -2), &view).is_none(),
            "before the treatment: not a recovery check-in"
        );
        let mut broken = check_in(CheckInLevel::Expected, &["redness"], 50);
        broken.input = "{not json".into();
        let unreadable = record_of(&broken, &view).expect("record");
        assert_eq!(unreadable.symptoms, None);
        assert!(unreadable.pauses(), "answers that no longer read pause");
        let renamed = record_of(
            &check_in(CheckInLevel::Expected, &["redness", "gone"], 50),
            &view,
        )
        .expect("record");
        assert!(renamed.pauses(), "a symptom id that no longer reads pauses");
    }
}
