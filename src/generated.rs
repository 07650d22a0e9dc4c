//! Large, deterministic ledgers for benchmarks and the performance harness
//! (`cargo run --release --example gen -- 10000`).

use crate::model::progress::{Field, Who};
use crate::model::{Area, Checklist, Item, Progress, Stamp, Status, Text};

/// A small linear congruential generator: deterministic without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WORDS: [&str; 12] = [
    "整改",
    "線索核查",
    "涉案財產",
    "專題學習",
    "責任剖析",
    "問責",
    "打傘破網",
    "行業亂象",
    "基層組織",
    "兩委幹部",
    "掃黑辦",
    "協調會",
];

fn text(rng: &mut Lcg, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.below(WORDS.len() as u64) as usize])
        .collect::<Vec<_>>()
        .join("，")
        + "。"
}

fn lang_text(zh: String, en: String) -> Text {
    Text(
        [("zh-Hant".to_string(), zh), ("en".to_string(), en)]
            .into_iter()
            .collect(),
    )
}

/// A checklist of `n` items in areas of 100, and progress with five notes an item.
pub fn generate(n: usize) -> (Checklist, Progress) {
    generate_with_measures(n, 0)
}

/// The same with `measures` measures a problem (0: none, as [`generate`]). With measures,
/// each measure carries what a problem carries without them (a status, five notes, and an
/// owner and deadline every other one), and the problems carry nothing of their own: 2,000
/// problems × 5 measures is as much to read and show as 10,000 problems.
pub fn generate_with_measures(n: usize, measures: usize) -> (Checklist, Progress) {
    let mut rng = Lcg(20261129);
    let areas = (0..n.div_ceil(100))
        .map(|a| Area {
            id: (a + 1).to_string(),
            title: lang_text(format!("第{}方面", a + 1), format!("Area {}", a + 1)),
            requirements: lang_text(text(&mut rng, 12), "Requirements.".into()),
            items: (0..100.min(n - a * 100))
                .map(|i| Item {
                    id: format!("{}.{}", a + 1, i + 1),
                    text: lang_text(text(&mut rng, 6), format!("Problem {}.{}", a + 1, i + 1)),
                })
                .collect(),
        })
        .collect();
    let checklist = Checklist {
        format: 1,
        id: format!("generated-{n}"),
        title: lang_text(
            format!("生成的台賬（{n}項）"),
            format!("Generated ledger ({n} items)"),
        ),
        source: None,
        areas,
    };
    let progress = progress_for(&checklist, measures, 5, &mut rng);
    (checklist, progress)
}

/// Progress for the problems of `checklist`, as [`generate_with_measures`] makes it but with
/// `notes` notes on each measure (or problem).
pub fn progress_for_checklist(checklist: &Checklist, measures: usize, notes: u64) -> Progress {
    progress_for(checklist, measures, notes, &mut Lcg(20261129))
}

fn progress_for(checklist: &Checklist, measures: usize, notes: u64, rng: &mut Lcg) -> Progress {
    let rng = &mut *rng;
    let mut progress = Progress::new(&checklist.id);
    let base: Stamp = "2026-01-01T09:00:00+08:00".parse().unwrap();
    let stamp = |minutes: u64| Stamp {
        instant: base.instant + jiff::SignedDuration::from_mins(minutes as i64),
        offset: base.offset,
    };
    let ids: Vec<String> = checklist.items().map(|(_, i)| i.id.clone()).collect();
    let mut targets: Vec<String> = Vec::new();
    for (k, id) in ids.iter().enumerate() {
        for j in 0..measures {
            let who = Who::new(stamp(k as u64 * 7), Some(["王偉", "李明", "張三"][j % 3]));
            targets.push(progress.add_measure(id, &text(rng, 5), who).unwrap());
        }
        if measures == 0 {
            targets.push(id.clone());
        }
    }
    for (k, id) in targets.iter().enumerate() {
        let who = |m: u64| Who::new(stamp(m), Some(["王偉", "李明", "張三"][k % 3]));
        let minute = k as u64 * 7;
        p_status(&mut progress, id, rng.below(4), who(minute));
        for j in 0..notes {
            let t = text(rng, 4);
            progress.add_note(id, &t, who(minute + j + 1)).unwrap();
        }
        if k % 2 == 0 {
            progress
                .set_text(id, Field::Owner, "自治區公安廳", who(minute + 9))
                .unwrap();
            progress.set_deadline(id, Some("2026-12-31".parse().unwrap()), who(minute + 9));
        }
    }
    // New entries get time-based ids; these are numbered instead, so that two runs write
    // the same files.
    let mut serial = 0u64;
    let mut next_id = || {
        serial += 1;
        format!("00000000-0000-7000-8000-{serial:012x}")
    };
    for item in progress.items.values_mut() {
        let item = std::sync::Arc::make_mut(item);
        for change in &mut item.history {
            change.id = next_id();
        }
        for note in &mut item.notes {
            note.id = next_id();
        }
        for m in &mut item.measures {
            m.id = next_id();
            m.history.iter_mut().for_each(|c| c.id = next_id());
            m.notes.iter_mut().for_each(|n| n.id = next_id());
        }
    }
    progress
}

fn p_status(p: &mut Progress, id: &str, s: u64, who: Who) {
    p.set_status(id, Status::ALL[s as usize], who);
}

#[cfg(test)]
mod tests {
    #[test]
    fn two_runs_write_the_same_files() {
        let (c1, p1) = super::generate(150);
        let (c2, p2) = super::generate(150);
        assert_eq!(c1, c2);
        assert_eq!(crate::store::to_ron(&p1), crate::store::to_ron(&p2));
        assert_eq!(p1.items.len(), 150);
        assert_eq!(p1.items.values().map(|i| i.notes.len()).sum::<usize>(), 750);
        let (_, p) = super::generate_with_measures(30, 5);
        let item = p.item("1.7").unwrap();
        assert_eq!(item.numbered_measures().len(), 5);
        assert_eq!(item.measures[4].notes.len(), 5);
        assert!(item.notes.is_empty());
        assert_eq!(
            crate::store::to_ron(&p),
            crate::store::to_ron(&super::generate_with_measures(30, 5).1)
        );
    }
}
