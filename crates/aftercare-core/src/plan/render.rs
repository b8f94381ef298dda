//! A `Plan` for people: plain text for a terminal, and Markdown for a printable handout.
//! Both always show the emergency guidance and the disclaimer first.

use std::fmt::Write;

use super::{Plan, PlanDay, PlanStep, SourcedText};
use crate::Hours;

/// The plan as plain text for a terminal. Every line a person reads ends with a source number
/// (`[3]`); the numbered sources come last.
pub fn render_text(plan: &Plan) -> String {
    let mut out = String::new();
    let mut sources = SourceNumbers::default();
    let _ = writeln!(
        out,
        "{} plan (protocol {} {})",
        plan.protocol.title, plan.protocol.id, plan.protocol.version
    );
    let _ = writeln!(
        out,
        "Treated: {} ({})",
        human_instant(&plan.treated_at),
        plan.time_zone
    );
    let _ = writeln!(out, "For: {}", profile_line(plan));
    let _ = writeln!(out);
    let notices = &plan.notices;
    for (lead, notice) in [
        ("IN AN EMERGENCY: ", &notices.emergency),
        ("Call your practitioner: ", &notices.contact),
        ("", &notices.disclaimer),
    ] {
        let mark = sources.mark(&notice.source);
        let _ = writeln!(out, "{lead}{} {mark}", notice.text);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "HOLD OFF");
    for r in &plan.restrictions {
        let mark = sources.mark(&r.source);
        let _ = writeln!(
            out,
            "  - {}: {} {mark}",
            r.name,
            restriction_window(plan, r)
        );
    }
    for advice in &plan.skin_advice {
        let mark = sources.mark(&advice.source);
        let _ = writeln!(out, "\nYOUR SKIN: {} {mark}", advice.text);
    }
    for day in &plan.days {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "DAY {} · {} · {}",
            day.day,
            human_day(day),
            day.phase_name
        );
        write_routine_text(&mut out, &mut sources, "Morning", &day.am);
        write_routine_text(&mut out, &mut sources, "Evening", &day.pm);
        for list in restriction_lists(plan, day) {
            let _ = writeln!(out, "  {} (see HOLD OFF):", list.title);
            for (when, names) in &list.groups {
                let _ = writeln!(out, "    - {} {when}: {}", list.lead, names.join("; "));
            }
        }
        let details = &day.details;
        write_list_text(&mut out, &mut sources, "Changes today", &details.milestones);
        write_list_text(&mut out, &mut sources, "What to expect", &details.expect);
        write_list_text(&mut out, &mut sources, "Tips", &details.tips);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "HOW TO APPLY");
    for tip in &plan.application {
        let mark = sources.mark(&tip.source);
        let _ = writeln!(out, "  - {} {mark}", tip.text);
    }
    let _ = writeln!(out);
    let mark = sources.mark(&plan.next_session.source);
    let _ = writeln!(
        out,
        "Next session: around {} ({} weeks). {mark}",
        human_date(&plan.next_session.at),
        plan.next_session.interval_weeks
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "SOURCES");
    for (number, source) in sources.list.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {source}", number + 1);
    }
    out
}

/// The sources of a text plan, numbered in order of first use.
#[derive(Default)]
struct SourceNumbers {
    list: Vec<String>,
}

impl SourceNumbers {
    /// "[n]" for `source`, numbering it if it is new.
    fn mark(&mut self, source: &str) -> String {
        let number = match self.list.iter().position(|s| s == source) {
            Some(index) => index + 1,
            None => {
                self.list.push(source.to_owned());
                self.list.len()
            }
        };
        format!("[{number}]")
    }
}

