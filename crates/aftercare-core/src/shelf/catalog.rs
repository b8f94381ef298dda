//! The clinic's catalog of recommended products (issue #9, item 4) and the recommendations for
//! one day and skin type.
//!
//! The default catalog (`data/catalog/recommended.toml`) is the guide's own recommendations,
//! each sourced to its section. A product is recommended only when the checker clears its
//! ingredient list for that hour and profile (verdict `ok`), and the recommendation says which
//! helpful ingredient it brings. A product without a list is shown as "ingredient list not
//! provided", never as cleared; it is held back while what the guide says it brings is still
//! restricted. What does not belong here: storing a clinic's catalog (the store), pages.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::ShelfProductType;
use crate::{
    Hours,
    category::{Category, CategoryGroup},
    inci::{CheckTime, Checker, Product, Verdict},
    profile::Profile,
    protocol::{Protocol, RestrictionKind, StepKind, line_column},
};

/// The default catalog's TOML text, embedded at compile time.
pub const DEFAULT_CATALOG: &str = include_str!("../../../../data/catalog/recommended.toml");

/// A catalog that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// Not TOML, or not the catalog's shape.
    #[error("invalid catalog: {0}")]
    Syntax(String),
    /// One entry is invalid.
    #[error("catalog products[{index}] ('{id}'): {message}")]
    Entry {
        /// 0-based position.
        index: usize,
        /// The entry's id.
        id: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogSpec {
    products: Vec<CatalogEntrySpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogEntrySpec {
    id: String,
    name: String,
    #[serde(default)]
    brand: Option<String>,
    #[serde(default)]
    kit: Option<String>,
    #[serde(rename = "type")]
    product_type: String,
    #[serde(default)]
    ingredients: Option<String>,
    #[serde(default)]
    brings: Vec<String>,
    why: String,
    source: String,
}

/// A validated catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    /// The entries, in file order.
    pub products: Vec<CatalogEntry>,
}

/// One recommended product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogEntry {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Brand, if any (none for the guide's ingredient-led picks).
    pub brand: Option<String>,
    /// The kit it belongs to.
    pub kit: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub product_type: ShelfProductType,
    /// The label's ingredient list, once the clinic has entered it.
    pub ingredients: Option<String>,
    /// What the guide says it brings.
    pub brings: Vec<Category>,
    /// Why the guide recommends it.
    pub why: String,
    /// Source citation.
    pub source: String,
}

/// Reads and validates a catalog; its sources must be the protocol's.
pub fn load_catalog(text: &str, protocol: &Protocol) -> Result<Catalog, CatalogError> {
    let spec: CatalogSpec =
        toml::from_str(text).map_err(|e| CatalogError::Syntax(located(text, &e)))?;
    let mut products: Vec<CatalogEntry> = Vec::new();
    for (index, e) in spec.products.into_iter().enumerate() {
        let fail = |message: String| CatalogError::Entry {
            index,
            id: e.id.clone(),
            message,
        };
        if e.id.trim().is_empty() || products.iter().any(|p| p.id == e.id) {
            return Err(fail("the id is empty or used twice".to_owned()));
        }
        let product_type =
            ShelfProductType::parse_id(&e.product_type).map_err(|err| fail(err.to_string()))?;
        let brings = e
            .brings
            .iter()
            .map(|b| b.parse::<Category>().map_err(|err| fail(err.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let source = match protocol.sources.get(&e.source) {
            Some(s) => match s.kind {
                crate::protocol::SourceKind::Guide => format!("Guide: {}", s.title),
                crate::protocol::SourceKind::Reference => format!("Reference: {}", s.title),
            },
            None => return Err(fail(format!("unknown source '{}'", e.source))),
        };
        products.push(CatalogEntry {
            id: e.id.trim().to_owned(),
            name: e.name.trim().to_owned(),
            brand: e.brand,
            kit: e.kit,
            product_type,
            ingredients: e.ingredients.filter(|i| !i.trim().is_empty()),
            brings,
            why: e.why.trim().to_owned(),
            source,
        });
    }
    Ok(Catalog { products })
}

/// A TOML error with where it is: `line L, column C: message` (1-based, columns in
/// characters), or the message alone when the parser gives no position.
fn located(text: &str, error: &toml::de::Error) -> String {
    let Some(span) = error.span() else {
        return error.message().to_owned();
    };
    let (line, column) = line_column(text, span.start);
    format!("line {line}, column {column}: {}", error.message())
}

/// The default catalog, validated against the default protocol once.
#[expect(
    clippy::panic,
    reason = "the embedded catalog is validated by the test suite; an invalid one is a build defect"
)]
pub fn default_catalog() -> &'static Catalog {
    static DEFAULT: OnceLock<Catalog> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        load_catalog(DEFAULT_CATALOG, crate::protocol::default_protocol())
            .unwrap_or_else(|e| panic!("the embedded catalog is invalid: {e}"))
    })
}

