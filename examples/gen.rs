//! Writes a large checklist and a progress file for it, the same every time, for benchmarks
//! and the performance harness:
//!
//! ```sh
//! cargo run --release --example gen -- 10000 target/big   # 10,000 items, 50,000 notes
//! cargo run --release --example gen -- 2000 target/big5 5 # 2,000 problems × 5 measures
//! cargo run --release --example gen -- embedded target/m22 5 [NOTES] # the report's 22, 5 measures each
//! rectify --checklist target/big/checklist.ron --file target/big/progress.ron
//! ```

use std::path::PathBuf;

use rectify::generated::generate_with_measures;

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    let embedded = first.as_deref() == Some("embedded");
    let n: usize = first.and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| format!("target/gen-{n}")));
    std::fs::create_dir_all(&dir).expect("create the output directory");
    let measures: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(0);
    if embedded {
        // The report's own checklist (embedded), not a generated one.
        let checklist = rectify::model::Checklist::embedded();
        let notes = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
        let progress = rectify::generated::progress_for_checklist(&checklist, measures, notes);
        std::fs::write(dir.join("progress.ron"), rectify::store::to_ron(&progress))
            .expect("write the progress");
        println!("{}", dir.join("progress.ron").display());
        return;
    }
    let (checklist, progress) = generate_with_measures(n, measures);
    let c =
        ron::ser::to_string_pretty(&checklist, rectify::store::ron_config()).expect("serialise");
    std::fs::write(dir.join("checklist.ron"), c).expect("write the checklist");
    std::fs::write(dir.join("progress.ron"), rectify::store::to_ron(&progress))
        .expect("write the progress");
    println!("{}", dir.join("checklist.ron").display());
    println!("{}", dir.join("progress.ron").display());
}
