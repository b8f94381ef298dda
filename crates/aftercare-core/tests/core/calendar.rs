//! The calendar feed (issue #7): a byte-for-byte snapshot across the October DST change, an
//! independent parser (PyPI `icalendar`) reading it back, and the properties every feed keeps:
//! stable unique UIDs, one VALARM per event, lines of at most 75 octets ending in CRLF, and
//! reminders at the same local wall time whatever the clocks do.

use std::{
    io::Write as _,
    process::{Command, Stdio},
};

use aftercare_core::{
    calendar::{
        Calendar, CalendarError, CalendarEvent, CalendarOptions, EventTime, MAX_LINE_OCTETS,
        default_namespace, plan_calendar,
    },
    instant::{parse_instant, parse_time_zone},
    profile::{Fitzpatrick, Profile, SkinType},
    protocol::default_protocol,
};
use jiff::{SignedDuration, Timestamp, ToSpan, ZonedDateTime, civil::Time, tz::TimeZone};
use proptest::prelude::*;

fn treated(at: &str, tz: &str) -> ZonedDateTime {
    parse_instant(at, Some(&parse_time_zone(tz).unwrap())).unwrap()
}

fn feed(at: &ZonedDateTime, profile: &Profile, sun_reapplication: bool) -> Calendar {
    let protocol = default_protocol();
    let mut options = CalendarOptions::new(default_namespace(protocol, at));
    options.sun_reapplication = sun_reapplication;
    plan_calendar(protocol, at, profile, &options).unwrap()
}

/// The Berlin feed of the snapshot: treated five days before clocks go back (25 Oct 2026).
fn berlin_feed() -> Calendar {
    feed(
        &treated("2026-10-20 15:00", "Europe/Berlin"),
        &Profile::default(),
        true,
    )
}

/// The content lines, unfolded (RFC 5545 §3.1).
fn unfolded(ics: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for physical in ics.split_terminator("\r\n") {
        match physical.strip_prefix(' ') {
            Some(rest) => lines.last_mut().unwrap().push_str(rest),
            None => lines.push(physical.to_owned()),
        }
    }
    lines
}

fn event_start(event: &CalendarEvent) -> Timestamp {
    let start = match event.when {
        EventTime::At { start, .. } => Some(start),
        EventTime::AllDay(_) => None,
    };
    assert!(start.is_some(), "{} is all-day", event.id);
    start.unwrap()
}

fn local(event: &CalendarEvent, tz: &TimeZone) -> ZonedDateTime {
    event_start(event).to_zoned_datetime(tz.clone())
}

fn find<'a>(calendar: &'a Calendar, id: &str) -> &'a CalendarEvent {
    let found = calendar.events().iter().find(|e| e.id == id);
    assert!(found.is_some(), "no event {id}");
    found.unwrap()
}

/// Checks the shape every feed must have; returns the UIDs in order.
fn check_well_formed(ics: &str) -> Vec<String> {
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !ics.replace("\r\n", "").contains(['\r', '\n']),
        "bare CR or LF"
    );
    for physical in ics.split_terminator("\r\n") {
        assert!(
            physical.len() <= MAX_LINE_OCTETS,
            "{} octets: {physical:?}",
            physical.len()
        );
    }
    let lines = unfolded(ics);
    let mut uids = Vec::new();
    let mut alarms_in_event: Option<usize> = None;
    for line in &lines {
        match line.as_str() {
            "BEGIN:VEVENT" => alarms_in_event = Some(0),
            "BEGIN:VALARM" => *alarms_in_event.as_mut().expect("VALARM outside VEVENT") += 1,
            "END:VEVENT" => {
                assert_eq!(alarms_in_event.take(), Some(1), "one VALARM per VEVENT");
            }
            other => {
                if let Some(uid) = other.strip_prefix("UID:") {
                    uids.push(uid.to_owned());
                }
            }
        }
    }
    let mut unique = uids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), uids.len(), "duplicate UIDs");
    uids
}

#[test]
fn berlin_feed_across_the_october_dst_change_matches_the_snapshot_byte_for_byte() {
    let ics = berlin_feed().to_ics();
    check_well_formed(&ics);
    insta::assert_binary_snapshot!("berlin_dst_sun_reminders.ics", ics.into_bytes());
}

