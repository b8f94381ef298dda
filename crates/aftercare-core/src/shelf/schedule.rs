//! The reintroduction schedule (issue #9, item 2): when each shelf product comes back.
//!
//! The rules (docs/shelf.md has the long form; every time comes from the protocol):
//! - **aftercare**: fully known, with no paused active, irritant or skin-type flag, and either
//!   from the clinic or one of the guide's first-days steps (a cleanser; a serum with a category
//!   recommended from the start; a moisturiser; a mineral sunscreen): from its own `usable_from`;
//! - **regular**: the rest without paused actives, from `regular_products` (day 5), one new
//!   product every `new_product_every` hours, the gentlest first (fewest irritants, no skin
//!   flag, fewest ingredients: the guide's "minimal ingredients");
//! - **active**: products with a paused active, not before the paused restrictions end (day 8),
//!   in the same one-at-a-time stream, the strongest (`active_strength`) last;
//! - **unchecked**: a list not provided or with unrecognised ingredients may hold anything, so
//!   it comes last, not before the actives could, and is never called safe;
//! - never before a product's own `usable_from` (nor its `better_from`, outside aftercare);
//! - a check-in at `contact_practitioner` or higher, or reporting `significant_irritation`,
//!   pauses the schedule: everything not yet reintroduced moves back to at least the end of the
//!   pause, keeping its order and spacing, so nothing ever moves earlier.

use jiff::ZonedDateTime;
use serde::{Serialize, Serializer};

use super::{CheckedProduct, ShelfProductType};
use crate::{
    Hours,
    calendar::{CalendarEvent, EventTime},
    category::{Category, CategoryGroup},
    instant::{format_local, format_rfc3339},
    profile::Profile,
    protocol::{Protocol, Restriction, RestrictionKind},
    triage::{Level, Symptom},
};

/// An earlier check-in, as the schedule needs it: when, its level and what was reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInRecord {
    /// Hours after treatment.
    pub at: Hours,
    /// The triage level.
    pub level: Level,
    /// The symptoms reported; `None` when the stored answers could not be read back. An
    /// unreadable check-in pauses the schedule as a report of significant irritation would:
    /// it may have been one, and a red flag is never assumed away.
    pub symptoms: Option<Vec<Symptom>>,
}

impl CheckInRecord {
    /// Whether it pauses the schedule: `contact_practitioner` or higher, significant
    /// irritation reported (guide, "Know the Warning Signs and When to Call a Pro"), or
    /// answers that could not be read back.
    pub fn pauses(&self) -> bool {
        self.level >= Level::ContactPractitioner
            || self
                .symptoms
                .as_ref()
                .is_none_or(|symptoms| symptoms.contains(&Symptom::SignificantIrritation))
    }
}

/// Why a product comes back when it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    /// Part of the aftercare routine from its own `usable_from`.
    Aftercare,
    /// A regular product, one at a time from day 5.
    Regular,
    /// A product with a paused active, one at a time from day 8, the strongest last.
    Active,
    /// Its ingredients could not all be checked.
    Unchecked,
}

/// When one product comes back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleEntry {
    /// Position of the product in the shelf.
    #[serde(skip)]
    pub index: usize,
    /// The product's id.
    pub id: String,
    /// The product's name.
    pub name: String,
    /// The brand.
    pub brand: Option<String>,
    /// The product type.
    #[serde(rename = "type")]
    pub product_type: ShelfProductType,
    /// Why it comes back when it does.
    pub lane: Lane,
    /// Not before this hour.
    pub from_hours: Hours,
    /// Not before this instant, in the patient's time zone.
    #[serde(serialize_with = "rfc3339")]
    pub from: ZonedDateTime,
    /// Why, in a sentence or two.
    pub reason: String,
    /// The sources of the rules behind `reason`.
    pub source: String,
    /// The pause (index in `Schedule::pauses`) that moved it back, if any.
    pub paused_by: Option<usize>,
    /// Whether its whole ingredient list was checked; `false` is never "fine".
    pub checked: bool,
}

/// A pause after a flagged check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pause {
    /// The check-in's hour.
    pub at_hours: Hours,
    /// The check-in's instant.
    #[serde(serialize_with = "rfc3339")]
    pub at: ZonedDateTime,
    /// No new product before this hour.
    pub until_hours: Hours,
    /// No new product before this instant.
    #[serde(serialize_with = "rfc3339")]
    pub until: ZonedDateTime,
    /// Why, for the patient.
    pub reason: String,
    /// Source.
    pub source: String,
}

