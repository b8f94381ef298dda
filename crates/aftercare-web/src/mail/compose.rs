//! What the e-mails say: the alert e-mail to the clinic and the treating practitioner when a
//! check-in is `contact_practitioner` or higher, as plain text and HTML from the askama
//! templates in `templates/email/`.
//!
//! An e-mail leaves the clinic's systems, so it carries no symptoms and no token: by default
//! the level, the recovery day, what the patient was told (the protocol's advice for that
//! level) and a link to the alert behind sign-in; `email.alert_detail = "rules"` adds the ids
//! of the rules that fired and the patient's label. What does not belong here: queueing (the
//! check-in is recorded with its e-mails in one transaction, see `check_ins`) and sending.

use aftercare_store::{CheckInLevel, ClinicRow, NewOutboxMessage, TreatmentRow, UserRow};
use askama::Template;

use super::settings::{AlertDetail, AlertRecipients, EmailSettings};
use crate::views::clinic::LevelView;

/// The outbox kind of an alert e-mail.
pub const ALERT_EMAIL: &str = "alert_email";

/// What an alert e-mail is about.
#[derive(Debug, Clone)]
pub struct AlertFacts<'a> {
    /// The treatment's clinic.
    pub clinic: &'a ClinicRow,
    /// The treating practitioner, if their account still exists.
    pub practitioner: Option<&'a UserRow>,
    /// The treatment.
    pub treatment: &'a TreatmentRow,
    /// The check-in's level (`contact_practitioner` or higher).
    pub level: CheckInLevel,
    /// What the patient was told to do at this level (the protocol's action text).
    pub told: &'a str,
    /// The recovery day of the check-in (day 1 is the first 24 hours).
    pub day: u32,
    /// The codes of the triage rules that fired, highest level first.
    pub rule_codes: Vec<String>,
}

/// What both bodies of an alert e-mail say; the plain-text and HTML templates read it as
/// `alert`.
struct AlertBody<'a> {
    level: &'a str,
    clinic_name: &'a str,
    day: u32,
    told: &'a str,
    patient_label: Option<&'a str>,
    rules: &'a [String],
    url: &'a str,
}

#[derive(Template)]
#[template(path = "email/alert.txt")]
struct AlertText<'a> {
    alert: &'a AlertBody<'a>,
}

#[derive(Template)]
#[template(path = "email/alert.html")]
struct AlertHtml<'a> {
    alert: &'a AlertBody<'a>,
}

/// The addresses an alert goes to under `recipients`: the clinic's contact address and/or
/// the treating practitioner (not a disabled account), each once, in that order.
pub fn alert_recipients(recipients: AlertRecipients, facts: &AlertFacts<'_>) -> Vec<String> {
    let clinic = matches!(
        recipients,
        AlertRecipients::ClinicAndPractitioner | AlertRecipients::Clinic
    )
    .then(|| facts.clinic.email.trim().to_owned());
    let practitioner = matches!(
        recipients,
        AlertRecipients::ClinicAndPractitioner | AlertRecipients::Practitioner
    )
    .then_some(facts.practitioner)
    .flatten()
    .filter(|user| user.disabled_at.is_none())
    .map(|user| user.email.trim().to_owned());
    let mut out: Vec<String> = Vec::new();
    for address in [clinic, practitioner].into_iter().flatten() {
        if !address.is_empty() && !out.iter().any(|a| a.eq_ignore_ascii_case(&address)) {
            out.push(address);
        }
    }
    out
}

