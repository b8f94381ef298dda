//! Reading user input (an inline argument, a file, or `-` for stdin) with a size limit, as
//! UTF-8 text; every failure is bad input that names the file.

use std::{io::Read, path::Path};

use crate::failure::bad_input;

/// Reads `path` (or stdin for `-`) as UTF-8 text of at most `limit` bytes.
pub fn read_text(path: &Path, limit: usize, what: &str) -> anyhow::Result<String> {
    let name = path.display().to_string();
    let mut bytes = Vec::new();
    let read = if name == "-" {
        std::io::stdin()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path)
            .map_err(|e| bad_input(format!("cannot read {what} file '{name}': {e}")))?
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
    };
    let source = if name == "-" {
        "standard input".to_owned()
    } else {
        format!("'{name}'")
    };
    read.map_err(|e| bad_input(format!("cannot read {what} from {source}: {e}")))?;
    check_size(bytes.len(), limit, &format!("the {what} in {source}"))?;
    String::from_utf8(bytes).map_err(|e| {
        bad_input(format!(
            "the {what} in {source} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Fails when `len` exceeds `limit`.
pub fn check_size(len: usize, limit: usize, what: &str) -> anyhow::Result<()> {
    if len > limit {
        return Err(bad_input(format!(
            "{what} is larger than the limit of {} KiB",
            limit / 1024
        )));
    }
    Ok(())
}
