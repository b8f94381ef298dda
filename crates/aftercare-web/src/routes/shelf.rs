//! The product shelf's pages (issue #9). The patient, through their link: "My products"
//! (`/p/{token}/shelf`: when each product comes back and why, the pauses, today's routine, the
//! clinic catalog's picks for today, and the form to add one) and the edit page of a product.
//! The practitioner: the shelf of a treatment of their clinic
//! (`/clinic/treatments/{id}/shelf`) with the same form.
//!
//! Every product is read and written through its treatment: a product id from another link's
//! treatment, or from another clinic, is "not found". A product is saved only once its fields
//! and its ingredient list passed the core's checks; a refused form is shown again with 422.

use std::sync::Arc;

use aftercare_core::{Hours, protocol::Protocol, shelf::RoutineItem};
use aftercare_store::{CheckInRow, NewShelfProduct, ShelfProductRow, TreatmentRow};
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};

use crate::{
    auth::CurrentUser,
    error::AppError,
    extract::FormData,
    routes::{
        clinic::{clinic_nav, find_treatment, words},
        patient::PatientContext,
    },
    shelf::{self, PickGroup, ShelfFields, ShelfPlan},
    state::AppState,
    treatments::TreatmentView,
    views::{
        FieldErrors, render_status,
        shelf::{
            ClinicEditPage, ClinicShelfPage, MyProductsPage, PatientEditPage, PauseView, PickView,
            RoutineStepView, ShelfFormView, ShelfItemView,
        },
    },
};

/// The patient's shelf routes (the caller adds the patient rate limit).
pub fn patient_router() -> Router<AppState> {
    Router::new()
        .route("/p/{token}/shelf", get(my_products).post(patient_add))
        .route(
            "/p/{token}/shelf/{id}",
            get(patient_edit).post(patient_update),
        )
        .route("/p/{token}/shelf/{id}/delete", post(patient_delete))
}

/// The practitioner's shelf routes.
pub fn clinic_router() -> Router<AppState> {
    Router::new()
        .route(
            "/clinic/treatments/{id}/shelf",
            get(clinic_page).post(clinic_add),
        )
        .route(
            "/clinic/treatments/{id}/shelf/{product}",
            get(clinic_edit).post(clinic_update),
        )
        .route(
            "/clinic/treatments/{id}/shelf/{product}/delete",
            post(clinic_delete),
        )
}

fn form_view(
    action: String,
    button: &'static str,
    fields: &ShelfFields,
    errors: FieldErrors,
) -> ShelfFormView {
    ShelfFormView {
        action,
        button,
        name: fields.name.clone(),
        brand: fields.brand.clone(),
        types: fields.type_choices(),
        ingredients: fields.ingredients.clone(),
        from_clinic: fields.from_clinic,
        errors,
    }
}

/// The products in the order they come back, with when and why.
fn items(plan: &ShelfPlan) -> Vec<ShelfItemView> {
    plan.schedule
        .schedule
        .iter()
        .filter_map(|entry| {
            let row = plan.rows.iter().find(|r| r.id == entry.id)?;
            Some(ShelfItemView {
                id: row.id.clone(),
                name: row.name.clone(),
                brand: row.brand.clone().unwrap_or_default(),
                product_type: words(&row.product_type),
                from_clinic: row.from_clinic,
                when: plan.when(&row.id).unwrap_or_default(),
                reason: entry.reason.clone(),
                source: entry.source.clone(),
                paused: entry.paused_by.is_some(),
                checked: entry.checked,
            })
        })
        .collect()
}

/// The treatment's products in the order they come back, for the clinic's treatment page
/// (which has read the treatment's `check_ins` already).
///
/// # Errors
/// Store failures.
pub async fn items_of(
    state: &AppState,
    treatment: &TreatmentRow,
    view: &TreatmentView,
    protocol: &Protocol,
    check_ins: &[CheckInRow],
) -> Result<Vec<ShelfItemView>, AppError> {
    Ok(items(
        &ShelfPlan::load(state, treatment, view, protocol, Some(check_ins)).await?,
    ))
}