/// The schedule of a shelf: entries in the order they come back, and the pauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// One entry per product, by `from_hours` then reintroduction order.
    pub schedule: Vec<ScheduleEntry>,
    /// Pauses caused by check-ins, in time order.
    pub pauses: Vec<Pause>,
}

fn rfc3339<S: Serializer>(at: &ZonedDateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_rfc3339(at))
}

/// Why the schedule pauses after a check-in, for the patient.
pub fn pause_reason(check_in: &CheckInRecord, until: &ZonedDateTime) -> String {
    let what = if check_in.level >= Level::ContactPractitioner {
        format!("was rated '{}'", check_in.level.id())
    } else if check_in.symptoms.is_none() {
        "could not be read back, so it is taken as reporting significant irritation".to_owned()
    } else {
        "reported significant irritation".to_owned()
    };
    format!(
        "Your check-in {what}: no new product until {} at the earliest, and only once your skin \
         is calm. Contact the practitioner who treated you; products you already use carry on.",
        format_local(until)
    )
}

/// Schedules every product of the shelf (see the module documentation for the rules).
pub fn schedule_products(
    protocol: &Protocol,
    profile: &Profile,
    products: &[CheckedProduct],
    check_ins: &[CheckInRecord],
    treated_at: &ZonedDateTime,
) -> Schedule {
    let tz = treated_at.time_zone().clone();
    let at = |h: Hours| h.after(treated_at.timestamp(), &tz);
    let reintro = &protocol.reintroduction;
    let restrictions = protocol.restrictions_for(profile);
    let until_of = |category: Category| {
        restrictions
            .iter()
            .filter(|r| r.kind == RestrictionKind::Ingredient && r.category == Some(category))
            .map(|r| r.until)
            .max()
    };
    let regular = restrictions.iter().find(|r| r.id == "regular_products");
    let regular_from = regular.map_or(Hours::ZERO, |r| r.until);
    let actives_from = Category::ALL
        .iter()
        .filter(|c| c.group() == CategoryGroup::Paused)
        .filter_map(|c| until_of(*c))
        .max()
        .unwrap_or(Hours::ZERO);
    let strength = |category: Category| {
        reintro
            .active_strength
            .iter()
            .position(|c| *c == category)
            .map_or(0, |p| p + 1)
    };

    let mut placed: Vec<Draft> = Vec::new();
    let mut regulars: Vec<(usize, Hours)> = Vec::new();
    let mut actives: Vec<(usize, Hours)> = Vec::new();
    let mut unchecked: Vec<(usize, Hours)> = Vec::new();
    for (index, item) in products.iter().enumerate() {
        let facts = &item.facts;
        let category_floor = facts
            .categories
            .iter()
            .filter_map(|c| until_of(*c))
            .max()
            .unwrap_or(Hours::ZERO);
        let routine_floor = if own_makeup_rule(&restrictions, item).is_some() {
            Hours::ZERO
        } else {
            regular_from
        };
        let floor = facts
            .usable_from
            .max(facts.better_from.unwrap_or(Hours::ZERO))
            .max(category_floor)
            .max(routine_floor);
        if !facts.fully_known() && item.product.aftercare && !facts.has_paused_active() {
            placed.push(Draft {
                index,
                lane: Lane::Aftercare,
                at: facts.usable_from,
                reason: (
                    "Aftercare from your clinic: use it as your practitioner instructed. Its \
                     ingredient list was not provided or not fully recognised, so the checker \
                     has not cleared it."
                        .to_owned(),
                    protocol.phase_at(Hours::ZERO).source.citation.clone(),
                ),
            });
        } else if !facts.fully_known() {
            unchecked.push((index, floor.max(actives_from)));
        } else if facts.has_paused_active() {
            actives.push((index, floor));
        } else if let Some(why) = aftercare_reason(protocol, item) {
            placed.push(Draft {
                index,
                lane: Lane::Aftercare,
                at: facts.usable_from,
                reason: why,
            });
        } else {
            regulars.push((index, floor));
        }
    }
    let gentleness = |index: usize| {
        let facts = &products[index].facts;
        (
            facts.in_group(CategoryGroup::Irritant).count(),
            facts.skin_caution.is_some(),
            facts.ingredient_count(),
            products[index].product.name.to_lowercase(),
            index,
        )
    };
    regulars.sort_by_key(|(i, _)| gentleness(*i));
    actives.sort_by_key(|(i, _)| {
        let facts = &products[*i].facts;
        (
            facts
                .in_group(CategoryGroup::Paused)
                .map(strength)
                .max()
                .unwrap_or(0),
            facts.in_group(CategoryGroup::Paused).count(),
            facts.ingredient_count(),
            products[*i].product.name.to_lowercase(),
            *i,
        )
    });
    unchecked.sort_by_key(|(i, _)| (products[*i].product.name.to_lowercase(), *i));

    // One stream, one new product per interval: the gentlest eligible regular first, then the
    // actives strictly in order of strength, then what could not be checked.
    let mut stream: Vec<Draft> = Vec::new();
    let mut last: Option<Hours> = None;
    let (mut next_active, mut next_unchecked) = (0, 0);
    while !regulars.is_empty() || next_active < actives.len() || next_unchecked < unchecked.len() {
        let slot = last.map_or(Hours::ZERO, |l| {
            Hours(l.0.saturating_add(reintro.new_product_every.0))
        });
        let when = |floor: Hours| floor.max(slot);
        let regular_pick = regulars
            .iter()
            .enumerate()
            .min_by_key(|(order, (_, floor))| (when(*floor), *order))
            .map(|(order, (_, floor))| (order, when(*floor)));
        let active_pick = actives.get(next_active).map(|(_, floor)| when(*floor));
        let unchecked_pick = (next_active == actives.len())
            .then(|| unchecked.get(next_unchecked).map(|(_, floor)| when(*floor)))
            .flatten();
        let earliest = [regular_pick.map(|(_, t)| t), active_pick, unchecked_pick]
            .into_iter()
            .flatten()
            .min();
        let Some(t) = earliest else { break };
        let (index, lane) = if let Some((order, rt)) = regular_pick
            && rt == t
        {
            (regulars.remove(order).0, Lane::Regular)
        } else if active_pick == Some(t) {
            next_active += 1;
            (actives[next_active - 1].0, Lane::Active)
        } else {
            next_unchecked += 1;
            (unchecked[next_unchecked - 1].0, Lane::Unchecked)
        };
        let reason = stream_reason(
            protocol,
            &restrictions,
            &products[index],
            lane,
            regular_from,
            &until_of,
        );
        stream.push(Draft {
            index,
            lane,
            at: t,
            reason,
        });
        last = Some(t);
    }

    // Pauses: everything not yet reintroduced at a flagged check-in moves back.
    let mut flagged: Vec<&CheckInRecord> = check_ins.iter().filter(|c| c.pauses()).collect();
    flagged.sort_by_key(|c| c.at);
    let mut pauses = Vec::new();
    for check_in in flagged {
        let until = Hours(check_in.at.0.saturating_add(reintro.pause_after_flag.0));
        for draft in placed.iter_mut().filter(|d| d.at >= check_in.at) {
            draft.at = draft.at.max(until);
        }
        let mut previous: Option<Hours> = None;
        for draft in &mut stream {
            if draft.at >= check_in.at {
                let spaced = previous.map_or(Hours::ZERO, |p| {
                    Hours(p.0.saturating_add(reintro.new_product_every.0))
                });
                draft.at = draft.at.max(until).max(spaced);
            }
            previous = Some(draft.at);
        }
        let until_at = at(until);
        pauses.push(Pause {
            at_hours: check_in.at,
            at: at(check_in.at),
            until_hours: until,
            reason: pause_reason(check_in, &until_at),
            until: until_at,
            source: reintro.pause_source.citation.clone(),
        });
    }

    let mut order = 0usize;
    let mut entries: Vec<(Hours, usize, ScheduleEntry)> = placed
        .into_iter()
        .chain(stream)
        .map(|draft| {
            let item = &products[draft.index];
            let paused_by = pauses.iter().rposition(|p| p.at_hours <= draft.at);
            let (text, source) = draft.reason;
            order += 1;
            (
                draft.at,
                order,
                ScheduleEntry {
                    index: draft.index,
                    id: item.product.id.clone(),
                    name: item.product.name.clone(),
                    brand: item.product.brand.clone(),
                    product_type: item.product.product_type,
                    lane: draft.lane,
                    from_hours: draft.at,
                    from: at(draft.at),
                    reason: text,
                    source,
                    paused_by,
                    checked: item.facts.fully_known(),
                },
            )
        })
        .collect();
    entries.sort_by_key(|(at, order, _)| (*at, *order));
    Schedule {
        schedule: entries.into_iter().map(|(_, _, e)| e).collect(),
        pauses,
    }
}

