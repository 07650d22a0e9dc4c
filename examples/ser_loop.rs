//! Times turning a progress file back into text, to profile saves: `ser_loop PROGRESS`.
//! Each round: the whole text (`to_ron`), the text in pieces as a save makes them
//! (`write_ron`), those pieces written to a file in the temporary directory without the
//! fsync, and a whole save there (`Store::save`: the `.bak` copy, the new file and their
//! fsyncs, which cost nothing with `TMPDIR=/dev/shm`).
use std::io::Write;

fn main() {
    let path = std::env::args().nth(1).expect("PROGRESS");
    let text = std::fs::read_to_string(&path).unwrap();
    let p: rectify::model::Progress = rectify::ron_fast::from_str(&text).unwrap();
    let out_path = std::env::temp_dir().join(format!("ser_loop.{}.ron", std::process::id()));
    let store = rectify::store::Store::new(
        std::env::temp_dir().join(format!("ser_loop.{}.store.ron", std::process::id())),
    );
    let mut fingerprint = store.save(&p, rectify::store::Fingerprint::Absent).unwrap();
    for _ in 0..8 {
        let t = std::time::Instant::now();
        let s = rectify::store::to_ron(&p);
        let whole = t.elapsed().as_secs_f64() * 1e3;
        drop(s);
        let t = std::time::Instant::now();
        let mut len = 0;
        rectify::store::write_ron(&p, &mut |piece| {
            len += piece.len();
            Ok(())
        })
        .unwrap();
        let pieces = t.elapsed().as_secs_f64() * 1e3;
        let t = std::time::Instant::now();
        let mut file = std::fs::File::create(&out_path).unwrap();
        rectify::store::write_ron(&p, &mut |piece| file.write_all(piece.as_bytes())).unwrap();
        drop(file);
        let to_file = t.elapsed().as_secs_f64() * 1e3;
        let t = std::time::Instant::now();
        fingerprint = store.save(&p, fingerprint).unwrap();
        let save = t.elapsed().as_secs_f64() * 1e3;
        eprintln!(
            "to_ron {whole:.1} ms, in pieces {pieces:.1} ms, to a file {to_file:.1} ms, \
             save {save:.1} ms ({len} bytes)"
        );
    }
    let _ = std::fs::remove_file(&out_path);
    for suffix in ["", ".bak", ".lock"] {
        let mut name = store.path().as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
    std::process::exit(0);
}