#[test]
fn the_feed_declares_itself_and_stamps_with_the_treatment_not_the_clock() {
    let ics = berlin_feed().to_ics();
    let lines = unfolded(&ics);
    for wanted in [
        "VERSION:2.0",
        "PRODID:-//aftercare//plan//EN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Microneedling aftercare (Tue 20 Oct 2026)",
    ] {
        assert!(lines.iter().any(|l| l == wanted), "missing {wanted}");
    }
    let stamps: Vec<&String> = lines.iter().filter(|l| l.starts_with("DTSTAMP")).collect();
    assert!(!stamps.is_empty());
    assert!(stamps.iter().all(|l| *l == "DTSTAMP:20261020T130000Z"));
    assert!(
        !ics.contains("TZID"),
        "instants are UTC; no VTIMEZONE needed"
    );
}

#[test]
fn sunscreen_stays_at_eight_local_across_the_dst_change() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    let calendar = feed(&at, &Profile::default(), true);
    let tz = at.time_zone();
    for day in 1..=14 {
        let event = find(&calendar, &format!("sunscreen-{day}"));
        let wall = local(event, tz);
        assert_eq!(wall.time(), Time::constant(8, 0, 0, 0), "day {day}");
        let date = jiff::civil::date(2026, 10, 20).checked_add(i64::from(day).days());
        assert_eq!(wall.date(), date.unwrap());
    }
    // 21 Oct is summer time (UTC+2), 26 Oct winter time (UTC+1).
    let summer = event_start(find(&calendar, "sunscreen-1"));
    let winter = event_start(find(&calendar, "sunscreen-6"));
    assert_eq!(summer.to_string(), "2026-10-21T06:00:00Z");
    assert_eq!(winter.to_string(), "2026-10-26T07:00:00Z");
    assert_eq!(
        local(find(&calendar, "checkin-14"), tz).to_string(),
        "2026-11-02T19:00:00+01:00[Europe/Berlin]"
    );
    let reapply = local(find(&calendar, "reapply-7-1600"), tz);
    assert_eq!(
        reapply.to_string(),
        "2026-10-27T16:00:00+01:00[Europe/Berlin]"
    );
}

#[test]
fn milestones_are_elapsed_hours_and_group_what_ends_together() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    let calendar = feed(&at, &Profile::default(), false);
    let ids: Vec<&str> = calendar
        .events()
        .iter()
        .map(|e| e.id.as_str())
        .filter(|id| id.starts_with("milestone-"))
        .collect();
    assert_eq!(
        ids,
        [
            "milestone-48",
            "milestone-72",
            "milestone-96",
            "milestone-168"
        ]
    );
    let day3 = find(&calendar, "milestone-48");
    assert_eq!(
        day3.summary,
        "Aftercare day 3: cleansers, makeup and strenuous exercise can come back"
    );
    assert!(
        day3.description
            .contains("Source: Guide: The First 48 Hours")
    );
    let week = find(&calendar, "milestone-168");
    assert!(
        week.summary
            .starts_with("Aftercare day 8: actives, irritants, peptides"),
        "{}",
        week.summary
    );
    assert!(week.description.contains("Retinoids"));
    assert!(
        week.description
            .contains("Source: Guide: Pause on Active Ingredients")
    );
    // 168 elapsed hours across the change: 15:00 summer time becomes 14:00 winter time.
    assert_eq!(
        local(week, at.time_zone()).to_string(),
        "2026-10-27T14:00:00+01:00[Europe/Berlin]"
    );
    assert_eq!(
        event_start(week).duration_since(at.timestamp()),
        SignedDuration::from_hours(168)
    );
}

#[test]
fn darker_phototypes_get_the_two_week_sun_milestone() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    let profile = Profile {
        fitzpatrick: Some(Fitzpatrick::try_from(5).unwrap()),
        ..Profile::default()
    };
    let calendar = feed(&at, &profile, false);
    let sun = find(&calendar, "milestone-336");
    assert_eq!(
        sun.summary,
        "Aftercare day 15: direct sun exposure can come back"
    );
    assert!(sun.description.contains("Fitzpatrick IV-VI"));
    assert!(
        calendar.events().iter().all(|e| e.id != "milestone-72"),
        "the longer wait replaces the shorter one"
    );
}

