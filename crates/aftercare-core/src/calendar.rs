//! The calendar feed of a treatment (RFC 5545 iCalendar): the plan's milestones, daily check-in
//! and sunscreen reminders and the next session of the series, as events a patient subscribes
//! to (the web app's secret feed URL) or imports (`aftercare plan --format ics`).
//!
//! What belongs here: choosing the events (`plan_calendar`), the `Calendar` that holds them (with
//! an extension point, `Calendar::add`, for other dated events such as a product's own
//! reintroduction date) and writing it as iCalendar text (`Calendar::to_ics`): escaping, line
//! folding at 75 octets, CRLF. What does not: serving the feed, tokens, files, the clock.
//!
//! Rules of the feed (docs/calendar.md has the whole story):
//! - every instant is written in UTC (`…Z`), so no VTIMEZONE is needed; reminders are computed
//!   from the patient's *local wall time* with jiff, so "08:00" stays 08:00 across a DST change;
//! - UIDs are `{namespace}-{event id}@aftercare` and DTSTAMP is fixed by the input (by default
//!   the treatment instant), never the clock: refreshing a subscription never duplicates events;
//! - every event has exactly one VALARM (Exchange ignores REPEAT; care-pathways.md §2.2).
//!
//! The text is hand-written rather than built with a crate: `ics` 0.5.8 writes folded
//! continuation lines of 76 octets (a space plus 75) and `icalendar` needs chrono and inserts
//! the clock and random UIDs when they are missing.

use std::fmt::Write;

use jiff::{
    SignedDuration, Timestamp, ToSpan, ZonedDateTime,
    civil::{Date, Time},
    tz::TimeZone,
};

use crate::{
    Hours,
    category::{Category, CategoryGroup},
    instant::{format_local, format_local_date},
    profile::Profile,
    protocol::{Protocol, Restriction, StepKind, Text},
    words,
};

/// The product identifier of every feed (RFC 5545 §3.7.3).
pub const PRODID: &str = "-//aftercare//plan//EN";

/// The longest content line, in octets, not counting the CRLF (RFC 5545 §3.1).
pub const MAX_LINE_OCTETS: usize = 75;

/// The longest namespace or event id, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// How long a timed reminder or milestone lasts in the calendar.
const EVENT_LENGTH: SignedDuration = SignedDuration::from_mins(15);

/// When the next-session alarm rings: 09:00 local, a week before the (all-day) suggested date.
const NEXT_SESSION_ALARM: SignedDuration = SignedDuration::from_hours(6 * 24 + 15);

/// Why a calendar could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// The UID namespace has characters a UID cannot carry safely, or is empty or too long.
    #[error(
        "calendar id '{0}' must be 1 to {MAX_ID_CHARS} characters: letters, digits, '.', '_' or '-'"
    )]
    Namespace(String),
    /// An event id has characters a UID cannot carry safely, or is empty or too long.
    #[error(
        "event id '{0}' must be 1 to {MAX_ID_CHARS} characters: letters, digits, '.', '_' or '-'"
    )]
    EventId(String),
    /// Two events would share one UID, and calendar clients would merge them.
    #[error("two calendar events share the id '{0}'")]
    DuplicateEvent(String),
    /// A reminder would fall outside the range of representable dates.
    #[error("a calendar date is out of range")]
    OutOfRange,
}

/// When the reminders ring, in the patient's local wall time.
///
/// Sources: the guide ("Protect Your Skin with Broad-Spectrum SPF": sunscreen every single day,
/// reapplied every two hours), care-pathways.md §3.3 (SPF 30+ for 2 weeks) and §1 (daily
/// symptom check-ins), and issue #7 (check-ins on days 1-7 and 14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSchedule {
    /// Local time of the check-in reminder.
    pub check_in_at: Time,
    /// Recovery days (1-based) with a check-in reminder.
    pub check_in_days: Vec<u32>,
    /// Local time of the morning sunscreen reminder.
    pub sunscreen_at: Time,
    /// Number of days (from day 1) with a morning sunscreen reminder.
    pub sunscreen_days: u32,
    /// Local times of the reapplication reminders, when the patient asks for them.
    pub reapply_at: Vec<Time>,
    /// Number of days (from day 1) with reapplication reminders.
    pub reapply_days: u32,
}

