//! What the ingredient checker found in each shelf product, reduced to what the schedule and
//! the routine need (`ProductFacts`), and `check_shelf`, which runs the checker on save.
//!
//! An unrecognised ingredient or a missing list is kept as such: the schedule never treats an
//! unknown list as "fine". What does not belong here: the checker itself (`inci`).

use serde::Serialize;

use super::{Shelf, ShelfError, ShelfProduct};
use crate::{
    Hours,
    category::{Category, CategoryGroup},
    inci::{
        CheckError, CheckTime, Checker, Product, Status,
        analyze::{Decision, ProductCheck},
    },
};

/// What is known about a product's ingredient list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum IngredientStatus {
    /// The list was checked.
    Checked {
        /// How many ingredients it lists.
        count: usize,
        /// The ingredients the checker did not recognise, as printed (empty: all known).
        unknown: Vec<String>,
    },
    /// No list was given: nothing can be cleared.
    NotProvided,
}

/// What the checker found in one product, for the schedule and the routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductFacts {
    /// The categories found (CONTRACT §2 order).
    pub categories: Vec<Category>,
    /// The hard limit: not before this hour (zero when usable from the start).
    pub usable_from: Hours,
    /// When the protocol prefers to start, if later than `usable_from`.
    pub better_from: Option<Hours>,
    /// The list: checked (with what was not recognised) or not provided.
    pub ingredients: IngredientStatus,
    /// A skin-type flag that applies (the protocol's reason), e.g. comedogenic for oily skin.
    pub skin_caution: Option<String>,
}

impl ProductFacts {
    /// Facts for a product whose list was not provided: nothing known, nothing cleared.
    pub fn not_provided() -> ProductFacts {
        ProductFacts {
            categories: Vec::new(),
            usable_from: Hours::ZERO,
            better_from: None,
            ingredients: IngredientStatus::NotProvided,
            skin_caution: None,
        }
    }

    /// Whether every ingredient is known (a list was given and all of it recognised).
    pub fn fully_known(&self) -> bool {
        matches!(&self.ingredients, IngredientStatus::Checked { unknown, .. } if unknown.is_empty())
    }

    /// The categories of a group.
    pub fn in_group(&self, group: CategoryGroup) -> impl Iterator<Item = Category> + '_ {
        self.categories
            .iter()
            .copied()
            .filter(move |c| c.group() == group)
    }

    /// Whether it holds a paused active.
    pub fn has_paused_active(&self) -> bool {
        self.in_group(CategoryGroup::Paused).next().is_some()
    }

    /// How many ingredients it lists (0 when not provided).
    pub fn ingredient_count(&self) -> usize {
        match &self.ingredients {
            IngredientStatus::Checked { count, .. } => *count,
            IngredientStatus::NotProvided => 0,
        }
    }

    /// Reads the checker's results: `at_start` checked at hour 0, `settled` at the hour the
    /// product's waits are over (its skin-type flags then show, no longer hidden by a wait).
    pub fn from_checks(at_start: &ProductCheck<'_>, settled: &ProductCheck<'_>) -> ProductFacts {
        let unknown = at_start
            .ingredients
            .iter()
            .filter(|i| i.ruling.status == Status::Unknown)
            .map(|i| i.part().text.to_string())
            .collect();
        let skin_caution = settled
            .ingredients
            .iter()
            .find_map(|i| match i.ruling.decision {
                Decision::SkinCaution { caution, .. } if i.ruling.status == Status::Caution => {
                    Some(format!("{} ({})", caution.reason, caution.source.citation))
                }
                _ => None,
            });
        ProductFacts {
            categories: at_start.categories.iter().collect(),
            usable_from: at_start.usable_from_hours.unwrap_or(Hours::ZERO),
            better_from: at_start.better_from_hours,
            ingredients: IngredientStatus::Checked {
                count: at_start.parsed.ingredients.len(),
                unknown,
            },
            skin_caution,
        }
    }
}

/// A shelf product with what the checker found in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedProduct {
    /// The product.
    pub product: ShelfProduct,
    /// What the checker found.
    pub facts: ProductFacts,
}

/// Checks every product's ingredient list, as the shelf does on save. A list that is not an
/// ingredient list (binary, no ingredient found) is an error naming the product.
pub fn check_shelf(
    shelf: &Shelf,
    checker: &Checker<'_>,
) -> Result<Vec<CheckedProduct>, ShelfError> {
    shelf
        .products
        .iter()
        .enumerate()
        .map(|(index, product)| {
            let facts = match &product.ingredients {
                None => ProductFacts::not_provided(),
                Some(list) => check_list(checker, product, list).map_err(|e| {
                    ShelfError::field(index, &product.name, "ingredients", e.to_string())
                })?,
            };
            Ok(CheckedProduct {
                product: product.clone(),
                facts,
            })
        })
        .collect()
}

fn check_list(
    checker: &Checker<'_>,
    product: &ShelfProduct,
    list: &str,
) -> Result<ProductFacts, CheckError> {
    let about = Product {
        product_type: Some(product.product_type.checker_type()),
        name: Some(&product.name),
    };
    let at_start = checker.check(list, &about, &CheckTime::hours(Hours::ZERO))?;
    let settle_at = at_start
        .usable_from_hours
        .max(at_start.better_from_hours)
        .unwrap_or(Hours::ZERO);
    let settled = checker.check(list, &about, &CheckTime::hours(settle_at))?;
    Ok(ProductFacts::from_checks(&at_start, &settled))
}
