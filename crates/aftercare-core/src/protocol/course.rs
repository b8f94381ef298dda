//! The protocol's expected course (`[[expected_course]]`): for each rated symptom, the highest
//! 0-10 rating that is part of normal healing at a given hour, as sourced data. The healing
//! chart draws it as the "usual range" band behind the patient's own ratings.
//!
//! What belongs here: the validated type (`SymptomCourse`), reading the bound at an hour, and
//! turning the raw spec into it with errors that name the field. What does not: judging a
//! check-in (that is triage, which decides what to do; the course only illustrates it) and
//! building the chart (`crate::healing`).

use serde::Serialize;

use super::{
    SourceRef,
    spec::CourseSpec,
    validate::{SpecError, ValidationContext},
};
use crate::{
    Hours,
    triage::{CheckIn, Discharge, Level, Rating, Report, Symptom, TriageRules, triage_check_in},
};

/// One point of an expected course: at `hours` after treatment, ratings up to `at_most` are
/// part of the usual course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoursePoint {
    /// Hours after the treatment.
    pub hours: Hours,
    /// The highest usual rating at that hour.
    pub at_most: Rating,
}

/// The usual course of one rated symptom. Points are in strictly increasing order of hours and
/// there is at least one: between two points the bound changes linearly, from the last point
/// on it stays at the last value, and before the first point the protocol says nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SymptomCourse {
    /// The symptom.
    pub symptom: Symptom,
    /// What the usual course is, in one sentence.
    pub text: String,
    /// Where it comes from.
    pub source: SourceRef,
    /// Further sources.
    pub also: Vec<SourceRef>,
    points: Vec<CoursePoint>,
}

impl SymptomCourse {
    /// The points, in increasing order of hours (never empty).
    pub fn points(&self) -> &[CoursePoint] {
        &self.points
    }

    /// The highest usual rating `hours` after treatment (fractional hours), or `None` before
    /// the first point.
    pub fn at_most(&self, hours: f64) -> Option<f64> {
        let first = self.points.first()?;
        if hours < f64::from(first.hours.0) {
            return None;
        }
        let mut bound = f64::from(first.at_most.value());
        for pair in self.points.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let (h0, h1) = (f64::from(from.hours.0), f64::from(to.hours.0));
            if hours >= h1 {
                bound = f64::from(to.at_most.value());
                continue;
            }
            let (r0, r1) = (
                f64::from(from.at_most.value()),
                f64::from(to.at_most.value()),
            );
            return Some(r0 + (r1 - r0) * (hours - h0) / (h1 - h0));
        }
        Some(bound)
    }

    /// Every source: the main one first, then the others.
    pub fn citations(&self) -> Vec<&str> {
        std::iter::once(&self.source)
            .chain(&self.also)
            .map(|s| s.citation.as_str())
            .collect()
    }
}