/// The alert e-mails of a check-in, one per recipient; none below `contact_practitioner`.
///
/// # Errors
/// When a template fails to render.
pub fn alert_messages(
    settings: &EmailSettings,
    public_url: &str,
    facts: &AlertFacts<'_>,
) -> Result<Vec<NewOutboxMessage>, askama::Error> {
    if !facts.level.raises_alert() {
        return Ok(Vec::new());
    }
    let level = LevelView::of(facts.level).label;
    let url = format!(
        "{public_url}/clinic/treatments/{}#alerts-title",
        facts.treatment.id
    );
    let (patient_label, rules) = match settings.alert_detail {
        AlertDetail::Level => (None, &[][..]),
        AlertDetail::Rules => (
            Some(facts.treatment.patient_label.as_str()),
            facts.rule_codes.as_slice(),
        ),
    };
    let alert = AlertBody {
        level,
        clinic_name: &facts.clinic.name,
        day: facts.day,
        told: facts.told,
        patient_label,
        rules,
        url: &url,
    };
    let text = AlertText { alert: &alert }.render()?;
    let html = AlertHtml { alert: &alert }.render()?;
    let subject = format!(
        "{}: check-in alert, {level}, day {}",
        facts.clinic.name, facts.day
    );
    Ok(alert_recipients(settings.alert_recipients, facts)
        .into_iter()
        .map(|recipient| NewOutboxMessage {
            kind: ALERT_EMAIL.to_owned(),
            recipient,
            subject: subject.clone(),
            body_text: text.clone(),
            body_html: Some(html.clone()),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use aftercare_store::Role;

    fn clinic() -> ClinicRow {
        ClinicRow {
            id: "c1".into(),
            name: "Skin & Co".into(),
            phone: "+49 30 1".into(),
            email: "desk@skin.example".into(),
            address: "1 Main Street".into(),
            emergency_number: "112".into(),
            default_protocol_id: None,
            created_at: 0,
        }
    }

    fn user(email: &str, disabled: bool) -> UserRow {
        UserRow {
            id: "u1".into(),
            clinic_id: "c1".into(),
            email: email.into(),
            display_name: "Dr A".into(),
            role: Role::Practitioner,
            password_hash: String::new(),
            created_at: 0,
            disabled_at: disabled.then_some(1),
        }
    }

    fn treatment() -> TreatmentRow {
        TreatmentRow {
            id: "t1".into(),
            clinic_id: "c1".into(),
            practitioner_id: "u1".into(),
            patient_label: "Jane <Doe>".into(),
            patient_email: None,
            treated_at: 0,
            time_zone: "UTC".into(),
            skin: "[]".into(),
            fitzpatrick: None,
            areas: "[]".into(),
            cold_sore_history: false,
            notes: "private note".into(),
            protocol_id: None,
            created_at: 0,
        }
    }

    fn facts<'a>(
        clinic: &'a ClinicRow,
        practitioner: Option<&'a UserRow>,
        treatment: &'a TreatmentRow,
    ) -> AlertFacts<'a> {
        AlertFacts {
            clinic,
            practitioner,
            treatment,
            level: CheckInLevel::Urgent,
            told: "Be seen today.",
            day: 3,
            rule_codes: vec!["fever".into(), "spreading_redness".into()],
        }
    }

    #[test]
    fn by_default_an_alert_says_the_level_and_day_and_nothing_clinical() {
        let (clinic, practitioner, treatment) =
            (clinic(), user("dr@skin.example", false), treatment());
        let messages = alert_messages(
            &EmailSettings::default(),
            "https://clinic.example",
            &facts(&clinic, Some(&practitioner), &treatment),
        )
        .unwrap();
        let recipients: Vec<&str> = messages.iter().map(|m| m.recipient.as_str()).collect();
        assert_eq!(recipients, ["desk@skin.example", "dr@skin.example"]);
        let message = &messages[0];
        assert_eq!(
            message.subject,
            "Skin & Co: check-in alert, Urgent: same day, day 3"
        );
        for body in [&message.body_text, message.body_html.as_ref().unwrap()] {
            assert!(body.contains("day 3"), "{body}");
            assert!(body.contains("https://clinic.example/clinic/treatments/t1#alerts-title"));
            for secret in ["fever", "spreading_redness", "Jane", "private note"] {
                assert!(!body.contains(secret), "{secret} in {body}");
            }
        }
        let html = message.body_html.as_ref().unwrap();
        assert!(
            !html.contains("Skin & Co") && html.contains("Skin &"),
            "escaped: {html}"
        );
        assert!(message.body_text.contains("Skin & Co"));
    }

    #[test]
    fn rules_detail_names_the_rules_and_the_patient_escaped_in_html() {
        let (clinic, treatment) = (clinic(), treatment());
        let settings = EmailSettings {
            alert_detail: AlertDetail::Rules,
            alert_recipients: AlertRecipients::Clinic,
            ..EmailSettings::default()
        };
        let messages =
            alert_messages(&settings, "http://x", &facts(&clinic, None, &treatment)).unwrap();
        assert_eq!(messages.len(), 1);
        assert!(messages[0].body_text.contains("fever, spreading_redness"));
        assert!(messages[0].body_text.contains("Jane <Doe>"));
        let html = messages[0].body_html.as_ref().unwrap();
        assert!(
            html.contains("Jane &#60;Doe&#62;") || html.contains("Jane &lt;Doe&gt;"),
            "{html}"
        );
    }

    #[test]
    fn a_disabled_practitioner_and_duplicates_get_nothing_and_expected_sends_none() {
        let (clinic, treatment) = (clinic(), treatment());
        let disabled = user("dr@skin.example", true);
        let f = facts(&clinic, Some(&disabled), &treatment);
        assert_eq!(
            alert_recipients(AlertRecipients::ClinicAndPractitioner, &f),
            ["desk@skin.example"]
        );
        assert!(alert_recipients(AlertRecipients::Practitioner, &f).is_empty());
        let same = user("DESK@skin.example", false);
        let f = facts(&clinic, Some(&same), &treatment);
        assert_eq!(
            alert_recipients(AlertRecipients::ClinicAndPractitioner, &f).len(),
            1
        );
        let expected = AlertFacts {
            level: CheckInLevel::Expected,
            ..f
        };
        assert!(
            alert_messages(&EmailSettings::default(), "http://x", &expected)
                .unwrap()
                .is_empty()
        );
    }
}
