//! Reading and showing instants the way CONTRACT §1 says: RFC 3339 with an offset, or a local
//! `YYYY-MM-DD HH:MM` with an IANA time zone; boundaries shown as "Sat 28 Nov, 15:00".

use jiff::{
    Timestamp, ZonedDateTime,
    civil::DateTime,
    tz::{AmbiguousOffset, TimeZone},
};

/// Why an instant or a time zone could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InstantError {
    /// The time zone is not a known IANA name.
    #[error("unknown time zone '{0}' (use an IANA name such as Europe/Berlin)")]
    UnknownTimeZone(String),
    /// The text is neither RFC 3339 nor `YYYY-MM-DD HH:MM`.
    #[error(
        "'{0}' is not a valid time: use RFC 3339 (2026-11-26T15:00:00+01:00) or 'YYYY-MM-DD HH:MM' with --tz"
    )]
    Malformed(String),
    /// A local time without an offset needs a time zone to mean an instant.
    #[error(
        "'{0}' has no UTC offset: add a time zone (--tz Europe/Berlin) or write it as RFC 3339"
    )]
    NeedsTimeZone(String),
    /// A local time the clocks skip (spring forward) in that zone.
    #[error(
        "'{0}' does not exist in {1}: the clocks go forward then; give the time after the change \
         (an hour later)"
    )]
    SkippedLocalTime(String, String),
    /// A local time that happens twice (the clocks go back) in that zone.
    #[error(
        "'{0}' happens twice in {1}: the clocks go back then; give it with its UTC offset \
         (RFC 3339, such as 2026-10-25T02:30:00+02:00)"
    )]
    RepeatedLocalTime(String, String),
    /// A year no treatment or check-in can have (a typo such as 2062 is still accepted).
    #[error("'{0}' is outside the years {first} to {last}", first = YEARS.start(), last = YEARS.end())]
    OutOfRange(String),
}

/// The years an instant may fall in: wide enough for any record, narrow enough to catch
/// nonsense such as the year 9999 or 2400.
pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;

/// Looks up an IANA time zone in the bundled database.
pub fn parse_time_zone(name: &str) -> Result<TimeZone, InstantError> {
    TimeZone::get(name.trim()).map_err(|_| InstantError::UnknownTimeZone(name.to_owned()))
}

/// Reads an instant given as RFC 3339, or as local `YYYY-MM-DD HH:MM[:SS]` in `tz`.
///
/// With a time zone, an RFC 3339 instant is shown in that zone; without one it keeps its own
/// fixed offset. A local time that does not exist (a DST gap) or happens twice (a fold) is
/// refused, with what to give instead.
pub fn parse_instant(text: &str, tz: Option<&TimeZone>) -> Result<ZonedDateTime, InstantError> {
    let text = text.trim();
    if !offsets_within_a_day(text) {
        return Err(InstantError::Malformed(text.to_owned()));
    }
    let offset = offset_suffix(text);
    let zoned = if let Ok(ts) = text.parse::<Timestamp>() {
        let zone = match tz {
            Some(tz) => tz.clone(),
            None => fixed_offset_of(text).unwrap_or(TimeZone::UTC),
        };
        ts.to_zoned_datetime(zone)
    } else {
        let local = text.replacen(' ', "T", 1);
        let civil: DateTime = local
            .parse()
            .map_err(|_| InstantError::Malformed(text.to_owned()))?;
        if offset.is_some() {
            // A date and time with an offset that is no timestamp: beyond the range of times.
            return Err(InstantError::OutOfRange(text.to_owned()));
        }
        let tz = tz.ok_or_else(|| InstantError::NeedsTimeZone(text.to_owned()))?;
        // A local time the clocks skip or repeat is refused rather than moved: an hour off
        // would shift every boundary of the plan.
        let zone_name = || tz.iana_name().unwrap_or("this time zone").to_owned();
        let ambiguous = tz.to_ambiguous_zoned_datetime(civil);
        match ambiguous.offset() {
            AmbiguousOffset::Gap { .. } => {
                return Err(InstantError::SkippedLocalTime(text.to_owned(), zone_name()));
            }
            AmbiguousOffset::Fold { .. } => {
                return Err(InstantError::RepeatedLocalTime(
                    text.to_owned(),
                    zone_name(),
                ));
            }
            AmbiguousOffset::Unambiguous { .. } => ambiguous
                .unambiguous()
                .map_err(|_| InstantError::Malformed(text.to_owned()))?,
        }
    };
    // The year of the instant itself (in UTC), whatever zone it is shown in.
    if !YEARS.contains(&zoned.timestamp().to_zoned_datetime(TimeZone::UTC).year()) {
        return Err(InstantError::OutOfRange(text.to_owned()));
    }
    Ok(zoned)
}

/// Whether every UTC offset written in `text` (after the time, or in a `[…]` annotation) is
/// under a day: RFC 3339 offsets go up to ±23:59, while jiff reads up to ±25:59:59 in every
/// spelling (`+25:00`, `+2500`, `+25`). A text jiff cannot read as a date and time passes: the
/// parsing itself refuses it.
fn offsets_within_a_day(text: &str) -> bool {
    use jiff::fmt::temporal::{Pieces, PiecesOffset, TimeZoneAnnotationKind};
    let Ok(pieces) = Pieces::parse(text) else {
        return true;
    };
    let within = |offset: jiff::tz::Offset| offset.seconds().unsigned_abs() < 24 * 3600;
    let written = match pieces.offset() {
        Some(PiecesOffset::Numeric(numeric)) => within(numeric.offset()),
        _ => true,
    };
    let annotated = match pieces.time_zone_annotation().map(|a| a.kind()) {
        Some(TimeZoneAnnotationKind::Offset(offset)) => within(*offset),
        _ => true,
    };
    written && annotated
}

