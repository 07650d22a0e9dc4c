//! Work on a large ledger split over the machine's cores: building a summary, writing a
//! report and serialising the progress file of 10,000 problems each take tens of
//! milliseconds on one core. A small ledger stays on the calling thread, where starting a
//! thread would cost more than the work.

use std::num::NonZeroUsize;

/// Below this total weight (about problems) everything runs on the calling thread.
pub const MIN_WEIGHT: usize = 2000;

/// `f` applied to consecutive parts of `items`, one part per core, cut so that each part
/// holds about the same `weight`; the results come back in the order of the parts.
/// Every element is in exactly one part, so concatenating the results gives what `f(items)`
/// gives for any `f` that handles each element on its own. A part whose thread cannot be
/// started (a limit on threads or memory) runs on the calling thread.
pub fn map_parts<'t, T, R>(
    items: &'t [T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(&'t [T]) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let parts = cut(items, &weight, cores(), MIN_WEIGHT);
    if parts.len() <= 1 {
        return vec![f(items)];
    }
    let asked = asked_parts();
    std::thread::scope(|scope| {
        let f = &f;
        let (first, rest) = parts.split_first().expect("more than one part");
        let others: Vec<_> = rest
            .iter()
            .map(|&part| {
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || with_asked(asked, || f(part)))
                    .map_err(|_| part)
            })
            .collect();
        let mut results = Vec::with_capacity(parts.len());
        results.push(f(first));
        for h in others {
            results.push(match h {
                // A panic in a part is a panic of the whole, as if it had run here.
                Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                Err(part) => f(part),
            });
        }
        results
    })
}

/// `a` and `b` side by side, `b` on another thread when the work is worth one (`large`) and
/// a thread can be started; otherwise one after the other here.
pub fn join<A: Send, B: Send>(
    large: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !large || cores() < 2 {
        return (a(), b());
    }
    // Kept here, not moved into the thread, so that it can still run here if no thread can
    // be started.
    let slot = std::sync::Mutex::new(Some(b));
    let asked = asked_parts();
    let run_b = || {
        let b = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        b.map(|b| with_asked(asked, b))
    };
    std::thread::scope(
        |scope| match std::thread::Builder::new().spawn_scoped(scope, run_b) {
            Ok(h) => {
                let a = a();
                let b = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
                (a, b.expect("run once"))
            }
            Err(_) => (a(), run_b().expect("not run yet")),
        },
    )
}

thread_local! {
    /// How many parts to cut into on this thread, instead of one per core: for tests that
    /// compare a report made in several parts with the same report made in one.
    static PARTS: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with the work of this thread cut into `parts` parts (at least one), whatever
/// the number of cores.
pub fn with_parts<R>(parts: usize, f: impl FnOnce() -> R) -> R {
    with_asked(Some(parts.max(1)), f)
}

/// The parts asked for on this thread by [`with_parts`], if any: passed on to the threads
/// that work is handed to, so that work nested in a part is cut as the test asked too.
fn asked_parts() -> Option<usize> {
    PARTS.with(|p| p.get())
}

fn with_asked<R>(parts: Option<usize>, f: impl FnOnce() -> R) -> R {
    let before = PARTS.with(|p| p.replace(parts));
    let r = f();
    PARTS.with(|p| p.set(before));
    r
}

/// The machine's cores, asked once: the standard library reads the cgroup files to answer.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    asked_parts().unwrap_or_else(|| {
        *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get))
    })
}

/// `items` cut into at most `parts` consecutive, non-empty slices of about equal weight;
/// one slice when the total is below `min`.
pub fn cut<T>(items: &[T], weight: impl Fn(&T) -> usize, parts: usize, min: usize) -> Vec<&[T]> {
    let total: usize = items.iter().map(&weight).sum();
    if parts <= 1 || total < min || items.len() < 2 {
        return vec![items];
    }
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut acc) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        acc += weight(item);
        // Cut after the element that takes the running total past the next share.
        let share = total * (out.len() + 1) / parts;
        if acc >= share && out.len() + 1 < parts && i + 1 < items.len() {
            out.push(&items[start..=i]);
            start = i + 1;
        }
    }
    out.push(&items[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The parts are the items, in order, none empty and no more than asked for.
        #[test]
        fn parts_cover_the_items_in_order(
            weights in proptest::collection::vec(0usize..50, 0..60),
            parts in 1usize..6,
            min in 0usize..200,
        ) {
            let cut = cut(&weights, |w| *w, parts, min);
            prop_assert!(cut.len() <= parts.max(1));
            prop_assert_eq!(cut.concat(), weights.clone());
            if cut.len() > 1 {
                prop_assert!(cut.iter().all(|p| !p.is_empty()));
            }
        }

        #[test]
        fn mapping_the_parts_is_mapping_the_whole(
            xs in proptest::collection::vec(0u32..1000, 0..3000),
        ) {
            let whole: Vec<u64> = xs.iter().map(|x| u64::from(*x) * 3).collect();
            let parts = map_parts(&xs, |_| 1, |p| p.iter().map(|x| u64::from(*x) * 3).collect::<Vec<_>>());
            prop_assert_eq!(parts.concat(), whole);
        }
    }

    #[test]
    fn equal_weights_are_cut_in_equal_parts() {
        let xs = vec![1; 10_000];
        let cut = cut(&xs, |w| *w, 2, MIN_WEIGHT);
        assert_eq!(
            cut.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [5000, 5000]
        );
        let cut = super::cut(&xs, |w| *w, 3, MIN_WEIGHT);
        assert_eq!(
            cut.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [3333, 3333, 3334]
        );
    }

    #[test]
    fn joined_work_gives_both_results_large_or_small() {
        for large in [false, true] {
            let (a, b) = join(large, || 2 + 2, || "b".repeat(3));
            assert_eq!((a, b.as_str()), (4, "bbb"));
        }
    }

    #[test]
    fn a_small_ledger_is_one_part() {
        let xs = vec![1; MIN_WEIGHT - 1];
        assert_eq!(cut(&xs, |w| *w, 8, MIN_WEIGHT).len(), 1);
    }

    #[test]
    fn one_heavy_element_is_not_split_further() {
        let xs = [1, 10_000, 1];
        let cut = cut(&xs, |w| *w, 2, MIN_WEIGHT);
        assert_eq!(cut, [&[1, 10_000][..], &[1][..]]);
    }

    /// Work handed to another thread is cut as the caller's test asked, so that nested
    /// parts are tested on a machine of any number of cores.
    #[test]
    fn the_parts_asked_for_reach_the_threads_work_is_handed_to() {
        let items = vec![1; MIN_WEIGHT * 2];
        let seen = with_parts(3, || map_parts(&items, |_| 1, |_| asked_parts()));
        assert_eq!(seen, vec![Some(3); 3]);
        let seen = with_parts(3, || join(true, asked_parts, asked_parts));
        assert_eq!(seen, (Some(3), Some(3)));
        assert_eq!(asked_parts(), None, "restored after");
    }
}
