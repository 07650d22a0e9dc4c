//! Times turning a progress file back into text, to profile saves: `ser_loop PROGRESS`.
//! Each round: the whole text (`to_ron`) and a whole save in the temporary directory
//! (`Store::save`: the text written through a small buffer, the `.bak` copy, the new file
//! and their fsyncs, which cost nothing with `TMPDIR=/dev/shm`).

fn main() {
    let path = std::env::args().nth(1).expect("PROGRESS");
    let text = std::fs::read_to_string(&path).unwrap();
    let p: rectify::model::Progress = ron::from_str(&text).unwrap();
    let store = rectify::store::Store::new(
        std::env::temp_dir().join(format!("ser_loop.{}.store.ron", std::process::id())),
    );
    let mut fingerprint = store.save(&p, rectify::store::Fingerprint::Absent).unwrap();
    for _ in 0..8 {
        let t = std::time::Instant::now();
        let s = rectify::store::to_ron(&p);
        let whole = t.elapsed().as_secs_f64() * 1e3;
        let len = s.len();
        drop(s);
        let t = std::time::Instant::now();
        fingerprint = store.save(&p, fingerprint).unwrap();
        let save = t.elapsed().as_secs_f64() * 1e3;
        eprintln!("to_ron {whole:.1} ms, save {save:.1} ms ({len} bytes)");
    }
    for suffix in ["", ".bak", ".lock"] {
        let mut name = store.path().as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    std::process::exit(0);
}