/// The plan as a printable Markdown handout: one section per day, a rule between weeks.
pub fn render_markdown(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}: your plan\n", plan.protocol.title);
    let _ = writeln!(
        out,
        "- **Treated:** {} ({})",
        human_instant(&plan.treated_at),
        plan.time_zone
    );
    let _ = writeln!(out, "- **For:** {}", profile_line(plan));
    let _ = writeln!(
        out,
        "- **Protocol:** {} {}\n",
        plan.protocol.id, plan.protocol.version
    );
    let _ = writeln!(
        out,
        "> **In an emergency:** {}\n>",
        escape_md(&plan.notices.emergency.text)
    );
    let _ = writeln!(
        out,
        "> **Call your practitioner:** {}\n>",
        escape_md(&plan.notices.contact.text)
    );
    let _ = writeln!(out, "> {}\n", escape_md(&plan.notices.disclaimer.text));
    let _ = writeln!(out, "## Hold off\n");
    let _ = writeln!(out, "| What | Until | Why | Source |\n|---|---|---|---|");
    for r in &plan.restrictions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            escape_md(&r.name),
            restriction_window(plan, r),
            escape_md(&r.reason),
            escape_md(&r.source)
        );
    }
    for advice in &plan.skin_advice {
        let _ = writeln!(
            out,
            "\n**Your skin:** {} _({})_",
            escape_md(&advice.text),
            escape_md(&advice.source)
        );
    }
    for day in &plan.days {
        if day.day > 1 && (day.day - 1) % 7 == 0 {
            let _ = writeln!(out, "\n---");
        }
        let _ = writeln!(
            out,
            "\n## Day {}: {} ({})\n",
            day.day,
            human_day(day),
            escape_md(&day.phase_name)
        );
        for (title, steps) in [("Morning", &day.am), ("Evening", &day.pm)] {
            let _ = writeln!(out, "**{title}**\n");
            for (i, step) in steps.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "{}. **{}**: {} _({})_",
                    i + 1,
                    step_label(step),
                    escape_md(&step.text),
                    escape_md(&step.source)
                );
            }
            let _ = writeln!(out);
        }
        for list in restriction_lists(plan, day) {
            let _ = writeln!(out, "**{}**\n", list.title);
            for (when, names) in &list.groups {
                let names: Vec<String> = names.iter().map(|n| escape_md(n)).collect();
                let _ = writeln!(out, "- {} {when}: {}", list.lead, names.join("; "));
            }
            let _ = writeln!(out);
        }
        write_list_md(
            &mut out,
            "Changes today",
            day.details
                .milestones
                .iter()
                .map(|t| (t.text.as_str(), Some(t.source.as_str()))),
        );
        write_list_md(
            &mut out,
            "What to expect",
            day.details
                .expect
                .iter()
                .map(|t| (t.text.as_str(), Some(t.source.as_str()))),
        );
        write_list_md(
            &mut out,
            "Tips",
            day.details
                .tips
                .iter()
                .map(|t| (t.text.as_str(), Some(t.source.as_str()))),
        );
    }
    let _ = writeln!(out, "\n---\n\n## How to apply your products\n");
    for tip in &plan.application {
        let _ = writeln!(
            out,
            "- {} _({})_",
            escape_md(&tip.text),
            escape_md(&tip.source)
        );
    }
    let _ = writeln!(
        out,
        "\n**Next session:** around {} ({} weeks; {}).",
        human_date(&plan.next_session.at),
        plan.next_session.interval_weeks,
        escape_md(&plan.next_session.source)
    );
    out
}

/// One of a day's restriction lists: its title, the word before each date, and the names
/// grouped by date.
struct RestrictionList<'p> {
    title: &'static str,
    lead: &'static str,
    groups: Vec<(String, Vec<&'p str>)>,
}

/// A day's non-empty restriction lists, for both renderers: what is off-limits (until its hard
/// limit), then what is possible but better later (until its recommended end).
fn restriction_lists<'p>(plan: &'p Plan, day: &PlanDay) -> Vec<RestrictionList<'p>> {
    [
        RestrictionList {
            title: "Off-limits today",
            lead: "until",
            groups: by_end(plan, &day.firmly_avoided(), End::Firm),
        },
        RestrictionList {
            title: "Possible today, better later",
            lead: "better from",
            groups: by_end(plan, &day.better_later, End::Better),
        },
    ]
    .into_iter()
    .filter(|list| !list.groups.is_empty())
    .collect()
}

/// Which end of a restriction a day's list shows.
#[derive(Clone, Copy)]
enum End {
    /// Its hard limit (`earliest`): when it stops being off-limits.
    Firm,
    /// Its recommended end (`until`): when it is no longer better to wait.
    Better,
}

