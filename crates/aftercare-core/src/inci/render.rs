//! The checker's verdict as text for a person: the verdict in one line first, then every
//! ingredient that matters with its reason and source, unknown ones with suggestions, and the
//! reminder that the checker supports the practitioner.
//!
//! What belongs here: wording and layout. What does not: deciding anything (`inci::analyze`)
//! or the JSON shape (the `Serialize` of `ProductCheck`).

use std::fmt::Write as _;

use crate::{
    Hours,
    inci::analyze::{Decision, IngredientCheck, ProductCheck, Status, TimelineSegment, Verdict},
    inci::parse::DropReason,
    instant::format_local,
};

/// The last line of every text answer.
pub const SUPPORTS_PRACTITIONER: &str =
    "This checker supports your practitioner's advice; it does not replace it.";

/// How many "fine" ingredients are named before the list is shortened.
const FINE_NAMED: usize = 12;

/// The whole answer for one list, ending with [`SUPPORTS_PRACTITIONER`].
pub fn render_text(check: &ProductCheck<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", verdict_line(check));
    let _ = writeln!(out, "{}", context_line(check));

    if !check.product_rules.is_empty() {
        let _ = writeln!(out, "\nThis kind of product:");
        for rule in &check.product_rules {
            let status = match rule.ruling.status {
                Status::Wait => {
                    let better = rule
                        .ruling
                        .better_from
                        .map(|b| format!(", better from {}", when(check, b)))
                        .unwrap_or_default();
                    format!(
                        "not before {}{better}",
                        when(check, rule.ruling.until.unwrap_or(check.hours))
                    )
                }
                Status::Caution => format!(
                    "possible now, better from {}",
                    when(check, rule.ruling.until.unwrap_or(check.hours))
                ),
                _ => "fine now".to_owned(),
            };
            let _ = writeln!(out, "  - {}: {status}.", rule.restriction.name);
            let _ = writeln!(
                out,
                "    {} ({})",
                rule.ruling.reason(),
                rule.restriction.source.citation
            );
        }
    }

    let groups: [(&str, Status); 4] = [
        ("Hold off", Status::Wait),
        ("Not recognised", Status::Unknown),
        ("Caution", Status::Caution),
        ("Recommended", Status::Recommended),
    ];
    for (title, status) in groups {
        let members: Vec<&IngredientCheck<'_>> = check
            .ingredients
            .iter()
            .filter(|i| i.ruling.status == status)
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}:");
        for ingredient in members {
            write_ingredient(&mut out, check, ingredient);
        }
    }

    let fine: Vec<&str> = check
        .ingredients
        .iter()
        .filter(|i| i.ruling.status == Status::Ok)
        .map(|i| check.input(i))
        .collect();
    if !fine.is_empty() {
        let named = fine.iter().take(FINE_NAMED).copied().collect::<Vec<_>>();
        let more = fine.len() - named.len();
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\nNothing to hold back ({}): {}{tail}.",
            fine.len(),
            named.join(", ")
        );
    }

    let left_out = left_out_text(check);
    if !left_out.is_empty() {
        let _ = writeln!(
            out,
            "\nNot read as ingredients (claims, directions, notes): {}.",
            left_out.join(", ")
        );
    }

    if !check.timeline.is_empty() {
        let _ = writeln!(out, "\nOver the recovery:");
        for segment in &check.timeline {
            let _ = writeln!(out, "  - {}", timeline_line(check, segment));
        }
    }

    let _ = writeln!(out, "\n{SUPPORTS_PRACTITIONER}");
    out
}

/// The most characters of a left-out text that are quoted.
const LEFT_OUT_CHARS: usize = 60;

/// The prose and disclaimers the parser left out, quoted (and shortened), so that a reader
/// sees what was not checked as an ingredient.
pub fn left_out_text(check: &ProductCheck<'_>) -> Vec<String> {
    check
        .parsed
        .dropped
        .iter()
        .filter(|d| matches!(d.reason, DropReason::Prose | DropReason::Disclaimer))
        .filter(|d| !d.text.is_empty())
        .map(|d| {
            let mut chars = d.text.chars();
            let shown: String = chars.by_ref().take(LEFT_OUT_CHARS).collect();
            let more = if chars.next().is_some() { "…" } else { "" };
            format!("\u{201c}{shown}{more}\u{201d}")
        })
        .collect()
}

