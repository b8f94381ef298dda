//! The safety floor: the red flags of CONTRACT §5 and the lowest level each must get, checked
//! against any set of triage rules before they are accepted. A clinic's protocol may tighten
//! the default rules (raise levels, widen windows), never loosen them below this floor.
//!
//! The check runs the real engine on one probe check-in per red flag, at every hour where any
//! rule's window starts or ends: a rule's outcome only changes at those hours, so the probes
//! see every case. The floor is code, not data, on purpose: it is the contract the data must
//! meet.

use std::fmt;

use super::{
    check_in::{CheckIn, Rating, Report},
    engine::triage_check_in,
    rules::{CONTRACT_FEVER_FROM_C, TriageRules},
    vocabulary::{
        Discharge,
        Level::{self, ContactPractitioner as Contact, Emergency, Urgent},
        Symptom, Symptom as S,
    },
};

/// A red flag that a set of rules under-triages.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// What the probe reports.
    pub label: String,
    /// Hours after treatment.
    pub hours: f64,
    /// The level the rules give.
    pub got: Level,
    /// The level CONTRACT §5 requires at least.
    pub floor: Level,
    /// The symptoms of the probe (with `fever` for a temperature probe).
    pub symptoms: Vec<Symptom>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "these rules under-triage a red flag of CONTRACT §5: {} at {} h gives '{}', but must give \
             at least '{}' (a clinic's protocol may tighten the default rules, never loosen them)",
            self.label, self.hours, self.got, self.floor
        )
    }
}

/// One red flag: what is reported, from which hour on, and the lowest level it may get.
struct Probe {
    label: &'static str,
    floor: Level,
    from_hours: u32,
    symptoms: &'static [Symptom],
    ratings: &'static [(Symptom, u8)],
    temperature_c: Option<f64>,
    discharge: Discharge,
    /// The rated symptom is rated 1 at `from_hours` and 2 at the check-in.
    rising: Option<Symptom>,
}

const fn flag(label: &'static str, floor: Level, symptoms: &'static [Symptom]) -> Probe {
    Probe {
        label,
        floor,
        from_hours: 0,
        symptoms,
        ratings: &[],
        temperature_c: None,
        discharge: Discharge::None,
        rising: None,
    }
}

const fn from(mut probe: Probe, hours: u32) -> Probe {
    probe.from_hours = hours;
    probe
}

const fn temperature(
    label: &'static str,
    floor: Level,
    symptoms: &'static [Symptom],
    celsius: f64,
) -> Probe {
    let mut probe = flag(label, floor, symptoms);
    probe.temperature_c = Some(celsius);
    probe
}

const fn discharge(label: &'static str, floor: Level, kind: Discharge, hours: u32) -> Probe {
    let mut probe = flag(label, floor, &[]);
    probe.discharge = kind;
    probe.from_hours = hours;
    probe
}

const fn rated(label: &'static str, ratings: &'static [(Symptom, u8)]) -> Probe {
    let mut probe = flag(label, Level::ContactPractitioner, &[]);
    probe.ratings = ratings;
    probe
}

const fn rising(label: &'static str, symptom: Symptom) -> Probe {
    let mut probe = flag(label, Level::ContactPractitioner, &[]);
    probe.rising = Some(symptom);
    probe.from_hours = 48;
    probe
}