/// A product placed at an hour, with its reason and source.
struct Draft {
    index: usize,
    lane: Lane,
    at: Hours,
    reason: (String, String),
}

/// Why a fully known product without actives, irritants or flags is part of the aftercare
/// routine from its own `usable_from`, or `None` if it waits for day 5 like any regular one.
fn aftercare_reason(protocol: &Protocol, item: &CheckedProduct) -> Option<(String, String)> {
    let facts = &item.facts;
    if facts.in_group(CategoryGroup::Irritant).next().is_some() || facts.skin_caution.is_some() {
        return None;
    }
    let recommended_now: Vec<&crate::protocol::Recommendation> = protocol
        .recommended
        .iter()
        .filter(|r| r.from == Hours::ZERO && facts.categories.contains(&r.category))
        .collect();
    let citation = |r: &crate::protocol::Recommendation| r.source.citation.clone();
    let phase = protocol.phase_at(Hours::ZERO);
    let (text, source) = if item.product.aftercare {
        (
            "Aftercare from your clinic; the ingredient checker found nothing to hold it back."
                .to_owned(),
            phase.source.citation.clone(),
        )
    } else {
        match item.product.product_type {
            ShelfProductType::Cleanser => (
                "A gentle cleanser with nothing the checker holds back: part of the aftercare routine once water-only cleansing ends.".to_owned(),
                phase.source.citation.clone(),
            ),
            ShelfProductType::Moisturiser => (
                "A simple moisturiser with nothing the checker holds back: part of the aftercare routine.".to_owned(),
                phase.source.citation.clone(),
            ),
            ShelfProductType::Serum | ShelfProductType::Sunscreen
                if !recommended_now.is_empty()
                    && (item.product.product_type == ShelfProductType::Serum
                        || facts.categories.contains(&Category::MineralUvFilter)) =>
            {
                let first = recommended_now[0];
                (
                    format!(
                        "Brings {} from the start: {}",
                        first.category.id(),
                        first.reason
                    ),
                    citation(first),
                )
            }
            _ => return None,
        }
    };
    let text = match facts.better_from {
        Some(better) if better > facts.usable_from => format!(
            "{text} The protocol prefers it from {} after treatment.",
            better
        ),
        _ => text,
    };
    Some((text, source))
}

