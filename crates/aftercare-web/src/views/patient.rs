//! Pages of the patient side (reached through a patient link, no account): Today, the full
//! plan (also printable), the check-in form and its result, the product checker, and the FAQ
//! with the myths.

use askama::Template;

use super::{
    FieldErrors, PatientNav,
    clinic::{Choice, LevelView},
};

/// A text with its source.
#[derive(Debug, Clone)]
pub struct SourcedView {
    /// What people read.
    pub text: String,
    /// "Guide: …" or "Reference: …".
    pub source: String,
}

/// A routine step.
#[derive(Debug, Clone)]
pub struct StepView {
    /// "Cleanse", "Serum", …
    pub step: String,
    /// What to do.
    pub text: String,
    /// Source.
    pub source: String,
}

/// Something off-limits, and until when.
#[derive(Debug, Clone)]
pub struct RestrictionView {
    /// What.
    pub name: String,
    /// "until Sat 28 Nov, 15:00" or "not before …, better from …".
    pub until: String,
    /// Why.
    pub reason: String,
    /// What to do afterwards.
    pub after: Option<String>,
    /// Source.
    pub source: String,
}

/// Seven days of the plan: week 1 is days 1-7, counted from the treatment.
#[derive(Debug, Clone)]
pub struct WeekView {
    /// Week number, from 1.
    pub number: u32,
    /// The days of this week that the plan covers.
    pub days: Vec<DayView>,
}

impl WeekView {
    /// Groups consecutive days into weeks of seven (days 1-7, 8-14, ...), in order.
    pub fn group(days: Vec<DayView>) -> Vec<WeekView> {
        let mut weeks: Vec<WeekView> = Vec::new();
        for day in days {
            let number = day.day.saturating_sub(1) / 7 + 1;
            match weeks.last_mut() {
                Some(week) if week.number == number => week.days.push(day),
                _ => weeks.push(WeekView {
                    number,
                    days: vec![day],
                }),
            }
        }
        weeks
    }
}

/// One day of the plan.
#[derive(Debug, Clone)]
pub struct DayView {
    /// Day number.
    pub day: u32,
    /// When the day runs: "Thu 26 Nov 2026", or "Thu 26 Nov, 08:10 – Fri 27 Nov, 08:10" for a
    /// day that does not start at midnight.
    pub date: String,
    /// Phase name.
    pub phase: String,
    /// Morning routine.
    pub am: Vec<StepView>,
    /// Evening routine.
    pub pm: Vec<StepView>,
    /// What to expect.
    pub expect: Vec<SourcedView>,
    /// Still off-limits at the start of the day (names).
    pub avoid: Vec<String>,
    /// Possible from the start of the day, but better later (names).
    pub better_later: Vec<String>,
    /// Tips.
    pub tips: Vec<SourcedView>,
    /// What changes during the day, with sources.
    pub milestones: Vec<SourcedView>,
    /// Whether the recovery day is running now.
    pub is_today: bool,
}

/// The always-shown notices.
#[derive(Debug, Clone)]
pub struct NoticesView {
    /// Emergency.
    pub emergency: SourcedView,
    /// When to contact the practitioner.
    pub contact: SourcedView,
    /// The plan supports the practitioner.
    pub disclaimer: SourcedView,
}

/// Today.
#[derive(Debug, Template)]
#[template(path = "patient/today.html")]
pub struct TodayPage {
    /// Navigation.
    pub nav: PatientNav,
    /// "Your treatment is on …" before it happens.
    pub not_started: Option<String>,
    /// The day shown.
    pub day: DayView,
    /// What the phase is about.
    pub phase_summary: String,
    /// Off-limits right now.
    pub off_limits: Vec<RestrictionView>,
    /// Possible now, but better later (past their earliest hour, before their end).
    pub better_later: Vec<RestrictionView>,
    /// Advice for the patient's skin type.
    pub skin_advice: Vec<SourcedView>,
    /// The last check-in's level, if any.
    pub last_check_in: Option<LevelView>,
    /// The products coming back and today's routine from the shelf (issue #9), if any.
    pub shelf: Option<super::shelf::ShelfTodayView>,
    /// The healing chart and its text alternative (issue #10).
    pub chart: crate::chart::ChartView,
    /// Notices.
    pub notices: NoticesView,
}

/// The full plan (also the printable one).
#[derive(Debug, Template)]
#[template(path = "patient/plan.html")]
pub struct PlanPage {
    /// Navigation.
    pub nav: PatientNav,
    /// Name or initials.
    pub patient_label: String,
    /// When treated.
    pub treated: String,
    /// Protocol title and version.
    pub protocol: String,
    /// Every restriction with its end.
    pub restrictions: Vec<RestrictionView>,
    /// The days, a week at a time (a printed handout starts each week on a new page).
    pub weeks: Vec<WeekView>,
    /// How to apply products.
    pub application: Vec<SourcedView>,
    /// Advice for the skin type.
    pub skin_advice: Vec<SourcedView>,
    /// The next session.
    pub next_session: String,
    /// Notices.
    pub notices: NoticesView,
    /// The printable handout (no navigation, a print hint).
    pub printable: bool,
}

