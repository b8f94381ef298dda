//! Loading the protocol for a command: the embedded default, or a clinic's own file (or a
//! folder of TOML files that together make one protocol) given with `--protocol`.

use std::{borrow::Cow, path::Path};

use aftercare_core::protocol::{Protocol, default_protocol, load_protocol};

use crate::{failure::bad_input, input::read_text};

/// The largest protocol file accepted.
const MAX_PROTOCOL_BYTES: usize = 1024 * 1024;

/// The protocol at `path` (a file, or a folder of `*.toml` files), or the default one.
pub fn load(path: Option<&Path>) -> anyhow::Result<Cow<'static, Protocol>> {
    let Some(path) = path else {
        return Ok(Cow::Borrowed(default_protocol()));
    };
    let mut files = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| {
                bad_input(format!(
                    "cannot read protocol folder '{}': {e}",
                    path.display()
                ))
            })?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|p| p.extension().is_some_and(|ext| ext == "toml"))
            .collect();
        entries.sort();
        if entries.is_empty() {
            return Err(bad_input(format!(
                "protocol folder '{}' has no .toml files",
                path.display()
            )));
        }
        for entry in entries {
            let text = read_text(&entry, MAX_PROTOCOL_BYTES, "protocol")?;
            files.push((entry.display().to_string(), text));
        }
    } else {
        let text = read_text(path, MAX_PROTOCOL_BYTES, "protocol")?;
        files.push((path.display().to_string(), text));
    }
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    load_protocol(&borrowed)
        .map(Cow::Owned)
        .map_err(|e| bad_input(format!("invalid protocol: {e}")))
}