/// The verdict in one line.
pub fn verdict_line(check: &ProductCheck<'_>) -> String {
    let unknown = check.count(Status::Unknown);
    let now = if check.time_given {
        "now"
    } else {
        "right after treatment"
    };
    match check.verdict {
        // With an ingredient not recognised the product is never "fine": the wait ends, and
        // then it is still unknown (CONTRACT §4: never silently treated as safe).
        Verdict::Wait => match (check.usable_from_hours, unknown) {
            (Some(h), 0) => format!("WAIT: not {now}. Fine from {}.", when(check, h)),
            (Some(h), _) => format!(
                "WAIT: not {now}, and not before {}. Even then it cannot be cleared: {} not \
                 recognised.",
                when(check, h),
                plural(unknown, "ingredient was", "ingredients were")
            ),
            (None, 0) => format!("WAIT: not {now}."),
            (None, _) => format!(
                "WAIT: not {now}. It cannot be cleared: {} not recognised.",
                plural(unknown, "ingredient was", "ingredients were")
            ),
        },
        Verdict::Unknown => format!(
            "UNKNOWN: {} not recognised, so this product cannot be cleared.",
            plural(unknown, "ingredient was", "ingredients were")
        ),
        Verdict::Caution => format!("CAUTION: usable {now}, with care (see below)."),
        Verdict::Ok => {
            if check.time_given {
                "OK: fine to use now.".to_owned()
            } else {
                "OK: fine to use from the day of treatment.".to_owned()
            }
        }
    }
}

/// What the check was for: the time, skin types and product type.
fn context_line(check: &ProductCheck<'_>) -> String {
    let mut parts = Vec::new();
    if check.time_given {
        let mut time = format!(
            "Checked for {} after treatment (day {}",
            plural(check.hours.0 as usize, "hour", "hours"),
            check.hours.day()
        );
        // The moment as given (`hours` is rounded down to the hour).
        let at = match (check.checked_at, &check.treated_at) {
            (Some(at), Some(treated_at)) => {
                Some(at.to_zoned_datetime(treated_at.time_zone().clone()))
            }
            _ => check.instant(check.hours),
        };
        if let Some(at) = at {
            let _ = write!(time, ", {}", format_local(&at));
        }
        time.push(')');
        parts.push(time);
    } else {
        parts.push(
            "No time given: checked from the treatment on (see the timeline below)".to_owned(),
        );
    }
    if !check.skin.is_empty() {
        let skin: Vec<&str> = check.skin.iter().map(|s| s.id()).collect();
        parts.push(format!("skin: {}", skin.join(", ")));
    }
    if let Some(kind) = check.product_type {
        parts.push(format!("product type: {}", kind.id()));
    }
    let better = check
        .better_from_hours
        .map(|h| format!(" Better still from {}.", when(check, h)))
        .unwrap_or_default();
    format!("{}.{better}", parts.join("; "))
}

fn write_ingredient(out: &mut String, check: &ProductCheck<'_>, ingredient: &IngredientCheck<'_>) {
    let part = ingredient.part();
    let input = check.input(ingredient);
    let mut head = input.to_owned();
    let mut about: Vec<String> = Vec::new();
    if let Some(known) = &part.known
        && !known.name.eq_ignore_ascii_case(input)
    {
        about.push(known.name.to_string());
    }
    let categories: Vec<&str> = ingredient.categories.iter().map(|c| c.id()).collect();
    if !categories.is_empty() {
        about.push(categories.join(", "));
    }
    if !about.is_empty() {
        let _ = write!(head, " ({})", about.join("; "));
    }
    let ruling = &ingredient.ruling;
    let timing = match (ruling.status, ruling.decision) {
        (Status::Wait, _) => ruling
            .until
            .map(|h| {
                let better = ruling
                    .better_from
                    .map(|b| format!(", better from {}", when(check, b)))
                    .unwrap_or_default();
                format!(": fine from {}{better}", when(check, h))
            })
            .unwrap_or_default(),
        (Status::Caution, Decision::IfScrub { .. }) => ruling
            .until
            .map(|h| format!(": if a scrub, not before {}", when(check, h)))
            .unwrap_or_default(),
        (Status::Caution, Decision::Restriction { .. }) => ruling
            .until
            .map(|h| format!(": possible now, better from {}", when(check, h)))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let _ = writeln!(out, "  - {head}{timing}");
    if ruling.status == Status::Unknown {
        if part.suggestions.is_empty() {
            let _ = writeln!(out, "    {}", ruling.reason());
        } else {
            let names: Vec<String> = part
                .suggestions
                .iter()
                .map(|s| {
                    if s.categories.is_empty() {
                        s.name.to_owned()
                    } else {
                        let ids: Vec<&str> = s.categories.iter().map(|c| c.id()).collect();
                        format!("{} ({})", s.name, ids.join(", "))
                    }
                })
                .collect();
            let _ = writeln!(out, "    Did you mean {}?", names.join(" or "));
            let _ = writeln!(out, "    {}", ruling.reason());
        }
        return;
    }
    match ruling.source() {
        Some(source) => {
            let _ = writeln!(out, "    {} ({source})", ruling.reason());
        }
        None => {
            let _ = writeln!(out, "    {}", ruling.reason());
        }
    }
    if part.split.is_some() || !matches!(part.matched_by, crate::inci::MatchedBy::Exact) {
        let _ = writeln!(out, "    {}", crate::inci::analyze::match_note(part));
    }
    if let Some(note) = placement_note(check, ingredient) {
        let _ = writeln!(out, "    {note}");
    }
}

/// What to know about where an ingredient was printed, when not in the list itself: in a
/// claim of what the product is free of, or named in the text around the list.
pub fn placement_note(
    check: &ProductCheck<'_>,
    ingredient: &IngredientCheck<'_>,
) -> Option<&'static str> {
    if check.in_claim(ingredient) {
        Some(IN_CLAIM_NOTE)
    } else if check.outside_list(ingredient) {
        Some(OUTSIDE_LIST_NOTE)
    } else {
        None
    }
}