impl Default for ReminderSchedule {
    fn default() -> Self {
        ReminderSchedule {
            check_in_at: Time::constant(19, 0, 0, 0),
            check_in_days: vec![1, 2, 3, 4, 5, 6, 7, 14],
            sunscreen_at: Time::constant(8, 0, 0, 0),
            sunscreen_days: 14,
            reapply_at: vec![
                Time::constant(10, 0, 0, 0),
                Time::constant(12, 0, 0, 0),
                Time::constant(14, 0, 0, 0),
                Time::constant(16, 0, 0, 0),
            ],
            reapply_days: 7,
        }
    }
}

impl ReminderSchedule {
    /// Where these timings come from (source ids of the protocol): sunscreen from the guide,
    /// the timings from expert and clinic practice, the daily check-ins from remote-care
    /// pathways.
    pub const SOURCES: [&'static str; 3] = [
        "guide.spf",
        "ref.care_pathways.3_3",
        "ref.care_pathways.1_1",
    ];

    /// [`ReminderSchedule::SOURCES`] as the protocol cites them ("Guide: …; Reference: …"); an
    /// id the protocol does not declare is shown as it is.
    pub fn sources_in(protocol: &Protocol) -> String {
        Self::SOURCES
            .iter()
            .map(|id| {
                protocol
                    .sources
                    .get(*id)
                    .map_or_else(|| (*id).to_owned(), |source| source.citation())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The check-in reminders in words: "each evening at 19:00 on days 1 to 7 and 14".
    pub fn check_ins_in_words(&self) -> String {
        format!(
            "each evening at {} on {}",
            clock_time(self.check_in_at),
            days_in_words(&self.check_in_days)
        )
    }

    /// The morning sunscreen reminders in words: "each morning at 08:00 on days 1 to 14".
    pub fn sunscreen_in_words(&self) -> String {
        let days: Vec<u32> = (1..=self.sunscreen_days).collect();
        format!(
            "each morning at {} on {}",
            clock_time(self.sunscreen_at),
            days_in_words(&days)
        )
    }

    /// The reapplication reminders in words: "at 10:00, 12:00, 14:00 and 16:00 on days 1 to 7".
    pub fn reapply_in_words(&self) -> String {
        let times: Vec<String> = self.reapply_at.iter().map(|t| clock_time(*t)).collect();
        let days: Vec<u32> = (1..=self.reapply_days).collect();
        format!(
            "at {} on {}",
            words::join(&times, "and"),
            days_in_words(&days)
        )
    }
}

/// "19:00".
fn clock_time(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Sorted day numbers in words, runs of three or more as ranges: "days 1 to 7 and 14".
fn days_in_words(days: &[u32]) -> String {
    let mut runs: Vec<String> = Vec::new();
    let mut index = 0;
    while index < days.len() {
        let start = days[index];
        let mut end = start;
        while index + 1 < days.len() && days[index + 1] == end + 1 {
            index += 1;
            end = days[index];
        }
        match end - start {
            0 => runs.push(start.to_string()),
            1 => runs.extend([start.to_string(), end.to_string()]),
            _ => runs.push(format!("{start} to {end}")),
        }
        index += 1;
    }
    let noun = if days.len() == 1 { "day" } else { "days" };
    format!("{noun} {}", words::join(&runs, "and"))
}

/// What goes into a feed besides the protocol, the treatment and the profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarOptions {
    /// Prefix of every UID: stable per treatment, so a refresh replaces events instead of
    /// adding them. Letters, digits, `.`, `_` and `-` only.
    pub namespace: String,
    /// Also remind the patient to reapply sunscreen every 2 hours in daytime in the first week.
    pub sun_reapplication: bool,
    /// The DTSTAMP of every event; the treatment instant when not given. Never the clock.
    pub stamp: Option<Timestamp>,
    /// Where the patient checks in (the web app's page), added to each check-in reminder.
    pub check_in_link: Option<String>,
    /// When the reminders ring.
    pub schedule: ReminderSchedule,
}

impl CalendarOptions {
    /// Options with the default schedule, no reapplication reminders and the given namespace.
    pub fn new(namespace: impl Into<String>) -> Self {
        CalendarOptions {
            namespace: namespace.into(),
            sun_reapplication: false,
            stamp: None,
            check_in_link: None,
            schedule: ReminderSchedule::default(),
        }
    }
}

/// The default UID namespace of a treatment: the protocol id and the treatment instant in UTC,
/// e.g. `microneedling-20261020T130000Z`. Characters a UID cannot carry become `-`.
pub fn default_namespace(protocol: &Protocol, treated_at: &ZonedDateTime) -> String {
    let id: String = protocol
        .id
        .chars()
        .take(MAX_ID_CHARS - 17)
        .map(|c| if is_id_char(c) { c } else { '-' })
        .collect();
    format!("{id}-{}", format_utc(treated_at.timestamp()))
}

/// When an event happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    /// At an instant, for a while.
    At {
        /// The start.
        start: Timestamp,
        /// How long it lasts.
        duration: SignedDuration,
    },
    /// A whole local day (a date carries no time zone).
    AllDay(Date),
}

impl EventTime {
    /// A point in time for ordering: an all-day event counts from its date's midnight in UTC.
    fn sort_key(&self) -> Timestamp {
        match self {
            EventTime::At { start, .. } => *start,
            EventTime::AllDay(date) => date
                .to_zoned_datetime(TimeZone::UTC)
                .map_or(Timestamp::MAX, |z| z.timestamp()),
        }
    }
}

/// One event of the feed, with its one alarm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Unique within the calendar and stable across refreshes, e.g. `milestone-48` or
    /// `product-p001`; the UID is `{namespace}-{id}@aftercare`.
    pub id: String,
    /// When it happens.
    pub when: EventTime,
    /// The title.
    pub summary: String,
    /// The details, with the source of every rule and text.
    pub description: String,
    /// How long before the start the alarm rings (zero: at the start).
    pub alarm_before: SignedDuration,
}

/// A feed: its name, its UID namespace, its DTSTAMP and its events, in chronological order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    description: String,
    namespace: String,
    stamp: Timestamp,
    events: Vec<CalendarEvent>,
}

