//! Turns the embedded checklist into JSON at build time: the app reads it with serde_json,
//! faster than parsing the RON at every start (guarded by `examples/startup_steps` and the
//! start-up figures of `examples/perf`). The RON file stays the one source; a test checks
//! that both give the same checklist.

fn main() {
    const ASSET: &str = "assets/inner-mongolia-sg15.ron";
    println!("cargo::rerun-if-changed={ASSET}");
    let src = std::fs::read_to_string(ASSET).expect("the embedded checklist");
    let value: ron::Value = ron::from_str(&src).expect("the embedded checklist is valid RON");
    let json = serde_json::to_string(&value).expect("a RON value converts to JSON");
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("inner-mongolia-sg15.json"), json).expect("write to OUT_DIR");
}
