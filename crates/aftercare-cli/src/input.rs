//! Reading user input (an inline argument, a file, or `-` for stdin) with a size limit, as
//! UTF-8 text; every failure is bad input that names the file. JSON Lines input (`check
//! --catalog`, `triage --batch`) is read line by line with a per-line limit by [`BoundedLines`].

use std::{
    io::{BufRead, Read},
    path::Path,
};

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

/// One line of a JSON Lines input: its number (from 1), its size in bytes, and its text or why
/// it could not be read (too long, not UTF-8): the caller reports it and goes on.
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// Bytes read for this line, the newline and any skipped excess included.
    pub bytes: u64,
    /// The text, or a sentence saying why it was not loaded.
    pub text: Result<String, String>,
}

/// Reads lines of at most `limit` bytes; a longer line is skipped without being kept in memory
/// and reported as "`{what}` is larger than the limit of N KiB".
pub struct BoundedLines {
    reader: Box<dyn BufRead>,
    number: usize,
    limit: usize,
    what: &'static str,
}

impl BoundedLines {
    /// Lines of `reader`, each at most `limit` bytes; `what` names a line in messages.
    pub fn new(reader: Box<dyn BufRead>, limit: usize, what: &'static str) -> BoundedLines {
        BoundedLines {
            reader,
            number: 0,
            limit,
            what,
        }
    }

    /// The next line, `None` at the end. Errors only for I/O failures of the reader.
    pub fn next_line(&mut self) -> std::io::Result<Option<Line>> {
        let mut bytes = Vec::new();
        let limit = self.limit as u64 + 1;
        let read = (&mut self.reader)
            .take(limit)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        let mut total = read as u64;
        let complete = bytes.last() == Some(&b'\n');
        if !complete && bytes.len() as u64 >= limit {
            // Skip the rest of the over-long line without keeping it.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut self.reader)
                    .take(64 * 1024)
                    .read_until(b'\n', &mut rest)?;
                total += n as u64;
                if n == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
            return Ok(Some(Line {
                number: self.number,
                bytes: total,
                text: Err(format!(
                    "{} is larger than the limit of {} KiB",
                    self.what,
                    self.limit / 1024
                )),
            }));
        }
        let text = String::from_utf8(bytes).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        });
        Ok(Some(Line {
            number: self.number,
            bytes: total,
            text,
        }))
    }
}
