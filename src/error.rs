//! The one error type at the edge of the program: a message for the user and the process
//! exit code. The library's own errors are `thiserror` enums that convert into it.

/// A failure to report to the user, with the process exit code.
#[derive(Debug)]
pub struct CliError {
    pub message: String,
    /// 2 for a mistake in the command, 1 for anything else.
    pub code: u8,
}

impl CliError {
    /// A mistake in the command (exit code 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 2,
        }
    }

    /// A failure whose message is already written for the user (exit code 1).
    pub fn failed(message: impl Into<String>) -> CliError {
        CliError {
            message: message.into(),
            code: 1,
        }
    }
}

impl<E: std::error::Error> From<E> for CliError {
    fn from(e: E) -> CliError {
        CliError::failed(e.to_string())
    }
}
