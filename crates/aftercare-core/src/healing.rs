//! The healing chart's model (issue #10): a treatment's 0-10 ratings over the days, set against
//! the protocol's expected course (`[[expected_course]]`). A pure function of the check-ins,
//! the treatment instant and the protocol; drawing it (SVG, tables, words) is the caller's job.
//!
//! Time runs on the axis in **day positions**: `1 + hours / 24`, where `hours` are the elapsed
//! hours since the treatment instant (CONTRACT §1). The whole of recovery day N (hours
//! [24(N-1), 24N)) lies between positions N and N+1, so a check-in the pages label "Day 3"
//! is drawn between the ticks 3 and 4, and the treatment itself is at 1.
//!
//! What does not belong here: reading stored check-ins (the web crate), judging them (triage:
//! the expected course illustrates the usual course, it never decides what to do).

use std::collections::BTreeMap;

use jiff::{Timestamp, ZonedDateTime};

use crate::{
    Hours,
    hours::hours_between,
    protocol::{Protocol, SymptomCourse, course_of},
    triage::{Rating, Symptom},
};

/// The chart always reaches at least the end of the first week (168 h): the usual course
/// ends there (care-pathways.md §3.2, "resolve within ~7 days").
const MIN_HORIZON_HOURS: f64 = 168.0;

/// One check-in's ratings, as the chart needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedCheckIn {
    /// When the symptoms were observed.
    pub at: Timestamp,
    /// The 0-10 ratings given, by symptom (symptoms ticked without a rating are not drawn).
    pub ratings: BTreeMap<Symptom, Rating>,
}

/// The axis position of an instant `hours` after the treatment: `1 + hours / 24`.
pub fn day_position(hours: f64) -> f64 {
    1.0 + hours / 24.0
}

/// The healing chart of one treatment.
#[derive(Debug, Clone)]
pub struct HealingChart {
    /// The treatment instant, in the patient's time zone.
    pub treated_at: ZonedDateTime,
    /// One series per symptom rated at least once: the protocol's course order first, then
    /// CONTRACT §5 order.
    pub series: Vec<SymptomSeries>,
    /// One row per check-in with at least one rating, oldest first; cells follow `series`.
    pub rows: Vec<ChartRow>,
    /// Check-ins left out because they are dated before the treatment.
    pub before_treatment: usize,
    /// Whether the protocol has an expected course at all (a clinic's own may not).
    pub protocol_has_course: bool,
    /// Hours after treatment the chart reaches: at least the first week, and the day of the
    /// last check-in to its end.
    pub horizon_hours: f64,
}

/// The ratings of one symptom over time, and its usual course.
#[derive(Debug, Clone)]
pub struct SymptomSeries {
    /// The symptom.
    pub symptom: Symptom,
    /// The ratings given, oldest first.
    pub points: Vec<ObservedPoint>,
    /// The usual course, when the protocol has one for this symptom.
    pub expected: Option<ExpectedBand>,
}

/// One rating at one check-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservedPoint {
    /// Elapsed hours since the treatment.
    pub hours: f64,
    /// The recovery day (CONTRACT §1, 1-based).
    pub day: u32,
    /// The rating.
    pub rating: Rating,
    /// The highest usual rating at that moment, when the protocol says.
    pub usual_up_to: Option<u8>,
}

impl ObservedPoint {
    /// The axis position (`day_position(hours)`).
    pub fn position(&self) -> f64 {
        day_position(self.hours)
    }

    /// Whether the rating is above the usual range (false when there is none).
    pub fn above_usual(&self) -> bool {
        self.usual_up_to
            .is_some_and(|up_to| self.rating.value() > up_to)
    }
}

/// The usual range of a symptom, 0 up to an upper bound that changes over time.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedBand {
    /// The upper edge as (hours after treatment, highest usual rating) corners, from the
    /// course's first point to the chart's horizon; straight lines join them.
    pub corners: Vec<(f64, f64)>,
    /// What the usual course is, in one sentence.
    pub text: String,
    /// Where it comes from: "Reference: …", "Guide: …".
    pub citations: Vec<String>,
}

/// One check-in in the table.
#[derive(Debug, Clone)]
pub struct ChartRow {
    /// When, in the patient's time zone.
    pub at: ZonedDateTime,
    /// Elapsed hours since the treatment.
    pub hours: f64,
    /// The recovery day (CONTRACT §1).
    pub day: u32,
    /// One cell per series, in the same order.
    pub cells: Vec<ChartCell>,
}

/// One symptom at one check-in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ChartCell {
    /// The symptom.
    pub symptom: Symptom,
    /// The rating, if given at this check-in.
    pub rating: Option<Rating>,
    /// The highest usual rating at that moment, when the protocol says.
    pub usual_up_to: Option<u8>,
}

impl HealingChart {
    /// Whether there is nothing to draw: no check-in with a rating.
    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    /// The latest check-in with a rating, if any.
    pub fn latest(&self) -> Option<&ChartRow> {
        self.rows.last()
    }
}

