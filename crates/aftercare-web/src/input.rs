//! Checks of free-text input shared by the forms and the API: required text with a length
//! limit, e-mail addresses, and "no control characters". Each failure is one sentence that
//! names the field as people see it.
//!
//! What does not belong here: domain input (symptoms, skin types, times), which the core
//! parses with its own errors.

/// A required single-line text of at most `max` characters.
pub fn required_line(value: Option<&str>, label: &str, max: usize) -> Result<String, String> {
    let value = value.map(str::trim).unwrap_or("");
    if value.is_empty() {
        return Err(format!("Enter the {label}."));
    }
    line(value, label, max)
}

/// An optional single-line text of at most `max` characters (blank means absent).
pub fn optional_line(value: Option<&str>, label: &str, max: usize) -> Result<String, String> {
    line(value.map(str::trim).unwrap_or(""), label, max)
}

fn line(value: &str, label: &str, max: usize) -> Result<String, String> {
    if value.chars().count() > max {
        return Err(format!("The {label} must be at most {max} characters."));
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "The {label} must be on one line, without control characters."
        ));
    }
    Ok(value.to_owned())
}

/// A multi-line text of at most `max` characters (line breaks and tabs allowed).
pub fn optional_text(value: Option<&str>, label: &str, max: usize) -> Result<String, String> {
    let value = value.map(str::trim).unwrap_or("");
    if value.chars().count() > max {
        return Err(format!("The {label} must be at most {max} characters."));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("The {label} contains control characters."));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// An e-mail address: one `@`, something on both sides, a dot in the domain, no spaces,
/// at most 254 characters. Returned trimmed; the store lower-cases it.
pub fn email(value: Option<&str>, label: &str) -> Result<String, String> {
    let value = value.map(str::trim).unwrap_or("");
    if value.is_empty() {
        return Err(format!("Enter the {label}."));
    }
    let well_formed = value.len() <= 254
        && !value
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ','))
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if well_formed {
        Ok(value.to_owned())
    } else {
        Err(format!("Enter the {label} as name@example.com."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_required_bounded_and_single_line() {
        assert_eq!(
            required_line(Some("  A. B. "), "patient's name", 10).unwrap(),
            "A. B."
        );
        assert_eq!(
            required_line(None, "patient's name", 10).unwrap_err(),
            "Enter the patient's name."
        );
        assert!(required_line(Some("x\u{0}y"), "name", 10).is_err());
        assert!(required_line(Some("abcdefghijk"), "name", 10).is_err());
        assert_eq!(optional_text(Some("a\r\nb"), "notes", 10).unwrap(), "a\nb");
    }

    #[test]
    fn emails_need_an_at_and_a_domain() {
        assert!(email(Some("ann@clinic.example"), "e-mail").is_ok());
        for bad in [
            "ann",
            "ann@",
            "@clinic.example",
            "ann@clinic",
            "a b@c.de",
            "a@b@c.de",
            "<x>@c.de",
        ] {
            assert!(email(Some(bad), "e-mail").is_err(), "{bad}");
        }
    }
}