/// CONTRACT §5, rule by rule.
const PROBES: &[Probe] = &[
    // emergency: anaphylaxis, and an infection spreading beyond the skin
    flag("throat swelling", Emergency, &[S::ThroatSwelling]),
    flag("tongue swelling", Emergency, &[S::TongueSwelling]),
    flag("difficulty breathing", Emergency, &[S::DifficultyBreathing]),
    flag("wheezing", Emergency, &[S::Wheezing]),
    flag("faintness", Emergency, &[S::Faintness]),
    flag(
        "spreading redness with fever",
        Emergency,
        &[S::SpreadingRedness, S::Fever],
    ),
    temperature(
        "spreading redness with 38.0 °C",
        Emergency,
        &[S::SpreadingRedness],
        CONTRACT_FEVER_FROM_C,
    ),
    flag(
        "spreading redness with vomiting",
        Emergency,
        &[S::SpreadingRedness, S::Vomiting],
    ),
    flag(
        "spreading redness with confusion",
        Emergency,
        &[S::SpreadingRedness, S::Confusion],
    ),
    flag(
        "spreading redness with a rapid heartbeat",
        Emergency,
        &[S::SpreadingRedness, S::RapidHeartbeat],
    ),
    // urgent
    flag("fever", Urgent, &[S::Fever]),
    temperature(
        "a temperature of 38.0 °C",
        Urgent,
        &[],
        CONTRACT_FEVER_FROM_C,
    ),
    temperature("a temperature of 45.0 °C", Urgent, &[], 45.0),
    discharge("yellow discharge", Urgent, Discharge::Yellow, 0),
    discharge("green discharge", Urgent, Discharge::Green, 0),
    flag("spreading redness", Urgent, &[S::SpreadingRedness]),
    flag("eye swelling", Urgent, &[S::EyeSwelling]),
    flag("blisters", Urgent, &[S::Blisters]),
    flag("hives", Urgent, &[S::Hives]),
    // contact the practitioner
    from(
        flag("redness getting worse", Contact, &[S::RednessWorsening]),
        48,
    ),
    from(
        flag("swelling getting worse", Contact, &[S::SwellingWorsening]),
        48,
    ),
    rising(
        "a redness rating higher than at the previous check-in",
        S::Redness,
    ),
    rising(
        "a swelling rating higher than at the previous check-in",
        S::Swelling,
    ),
    from(flag("redness", Contact, &[S::Redness]), 168),
    from(flag("swelling", Contact, &[S::Swelling]), 168),
    flag("rash", Contact, &[S::Rash]),
    flag("bumps", Contact, &[S::Bumps]),
    flag("pustules", Contact, &[S::Pustules]),
    from(
        flag(
            "significant irritation",
            Contact,
            &[S::SignificantIrritation],
        ),
        72,
    ),
    from(
        flag("itching outside the flaking period", Contact, &[S::Itching]),
        168,
    ),
    from(flag("burning", Contact, &[S::Burning]), 72),
    flag("dark patches", Contact, &[S::DarkPatches]),
    flag("linear marks", Contact, &[S::LinearMarks]),
    flag("swollen lymph nodes", Contact, &[S::SwollenLymphNodes]),
    rated("pain rated 7", &[(S::Pain, 7)]),
    rated("pain rated 10", &[(S::Pain, 10)]),
    flag("tingling", Contact, &[S::Tingling]),
    flag("chills", Contact, &[S::Chills]),
    discharge("clear discharge", Contact, Discharge::Clear, 48),
];

/// Checks every red flag of CONTRACT §5 against `rules`.
pub(super) fn check(rules: &TriageRules) -> Result<(), Violation> {
    let mut boundaries = rules.window_bounds();
    boundaries.extend(PROBES.iter().map(|p| p.from_hours));
    boundaries.sort_unstable();
    boundaries.dedup();
    for probe in PROBES {
        let start = f64::from(probe.from_hours);
        for hours in boundaries
            .iter()
            .map(|b| f64::from(*b))
            .filter(|h| *h >= start)
        {
            // A trend needs an earlier check-in: the first probe comes half an hour later.
            let hours = if probe.rising.is_some() && hours == start {
                start + 0.5
            } else {
                hours
            };
            let got = triage_check_in(rules, &probe.check_in(hours)).level;
            if got < probe.floor {
                let mut symptoms = probe.symptoms.to_vec();
                symptoms.extend(probe.ratings.iter().map(|(s, _)| *s));
                symptoms.extend(probe.rising);
                if probe.temperature_c.is_some() {
                    symptoms.push(Symptom::Fever);
                }
                return Err(Violation {
                    label: probe.label.to_owned(),
                    hours,
                    got,
                    floor: probe.floor,
                    symptoms,
                });
            }
        }
    }
    Ok(())
}

impl Probe {
    fn check_in(&self, hours: f64) -> CheckIn {
        let rating = Rating::clamped;
        let mut ratings: Vec<(Symptom, Rating)> =
            self.ratings.iter().map(|(s, v)| (*s, rating(*v))).collect();
        let mut history = Vec::new();
        if let Some(symptom) = self.rising {
            ratings.push((symptom, rating(2)));
            let earlier = Report::new([symptom], [(symptom, rating(1))], None, Discharge::None);
            history.push((f64::from(self.from_hours), earlier));
        }
        let report = Report::new(
            self.symptoms.iter().copied(),
            ratings,
            self.temperature_c,
            self.discharge,
        );
        CheckIn::at_hours(hours, report, history)
    }
}