/// The recovery day (1-based) that contains `hours` (never below 1), as [`Hours::day`] counts.
fn day_of(hours: f64) -> u32 {
    // Saturating float-to-int conversion: a negative offset lands on hour 0, an absurd one on
    // the last representable hour, never wraps.
    Hours(hours.floor() as u32).day()
}

/// The highest usual rating, rounded down to a whole rating (never promising more than the
/// course allows).
fn usual_up_to(course: Option<&SymptomCourse>, hours: f64) -> Option<u8> {
    course
        .and_then(|c| c.at_most(hours))
        .map(|bound| bound.floor().clamp(0.0, 10.0) as u8)
}

fn band(course: &SymptomCourse, horizon_hours: f64) -> Option<ExpectedBand> {
    let first = course.points().first()?;
    if f64::from(first.hours.0) > horizon_hours {
        return None;
    }
    let mut corners: Vec<(f64, f64)> = course
        .points()
        .iter()
        .map(|p| (f64::from(p.hours.0), f64::from(p.at_most.value())))
        .filter(|(hours, _)| *hours <= horizon_hours)
        .collect();
    if let Some(end) = course.at_most(horizon_hours)
        && corners
            .last()
            .is_some_and(|(hours, _)| *hours < horizon_hours)
    {
        corners.push((horizon_hours, end));
    }
    Some(ExpectedBand {
        corners,
        text: course.text.clone(),
        citations: course.citations().into_iter().map(str::to_owned).collect(),
    })
}

