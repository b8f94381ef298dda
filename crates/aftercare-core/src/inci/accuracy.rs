//! Measuring the checker against a labelled sample: per-category precision and recall.
//!
//! What belongs here: reading labelled products (the JSON Lines shape of
//! `shared/eval/products-public.jsonl`: `id`, `name`, `type`, `ingredients`, `labels`), checking
//! each with the real checker, and scoring the categories it finds against the labels, at the
//! level of single ingredients. What does not: the thresholds a test enforces (the tests), or
//! reading files (the callers).
//!
//! How an ingredient is scored. A label names a category and the exact text that triggers it
//! (`"aha": ["Glycolic Acid"]`). Every occurrence of that text in the list is assigned to the
//! checked ingredient whose span overlaps it most, if the overlap covers more than half of
//! the longer of the two (so the trigger `Alcohol` is not credited to `Alcohol Denat.`, nor to
//! `Benzyl Alcohol`). A label is *found* when one of its occurrences is assigned to an
//! ingredient the checker put in that category (recall); an ingredient the checker put in a
//! category is *correct* when an occurrence of a trigger of that category is assigned to it
//! (precision). The label `comedogenic_high` is the category `comedogenic`.

use std::{collections::BTreeMap, fmt, ops::Range};

use serde::Deserialize;

use crate::{
    category::{Category, CategoryGroup},
    inci::analyze::{CheckError, CheckTime, Checker, Product, ProductCheck, ProductType},
};

/// One labelled product (other fields of the line are ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledProduct {
    /// The product's id.
    pub id: String,
    /// The product's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The product type (`shared/eval/README.md`).
    #[serde(default, rename = "type")]
    pub product_type: Option<String>,
    /// The ingredient list, verbatim.
    pub ingredients: String,
    /// Category (or `comedogenic_high`) → the trigger texts, each an exact substring of
    /// `ingredients`.
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<String>>,
}

/// Why a labelled sample could not be scored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccuracyError {
    /// A line is not a labelled product.
    #[error("line {line}: {message}")]
    Line {
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A product could not be checked.
    #[error("product {id}: {error}")]
    Check {
        /// The product's id.
        id: String,
        /// The checker's error.
        error: CheckError,
    },
    /// A label that is not a category.
    #[error("product {id}: unknown label category '{label}'")]
    Label {
        /// The product's id.
        id: String,
        /// The label.
        label: String,
    },
    /// A trigger that is not in the ingredient list.
    #[error("product {id}: the trigger '{trigger}' is not in the ingredient list")]
    Trigger {
        /// The product's id.
        id: String,
        /// The trigger text.
        trigger: String,
    },
}

/// Reads labelled products, one JSON object a line (blank lines skipped).
pub fn read_labelled(text: &str) -> Result<Vec<LabelledProduct>, AccuracyError> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| AccuracyError::Line {
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// The scores of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoryScore {
    /// Labelled triggers.
    pub labelled: usize,
    /// Labelled triggers the checker found.
    pub found: usize,
    /// Ingredients the checker put in the category.
    pub predicted: usize,
    /// Of those, the ones a label confirms.
    pub correct: usize,
    /// The sample was not labelled for this category ([`NOT_LABELLED`]): no precision, no
    /// recall.
    pub not_labelled: bool,
}

impl CategoryScore {
    /// found / labelled; `None` when nothing is labelled.
    pub fn recall(&self) -> Option<f64> {
        (!self.not_labelled && self.labelled > 0).then(|| self.found as f64 / self.labelled as f64)
    }

    /// correct / predicted; `None` when nothing is predicted or the category is not labelled.
    pub fn precision(&self) -> Option<f64> {
        (!self.not_labelled && self.predicted > 0)
            .then(|| self.correct as f64 / self.predicted as f64)
    }
}

/// A disagreement with the labels, for people to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    /// The product's id.
    pub product: String,
    /// The category.
    pub category: Category,
    /// The text concerned: a missed trigger, or the ingredient wrongly put in the category.
    pub text: String,
    /// True for a missed label, false for an unconfirmed prediction.
    pub missed: bool,
}

