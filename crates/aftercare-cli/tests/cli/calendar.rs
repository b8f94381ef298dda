//! `aftercare plan --format ics` through the real binary: a well-formed feed on stdout, the same
//! bytes on every run, the options that shape it, and exit code 2 for options that do not fit.

use assert_cmd::Command;
use predicates::prelude::*;

fn aftercare() -> Command {
    let mut cmd = Command::cargo_bin("aftercare").unwrap();
    cmd.env("AFTERCARE_NOW", "2026-11-26T12:00:00Z");
    cmd
}

fn ics(extra: &[&str]) -> String {
    let output = aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-10-20 15:00",
            "--tz",
            "Europe/Berlin",
            "--format",
            "ics",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn count(feed: &str, line: &str) -> usize {
    feed.split("\r\n").filter(|l| *l == line).count()
}

#[test]
fn ics_format_prints_a_stable_well_formed_feed() {
    let feed = ics(&[]);
    assert!(
        feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//aftercare//plan//EN\r\n")
    );
    assert!(feed.ends_with("END:VCALENDAR\r\n"));
    assert!(feed.split_terminator("\r\n").all(|l| l.len() <= 75));
    let events = count(&feed, "BEGIN:VEVENT");
    // 4 milestones, 8 check-ins, 14 sunscreen reminders, the next session.
    assert_eq!(events, 4 + 8 + 14 + 1);
    assert_eq!(count(&feed, "BEGIN:VALARM"), events);
    assert!(feed.contains("UID:microneedling-20261020T130000Z-sunscreen-1@aftercare\r\n"));
    assert!(feed.contains("DTSTAMP:20261020T130000Z\r\n"));
    assert_eq!(feed, ics(&[]), "a second run gives the same bytes");
}

#[test]
fn sun_reminders_and_the_calendar_uid_shape_the_feed() {
    let feed = ics(&["--sun-reminders", "--calendar-uid", "clinic-42.t7"]);
    assert_eq!(count(&feed, "BEGIN:VEVENT"), 4 + 8 + 14 + 1 + 7 * 4);
    assert!(feed.contains("UID:clinic-42.t7-reapply-1-1000@aftercare\r\n"));
    // 21 Oct, 10:00 in Berlin (summer time) is 08:00 UTC.
    assert!(feed.contains("DTSTART:20261021T080000Z\r\n"));
    assert!(!feed.contains("microneedling-20261020T130000Z"));
}

#[test]
fn a_calendar_uid_that_cannot_be_part_of_a_uid_is_bad_input() {
    aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-10-20T15:00:00+02:00",
            "--format",
            "ics",
            "--calendar-uid",
            "my calendar",
        ])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--calendar-uid: calendar id 'my calendar'",
        ));
}

#[test]
fn calendar_options_without_ics_are_bad_input() {
    aftercare()
        .args([
            "plan",
            "--treated-at",
            "2026-10-20T15:00:00+02:00",
            "--sun-reminders",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only apply to --format ics"));
}
