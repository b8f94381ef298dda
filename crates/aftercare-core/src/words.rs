//! Lists written into sentences: the one place that joins "a, b and c", for the calendar's
//! descriptions, triage messages and the healing chart's texts.

/// `items` as a list in a sentence: "a", "a and b", "a, b and c"; `conjunction` is the last
/// joining word ("and", "or").
pub fn join(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_in_a_sentence() {
        assert_eq!(
            join(&["a".into(), "b".into(), "c".into()], "and"),
            "a, b and c"
        );
        assert_eq!(join(&["a".into(), "b".into()], "or"), "a or b");
        assert_eq!(join(&["a".into()], "and"), "a");
        assert_eq!(join(&[], "and"), "");
    }
}