impl Calendar {
    /// An empty calendar. Fails when the namespace cannot be part of a UID.
    pub fn new(
        name: impl Into<String>,
        description: impl Into<String>,
        namespace: impl Into<String>,
        stamp: Timestamp,
    ) -> Result<Self, CalendarError> {
        let namespace = namespace.into();
        if !is_valid_id(&namespace) {
            return Err(CalendarError::Namespace(namespace));
        }
        Ok(Calendar {
            name: name.into(),
            description: description.into(),
            namespace,
            stamp,
            events: Vec::new(),
        })
    }

    /// Adds an event (the extension point for other dated events, such as each product's own
    /// reintroduction date). Fails on an invalid or duplicate id, which would break UIDs.
    pub fn add(&mut self, event: CalendarEvent) -> Result<(), CalendarError> {
        if !is_valid_id(&event.id) {
            return Err(CalendarError::EventId(event.id));
        }
        if self.events.iter().any(|e| e.id == event.id) {
            return Err(CalendarError::DuplicateEvent(event.id));
        }
        let key = (event.when.sort_key(), event.id.clone());
        let at = self
            .events
            .partition_point(|e| (e.when.sort_key(), e.id.clone()) <= key);
        self.events.insert(at, event);
        Ok(())
    }

    /// The events, in chronological order (ties by id).
    pub fn events(&self) -> &[CalendarEvent] {
        &self.events
    }

    /// The calendar's name (`X-WR-CALNAME`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The UID of an event id: `{namespace}-{id}@aftercare`.
    pub fn uid(&self, event_id: &str) -> String {
        format!("{}-{event_id}@aftercare", self.namespace)
    }

