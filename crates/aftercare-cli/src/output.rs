//! Writing results to stdout; a closed pipe (`aftercare plan | head`) ends quietly.

use std::io::Write;

/// Writes `text` to stdout and flushes.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
