//! The personalised day-by-day plan (CONTRACT §6).