    /// The calendar as iCalendar text: CRLF line endings, lines folded at 75 octets, TEXT values
    /// escaped, every instant in UTC, one VALARM per VEVENT.
    pub fn to_ics(&self) -> String {
        let mut out = IcsWriter::default();
        out.raw("BEGIN", "VCALENDAR");
        out.raw("VERSION", "2.0");
        out.raw("PRODID", PRODID);
        out.raw("CALSCALE", "GREGORIAN");
        out.raw("METHOD", "PUBLISH");
        out.text("NAME", &self.name);
        out.text("X-WR-CALNAME", &self.name);
        out.text("X-WR-CALDESC", &self.description);
        out.raw("REFRESH-INTERVAL;VALUE=DURATION", "PT12H");
        out.raw("X-PUBLISHED-TTL", "PT12H");
        let stamp = format_utc(self.stamp);
        for event in &self.events {
            out.raw("BEGIN", "VEVENT");
            out.text("UID", &self.uid(&event.id));
            out.raw("DTSTAMP", &stamp);
            match event.when {
                EventTime::At { start, duration } => {
                    out.raw("DTSTART", &format_utc(start));
                    out.raw("DURATION", &format_duration(duration));
                }
                EventTime::AllDay(date) => {
                    out.raw("DTSTART;VALUE=DATE", &format_date(date));
                    out.raw("DURATION", "P1D");
                }
            }
            out.text("SUMMARY", &event.summary);
            out.text("DESCRIPTION", &event.description);
            out.raw("CLASS", "PRIVATE");
            out.raw("TRANSP", "TRANSPARENT");
            out.raw("BEGIN", "VALARM");
            out.raw("ACTION", "DISPLAY");
            out.text("DESCRIPTION", &event.summary);
            out.raw("TRIGGER", &format_duration(-event.alarm_before));
            out.raw("END", "VALARM");
            out.raw("END", "VEVENT");
        }
        out.raw("END", "VCALENDAR");
        out.finish()
    }
}

/// The feed of a treatment: milestones from the protocol's restrictions (those that end at the
/// same hour in one event), a check-in reminder on the schedule's days, a morning sunscreen
/// reminder (and, if asked, reapplication reminders), and the next session of the series.
///
/// Restriction milestones are at their exact elapsed hour (CONTRACT §1). Reminder number N is
/// at the schedule's local time on the N-th local date whose reminder time is at or after the
/// treatment, so it rings at the same wall-clock time every day, in recovery day N (a DST
/// change can move it by up to an hour across the day's edge).
pub fn plan_calendar(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
    profile: &Profile,
    options: &CalendarOptions,
) -> Result<Calendar, CalendarError> {
    let zone = zone_name(treated_at);
    let mut calendar = Calendar::new(
        format!("{} ({})", protocol.title, format_local_date(treated_at)),
        format!(
            "Reminders for your treatment on {}, {} ({zone}). {} ({})",
            format_local_date(treated_at),
            treated_at.strftime("%H:%M"),
            protocol.notices.disclaimer.text,
            protocol.notices.disclaimer.source.citation
        ),
        options.namespace.clone(),
        options.stamp.unwrap_or_else(|| treated_at.timestamp()),
    )?;
    for event in milestones(protocol, treated_at, profile)? {
        calendar.add(event)?;
    }
    for event in check_ins(protocol, treated_at, options)? {
        calendar.add(event)?;
    }
    for event in sunscreen(protocol, treated_at, profile, options)? {
        calendar.add(event)?;
    }
    calendar.add(next_session(protocol, treated_at)?)?;
    Ok(calendar)
}

