#![deny(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use rectify::cli::Cli;
use rectify::model::Stamp;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    if cli.command.is_some() {
        // A command whose output goes to a closed pipe (`rectify list | head`) ends quietly,
        // as other Unix tools do, instead of reporting a broken pipe.
        // SAFETY: resetting a signal to its default at start-up, before any thread exists.
        #[allow(unsafe_code)] // signal: std offers no way to restore SIGPIPE's default.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    // RECTIFY_NOW pins the clock (RFC 3339 with offset), for reproducible reports and tests.
    let now = match std::env::var("RECTIFY_NOW") {
        Ok(s) => match s.parse::<Stamp>() {
            Ok(t) => t,
            Err(e) => {
                eprintln!("rectify: RECTIFY_NOW: {e}");
                return ExitCode::from(2);
            }
        },
        Err(_) => Stamp::now(),
    };
    let mut out = std::io::stdout();
    // Without a command, the full-screen ledger.
    let result = match cli.command.take() {
        Some(command) => rectify::cli::run(&cli, command, &mut out, now).map(|()| 0),
        None => cli.context(now).and_then(rectify::tui::run),
    };
    match result {
        Ok(code) => {
            let _ = out.flush();
            ExitCode::from(code)
        }
        Err(e) => {
            let _ = out.flush();
            eprintln!("rectify: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
