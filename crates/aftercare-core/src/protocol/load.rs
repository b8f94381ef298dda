//! Reading protocol files: one file, or several files that each hold some sections (the
//! default protocol is split by topic in `data/protocols/microneedling/`). Errors name the
//! file, line and column. The default protocol is embedded in the binary.

use std::sync::OnceLock;

use super::{
    Protocol,
    spec::ProtocolSpec,
    validate::{MissingAt, Section, Sections, SpecError, validate},
};

/// The default protocol's files (name, contents), embedded at compile time.
pub const DEFAULT_PROTOCOL_FILES: &[(&str, &str)] = &[
    (
        "microneedling/protocol.toml",
        include_str!("../../../../data/protocols/microneedling/protocol.toml"),
    ),
    (
        "microneedling/content.toml",
        include_str!("../../../../data/protocols/microneedling/content.toml"),
    ),
    (
        "microneedling/triage.toml",
        include_str!("../../../../data/protocols/microneedling/triage.toml"),
    ),
];

/// A protocol that could not be loaded: where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ProtocolError {
    /// The file's name as given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// The default protocol (the guide), validated once and shared.
#[expect(
    clippy::panic,
    reason = "the embedded protocol is validated by the test suite; an invalid one is a build defect"
)]
pub fn default_protocol() -> &'static Protocol {
    static DEFAULT: OnceLock<Protocol> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        load_protocol(DEFAULT_PROTOCOL_FILES)
            .unwrap_or_else(|e| panic!("the embedded default protocol is invalid: {e}"))
    })
}

/// The default protocol with the file whose name ends with `file` replaced by `edit` of its
/// text: how a clinic starts from the default, and how tests try one change.
pub fn load_default_edited(
    file: &str,
    edit: impl FnOnce(&str) -> String,
) -> Result<Protocol, ProtocolError> {
    let mut edit = Some(edit);
    let files: Vec<(&str, String)> = DEFAULT_PROTOCOL_FILES
        .iter()
        .map(
            |(name, text)| match edit.take_if(|_| name.ends_with(file)) {
                Some(edit) => (*name, edit(text)),
                None => (*name, (*text).to_owned()),
            },
        )
        .collect();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    load_protocol(&borrowed)
}

/// Loads a protocol from one or more files given as (name, contents). Every section must
/// appear in exactly one file.
pub fn load_protocol(files: &[(&str, &str)]) -> Result<Protocol, ProtocolError> {
    let locate = |e: SpecError| {
        let (name, text) = files[e.file];
        located(name, text, e.span.start, e.message)
    };
    let mut sections = Sections::default();
    for (index, (name, text)) in files.iter().enumerate() {
        let spec: ProtocolSpec = toml::from_str(text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            located(name, text, at, e.message().trim_end().to_owned())
        })?;
        gather(&mut sections, index, spec).map_err(locate)?;
    }
    let missing = MissingAt {
        file: files.len().saturating_sub(1),
    };
    if files.is_empty() {
        return Err(ProtocolError {
            file: "(no file)".into(),
            line: 1,
            column: 1,
            message: "no protocol file given".into(),
        });
    }
    validate(sections, missing).map_err(locate)
}

/// Moves each section of `spec` into `sections`, refusing a section that another file has.
fn gather(sections: &mut Sections, file: usize, spec: ProtocolSpec) -> Result<(), SpecError> {
    macro_rules! take {
        ($($field:ident),+) => {$(
            if let Some(value) = spec.$field {
                if sections.$field.is_some() {
                    return Err(SpecError {
                        file,
                        span: value.span(),
                        message: format!("section [{}] is already defined in another file", stringify!($field)),
                    });
                }
                sections.$field = Some(Section { file, value });
            }
        )+};
    }
    take!(
        protocol,
        sources,
        notices,
        phases,
        restrictions,
        recommended,
        skin_cautions,
        skin_types,
        areas,
        fitzpatrick,
        application,
        faq,
        myths,
        series,
        reintroduction,
        triage,
        expected_course
    );
    Ok(())
}

fn located(file: &str, text: &str, offset: usize, message: String) -> ProtocolError {
    let (line, column) = line_column(text, offset);
    ProtocolError {
        file: file.to_owned(),
        line,
        column,
        message,
    }
}

/// The 1-based line and column (in characters) of the byte `offset` of a TOML `text`, for
/// errors that point into a data file (protocol files, the catalog).
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .map_or(1, |l| l.chars().count() + 1);
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_protocol_loads() {
        let protocol = default_protocol();
        assert_eq!(protocol.id, "microneedling");
        assert_eq!(protocol.phases.len(), 3);
    }
}