/// What the system says about one catalog product at one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PickStatus {
    /// The checker cleared its ingredient list for this hour and skin type.
    Recommended,
    /// No ingredient list: shown with the guide's reason, never cleared by the checker.
    IngredientListNotProvided,
    /// Not now: the checker flags it, or what it brings is still restricted.
    HeldBack {
        /// Why.
        reason: String,
    },
}

/// One catalog product for one hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogPick<'c> {
    /// The product.
    pub entry: &'c CatalogEntry,
    /// Its routine step, if it is a daily step.
    pub step: Option<StepKind>,
    /// What the system says.
    pub status: PickStatus,
    /// Why it is recommended: the helpful ingredients it brings, with the protocol's reasons.
    pub why: Vec<String>,
}

/// The catalog's products at `hours` after treatment for `profile`, by routine step. `checker`
/// must have been made for the same protocol and profile.
pub fn recommend_products<'c>(
    catalog: &'c Catalog,
    checker: &Checker<'_>,
    protocol: &Protocol,
    profile: &Profile,
    hours: Hours,
) -> Vec<CatalogPick<'c>> {
    let restrictions = protocol.restrictions_for(profile);
    let helpful_reason = |category: Category| {
        protocol
            .recommended
            .iter()
            .find(|r| r.category == category && r.from <= hours)
            .map_or_else(
                || format!("Brings {category}."),
                |r| format!("Brings {category}: {} ({})", r.reason, r.source.citation),
            )
    };
    let mut picks: Vec<CatalogPick<'c>> = catalog
        .products
        .iter()
        .map(|entry| {
            let step = entry.product_type.step();
            let Some(list) = &entry.ingredients else {
                let held = entry.brings.iter().find_map(|c| {
                    restrictions
                        .iter()
                        .find(|r| r.kind == RestrictionKind::Ingredient && r.category == Some(*c))
                        .filter(|r| hours < r.earliest)
                        .map(|r| {
                            format!(
                                "The guide says it brings {c}, which waits until {} after treatment ({}).",
                                r.earliest, r.source.citation
                            )
                        })
                });
                return CatalogPick {
                    entry,
                    step,
                    status: held.map_or(PickStatus::IngredientListNotProvided, |reason| {
                        PickStatus::HeldBack { reason }
                    }),
                    why: vec![format!("{} ({})", entry.why, entry.source)],
                };
            };
            let about = Product {
                product_type: Some(entry.product_type.checker_type()),
                name: Some(&entry.name),
            };
            let status = match checker.check(list, &about, &CheckTime::hours(hours)) {
                Err(e) => PickStatus::HeldBack {
                    reason: format!("Its ingredient list could not be checked: {e}."),
                },
                Ok(check) => match check.verdict {
                    Verdict::Ok => {
                        let helpful: Vec<String> = check
                            .categories
                            .iter()
                            .filter(|c| c.group() == CategoryGroup::Helpful)
                            .map(helpful_reason)
                            .collect();
                        return CatalogPick {
                            entry,
                            step,
                            status: PickStatus::Recommended,
                            why: if helpful.is_empty() {
                                vec![format!("{} ({})", entry.why, entry.source)]
                            } else {
                                helpful
                            },
                        };
                    }
                    Verdict::Wait => PickStatus::HeldBack {
                        reason: format!(
                            "The ingredient checker holds it back until {} after treatment.",
                            check.usable_from_hours.unwrap_or(hours)
                        ),
                    },
                    Verdict::Unknown => PickStatus::HeldBack {
                        reason: "The ingredient checker did not recognise every ingredient, so it cannot clear it.".to_owned(),
                    },
                    Verdict::Caution => PickStatus::HeldBack {
                        reason: "The ingredient checker flags a caution for this day or skin type.".to_owned(),
                    },
                },
            };
            CatalogPick {
                entry,
                step,
                status,
                why: vec![format!("{} ({})", entry.why, entry.source)],
            }
        })
        .collect();
    picks.sort_by_key(|p| p.step.map_or(usize::MAX, |s| s as usize));
    picks
}
