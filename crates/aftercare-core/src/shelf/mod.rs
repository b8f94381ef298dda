//! The product shelf (issue #9): the products a patient uses, checked on save, and what follows
//! from them: when each one comes back after treatment, the morning and evening routine of any
//! day, and the clinic's recommended products for a routine step.
//!
//! - `spec.rs`: the shelf as JSON gives it (`ShelfSpec`, unknown keys rejected) and the
//!   validated `Shelf`, with errors naming the product and the field (`products[2].type`);
//! - `facts.rs`: what the ingredient checker found in each product (`ProductFacts`), the one
//!   input the schedule and the routine read;
//! - `schedule.rs`: the reintroduction schedule, a pure function of the protocol, the products,
//!   the treatment instant and earlier check-ins (`schedule_products`);
//! - `routine.rs`: the routine of one recovery day in application order (`build_routine`);
//! - `catalog.rs`: the clinic's catalog of recommended products and `recommend_products`.
//!
//! The rules are the protocol's (`[reintroduction]`, the restrictions and the phases); the
//! guide's section for each is named in `docs/shelf.md`. What does not belong here: files, the
//! web page, the calendar feed (it turns `Schedule::calendar_events` into events), the clock.

mod catalog;
mod facts;
mod routine;
mod schedule;
mod spec;

#[cfg(test)]
mod tests;

pub use catalog::{
    Catalog, CatalogEntry, CatalogError, CatalogPick, DEFAULT_CATALOG, PickStatus, default_catalog,
    load_catalog, recommend_products,
};
pub use facts::{CheckedProduct, IngredientStatus, ProductFacts, check_shelf};
pub use routine::{DayRoutine, RoutineItem, build_routine};
pub use schedule::{
    CheckInRecord, Lane, Pause, Schedule, ScheduleEntry, pause_reason, schedule_products,
};
pub use spec::{
    MAX_SHELF_BYTES, MAX_SHELF_PRODUCTS, Shelf, ShelfError, ShelfProduct, ShelfProductSpec,
    ShelfSpec, parse_shelf_json,
};

use crate::{inci::ProductType, protocol::StepKind};

vocabulary! {
    /// The kind of a product on the shelf (issue #9), which decides its place in the routine.
    ShelfProductType, "product type" {
        /// A cleanser.
        Cleanser = "cleanser",
        /// A toner or essence.
        Toner = "toner",
        /// A facial mist (sprayed on like a toner).
        Mist = "mist",
        /// A serum or gel.
        Serum = "serum",
        /// A moisturiser (also accepted as `moisturizer`).
        Moisturiser = "moisturiser",
        /// A facial oil.
        Oil = "oil",
        /// A balm or ointment.
        Balm = "balm",
        /// A mask.
        Mask = "mask",
        /// An exfoliant (scrub, peel, polish).
        Exfoliant = "exfoliant",
        /// A sunscreen.
        Sunscreen = "sunscreen",
        /// Makeup.
        Makeup = "makeup",
        /// Anything else.
        Other = "other",
    }
}

impl ShelfProductType {
    /// Reads a type id, accepting the US spelling `moisturizer` and `scrub` (an exfoliant), as
    /// the checker's [`ProductType`] does the other way round.
    pub fn parse_id(text: &str) -> Result<ShelfProductType, crate::vocabulary::UnknownId> {
        crate::vocabulary::parse_with_aliases(
            text,
            &[("moisturizer", "moisturiser"), ("scrub", "exfoliant")],
        )
    }

    /// The routine step it fills, in application order (thinnest to thickest, sunscreen last:
    /// the guide's "How to Apply Your Aftercare Products Correctly"); `None` for products that
    /// are not a daily step (masks, exfoliants, makeup, other).
    pub fn step(self) -> Option<StepKind> {
        match self {
            ShelfProductType::Cleanser => Some(StepKind::Cleanse),
            ShelfProductType::Toner | ShelfProductType::Mist => Some(StepKind::Tone),
            ShelfProductType::Serum => Some(StepKind::Serum),
            ShelfProductType::Moisturiser => Some(StepKind::Moisturise),
            ShelfProductType::Oil | ShelfProductType::Balm => Some(StepKind::Oil),
            ShelfProductType::Sunscreen => Some(StepKind::Sunscreen),
            ShelfProductType::Mask
            | ShelfProductType::Exfoliant
            | ShelfProductType::Makeup
            | ShelfProductType::Other => None,
        }
    }

    /// The ingredient checker's product type (it decides the `cleanser` and `makeup` rules and
    /// whether scrub particles count).
    pub fn checker_type(self) -> ProductType {
        match self {
            ShelfProductType::Cleanser => ProductType::Cleanser,
            ShelfProductType::Toner => ProductType::Toner,
            ShelfProductType::Mist => ProductType::Mist,
            ShelfProductType::Serum => ProductType::Serum,
            ShelfProductType::Moisturiser => ProductType::Moisturizer,
            ShelfProductType::Oil => ProductType::Oil,
            ShelfProductType::Balm => ProductType::Balm,
            ShelfProductType::Mask => ProductType::Mask,
            ShelfProductType::Exfoliant => ProductType::Exfoliant,
            ShelfProductType::Sunscreen => ProductType::Sunscreen,
            ShelfProductType::Makeup => ProductType::Makeup,
            ShelfProductType::Other => ProductType::Other,
        }
    }
}
