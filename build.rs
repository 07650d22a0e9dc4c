//! Turns the embedded checklist into JSON at build time: the app reads it with serde_json,
//! five times faster than parsing the RON at every start (0.9 of the 7.4 million
//! instructions to the first frame). The RON file stays the one source; a test checks that
//! both give the same checklist.
//!
//! And asks the linker to put the functions that run at start side by side (see
//! [`startup_order`]).

fn main() {
    const ASSET: &str = "assets/inner-mongolia-sg15.ron";
    println!("cargo::rerun-if-changed={ASSET}");
    let src = std::fs::read_to_string(ASSET).expect("the embedded checklist");
    let value: ron::Value = ron::from_str(&src).expect("the embedded checklist is valid RON");
    let json = serde_json::to_string(&value).expect("a RON value converts to JSON");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("inner-mongolia-sg15.json"), json).expect("write to OUT_DIR");
    startup_order();
}

/// The kernel maps a program's code 64 KiB at a time around each page first used. The 480
/// functions that run from start to first frame (0.44 MB) were spread over 53 such windows
/// of the 4.3 MB of code, most of it export code never run: 2.2 MiB resident. Listed in
/// `link/startup-functions.txt` (made by `link/update-startup-order.sh`), lld puts them
/// first. A name that no longer exists is skipped, so a stale list only orders less.
///
/// Only where the linker is lld: Rust 1.90 and later link with it on x86-64 Linux unless
/// told to use another. A linker set in a cargo config file cannot be seen from here:
/// `RECTIFY_LINK_ORDER=0` leaves the order to the linker.
fn startup_order() {
    const LIST: &str = "link/startup-functions.txt";
    println!("cargo::rerun-if-changed={LIST}");
    println!("cargo::rerun-if-env-changed=RECTIFY_LINK_ORDER");
    if std::env::var("RECTIFY_LINK_ORDER").is_ok_and(|v| v == "0") {
        return;
    }
    let target = std::env::var("TARGET").unwrap_or_default();
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let minor = std::process::Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| {
            let v = String::from_utf8(o.stdout).ok()?;
            let mut parts = v.split_whitespace().nth(1)?.split('.');
            (parts.next()? == "1").then_some(())?;
            parts.next()?.parse::<u32>().ok()
        });
    let linker_set = flags.contains("linker")
        || flags.contains("fuse-ld")
        || std::env::vars().any(|(k, _)| k.ends_with("_LINKER"));
    if target == "x86_64-unknown-linux-gnu" && minor.is_some_and(|m| m >= 90) && !linker_set {
        let list = std::path::Path::new(&std::env::var("CARGO_MANIFEST_DIR").unwrap()).join(LIST);
        println!(
            "cargo::rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            list.display()
        );
        println!("cargo::rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