#[test]
fn the_next_session_is_an_all_day_event_after_the_protocol_interval() {
    let calendar = berlin_feed();
    let next = find(&calendar, "next-session");
    assert_eq!(
        next.when,
        EventTime::AllDay(jiff::civil::date(2026, 11, 17))
    );
    assert!(next.description.contains("4 weeks"));
    assert!(
        next.description
            .contains("Source: Reference: care-pathways.md §3.4")
    );
    let ics = calendar.to_ics();
    let lines = unfolded(&ics);
    assert!(lines.iter().any(|l| l == "DTSTART;VALUE=DATE:20261117"));
    assert!(lines.iter().any(|l| l == "TRIGGER:-P6DT15H"));
}

#[test]
fn reapplication_reminders_only_when_asked_and_only_in_the_first_week() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    let without = feed(&at, &Profile::default(), false);
    assert!(
        without
            .events()
            .iter()
            .all(|e| !e.id.starts_with("reapply-"))
    );
    let with = feed(&at, &Profile::default(), true);
    let reapply: Vec<&CalendarEvent> = with
        .events()
        .iter()
        .filter(|e| e.id.starts_with("reapply-"))
        .collect();
    assert_eq!(reapply.len(), 7 * 4);
    for event in reapply {
        let wall = local(event, at.time_zone());
        assert!([10, 12, 14, 16].contains(&wall.hour()), "{wall}");
        assert!(event.description.contains("Reapply every 2 hours"));
    }
    assert_eq!(
        without.events().len() + 28,
        with.events().len(),
        "nothing else changes"
    );
}

#[test]
fn a_reminder_in_a_spring_forward_gap_moves_forward_like_calendars_do() {
    let at = treated("2026-03-27 12:00", "Europe/Berlin");
    let protocol = default_protocol();
    let mut options = CalendarOptions::new("gap");
    options.schedule.check_in_at = Time::constant(2, 30, 0, 0);
    let calendar = plan_calendar(protocol, &at, &Profile::default(), &options).unwrap();
    // Day 1's 02:30 is on 28 Mar; day 2's would be 29 Mar 02:30, which does not exist.
    let day2 = local(find(&calendar, "checkin-2"), at.time_zone());
    assert_eq!(day2.to_string(), "2026-03-29T03:30:00+02:00[Europe/Berlin]");
}

#[test]
fn other_dated_events_join_the_feed_with_their_own_stable_uid() {
    let mut calendar = berlin_feed();
    let product = CalendarEvent {
        id: "product-p001".to_owned(),
        when: EventTime::At {
            start: "2026-10-29T09:00:00Z".parse().unwrap(),
            duration: SignedDuration::from_mins(15),
        },
        summary: "You can start using \"Night serum; retinol, 0.3%\" again".to_owned(),
        description: "One new product at a time.\nSource: Guide: Days 3-7".to_owned(),
        alarm_before: SignedDuration::from_mins(30),
    };
    calendar.add(product.clone()).unwrap();
    assert_eq!(
        calendar.add(product.clone()),
        Err(CalendarError::DuplicateEvent("product-p001".to_owned()))
    );
    let ics = calendar.to_ics();
    let uids = check_well_formed(&ics);
    assert!(uids.contains(&"microneedling-20261020T130000Z-product-p001@aftercare".to_owned()));
    let lines = unfolded(&ics);
    assert!(
        lines
            .iter()
            .any(|l| l == "SUMMARY:You can start using \"Night serum\\; retinol\\, 0.3%\" again")
    );
    assert!(lines.iter().any(|l| l == "TRIGGER:-PT30M"));
    let starts: Vec<Timestamp> = calendar
        .events()
        .iter()
        .filter(|e| matches!(e.when, EventTime::At { .. }))
        .map(event_start)
        .collect();
    assert!(starts.is_sorted(), "events stay in chronological order");
}