/// The protocol's rule for the product's type (makeup, an exfoliant), among the restrictions
/// that apply to the profile, if it has one.
fn rule_for_type<'p>(
    restrictions: &[&'p Restriction],
    item: &CheckedProduct,
) -> Option<&'p Restriction> {
    let type_id = item.product.product_type.checker_type().id();
    restrictions
        .iter()
        .copied()
        .find(|r| r.product_types.iter().any(|t| t == type_id))
}

/// Makeup comes back by its own rule (the plan's "Makeup: fine from …") when the protocol has
/// one; every other product, and makeup under a protocol without such a rule, comes back with
/// the regular products. One decision for the date and for its explanation.
fn own_makeup_rule<'p>(
    restrictions: &[&'p Restriction],
    item: &CheckedProduct,
) -> Option<&'p Restriction> {
    rule_for_type(restrictions, item)
        .filter(|_| item.product.product_type == ShelfProductType::Makeup)
}

/// Why a product of the one-at-a-time stream comes back when it does.
fn stream_reason(
    protocol: &Protocol,
    restrictions: &[&Restriction],
    item: &CheckedProduct,
    lane: Lane,
    regular_from: Hours,
    until_of: &dyn Fn(Category) -> Option<Hours>,
) -> (String, String) {
    let reintro = &protocol.reintroduction;
    let every_days = reintro.new_product_every.0 as f64 / 24.0;
    let one_at_a_time = format!(
        "One new product at a time, at least {} apart, and only if your skin is calm.",
        if reintro.new_product_every.0.is_multiple_of(24) {
            format!("{every_days} days")
        } else {
            format!("{} hours", reintro.new_product_every.0)
        }
    );
    let facts = &item.facts;
    // The end of the longest pause among the product's categories of `group`.
    let pause_end = |group: CategoryGroup| facts.in_group(group).filter_map(until_of).max();
    let ids = |group: CategoryGroup| {
        facts
            .in_group(group)
            .map(|c| c.id())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let after_treatment = |h: Hours| format!("{h} after treatment (day {})", h.day());
    match lane {
        Lane::Active => {
            let end = pause_end(CategoryGroup::Paused).map_or_else(String::new, |end| {
                format!(" once their pause ends, {},", after_treatment(end))
            });
            (
                format!(
                    "Holds paused actives ({}): back{end} one active at a time, the strongest last. {one_at_a_time}",
                    ids(CategoryGroup::Paused)
                ),
                format!(
                    "{}; {}",
                    reintro.actives_source.citation, reintro.source.citation
                ),
            )
        }
        Lane::Unchecked => {
            let what = match &facts.ingredients {
                super::IngredientStatus::NotProvided => "Ingredient list not provided".to_owned(),
                super::IngredientStatus::Checked { unknown, .. } => format!(
                    "Not every ingredient was recognised ({})",
                    unknown.join(", ")
                ),
            };
            (
                format!(
                    "{what}, so it cannot be cleared: it comes last, not before active ingredients could, and only after you or your practitioner have checked the list. {one_at_a_time}"
                ),
                format!(
                    "{}; {}",
                    reintro.actives_source.citation, reintro.source.citation
                ),
            )
        }
        Lane::Regular | Lane::Aftercare => {
            let product_rule = rule_for_type(restrictions, item);
            let makeup_rule = own_makeup_rule(restrictions, item);
            let own = facts
                .usable_from
                .max(facts.better_from.unwrap_or(Hours::ZERO));
            let (mut text, from, mut source) = match makeup_rule {
                Some(rule) => (
                    format!(
                        "Makeup: from {}, as your plan says. {one_at_a_time}",
                        after_treatment(own)
                    ),
                    own,
                    format!("{}; {}", rule.source.citation, reintro.source.citation),
                ),
                None => (
                    format!(
                        "From your regular routine: from {}, gentlest first. {one_at_a_time}",
                        after_treatment(regular_from)
                    ),
                    regular_from,
                    reintro.source.citation.clone(),
                ),
            };
            let irritants_end = pause_end(CategoryGroup::Irritant);
            if let Some(end) = irritants_end {
                text.push_str(&format!(
                    " It holds irritants ({}), which wait until {}.",
                    ids(CategoryGroup::Irritant),
                    after_treatment(end)
                ));
            }
            let explained = from.max(irritants_end.unwrap_or(Hours::ZERO));
            if facts.usable_from > explained {
                // Held by its own check: a product rule (a scrub or exfoliant) or a category.
                let rule = product_rule.filter(|r| r.until == facts.usable_from);
                let why = rule.map_or_else(String::new, |r| format!(" ({})", r.name));
                if let Some(rule) = rule {
                    source = format!("{}; {source}", rule.source.citation);
                }
                text.push_str(&format!(
                    " This product cannot be used before {}{why}.",
                    after_treatment(facts.usable_from)
                ));
            }
            if let Some(better) = facts.better_from
                && better > explained.max(facts.usable_from)
            {
                text.push_str(&format!(
                    " The protocol prefers it from {}.",
                    after_treatment(better)
                ));
            }
            if let Some(caution) = &facts.skin_caution {
                text.push_str(&format!(" Caution for your skin type: {caution}"));
            }
            (text, source)
        }
    }
}

impl Schedule {
    /// The schedule's entries as calendar events (id `product-{id}`, an alarm at the start),
    /// for the calendar feed to add with `Calendar::add`. Aftercare products usable from the
    /// treatment itself get no event.
    pub fn calendar_events(&self) -> Vec<CalendarEvent> {
        self.schedule
            .iter()
            .filter(|e| e.from_hours > Hours::ZERO)
            .map(|e| CalendarEvent {
                id: format!("product-{}", e.id),
                when: EventTime::At {
                    start: e.from.timestamp(),
                    duration: jiff::SignedDuration::from_mins(15),
                },
                summary: format!("You may bring back: {}", e.name),
                description: format!("{} Source: {}", e.reason, e.source),
                alarm_before: jiff::SignedDuration::ZERO,
            })
            .collect()
    }
}
