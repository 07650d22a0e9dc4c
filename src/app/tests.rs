use super::*;

#[test]
fn placeholder_compiles() {
    let app = App::new(
        Checklist::embedded(),
        Progress::new("inner-mongolia-sg15"),
        Lang::En,
        Stamp::now(),
    );
    assert_eq!(app.rows().len(), 28);
}