/// The fixed offset written in an RFC 3339 string, so that output keeps the user's offset.
fn fixed_offset_of(text: &str) -> Option<TimeZone> {
    let zoned: ZonedDateTime = format!("{text}[{}]", offset_suffix(text)?).parse().ok()?;
    Some(zoned.time_zone().clone())
}

fn offset_suffix(text: &str) -> Option<String> {
    if text.ends_with('Z') || text.ends_with('z') {
        return Some("UTC".into());
    }
    let tail = text.get(text.len().checked_sub(6)?..)?;
    let bytes = tail.as_bytes();
    let is_offset = (bytes[0] == b'+' || bytes[0] == b'-') && bytes[3] == b':';
    is_offset.then(|| tail.to_owned())
}

/// An instant as RFC 3339 with its offset, e.g. `2026-12-03T15:00:00+01:00`.
pub fn format_rfc3339(at: &ZonedDateTime) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// An instant the way a person reads it on a plan: `Thu 3 Dec, 15:00`.
pub fn format_local(at: &ZonedDateTime) -> String {
    at.strftime("%a %-d %b, %H:%M").to_string()
}

/// A date the way a person reads it: `Thu 3 Dec 2026`.
pub fn format_local_date(at: &ZonedDateTime) -> String {
    at.strftime("%a %-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_keeps_its_offset_without_a_zone() {
        let at = parse_instant("2026-11-26T15:00:00+01:00", None).unwrap();
        assert_eq!(format_rfc3339(&at), "2026-11-26T15:00:00+01:00");
    }

    #[test]
    fn local_time_needs_a_zone() {
        assert!(matches!(
            parse_instant("2026-11-26 15:00", None),
            Err(InstantError::NeedsTimeZone(_))
        ));
        let berlin = parse_time_zone("Europe/Berlin").unwrap();
        let at = parse_instant("2026-11-26 15:00", Some(&berlin)).unwrap();
        assert_eq!(format_rfc3339(&at), "2026-11-26T15:00:00+01:00");
        assert_eq!(format_local(&at), "Thu 26 Nov, 15:00");
    }

    #[test]
    fn years_outside_the_range_and_offsets_beyond_23_hours_are_refused() {
        for text in [
            "9999-12-31T23:00:00+00:00",
            "2400-01-01T00:00:00+00:00",
            "1899-12-31T12:00:00Z",
        ] {
            let error = parse_instant(text, None).unwrap_err();
            assert_eq!(error, InstantError::OutOfRange(text.to_owned()));
            assert!(error.to_string().contains("outside the years 1900 to 2200"));
        }
        let berlin = parse_time_zone("Europe/Berlin").unwrap();
        assert!(matches!(
            parse_instant("2400-01-01 10:00", Some(&berlin)),
            Err(InstantError::OutOfRange(_))
        ));
        for beyond in [
            "2026-11-20T15:00:00+25:00",
            "2026-11-20T15:00:00+2500",
            "2026-11-20T15:00:00+25",
            "2026-11-20T15:00:00-2559",
            "2026-11-20T15:00:00+01:00[+25:00]",
        ] {
            assert!(
                matches!(parse_instant(beyond, None), Err(InstantError::Malformed(_))),
                "{beyond}"
            );
        }
        assert!(parse_instant("2026-11-20T15:00:00+23:00", None).is_ok());
        assert!(parse_instant("2026-11-20T15:00:00-00:00", None).is_ok());
        assert!(parse_instant("2026-11-20t15:00:00z", None).is_ok());
        // The range is of the instant, not of the zone it is shown in.
        let berlin = parse_time_zone("Europe/Berlin").unwrap();
        assert!(parse_instant("2200-12-31T23:00:00Z", None).is_ok());
        assert!(parse_instant("2200-12-31T23:00:00Z", Some(&berlin)).is_ok());
        assert!(parse_instant("1900-01-01T00:30:00+01:00", None).is_err());
    }

    #[test]
    fn local_times_the_clocks_skip_or_repeat_are_refused() {
        let berlin = parse_time_zone("Europe/Berlin").unwrap();
        let skipped = parse_instant("2026-03-29 02:30", Some(&berlin)).unwrap_err();
        assert_eq!(
            skipped,
            InstantError::SkippedLocalTime("2026-03-29 02:30".into(), "Europe/Berlin".into())
        );
        assert!(skipped.to_string().contains("the clocks go forward"));
        let repeated = parse_instant("2026-10-25 02:30", Some(&berlin)).unwrap_err();
        assert!(matches!(repeated, InstantError::RepeatedLocalTime(..)));
        // With its offset, the repeated hour is exact; the hours around the change are fine.
        assert!(parse_instant("2026-10-25T02:30:00+02:00", Some(&berlin)).is_ok());
        assert!(parse_instant("2026-03-29 03:30", Some(&berlin)).is_ok());
        assert!(parse_instant("2026-03-29 01:59", Some(&berlin)).is_ok());
    }

    #[test]
    fn nonsense_is_malformed_and_unknown_zones_are_named() {
        assert!(matches!(
            parse_instant("yesterday", None),
            Err(InstantError::Malformed(_))
        ));
        assert_eq!(
            parse_time_zone("Mars/Olympus").unwrap_err().to_string(),
            "unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)"
        );
    }
}