/// Validates `[[expected_course]]`: known symptoms, each at most once, at least one point,
/// ratings 0-10, hours not negative and strictly increasing, known sources, and a usual range
/// that never holds a rating the protocol's own `triage` rules flag.
pub(super) fn validate_course(
    c: &ValidationContext<'_>,
    specs: &[CourseSpec],
    triage: &TriageRules,
) -> Result<Vec<SymptomCourse>, SpecError> {
    let mut courses: Vec<SymptomCourse> = Vec::new();
    for spec in specs {
        let symptom: Symptom =
            spec.symptom
                .get_ref()
                .parse()
                .map_err(|e: crate::vocabulary::UnknownId| {
                    c.error(spec.symptom.span(), format!("expected_course.symptom: {e}"))
                })?;
        if courses.iter().any(|course| course.symptom == symptom) {
            return Err(c.error(
                spec.symptom.span(),
                format!("expected_course.symptom: '{symptom}' is listed twice"),
            ));
        }
        let points = spec.points.get_ref();
        if points.is_empty() {
            return Err(c.error(
                spec.points.span(),
                format!("expected_course.points: the course of '{symptom}' has no points"),
            ));
        }
        let mut validated: Vec<CoursePoint> = Vec::with_capacity(points.len());
        for (index, point) in points.iter().enumerate() {
            let hours = c.hours(&point.hours).map_err(|e| SpecError {
                message: format!(
                    "expected_course.points[{index}].hours of '{symptom}': {}",
                    e.message
                ),
                ..e
            })?;
            if let Some(previous) = validated.last()
                && hours <= previous.hours
            {
                return Err(c.error(
                    point.hours.span(),
                    format!(
                        "expected_course.points[{index}].hours of '{symptom}': {hours} does not come after the previous point's {}; points go in increasing order of hours",
                        previous.hours
                    ),
                ));
            }
            let value = *point.at_most.get_ref();
            let at_most = u8::try_from(value)
                .ok()
                .and_then(Rating::new)
                .ok_or_else(|| {
                    c.error(
                        point.at_most.span(),
                        format!(
                            "expected_course.points[{index}].at_most of '{symptom}': {value} is outside 0-10"
                        ),
                    )
                })?;
            validated.push(CoursePoint { hours, at_most });
        }
        let course = SymptomCourse {
            symptom,
            text: c.readable(&spec.text)?,
            source: c.source(&spec.source)?,
            also: spec
                .also
                .iter()
                .map(|id| c.source(id))
                .collect::<Result<_, _>>()?,
            points: validated,
        };
        if let Some(flagged) = flagged_inside(&course, triage) {
            return Err(c.error(
                spec.points.span(),
                format!(
                    "expected_course.points of '{symptom}': the usual range holds {symptom} rated \
                     {} at {} h, which this protocol's triage rates '{}'; the chart must never \
                     call usual what triage flags, so lower at_most there",
                    flagged.rating, flagged.hours, flagged.level
                ),
            ));
        }
        courses.push(course);
    }
    Ok(courses)
}

/// A rating inside a course's usual range that triage does not call `expected`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Flagged {
    hours: f64,
    rating: u8,
    level: Level,
}

/// The first rating inside `course`'s usual range that `triage` would flag in a check-in
/// reporting only that rating. Triage rules are thresholds on a rating within time windows, so
/// it is enough to try the highest usual rating (rounded down) at every point of the course and
/// at every hour where a rule's window starts or ends, and half an hour before it.
fn flagged_inside(course: &SymptomCourse, triage: &TriageRules) -> Option<Flagged> {
    let mut hours: Vec<f64> = course.points.iter().map(|p| f64::from(p.hours.0)).collect();
    for bound in triage.window_bounds() {
        hours.push(f64::from(bound));
        hours.push(f64::from(bound) - 0.5);
    }
    hours.into_iter().find_map(|hours| {
        let rating = course.at_most(hours)?.floor() as u8;
        if rating == 0 {
            return None;
        }
        let report = Report::new(
            [course.symptom],
            [(course.symptom, Rating::clamped(rating))],
            None,
            Discharge::None,
        );
        let level = triage_check_in(triage, &CheckIn::at_hours(hours, report, Vec::new())).level;
        (level != Level::Expected).then_some(Flagged {
            hours,
            rating,
            level,
        })
    })
}

/// The course of `symptom` in `courses`, if the protocol has one.
pub fn course_of(courses: &[SymptomCourse], symptom: Symptom) -> Option<&SymptomCourse> {
    courses.iter().find(|c| c.symptom == symptom)
}