/// Said of a restricted ingredient named in text that was not read as part of the list.
pub const OUTSIDE_LIST_NOTE: &str = "Named in text that was not read as part of the list (a \
                                     sentence, a heading or a footnote): if the product contains \
                                     it, this applies. Check the full ingredient list.";

/// Said of an ingredient checked although printed in a claim of what the product is without.
pub const IN_CLAIM_NOTE: &str = "Printed in a claim of what the product is free of: if it is \
                                 not in the product, this does not apply. Check the full \
                                 ingredient list.";

fn timeline_line(check: &ProductCheck<'_>, segment: &TimelineSegment<'_>) -> String {
    let span = match segment.until_hours {
        Some(until) => {
            let (first, last) = (
                segment.from_hours.day(),
                Hours(until.0.saturating_sub(1)).day(),
            );
            let days = if first == last {
                format!("day {first}")
            } else {
                format!("day {first} to day {last}")
            };
            format!("{days} ({}-{} h)", segment.from_hours.0, until.0)
        }
        None => format!("from {}", when(check, segment.from_hours)),
    };
    let held = if segment.on_hold.is_empty() {
        String::new()
    } else {
        format!(" ({})", segment.on_hold.join(", "))
    };
    format!("{span}: {}{held}", segment.verdict.id())
}

/// "day 8 (168 h after treatment)", with the local instant when the treatment time is known.
fn when(check: &ProductCheck<'_>, hours: Hours) -> String {
    match check.instant(hours) {
        Some(at) => format!(
            "{} (day {}, {} h after treatment)",
            format_local(&at),
            hours.day(),
            hours.0
        ),
        None => format!("day {} ({} h after treatment)", hours.day(), hours.0),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        Hours,
        inci::{CheckTime, Checker, MatchMemo, Product, kb::KnowledgeBase},
        profile::Profile,
        protocol::default_protocol,
    };

    fn headline(list: &str, hours: u32) -> String {
        let profile = Profile::default();
        let checker = Checker::new(KnowledgeBase::embedded(), default_protocol(), &profile);
        let product = Product {
            product_type: None,
            name: None,
        };
        let check = checker
            .check_with(
                list,
                &product,
                &CheckTime::hours(Hours(hours)),
                &mut MatchMemo::new(),
            )
            .expect("checked");
        verdict_line(&check)
    }

    #[test]
    fn a_product_with_an_unrecognised_ingredient_is_never_fine() {
        let waiting = headline("Aqua, Retinol, Zorblax", 30);
        assert!(
            waiting.starts_with("WAIT: not now, and not before day 8"),
            "{waiting}"
        );
        assert!(!waiting.to_lowercase().contains("fine"), "{waiting}");
        assert!(waiting.contains("cannot be cleared: 1 ingredient was not recognised"));
        assert_eq!(
            headline("Aqua, Retinol", 30),
            "WAIT: not now. Fine from day 8 (168 h after treatment)."
        );
        assert!(headline("Aqua, Zorblax", 30).starts_with("UNKNOWN:"));
    }
}