fn pauses(plan: &ShelfPlan) -> Vec<PauseView> {
    plan.schedule
        .pauses
        .iter()
        .map(|p| PauseView {
            reason: p.reason.clone(),
            source: p.source.clone(),
        })
        .collect()
}

/// A product id as it can appear in a URL (longer ones exist nowhere).
fn product_of(rows: Vec<ShelfProductRow>, id: &str) -> Result<ShelfProductRow, AppError> {
    if id.len() > 64 {
        return Err(AppError::NotFound);
    }
    rows.into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)
}

// ----- who is acting -----------------------------------------------------------------

/// Who is acting on a treatment's shelf, once their access is resolved: the patient through
/// their link, or a practitioner of the treatment's clinic. It gives the treatment (hence the
/// clinic id and treatment id every read and write goes through), the base path of the
/// shelf's links and redirects, and the page chrome.
enum Actor {
    /// The patient, through their link.
    Patient(PatientContext),
    /// A practitioner, on a treatment of their clinic.
    Clinic {
        /// The signed-in practitioner.
        user: CurrentUser,
        /// The treatment, found in the practitioner's clinic.
        treatment: TreatmentRow,
        /// The treatment as the core's types.
        view: TreatmentView,
    },
}

impl Actor {
    /// A practitioner on treatment `id` of their clinic; "not found" for an id that is too
    /// long to exist or a treatment of another clinic.
    async fn clinic(state: &AppState, user: CurrentUser, id: &str) -> Result<Self, AppError> {
        let treatment = find_treatment(state, &user, id).await?;
        let view = TreatmentView::of(&treatment)?;
        Ok(Self::Clinic {
            user,
            treatment,
            view,
        })
    }

    fn treatment(&self) -> &TreatmentRow {
        match self {
            Self::Patient(context) => &context.treatment,
            Self::Clinic { treatment, .. } => treatment,
        }
    }

    fn view(&self) -> &TreatmentView {
        match self {
            Self::Patient(context) => &context.view,
            Self::Clinic { view, .. } => view,
        }
    }

    /// The shelf page's path: where the add form posts, what product pages hang under, and
    /// where a saved or removed product leads back to.
    fn base(&self) -> String {
        match self {
            Self::Patient(context) => format!("/p/{}/shelf", context.token),
            Self::Clinic { treatment, .. } => format!("/clinic/treatments/{}/shelf", treatment.id),
        }
    }

    /// Back to the shelf page after a change.
    fn back(&self) -> Response {
        Redirect::to(&self.base()).into_response()
    }

    /// The treatment's protocol.
    async fn protocol(&self, state: &AppState) -> Result<Arc<Protocol>, AppError> {
        state
            .protocols()
            .of_treatment(state.store(), self.treatment())
            .await
    }

    /// The treatment's product `id`; "not found" for one of another treatment.
    async fn product(&self, state: &AppState, id: &str) -> Result<ShelfProductRow, AppError> {
        let treatment = self.treatment();
        let rows = state
            .store()
            .list_shelf_products(&treatment.clinic_id, &treatment.id)
            .await?;
        product_of(rows, id)
    }

    /// The fields checked against the treatment's protocol and skin profile: the product to
    /// save, or what to fix.
    async fn check(
        &self,
        state: &AppState,
        fields: &ShelfFields,
    ) -> Result<Result<NewShelfProduct, FieldErrors>, AppError> {
        let protocol = self.protocol(state).await?;
        Ok(shelf::validate(
            fields,
            self.treatment(),
            &shelf::checker(&protocol, self.view()),
        ))
    }
}

// ----- the operations, for either side -------------------------------------------------