/// A question and answer.
#[derive(Debug, Clone)]
pub struct FaqView {
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: String,
    /// Source.
    pub source: String,
}

/// The FAQ and the myths.
#[derive(Debug, Template)]
#[template(path = "patient/faq.html")]
pub struct FaqPage {
    /// Navigation.
    pub nav: PatientNav,
    /// Questions.
    pub faq: Vec<FaqView>,
    /// Myths (question = the myth, answer = the facts).
    pub myths: Vec<FaqView>,
}

/// A group of check-in questions.
#[derive(Debug, Clone)]
pub struct QuestionGroupView {
    /// Group id.
    pub id: &'static str,
    /// The question.
    pub legend: String,
    /// Whether these are emergency signs.
    pub emergency: bool,
    /// The checkboxes.
    pub items: Vec<Choice>,
}

/// A 0-10 rating question.
#[derive(Debug, Clone)]
pub struct RatingView {
    /// Form field name and id.
    pub field: String,
    /// The question.
    pub question: &'static str,
    /// As typed.
    pub value: String,
}

/// The check-in form.
#[derive(Debug, Template)]
#[template(path = "patient/check_in.html")]
pub struct CheckInPage {
    /// Navigation.
    pub nav: PatientNav,
    /// "Day 3".
    pub day: String,
    /// The question groups.
    pub groups: Vec<QuestionGroupView>,
    /// Ratings.
    pub ratings: Vec<RatingView>,
    /// Temperature typed.
    pub temperature: String,
    /// Discharge choices.
    pub discharge: Vec<Choice>,
    /// What to fix.
    pub errors: FieldErrors,
}

/// A reason on the result page.
#[derive(Debug, Clone)]
pub struct ReasonView {
    /// Its level.
    pub level: LevelView,
    /// What it says.
    pub message: String,
    /// Source.
    pub source: String,
}

/// Who to contact.
#[derive(Debug, Clone)]
pub struct ContactView {
    /// The practitioner's name.
    pub practitioner: String,
    /// The clinic's name.
    pub clinic: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Address.
    pub address: String,
}

/// The result of a check-in.
#[derive(Debug, Template)]
#[template(path = "patient/check_in_result.html")]
pub struct CheckInResultPage {
    /// Navigation.
    pub nav: PatientNav,
    /// When observed.
    pub at: String,
    /// The level.
    pub level: LevelView,
    /// The headline for the level.
    pub headline: String,
    /// What to do at this level.
    pub action: String,
    /// Every rule that fired.
    pub reasons: Vec<ReasonView>,
    /// Advice.
    pub advice: Vec<String>,
    /// Contact details, for anything above `expected`.
    pub contact: Option<ContactView>,
    /// The emergency notice.
    pub emergency: SourcedView,
}

/// One ingredient of a checked product.
#[derive(Debug, Clone)]
pub struct IngredientView {
    /// As written on the label.
    pub input: String,
    /// What it was recognised as.
    pub name: String,
    /// Categories.
    pub categories: String,
    /// `ok`, `recommended`, `caution`, `wait` or `unknown`.
    pub status: String,
    /// Why.
    pub reason: String,
    /// Where the reason comes from (none for a plain "recognised" or "not recognised").
    pub source: Option<String>,
}

/// A rule about the kind of product (cleanser, makeup) and what it says now.
#[derive(Debug, Clone)]
pub struct ProductRuleView {
    /// "Makeup".
    pub name: String,
    /// `ok`, `caution` or `wait`.
    pub status: String,
    /// Why, in the protocol's words.
    pub reason: String,
    /// Where it comes from.
    pub source: String,
}

/// The verdict for a product.
#[derive(Debug, Clone)]
pub struct ProductResultView {
    /// `ok`, `caution`, `wait` or `unknown`.
    pub verdict: String,
    /// The verdict in a sentence.
    pub headline: String,
    /// The rules about this kind of product, when its kind was given.
    pub product_rules: Vec<ProductRuleView>,
    /// Each ingredient.
    pub ingredients: Vec<IngredientView>,
    /// The claims, directions and notes that were not read as ingredients, quoted.
    pub left_out: Vec<String>,
}

/// The product checker.
#[derive(Debug, Template)]
#[template(path = "patient/products.html")]
pub struct ProductsPage {
    /// Navigation.
    pub nav: PatientNav,
    /// "Day 3".
    pub day: String,
    /// The list as pasted.
    pub text: String,
    /// Product type options.
    pub types: Vec<Choice>,
    /// What to fix.
    pub errors: FieldErrors,
    /// The verdict, after a check.
    pub result: Option<ProductResultView>,
}