/// Per-category precision and recall over a labelled sample.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccuracyReport {
    /// How many products were scored.
    pub products: usize,
    /// The scores, by category.
    pub scores: BTreeMap<Category, CategoryScore>,
    /// `fragrance_allergen` counting only the classic 26 allergens (Directive 2003/15/EC), the
    /// list the public sample was labelled with; the knowledge base also knows the 2023
    /// extension, which the labels do not count.
    pub classic_allergens: CategoryScore,
    /// Every disagreement, in product order.
    pub disagreements: Vec<Disagreement>,
}

impl AccuracyReport {
    /// The score of a category (zeros when it never occurred).
    pub fn score(&self, category: Category) -> CategoryScore {
        CategoryScore {
            not_labelled: !is_labelled(category),
            ..self.scores.get(&category).copied().unwrap_or_default()
        }
    }
}

/// Categories beyond the vocabulary the sample was labelled with (`shared/eval/README.md`):
/// a product without their label was not judged for them, so what the checker finds is counted
/// (`predicted`) but is neither right nor wrong, and they have no precision or recall.
pub const NOT_LABELLED: &[Category] = &[Category::SulfateSurfactant];

/// Whether the labelled sample was labelled for `category` (see [`NOT_LABELLED`]).
pub fn is_labelled(category: Category) -> bool {
    !NOT_LABELLED.contains(&category)
}

/// The label's category: a category id, or `comedogenic_high`.
fn label_category(label: &str) -> Option<Category> {
    match label {
        "comedogenic_high" => Some(Category::Comedogenic),
        other => other.parse().ok(),
    }
}

/// Checks every product with `checker` (in its product context: type and name) and scores the
/// categories found against the labels.
pub fn evaluate(
    checker: &Checker<'_>,
    products: &[LabelledProduct],
) -> Result<AccuracyReport, AccuracyError> {
    let mut report = AccuracyReport::default();
    let mut memo = crate::inci::matching::MatchMemo::new();
    for product in products {
        let context = Product {
            product_type: product
                .product_type
                .as_deref()
                .and_then(|t| ProductType::parse_id(t).ok()),
            name: product.name.as_deref(),
        };
        let check = checker
            .check_with(
                &product.ingredients,
                &context,
                &CheckTime::WHOLE_RECOVERY,
                &mut memo,
            )
            .map_err(|error| AccuracyError::Check {
                id: product.id.clone(),
                error,
            })?;
        score_product(&mut report, product, &check)?;
        report.products += 1;
    }
    Ok(report)
}

fn score_product(
    report: &mut AccuracyReport,
    product: &LabelledProduct,
    check: &ProductCheck<'_>,
) -> Result<(), AccuracyError> {
    let text = product.ingredients.as_str();
    // For each ingredient and category: is it confirmed by a label?
    let mut confirmed: Vec<Vec<Category>> = vec![Vec::new(); check.ingredients.len()];
    for (label, triggers) in &product.labels {
        let category = label_category(label).ok_or_else(|| AccuracyError::Label {
            id: product.id.clone(),
            label: label.clone(),
        })?;
        for trigger in triggers {
            let occurrences: Vec<Range<usize>> = text
                .match_indices(trigger.as_str())
                .map(|(at, t)| at..at + t.len())
                .collect();
            if occurrences.is_empty() {
                return Err(AccuracyError::Trigger {
                    id: product.id.clone(),
                    trigger: trigger.clone(),
                });
            }
            let score = report.scores.entry(category).or_default();
            score.labelled += 1;
            let mut found = false;
            for occurrence in occurrences {
                if let Some(index) = best_ingredient(check, &occurrence) {
                    if check.ingredients[index].categories.contains(category) {
                        found = true;
                    }
                    confirmed[index].push(category);
                }
            }
            if category == Category::FragranceAllergen {
                report.classic_allergens.labelled += 1;
                report.classic_allergens.found += usize::from(found);
            }
            if found {
                score.found += 1;
            } else {
                report.disagreements.push(Disagreement {
                    product: product.id.clone(),
                    category,
                    text: trigger.clone(),
                    missed: true,
                });
            }
        }
    }
    for (index, ingredient) in check.ingredients.iter().enumerate() {
        // A name found in text not read as the list (a footnote's "* Essential Oil") is the
        // checker's safety net, not a list item the labels score.
        if check.outside_list(ingredient) {
            continue;
        }
        let classic = ingredient.categories.contains(Category::FragranceAllergen)
            && ingredient.part().known.as_ref().is_some_and(|k| {
                k.facts
                    .iter()
                    .any(|f| f.category == Category::FragranceAllergen && f.classic_eu26)
            });
        if classic {
            report.classic_allergens.predicted += 1;
            if confirmed[index].contains(&Category::FragranceAllergen) {
                report.classic_allergens.correct += 1;
            }
        }
        for category in ingredient.categories.iter() {
            let score = report.scores.entry(category).or_default();
            score.predicted += 1;
            if !is_labelled(category) {
                continue;
            }
            if confirmed[index].contains(&category) {
                score.correct += 1;
            } else {
                report.disagreements.push(Disagreement {
                    product: product.id.clone(),
                    category,
                    text: check.input(ingredient).to_owned(),
                    missed: false,
                });
            }
        }
    }
    Ok(())
}

