fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let p: rectify::model::Progress = rectify::ron_fast::from_str(&text).unwrap();
    for _ in 0..8 {
        let t = std::time::Instant::now();
        let s = rectify::store::to_ron(&p);
        eprintln!("{:.1} ms {}", t.elapsed().as_secs_f64() * 1e3, s.len());
    }
    std::process::exit(0);
}
