//! What a fast path says when it stops. rectify writes and reads its own data through fast
//! paths that go before a library (`ron`, serde_json) for the shapes that data takes; on any
//! other shape, or any error, the library does the whole work and gives the real answer.

/// The fast path stopped: a shape it does not write, or text it does not read. Never shown.
#[derive(Debug)]
pub struct Fallback;

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to the library")
    }
}

impl std::error::Error for Fallback {}

impl serde::de::Error for Fallback {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Fallback
    }
}

impl serde::ser::Error for Fallback {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Fallback
    }
}
