//! rectify: a rectification ledger (整改台賬) for the problems raised in a supervision report.
//!
//! The crate is split so that everything but the terminal front end is plain, testable code:
//! `model` holds the data, `store` the only file I/O for it, `summary` the numbers every
//! export shares, `export` one module per format, `cli` the subcommands and `tui` the
//! full-screen ledger; both work on a `context` and fail with the one `error` type.

#![deny(unsafe_code)]

pub mod app;
pub mod author;
pub mod cli;
pub mod context;
pub mod error;
pub mod export;
// Test kits, for the tests, benchmarks, examples and fuzz targets (feature `testkit`).
#[cfg(any(test, feature = "testkit"))]
pub mod fuzzing;
#[cfg(any(test, feature = "testkit"))]
pub mod generated;
pub mod i18n;
pub mod model;
pub mod par;
pub mod prefetch;
pub mod screen;
pub mod store;
pub mod summary;
pub mod team;
pub mod text;
pub mod tui;
pub mod ui;