/// One event per hour at which restrictions end.
fn milestones(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
    profile: &Profile,
) -> Result<Vec<CalendarEvent>, CalendarError> {
    let restrictions = protocol.restrictions_for(profile);
    let mut hours: Vec<Hours> = restrictions
        .iter()
        .map(|r| r.until)
        .filter(|h| *h > Hours::ZERO)
        .collect();
    hours.sort();
    hours.dedup();
    hours
        .into_iter()
        .map(|hour| {
            let ending: Vec<&Restriction> = restrictions
                .iter()
                .copied()
                .filter(|r| r.until == hour)
                .collect();
            let at = elapsed(treated_at, hour)?;
            let mut description = format!(
                "From {} ({} h after your treatment).\n",
                format_local(&at),
                hour.0
            );
            for r in &ending {
                let _ = write!(description, "\n{}: fine from now.", r.name);
                if let Some(after) = &r.after {
                    let _ = write!(description, " {after}");
                }
                let _ = write!(
                    description,
                    "\nWhy it waited: {}\nSource: {}\n",
                    r.reason, r.source.citation
                );
            }
            let _ = write!(
                description,
                "\n{}\nSource: {}",
                protocol.notices.disclaimer.text, protocol.notices.disclaimer.source.citation
            );
            Ok(CalendarEvent {
                id: format!("milestone-{}", hour.0),
                when: EventTime::At {
                    start: at.timestamp(),
                    duration: EVENT_LENGTH,
                },
                summary: format!(
                    "Aftercare day {}: {} can come back",
                    hour.day(),
                    words::join(&milestone_labels(&ending), "and")
                ),
                description,
                alarm_before: SignedDuration::ZERO,
            })
        })
        .collect()
}

/// Short labels for a group of restrictions: "actives" and "irritants" for the paused and
/// irritant ingredient groups, otherwise the name without its parenthesised details.
fn milestone_labels(ending: &[&Restriction]) -> Vec<String> {
    let mut labels: Vec<String> = Vec::new();
    for r in ending {
        let label = match r.category.and_then(group_label) {
            Some(group) => group.to_owned(),
            None => short_name(&r.name),
        };
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels
}

/// The label of a whole ingredient group in a milestone's title, if it has one.
fn group_label(category: Category) -> Option<&'static str> {
    match category.group() {
        CategoryGroup::Paused => Some("actives"),
        CategoryGroup::Irritant => Some("irritants"),
        CategoryGroup::Helpful | CategoryGroup::SkinTypeFlag => None,
    }
}

/// "Cleansers (anything but lukewarm water)" → "cleansers"; "Your regular (non-active)
/// products" → "your regular products". The first letter is lowered unless it starts an acronym.
fn short_name(name: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(joined.chars().skip(1)).collect()
        }
        _ => joined,
    }
}

/// The check-in reminders.
fn check_ins(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
    options: &CalendarOptions,
) -> Result<Vec<CalendarEvent>, CalendarError> {
    let schedule = &options.schedule;
    let first = first_local_date(treated_at, schedule.check_in_at)?;
    let mut days = schedule.check_in_days.clone();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .filter(|day| *day > 0)
        .map(|day| {
            let at = local_on(treated_at, first, day, schedule.check_in_at)?;
            let start = Hours::start_of_day(day);
            let end = Hours::start_of_day(day + 1);
            let phase = protocol.phase_at(start);
            let normal: Vec<&Text> = phase
                .expect
                .iter()
                .filter(|t| t.window.overlaps(start, end))
                .collect();
            let mut description =
                format!("How is your skin on day {day}? Take a minute to check in.\n");
            if let Some(link) = &options.check_in_link {
                let _ = writeln!(description, "Check in here: {link}");
            }
            if !normal.is_empty() {
                let _ = write!(description, "\nNormal around now ({}):\n", phase.name);
                for text in normal {
                    let _ = writeln!(description, "- {} ({})", text.text, text.source.citation);
                }
            }
            for notice in [&protocol.notices.contact, &protocol.notices.emergency] {
                let _ = write!(
                    description,
                    "\n{}\nSource: {}\n",
                    notice.text, notice.source.citation
                );
            }
            Ok(CalendarEvent {
                id: format!("checkin-{day}"),
                when: EventTime::At {
                    start: at.timestamp(),
                    duration: EVENT_LENGTH,
                },
                summary: format!("Aftercare day {day}: check in on your skin"),
                description: description.trim_end().to_owned(),
                alarm_before: SignedDuration::ZERO,
            })
        })
        .collect()
}