/// The shelf page with the add form (empty, or as typed with what to fix).
async fn shelf_page(
    state: &AppState,
    actor: &Actor,
    fields: &ShelfFields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let edit_base = actor.base();
    let form = form_view(edit_base.clone(), "Add the product", fields, errors);
    let protocol = actor.protocol(state).await?;
    let plan = ShelfPlan::load(state, actor.treatment(), actor.view(), &protocol, None).await?;
    match actor {
        Actor::Patient(context) => {
            let hours = context.hours_now(state);
            let routine = plan.routine(&protocol, &context.view, hours.map_or(1, Hours::day));
            let catalog =
                crate::catalog::for_clinic(state, &context.treatment.clinic_id, &protocol).await?;
            let (recommended, not_provided, held_back) = pick_views(
                &catalog,
                &protocol,
                &context.view,
                hours.unwrap_or(Hours::ZERO),
            );
            let page = MyProductsPage {
                nav: context.nav("shelf"),
                day: context.day_label(state),
                items: items(&plan),
                edit_base,
                pauses: pauses(&plan),
                am: steps(&routine.am),
                pm: steps(&routine.pm),
                notes: routine.notes.clone(),
                recommended,
                not_provided,
                held_back,
                form,
            };
            Ok(render_status(status, &page))
        }
        Actor::Clinic {
            user,
            treatment,
            view,
        } => {
            let (_, nav) = clinic_nav(state, user, "dashboard").await?;
            let page = ClinicShelfPage {
                nav,
                treatment_id: treatment.id.clone(),
                patient_label: treatment.patient_label.clone(),
                day: view.day_label(state.clock().now()),
                items: items(&plan),
                edit_base,
                pauses: pauses(&plan),
                form,
            };
            Ok(render_status(status, &page))
        }
    }
}

/// Today's routine steps.
fn steps(items: &[RoutineItem]) -> Vec<RoutineStepView> {
    items
        .iter()
        .map(|i| RoutineStepView {
            text: i.text.clone(),
            source: i.source.clone(),
        })
        .collect()
}

/// The clinic catalog's picks: recommended now, without an ingredient list, held back now.
fn pick_views(
    catalog: &aftercare_core::shelf::Catalog,
    protocol: &Protocol,
    view: &TreatmentView,
    hours: Hours,
) -> (Vec<PickView>, Vec<PickView>, Vec<PickView>) {
    let (mut recommended, mut not_provided, mut held_back) = (Vec::new(), Vec::new(), Vec::new());
    for pick in shelf::picks(catalog, protocol, view, hours) {
        let view = PickView {
            name: pick.name,
            step: pick.step,
            why: pick.why,
        };
        match pick.status {
            PickGroup::Recommended => recommended.push(view),
            PickGroup::NotProvided => not_provided.push(view),
            PickGroup::HeldBack => held_back.push(view),
        }
    }
    (recommended, not_provided, held_back)
}

/// The edit page of product `product_id` (as stored, or as typed with what to fix).
async fn edit_page(
    state: &AppState,
    actor: &Actor,
    product_id: &str,
    fields: &ShelfFields,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let action = format!("{}/{product_id}", actor.base());
    let delete_action = format!("{action}/delete");
    let form = form_view(action, "Save the product", fields, errors);
    Ok(match actor {
        Actor::Patient(context) => render_status(
            status,
            &PatientEditPage {
                nav: context.nav("shelf"),
                form,
                delete_action,
            },
        ),
        Actor::Clinic {
            user, treatment, ..
        } => {
            let (_, nav) = clinic_nav(state, user, "dashboard").await?;
            render_status(
                status,
                &ClinicEditPage {
                    nav,
                    treatment_id: treatment.id.clone(),
                    form,
                    delete_action,
                },
            )
        }
    })
}