#[test]
fn a_namespace_that_cannot_be_part_of_a_uid_is_refused() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    for bad in ["", "a b", "semi;colon", "ü", &"x".repeat(65)] {
        let options = CalendarOptions::new(bad);
        assert_eq!(
            plan_calendar(default_protocol(), &at, &Profile::default(), &options).unwrap_err(),
            CalendarError::Namespace(bad.to_owned())
        );
    }
}

#[test]
fn the_check_in_link_and_the_warning_signs_are_in_every_check_in() {
    let at = treated("2026-10-20 15:00", "Europe/Berlin");
    let mut options = CalendarOptions::new("linked");
    options.check_in_link = Some("https://clinic.example/p/abc/check-in".to_owned());
    let calendar = plan_calendar(default_protocol(), &at, &Profile::default(), &options).unwrap();
    let check_ins: Vec<&CalendarEvent> = calendar
        .events()
        .iter()
        .filter(|e| e.id.starts_with("checkin-"))
        .collect();
    assert_eq!(check_ins.len(), 8);
    for event in check_ins {
        assert!(
            event
                .description
                .contains("https://clinic.example/p/abc/check-in")
        );
        assert!(
            event
                .description
                .contains("Call your local emergency number")
        );
        assert!(
            event
                .description
                .contains("Source: Guide: Know the Warning Signs")
        );
    }
}