/// The morning sunscreen reminders and, if asked, the reapplication reminders. Their text is
/// the protocol's morning sunscreen step for that day; a day without one gets no reminder.
fn sunscreen(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
    profile: &Profile,
    options: &CalendarOptions,
) -> Result<Vec<CalendarEvent>, CalendarError> {
    let schedule = &options.schedule;
    let first = first_local_date(treated_at, schedule.sunscreen_at)?;
    let mut events = Vec::new();
    for day in 1..=schedule.sunscreen_days.max(if options.sun_reapplication {
        schedule.reapply_days
    } else {
        0
    }) {
        let start = Hours::start_of_day(day);
        let Some(step) = protocol.phase_at(start).am.iter().find(|s| {
            s.step == StepKind::Sunscreen
                && s.window.contains(start)
                && (s.skin.is_empty() || s.skin.iter().any(|k| profile.skin.contains(k)))
        }) else {
            continue;
        };
        let step_text = format!("{}\nSource: {}", step.text, step.source.citation);
        if day <= schedule.sunscreen_days {
            let at = local_on(treated_at, first, day, schedule.sunscreen_at)?;
            events.push(CalendarEvent {
                id: format!("sunscreen-{day}"),
                when: EventTime::At {
                    start: at.timestamp(),
                    duration: EVENT_LENGTH,
                },
                summary: format!("Aftercare day {day}: morning sunscreen"),
                description: format!("The sunscreen step of your morning routine:\n{step_text}"),
                alarm_before: SignedDuration::ZERO,
            });
        }
        if options.sun_reapplication && day <= schedule.reapply_days {
            for time in &schedule.reapply_at {
                let at = local_on(treated_at, first, day, *time)?;
                events.push(CalendarEvent {
                    id: format!("reapply-{day}-{}", time.strftime("%H%M")),
                    when: EventTime::At {
                        start: at.timestamp(),
                        duration: EVENT_LENGTH,
                    },
                    summary: format!("Aftercare day {day}: reapply sunscreen if you are outdoors"),
                    description: format!(
                        "If you are outdoors, reapply your sunscreen now.\n{step_text}"
                    ),
                    alarm_before: SignedDuration::ZERO,
                });
            }
        }
    }
    Ok(events)
}

/// The next session of the series: an all-day event on the suggested local date.
fn next_session(
    protocol: &Protocol,
    treated_at: &ZonedDateTime,
) -> Result<CalendarEvent, CalendarError> {
    let series = &protocol.series;
    let next = treated_at
        .checked_add(i64::from(series.interval_weeks).weeks())
        .map_err(|_| CalendarError::OutOfRange)?;
    Ok(CalendarEvent {
        id: "next-session".to_owned(),
        when: EventTime::AllDay(next.date()),
        summary: "Aftercare: next session suggested around today".to_owned(),
        description: format!(
            "The next session of your series ({}) is suggested around {}, {} weeks after this \
             treatment. Your practitioner decides the exact date (usually {} to {} weeks after \
             a session): book or confirm it with them.\nSource: {}",
            protocol.procedure,
            format_local_date(&next),
            series.interval_weeks,
            series.min_interval_weeks,
            series.max_interval_weeks,
            series.source.citation
        ),
        alarm_before: NEXT_SESSION_ALARM,
    })
}

/// The instant `hours` after the treatment, in the patient's zone.
fn elapsed(treated_at: &ZonedDateTime, hours: Hours) -> Result<ZonedDateTime, CalendarError> {
    treated_at
        .timestamp()
        .checked_add(SignedDuration::from_hours(i64::from(hours.0)))
        .map(|ts| ts.to_zoned_datetime(treated_at.time_zone().clone()))
        .map_err(|_| CalendarError::OutOfRange)
}

