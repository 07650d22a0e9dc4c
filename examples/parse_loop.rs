//! Times reading a progress file's text into a ledger, first on a fresh heap and then the
//! median of seven: `cargo run --release --example parse_loop -- PROGRESS`.

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("PROGRESS");
    let text = std::fs::read_to_string(path).unwrap();
    let mut times = Vec::new();
    for _ in 0..8 {
        let t = Instant::now();
        let p: rectify::model::Progress = ron::from_str(&text).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1e3);
        drop(p);
    }
    let first = times.remove(0);
    times.sort_by(f64::total_cmp);
    println!("first {first:.1} ms, then median {:.1} ms", times[3]);
}