/// A course built directly, for tests elsewhere in the crate.
#[cfg(test)]
pub(crate) fn course_for_tests(symptom: Symptom, points: &[(u32, u8)]) -> SymptomCourse {
    SymptomCourse {
        symptom,
        text: format!("The usual course of {symptom}."),
        source: SourceRef {
            id: "ref.care_pathways.3_2".into(),
            citation: "Reference: care-pathways.md §3.2".into(),
        },
        also: Vec::new(),
        points: points
            .iter()
            .map(|(h, r)| CoursePoint {
                hours: Hours(*h),
                at_most: Rating::clamped(*r),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{default_protocol, load_default_edited};
    use crate::triage::{CheckIn, CheckInSpec, Level, triage_check_in};

    /// The default protocol with its expected course replaced by `course` (TOML).
    fn load_with_course(course: &str) -> Result<crate::Protocol, String> {
        load_default_edited("triage.toml", |text| {
            let start = text.find("[[expected_course]]").unwrap_or(text.len());
            format!("{}\n{course}", &text[..start])
        })
        .map_err(|e| e.to_string())
    }

    const VALID: &str = r#"
[[expected_course]]
symptom = "redness"
text = "Like a mild sunburn, then fading."
source = "ref.care_pathways.3_2"
also = ["guide.first_48_hours"]
points = [{ hours = 0, at_most = 6 }, { hours = 48, at_most = 4 }, { hours = 168, at_most = 0 }]
"#;

    #[test]
    fn a_valid_course_loads_with_its_sources() {
        let protocol = load_with_course(VALID).expect("valid");
        let [course] = protocol.expected_course.as_slice() else {
            panic!("one course expected, got {:?}", protocol.expected_course)
        };
        assert_eq!(course.symptom, Symptom::Redness);
        assert_eq!(course.points().len(), 3);
        assert_eq!(course.source.id, "ref.care_pathways.3_2");
        assert_eq!(course.also[0].id, "guide.first_48_hours");
        assert_eq!(course.citations().len(), 2);
    }

    #[test]
    fn a_protocol_without_a_course_loads_with_none() {
        let protocol = load_with_course("").expect("valid");
        assert!(protocol.expected_course.is_empty());
    }

    #[test]
    fn the_bound_is_linear_between_points_and_holds_after_the_last() {
        let protocol = load_with_course(VALID).expect("valid");
        let course = &protocol.expected_course[0];
        assert_eq!(course.at_most(0.0), Some(6.0));
        assert_eq!(course.at_most(24.0), Some(5.0));
        assert_eq!(course.at_most(48.0), Some(4.0));
        assert_eq!(course.at_most(108.0), Some(2.0));
        assert_eq!(course.at_most(168.0), Some(0.0));
        assert_eq!(course.at_most(1000.0), Some(0.0));
        let late = course_for_tests(Symptom::Pain, &[(24, 3)]);
        assert_eq!(late.at_most(23.9), None, "nothing before the first point");
        assert_eq!(late.at_most(24.0), Some(3.0));
        assert_eq!(late.at_most(500.0), Some(3.0));
    }

    fn refused(course: &str) -> String {
        load_with_course(course).expect_err("must be refused")
    }

    #[test]
    fn an_unknown_symptom_is_refused_naming_the_field() {
        let err = refused(&VALID.replace("\"redness\"", "\"rednes\""));
        assert!(
            err.contains("expected_course.symptom: unknown symptom 'rednes'"),
            "{err}"
        );
        assert!(err.starts_with("microneedling/triage.toml:"), "{err}");
    }

    #[test]
    fn a_symptom_listed_twice_is_refused() {
        let err = refused(&format!("{VALID}{VALID}"));
        assert!(
            err.contains("expected_course.symptom: 'redness' is listed twice"),
            "{err}"
        );
    }

    #[test]
    fn a_rating_outside_0_to_10_is_refused() {
        let err = refused(&VALID.replace("at_most = 4", "at_most = 11"));
        assert!(
            err.contains("expected_course.points[1].at_most of 'redness': 11 is outside 0-10"),
            "{err}"
        );
        let err = refused(&VALID.replace("at_most = 4", "at_most = -1"));
        assert!(err.contains("-1 is outside 0-10"), "{err}");
    }

    #[test]
    fn hours_that_do_not_increase_are_refused() {
        let err = refused(&VALID.replace("hours = 168", "hours = 48"));
        assert!(
            err.contains(
                "expected_course.points[2].hours of 'redness': 48 h does not come after the previous point's 48 h"
            ),
            "{err}"
        );
        let err = refused(&VALID.replace("hours = 48", "hours = -48"));
        assert!(
            err.contains("expected_course.points[1].hours of 'redness': -48 hours is negative"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_source_is_refused() {
        let err = refused(&VALID.replace("\"guide.first_48_hours\"", "\"guide.nowhere\""));
        assert!(err.contains("unknown source 'guide.nowhere'"), "{err}");
    }

    #[test]
    fn an_empty_course_and_an_unknown_key_are_refused() {
        let err = refused(&VALID.replace(
            "points = [{ hours = 0, at_most = 6 }, { hours = 48, at_most = 4 }, { hours = 168, at_most = 0 }]",
            "points = []",
        ));
        assert!(
            err.contains("expected_course.points: the course of 'redness' has no points"),
            "{err}"
        );
        let err = refused(&VALID.replace("at_most = 4", "at_most = 4, at_least = 1"));
        assert!(err.contains("unknown field `at_least`"), "{err}");
    }

    /// Every (symptom, rating, hour) inside the band that the protocol's own triage would not
    /// call `expected`: a single check-in rating one symptom at the band's upper bound (rounded
    /// down), every 3 hours of the first two weeks.
    fn flagged_inside_the_band(protocol: &crate::Protocol) -> Vec<String> {
        let treated: jiff::Timestamp = "2026-11-20T14:00:00Z".parse().expect("instant");
        let mut flagged = Vec::new();
        for course in &protocol.expected_course {
            for hour in (0..=24 * 14).step_by(3) {
                let Some(bound) = course.at_most(f64::from(hour)) else {
                    continue;
                };
                let rating = bound.floor() as u8;
                if rating == 0 {
                    continue;
                }
                let at = treated
                    .checked_add(jiff::SignedDuration::from_hours(i64::from(hour)))
                    .expect("instant");
                let spec = CheckInSpec {
                    treated_at: treated.to_string(),
                    at: at.to_string(),
                    ratings: [(course.symptom.id().to_owned(), f64::from(rating))]
                        .into_iter()
                        .collect(),
                    ..CheckInSpec::default()
                };
                let check_in = CheckIn::try_from(spec).expect("check-in");
                let result = triage_check_in(&protocol.triage, &check_in);
                if result.level != Level::Expected {
                    flagged.push(format!(
                        "{} rated {rating} at {hour} h: {:?}",
                        course.symptom, result.level
                    ));
                }
            }
        }
        flagged
    }

    /// The band never calls "usual" what triage would flag.
    #[test]
    fn the_default_course_agrees_with_the_default_triage_rules() {
        let protocol = default_protocol();
        assert_eq!(
            protocol.expected_course.len(),
            4,
            "redness, swelling, pain, itching"
        );
        assert_eq!(flagged_inside_the_band(protocol), Vec::<String>::new());

        // A band that claims too much is refused when the protocol loads, for any protocol:
        // pain of 7 is always flagged.
        let too_wide = load_with_course(
            r#"
[[expected_course]]
symptom = "pain"
text = "Too wide."
source = "ref.care_pathways.3_2"
points = [{ hours = 0, at_most = 7 }, { hours = 72, at_most = 0 }]
"#,
        )
        .expect_err("a band holding a flagged rating is refused");
        assert!(
            too_wide.contains("the usual range holds pain rated 7 at 0 h")
                && too_wide.contains("expected_course.points of 'pain'"),
            "{too_wide}"
        );
        // The validation's own search agrees with this sweep on the default protocol.
        for course in &protocol.expected_course {
            assert_eq!(flagged_inside(course, &protocol.triage), None);
        }
    }
}