/// Builds the healing chart of a treatment at `treated_at` (in the patient's time zone) from
/// its check-ins (any order) and its protocol.
pub fn healing_chart(
    treated_at: &ZonedDateTime,
    check_ins: &[RatedCheckIn],
    protocol: &Protocol,
) -> HealingChart {
    let courses = &protocol.expected_course;
    let start = treated_at.timestamp();
    let mut rated: Vec<&RatedCheckIn> =
        check_ins.iter().filter(|c| !c.ratings.is_empty()).collect();
    rated.sort_by_key(|c| c.at);
    let before_treatment = rated.iter().filter(|c| c.at < start).count();
    rated.retain(|c| c.at >= start);

    let mut symptoms: Vec<Symptom> = rated
        .iter()
        .flat_map(|c| c.ratings.keys().copied())
        .collect();
    symptoms.sort_by_key(|s| {
        (
            courses
                .iter()
                .position(|c| c.symptom == *s)
                .unwrap_or(usize::MAX),
            Symptom::ALL
                .iter()
                .position(|a| a == s)
                .unwrap_or(usize::MAX),
        )
    });
    symptoms.dedup();

    let last_hours = rated
        .last()
        .map_or(0.0, |c| hours_between(start, c.at).max(0.0));
    let horizon_hours = (f64::from(day_of(last_hours)) * 24.0).max(MIN_HORIZON_HOURS);

    let rows: Vec<ChartRow> = rated
        .iter()
        .map(|c| {
            let hours = hours_between(start, c.at).max(0.0);
            ChartRow {
                at: c.at.to_zoned_datetime(treated_at.time_zone().clone()),
                hours,
                day: day_of(hours),
                cells: symptoms
                    .iter()
                    .map(|s| ChartCell {
                        symptom: *s,
                        rating: c.ratings.get(s).copied(),
                        usual_up_to: usual_up_to(course_of(courses, *s), hours),
                    })
                    .collect(),
            }
        })
        .collect();

    let series = symptoms
        .iter()
        .enumerate()
        .map(|(index, symptom)| {
            let course = course_of(courses, *symptom);
            SymptomSeries {
                symptom: *symptom,
                points: rows
                    .iter()
                    .filter_map(|row| {
                        let cell = row.cells.get(index)?;
                        Some(ObservedPoint {
                            hours: row.hours,
                            day: row.day,
                            rating: cell.rating?,
                            usual_up_to: cell.usual_up_to,
                        })
                    })
                    .collect(),
                expected: course.and_then(|c| band(c, horizon_hours)),
            }
        })
        .collect();

    HealingChart {
        treated_at: treated_at.clone(),
        series,
        rows,
        before_treatment,
        protocol_has_course: !courses.is_empty(),
        horizon_hours,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{course_for_tests, default_protocol};

    fn treated() -> ZonedDateTime {
        "2026-11-20T15:00:00+01:00[Europe/Berlin]"
            .parse()
            .expect("zoned")
    }

    fn check_in(hours: i64, ratings: &[(Symptom, u8)]) -> RatedCheckIn {
        RatedCheckIn {
            at: treated()
                .timestamp()
                .checked_add(jiff::SignedDuration::from_hours(hours))
                .expect("instant"),
            ratings: ratings
                .iter()
                .map(|(s, r)| (*s, Rating::new(*r).expect("rating")))
                .collect(),
        }
    }

    #[test]
    fn no_check_in_makes_an_empty_chart_that_still_reaches_the_first_week() {
        let chart = healing_chart(&treated(), &[], default_protocol());
        assert!(chart.is_empty());
        assert!(chart.rows.is_empty());
        assert!(chart.latest().is_none());
        assert_eq!(chart.horizon_hours, 168.0);
        assert!(chart.protocol_has_course);
    }

    #[test]
    fn check_ins_without_ratings_are_not_drawn() {
        let chart = healing_chart(&treated(), &[check_in(30, &[])], default_protocol());
        assert!(chart.is_empty());
    }

    #[test]
    fn ratings_become_points_in_day_positions_oldest_first() {
        let check_ins = [
            check_in(50, &[(Symptom::Redness, 3), (Symptom::Itching, 2)]),
            check_in(6, &[(Symptom::Redness, 6), (Symptom::Swelling, 2)]),
        ];
        let chart = healing_chart(&treated(), &check_ins, default_protocol());
        let ids: Vec<&str> = chart.series.iter().map(|s| s.symptom.id()).collect();
        assert_eq!(ids, ["redness", "swelling", "itching"], "course order");
        let redness = &chart.series[0];
        assert_eq!(redness.points.len(), 2);
        assert_eq!(redness.points[0].hours, 6.0);
        assert_eq!(redness.points[0].day, 1);
        assert_eq!(redness.points[0].position(), 1.25);
        assert_eq!(redness.points[1].day, 3, "hour 50 is day 3");
        assert_eq!(redness.points[1].rating.value(), 3);
        assert_eq!(chart.series[1].points.len(), 1, "swelling rated once");
        assert_eq!(chart.rows.len(), 2);
        assert_eq!(chart.rows[0].cells[2].rating, None, "no itching at hour 6");
        assert_eq!(chart.rows[1].cells[2].rating.map(Rating::value), Some(2));
        assert_eq!(
            chart.rows[0].at.strftime("%H:%M").to_string(),
            "21:00",
            "shown in the patient's time zone"
        );
    }

    #[test]
    fn the_usual_range_follows_the_protocol_and_flags_what_is_above_it() {
        let check_ins = [
            check_in(12, &[(Symptom::Redness, 5)]),
            check_in(180, &[(Symptom::Redness, 2)]),
        ];
        let chart = healing_chart(&treated(), &check_ins, default_protocol());
        let redness = &chart.series[0];
        let expected = redness.expected.as_ref().expect("a course for redness");
        assert!(expected.citations[0].starts_with("Reference: care-pathways.md §3.2"));
        assert!(!expected.text.is_empty());
        assert!(!redness.points[0].above_usual(), "5 on day 1 is usual");
        assert_eq!(redness.points[1].usual_up_to, Some(0));
        assert!(redness.points[1].above_usual(), "redness after a week");
        assert_eq!(chart.horizon_hours, 192.0, "to the end of day 8");
        assert_eq!(expected.corners.first(), Some(&(0.0, 7.0)));
        assert_eq!(expected.corners.last(), Some(&(192.0, 0.0)));
    }

    #[test]
    fn a_symptom_without_a_course_has_no_band_and_a_protocol_without_one_says_so() {
        let check_ins = [check_in(
            20,
            &[(Symptom::Tenderness, 4), (Symptom::Pain, 2)],
        )];
        let chart = healing_chart(&treated(), &check_ins, default_protocol());
        assert_eq!(chart.series[0].symptom, Symptom::Pain);
        assert!(chart.series[0].expected.is_some());
        assert_eq!(chart.series[1].symptom, Symptom::Tenderness);
        assert!(chart.series[1].expected.is_none());
        assert_eq!(chart.rows[0].cells[1].usual_up_to, None);

        let mut bare = default_protocol().clone();
        bare.expected_course.clear();
        let chart = healing_chart(&treated(), &check_ins, &bare);
        assert!(!chart.protocol_has_course);
        assert!(chart.series.iter().all(|s| s.expected.is_none()));
        assert!(!chart.series[0].points[0].above_usual());
    }

    #[test]
    fn a_band_starts_at_its_first_point_and_reaches_the_horizon() {
        let mut protocol = default_protocol().clone();
        protocol.expected_course = vec![course_for_tests(Symptom::Pain, &[(24, 4), (48, 2)])];
        let chart = healing_chart(
            &treated(),
            &[check_in(10, &[(Symptom::Pain, 3)])],
            &protocol,
        );
        let band = chart.series[0].expected.as_ref().expect("band");
        assert_eq!(band.corners, vec![(24.0, 4.0), (48.0, 2.0), (168.0, 2.0)]);
        assert_eq!(
            chart.series[0].points[0].usual_up_to, None,
            "before the course"
        );
    }

    #[test]
    fn check_ins_before_the_treatment_are_left_out_and_counted() {
        let check_ins = [
            check_in(-5, &[(Symptom::Redness, 2)]),
            check_in(5, &[(Symptom::Redness, 2)]),
        ];
        let chart = healing_chart(&treated(), &check_ins, default_protocol());
        assert_eq!(chart.before_treatment, 1);
        assert_eq!(chart.rows.len(), 1);
    }
}
