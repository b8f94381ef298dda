//! The patient's calendar page: what subscribing gives, the form that issues a secret feed
//! link, and (once issued) the link as a `webcal://` subscription and an `https://` address.

use askama::Template;

use super::PatientNav;

/// The two forms of a feed URL: `webcal://` opens the calendar app, `https://` is for apps
/// that ask for an address (Google Calendar's "From URL").
#[derive(Debug, Clone)]
pub struct FeedUrls {
    /// `webcal://host/feed/{token}.ics`.
    pub webcal: String,
    /// `https://host/feed/{token}.ics` (or `http://` on a plain-HTTP install).
    pub https: String,
}

/// "Add to your calendar".
#[derive(Debug, Template)]
#[template(path = "patient/calendar.html")]
pub struct CalendarPage {
    /// Navigation.
    pub nav: PatientNav,
    /// "Day 3", or when the treatment is.
    pub day: String,
    /// The new feed link, right after it was issued (shown only then).
    pub urls: Option<FeedUrls>,
    /// Until when the new link works.
    pub expires: Option<String>,
    /// Whether the new link includes the reapplication reminders.
    pub reapply: bool,
    /// When the reminders ring, in words, from the feed's own schedule.
    pub reminders: ReminderWords,
}

/// The feed's reminder schedule in words, with its sources.
#[derive(Debug, Clone)]
pub struct ReminderWords {
    /// "each evening at 19:00 on days 1 to 7 and 14".
    pub check_ins: String,
    /// "each morning at 08:00 on days 1 to 14".
    pub sunscreen: String,
    /// "at 10:00, 12:00, 14:00 and 16:00 on days 1 to 7".
    pub reapply: String,
    /// Where the timings come from, as the treatment's protocol cites them.
    pub sources: String,
}

impl ReminderWords {
    /// The words for a schedule, with its sources as `protocol` cites them.
    pub fn of(
        schedule: &aftercare_core::calendar::ReminderSchedule,
        protocol: &aftercare_core::Protocol,
    ) -> Self {
        ReminderWords {
            check_ins: schedule.check_ins_in_words(),
            sunscreen: schedule.sunscreen_in_words(),
            reapply: schedule.reapply_in_words(),
            sources: aftercare_core::calendar::ReminderSchedule::sources_in(protocol),
        }
    }
}