/// The first local date on which `time` is at or after the treatment.
fn first_local_date(treated_at: &ZonedDateTime, time: Time) -> Result<Date, CalendarError> {
    let date = treated_at.date();
    let same_day = at_local(treated_at.time_zone(), date, time)?;
    if same_day.timestamp() >= treated_at.timestamp() {
        Ok(date)
    } else {
        date.tomorrow().map_err(|_| CalendarError::OutOfRange)
    }
}

/// Reminder number `day` (1-based): `time` on the `day`-th local date from `first`.
fn local_on(
    treated_at: &ZonedDateTime,
    first: Date,
    day: u32,
    time: Time,
) -> Result<ZonedDateTime, CalendarError> {
    let date = first
        .checked_add(i64::from(day.saturating_sub(1)).days())
        .map_err(|_| CalendarError::OutOfRange)?;
    at_local(treated_at.time_zone(), date, time)
}

/// A local wall time on a date; a time in a DST gap moves forward, as calendars do.
fn at_local(tz: &TimeZone, date: Date, time: Time) -> Result<ZonedDateTime, CalendarError> {
    date.to_datetime(time)
        .to_zoned_datetime(tz.clone())
        .map_err(|_| CalendarError::OutOfRange)
}

/// The IANA name of the patient's zone, or its fixed offset.
fn zone_name(at: &ZonedDateTime) -> String {
    at.time_zone()
        .iana_name()
        .map_or_else(|| at.strftime("UTC%:z").to_string(), str::to_owned)
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_CHARS && id.chars().all(is_id_char)
}

