//! The plan: snapshots of what people read for several profiles, DST correctness, and the
//! properties every plan keeps (a phase a day, exact restriction ends, no self-contradiction).

use aftercare_core::{
    instant::{parse_instant, parse_time_zone},
    plan::{Plan, generate_plan, render_markdown, render_text},
    profile::{Area, Fitzpatrick, Profile, SkinType},
    protocol::default_protocol,
};
use proptest::prelude::*;

fn plan_for(treated_at: &str, tz: &str, profile: &Profile, days: u32) -> Plan {
    let tz = parse_time_zone(tz).unwrap();
    let at = parse_instant(treated_at, Some(&tz)).unwrap();
    generate_plan(default_protocol(), &at, profile, days).unwrap()
}

fn profile(skin: &[SkinType], areas: &[Area], fitzpatrick: Option<u8>) -> Profile {
    Profile {
        skin: skin.to_vec(),
        areas: areas.to_vec(),
        fitzpatrick: fitzpatrick.map(|f| Fitzpatrick::try_from(f).unwrap()),
    }
}

#[test]
fn sensitive_face_plan_reads_as_expected() {
    let plan = plan_for(
        "2026-11-26 15:00",
        "Europe/Berlin",
        &profile(&[SkinType::Sensitive], &[Area::Face], None),
        9,
    );
    insta::assert_snapshot!("sensitive_face_text", render_text(&plan));
    insta::assert_json_snapshot!("sensitive_face_json", plan);
}

#[test]
fn oily_back_plan_reads_as_expected() {
    let plan = plan_for(
        "2026-11-26 09:30",
        "America/New_York",
        &profile(&[SkinType::Oily], &[Area::Back], None),
        9,
    );
    insta::assert_snapshot!("oily_back_text", render_text(&plan));
}

#[test]
fn dry_neck_and_decollete_fitzpatrick_v_handout_reads_as_expected() {
    let plan = plan_for(
        "2026-11-26 11:00",
        "Europe/London",
        &profile(&[SkinType::Dry], &[Area::Neck, Area::Decollete], Some(5)),
        15,
    );
    insta::assert_snapshot!("dry_neck_decollete_v_markdown", render_markdown(&plan));
    let sun = plan
        .restrictions
        .iter()
        .find(|r| r.id == "sun_exposure")
        .unwrap();
    assert_eq!(
        sun.until_hours.0, 336,
        "Fitzpatrick V gets two weeks of sun avoidance"
    );
}

#[test]
fn without_a_fitzpatrick_type_the_general_sun_rule_applies() {
    let plan = plan_for("2026-11-26 11:00", "Europe/London", &Profile::default(), 3);
    let sun = plan
        .restrictions
        .iter()
        .find(|r| r.id == "sun_exposure")
        .unwrap();
    assert_eq!(sun.until_hours.0, 72);
}

#[test]
fn forty_eight_hours_stay_forty_eight_hours_when_berlin_leaves_summer_time() {
    // Europe/Berlin goes from +02:00 to +01:00 at 03:00 on Sun 25 Oct 2026.
    let plan = plan_for("2026-10-24 15:00", "Europe/Berlin", &Profile::default(), 3);
    assert_eq!(plan.treated_at, "2026-10-24T15:00:00+02:00");
    let makeup = plan.restrictions.iter().find(|r| r.id == "makeup").unwrap();
    assert_eq!(makeup.earliest, "2026-10-25T14:00:00+01:00");
    assert_eq!(makeup.until, "2026-10-26T14:00:00+01:00");
    assert_eq!(makeup.until_local, "Mon 26 Oct, 14:00");
    assert_eq!(plan.days[1].starts, "2026-10-25T14:00:00+01:00");
}

#[test]
fn forty_eight_hours_stay_forty_eight_hours_when_new_york_springs_forward() {
    // America/New_York goes from -05:00 to -04:00 at 02:00 on Sun 14 Mar 2027.
    let plan = plan_for(
        "2027-03-13 09:00",
        "America/New_York",
        &Profile::default(),
        3,
    );
    let cleanser = plan
        .restrictions
        .iter()
        .find(|r| r.id == "cleanser")
        .unwrap();
    assert_eq!(cleanser.until, "2027-03-15T10:00:00-04:00");
    assert_eq!(plan.days[2].date, "2027-03-15");
}

#[test]
fn a_local_time_in_the_spring_gap_is_refused_rather_than_moved() {
    let tz = parse_time_zone("America/New_York").unwrap();
    let error = parse_instant("2027-03-14 02:30", Some(&tz)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "'2027-03-14 02:30' does not exist in America/New_York: the clocks go forward then; \
         give the time after the change (an hour later)"
    );
    let at = parse_instant("2027-03-14 03:30", Some(&tz)).unwrap();
    assert_eq!(
        aftercare_core::instant::format_rfc3339(&at),
        "2027-03-14T03:30:00-04:00"
    );
}

#[test]
fn days_outside_the_range_are_refused() {
    let tz = parse_time_zone("UTC").unwrap();
    let at = parse_instant("2026-11-26 15:00", Some(&tz)).unwrap();
    assert!(generate_plan(default_protocol(), &at, &Profile::default(), 0).is_err());
    assert!(generate_plan(default_protocol(), &at, &Profile::default(), 367).is_err());
}