async fn show(state: &AppState, actor: &Actor) -> Result<Response, AppError> {
    shelf_page(
        state,
        actor,
        &ShelfFields::default(),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn add(state: &AppState, actor: &Actor, form: &FormData) -> Result<Response, AppError> {
    let fields = ShelfFields::read(form);
    match actor.check(state, &fields).await? {
        Ok(product) => {
            state
                .store()
                .add_shelf_product(&product, state.now())
                .await?;
            Ok(actor.back())
        }
        Err(errors) => {
            shelf_page(
                state,
                actor,
                &fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn edit(state: &AppState, actor: &Actor, id: &str) -> Result<Response, AppError> {
    let row = actor.product(state, id).await?;
    edit_page(
        state,
        actor,
        &row.id,
        &ShelfFields::of(&row),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

async fn update(
    state: &AppState,
    actor: &Actor,
    id: &str,
    form: &FormData,
) -> Result<Response, AppError> {
    let row = actor.product(state, id).await?;
    let fields = ShelfFields::read(form);
    match actor.check(state, &fields).await? {
        Ok(product) => {
            state
                .store()
                .update_shelf_product(&row.id, &product, state.now())
                .await?;
            Ok(actor.back())
        }
        Err(errors) => {
            edit_page(
                state,
                actor,
                &row.id,
                &fields,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

async fn delete(state: &AppState, actor: &Actor, id: &str) -> Result<Response, AppError> {
    let treatment = actor.treatment();
    if id.len() > 64
        || !state
            .store()
            .delete_shelf_product(&treatment.clinic_id, &treatment.id, id)
            .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(actor.back())
}

// ----- patient: the link gives the access --------------------------------------------

async fn my_products(
    State(state): State<AppState>,
    context: PatientContext,
) -> Result<Response, AppError> {
    show(&state, &Actor::Patient(context)).await
}

async fn patient_add(
    State(state): State<AppState>,
    context: PatientContext,
    form: FormData,
) -> Result<Response, AppError> {
    add(&state, &Actor::Patient(context), &form).await
}

async fn patient_edit(
    State(state): State<AppState>,
    context: PatientContext,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    edit(&state, &Actor::Patient(context), &id).await
}

async fn patient_update(
    State(state): State<AppState>,
    context: PatientContext,
    Path((_, id)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    update(&state, &Actor::Patient(context), &id, &form).await
}

async fn patient_delete(
    State(state): State<AppState>,
    context: PatientContext,
    Path((_, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    delete(&state, &Actor::Patient(context), &id).await
}

// ----- clinic: a treatment of the practitioner's clinic ------------------------------

async fn clinic_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &Actor::clinic(&state, user, &id).await?).await
}

async fn clinic_add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: FormData,
) -> Result<Response, AppError> {
    add(&state, &Actor::clinic(&state, user, &id).await?, &form).await
}

async fn clinic_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, product)): Path<(String, String)>,
) -> Result<Response, AppError> {
    edit(&state, &Actor::clinic(&state, user, &id).await?, &product).await
}

async fn clinic_update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, product)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    let actor = Actor::clinic(&state, user, &id).await?;
    update(&state, &actor, &product, &form).await
}

async fn clinic_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, product)): Path<(String, String)>,
) -> Result<Response, AppError> {
    delete(&state, &Actor::clinic(&state, user, &id).await?, &product).await
}

/// How many coming products the Today page names.
const TODAY_COMING: usize = 3;

/// The shelf's part of the Today page (which has read the treatment's `check_ins` already):
/// the next products to come back and today's routine from the shelf, in short; `None` when
/// the shelf is empty.
///
/// # Errors
/// Store failures.
pub async fn today_view(
    state: &AppState,
    context: &PatientContext,
    protocol: &Protocol,
    hours: Option<Hours>,
    check_ins: &[CheckInRow],
) -> Result<Option<crate::views::shelf::ShelfTodayView>, AppError> {
    let plan = ShelfPlan::load(
        state,
        &context.treatment,
        &context.view,
        protocol,
        Some(check_ins),
    )
    .await?;
    if plan.rows.is_empty() {
        return Ok(None);
    }
    let now = hours.unwrap_or(Hours::ZERO);
    let coming = plan
        .schedule
        .schedule
        .iter()
        .filter(|e| e.from_hours > now)
        .take(TODAY_COMING)
        .map(|e| {
            format!(
                "{}: {}",
                e.name,
                aftercare_core::instant::format_local(&e.from)
            )
        })
        .collect();
    let routine = plan.routine(protocol, &context.view, hours.map_or(1, Hours::day));
    let line = |items: &[aftercare_core::shelf::RoutineItem]| {
        items
            .iter()
            .map(|i| i.product.clone().unwrap_or_else(|| words(i.step.id())))
            .collect::<Vec<_>>()
            .join(" → ")
    };
    Ok(Some(crate::views::shelf::ShelfTodayView {
        coming,
        am: line(&routine.am),
        pm: line(&routine.pm),
    }))
}
