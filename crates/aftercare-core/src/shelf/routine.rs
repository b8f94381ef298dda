//! The routine builder (issue #9, item 3): the morning and evening routine of one recovery day
//! from the products the schedule has brought back by then, in application order (cleanser,
//! toner, serum, moisturiser, oil or balm, sunscreen last in the morning: the guide's "How to
//! Apply Your Aftercare Products Correctly").
//!
//! - A step with no product yet shows the protocol's own step for that phase (lukewarm water
//!   in the first 48 hours, "a gentle moisturiser", …).
//! - Sunscreen every morning ("Protect Your Skin with Broad-Spectrum SPF"): when no sunscreen on
//!   the shelf is usable yet and the phase has none either, a mineral SPF 30+ step is added.
//! - Until `retinoid_and_acid_apart_until`, a retinoid product and a different exfoliating-acid
//!   product (AHA, BHA, PHA) never share a day: odd days keep the retinoid-only products, even
//!   days the acid-only ones; a product holding both waits until the rule ends.
//!
//! What does not belong here: when products come back (`schedule.rs`).

use jiff::ZonedDateTime;
use serde::Serialize;

use super::{CheckedProduct, Schedule};
use crate::{
    Hours,
    category::Category,
    profile::Profile,
    protocol::{Protocol, RoutineStep, StepKind},
};

/// The acids the guide calls "exfoliating acids (such as glycolic or salicylic acid)".
const EXFOLIATING_ACIDS: [Category; 3] = [Category::Aha, Category::Bha, Category::Pha];

/// The sunscreen step when neither the shelf nor the phase has one (guide, "Protect Your Skin
/// with Broad-Spectrum SPF").
const SUNSCREEN_TEXT: &str = "Last: a broad-spectrum mineral sunscreen (zinc oxide or titanium \
    dioxide), SPF 30 or higher, even if you stay indoors. Reapply every 2 hours outdoors.";
const SUNSCREEN_SOURCE: &str = "Guide: Protect Your Skin with Broad-Spectrum SPF";

/// One step of a routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoutineItem {
    /// The step.
    pub step: StepKind,
    /// The shelf product's id, or `None` for the protocol's own step.
    pub product_id: Option<String>,
    /// The product's name, or `None` for the protocol's own step.
    pub product: Option<String>,
    /// What to do.
    pub text: String,
    /// Source.
    pub source: String,
}

/// The routine of one recovery day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRoutine {
    /// Recovery day (1-based).
    pub day: u32,
    /// The local date the day starts on.
    pub date: String,
    /// Morning, in application order; sunscreen last.
    pub am: Vec<RoutineItem>,
    /// Evening, in application order.
    pub pm: Vec<RoutineItem>,
    /// Products back by now that are not a daily step (masks, exfoliants, makeup, other).
    pub occasional: Vec<String>,
    /// Why a product that is back is left out today.
    pub notes: Vec<String>,
}

