//! Integration tests of the pure core, in one binary (linking dominates on two cores).

mod plan;
mod protocol;