/// The checked ingredient an occurrence of a trigger belongs to: the one it overlaps most,
/// if the overlap is more than half of the longer of the two.
fn best_ingredient(check: &ProductCheck<'_>, occurrence: &Range<usize>) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for (index, ingredient) in check.ingredients.iter().enumerate() {
        let span = &ingredient.span;
        let overlap = occurrence
            .end
            .min(span.end)
            .saturating_sub(occurrence.start.max(span.start));
        if overlap == 0 {
            continue;
        }
        let longer = occurrence.len().max(span.len()).max(1);
        let ratio = overlap as f64 / longer as f64;
        if ratio > 0.5 && best.is_none_or(|(r, _)| ratio > r) {
            best = Some((ratio, index));
        }
    }
    best.map(|(_, index)| index)
}

impl fmt::Display for AccuracyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Per-category precision and recall over {} products (ingredient level):",
            self.products
        )?;
        let row = |f: &mut fmt::Formatter<'_>, cells: [&dyn fmt::Display; 7]| {
            writeln!(
                f,
                "{:<20} {:>8} {:>6} {:>9} {:>8} {:>9} {:>7}",
                cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6]
            )
        };
        let scored = |f: &mut fmt::Formatter<'_>, name: &str, score: CategoryScore| {
            let percent = |v: Option<f64>| match v {
                Some(v) => format!("{:.1}%", v * 100.0),
                None => "-".to_owned(),
            };
            row(
                f,
                [
                    &name,
                    &score.labelled,
                    &score.found,
                    &score.predicted,
                    &score.correct,
                    &percent(score.precision()),
                    &percent(score.recall()),
                ],
            )
        };
        row(
            f,
            [
                &"category",
                &"labelled",
                &"found",
                &"predicted",
                &"correct",
                &"precision",
                &"recall",
            ],
        )?;
        let mut group = None;
        for category in Category::ALL {
            let score = self.score(*category);
            if group != Some(category.group()) {
                group = Some(category.group());
                let title = match category.group() {
                    CategoryGroup::Paused => "paused while healing",
                    CategoryGroup::Irritant => "irritants",
                    CategoryGroup::Helpful => "helpful",
                    CategoryGroup::SkinTypeFlag => "skin-type flag",
                };
                writeln!(f, "-- {title}")?;
            }
            if score.not_labelled {
                let dash = &"-";
                row(
                    f,
                    [
                        &category.id(),
                        dash,
                        dash,
                        &score.predicted,
                        dash,
                        &"not",
                        &"labelled",
                    ],
                )?;
                continue;
            }
            scored(f, category.id(), score)?;
            if *category == Category::FragranceAllergen {
                scored(f, "  of which EU 26", self.classic_allergens)?;
            }
        }
        if !self.disagreements.is_empty() {
            writeln!(f, "\nDisagreements with the labels:")?;
            for d in &self.disagreements {
                let kind = if d.missed { "missed" } else { "not labelled" };
                writeln!(
                    f,
                    "  {} {:<20} {kind}: {}",
                    d.product,
                    d.category.id(),
                    d.text
                )?;
            }
        }
        Ok(())
    }
}