#[test]
fn the_first_day_has_the_gentle_routine_and_week_two_the_full_one() {
    let plan = plan_for("2026-11-26 15:00", "Europe/Berlin", &Profile::default(), 8);
    let day1 = &plan.days[0];
    assert_eq!(day1.phase, "first_48_hours");
    let steps: Vec<_> = day1.am.iter().map(|s| s.step).collect();
    assert_eq!(steps, ["cleanse", "serum", "moisturise", "sunscreen"]);
    assert!(day1.am[0].text.contains("lukewarm water"));
    assert!(day1.avoid.contains(&"makeup".to_owned()));
    assert!(day1.avoid.contains(&"retinoid".to_owned()));
    assert_eq!(plan.days[2].phase, "days_3_7");
    assert!(plan.days[2].am[0].text.contains("pH-balanced"));
    assert!(!plan.days[2].avoid.contains(&"makeup".to_owned()));
    assert_eq!(plan.days[7].phase, "week_2_onwards");
    assert!(!plan.days[7].avoid.contains(&"retinoid".to_owned()));
    assert!(
        plan.days[2]
            .milestones
            .iter()
            .any(|m| m.starts_with("Makeup: fine from Sat 28 Nov, 15:00"))
    );
    assert!(
        plan.days[1]
            .milestones
            .iter()
            .any(|m| m.starts_with("Makeup: possible from Fri 27 Nov, 15:00"))
    );
}

const ZONES: &[&str] = &[
    "Europe/Berlin",
    "America/New_York",
    "Australia/Sydney",
    "Asia/Kolkata",
    "UTC",
    "America/Santiago",
    "Pacific/Chatham",
];

fn any_profile() -> impl Strategy<Value = Profile> {
    (
        proptest::sample::subsequence(SkinType::ALL.to_vec(), 0..=2),
        proptest::sample::subsequence(Area::ALL.to_vec(), 0..=3),
        proptest::option::of(1u8..=6),
    )
        .prop_map(|(skin, areas, fitz)| Profile {
            skin,
            areas,
            fitzpatrick: fitz.map(|f| Fitzpatrick::try_from(f).unwrap()),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_plan_keeps_its_invariants(
        seconds in 1_600_000_000i64..1_900_000_000,
        zone in proptest::sample::select(ZONES),
        profile in any_profile(),
        days in 1u32..40,
    ) {
        let tz = parse_time_zone(zone).unwrap();
        let at = jiff::Timestamp::from_second(seconds).unwrap().to_zoned_datetime(tz);
        let protocol = default_protocol();
        let plan = generate_plan(protocol, &at, &profile, days).unwrap();
        prop_assert_eq!(plan.days.len() as u32, days);
        for (i, day) in plan.days.iter().enumerate() {
            prop_assert_eq!(day.day, i as u32 + 1);
            prop_assert!(protocol.phases.iter().any(|p| p.id == day.phase));
            prop_assert!(!day.am.is_empty() && !day.pm.is_empty());
            // No day's routine relies on something the same day forbids.
            let phase = protocol.phases.iter().find(|p| p.id == day.phase).unwrap();
            for step in phase.am.iter().chain(&phase.pm).filter(|s| s.window.contains(aftercare_core::Hours::start_of_day(day.day))) {
                for used in &step.uses {
                    prop_assert!(!day.avoid.contains(used), "day {} uses {} while avoiding it", day.day, used);
                }
            }
            // `avoid` is everything before its end (CONTRACT §6); of it, `better_later` is what is
            // already possible, and the rest is firmly off-limits.
            let start = aftercare_core::Hours::start_of_day(day.day);
            for r in protocol.restrictions_for(&profile) {
                let avoided = day.avoid.contains(&r.id);
                let later = day.better_later.contains(&r.id);
                let firm = day.firmly_avoided().contains(&r.id);
                prop_assert_eq!(avoided, r.until > start, "day {}: {}", day.day, &r.id);
                prop_assert!(!later || avoided, "day {}: {} is better later but not avoided", day.day, r.id);
                prop_assert_eq!(firm, r.earliest > start, "day {}: {}", day.day, &r.id);
                prop_assert_eq!(later, r.earliest <= start && r.until > start, "day {}: {}", day.day, &r.id);
            }
            // Days are contiguous 24-hour windows.
            let starts = parse_instant(&day.starts, None).unwrap().timestamp();
            let ends = parse_instant(&day.ends, None).unwrap().timestamp();
            prop_assert_eq!(ends.duration_since(starts).as_secs(), 24 * 3600);
        }
        // Every restriction ends exactly at the offset the protocol gives.
        for r in &plan.restrictions {
            let until = parse_instant(&r.until, None).unwrap().timestamp();
            prop_assert_eq!(until.duration_since(at.timestamp()).as_secs(), i64::from(r.until_hours.0) * 3600);
            let source = protocol.restrictions_for(&profile).into_iter().find(|p| p.id == r.id).unwrap();
            prop_assert_eq!(source.until, r.until_hours);
        }
    }
}

#[test]
fn every_line_of_the_text_plan_names_its_source() {
    let plan = plan_for(
        "2026-11-26 15:00",
        "Europe/Berlin",
        &profile(&[SkinType::Dry], &[Area::Face], None),
        14,
    );
    let text = render_text(&plan);
    let (body, sources) = text.split_once("\nSOURCES\n").expect("a SOURCES list");
    let listed: Vec<&str> = sources.lines().collect();
    // Every day's texts, with the number of their source.
    for day in &plan.days {
        let details = &day.details;
        for item in details
            .expect
            .iter()
            .chain(&details.tips)
            .chain(&details.milestones)
        {
            let number = listed
                .iter()
                .position(|line| line.ends_with(&format!("] {}", item.source)))
                .unwrap_or_else(|| panic!("{} is not listed", item.source))
                + 1;
            assert!(
                body.contains(&format!("{} [{number}]", item.text)),
                "{} without [{number}]",
                item.text
            );
        }
    }
    // And no number without its source.
    let used = body.matches(" [").count();
    assert!(used > 0);
    for (index, line) in listed.iter().enumerate() {
        assert!(line.starts_with(&format!("  [{}] ", index + 1)), "{line}");
    }
}
