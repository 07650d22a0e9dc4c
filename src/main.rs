use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use rectify::cli::{Cli, run};
use rectify::model::Stamp;

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match run(cli, &mut out, now) {
        Ok(()) => {
            let _ = out.flush();
            ExitCode::SUCCESS
        }
        Err(e) => {
            let _ = out.flush();
            eprintln!("rectify: {}", e.message);
            ExitCode::from(e.code)
        }
    }
}