/// Reads the feed with PyPI `icalendar` (an independent parser) and returns what it saw, or
/// `None` when Python or the package is missing outside CI.
fn parse_with_python_icalendar(ics: &str) -> Option<serde_json::Value> {
    const SCRIPT: &str = r#"
import json, sys
try:
    import icalendar
except ImportError:
    sys.exit(3)
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
errors = list(cal.errors)
events = []
for ev in cal.walk("VEVENT"):
    errors += list(ev.errors)
    alarms = [c for c in ev.subcomponents if c.name == "VALARM"]
    start = ev.decoded("DTSTART")
    events.append({
        "uid": str(ev["UID"]),
        "start": start.isoformat(),
        "duration_s": int(ev.decoded("DURATION").total_seconds()),
        "stamp": ev.decoded("DTSTAMP").isoformat(),
        "summary": str(ev["SUMMARY"]),
        "description": str(ev["DESCRIPTION"]),
        "alarms": len(alarms),
        "trigger_s": int(alarms[0].decoded("TRIGGER").total_seconds()) if alarms else None,
    })
print(json.dumps({
    "prodid": str(cal["PRODID"]),
    "method": str(cal["METHOD"]),
    "name": str(cal["X-WR-CALNAME"]),
    "errors": [str(e) for e in errors],
    "events": events,
}))
"#;
    let in_ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            assert!(
                !in_ci,
                "python3 is needed in CI to cross-check the feed: {e}"
            );
            eprintln!("skipped: python3 is not available ({e}); pip install icalendar");
            return None;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ics.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    if output.status.code() == Some(3) {
        assert!(
            !in_ci,
            "the Python package icalendar is missing in CI: pip install icalendar==7.*"
        );
        eprintln!("skipped: pip install icalendar (to cross-check the feed with Python)");
        return None;
    }
    assert!(
        output.status.success(),
        "icalendar could not read the feed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

#[test]
fn an_independent_parser_reads_back_every_event_exactly() {
    let mut calendar = berlin_feed();
    calendar
        .add(CalendarEvent {
            id: "product-p002".to_owned(),
            when: EventTime::At {
                start: "2026-10-29T09:00:00Z".parse().unwrap(),
                duration: SignedDuration::from_mins(15),
            },
            summary: "Back: «Crème riche», 50 ml; 😀 \\ done".to_owned(),
            description: "Line one,\nline two; ok\r\nthree".to_owned(),
            alarm_before: SignedDuration::ZERO,
        })
        .unwrap();
    let ics = calendar.to_ics();
    let Some(parsed) = parse_with_python_icalendar(&ics) else {
        return;
    };
    assert_eq!(parsed["errors"], serde_json::json!([]));
    assert_eq!(parsed["prodid"], "-//aftercare//plan//EN");
    assert_eq!(parsed["method"], "PUBLISH");
    assert_eq!(parsed["name"], calendar.name());
    let events = parsed["events"].as_array().unwrap();
    assert_eq!(events.len(), calendar.events().len());
    for (seen, event) in events.iter().zip(calendar.events()) {
        assert_eq!(seen["uid"], calendar.uid(&event.id));
        assert_eq!(seen["alarms"], 1, "{}", event.id);
        assert_eq!(seen["stamp"], "2026-10-20T13:00:00+00:00");
        assert_eq!(seen["summary"], event.summary.as_str());
        let description = event.description.replace("\r\n", "\n");
        assert_eq!(seen["description"], description.as_str(), "{}", event.id);
        assert_eq!(seen["trigger_s"], -event.alarm_before.as_secs());
        match event.when {
            EventTime::At { start, duration } => {
                let utc = start.to_zoned_datetime(TimeZone::UTC);
                assert_eq!(
                    seen["start"],
                    utc.strftime("%Y-%m-%dT%H:%M:%S+00:00").to_string()
                );
                assert_eq!(seen["duration_s"], duration.as_secs());
            }
            EventTime::AllDay(date) => {
                assert_eq!(seen["start"], date.to_string());
                assert_eq!(seen["duration_s"], 86_400);
            }
        }
    }
}

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "America/Sao_Paulo",
    "UTC",
];

prop_compose! {
    fn any_treatment()(
        zone in 0..ZONES.len(),
        minutes in 0i64..(2 * 366 * 24 * 60),
    ) -> ZonedDateTime {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let tz = parse_time_zone(ZONES[zone]).unwrap();
        start
            .checked_add(SignedDuration::from_mins(minutes))
            .unwrap()
            .to_zoned_datetime(tz)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_feed_is_well_formed_stable_and_on_local_wall_time(
        at in any_treatment(),
        fitzpatrick in proptest::option::of(1u8..=6),
        sensitive in any::<bool>(),
        sun in any::<bool>(),
    ) {
        let profile = Profile {
            skin: if sensitive { vec![SkinType::Sensitive] } else { vec![] },
            areas: vec![],
            fitzpatrick: fitzpatrick.map(|f| Fitzpatrick::try_from(f).unwrap()),
        };
        let first = feed(&at, &profile, sun);
        let ics = first.to_ics();
        // Stable: a second generation (a feed refresh) is byte-for-byte the same.
        prop_assert_eq!(&ics, &feed(&at, &profile, sun).to_ics());
        let uids = check_well_formed(&ics);
        prop_assert_eq!(uids.len(), first.events().len());

        let tz = at.time_zone();
        let treated = at.timestamp();
        for event in first.events() {
            let EventTime::At { start, .. } = event.when else { continue };
            let wall = start.to_zoned_datetime(tz.clone());
            let hours = start.duration_since(treated).as_secs() as f64 / 3600.0;
            if let Some(h) = event.id.strip_prefix("milestone-") {
                let h: u32 = h.parse().unwrap();
                prop_assert_eq!(start.duration_since(treated), SignedDuration::from_hours(h.into()));
            } else if let Some(day) = event.id.strip_prefix("checkin-") {
                let day: f64 = day.parse().unwrap();
                prop_assert_eq!(wall.time(), Time::constant(19, 0, 0, 0));
                // In recovery day N, give or take one DST shift.
                prop_assert!(hours >= 24.0 * (day - 1.0) - 1.0 && hours < 24.0 * day + 1.0,
                    "{} at {} h", event.id, hours);
            } else if let Some(day) = event.id.strip_prefix("sunscreen-") {
                let day: f64 = day.parse().unwrap();
                prop_assert_eq!(wall.time(), Time::constant(8, 0, 0, 0));
                prop_assert!(hours >= 24.0 * (day - 1.0) - 1.0 && hours < 24.0 * day + 1.0,
                    "{} at {} h", event.id, hours);
            } else if event.id.starts_with("reapply-") {
                prop_assert!(sun);
                prop_assert!([10, 12, 14, 16].contains(&wall.hour()) && wall.minute() == 0);
            }
            prop_assert!(start >= treated, "{} before the treatment", event.id);
        }
        let sunscreen_days = first.events().iter().filter(|e| e.id.starts_with("sunscreen-")).count();
        prop_assert_eq!(sunscreen_days, 14);
    }
}