/// An instant as an RFC 5545 UTC DATE-TIME: `20261020T130000Z`.
fn format_utc(at: Timestamp) -> String {
    at.to_zoned_datetime(TimeZone::UTC)
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// A date as an RFC 5545 DATE: `20261117`.
fn format_date(date: Date) -> String {
    date.strftime("%Y%m%d").to_string()
}

/// A signed duration as an RFC 5545 DURATION (`PT15M`, `-P6DT15H`, `PT0S`).
fn format_duration(duration: SignedDuration) -> String {
    let sign = if duration.is_negative() { "-" } else { "" };
    let total = duration.as_secs().unsigned_abs();
    if total == 0 {
        return "PT0S".to_owned();
    }
    let (days, rest) = (total / 86_400, total % 86_400);
    let (hours, minutes, seconds) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let mut out = format!("{sign}P");
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if rest > 0 {
        out.push('T');
        if hours > 0 {
            let _ = write!(out, "{hours}H");
        }
        if minutes > 0 {
            let _ = write!(out, "{minutes}M");
        }
        if seconds > 0 {
            let _ = write!(out, "{seconds}S");
        }
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma get a backslash,
/// every line break (CRLF, LF or CR) becomes `\n`, and other control characters but tab are
/// dropped (TEXT may not carry them).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds one content line (RFC 5545 §3.1): no physical line longer than 75 octets, not
/// counting CRLF; each continuation starts with one space; never splits a UTF-8 character.
/// Every physical line, the last included, ends with CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 24 + 2);
    let mut rest = line;
    let mut limit = MAX_LINE_OCTETS;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return out;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = MAX_LINE_OCTETS - 1;
    }
}

/// Writes content lines.
#[derive(Default)]
struct IcsWriter {
    out: String,
}

impl IcsWriter {
    /// A property whose value needs no escaping (ids, dates, durations, constants).
    fn raw(&mut self, name: &str, value: &str) {
        self.out.push_str(&fold_line(&format!("{name}:{value}")));
    }

    /// A property of value type TEXT.
    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }

    fn finish(self) -> String {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_reminders_read_as_the_schedule_says() {
        let schedule = ReminderSchedule::default();
        assert_eq!(
            schedule.check_ins_in_words(),
            "each evening at 19:00 on days 1 to 7 and 14"
        );
        assert_eq!(
            schedule.sunscreen_in_words(),
            "each morning at 08:00 on days 1 to 14"
        );
        assert_eq!(
            schedule.reapply_in_words(),
            "at 10:00, 12:00, 14:00 and 16:00 on days 1 to 7"
        );
        assert_eq!(days_in_words(&[3]), "day 3");
        assert_eq!(days_in_words(&[1, 2, 5]), "days 1, 2 and 5");
    }

    #[test]
    fn the_reminders_cite_sources_the_protocol_declares() {
        let protocol = crate::protocol::default_protocol();
        for id in ReminderSchedule::SOURCES {
            assert!(protocol.sources.contains_key(id), "{id} is declared");
        }
        let cited = ReminderSchedule::sources_in(protocol);
        assert!(
            cited.starts_with(
                "Guide: Protect Your Skin with Broad-Spectrum SPF; Reference: care-pathways.md §3.3"
            ),
            "{cited}"
        );
        assert!(cited.contains("§1.1 Post-procedure"), "{cited}");
    }

    #[test]
    fn escaping_covers_the_four_specials_and_every_line_break() {
        assert_eq!(
            escape_text("a\\b;c,d\ne\r\nf\rg"),
            "a\\\\b\\;c\\,d\\ne\\nf\\ng"
        );
        assert_eq!(escape_text("tab\there\u{7}"), "tab\there");
        assert_eq!(escape_text("colon: fine"), "colon: fine");
    }

    #[test]
    fn folding_keeps_every_line_within_75_octets_and_utf8_whole() {
        let line = format!("DESCRIPTION:{}", "ä€😀x".repeat(40));
        let folded = fold_line(&line);
        assert!(folded.ends_with("\r\n"));
        for physical in folded.split_terminator("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{physical:?}");
        }
        let unfolded = folded.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn folding_splits_exactly_at_75_octets_then_74_plus_the_space() {
        let line = "X".repeat(75 + 74 + 1);
        let folded = fold_line(&line);
        let lines: Vec<&str> = folded.split_terminator("\r\n").collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].len(), 75);
        assert_eq!(lines[1].len(), 75);
        assert!(lines[1].starts_with(' '));
        assert_eq!(lines[2], " X");
        assert_eq!(
            fold_line(&"Y".repeat(75)),
            format!("{}\r\n", "Y".repeat(75))
        );
    }

    #[test]
    fn durations_follow_rfc_5545() {
        assert_eq!(format_duration(SignedDuration::ZERO), "PT0S");
        assert_eq!(format_duration(SignedDuration::from_mins(15)), "PT15M");
        assert_eq!(format_duration(-NEXT_SESSION_ALARM), "-P6DT15H");
        assert_eq!(format_duration(SignedDuration::from_hours(48)), "P2D");
        assert_eq!(format_duration(SignedDuration::from_secs(-61)), "-PT1M1S");
    }

    #[test]
    fn short_names_drop_details_and_keep_acronyms() {
        assert_eq!(
            short_name("Cleansers (anything but lukewarm water)"),
            "cleansers"
        );
        assert_eq!(
            short_name("Your regular (non-active) products"),
            "your regular products"
        );
        assert_eq!(short_name("UV filters"), "UV filters");
        assert_eq!(
            words::join(&["a".into(), "b".into(), "c".into()], "and"),
            "a, b and c"
        );
    }

    #[test]
    fn ids_are_checked() {
        let stamp = Timestamp::UNIX_EPOCH;
        assert!(matches!(
            Calendar::new("n", "d", "bad id", stamp),
            Err(CalendarError::Namespace(_))
        ));
        let mut calendar = Calendar::new("n", "d", "ok", stamp).unwrap();
        let event = CalendarEvent {
            id: "x-1".into(),
            when: EventTime::AllDay(jiff::civil::date(2026, 1, 1)),
            summary: "s".into(),
            description: "d".into(),
            alarm_before: SignedDuration::ZERO,
        };
        calendar.add(event.clone()).unwrap();
        assert_eq!(
            calendar.add(event.clone()),
            Err(CalendarError::DuplicateEvent("x-1".into()))
        );
        let bad = CalendarEvent {
            id: "x;1".into(),
            ..event
        };
        assert!(matches!(calendar.add(bad), Err(CalendarError::EventId(_))));
    }
}