/// Builds the routine of recovery day `day` (1-based) from the products back by its start.
pub fn build_routine(
    protocol: &Protocol,
    profile: &Profile,
    products: &[CheckedProduct],
    schedule: &Schedule,
    treated_at: &ZonedDateTime,
    day: u32,
) -> DayRoutine {
    let day = day.max(1);
    let hour = Hours::start_of_day(day);
    let tz = treated_at.time_zone().clone();
    let date = hour
        .after(treated_at.timestamp(), &tz)
        .strftime("%Y-%m-%d")
        .to_string();
    let back: Vec<&CheckedProduct> = schedule
        .schedule
        .iter()
        .filter(|e| e.from_hours <= hour)
        .filter_map(|e| products.get(e.index))
        .collect();

    let mut notes = Vec::new();
    let mut today: Vec<&CheckedProduct> = back.clone();
    if hour < protocol.reintroduction.retinoid_and_acid_apart_until {
        let retinoid = |p: &CheckedProduct| p.facts.categories.contains(&Category::Retinoid);
        let acid = |p: &CheckedProduct| {
            EXFOLIATING_ACIDS
                .iter()
                .any(|c| p.facts.categories.contains(c))
        };
        // A conflict is a retinoid in one product and an acid in a different one.
        let conflict = today
            .iter()
            .enumerate()
            .any(|(i, a)| retinoid(a) && today.iter().enumerate().any(|(j, b)| i != j && acid(b)));
        if conflict {
            // Retinoid days keep the retinoid-only products, acid days the acid-only ones; a
            // product holding both waits until the rule ends.
            let keep_retinoid = day % 2 == 1;
            today.retain(|p| {
                let keep = if keep_retinoid { !acid(p) } else { !retinoid(p) };
                if !keep {
                    notes.push(format!(
                        "Not today: {}. A retinoid and an exfoliating acid don't go on the same evening in the first weeks back; alternate days. ({})",
                        p.product.name, protocol.reintroduction.actives_source.citation
                    ));
                }
                keep
            });
        }
    }

    let phase = protocol.phase_at(hour);
    let phase_steps = |steps: &[RoutineStep]| -> Vec<RoutineItem> {
        steps
            .iter()
            .filter(|s| s.window.contains(hour))
            .filter(|s| s.skin.is_empty() || s.skin.iter().any(|k| profile.skin.contains(k)))
            .map(|s| RoutineItem {
                step: s.step,
                product_id: None,
                product: None,
                text: s.text.clone(),
                source: s.source.citation.clone(),
            })
            .collect()
    };
    let am_phase = phase_steps(&phase.am);
    let pm_phase = phase_steps(&phase.pm);
    let build = |phase_items: &[RoutineItem], morning: bool| -> Vec<RoutineItem> {
        let mut items = Vec::new();
        for step in StepKind::ALL {
            if step == StepKind::Sunscreen && !morning {
                continue;
            }
            let mine: Vec<RoutineItem> = today
                .iter()
                .filter(|p| p.product.product_type.step() == Some(step))
                .map(|p| RoutineItem {
                    step,
                    product_id: Some(p.product.id.clone()),
                    product: Some(p.product.label()),
                    text: product_text(step, p),
                    source: "Guide: How to Apply Your Aftercare Products Correctly".to_owned(),
                })
                .collect();
            if mine.is_empty() {
                items.extend(phase_items.iter().filter(|i| i.step == step).cloned());
            } else {
                items.extend(mine);
            }
        }
        if morning && !items.iter().any(|i| i.step == StepKind::Sunscreen) {
            items.push(RoutineItem {
                step: StepKind::Sunscreen,
                product_id: None,
                product: None,
                text: SUNSCREEN_TEXT.to_owned(),
                source: SUNSCREEN_SOURCE.to_owned(),
            });
        }
        items
    };
    let am = build(&am_phase, true);
    let pm = build(&pm_phase, false);
    let occasional = today
        .iter()
        .filter(|p| p.product.product_type.step().is_none())
        .map(|p| format!("{} ({})", p.product.label(), p.product.product_type))
        .collect();
    DayRoutine {
        day,
        date,
        am,
        pm,
        occasional,
        notes,
    }
}

fn product_text(step: StepKind, product: &CheckedProduct) -> String {
    let name = product.product.label();
    match step {
        StepKind::Cleanse => {
            format!("Cleanse with {name} and cool or lukewarm water, fingertips only; pat dry.")
        }
        StepKind::Tone => format!("{name}, gently patted in."),
        StepKind::Serum => format!("{name} on slightly damp skin; give it a minute to absorb."),
        StepKind::Moisturise => format!("Seal in moisture with {name}."),
        StepKind::Oil => format!("{name}: the thickest layer goes on after the lighter ones."),
        StepKind::Sunscreen => {
            format!("Last: {name}, even indoors; reapply every 2 hours outdoors.")
        }
    }
}