/// The restrictions `ids` grouped by the end `end` names, earliest first:
/// ("Sat 28 Nov, 15:00", names).
fn by_end<'p>(plan: &'p Plan, ids: &[String], end: End) -> Vec<(String, Vec<&'p str>)> {
    let mut restrictions: Vec<(Hours, String, &str)> = plan
        .restrictions
        .iter()
        .filter(|r| ids.contains(&r.id))
        .map(|r| match end {
            End::Firm => (
                r.earliest_hours,
                human_instant(&r.earliest),
                r.name.as_str(),
            ),
            End::Better => (r.until_hours, r.until_local.clone(), r.name.as_str()),
        })
        .collect();
    restrictions.sort_by_key(|(hours, _, _)| *hours);
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (_, when, name) in restrictions {
        match groups.last_mut() {
            Some((until, names)) if *until == when => names.push(name),
            _ => groups.push((when, vec![name])),
        }
    }
    groups
}

fn write_routine_text(
    out: &mut String,
    sources: &mut SourceNumbers,
    title: &str,
    steps: &[PlanStep],
) {
    let _ = writeln!(out, "  {title}:");
    for (i, step) in steps.iter().enumerate() {
        let mark = sources.mark(&step.source);
        let _ = writeln!(
            out,
            "    {}. {}: {} {mark}",
            i + 1,
            step_label(step),
            step.text
        );
    }
}

fn write_list_text(
    out: &mut String,
    sources: &mut SourceNumbers,
    title: &str,
    items: &[SourcedText],
) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "  {title}:");
    for item in items {
        let mark = sources.mark(&item.source);
        let _ = writeln!(out, "    - {} {mark}", item.text);
    }
}

fn write_list_md<'a>(
    out: &mut String,
    title: &str,
    items: impl Iterator<Item = (&'a str, Option<&'a str>)>,
) {
    let items: Vec<_> = items.collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "**{title}**\n");
    for (text, source) in items {
        match source {
            Some(source) => {
                let _ = writeln!(out, "- {} _({})_", escape_md(text), escape_md(source));
            }
            None => {
                let _ = writeln!(out, "- {}", escape_md(text));
            }
        }
    }
    let _ = writeln!(out);
}

fn step_label(step: &PlanStep) -> &'static str {
    match step.step {
        "cleanse" => "Cleanse",
        "tone" => "Tone",
        "serum" => "Serum",
        "moisturise" => "Moisturise",
        "oil" => "Oil or balm",
        "sunscreen" => "Sunscreen",
        _ => "Step",
    }
}

fn profile_line(plan: &Plan) -> String {
    let skin = if plan.profile.skin.is_empty() {
        "skin type not given".to_owned()
    } else {
        format!(
            "{} skin",
            plan.profile
                .skin
                .iter()
                .map(|s| s.id().replace('_', "-"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let areas = plan
        .profile
        .areas
        .iter()
        .map(|a| a.id())
        .collect::<Vec<_>>()
        .join(", ");
    let fitz = plan.profile.fitzpatrick.map_or_else(
        || "Fitzpatrick type not given".to_owned(),
        |f| format!("Fitzpatrick {f}"),
    );
    format!("{skin}; areas: {areas}; {fitz}")
}

fn restriction_window(plan: &Plan, r: &super::PlannedRestriction) -> String {
    let _ = plan;
    if r.earliest_hours < r.until_hours {
        format!(
            "not before {}, recommended from {}",
            human_instant(&r.earliest),
            r.until_local
        )
    } else {
        format!("until {}", r.until_local)
    }
}

/// "2026-11-26T15:00:00+01:00" → "Thu 26 Nov, 15:00".
fn human_instant(rfc3339: &str) -> String {
    parse(rfc3339).map_or_else(|| rfc3339.to_owned(), |z| crate::instant::format_local(&z))
}

/// "2026-11-26T15:00:00+01:00" → "Thu 26 Nov 2026".
fn human_date(rfc3339: &str) -> String {
    parse(rfc3339).map_or_else(
        || rfc3339.to_owned(),
        |z| crate::instant::format_local_date(&z),
    )
}

fn human_day(day: &PlanDay) -> String {
    format!(
        "{} to {}",
        human_instant(&day.starts),
        human_instant(&day.ends)
    )
}

fn parse(rfc3339: &str) -> Option<jiff::ZonedDateTime> {
    crate::instant::parse_instant(rfc3339, None).ok()
}

/// Escapes the characters Markdown would read as markup in a table cell or a list item.
fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
